"""The whole run, in order: read → classify → plan → generate → preview → guardrails → report.

`forcelift plan` runs the first three stages, `forcelift migrate` all seven; both call this
module, so the same inputs give the same plan. The core owns the sequence, the timing and the
typed results; the two stages that need Pulumi (generate, preview) are handed in by the edge
as :class:`ProjectStages` (forcelift.stacks.run_stages), because the core never imports the
Pulumi side. Progress reaches the caller through a :class:`Progress` callback object.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from forcelift.migration.classify.model import ClassificationResult
from forcelift.migration.errors import Problem
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.workloads import GroupBy
from forcelift.migration.plan.planfile import Plan, PlanOptions

if TYPE_CHECKING:
    from forcelift.migration.classify.engine import Classifier, Outcome
    from forcelift.migration.classify.overrides import Override
    from forcelift.migration.inventory.sharing import Partner
    from forcelift.migration.plan.regional import RegionalPlan
    from forcelift.migration.policy.model import Finding

STAGES = ("read", "classify", "plan", "generate", "preview", "guardrails", "report")
DONE = "done"  # told to Progress.stage after the last stage


@dataclass(frozen=True)
class Inputs:
    paths: tuple[Path, ...]
    forced_format: str | None = None
    group_by: GroupBy = GroupBy.VM
    overrides: Path | None = None
    catalogue: Path | None = None
    as_of: dt.date | None = None
    strict: bool = False  # gaps in the export are errors (--strict)
    rules: Path | None = None  # a rule selection file (docs/rules.md), else every rule
    #: partners known from elsewhere (a collaboration's partners and its other forces), which
    #: the inventory's flows and dependencies may name (load_inventory(partners=...))
    partners: tuple[Partner, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """The inventory read and the classifier ready: what `classify`, `explain` and `plan`
    start from (the catalogue is loaded once, here)."""

    inventory: Inventory
    classifier: Classifier
    pinned: dict[str, Override] | None
    warnings: tuple[Problem, ...]


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


def prepare(inputs: Inputs, on_stage: Stage = _no_stage) -> Prepared:
    """Read the inventory, then load the catalogue, overrides and rule selection."""
    from forcelift.migration.classify.catalogue import load_catalogue
    from forcelift.migration.classify.engine import Classifier
    from forcelift.migration.classify.overrides import load_overrides
    from forcelift.migration.classify.rule_selection import load_rule_selection
    from forcelift.migration.inventory.load import load_inventory

    as_of = inputs.as_of or dt.date.today()
    on_stage("read")
    loaded = load_inventory(
        inputs.paths,
        forced_format=inputs.forced_format,
        group_by=inputs.group_by,
        as_of=as_of,
        strict=inputs.strict,
        partners=inputs.partners,
    )
    inventory = loaded.inventory
    catalogue = load_catalogue(inputs.catalogue)
    pinned = (
        load_overrides(inputs.overrides, [a.name for a in inventory.applications])
        if inputs.overrides
        else None
    )
    rules = load_rule_selection(inputs.rules) if inputs.rules else None
    classifier = Classifier(catalogue, as_of=as_of, rules=rules)
    return Prepared(inventory, classifier, pinned, tuple(loaded.warnings))


def explain(prepared: Prepared, application: str) -> Outcome | None:
    """Every rule's verdict for one application (None when the inventory has no such one)."""
    key = application.lower()
    for outcome in prepared.classifier.outcomes(prepared.inventory, prepared.pinned):
        if outcome.context.key == key:
            return outcome
    return None


class ProcessPolicy(Protocol):
    """What the process owner (CLI entry, benchmark) does around the heavy stages, e.g. with
    the garbage collector; the core itself never touches process-wide state."""

    def loaded(self) -> None:
        """The inventory is read and lives to the end of the run."""

    def working(self) -> AbstractContextManager[None]:
        """Around reading, classifying and planning."""
        ...


class Untouched:
    """The default policy: leave the process as it is."""

    def loaded(self) -> None:
        return None

    def working(self) -> AbstractContextManager[None]:
        return nullcontext()


def read_and_classify(
    inputs: Inputs, on_stage: Stage = _no_stage, policy: ProcessPolicy | None = None
) -> tuple[Inventory, ClassificationResult, list[Problem]]:
    policy = policy or Untouched()
    with policy.working():
        prepared = prepare(inputs, on_stage)
    policy.loaded()
    on_stage("classify")
    with policy.working():
        result = prepared.classifier.classify(prepared.inventory, prepared.pinned)
    return prepared.inventory, result, list(prepared.warnings)


def make_plan(
    inputs: Inputs,
    options: PlanOptions,
    force_slug: str = "",
    on_stage: Stage = _no_stage,
    policy: ProcessPolicy | None = None,
) -> Planned:
    from forcelift.migration.plan.build import PlanRequest, build_plan

    policy = policy or Untouched()
    inventory, result, warnings = read_and_classify(inputs, on_stage, policy)
    on_stage("plan")
    with policy.working():
        plan = build_plan(
            PlanRequest(
                inventory, result, options, source_names(inputs.paths), force_slug=force_slug
            )
        )
    return Planned(inventory, result, plan, tuple(warnings))


# --- the full run ----------------------------------------------------------------------------


class Progress(Protocol):
    """What a run tells its caller while it works (a progress bar, a log, or nothing)."""

    def stage(self, name: str) -> None:
        """A stage of STAGES starts; DONE after the last."""

    def warnings(self, problems: Sequence[Problem]) -> None:
        """The inventory's warnings, once the plan is made."""

    def items(self, total: int) -> None:
        """The current stage works through this many items (the stacks to preview)."""

    def item_done(self, name: str) -> None:
        """One item of the current stage is finished."""


