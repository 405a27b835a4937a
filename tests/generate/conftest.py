"""Shared fixtures for `forcelift generate`: a small two-cloud plan with split waves."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.planio import load_plan, plan_to_yaml
from forcelift.stacks.generate import GeneratedFile, render_project

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
PLAN = DATA / "smallshire-plan.yaml"
INVENTORY = ROOT / "tests" / "plan" / "data" / "smallshire.yaml"
GOLDEN = ROOT / "tests" / "golden" / "generate" / "smallshire"
REGENERATE = os.environ.get("FORCELIFT_REGENERATE_GOLDEN") == "1"
VERSION = "0.0.0"  # fixed, so a version bump does not churn the golden tree


def build_fixture_plan() -> str:
    """smallshire on both clouds, with stacks small enough that some waves split into parts."""
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.inventory.load import load_inventory
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions

    source = "tests/plan/data/smallshire.yaml"
    inventory = load_inventory([INVENTORY]).inventory
    options = PlanOptions(clouds=("azure", "aws"), max_resources_per_stack=60)
    classification = classify(inventory, as_of=dt.date(2026, 11, 25))
    return plan_to_yaml(build_plan(PlanRequest(inventory, classification, options, (source,))))


@pytest.fixture(scope="session")
def plan() -> Plan:
    if REGENERATE:
        PLAN.write_text(build_fixture_plan(), encoding="utf-8")
    return load_plan(PLAN)


@pytest.fixture(scope="session")
def files(plan: Plan) -> dict[str, GeneratedFile]:
    return render_project(plan, version=VERSION)
