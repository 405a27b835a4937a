"""Shared fixtures: the exampleshire plan (Azure), a project DIR with three of its four stacks
previewed (one finding blocking, one waived), and the report rendered once for the session."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from forcelift.migration.inventory.model import Inventory
from forcelift.migration.plan.planfile import Plan

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
GOLDEN = ROOT / "tests" / "golden" / "report" / "exampleshire"
REGENERATE = os.environ.get("FORCELIFT_REGENERATE_GOLDEN") == "1"
SAMPLE = ROOT / "inventories" / "exampleshire"


@pytest.fixture(scope="session")
def inventory() -> Inventory:
    from forcelift.migration.inventory.load import load_inventory

    return load_inventory([SAMPLE]).inventory


@pytest.fixture(scope="session")
def plan(inventory: Inventory) -> Plan:
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions, WaiverPlan

    built = build_plan(
        PlanRequest(
            inventory,
            classify(inventory, as_of=dt.date(2026, 11, 25)),
            PlanOptions(clouds=("azure",)),
            ("inventories/exampleshire",),
        )
    )
    waiver = WaiverPlan(
        rule="FL-TAG-001",
        resource="sqlmi-network-monitoring",
        reason="cost centre for the monitoring data store is agreed at the April budget review",
        expires=dt.date(2027, 3, 31),
        approved_by="Head of ICT",
    )
    return built.model_copy(update={"waivers": (waiver,)})


def _make_project(directory: Path, plan: Plan, previews: bool = True) -> Path:
    """A generated-project DIR: plan.yaml, and the fixture previews unless told not to."""
    from forcelift.migration.plan.planio import plan_to_yaml

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "plan.yaml").write_text(plan_to_yaml(plan), encoding="utf-8")
    if previews:
        shutil.copytree(DATA / "preview", directory / "preview")
    return directory


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory, plan: Plan) -> Path:
    return _make_project(tmp_path_factory.mktemp("exampleshire"), plan)


@pytest.fixture(scope="session")
def make_project() -> Callable[..., Path]:
    """`make_project(directory, plan, previews=True)` for tests that need their own DIR."""
    return _make_project


@pytest.fixture(scope="session")
def report_dir(project: Path, inventory: Inventory) -> Path:
    """The four report files, written once from `project` with the sample inventory."""
    from dataclasses import replace

    from forcelift.migration.report.inputs import read_inputs
    from forcelift.migration.report.write import write_report

    out = project / "report"
    write_report(replace(read_inputs(project), inventory=inventory), out)
    return out


def _check_golden(name: str, actual: bytes) -> None:
    """Compare with tests/golden/report/exampleshire/<name>; the flag rewrites it."""
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"missing golden file {path}: run with FORCELIFT_REGENERATE_GOLDEN=1"
    expected = path.read_bytes()
    assert actual == expected, (
        f"{name} differs from {path}; if the change is intended, regenerate with "
        "FORCELIFT_REGENERATE_GOLDEN=1 and review the diff"
    )


@pytest.fixture(scope="session")
def golden() -> Callable[[str, bytes], None]:
    return _check_golden
