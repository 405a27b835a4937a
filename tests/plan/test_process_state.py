"""The planner holds no process-wide state: no identity-keyed caches, no garbage-collector switches.

Derived multipliers travel as explicit values (`CarbonRates`, `OnPremRates`) that a plan builds
once; the collector is paused by whoever owns the process (the CLI entry through the pipeline's
`ProcessPolicy`, the benchmarks), in forcelift.cli.process.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Disk, OperatingSystem, OsFamily, Server
from forcelift.migration.plan import carbon, onprem_cost
from forcelift.migration.plan.sizing_model import DiskSizing, SizingBasis, VmSizing, WorkloadTarget
from forcelift.migration.plan.skus import SkuCategory

PLAN = Path(__file__).resolve().parents[2] / "migration" / "plan"
BATCH = "batch.py"  # (moved to forcelift.cli.process; kept so the exclusion stays harmless)
CORE = PLAN.parent


def _calls(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "id":
            found.append(("id()", node.lineno))
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "gc"
        ):
            found.append((f"gc.{func.attr}()", node.lineno))
    return found


def test_no_identity_keys_or_collector_switches_in_the_planner() -> None:
    offences = [
        f"{path.relative_to(PLAN)}:{line}: {what}"
        for path in sorted(PLAN.rglob("*.py"))
        if path.name != BATCH
        for what, line in _calls(path)
    ]
    assert not offences, offences


def test_no_planning_module_pauses_the_collector_itself() -> None:
    """`batch` is for the process owner (pipeline, benchmarks), never imported by the planner."""
    importers = sorted(
        str(path.relative_to(PLAN))
        for path in PLAN.rglob("*.py")
        if "plan.batch import" in path.read_text(encoding="utf-8")
    )
    assert not importers, importers


def _server(name: str, cores: int, memory_mib: int) -> Server:
    return Server(
        name=name,
        os=OperatingSystem(family=OsFamily.LINUX, name="Ubuntu 22.04"),
        cores=cores,
        memory_mib=memory_mib,
        disks=(Disk(name="disk1", provisioned_gib=100),),
    )


def _target() -> WorkloadTarget:
    disk = DiskSizing(
        name="disk1",
        source_gib=100,
        disk_type="PremiumSSD",
        tier="P10",
        size_gib=128,
        iops=500,
        mbps=100,
    )
    vm = VmSizing(
        server="a",
        cloud=Cloud.AZURE,
        size="D2s_v5",
        family="Dsv5",
        category=SkuCategory.GENERAL,
        vcpus=2,
        memory_gib=8,
        os="linux",
        basis=SizingBasis.AS_ON_PREMISE,
        required_vcpus=2,
        required_memory_gib=8,
        disks=(disk,),
    )
    return WorkloadTarget(application="app", decision="IAAS", cloud=Cloud.AZURE, vms=(vm,))


def test_rates_built_once_give_what_the_coefficients_give() -> None:
    coefficients = carbon.carbon_coefficients(None)
    rates = carbon.CarbonRates(coefficients)
    servers = [_server("a", 4, 16384), _server("b", 8, 32768)]
    target = _target()
    assert carbon.onprem_footprint(servers, rates) == carbon.onprem_footprint(servers, coefficients)
    assert carbon.cloud_footprint(target, rates, "uksouth") == carbon.cloud_footprint(
        target, coefficients, "uksouth"
    )
    assumptions = onprem_cost.onprem_assumptions(None)
    assert onprem_cost.onprem_cost(
        servers, onprem_cost.OnPremRates(assumptions), rates
    ) == onprem_cost.onprem_cost(servers, assumptions, coefficients)


def test_changed_coefficients_are_never_answered_from_an_earlier_plan() -> None:
    """An identity- or process-keyed cache would hand the second call the first one's rates."""
    base = carbon.carbon_coefficients(None)
    servers = [_server("a", 4, 16384)]
    first = carbon.onprem_footprint(servers, base)
    hotter = base.model_copy(
        update={"pue": base.pue.model_copy(update={"onprem": base.pue.onprem * 2})}
    )
    second = carbon.onprem_footprint(servers, hotter)
    assert second.energy_kwh == pytest.approx(first.energy_kwh * 2, rel=1e-3)
    rates = carbon.CarbonRates(base)
    assert rates.cloud(Cloud.AZURE, "uksouth") is rates.cloud(Cloud.AZURE, "uksouth")
    assert rates.cloud(Cloud.AZURE, "uksouth") != rates.cloud(Cloud.AWS, "eu-west-2")


def test_no_collector_switches_anywhere_in_the_core() -> None:
    """The whole core (classify, inventory, pipeline too) leaves the collector to the process
    owner; only `id()` used as a local marker is allowed outside the planner."""
    offences = [
        f"{path.relative_to(CORE)}:{line}: {what}"
        for path in sorted(CORE.rglob("*.py"))
        for what, line in _calls(path)
        if what.startswith("gc.")
    ]
    assert not offences, offences
