"""`forcelift policy …`: guardrails over the offline preview, SARIF, and the CrossGuard pack."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from forcelift.cli.options import output_format, output_option, waiver_date
from forcelift.cli.output import EXIT_FINDINGS, echo_json, handle_input_errors
from forcelift.migration.errors import InputError, Location


@click.group()
def policy() -> None:
    """Security guardrails: check previews, list rules, write the CrossGuard pack."""


def _load_previews(target: Path, stack: str | None) -> list[dict[str, Any]]:
    """Preview graphs from DIR/preview/*.json (written by `forcelift preview`) or one file."""
    files = sorted((target / "preview").glob("*.json")) if target.is_dir() else [target]
    if not files or not all(f.exists() for f in files):
        raise InputError(
            "no offline preview found",
            Location(file=str(target)),
            hint="run `forcelift preview DIR` first",
        )
    previews = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read preview: {exc}", Location(file=str(file))) from exc
        for item in data.get("stacks", [data]):
            if stack is None or item.get("stack") == stack:
                previews.append(item)
    if stack is not None and not previews:
        raise InputError(f"no stack named {stack!r} in the preview", Location(file=str(target)))
    return previews


def _refuse_stale(project: Path, stack: str | None) -> None:
    """Every stack of the project (or the one --stack names) needs a current preview: a
    half-finished or out-of-date run must not pass as "no findings"."""
    from forcelift.stacks.deploy import stale_preview_problems

    problems = stale_preview_problems(project, [stack] if stack else [])
    if problems:
        raise InputError(problems)


def _check(target: Path, graphs: list[Any], today: dt.date) -> tuple[list[Any], list[Any]]:
    """Findings with each stack's waivers applied (a regional project's are per force, in its
    member plan), and every waiver of the project (to report the expired ones)."""
    from forcelift.migration.policy.check import check
    from forcelift.stacks.deploy import load_waivers, waivers_by_stack

    project = target if target.is_dir() else target.parent
    by_stack = waivers_by_stack(project, sorted({g.stack for g in graphs}))
    findings = [f for g in graphs for f in check([g], by_stack[g.stack], today)]
    return findings, load_waivers(project)


@policy.command("check")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--stack", default=None, help="Check only this stack.")
@output_format("table", "json", "sarif")
@output_option("Write the report here instead of standard output.")
@waiver_date
@handle_input_errors
def check_command(
    target: Path,
    stack: str | None,
    output_format: str,
    output: Path | None,
    as_of: dt.datetime | None,
) -> None:
    """Run the guardrails on the offline preview of a generated project DIR.

    Exit 1 when an unwaived finding of severity high or critical is found.

    Example:

        forcelift policy check out/exampleshire --format sarif -o guardrails.sarif
    """
    from forcelift.migration.policy.check import blocking, expired_waivers
    from forcelift.migration.policy.graph import ResourceGraph
    from forcelift.migration.policy.rules import GUARDRAILS
    from forcelift.migration.policy.sarif import to_sarif

    today = as_of.date() if as_of else dt.date.today()
    if target.is_dir() and (target / "Pulumi.yaml").is_file():
        _refuse_stale(target, stack)
    graphs = [ResourceGraph.from_preview(p) for p in _load_previews(target, stack)]
    findings, waivers = _check(target, graphs, today)
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
