"""`forcelift policy …`: guardrails over the offline preview, SARIF, and the CrossGuard pack."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from forcelift.cli.options import output_format, output_option, waiver_date
from forcelift.cli.output import EXIT_FINDINGS, echo_json, handle_input_errors
from forcelift.cli.stack_selection import Selection, stack_selection
from forcelift.migration.errors import InputError, Location


@click.group()
def policy() -> None:
    """Security guardrails: check previews, list rules, write the CrossGuard pack."""


def _preview_files(target: Path) -> list[Path]:
    """A project's or a downloaded shard artifact's DIR/preview/*.json, a directory of
    previews, or one file."""
    if not target.is_dir():
        return [target]
    inner = target / "preview"
    return sorted((inner if inner.is_dir() else target).glob("*.json"))


def _load_previews(targets: Sequence[Path], names: list[str] | None) -> dict[str, dict[str, Any]]:
    """Each stack's preview graph (from the first target that has one; `names`: only these),
    by stack, in the order found."""
    previews: dict[str, dict[str, Any]] = {}
    for target in targets:
        files = _preview_files(target)
        if not files and not _is_project(target):
            raise InputError(
                "no offline preview found",
                Location(file=str(target)),
                hint="run `forcelift preview DIR` first",
            )
        for file in files:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"cannot read preview: {exc}", Location(file=str(file))) from exc
            for index, item in enumerate(data.get("stacks", [data])):
                stack = str(item.get("stack") or f"{file}#{index}")  # unnamed: each counts
                if names is None or stack in names:
                    previews.setdefault(stack, item)
    return previews


def _is_project(target: Path) -> bool:
    return target.is_dir() and (target / "Pulumi.yaml").is_file()


def _refuse_stale(project: Path, names: list[str] | None, given: set[str]) -> None:
    """Every selected stack of the project needs a current preview (a half-finished or
    out-of-date run must not pass as "no findings"), unless another TARGET gave it."""
    from forcelift.stacks.deploy import stale_preview_problems
    from forcelift.stacks.project_reader import read_project

    wanted = names if names is not None else [s.name for s in read_project(project).stacks]
    todo = [n for n in wanted if n not in given]
    problems = stale_preview_problems(project, todo) if todo else []
    if problems:
        raise InputError(problems)


def _check(target: Path, graphs: list[Any], today: dt.date) -> tuple[list[Any], list[Any]]:
    """Findings with each stack's waivers applied (a regional project's are per force, in its
    member plan), and every waiver of the project (to report the expired ones).

    With a plan, the plan-aware sharing rules run too (check.with_plan): each stack is judged
    against its force's plan, and each force's plan entries once, with that force's waivers.
    """
    from forcelift.migration.policy.check import check, with_plan
    from forcelift.stacks.deploy import load_waivers, plans_by_stack, waivers_by_stack

    project = target if target.is_dir() else target.parent
    stacks = sorted({g.stack for g in graphs})
    by_stack = waivers_by_stack(project, stacks)
    plans = plans_by_stack(project, stacks)
    unplanned = [s for s in stacks if plans[s] is None]
    if unplanned and (project / "plan.yaml").is_file():
        click.secho(
            f"the plan does not load for {', '.join(unplanned)}: the sharing rules judge "
            "them without its facts (run `forcelift plan show` on it to see why)",
            fg="yellow",
            err=True,
        )
    findings = []
    groups: dict[int, list[Any]] = {}
    for graph in graphs:
        plan = plans.get(graph.stack)
        if plan is None:
            findings.extend(check([graph], by_stack[graph.stack], today))
        else:
            groups.setdefault(id(plan), []).append(graph)
    for members in groups.values():
        plan = plans[members[0].stack]
        for graph in with_plan(members, plan):
            # the plan's own graph takes its force's waivers (any of its stacks has them)
            waivers = by_stack.get(graph.stack, by_stack[members[0].stack])
            findings.extend(check([graph], waivers, today))
    return findings, load_waivers(project)


@policy.command("check")
@click.argument(
    "targets",
    metavar="TARGET...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@stack_selection("Check", "Check only this stack.")
@output_format("table", "json", "sarif")
@output_option("Write the report here instead of standard output.")
@waiver_date
@handle_input_errors
def check_command(
    targets: tuple[Path, ...],
    selection: Selection,
    output_format: str,
    output: Path | None,
    as_of: dt.datetime | None,
) -> None:
    """Run the guardrails on the offline preview of a generated project DIR.

    Exit 1 when an unwaived finding of severity high or critical is found.

    Several TARGETs give one report: the project and the preview directories of CI shards
    (downloaded artifacts holding preview/, or preview/ itself). Each stack counts once (its
    first preview), and findings are one per rule and resource. The project's own previews
    must be current; previews from the other directories are taken as they are. --cloud,
    --layer and --shard need the project among the TARGETs.

    Example:

        forcelift policy check out/exampleshire --format sarif -o guardrails.sarif

        forcelift policy check . shard-1/ shard-2/ --format sarif -o guardrails.sarif
    """
    from forcelift.migration.policy.check import blocking, expired_waivers
    from forcelift.migration.policy.graph import ResourceGraph
    from forcelift.migration.policy.rules import GUARDRAILS
    from forcelift.migration.policy.sarif import merge_findings, to_sarif

    today = as_of.date() if as_of else dt.date.today()
    project = next((t for t in targets if _is_project(t)), None)
    if project is None and selection.narrowed:
        raise click.UsageError("--cloud, --layer and --shard need the project among the TARGETs")
    names = selection.names(project) if project is not None else selection.names(targets[0])
    others = [t for t in targets if t != project]
    given = set(_load_previews(others, names)) if project is not None else set()
    if project is not None:
        _refuse_stale(project, names, given)
    previews = _load_previews(targets, names)
    if selection.stack is not None and not previews:
        raise InputError(
            f"no stack named {selection.stack!r} in the preview", Location(file=str(targets[0]))
        )
    if not previews and names != []:
        raise InputError(
            "no offline preview found",
            Location(file=str(targets[0])),
            hint="run `forcelift preview DIR` first",
        )
    graphs = [ResourceGraph.from_preview(p) for p in previews.values()]
    findings, waivers = _check(project or targets[0], graphs, today)
    findings = merge_findings(findings)
    if output_format == "sarif":
        from importlib.metadata import version

        text = json.dumps(
            to_sarif(findings, GUARDRAILS, version=version("forcelift")), indent=2, sort_keys=True
        )
    elif output_format == "json":
        text = json.dumps(
            {
                "findings": [f.to_dict() for f in findings],
                "expired_waivers": [
                    w.rule + " " + w.resource for w in expired_waivers(waivers, today)
                ],
            },
            indent=2,
            sort_keys=True,
        )
    else:
        text = _table(findings, len(graphs))
    if output:
        from forcelift.migration.inventory.writer import write_atomic

        write_atomic(output, text + "\n", force=True)
    else:
        click.echo(text)
    for waiver in expired_waivers(waivers, today):
        click.secho(
            f"waiver for {waiver.rule} on {waiver.resource} expired {waiver.expires}",
            fg="yellow",
            err=True,
        )
    if blocking(findings):
        raise SystemExit(EXIT_FINDINGS)


def _table(findings: list[Any], stacks: int) -> str:
    if not findings:
        return f"No guardrail findings in {stacks} stack(s)."
    lines = [f"{len(findings)} finding(s) in {stacks} stack(s):"]
    for f in sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id, f.urn)):
        mark = " (waived)" if f.waived else ""
        lines.append(f"  {f.severity.value.upper():8} {f.rule_id} {f.stack}: {f.message}{mark}")
        lines.append(f"           {f.urn}")
        lines.append(f"           fix: {f.remediation}")
    return "\n".join(lines)


@policy.command("rules")
@output_format("table", "json")
def rules_command(output_format: str) -> None:
    """List the guardrails with severity and NCSC Cloud Security Principles.

    Example:

        forcelift policy rules --format json
    """
    from forcelift.migration.policy.model import NCSC_PRINCIPLES
    from forcelift.migration.policy.rules import GUARDRAILS

    if output_format == "json":
        echo_json(
            [
                {
                    "id": r.id,
                    "title": r.title,
                    "severity": r.severity.value,
                    "remediation": r.remediation,
                    "ncsc_principles": list(r.principles),
                }
                for r in GUARDRAILS
            ]
        )
        return
    for rule in GUARDRAILS:
        principles = ", ".join(f"{p} {NCSC_PRINCIPLES[p]}" for p in rule.principles)
        click.echo(f"{rule.id}  {rule.severity.value:8}  {rule.title}  [NCSC {principles}]")


@policy.command("pack")
@output_option("Directory to write the policy pack into.", required=True)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@handle_input_errors
def pack_command(output: Path, force: bool) -> None:
    """Write the guardrails as a Pulumi CrossGuard policy pack.

    Use it with `pulumi preview --policy-pack DIR` where the Pulumi CLI exists; it calls the
    same rule functions as `forcelift policy check`.

    Example:

        forcelift policy pack -o policy-pack
    """
    from importlib.metadata import version

    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.migration.policy.crossguard import pack_files

    files = pack_files(version("forcelift"))
    clashes = [name for name in files if (output / name).exists()]
    if clashes and not force:
        raise InputError(
            f"refusing to overwrite {', '.join(clashes)}",
            Location(file=str(output)),
            hint="pass --force to replace them",
        )
    for name, content in files.items():
        write_atomic(output / name, content, force=True)
    click.echo(f"wrote policy pack to {output} ({len(files)} files)")
