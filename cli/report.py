"""`forcelift report DIR`: the architect's report, Markdown summary and decision spreadsheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forcelift.cli.options import output_format, output_option
from forcelift.cli.output import echo_json, handle_input_errors

if TYPE_CHECKING:
    from forcelift.migration.report.inputs import RegionalInputs


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
    type=click.Path(path_type=Path),
    help="Inventory file or folder for the dependency graph (repeatable); for a regional "
    "project SLUG=PATH per force. Default: the plan's sources, when they exist from here.",
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

    A regional project (`forcelift migrate --collaboration`) gets one report per force in
    report/<force>/, over that force's stacks, and the collaboration overview in
    report/index.html.

    Example:

    \b
        forcelift report out/exampleshire
        forcelift report out/exampleshire -o review --inventory inventories/exampleshire
        forcelift report out/northern-region --inventory eastdale=inventories/eastdale
    """
    from dataclasses import replace

    from forcelift.migration.report.inputs import RegionalInputs, read_inputs
    from forcelift.migration.report.write import write_report

    inputs = read_inputs(directory, as_of=as_of.date() if as_of else None)
    out = output or directory / "report"
    if isinstance(inputs, RegionalInputs):
        _regional_report(inputs, out, inventories, no_inventory, output_format)
        return
    inputs = replace(inputs, inventory=_inventory(inputs.plan.sources, inventories, no_inventory))
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


def _force_inventories(given: tuple[Path, ...], slugs: list[str]) -> dict[str, Path]:
    """`--inventory SLUG=PATH` pairs for a regional project (a bare path names no force)."""
    pairs: dict[str, Path] = {}
    for item in given:
        slug, sep, path = str(item).partition("=")
        if not sep or slug not in slugs:
            raise click.UsageError(
                f"--inventory {item}: a regional project takes SLUG=PATH, SLUG one of "
                + ", ".join(slugs)
            )
        pairs[slug] = Path(path)
    return pairs


def _regional_report(
    inputs: RegionalInputs,
    out: Path,
    given: tuple[Path, ...],
    no_inventory: bool,
    output_format: str,
) -> None:
    """report/<force>/ per force and the collaboration overview report/index.html."""
    from dataclasses import replace

    from forcelift.migration.report.regional import write_regional_report

    slugs = [p.force.slug for p in inputs.plan.forces]
    pairs = _force_inventories(given, slugs)
    per_force = {
        slug: replace(
            own,
            inventory=_inventory(
                own.plan.sources,
                (pairs[slug],) if slug in pairs else (),
                no_inventory,
            ),
        )
        for slug, own in inputs.per_force.items()
    }
    paths = write_regional_report(inputs.plan, per_force, out)
    if output_format == "json":
        echo_json(
            {
                "files": [str(p) for p in paths],
                "collaboration": inputs.plan.collaboration.name,
                "forces": {
                    slug: {
                        "previewed_stacks": sorted(own.previews),
                        "findings": len(own.findings),
                        "dependencies_from": "inventory" if own.inventory is not None else "plan",
                    }
                    for slug, own in per_force.items()
                },
            }
        )
        return
    for path in paths:
        click.echo(f"wrote {path}")
    drawn = [slug for slug, own in per_force.items() if own.inventory is None]
    if drawn:
        click.echo(
            "dependencies drawn from the plan's hybrid links (no inventory read) for "
            + ", ".join(drawn)
        )
