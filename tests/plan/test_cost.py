"""Cloud cost: golden amounts, licensing, commitments, summaries, sums of parts."""

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
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.plan.cost import (
    CostConfig,
    Pricer,
    Rates,
    WorkloadCost,
    cost_summary,
    workload_cost,
)
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing import (
    PaasKind,
    Sizer,
    SizingConfig,
    assign_servers,
    size_paas,
)
from forcelift.migration.plan.waves import plan_waves

from .conftest import check_golden

WINDOWS = OperatingSystem(name="Windows Server 2019")
SQL = (SoftwareProduct(vendor="Microsoft", product="SQL Server", edition="Standard"),)


def _windows_dc(azure_prices: PriceSnapshot, config: CostConfig | None = None) -> WorkloadCost:
    server = Server(
        name="DC01", os=WINDOWS, cores=2, memory_mib=8192, disks=(Disk(provisioned_gib=127),)
    )
    intel = SizingConfig(azure_families=("Dsv5", "Esv5", "Fsv2", "Bs"))  # the list-price sizes
    target = Sizer(Cloud.AZURE, azure_prices, intel).workload("Identity", [server], "IAAS")
    return workload_cost(target, azure_prices, config)


def test_golden_windows_vm_on_azure(azure_prices: PriceSnapshot) -> None:
    cost = _windows_dc(azure_prices)
    (line,) = cost.lines
    assert (line.resource, line.sku) == ("DC01", "Standard_D2s_v5")
    assert line.compute == Rates(payg=81.03, one_year=48.62, three_year=32.41)  # 0.111 x 730
    assert line.licence == 67.16  # 0.046 x 2 vCPUs x 730 hours
    assert line.storage == 10.56  # one E10
    assert line.monthly == Rates(payg=158.75, one_year=126.34, three_year=110.13)
    assert cost.annual == Rates(payg=1905.0, one_year=1516.08, three_year=1321.56)


def test_hybrid_benefit_removes_windows_licence(azure_prices: PriceSnapshot) -> None:
    cost = _windows_dc(azure_prices, CostConfig(hybrid_benefit_windows=True))
    (line,) = cost.lines
    assert line.licence == 0 and line.monthly.payg == 91.59
    assert any("Hybrid Benefit" in n for n in line.notes)


def test_sql_on_a_vm_and_licence_mobility_on_aws(aws_prices: PriceSnapshot) -> None:
    server = Server(name="SQL1", os=WINDOWS, cores=2, memory_mib=8192, software=SQL)
    target = Sizer(Cloud.AWS, aws_prices).workload("Db", [server], "IAAS")
    (line,) = workload_cost(target, aws_prices).lines
    assert line.sku == "m6i.large"
    assert line.licence == pytest.approx(round(0.046 * 2 * 730 + 0.12 * 4 * 730, 2))  # SQL min 4
    (byol,) = workload_cost(target, aws_prices, CostConfig(hybrid_benefit_sql=True)).lines
    assert byol.licence == round(0.046 * 2 * 730, 2)  # Windows stays licence-included on AWS
    assert any("License Mobility" in n for n in byol.notes)


def test_gp3_iops_above_baseline_are_charged(aws_prices: PriceSnapshot) -> None:
    server = Server(
        name="web",
        cores=2,
        memory_mib=8192,
        disks=(Disk(provisioned_gib=200),),
        utilisation=Utilisation(iops=3846),  # x 1.3 = 5,000 IOPS
    )
    target = Sizer(Cloud.AWS, aws_prices).workload("Web", [server], "IAAS")
    (line,) = workload_cost(target, aws_prices).lines
    assert line.storage == round(200 * 0.0928 + 2000 * 0.0058, 2)


def test_paas_prices(azure_prices: PriceSnapshot, aws_prices: PriceSnapshot) -> None:
    sql = Server(name="sql1", cores=8, memory_mib=32768, disks=(Disk(provisioned_gib=200),))
    mi = size_paas(PaasKind.SQL_SERVER, [sql], Cloud.AZURE, azure_prices)
    line = Pricer(azure_prices).paas(mi)
    assert line.compute.payg == round(0.2789 * 8 * 730, 2)
    assert line.compute.one_year == round(0.2789 * 8 * 730 * 0.79, 2)  # reserved capacity
    assert line.storage == round(200 * 0.127, 2)
    ahb = Pricer(azure_prices, CostConfig(hybrid_benefit_sql=True)).paas(mi)
    assert ahb.compute.payg == round(0.2025 * 8 * 730, 2)
    web = size_paas(PaasKind.WEB_APP, [sql], Cloud.AWS, aws_prices)  # Elastic Beanstalk on EC2
    assert Pricer(aws_prices).paas(web).compute.payg == round(
        aws_prices.require("vm", web.tier) * 730, 2
    )
    blobs = size_paas(PaasKind.OBJECT_STORAGE, [sql], Cloud.AZURE, azure_prices)
    stored = Pricer(azure_prices).paas(blobs)
    assert stored.compute == Rates() and stored.storage == round(200 * 0.0196, 2)


