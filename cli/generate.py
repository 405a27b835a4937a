"""`forcelift generate PLAN -o DIR`: the Pulumi project and CI pipelines for a plan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from forcelift.cli.options import output_format, output_option
from forcelift.cli.output import EXIT_FINDINGS, echo_json, handle_input_errors

if TYPE_CHECKING:
    from forcelift.stacks.project_writer import FileOutcome

_STYLE = {"created": "green", "updated": "yellow", "unchanged": None, "stale": "magenta"}


@click.command("generate")
@click.argument("plan_file", metavar="PLAN", type=click.Path(path_type=Path, dir_okay=False))
@output_option(
    "Project directory to write (created if missing).",
    dest="out_dir",
    file_okay=False,
    required=True,
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files forcelift did not write (stack config values are still kept).",
)
@click.option(
    "--ci/--no-ci",
    default=True,
    show_default=True,
    help="Write the GitHub Actions and Azure DevOps pipelines (--no-ci to keep your own).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if any file would be created or updated (for CI drift checks).",
)
@click.option(
    "--forcelift-requirement",
    "requirement",
    default=None,
    metavar="REQUIREMENT",
    help="requirements.txt's forcelift line, e.g. 'forcelift[pulumi] @ git+https://…@v0.1.0'. "
    "Default: a wheel of this forcelift written to vendor/ and referenced as "
    "./vendor/forcelift-<version>-py3-none-any.whl[pulumi].",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 256),
    default=None,
    metavar="N",
    help="Preview the wave stacks in N parallel CI jobs on a pull request (default: one per "
    "20,000 estimated resources of a cloud's wave stacks, at most 256).",
)
@output_format("table", "json")
@handle_input_errors
def generate(
    plan_file: Path,
    out_dir: Path,
    force: bool,
    ci: bool,
    check: bool,
    requirement: str | None,
    shards: int | None,
    output_format: str,
) -> None:
    """Write the Pulumi project for PLAN into DIR: Pulumi.yaml, __main__.py, requirements.txt,
    one Pulumi.<stack>.yaml per stack, a copy of the plan, a README for the platform engineer,
    and per cloud a GitHub Actions workflow and an Azure DevOps pipeline.

    PLAN may be a regional plan (`forcelift plan --collaboration`): one project for all its
    forces, each force's own plan in plans/<force>.yaml, which its stacks read.

    Deterministic: the same plan gives byte-identical files, and a re-run reports every file
    unchanged. Files without forcelift's marker are never overwritten (unless --force); values
    set with `pulumi config set` in Pulumi.<stack>.yaml are kept.

    Example:

        forcelift generate plan.yaml -o out/exampleshire
    """
    from importlib.metadata import version

    from forcelift.migration.plan.regional_io import load_plan_document
    from forcelift.stacks.generate import (
        member_plans,
        project_force,
        render_project,
        warnings_for,
    )
    from forcelift.stacks.project_writer import write_project

    plan = load_plan_document(plan_file)  # one force's plan, or a regional plan
    files = render_project(
        plan,
        version=version("forcelift"),
        ci=ci,
        source=str(plan_file),
        requirement=requirement,
        shards=shards,
    )
    outcomes = write_project(files, out_dir, force=force, dry_run=check, vendor=requirement is None)
    warnings = warnings_for(plan, files)
    changed = [o for o in outcomes if o.status in ("created", "updated")]
    if output_format == "json":
        echo_json(
            {
                "directory": str(out_dir),
                "project": f"forcelift-{project_force(plan).slug}",
                "stacks": [s.name for p in member_plans(plan) for c in p.clouds for s in c.stacks],
                "files": [o.to_dict() for o in outcomes],
                "warnings": warnings,
                "written": not check,
            }
        )
    else:
        _print_table(outcomes, out_dir, plan_file, check)
        for warning in warnings:
            click.secho(f"warning: {warning}", fg="yellow", err=True)
    if check and changed:
        raise SystemExit(EXIT_FINDINGS)


def _print_table(
    outcomes: Sequence[FileOutcome], out_dir: Path, plan_file: Path, check: bool
) -> None:
    note = " (check only: nothing written)" if check else ""
    click.echo(f"Pulumi project from {plan_file} in {out_dir}{note}:")
    for outcome in outcomes:
        status = click.style(f"{outcome.status:9}", fg=_STYLE[outcome.status])
        detail = f"  ({outcome.detail})" if outcome.detail else ""
        click.echo(f"  {status}  {outcome.path}{detail}")
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in _STYLE}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items() if n) + ".")
    if not check:
        click.echo(
            f"Next: {out_dir / 'README.md'} (install, state backend, secrets, deploy order)."
        )
