"""`forcelift classify …`: a SaaS/PaaS/IaaS/retain/retire decision for every workload, and why.

`forcelift classify INVENTORY…` classifies (the `run` subcommand is the default, so it need not
be typed); `forcelift classify explain APP INVENTORY…` shows every rule evaluated for one
application. As everywhere, `--format` chooses the output and `--input-format` the
inventories' format (cli/options.py).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from forcelift.cli.options import DefaultGroup, F, core_inputs, output_format, output_option
from forcelift.cli.output import echo_json, handle_input_errors, print_problems

if TYPE_CHECKING:
    from rich.table import Table

    from forcelift.migration.classify.model import ClassificationResult
    from forcelift.migration.pipeline import Inputs


def _paths_optional(func: F) -> F:
    """`classify --evaluate LABELS` may name no inventory (the set can be self-contained)."""
    for param in getattr(func, "__click_params__", []):
        if isinstance(param, click.Argument) and param.name == "paths":
            param.required = False
    return func


@click.group(cls=DefaultGroup)
def classify() -> None:
    """Decide SaaS, PaaS, IaaS, retain or retire for every application, and say why.

    Each decision comes with the 7-Rs strategy, Azure and AWS targets, confidence, effort,
    the rules that fired, reasons and blockers (PSN connectivity, unsupported OS, ...).
    Architects pin decisions with --overrides; `explain` shows every rule for one
    application; --evaluate measures agreement with a labelled set.

    Examples:

        forcelift classify inventories/exampleshire

        forcelift classify inventories/exampleshire --format json -o classification.json

        forcelift classify explain "Niche RMS" inventories/exampleshire

        forcelift classify --evaluate tests/classify/data/labelled.yaml
    """


@classify.command("run")
@_paths_optional
@core_inputs
@output_format("table", "json", "csv")
@output_option("Write here.", dir_okay=False)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option(
    "--evaluate",
    "labels",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Labelled set to measure agreement against (INVENTORY optional when the set is "
    "self-contained).",
)
@click.option(
    "--min-agreement",
    type=click.FloatRange(0, 100),
    default=None,
    help="With --evaluate: exit 1 when agreement (percent) is below this.",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print inventory warnings.")
@handle_input_errors
def run(
    inputs: Inputs,
    output_format: str,
    output: Path | None,
    force: bool,
    labels: Path | None,
    min_agreement: float | None,
    quiet: bool,
) -> None:
    """Classify every application of INVENTORY… (the default `classify` command).

    Example:

        forcelift classify run inventories/exampleshire --format csv -o decisions.csv
    """
    from forcelift.cli.process import LargeEstatePolicy
    from forcelift.migration.classify.render import to_csv, to_json
    from forcelift.migration.pipeline import prepare

    if labels is not None:
        if inputs.rules is not None:
            raise click.UsageError("--evaluate measures every built-in rule; drop --rules")
        _evaluate(labels, inputs, output_format, quiet, min_agreement)
        return
    if not inputs.paths:
        raise click.UsageError("give at least one INVENTORY path (or --evaluate LABELS)")
    policy = LargeEstatePolicy()
    with policy.working():
        prepared = prepare(inputs)
    if not quiet:
        print_problems(prepared.warnings)
    policy.loaded()
    with policy.working():
        result = prepared.classifier.classify(prepared.inventory, prepared.pinned)
    if output is None and output_format == "table":
        _print_table(result)
        return
    if output_format == "json":
        text = to_json(result)
    elif output_format == "csv":
        text = to_csv(result)
    else:
        text = _table_text(result)
    if output is None:
        click.echo(text, nl=False)
        return
    from forcelift.migration.inventory.writer import write_atomic

    write_atomic(output, text, force=force)
    counts = ", ".join(f"{n} {d}" for d, n in result.counts.items())
    click.echo(f"wrote {output}: {len(result.classifications)} applications ({counts})")


def _evaluate(
    labels: Path,
    inputs: Inputs,
    output_format: str,
    quiet: bool,
    min_agreement: float | None,
) -> None:
    """Agreement with a labelled set; the inventory, when given, is read as `classify` does,
    on the labelled set's date unless --as-of says otherwise."""
    from forcelift.migration.classify.catalogue import load_catalogue
    from forcelift.migration.classify.evaluate import evaluate, load_labels
    from forcelift.migration.classify.render import evaluation_text
    from forcelift.migration.pipeline import prepare

    cases, labelled_as_of = load_labels(labels)
    date = inputs.as_of or labelled_as_of or dt.date.today()
    inventory = None
    if inputs.paths:
        prepared = prepare(replace(inputs, overrides=None, as_of=date))
        if not quiet:
            print_problems(prepared.warnings)
        inventory, catalogue = prepared.inventory, prepared.classifier.catalogue
    else:
        catalogue = load_catalogue(inputs.catalogue)
    report = evaluate(cases, as_of=date, catalogue=catalogue, inventory=inventory)
    if output_format == "json":
        echo_json(report.to_dict())
    else:
        click.echo(evaluation_text(report), nl=False)
    if min_agreement is not None and report.agreement * 100 < min_agreement:
        click.secho(
            f"agreement {report.agreement:.1%} is below {min_agreement:g}%", fg="red", err=True
        )
        raise SystemExit(1)


