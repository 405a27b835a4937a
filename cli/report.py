"""`forcelift report DIR`: the architect's report, Markdown summary and decision spreadsheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from forcelift.cli.options import output_format, output_option
from forcelift.cli.output import echo_json, handle_input_errors


def _inventory(plan_sources: tuple[str, ...], given: tuple[Path, ...], skip: bool) -> Any:
    """The inventory for the dependency picture: --inventory, else the plan's own sources."""
    from forcelift.migration.inventory.load import load_inventory

    if skip:
        return None
    if given:
        return load_inventory(list(given)).inventory
    if plan_sources and all(Path(s).exists() for s in plan_sources):
        return load_inventory(list(plan_sources)).inventory
    return None


@click.command("report")
@click.argument(
    "directory", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@output_option("Folder for the report files (default: DIR/report).", file_okay=False)
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Inventory file or folder for the dependency graph (repeatable). Default: the "
    "plan's sources, when they exist from here.",
)
@click.option(
    "--no-inventory",
    is_flag=True,
    help="Draw dependencies from the plan's hybrid links only; read no inventory.",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date to judge waiver expiry against (default: the plan's as-of date).",
)
@output_format("text", "json")
@handle_input_errors
def report(
    directory: Path,
    output: Path | None,
    inventories: tuple[Path, ...],
    no_inventory: bool,
    as_of: dt.datetime | None,
    output_format: str,
) -> None:
    """Write the architect's report for a generated project DIR.

    Reads DIR/plan.yaml and the offline previews in DIR/preview/ (stacks without one are
    reported as "not previewed"), runs the guardrails, and writes index.html (one
    self-contained page: open it in any browser, print it, mail it), summary.md (for a
    pull-request comment), decisions.csv and decisions.xlsx. The same inputs give the same
    bytes. Exits 0 whatever the findings; `forcelift policy check` is the gate.

    Example:

    \b
        forcelift report out/exampleshire
        forcelift report out/exampleshire -o review --inventory inventories/exampleshire
    """
    from dataclasses import replace

    from forcelift.migration.report.inputs import read_inputs
    from forcelift.migration.report.write import write_report

    inputs = read_inputs(directory, as_of=as_of.date() if as_of else None)
    inputs = replace(inputs, inventory=_inventory(inputs.plan.sources, inventories, no_inventory))
    out = output or directory / "report"
    paths = write_report(inputs, out)
    if output_format == "json":
        echo_json(
            {
                "files": [str(p) for p in paths],
                "previewed_stacks": sorted(inputs.previews),
                "findings": len(inputs.findings),
                "dependencies_from": "inventory" if inputs.inventory is not None else "plan",
            }
        )
        return
    for path in paths:
        click.echo(f"wrote {path}")
    if inputs.inventory is None:
        click.echo("dependencies drawn from the plan's hybrid links (no inventory read)")
