"""Carbon: the CCF method on premise and in the cloud, coefficients, overrides, sums."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import (
    Disk,
    Inventory,
    OperatingSystem,
    Server,
    Utilisation,
)
from forcelift.migration.plan.carbon import (
    Footprint,
    carbon_coefficients,
    carbon_summary,
    cloud_footprint,
    load_coefficients,
    onprem_footprint,
    sum_footprints,
    workload_carbon,
)
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing import Sizer, assign_servers
from forcelift.migration.plan.waves import plan_waves

from .conftest import check_golden

DC = Server(
    name="DC01",
    os=OperatingSystem(name="Windows Server 2019"),
    cores=2,
    memory_mib=8192,
    disks=(Disk(provisioned_gib=127),),
)
EMBODIED_PER_VCPU = (1000 + 100 + 1.388 * (384 - 16)) / 4 / 96


def test_golden_onprem_server() -> None:
    fp = onprem_footprint([DC], load_coefficients())
    assert fp.compute_kwh == pytest.approx(2 * (0.79 + 0.5 * (4.23 - 0.79)) * 8.76, abs=0.01)
    assert fp.memory_kwh == pytest.approx(8 * 0.000392 * 8760, abs=0.01)
    assert fp.storage_kwh == pytest.approx(127 / 1024 * 0.65 * 2 * 8.76, abs=0.01)  # HDD, mirrored
    it = fp.compute_kwh + fp.memory_kwh + fp.storage_kwh
    assert fp.energy_kwh == pytest.approx(it * 1.58, abs=0.02)
    assert fp.operational_kgco2e == pytest.approx(it * 1.58 * 0.20705, abs=0.02)
    assert fp.embodied_kgco2e == pytest.approx(2 * EMBODIED_PER_VCPU, abs=0.01)
    assert fp.total_kgco2e == round(fp.operational_kgco2e + fp.embodied_kgco2e, 2)


def test_golden_azure_vm(azure_prices: PriceSnapshot) -> None:
    target = Sizer(Cloud.AZURE, azure_prices).workload("Identity", [DC], "IAAS")
    fp = cloud_footprint(target, load_coefficients(), "uksouth")
    assert fp.compute_kwh == pytest.approx(2 * (0.78 + 0.5 * (3.76 - 0.78)) * 8.76, abs=0.01)
    assert fp.storage_kwh == pytest.approx(128 / 1024 * 1.2 * 3 * 8.76, abs=0.01)  # E10, LRS x3
    it = fp.compute_kwh + fp.memory_kwh + fp.storage_kwh
    assert fp.operational_kgco2e == pytest.approx(it * 1.185 * 0.225, abs=0.02)


def test_cloud_utilisation_follows_observed_demand(aws_prices: PriceSnapshot) -> None:
    quiet = Server(name="q", cores=8, memory_mib=8192, utilisation=Utilisation(cpu_percent=10))
    target = Sizer(Cloud.AWS, aws_prices).workload("Q", [quiet], "IAAS")
    (vm,) = target.vms
    assert vm.cpu_demand_vcpus == pytest.approx(0.8)
    fp = cloud_footprint(target, load_coefficients(), "eu-west-2")
    utilisation = 0.8 / vm.vcpus
    expected = vm.vcpus * (0.74 + utilisation * (3.5 - 0.74)) * 8.76
    assert fp.compute_kwh == pytest.approx(expected, abs=0.01)
    onprem = onprem_footprint([quiet], load_coefficients())
    assert onprem.compute_kwh == pytest.approx(8 * (0.79 + 0.1 * 3.44) * 8.76, abs=0.01)


def test_overrides_and_unknown_regions(azure_prices: PriceSnapshot) -> None:
    greener = carbon_coefficients({"grid_kg_per_kwh": {"onprem": 0.1}})
    assert (
        onprem_footprint([DC], greener).operational_kgco2e
        < onprem_footprint([DC], load_coefficients()).operational_kgco2e
    )
    target = Sizer(Cloud.AZURE, azure_prices).workload("Identity", [DC], "IAAS")
    assert cloud_footprint(target, load_coefficients(), "ukwest").operational_kgco2e > 0
    with pytest.raises(InputError, match="no grid carbon intensity for 'westeurope'"):
        cloud_footprint(target, load_coefficients(), "westeurope")
    with pytest.raises(InputError, match=r"pue\.azure"):
        carbon_coefficients({"pue": {"azure": 0.9}})


def test_every_coefficient_has_a_source() -> None:
    c = load_coefficients()
    assert c.provenance.source and c.provenance.taken
    for part in (
        c.default_utilisation_percent,
        c.compute.aws,
        c.compute.azure,
        c.compute.onprem,
        c.memory,
        c.storage,
        c.pue,
        c.embodied,
    ):
        assert part.source.strip()
    assert isinstance(c.grid_kg_per_kwh["source"], str)
    assert c.pue.azure == 1.185  # the figure docs/cost-and-carbon.md says we use


def test_golden_smallshire_carbon(
    smallshire: Inventory,
    decisions: dict[str, str],
    azure_prices: PriceSnapshot,
    aws_prices: PriceSnapshot,
) -> None:
    owned = assign_servers(smallshire)
    wave_of = plan_waves(smallshire.applications, smallshire.dependencies, decisions).wave_of()
    out = {}
    for cloud, prices, region in (
        (Cloud.AZURE, azure_prices, "uksouth"),
        (Cloud.AWS, aws_prices, "eu-west-2"),
    ):
        sizer = Sizer(cloud, prices)
        items = [
            workload_carbon(
                app.name,
                owned.servers[app.name],
                sizer.workload(app.name, owned.servers[app.name], decisions[app.name]),
                load_coefficients(),
                region,
            )
            for app in smallshire.applications
        ]
        summary = carbon_summary(items, wave_of)
        out[cloud.value] = summary.model_dump(mode="json")
    check_golden("carbon-smallshire.yaml", out)


_FIELDS = (
    "compute_kwh",
    "memory_kwh",
    "storage_kwh",
    "energy_kwh",
    "operational_kgco2e",
    "embodied_kgco2e",
    "total_kgco2e",
)


@settings(max_examples=40, deadline=None)
@given(
    shapes=st.lists(
        st.tuples(
            st.integers(1, 64),
            st.integers(1, 512),
            st.integers(0, 4000),
            st.one_of(st.none(), st.floats(0, 100)),
        ),
        min_size=1,
        max_size=10,
    ),
    cloud=st.sampled_from(list(Cloud)),
)
def test_totals_equal_the_sum_of_parts(
    shapes: list[tuple[int, int, int, float | None]],
    cloud: Cloud,
    azure_prices: PriceSnapshot,
    aws_prices: PriceSnapshot,
) -> None:
    prices = azure_prices if cloud is Cloud.AZURE else aws_prices
    region = "uksouth" if cloud is Cloud.AZURE else "eu-west-2"
    sizer = Sizer(cloud, prices)
    items = []
    for i, (cores, gib, disk, cpu) in enumerate(shapes):
        server = Server(
            name=f"s{i}",
            cores=cores,
            memory_mib=gib * 1024,
            disks=(Disk(provisioned_gib=disk),),
            utilisation=Utilisation(cpu_percent=cpu),
        )
        target = sizer.workload(f"a{i}", [server], "IAAS")
        items.append(workload_carbon(f"a{i}", [server], target, load_coefficients(), region))
    for item in items:
        for fp in (item.onprem, item.cloud):
            assert fp.total_kgco2e == round(fp.operational_kgco2e + fp.embodied_kgco2e, 2)
    summary = carbon_summary(items, {f"a{i}": 1 + i % 3 for i in range(len(items)) if i % 2})
    for side in ("onprem", "cloud"):
        parts: list[Footprint] = [getattr(w, side) for w in summary.waves]
        parts.append(getattr(summary, f"unscheduled_{side}"))
        total = getattr(summary, side)
        assert total == sum_footprints(parts)
        for field in _FIELDS:
            everything = math.fsum(getattr(getattr(i, side), field) for i in items)
            assert getattr(total, field) == pytest.approx(everything, abs=0.01 * len(items))
