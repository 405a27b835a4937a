"""`forcelift inventory …`: read, validate, summarise, convert and synthesise inventories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from forcelift.cli.options import inventory_inputs
from forcelift.cli.output import echo_json, handle_input_errors, print_problems
from forcelift.migration.inventory.load import LoadResult, load_inventory
from forcelift.migration.inventory.workloads import GroupBy


def _load(paths: tuple[Path, ...], forced_format: str | None, group_by: str) -> LoadResult:
    return load_inventory(paths, forced_format=forced_format, group_by=GroupBy(group_by))


@click.group()
def inventory() -> None:
    """Read, validate, summarise and convert on-premise inventories.

    Formats are detected from content: native YAML/CSV, RVTools (xlsx or per-tab CSV), Azure
    Migrate (import CSV, discovery/assessment/software workbooks), AWS Migration Hub import
    CSV. Several PATHs merge into one inventory; a directory means the files in it.
    """


@inventory.command()
@inventory_inputs
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, not warnings.")
@handle_input_errors
def validate(
    paths: tuple[Path, ...], forced_format: str | None, group_by: str, quiet: bool
) -> None:
    """Check that PATH… read cleanly; list every error with file, sheet, row and column.

    Exit 0 when valid (warnings allowed), 2 on errors.

    Example:

        forcelift inventory validate rvtools.xlsx cmdb.csv dependencies.csv
    """
    result = _load(paths, forced_format, group_by)
    if not quiet:
        print_problems(result.warnings)
    inv = result.inventory
    click.echo(
        f"valid: {len(inv.servers)} servers, {len(inv.applications)} applications, "
        f"{len(inv.dependencies)} dependencies from {len(result.sources)} source(s)"
    )


def _show_table(summary: dict[str, Any], sources: list[tuple[str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    s, a, d = summary["servers"], summary["applications"], summary["dependencies"]
    title = f"Inventory of {summary['force']}" if summary["force"] else "Inventory"
    head = Table(title=title, show_header=False, box=None)
    head.add_row("Servers", f"{s['count']:,}")
    head.add_row("Cores", f"{s['cores']:,}")
    head.add_row("Memory", f"{s['memory_gib']:,} GiB")
    head.add_row(
        "Storage",
        f"{s['storage_provisioned_tib']:,} TiB provisioned, {s['storage_used_tib']:,} TiB used",
    )
    head.add_row("With utilisation", f"{s['with_utilisation']:,}")
    head.add_row("Applications", f"{a['count']:,}")
    head.add_row(
        "Dependencies", f"{d['count']:,} ({d['between_applications']:,} between applications)"
    )
    console.print(head)
    for label, counts in (
        ("Power state", s["power_state"]),
        ("OS family", s["os_family"]),
        ("Operating system", s["os"]),
        ("Classification", a["classification"]),
        ("Criticality", a["criticality"]),
        ("External dependencies", d["external"]),
    ):
        table = Table(title=label, title_justify="left")
        table.add_column(label)
        table.add_column("count", justify="right")
        for key, value in list(counts.items())[:15]:
            table.add_row(str(key), f"{value:,}")
        console.print(table)
    console.print("Sources: " + "; ".join(f"{f} ({fmt})" for f, fmt in sources))


@inventory.command()
@inventory_inputs
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@handle_input_errors
def show(paths: tuple[Path, ...], forced_format: str | None, group_by: str, as_json: bool) -> None:
    """Summarise an estate: servers, cores, RAM, storage, OS mix, applications, dependencies.

    Example:

        forcelift inventory show inventories/exampleshire --json
    """
    from forcelift.migration.inventory.summary import summarise

    result = _load(paths, forced_format, group_by)
    summary = summarise(result.inventory)
    if as_json:
        summary["sources"] = [{"file": f, "format": fmt} for f, fmt in result.sources]
        summary["warnings"] = [p.to_dict() for p in result.warnings]
        echo_json(summary)
        return
    print_problems(result.warnings)
    _show_table(summary, result.sources)


@inventory.command()
@inventory_inputs
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Native YAML file to write.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@handle_input_errors
def convert(
    paths: tuple[Path, ...], forced_format: str | None, group_by: str, output: Path, force: bool
) -> None:
    """Normalise PATH… into one native YAML inventory (written atomically).

    Example:

        forcelift inventory convert RVTools_export.xlsx cmdb.csv -o estate.yaml
    """
    from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

    result = _load(paths, forced_format, group_by)
    print_problems(result.warnings)
    write_atomic(output, inventory_to_yaml(result.inventory), force=force)
    inv = result.inventory
    click.echo(
        f"wrote {output}: {len(inv.servers)} servers, {len(inv.applications)} "
        f"applications, {len(inv.dependencies)} dependencies"
    )


@inventory.command()
def schema() -> None:
    """Print the JSON Schema of the native inventory format.

    Example:

        forcelift inventory schema > inventory.schema.json
    """
    from forcelift.migration.inventory.model import inventory_json_schema

    click.echo(json.dumps(inventory_json_schema(), indent=2, sort_keys=True))
