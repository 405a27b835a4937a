"""`forcelift plan …`: waves, sizes, addresses, cost and carbon in one deterministic plan.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forcelift.cli.options import DefaultGroup, core_inputs, output_format, output_option
from forcelift.cli.output import echo_json, handle_input_errors, print_problems
from forcelift.cli.plan_options import (
    plan_options,
    plan_request,
    regional_options,
    regional_source,
)

if TYPE_CHECKING:
    from forcelift.migration.pipeline import Inputs


@click.group(cls=DefaultGroup)
def plan() -> None:
    """Plan the migration: waves, right-sized targets, address plan, cost and carbon.

    Examples:

        forcelift plan inventories/exampleshire --cloud azure -o plan.yaml

        forcelift plan --collaboration region/collaboration.yaml -o plan.yaml

        forcelift plan assessment.xlsx --sizing azure-migrate -o plan.yaml

        forcelift plan show plan.yaml

        forcelift plan diff old/plan.yaml plan.yaml
    """


@plan.command("run")
@regional_options
@core_inputs
@plan_options
@output_option("plan.yaml to write.", dir_okay=False, required=True)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print inventory warnings.")
@handle_input_errors
def run(
    inputs: Inputs,
    output: Path,
    force: bool,
    quiet: bool,
    collaboration: Path | None,
    force_inventories: tuple[tuple[str, Path], ...],
    **options: Any,
) -> None:
    """Write plan.yaml for INVENTORY… (the default `plan` command), or one regional plan for
    several forces (--collaboration FILE, or --force-inventory SLUG=PATH per force).

    Example:

        forcelift plan inventories/exampleshire --cloud both --wave-max-servers 150 -o plan.yaml

        forcelift plan --collaboration region/collaboration.yaml --cloud azure -o plan.yaml

        forcelift plan --force-inventory north=inv/north --force-inventory south=inv/south -o p.yaml
    """
    from forcelift.cli.process import LargeEstatePolicy
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.migration.plan.summary import plan_text

    region = regional_source(inputs, collaboration, force_inventories)
    if region is not None:
        from forcelift.migration.plan.regional_io import regional_to_yaml
        from forcelift.migration.plan.regional_summary import regional_text
        from forcelift.migration.regional_pipeline import make_regional_plan

        regional = make_regional_plan(
            region, plan_request(**options), inputs, policy=LargeEstatePolicy()
        )
        if not quiet:
            print_problems(list(regional.warnings))
        write_atomic(output, regional_to_yaml(regional.plan), force=force)
        click.echo(regional_text(regional.plan), nl=False)
        click.echo(f"wrote {output}")
        return

    from forcelift.migration.pipeline import make_plan
    from forcelift.migration.plan.planio import plan_to_yaml

    planned = make_plan(inputs, plan_request(**options), policy=LargeEstatePolicy())
    if not quiet:
        print_problems(list(planned.warnings))
    write_atomic(output, plan_to_yaml(planned.plan), force=force)
    click.echo(plan_text(planned.plan), nl=False)
    click.echo(f"wrote {output}")


@plan.command("show")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_format("table", "markdown", "json")
@handle_input_errors
def show(plan_file: Path, output_format: str) -> None:
    """Summarise a plan: waves, cost and carbon side by side with on-premise (a regional
    plan: each force's summary, then the services and products the forces share).

    Example:

        forcelift plan show plan.yaml --format markdown
    """
    from forcelift.migration.plan.regional import RegionalPlan
    from forcelift.migration.plan.regional_io import load_plan_document
    from forcelift.migration.plan.regional_summary import (
        regional_markdown,
        regional_summary_data,
        regional_text,
    )
    from forcelift.migration.plan.summary import plan_markdown, plan_summary, plan_text

    loaded = load_plan_document(plan_file)
    if isinstance(loaded, RegionalPlan):  # every force's section, then what joins them
        if output_format == "json":
            echo_json(regional_summary_data(loaded))
        elif output_format == "markdown":
            click.echo(regional_markdown(loaded), nl=False)
        else:
            click.echo(regional_text(loaded), nl=False)
    elif output_format == "json":
        echo_json(plan_summary(loaded))
    elif output_format == "markdown":
        click.echo(plan_markdown(loaded), nl=False)
    else:
        click.echo(plan_text(loaded), nl=False)


@plan.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_format("text", "json")
@handle_input_errors
def diff(old: Path, new: Path, output_format: str) -> None:
    """Show what changed between two plans (decisions, waves, sizes, stacks, cost); for
    regional plans per force, each line starting `[force]`.

    Exit 0 when the plans are the same, 1 when they differ (like `diff`).

    Example:

        forcelift plan diff main/plan.yaml plan.yaml
    """
    import json

    from forcelift.migration.plan.regional_io import load_plan_document
    from forcelift.migration.plan.regional_summary import diff_documents

    changes = diff_documents(load_plan_document(old), load_plan_document(new))
    if output_format == "json":  # a JSON list of the changes
        click.echo(json.dumps(changes, indent=2))
    else:
        click.echo("\n".join(changes) if changes else "plans are the same")
    if changes:
        raise SystemExit(1)
