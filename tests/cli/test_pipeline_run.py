"""The core's full run (migration/pipeline.run) with stand-in Pulumi stages: the stage order,
the Progress callback, the timings and the summary come from the core, not the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from forcelift.migration.errors import Problem
from forcelift.migration.pipeline import (
    DONE,
    STAGES,
    Inputs,
    RunResult,
    explain,
    prepare,
    run,
    run_summary,
)
from forcelift.migration.plan.planfile import Plan, PlanOptions

ESTATE = Path(__file__).parents[1] / "classify" / "data" / "small-estate.yaml"


@dataclass(frozen=True)
class _File:
    status: str


@dataclass(frozen=True)
class _Stack:
    stack: str
    resources: int
    cloud_resources: int

    @property
    def components(self) -> int:
        return self.resources - self.cloud_resources


class _Stages:
    """Writes nothing; says two files were written and previews every planned stack."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def generate(self, plan: Plan, out_dir: Path) -> Sequence[_File]:
        self.names = [s.name for c in plan.clouds for s in c.stacks]
        return [_File("written"), _File("unchanged")]

    def preview(self, out_dir: Path, on_done: Callable[[str], None]) -> Sequence[_Stack]:
        for name in self.names:
            on_done(name)
        return [_Stack(name, 10, 7) for name in self.names]


class _Log:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def stage(self, name: str) -> None:
        self.events.append(("stage", name))

    def warnings(self, problems: Sequence[Problem]) -> None:
        self.events.append(("warnings", len(problems)))

    def items(self, total: int) -> None:
        self.events.append(("items", total))

    def item_done(self, name: str) -> None:
        self.events.append(("done", name))


def _run(tmp_path: Path) -> tuple[RunResult, _Log, _Stages]:
    log, stages = _Log(), _Stages()
    inputs = Inputs(paths=(ESTATE,), as_of=dt.date(2026, 6, 1))
    result = run(inputs, PlanOptions(clouds=("aws",)), tmp_path, stages, log)
    return result, log, stages


def test_stages_run_in_order_and_report_through_the_callback(tmp_path: Path) -> None:
    result, log, stages = _run(tmp_path)
    assert [e for kind, e in log.events if kind == "stage"] == [*STAGES, DONE]
    kinds = [kind for kind, _ in log.events]
    # the warnings come once, after planning and before generate
    assert kinds.count("warnings") == 1
    assert log.events.index(("stage", "generate")) == kinds.index("warnings") + 1
    assert stages.names, "the sample plans at least one stack"
    at = log.events.index(("items", len(stages.names)))
    assert log.events[at - 1] == ("stage", "preview")
    assert log.events[at + 1 : at + 1 + len(stages.names)] == [("done", n) for n in stages.names]
    assert list(result.stage_seconds) == list(STAGES)
    assert (tmp_path / "report" / "index.html").is_file()


def test_summary_counts_what_the_stages_returned(tmp_path: Path) -> None:
    result, _, stages = _run(tmp_path)
    summary = run_summary(result)
    n = len(stages.names)
    assert summary["files"] == {"written": 1, "unchanged": 1}
    assert summary["resources_declared"] == summary["resources"] == 10 * n
    assert summary["cloud_resources"] == 7 * n and summary["components"] == 3 * n
    assert summary["guardrails"]["blocking"] == len(result.blocking) == 0
    assert summary["stage_seconds"] is result.stage_seconds
    assert summary["report"] == str(tmp_path / "report" / "index.html")


def test_explain_uses_the_prepared_classifier() -> None:
    prepared = prepare(Inputs(paths=(ESTATE,), as_of=dt.date(2026, 6, 1)))
    outcome = explain(prepared, "old intranet")
    assert outcome is not None and outcome.classification.application == "Old Intranet"
    assert outcome.rules == prepared.classifier.rules
    assert explain(prepared, "no such application") is None