NARROW_BELOW = 120  # columns; narrower terminals get the three-column layout


def _rich_table(result: ClassificationResult, width: int = 200) -> Table:
    """The classification table; below NARROW_BELOW columns a three-column layout (the eight
    columns cannot fit 80 columns without truncating headers). Cells wrap, never truncate."""
    from rich.table import Table

    from forcelift.migration.classify.model import Decision

    narrow = width < NARROW_BELOW
    title = f"Classification of {result.force}" if result.force else "Classification"
    table = Table(
        title=f"{title} (as of {result.as_of})",
        show_lines=True,
        title_justify="left",
        expand=narrow,
    )
    columns: tuple[tuple[str, dict[str, object]], ...]
    if narrow:
        columns = (("Application", {"ratio": 2}), ("Decision", {}), ("Details", {"ratio": 5}))
    else:
        columns = (
            ("Application", {"ratio": 2}),
            ("Decision", {}),
            ("Strategy", {}),
            ("Target (Azure / AWS)", {"ratio": 3}),
            ("Conf.", {}),
            ("Effort", {"justify": "center"}),
            ("Why", {"ratio": 4}),
            ("Blockers", {"ratio": 4}),
        )
    for name, kwargs in columns:
        longest = max(len(word) for word in name.split())
        table.add_column(name, min_width=longest, overflow="fold", **kwargs)  # type: ignore[arg-type]
    order = {d: i for i, d in enumerate(Decision)}
    rows = sorted(
        result.classifications, key=lambda c: (order[c.decision], c.application.casefold())
    )
    for c in rows:
        targets = (
            c.targets.azure
            if c.targets.azure == c.targets.aws
            else f"Azure: {c.targets.azure}\nAWS: {c.targets.aws}"
        )
        why = c.reasons[0] if c.reasons else ""
        if c.override:
            why = f"OVERRIDE ({c.override.by}): {c.override.reason}"
        extra = len(c.reasons) - 1
        if extra > 0:
            why += f"\n(+{extra} more: forcelift classify explain)"
        notes = [f"• {b}" for b in c.blockers] + [f"⚠ {x}" for x in c.conflicts]
        if narrow:
            details = [
                f"{c.strategy.value}; confidence {c.confidence.value}; effort {c.effort.value}",
                f"Target: {targets}",
                f"Why: {why}",
                *notes,
            ]
            table.add_row(c.application, c.decision.value, "\n".join(details))
            continue
        table.add_row(
            c.application,
            c.decision.value,
            c.strategy.value,
            targets,
            c.confidence.value,
            c.effort.value,
            why,
            "\n".join(notes),
        )
    counts = "  ".join(f"{d}: {n}" for d, n in result.counts.items())
    table.caption = f"{len(result.classifications)} applications — {counts}"
    return table


def _print_table(result: ClassificationResult) -> None:
    from rich.console import Console

    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=200)
    console.print(_rich_table(result, console.width))


def _table_text(result: ClassificationResult) -> str:
    """The table as plain text, for -o FILE."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(_rich_table(result))
    return buffer.getvalue()


@classify.command()
@click.argument("application")
@core_inputs
@output_format("text", "json")
@handle_input_errors
def explain(
    application: str,
    inputs: Inputs,
    output_format: str,
) -> None:
    """Show every rule evaluated for APPLICATION, and why it fired or did not.

    Example:

        forcelift classify explain "Niche RMS" inventories/exampleshire
    """
    from forcelift.migration.classify.render import explain_dict, explain_text
    from forcelift.migration.errors import InputError
    from forcelift.migration.pipeline import explain as explain_outcome
    from forcelift.migration.pipeline import prepare

    prepared = prepare(inputs)
    inventory = prepared.inventory
    outcome = explain_outcome(prepared, application)
    if outcome is None:
        names = sorted(a.name for a in inventory.applications)
        close = [n for n in names if application.lower() in n.lower()][:5]
        raise InputError(
            f"no application {application!r} in the inventory",
            hint=("did you mean: " + ", ".join(close))
            if close
            else "see `forcelift inventory show`",
        )
    if output_format == "json":
        echo_json(explain_dict(outcome))
    else:
        click.echo(explain_text(outcome), nl=False)
