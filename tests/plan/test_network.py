"""Address plan: layouts, avoided ranges, refusals with hints, and no-overlap properties."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import Inventory, Server
from forcelift.migration.plan.network import (
    AddressOptions,
    AddressPlan,
    AvoidedRange,
    ReservedRange,
    onprem_ranges,
    plan_addresses,
    spoke_request,
)

from .conftest import check_golden


def _plan(cloud: Cloud, hosts: tuple[int, ...] = (40, 300), **options: object) -> AddressPlan:
    spokes = [spoke_request(f"wave-{i + 1}", h, cloud) for i, h in enumerate(hosts)]
    return plan_addresses(cloud, spokes, options=AddressOptions(**options))


def test_golden_layouts(smallshire: Inventory) -> None:
    avoid = onprem_ranges(smallshire.servers)
    reserved = (ReservedRange(cidr="10.101.0.0/16", name="PSN"),)
    out = {
        cloud.value: plan_addresses(
            cloud,
            [spoke_request("wave-1", 6, cloud), spoke_request("wave-2", 5, cloud)],
            avoid=avoid,
            options=AddressOptions(reserved=reserved),
        ).model_dump(mode="json")
        for cloud in Cloud
    }
    check_golden("address-plan-smallshire.yaml", out)


def test_azure_hub_has_the_named_service_subnets() -> None:
    hub = _plan(Cloud.AZURE).networks[0]
    subnets = {s.name: ipaddress.ip_network(s.cidr) for s in hub.subnets}
    assert hub.role == "hub"
    assert subnets["AzureFirewallSubnet"].prefixlen == 26
    assert subnets["AzureBastionSubnet"].prefixlen <= 26
    assert subnets["GatewaySubnet"].prefixlen <= 27
    assert "management" in subnets


def test_aws_subnets_are_per_zone() -> None:
    plan = _plan(Cloud.AWS)
    spoke = plan.networks[1]
    zones = {(s.name, s.zone) for s in spoke.subnets}
    for name in ("tgw-attachment", "private", "endpoints"):
        assert {z for n, z in zones if n == name} == {"eu-west-2a", "eu-west-2b", "eu-west-2c"}
    tgw = [s for s in spoke.subnets if s.name == "tgw-attachment"]
    assert all(ipaddress.ip_network(s.cidr).prefixlen == 28 for s in tgw)


def test_spokes_are_sized_for_hosts_with_growth() -> None:
    plan = _plan(Cloud.AZURE, hosts=(300,))
    workload = next(s for s in plan.networks[1].subnets if s.name == "workload")
    assert ipaddress.ip_network(workload.cidr).prefixlen == 22  # 300 x 2 + 5 needs 1,024
    tight = _plan(Cloud.AZURE, hosts=(300,), growth=1.0)
    workload = next(s for s in tight.networks[1].subnets if s.name == "workload")
    assert ipaddress.ip_network(workload.cidr).prefixlen == 23


def test_onprem_ranges_from_server_addresses() -> None:
    servers = [
        Server(name="a", cores=1, memory_mib=1, ip_addresses=("10.100.3.4", "fe80::1", "junk")),
        Server(name="b", cores=1, memory_mib=1, ip_addresses=("10.100.9.9", "127.0.0.1")),
        Server(name="c", cores=1, memory_mib=1, ip_addresses=("169.254.1.1", "010.1.1.1")),
    ]
    (found,) = onprem_ranges(servers)
    assert found.cidr == "10.100.0.0/16" and "2 server address(es), e.g. a, b" in found.reason
    assert [r.cidr for r in onprem_ranges(servers, 24)] == ["10.100.3.0/24", "10.100.9.0/24"]


def test_avoids_onprem_and_reserved_ranges() -> None:
    avoid = (AvoidedRange(cidr="10.100.0.0/16", reason="on-premise"),)
    reserved = (ReservedRange(cidr="10.101.0.0/16", name="PSN"),)
    plan = plan_addresses(
        Cloud.AZURE,
        [spoke_request("wave-1", 10, Cloud.AZURE)],
        avoid=avoid,
        options=AddressOptions(reserved=reserved),
    )
    assert plan.networks[0].cidr.startswith("10.102.")
    assert [a.reason for a in plan.avoided] == ["on-premise", "reserved: PSN"]


@pytest.mark.parametrize(
    ("options", "message", "hint"),
    [
        ({"supernet": "10.100.0.1/14"}, "invalid supernet", "did you mean 10.100.0.0/14"),
        ({"supernet": "banana"}, "invalid supernet", "IPv4 CIDR"),
        ({"supernet": "fd00::/48"}, "is IPv6", "IPv4"),
        ({"supernet": "8.8.0.0/16"}, "not private", "RFC 1918"),
        ({"supernet": "10.0.0.0/26"}, "too small", "/20 or larger"),
        (
            {"reserved": ({"cidr": "10.0.0.0/8", "name": "PSN"}, {"cidr": "10.1.0.0/16"})},
            "overlap",
            "merge them",
        ),
        ({"reserved": ({"cidr": "10.0.0.0/33"},)}, "invalid reserved range", "CIDR"),
    ],
)
def test_refusals_say_what_to_change(options: dict, message: str, hint: str) -> None:
    with pytest.raises(InputError) as err:
        _plan(Cloud.AZURE, **options)
    problem = err.value.problems[0]
    assert message in problem.message
    assert problem.hint and hint in problem.hint


def test_space_running_out_is_refused() -> None:
    avoid = (AvoidedRange(cidr="10.100.0.0/15", reason="on-premise"),)
    spokes = [spoke_request(f"wave-{i}", 500, Cloud.AZURE) for i in range(70)]
    with pytest.raises(InputError) as err:
        plan_addresses(Cloud.AZURE, spokes, avoid=avoid)
    assert "ran out" in str(err.value) and "supernet" in (err.value.problems[0].hint or "")


def test_aws_vpc_larger_than_a_slash_16_is_refused() -> None:
    with pytest.raises(InputError, match="AWS"):
        _plan(Cloud.AWS, hosts=(40000,), supernet="10.0.0.0/8")


def test_duplicate_spoke_names_are_refused() -> None:
    spokes = [spoke_request("wave-1", 5, Cloud.AZURE)] * 2
    with pytest.raises(InputError, match="used twice"):
        plan_addresses(Cloud.AZURE, spokes)


def test_adding_a_spoke_keeps_earlier_addresses() -> None:
    before = _plan(Cloud.AWS, hosts=(40, 300))
    after = _plan(Cloud.AWS, hosts=(40, 300, 20))
    assert after.networks[:3] == before.networks


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    cloud=st.sampled_from(list(Cloud)),
    prefix=st.integers(14, 20),
    hosts=st.lists(st.integers(1, 600), max_size=6),
    holes=st.lists(st.tuples(st.integers(0, 2**14 - 1), st.integers(16, 26)), max_size=6),
)
def test_no_overlaps_and_everything_inside(
    cloud: Cloud, prefix: int, hosts: list[int], holes: list[tuple[int, int]]
) -> None:
    supernet = ipaddress.ip_network(f"10.96.0.0/{prefix}")
    avoid = [
        AvoidedRange(
            cidr=str(ipaddress.ip_network((int(supernet.network_address) + (n << 8), p), False)),
            reason="test",
        )
        for n, p in holes
    ]
    spokes = [spoke_request(f"s{i}", h, cloud) for i, h in enumerate(hosts)]
    try:
        plan = plan_addresses(
            cloud, spokes, avoid=avoid, options=AddressOptions(supernet=str(supernet))
        )
    except InputError as exc:
        assert "ran out" in str(exc) or "too small" in str(exc)
        return
    avoided = [ipaddress.ip_network(a.cidr) for a in avoid]
    networks = [ipaddress.ip_network(n.cidr) for n in plan.networks]
    for i, net in enumerate(networks):
        assert net.subnet_of(supernet)
        assert not any(net.overlaps(hole) for hole in avoided)
        assert not any(net.overlaps(other) for other in networks[i + 1 :])
        subnets = [ipaddress.ip_network(s.cidr) for s in plan.networks[i].subnets]
        for j, sub in enumerate(subnets):
            assert sub.subnet_of(net)
            assert not any(sub.overlaps(other) for other in subnets[j + 1 :])
