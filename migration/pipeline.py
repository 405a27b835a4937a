"""The stages every end-to-end command shares: read, classify, plan (pure over their inputs).

`forcelift plan` and `forcelift migrate` call these so both produce the same plan from the
same inputs; the CLI only adds argument parsing, progress and printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from forcelift.migration.classify.model import ClassificationResult
from forcelift.migration.errors import Problem
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.workloads import GroupBy
from forcelift.migration.plan.planfile import Plan, PlanOptions


@dataclass(frozen=True)
class Inputs:
    paths: tuple[Path, ...]
    forced_format: str | None = None
    group_by: GroupBy = GroupBy.VM
    overrides: Path | None = None
    catalogue: Path | None = None
    as_of: dt.date | None = None
    strict: bool = False  # gaps in the export are errors (--strict)


@dataclass(frozen=True)
class Planned:
    inventory: Inventory
    classification: ClassificationResult
    plan: Plan
    warnings: tuple[Problem, ...]


def source_names(paths: Sequence[Path]) -> tuple[str, ...]:
    """How the plan records its sources: paths as given, with forward slashes."""
    return tuple(p.as_posix() for p in paths)


Stage = Callable[[str], None]
"""Told the name of each stage as it starts ("read", "classify", "plan"): progress for the CLI."""


def _no_stage(_name: str) -> None:
    return None


def read_and_classify(
    inputs: Inputs, on_stage: Stage = _no_stage
) -> tuple[Inventory, ClassificationResult, list[Problem]]:
    from forcelift.migration.classify.catalogue import load_catalogue
    from forcelift.migration.classify.engine import Classifier
    from forcelift.migration.classify.overrides import load_overrides
    from forcelift.migration.inventory.load import load_inventory

    as_of = inputs.as_of or dt.date.today()
    on_stage("read")
    loaded = load_inventory(
        inputs.paths,
        forced_format=inputs.forced_format,
        group_by=inputs.group_by,
        as_of=as_of,
        strict=inputs.strict,
    )
    inventory = loaded.inventory
    catalogue = load_catalogue(inputs.catalogue)
    pinned = (
        load_overrides(inputs.overrides, [a.name for a in inventory.applications])
        if inputs.overrides
        else None
    )
    on_stage("classify")
    result = Classifier(catalogue, as_of=as_of).classify(inventory, pinned)
    return inventory, result, list(loaded.warnings)


def make_plan(
    inputs: Inputs, options: PlanOptions, force_slug: str = "", on_stage: Stage = _no_stage
) -> Planned:
    from forcelift.migration.plan.batch import freeze_loaded
    from forcelift.migration.plan.build import PlanRequest, build_plan

    inventory, result, warnings = read_and_classify(inputs, on_stage)
    freeze_loaded()
    on_stage("plan")
    plan = build_plan(
        PlanRequest(inventory, result, options, source_names(inputs.paths), force_slug=force_slug)
    )
    return Planned(inventory, result, plan, tuple(warnings))
