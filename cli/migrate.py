"""`forcelift migrate`: inventory to reviewed stacks and the architect's report, in one run.

Parse the options, call the core's pipeline (forcelift.migration.pipeline.run) with the
Pulumi-side stages (forcelift.stacks.run_stages), print the summary. The progress bar is the
pipeline's Progress callback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forcelift.cli.options import core_inputs, output_format
from forcelift.cli.output import (
    EXIT_FINDINGS,
    echo_json,
    ensure_writable,
    handle_input_errors,
    note_finished,
    print_problems,
)
from forcelift.cli.plan_options import (
    plan_options,
    plan_request,
    regional_options,
    regional_source,
)
from forcelift.migration.pipeline import DONE, STAGES

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from forcelift.migration.errors import Problem
    from forcelift.migration.pipeline import Inputs

__all__ = ["STAGES", "migrate"]

DESCRIPTIONS = {
    "read": "reading the inventory",
    "classify": "classifying workloads",
    "plan": "planning waves, sizes, cost and carbon",
    "generate": "generating the Pulumi project",
    "preview": "previewing stacks (Pulumi mock runtime)",
    "guardrails": "checking guardrails",
    "report": "writing the report",
    DONE: "done",
}


class _StageBar:
    """The pipeline's Progress as a rich bar: one step per stage, a second bar for the
    stacks being previewed; what is finished is noted for an interrupt's one line."""

    def __init__(self, progress: Progress, show_warnings: bool) -> None:
        self.progress = progress
        self.task = progress.add_task("forcelift migrate", total=len(STAGES))
        self.show_warnings = show_warnings
        self.finished: list[str] = []
        self._current: str | None = None
        self._items: TaskID | None = None

    def stage(self, name: str) -> None:
        if self._current is not None:
            self.finished.append(self._current)
            self.progress.advance(self.task)
            note_finished("finished " + ", ".join(self.finished))
        self._current = name
        self.progress.update(self.task, description=DESCRIPTIONS[name])

    def warnings(self, problems: Sequence[Problem]) -> None:
        if self.show_warnings:
            self.progress.stop()
            print_problems(list(problems), limit=20)
            self.progress.start()

    def items(self, total: int) -> None:
        self._items = self.progress.add_task("previewing stacks offline", total=total)

    def item_done(self, name: str) -> None:
        if self._items is not None:
            self.progress.advance(self._items)