class Silent:
    """A Progress that says nothing."""

    def stage(self, name: str) -> None:
        return None

    def warnings(self, problems: Sequence[Problem]) -> None:
        return None

    def items(self, total: int) -> None:
        return None

    def item_done(self, name: str) -> None:
        return None


class WrittenFile(Protocol):
    @property
    def status(self) -> str: ...


class PreviewedStack(Protocol):
    @property
    def stack(self) -> str: ...
    @property
    def resources(self) -> int: ...  # declared, components included
    @property
    def cloud_resources(self) -> int: ...
    @property
    def components(self) -> int: ...


class ProjectStages(Protocol):
    """The Pulumi-side stages, given by the edge (forcelift.stacks.run_stages)."""

    def generate(self, plan: Plan | RegionalPlan, out_dir: Path) -> Sequence[WrittenFile]:
        """Write the Pulumi project for `plan` (one force, or a regional plan) into `out_dir`."""

    def preview(self, out_dir: Path, on_done: Callable[[str], None]) -> Sequence[PreviewedStack]:
        """Preview every stack of the project offline; `on_done(stack)` as each finishes."""


@dataclass
class _Clock:
    """Tells Progress each stage and times it (the summary prints the seconds)."""

    progress: Progress
    seconds: dict[str, float] = field(default_factory=dict)
    _current: str | None = None
    _since: float = field(default_factory=time.perf_counter)

    def start(self, stage: str) -> None:
        now = time.perf_counter()
        if self._current is not None:
            self.seconds[self._current] = round(now - self._since, 1)
        self._current, self._since = stage, now
        self.progress.stage(stage)


@dataclass(frozen=True)
class RunResult:
    planned: Planned
    files: tuple[WrittenFile, ...]
    stacks: tuple[PreviewedStack, ...]
    findings: tuple[Finding, ...]
    blocking: tuple[Finding, ...]
    out_dir: Path
    seconds: float
    stage_seconds: dict[str, float]


def run(
    inputs: Inputs,
    options: PlanOptions,
    out_dir: Path,
    stages: ProjectStages,
    progress: Progress | None = None,
    policy: ProcessPolicy | None = None,
) -> RunResult:
    """Every stage, in order, writing the plan, project, previews and report into `out_dir`."""
    from forcelift.migration.policy.check import blocking
    from forcelift.migration.report.inputs import ReportInputs, checked_previews
    from forcelift.migration.report.write import write_report

    started = time.perf_counter()
    told = progress or Silent()
    clock = _Clock(told)
    planned = released(make_plan(inputs, options, on_stage=clock.start, policy=policy))
    told.warnings(planned.warnings)

    clock.start("generate")
    files = tuple(stages.generate(planned.plan, out_dir))

    clock.start("preview")
    told.items(sum(len(c.stacks) for c in planned.plan.clouds))
    stacks = tuple(stages.preview(out_dir, told.item_done))

    clock.start("guardrails")
    previews, found = checked_previews(planned.plan, out_dir)  # one preview at a time
    findings = tuple(found)

    clock.start("report")
    report = ReportInputs(planned.plan, previews, findings, planned.inventory)
    write_report(report, out_dir / "report")
    clock.start(DONE)
    return RunResult(
        planned,
        files,
        stacks,
        findings,
        tuple(blocking(findings)),
        out_dir,
        time.perf_counter() - started,
        clock.seconds,
    )


def released(planned: Planned) -> Planned:
    """The plan, with the inventory as the report still reads it (its dependencies): the
    servers and applications are in the plan now, and at 100,000 servers holding them
    through preview and report costs about 300 MiB."""
    inventory = planned.inventory
    slim = Inventory.model_construct(  # its parts were validated as the inventory was read
        schema_version=inventory.schema_version,
        force=inventory.force,
        dependencies=inventory.dependencies,
    )
    return dataclasses.replace(planned, inventory=slim)


def run_summary(result: RunResult) -> dict[str, Any]:
    """The run in numbers: what `migrate` prints and `--format json` gives CI (docs/migrate.md)."""
    from forcelift.migration.plan.summary import plan_summary

    plan = result.planned.plan
    digest = plan_summary(plan)
    severities = Counter(f.severity.value for f in result.findings if not f.waived)
    stacks = result.stacks
    return {
        "out": str(result.out_dir),
        "seconds": round(result.seconds, 1),
        "stage_seconds": result.stage_seconds,
        "decisions": digest["decisions"],
        "waves": len(plan.waves),
        "onprem": digest["onprem"],
        "clouds": [
            {k: c[k] for k in ("cloud", "region", "monthly", "annual", "currency", "carbon_kgco2e")}
            for c in digest["clouds"]
        ],
        "stacks": [
            {"stack": r.stack, "resources": r.resources, "cloud_resources": r.cloud_resources}
            for r in stacks
        ],
        # Three counts, named (docs/migrate.md): what the previews declare (components
        # included), the cloud resources among them, and the plan's estimate.
        "resources": sum(r.resources for r in stacks),
        "resources_declared": sum(r.resources for r in stacks),
        "cloud_resources": sum(r.cloud_resources for r in stacks),
        "components": sum(r.components for r in stacks),
        "resources_estimated": sum(s.estimated_resources for c in plan.clouds for s in c.stacks),
        "files": dict(Counter(o.status for o in result.files)),
        "guardrails": {
            "findings": len(result.findings),
            "waived": sum(f.waived for f in result.findings),
            "by_severity": dict(sorted(severities.items())),
            "blocking": len(result.blocking),
        },
        "report": str(result.out_dir / "report" / "index.html"),
    }
