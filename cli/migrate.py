"""`forcelift migrate`: inventory to reviewed stacks and the architect's report, in one run."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import click

from forcelift.cli.options import inventory_inputs
from forcelift.cli.output import (
    EXIT_FINDINGS,
    echo_json,
    ensure_writable,
    handle_input_errors,
    note_finished,
    print_problems,
)
from forcelift.cli.plan import build_from_options, plan_options

STAGES = ("read", "classify", "plan", "generate", "preview", "guardrails", "report")
DESCRIPTIONS = {
    "read": "reading the inventory",
    "classify": "classifying workloads",
    "plan": "planning waves, sizes, cost and carbon",
    "generate": "generating the Pulumi project",
    "preview": "previewing stacks (Pulumi mock runtime)",
    "guardrails": "checking guardrails",
    "report": "writing the report",
    "done": "done",
}


class _StageClock:
    """Moves the stage bar and times each stage (the summary prints the seconds)."""

    def __init__(self, progress: Any, task: Any) -> None:
        self.progress = progress
        self.task = task
        self.seconds: dict[str, float] = {}
        self._current: str | None = None
        self._since = time.perf_counter()

    def start(self, stage: str) -> None:
        now = time.perf_counter()
        if self._current is not None:
            self.seconds[self._current] = round(now - self._since, 1)
            self.progress.advance(self.task)
            note_finished("finished " + ", ".join(self.seconds))
        self._current, self._since = stage, now
        self.progress.update(self.task, description=DESCRIPTIONS[stage])


@click.command()
@inventory_inputs
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
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (for CI).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no inventory warnings.")
@handle_input_errors
def migrate(
    paths,
    forced_format,
    group_by,
    out_dir: Path,
    jobs: int | None,
    force: bool,  # type: ignore[no-untyped-def]
    as_json: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Read → classify → plan → generate → offline preview → guardrails → report.

    Writes OUT/plan.yaml, the Pulumi project (Pulumi.yaml, one Pulumi.<stack>.yaml per
    stack, CI pipelines, README), OUT/preview/<stack>.json and OUT/report/ (index.html,
    summary.md, decisions.csv, decisions.xlsx). Re-running with the same input changes no
    file. Exit 0 when clean, 1 when guardrails find high or critical problems, 2 on bad input.

    Example:

        forcelift migrate inventories/exampleshire --cloud azure --out out/exampleshire
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    ensure_writable(out_dir)  # before minutes of planning, not after
    console = Console(stderr=True, quiet=quiet or as_json)
    started = time.perf_counter()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    clock = _StageClock(progress, progress.add_task("forcelift migrate", total=len(STAGES)))
    with progress:
        planned = build_from_options(
            paths, forced_format, group_by, on_stage=clock.start, **options
        )
        if not quiet and not as_json:
            progress.stop()
            print_problems(list(planned.warnings), limit=20)
            progress.start()

        clock.start("generate")
        outcomes = _generate(planned.plan, out_dir, force)

        clock.start("preview")
        stack_names = [s.name for c in planned.plan.clouds for s in c.stacks]
        previews_task = progress.add_task("previewing stacks offline", total=len(stack_names))
        preview = _preview(out_dir, jobs, lambda _name: progress.advance(previews_task))

        clock.start("guardrails")
        from forcelift.migration.policy.check import blocking
        from forcelift.migration.report.inputs import guardrail_findings, read_previews

        previews = read_previews(out_dir)
        findings = guardrail_findings(planned.plan, previews)

        clock.start("report")
        from forcelift.migration.report.inputs import ReportInputs
        from forcelift.migration.report.write import write_report

        write_report(
            ReportInputs(planned.plan, previews, findings, planned.inventory), out_dir / "report"
        )
        clock.start("done")

    summary = _summary(
        planned,
        outcomes,
        preview,
        findings,
        blocking(findings),
        out_dir,
        time.perf_counter() - started,
        clock.seconds,
    )
    if as_json:
        echo_json(summary)
    else:
        _print_summary(summary)
    if summary["guardrails"]["blocking"]:
        sys.exit(EXIT_FINDINGS)


def _generate(plan: Any, out_dir: Path, force: bool) -> list[Any]:
    from importlib.metadata import version

    from forcelift.stacks.generate import render_project
    from forcelift.stacks.plan_slice import prime_plan_cache
    from forcelift.stacks.project_writer import write_project

    files = render_project(plan, version=version("forcelift"), ci=True, source="plan.yaml")
    outcomes = write_project(files, out_dir, force=force, vendor=True)
    prime_plan_cache(out_dir / "plan.yaml", plan)  # the preview need not parse it again
    return outcomes


def _preview(out_dir: Path, jobs: int | None, on_done: Any) -> Any:
    from forcelift.stacks.preview import preview_project

    # resume: a re-run after an interrupt keeps the previews that are still current
    return preview_project(out_dir, jobs=jobs, on_done=on_done, resume=True)


def _summary(
    planned: Any,
    outcomes: list[Any],
    preview: Any,
    findings: list[Any],
    blocking: list[Any],
    out_dir: Path,
    seconds: float,
    timings: dict[str, float],
) -> dict[str, Any]:
    from forcelift.migration.plan.summary import plan_summary

    plan_digest = plan_summary(planned.plan)
    severities = Counter(f.severity.value for f in findings if not f.waived)
    return {
        "out": str(out_dir),
        "seconds": round(seconds, 1),
        "stage_seconds": timings,
        "decisions": plan_digest["decisions"],
        "waves": len(planned.plan.waves),
        "onprem": plan_digest["onprem"],
        "clouds": [
            {k: c[k] for k in ("cloud", "region", "monthly", "annual", "currency", "carbon_kgco2e")}
            for c in plan_digest["clouds"]
        ],
        "stacks": [
            {"stack": r.stack, "resources": r.resources, "cloud_resources": r.cloud_resources}
            for r in preview.stacks
        ],
        # Three counts, named (docs/migrate.md): what the previews declare (components
        # included), the cloud resources among them, and the plan's estimate.
        "resources": sum(r.resources for r in preview.stacks),
        "resources_declared": sum(r.resources for r in preview.stacks),
        "cloud_resources": sum(r.cloud_resources for r in preview.stacks),
        "components": sum(r.components for r in preview.stacks),
        "resources_estimated": sum(
            s.estimated_resources for c in planned.plan.clouds for s in c.stacks
        ),
        "files": dict(Counter(o.status for o in outcomes)),
        "guardrails": {
            "findings": len(findings),
            "waived": sum(f.waived for f in findings),
            "by_severity": dict(sorted(severities.items())),
            "blocking": len(blocking),
        },
        "report": str(out_dir / "report" / "index.html"),
    }


def _print_summary(s: dict[str, Any]) -> None:
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
        f" plan estimate ~{s['resources_estimated']:,}"
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
    stages = ", ".join(f"{stage} {sec:g} s" for stage, sec in s["stage_seconds"].items())
    click.echo(f"Took {s['seconds']:g} s: {stages}")
