"""`forcelift inventory …`: read, validate, summarise, convert and synthesise inventories."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forcelift.cli.options import inventory_inputs, output_format, output_option
from forcelift.cli.output import echo_json, handle_input_errors, print_problems
from forcelift.migration.inventory.load import LoadResult, load_inventory
from forcelift.migration.inventory.workloads import GroupBy

if TYPE_CHECKING:
    from forcelift.migration.inventory.model import Inventory


def _load(
    paths: tuple[Path, ...], input_format: str | None, group_by: str, strict: bool
) -> LoadResult:
    return load_inventory(
        paths, forced_format=input_format, group_by=GroupBy(group_by), strict=strict
    )


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
    paths: tuple[Path, ...], input_format: str | None, group_by: str, strict: bool, quiet: bool
) -> None:
    """Check that PATH… read cleanly; list every error with file, sheet, row and column.

    Exit 0 when valid (warnings allowed), 2 on errors.

    Example:

        forcelift inventory validate rvtools.xlsx cmdb.csv dependencies.csv
    """
    result = _load(paths, input_format, group_by, strict)
    if not quiet:
        print_problems(result.warnings)
    inv = result.inventory
    sharing = (
        f", {len(inv.partners)} partners, {len(inv.sharing)} sharing flows"
        if inv.partners or inv.sharing
        else ""
    )
    click.echo(
        f"valid: {len(inv.servers)} servers, {len(inv.applications)} applications, "
        f"{len(inv.dependencies)} dependencies{sharing} from {len(result.sources)} source(s)"
    )


def _sharing_summary(inv: Inventory) -> dict[str, Any]:
    """Partner and sharing-flow counts (ordered by count, then name, like the summary)."""

    def counts(values: list[str]) -> dict[str, int]:
        return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "partners": {
            "count": len(inv.partners),
            "kind": counts([p.kind.value for p in inv.partners]),
        },
        "sharing": {
            "count": len(inv.sharing),
            "without_agreement": sum(1 for f in inv.sharing if not f.agreement),
            "partner": counts([f.partner for f in inv.sharing]),
            "direction": counts([f.direction.value for f in inv.sharing]),
        },
    }


def _show_table(summary: dict[str, Any], sources: list[tuple[str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    s, a, d = summary["servers"], summary["applications"], summary["dependencies"]
    title = f"Inventory of {summary['force']}" if summary["force"] else "Inventory"
    head = Table(title=title, show_header=False, box=None)
    head.add_row("Servers", f"{s['count']:,}")
    if s["unsized"]:
        head.add_row(
            "Unsized",
            f"{s['unsized']:,} (CPU or memory unknown: not in Cores/Memory below; e.g. "
            + ", ".join(s["unsized_servers"][:5])
            + ")",
        )
    rows = summary["rows"]
    if rows["read"]:
        skipped = ", ".join(f"{n:,} {why}" for why, n in rows["skipped"].items())
        extra = f" ({skipped} skipped)" if skipped else ""
        head.add_row("Rows read", f"{rows['read']:,}{extra}")
    if s["with_assessment"]:
        head.add_row("With assessment", f"{s['with_assessment']:,}")
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
    p, f = summary["partners"], summary["sharing"]
    head.add_row("Partners", f"{p['count']:,}")
    head.add_row(
        "Sharing flows",
        f"{f['count']:,} ({f['without_agreement']:,} without an agreement reference)",
    )
    console.print(head)
    for label, counts in (
        ("Power state", s["power_state"]),
        ("OS family", s["os_family"]),
        ("Operating system", s["os"]),
        ("Classification", a["classification"]),
        ("Criticality", a["criticality"]),
        ("External dependencies", d["external"]),
        ("Partner kind", p["kind"]),
        ("Flows by partner", f["partner"]),
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
@output_format("table", "json")
@handle_input_errors
def show(
    paths: tuple[Path, ...],
    input_format: str | None,
    group_by: str,
    strict: bool,
    output_format: str,
) -> None:
    """Summarise an estate: servers, cores, RAM, storage, OS mix, applications, dependencies,
    partners and sharing flows.

    Example:

        forcelift inventory show inventories/exampleshire --json
    """
    from forcelift.migration.inventory.summary import summarise

    result = _load(paths, input_format, group_by, strict)
    summary = summarise(result.inventory, result.counts)
    summary.update(_sharing_summary(result.inventory))
    if output_format == "json":
        summary["sources"] = [{"file": f, "format": fmt} for f, fmt in result.sources]
        summary["warnings"] = [p.to_dict() for p in result.warnings]
        echo_json(summary)
        return
    print_problems(result.warnings)
    _show_table(summary, result.sources)


@inventory.command()
@inventory_inputs
@output_option("Native YAML file to write.", required=True)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@handle_input_errors
def convert(
    paths: tuple[Path, ...],
    input_format: str | None,
    group_by: str,
    strict: bool,
    output: Path,
    force: bool,
) -> None:
    """Normalise PATH… into one native YAML inventory (written atomically).

    Example:

        forcelift inventory convert RVTools_export.xlsx cmdb.csv -o estate.yaml
    """
    from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

    result = _load(paths, input_format, group_by, strict)
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


_SYNTH_FORMATS = ("rvtools-xlsx", "rvtools-csv", "native-yaml")


def _synth_format(output: Path, chosen: str | None) -> str:
    """The --format given, else one implied by OUTPUT: .xlsx, .yaml/.yml, or a directory."""
    from forcelift.migration.errors import InputError, Location

    if chosen:
        return chosen
    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        return "rvtools-xlsx"
    if suffix in (".yaml", ".yml"):
        return "native-yaml"
    if not suffix:
        return "rvtools-csv"
    raise InputError(
        f"cannot tell the output format from {output.name!r}",
        Location(file=str(output)),
        hint="pass --format " + "|".join(_SYNTH_FORMATS),
    )


@inventory.command()
@click.option(
    "--servers", type=click.IntRange(1, 1_000_000), required=True, help="Number of servers."
)
@click.option(
    "--seed", type=int, required=True, help="Random seed: the same seed gives the same estate."
)
@output_option("File to write (a directory for rvtools-csv).", required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_SYNTH_FORMATS),
    default=None,
    help="Output format; default from OUTPUT (.xlsx, .yaml, or a directory for CSV).",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@handle_input_errors
def synth(servers: int, seed: int, output: Path, output_format: str | None, force: bool) -> None:
    """Write a deterministic synthetic police estate, for scale work and demos.

    About one application per five servers with policing names, a Windows/Linux mix with
    some out-of-support systems, dependencies on PNC, PSN and Microsoft 365. As an RVTools
    workbook or per-tab CSV set (VMs carry Application and owner custom attributes), or as
    native YAML with applications and dependencies.

    Example:

        forcelift inventory synth --servers 100000 --seed 1 -o estate.xlsx
    """
    from forcelift.migration.errors import InputError, Location
    from forcelift.migration.inventory.synth import synthesise

    fmt = _synth_format(output, output_format)
    if fmt == "rvtools-csv":
        taken = output.is_file() or (output.is_dir() and any(output.glob("RVTools_tab*.csv")))
    else:
        taken = output.exists()
    if taken and not force:
        raise InputError(
            "refusing to overwrite an existing file",
            Location(file=str(output)),
            hint="pass --force to replace it",
        )
    if fmt == "rvtools-csv" and output.is_file():
        raise InputError("rvtools-csv writes a directory; this is a file", Location(str(output)))
    estate = synthesise(servers, seed)
    if fmt == "rvtools-xlsx":
        from forcelift.migration.inventory.export.rvtools import write_rvtools_xlsx

        write_rvtools_xlsx(estate, output)
    elif fmt == "rvtools-csv":
        from forcelift.migration.inventory.export.rvtools import write_rvtools_csv

        write_rvtools_csv(estate, output)
    else:
        from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

        write_atomic(output, inventory_to_yaml(estate), force=force)
    click.echo(
        f"wrote {output} ({fmt}): {len(estate.servers)} servers, "
        f"{len(estate.applications)} applications, {len(estate.dependencies)} dependencies"
    )
