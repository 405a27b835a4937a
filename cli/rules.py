"""`forcelift rules …`: the classification rules registry."""

from __future__ import annotations

import click

from forcelift.cli.options import output_format
from forcelift.cli.output import echo_json


@click.group()
def rules() -> None:
    """List and describe the classification rules (ids, titles, rationale, precedence).

    Every rule is documented in docs/rules.md; `forcelift classify explain` shows them at
    work on one application.

    Example:

        forcelift rules list --format json
    """


@rules.command("list")
@output_format("table", "json")
def list_rules(output_format: str) -> None:
    """List every registered rule in evaluation order.

    Example:

        forcelift rules list
    """
    from forcelift.migration.classify.registry import all_rules
    from forcelift.migration.classify.render import rule_to_dict

    registered = all_rules()
    if output_format == "json":
        echo_json([rule_to_dict(r) for r in registered])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(registered)} classification rules", title_justify="left")
    for column in ("Id", "Family", "Pass", "Precedence", "Title"):
        table.add_column(column)
    for rule in registered:
        precedence = str(int(rule.precedence)) if rule.precedence else "-"
        table.add_row(rule.id, rule.family.value, str(int(rule.phase)), precedence, rule.title)
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    console.print(table)


@rules.command("show")
@click.argument("rule_id")
def show_rule(rule_id: str) -> None:
    """Show one rule in full: rationale, condition, precedence.

    Example:

        forcelift rules show CONN-001
    """
    from forcelift.migration.classify.registry import rule_index

    found = rule_index().get(rule_id.upper())
    if found is None:
        click.secho(f"no rule {rule_id!r}; see `forcelift rules list`", fg="red", err=True)
        raise SystemExit(2)
    click.echo(f"{found.id}: {found.title}")
    click.echo(
        f"family: {found.family.value}, pass {int(found.phase)}, precedence "
        f"{int(found.precedence) or '-'}"
        f"{', decisive' if found.decisive else ''}{', hard' if found.hard else ''}"
    )
    click.echo(f"fires when: {found.condition}")
    click.echo(f"rationale: {found.rationale}")
