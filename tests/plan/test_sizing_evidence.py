"""Issue 17/11 sizing: no downsizing without real utilisation, reasons, assessments, unsized."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.classify.model import (
    Classification,
    ClassificationResult,
    Confidence,
    Decision,
    Effort,
    Strategy,
    Targets,
)
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import (
    Application,
    Assessment,
    Disk,
    Inventory,
    Server,
    Utilisation,
)
from forcelift.migration.plan.agreement import compare
from forcelift.migration.plan.assessed import agreement
from forcelift.migration.plan.build import PlanRequest, build_plan
from forcelift.migration.plan.planfile import PlanOptions
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing import Sizer, SizingBasis, SizingConfig
from forcelift.migration.plan.skuname import family_of, shape_of
from forcelift.migration.plan.summary import plan_summary, plan_text

from .assessment_data import KINDS, inventory, write_workbook, zero_cells_inventory


def _server(cores: int = 8, memory_gib: float = 16, **kw: object) -> Server:
    return Server(
        name=str(kw.pop("name", "s")), cores=cores, memory_mib=int(memory_gib * 1024), **kw
    )


@pytest.mark.parametrize(
    "server",
    [
        _server(utilisation=Utilisation(cpu_percent=0.0, memory_percent=0.0)),
        _server(utilisation=None),
        _server(
            utilisation=Utilisation(cpu_percent=12, memory_percent=30),
            assessment=Assessment(
                source="azure-migrate",
                utilisation_missing=True,
                data_collection_issues=("No data for percentage of CPU cores utilized",),
            ),
        ),
    ],
    ids=["zero-cells", "no-utilisation", "assessment-says-missing"],
)
def test_missing_performance_data_sizes_as_is(server: Server, azure_prices: PriceSnapshot) -> None:
    vm = Sizer(Cloud.AZURE, azure_prices).server(server)
    assert vm.basis is SizingBasis.AS_ON_PREMISE
    assert vm.vcpus >= 8 and vm.memory_gib >= 16
    assert vm.reason.startswith("as-is:") and "below the on-premise" not in vm.reason


def test_downsizing_says_by_how_much_and_why(azure_prices: PriceSnapshot) -> None:
    server = _server(utilisation=Utilisation(cpu_percent=18, memory_percent=40))
    vm = Sizer(Cloud.AZURE, azure_prices).server(server)
    assert vm.vcpus == 2
    assert "CPU 18 % × 1.3 comfort → 2 of 8 vCPU" in vm.reason
    assert "memory 40 % × 1.3 comfort → 8.3 of 16 GiB" in vm.reason
    assert "6 vCPU (75%) below the on-premise allocation, on measured utilisation" in vm.reason


def test_one_core_servers_do_not_double(
    azure_prices: PriceSnapshot, aws_prices: PriceSnapshot
) -> None:
    vm = Sizer(Cloud.AZURE, azure_prices, SizingConfig(burstable=False)).server(
        _server(cores=1, memory_gib=2)
    )
    assert vm.vcpus == 1 and vm.category.value != "burstable"
    # ratio mode rounds vCPUs to a real size before choosing the family
    ratio = Sizer(Cloud.AZURE, azure_prices, SizingConfig(family_selection="ratio"))
    assert ratio.server(_server(cores=1, memory_gib=3)).vcpus == 1


def test_standard_hdd_only_for_measured_data_disks(
    azure_prices: PriceSnapshot, aws_prices: PriceSnapshot
) -> None:
    disks = (Disk(name="os", provisioned_gib=127), Disk(name="data", provisioned_gib=900))
    quiet = _server(disks=disks, utilisation=Utilisation(cpu_percent=20, iops=200))
    hdd = SizingConfig(hdd_data_disks=True)
    out = Sizer(Cloud.AZURE, azure_prices, hdd).server(quiet).disks
    assert [(d.disk_type, d.tier) for d in out] == [("StandardSSD", "E10"), ("StandardHDD", "S30")]
    default = Sizer(Cloud.AZURE, azure_prices).server(quiet).disks
    assert {d.disk_type for d in default} == {"StandardSSD"}
    unmeasured = Sizer(Cloud.AZURE, azure_prices, hdd).server(_server(disks=disks)).disks
    assert {d.disk_type for d in unmeasured} == {"StandardSSD"}
    aws = Sizer(Cloud.AWS, aws_prices, hdd).server(quiet).disks
    assert [d.disk_type for d in aws] == ["gp3", "sc1"]


def test_assessment_size_taken_only_when_asked(azure_prices: PriceSnapshot) -> None:
    server = _server(
        utilisation=Utilisation(cpu_percent=18, memory_percent=40),
        assessment=Assessment(source="azure-migrate", recommended_size="Standard_D4s_v5"),
    )
    own = Sizer(Cloud.AZURE, azure_prices).server(server)
    assert own.source == "forcelift" and own.size != "Standard_D4s_v5"
    taken = Sizer(Cloud.AZURE, azure_prices, SizingConfig(source="azure-migrate")).server(server)
    assert (taken.size, taken.source, taken.forcelift_size) == (
        "Standard_D4s_v5",
        "azure-migrate",
        own.size,
    )
    unknown = server.model_copy(
        update={"assessment": Assessment(source="azure-migrate", recommended_size="Standard_X9")}
    )
    fallback = Sizer(Cloud.AZURE, azure_prices, SizingConfig(source="azure-migrate")).server(
        unknown
    )
    assert fallback.source == "forcelift" and any("not in forcelift" in n for n in fallback.notes)


def test_size_names() -> None:
    assert family_of("Standard_D4s_v5") == "Dsv5" == family_of("standard_d16s_v5")
    assert family_of("Standard_D4as_v5") == "Dasv5" != family_of("Standard_D4s_v5")
    assert family_of("m6i.xlarge") == "m6i"
    assert shape_of("Standard_D8as_v4") == (8, 32.0, False)
    assert shape_of("m5.2xlarge") == (8, 32.0, False)
    assert agreement("Standard_D4s_v5", "Standard_D8s_v5") == "same family"
    assert agreement("Standard_D4s_v5", "") == "no size"


# --- the assessment-shaped fixtures --------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [lambda: inventory("as-is"), lambda: inventory("zero"), zero_cells_inventory],
    ids=["as-is", "zero", "zero-cells"],
)
def test_no_performance_data_never_smaller_than_allocated(make) -> None:  # type: ignore[no-untyped-def]
    rows, totals = compare(make())
    assert totals.machines == 24
    for row in rows:
        smaller = row.ours_vcpus < row.cores or row.ours_memory_gib < row.memory_gib - 1e-9
        assert not smaller or "below the on-premise allocation" in row.reason, row
    assert totals.ours_memory_gib >= totals.onprem_memory_gib
    assert totals.ours_vcpus >= totals.onprem_vcpus


def test_performance_fixture_agreement() -> None:
    rows, totals = compare(inventory("performance"))
    assert totals.machines == 24
    assert totals.same_sku >= 12  # the figures in the report; a regression shows here
    assert totals.vcpu_ratio is not None and totals.vcpu_ratio[1] == 1.0
    assert any("below the on-premise allocation" in r.reason for r in rows)


def test_fixture_workbook_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    for kind in KINDS:
        book = load_workbook(write_workbook(kind, tmp_path / f"{kind}.xlsx"), read_only=True)
        assert book.sheetnames == ["All_Assessed_Machines", "All_Assessed_Disks"]
        rows = list(book["All_Assessed_Machines"].iter_rows(values_only=True))
        assert len(rows) == 25
        usage = rows[1][6]
        assert usage == {"performance": rows[1][6], "zero": 0.0, "as-is": "Not applicable"}[kind]


# --- plans: unsized servers and assessments --------------------------------------------------


def _classified(inv: Inventory, decision: Decision = Decision.IAAS) -> ClassificationResult:
    return ClassificationResult(
        as_of=dt.date(2025, 6, 1),
        catalogue_entries=0,
        rules_evaluated=0,
        counts={decision.value: len(inv.applications)},
        classifications=tuple(
            Classification(
                application=a.name,
                decision=decision,
                strategy=Strategy.REHOST,
                confidence=Confidence.HIGH,
                effort=Effort.S,
                rules=("TEST-001",),
                reasons=("test",),
                targets=Targets(azure="Azure VMs", aws="Amazon EC2"),
            )
            for a in inv.applications
        ),
    )


def _plan(inv: Inventory, **options: object):  # type: ignore[no-untyped-def]
    return build_plan(
        PlanRequest(
            inventory=inv,
            classification=_classified(inv),
            options=PlanOptions(clouds=("azure",), **options),  # type: ignore[arg-type]
        )
    )


def test_plan_shows_the_assessment_beside_forcelifts_choice() -> None:
    inv = inventory("performance")
    plan = _plan(inv)
    vms = [vm for w in plan.clouds[0].workloads for vm in w.vms]
    assert len(vms) == 24 and all(vm.assessment is not None for vm in vms)
    cond = next(vm for vm in vms if vm.assessment and vm.assessment.readiness != "Ready")
    assert cond.assessment.readiness_reasons  # type: ignore[union-attr]
    assert all(vm.reason and vm.sized_by == "forcelift" for vm in vms)
    taken = _plan(inv, sizing="azure-migrate")
    tvms = [vm for w in taken.clouds[0].workloads for vm in w.vms]
    known = [vm for vm in tvms if vm.sized_by == "azure-migrate"]
    assert known and all(vm.size == vm.assessment.size for vm in known)  # type: ignore[union-attr]
    assert plan_summary(taken)["clouds"][0]["assessment_agreement"]["tool_size_taken"] == len(known)


def _estate(shapes: list[tuple[str, int | None, int | None]]) -> Inventory:
    servers, apps = [], {}
    for i, (app, cores, memory) in enumerate(shapes):
        name = f"srv{i:03d}"
        servers.append(
            Server(
                name=name,
                cores=cores,
                memory_mib=memory,
                unsized_reason="" if cores and memory else f"CPU cell blank in vInfo row {i + 2}",
            )
        )
        apps.setdefault(app, []).append(name)
    return Inventory(
        force="Propertyshire",
        servers=tuple(servers),
        applications=tuple(Application(name=a, servers=tuple(n)) for a, n in apps.items()),
    )


def test_unsized_servers_are_estimated_or_left_out_and_counted() -> None:
    inv = _estate(
        [("A", 4, 8192), ("A", 8, 16384), ("A", 2, 4096), ("A", None, None), ("B", None, 2048)]
    )
    plan = _plan(inv)
    counts = plan.sizing
    assert (counts.servers, counts.sized, counts.estimated, counts.unsized) == (5, 3, 1, 1)
    estimated = next(u for u in counts.unsized_servers if u.action == "estimated")
    assert (estimated.server, estimated.vcpus, estimated.memory_gib) == ("srv003", 4, 8.0)
    assert "sized from the application's other servers" in estimated.reason
    left = next(u for u in counts.unsized_servers if u.action == "left out")
    assert left.server == "srv004" and "no other sized server in B" in left.reason
    vms = {vm.server: vm for w in plan.clouds[0].workloads for vm in w.vms}
    assert vms["srv003"].sized_by == "estimated" and "srv004" not in vms
    assert "1 estimated" in plan_text(plan) and "1 unsized" in plan_text(plan)
    assert plan.onprem.servers == 5


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABC"),
            st.one_of(st.none(), st.integers(1, 16)),
            st.one_of(st.none(), st.integers(1024, 65536)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_plan_counts_every_server_exactly_once(shapes) -> None:  # type: ignore[no-untyped-def]
    inv = _estate(shapes)
    plan = _plan(inv)
    c = plan.sizing
    assert c.sized + c.estimated + c.unsized == c.servers == len(inv.servers)
    assert len(c.unsized_servers) == c.estimated + c.unsized
    vms = [vm.server for w in plan.clouds[0].workloads for vm in w.vms]
    assert len(vms) == len(set(vms)) == c.sized + c.estimated
    summary = plan_summary(plan)["sizing"]
    assert summary["sized"] + summary["estimated"] + summary["unsized"] == summary["servers"]


@pytest.mark.parametrize("kind", KINDS)
def test_workbooks_through_the_loader(kind, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forcelift.migration.inventory.load import load_inventory

    loaded = load_inventory((write_workbook(kind, tmp_path / f"{kind}.xlsx"),))
    servers = loaded.inventory.servers
    assert len(servers) == 24 and all(s.assessment is not None for s in servers)
    rows, totals = compare(loaded.inventory)
    assert totals.machines == 24 and totals.theirs_currency == "GBP"
    if kind != "performance":
        assert all(s.utilisation is None or not s.utilisation.cpu_percent for s in servers)
        assert totals.ours_memory_gib >= totals.onprem_memory_gib
        for row in rows:
            assert row.ours_vcpus >= row.cores or "below the on-premise" in row.reason