@click.command()
@regional_options
@core_inputs
@plan_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory for the plan, stacks, previews and report.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=None,
    help="Parallel preview processes (default: CPU count).",
)
@click.option("--force", is_flag=True, help="Replace files in OUT that forcelift did not write.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Preview every stack again (default: reuse those whose content key is unchanged).",
)
@output_format("text", "json")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no inventory warnings.")
@handle_input_errors
def migrate(
    inputs: Inputs,
    out_dir: Path,
    jobs: int | None,
    force: bool,
    no_cache: bool,
    output_format: str,
    quiet: bool,
    collaboration: Path | None,
    force_inventories: tuple[tuple[str, Path], ...],
    **options: Any,
) -> None:
    """Read → classify → plan → generate → offline preview → guardrails → report.

    Writes OUT/plan.yaml, the Pulumi project (Pulumi.yaml, one Pulumi.<stack>.yaml per
    stack, CI pipelines, README), OUT/preview/<stack>.json and OUT/report/ (index.html,
    summary.md, decisions.csv, decisions.xlsx). Re-running with the same input changes no
    file. Exit 0 when clean, 1 when guardrails find high or critical problems, 2 on bad input.

    Several forces (--collaboration FILE, or --force-inventory SLUG=PATH per force): one
    project with every force's stacks, OUT/plan.yaml the regional plan, OUT/plans/<force>.yaml
    what each force's stacks read, and OUT/report/<force>/ per force.

    Example:

        forcelift migrate inventories/exampleshire --cloud azure --out out/exampleshire

        forcelift migrate --collaboration region/collaboration.yaml --cloud aws --out out/region
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from forcelift.cli.process import LargeEstatePolicy
    from forcelift.migration.pipeline import run, run_summary
    from forcelift.migration.regional_pipeline import regional_summary, run_regional
    from forcelift.stacks.run_stages import PulumiStages

    as_json = output_format == "json"
    region = regional_source(inputs, collaboration, force_inventories)
    ensure_writable(out_dir)  # before minutes of planning, not after
    console = Console(stderr=True, quiet=quiet or as_json)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    bar = _StageBar(progress, show_warnings=not quiet and not as_json)
    with progress:
        if region is not None:
            regional = run_regional(
                region,
                plan_request(**options),
                out_dir,
                PulumiStages(jobs, force, cache=not no_cache),
                bar,
                policy=LargeEstatePolicy(),
                base=inputs,
            )
            summary, blocking = regional_summary(regional), regional.blocking
            summary.update(_reuse_counts(regional.stacks))
        else:
            result = run(
                inputs,
                plan_request(**options),
                out_dir,
                PulumiStages(jobs, force, cache=not no_cache),
                bar,
                policy=LargeEstatePolicy(),
            )
            summary, blocking = run_summary(result), result.blocking
            summary.update(_reuse_counts(result.stacks))
    if as_json:
        echo_json(summary)
    else:
        _print_summary(summary)
    if blocking:
        sys.exit(EXIT_FINDINGS)


def _reuse_counts(stacks: Sequence[Any]) -> dict[str, int]:
    """How many stack previews were read back (content key unchanged) and how many ran."""
    reused = sum(1 for r in stacks if getattr(r, "reused", False))
    return {"reused": reused, "previewed": len(stacks) - reused}


def _print_summary(s: dict[str, Any]) -> None:
    if "collaboration" in s:
        names = ", ".join(f["force"] for f in s["forces"])
        click.echo(f"Collaboration {s['collaboration']}: {names}")
    d = s["decisions"]
    click.echo(
        f"Decisions: SaaS {d['SAAS']}, PaaS {d['PAAS']}, IaaS {d['IAAS']}, "
        f"retain {d['RETAIN']}, retire {d['RETIRE']}; {s['waves']} waves"
    )
    o = s["onprem"]
    click.echo(
        f"On-premise today: {o['servers']} servers, {o['monthly']:,.0f}/month, "
        f"{o['carbon_kgco2e'] / 1000:,.1f} tCO2e/year"
    )
    for c in s["clouds"]:
        click.echo(
            f"{c['cloud']} {c['region']}: {c['monthly']['payg']:,.0f} {c['currency']}"
            f"/month pay-as-you-go ({c['monthly']['three_year']:,.0f} with 3-year "
            f"commitments), {c['carbon_kgco2e'] / 1000:,.1f} tCO2e/year"
        )
    click.echo(
        f"Stacks: {len(s['stacks'])}; previewed offline: {s['resources_declared']:,} declared "
        f"resources ({s['cloud_resources']:,} cloud resources + {s['components']:,} components);"
        f" plan estimate ~{s['resources_estimated']:,}; {s['previewed']} previewed, "
        f"{s['reused']} reused (content key unchanged)"
    )
    g = s["guardrails"]
    state = "PASS" if not g["blocking"] else "FAIL"
    click.echo(
        f"Guardrails: {state} — {g['findings']} finding(s), {g['waived']} waived, "
        f"{g['blocking']} blocking"
    )
    files = ", ".join(f"{n} {status}" for status, n in sorted(s["files"].items()))
    click.echo(f"Project files: {files}")
    click.echo(f"Report: {s['report']}")
    for f in s.get("forces", ()):
        click.echo(f"  {f['force']}: {f['blocking']} blocking finding(s); report {f['report']}")
    stages = ", ".join(f"{stage} {sec:g} s" for stage, sec in s["stage_seconds"].items())
    click.echo(f"Took {s['seconds']:g} s: {stages}")