def test_exchange_rate_converts_every_amount(azure_prices: PriceSnapshot) -> None:
    usd = _windows_dc(azure_prices)
    gbp = _windows_dc(azure_prices, CostConfig(currency="GBP", exchange_rate=0.8))
    assert gbp.monthly.payg == pytest.approx(usd.monthly.payg * 0.8, abs=0.03)


def test_prices_and_targets_must_agree(
    azure_prices: PriceSnapshot, aws_prices: PriceSnapshot
) -> None:
    server = Server(name="x", cores=2, memory_mib=4096)
    target = Sizer(Cloud.AZURE, azure_prices).workload("X", [server], "IAAS")
    with pytest.raises(InputError, match="sized for azure"):
        workload_cost(target, aws_prices)


def test_saas_workloads_say_the_subscription_is_not_included(aws_prices: PriceSnapshot) -> None:
    target = Sizer(Cloud.AWS, aws_prices).workload("Email", [], "SAAS")
    cost = workload_cost(target, aws_prices)
    assert cost.monthly == Rates() and "SaaS subscription" in cost.notes[0]


def test_golden_smallshire_costs_and_totals(
    smallshire: Inventory,
    decisions: dict[str, str],
    azure_prices: PriceSnapshot,
    aws_prices: PriceSnapshot,
) -> None:
    owned = assign_servers(smallshire)
    wave_of = plan_waves(smallshire.applications, smallshire.dependencies, decisions).wave_of()
    out = {}
    for cloud, prices in ((Cloud.AZURE, azure_prices), (Cloud.AWS, aws_prices)):
        sizer, pricer = Sizer(cloud, prices), Pricer(prices)
        costs = [
            pricer.workload(sizer.workload(app.name, owned.servers[app.name], decisions[app.name]))
            for app in smallshire.applications
        ]
        summary = cost_summary(costs, wave_of)
        _assert_sums(costs, summary)
        out[cloud.value] = {
            "workloads": {c.application: c.monthly.model_dump() for c in costs},
            "summary": summary.model_dump(mode="json"),
        }
    check_golden("cost-smallshire.yaml", out)


def _assert_sums(costs: list[WorkloadCost], summary: object) -> None:
    for cost in costs:
        for field in ("payg", "one_year", "three_year"):
            parts = [getattr(line.monthly, field) for line in cost.lines]
            assert getattr(cost.monthly, field) == round(math.fsum(parts), 2)
            for line in cost.lines:
                total = line.licence + line.storage + getattr(line.compute, field)
                assert getattr(line.monthly, field) == pytest.approx(total, abs=0.005)
    for field in ("payg", "one_year", "three_year"):
        waves = [getattr(w.monthly, field) for w in summary.waves]  # type: ignore[attr-defined]
        unscheduled = getattr(summary.unscheduled_monthly, field)  # type: ignore[attr-defined]
        total = getattr(summary.monthly, field)  # type: ignore[attr-defined]
        assert total == round(math.fsum([*waves, unscheduled]), 2)
        assert total == pytest.approx(
            math.fsum(getattr(c.monthly, field) for c in costs), abs=0.01 * len(costs)
        )


@settings(max_examples=40, deadline=None)
@given(
    shapes=st.lists(
        st.tuples(st.integers(1, 64), st.integers(1, 512), st.booleans(), st.integers(0, 3000)),
        min_size=1,
        max_size=12,
    ),
    waves=st.lists(st.integers(1, 4), min_size=12, max_size=12),
    cloud=st.sampled_from(list(Cloud)),
)
def test_totals_equal_the_sum_of_parts(
    shapes: list[tuple[int, int, bool, int]],
    waves: list[int],
    cloud: Cloud,
    azure_prices: PriceSnapshot,
    aws_prices: PriceSnapshot,
) -> None:
    prices = azure_prices if cloud is Cloud.AZURE else aws_prices
    sizer, pricer = Sizer(cloud, prices), Pricer(prices)
    costs = []
    for i, (cores, gib, windows, disk) in enumerate(shapes):
        server = Server(
            name=f"s{i}",
            cores=cores,
            memory_mib=gib * 1024,
            os=WINDOWS if windows else OperatingSystem(name="Ubuntu 22.04"),
            disks=(Disk(provisioned_gib=disk),) if disk else (),
            software=SQL if i % 3 == 0 else (),
        )
        costs.append(pricer.workload(sizer.workload(f"app{i % 5}-{i}", [server], "IAAS")))
    wave_of = {c.application: waves[i] for i, c in enumerate(costs) if i % 4}
    _assert_sums(costs, cost_summary(costs, wave_of))
