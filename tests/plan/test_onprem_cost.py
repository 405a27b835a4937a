"""On-premise cost: the Azure Migrate-based model, overrides, and sums of parts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import Disk, OperatingSystem, Server, SoftwareProduct
from forcelift.migration.plan.carbon import carbon_coefficients
from forcelift.migration.plan.onprem_cost import (
    CATEGORIES,
    load_onprem_defaults,
    onprem_assumptions,
    onprem_cost,
    sum_onprem,
    workload_onprem_cost,
)

DC = Server(
    name="DC01",
    os=OperatingSystem(name="Windows Server 2019"),
    cores=2,
    memory_mib=8192,
    disks=(Disk(provisioned_gib=127, used_gib=60),),
)


def test_golden_windows_server() -> None:
    cost = onprem_cost([DC])
    assert cost.hardware == pytest.approx((16.232 * 4 + 113.87) / 4, abs=0.01)  # 1 core, 4 years
    assert cost.storage == pytest.approx(127 * 2 * (1 / 4 + 0.10), abs=0.01)
    assert cost.network == pytest.approx((178.798 + 254) * 0.10 * (1 / 5 + 0.15), abs=0.01)
    kwh = (2 * (0.79 + 0.5 * (4.23 - 0.79)) * 8.76 + 8 * 0.000392 * 8760 + 1.41236) * 1.58
    assert cost.power == pytest.approx(kwh * 0.30, abs=0.01)
    assert cost.space == pytest.approx(2 / 32 * 25 * 12, abs=0.01)
    assert cost.support == pytest.approx(250 + 3 * 145 + 60 * 0.022 * 12, abs=0.01)
    assert cost.licences == pytest.approx(6771 / 16 * (1 / 5 + 0.25), abs=0.01)
    assert cost.annual == round(math.fsum(getattr(cost, c) for c in CATEGORIES), 2)
    assert cost.monthly == round(cost.annual / 12, 2)


def test_sql_server_costs_more_to_secure_and_license() -> None:
    sql = DC.model_copy(
        update={"software": (SoftwareProduct(product="SQL Server", edition="Standard"),)}
    )
    plain, with_sql = onprem_cost([DC]), onprem_cost([sql])
    assert with_sql.support - plain.support == pytest.approx(750)
    assert with_sql.licences - plain.licences == pytest.approx(4 * 1972.5 * 0.45, abs=0.02)


def test_overrides_change_the_model() -> None:
    cheaper_power = onprem_assumptions({"power": {"price_per_kwh": 0.15}})
    assert onprem_cost([DC], cheaper_power).power == pytest.approx(
        onprem_cost([DC]).power / 2, abs=0.01
    )
    flash = carbon_coefficients({"storage": {"onprem_type": "ssd"}})
    assert onprem_cost([DC], coefficients=flash).power > onprem_cost([DC]).power
    assert onprem_cost([DC], exchange_rate=0.5).annual == pytest.approx(
        onprem_cost([DC]).annual / 2, abs=0.05
    )


def test_unknown_override_is_refused() -> None:
    with pytest.raises(InputError, match=r"power\.price_per_kwhh"):
        onprem_assumptions({"power": {"price_per_kwhh": 0.15}})
    with pytest.raises(InputError, match=r"power\.price_per_kwh"):
        onprem_assumptions({"power": {"price_per_kwh": -1}})


def test_every_default_has_a_source() -> None:
    defaults = load_onprem_defaults()
    assert defaults.provenance.source and defaults.provenance.taken
    for section in CATEGORIES:
        assert getattr(defaults, section).source.strip()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 64), st.integers(1, 512), st.integers(0, 4000), st.booleans()),
        min_size=1,
        max_size=10,
    )
)
def test_totals_equal_the_sum_of_parts(shapes: list[tuple[int, int, int, bool]]) -> None:
    servers = [
        Server(
            name=f"s{i}",
            cores=cores,
            memory_mib=gib * 1024,
            disks=(Disk(provisioned_gib=disk),),
            os=OperatingSystem(name="Windows Server 2022" if windows else "RHEL 9"),
        )
        for i, (cores, gib, disk, windows) in enumerate(shapes)
    ]
    workloads = [workload_onprem_cost(s.name, [s]).cost for s in servers]
    for cost in workloads:
        assert cost.annual == round(math.fsum(getattr(cost, c) for c in CATEGORIES), 2)
    total = sum_onprem(workloads)
    for category in CATEGORIES:
        assert getattr(total, category) == round(
            math.fsum(getattr(c, category) for c in workloads), 2
        )
    assert total.annual == pytest.approx(math.fsum(c.annual for c in workloads), abs=0.01 * 8)
