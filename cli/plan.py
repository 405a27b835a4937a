"""`forcelift plan …`: waves, sizes, addresses, cost and carbon in one deterministic plan.yaml."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from forcelift.cli.options import DefaultGroup, inventory_inputs
from forcelift.cli.output import echo_json, handle_input_errors, print_problems
from forcelift.migration.plan.planfile import (
    DEFAULT_WAVE_MAX_APPLICATIONS,
    DEFAULT_WAVE_MAX_SERVERS,
)


def plan_options(func):  # type: ignore[no-untyped-def]
    """Options shared by `plan` and `migrate` (they must make the same plan)."""
    for option in reversed(
        (
            click.option(
                "--cloud",
                type=click.Choice(["azure", "aws", "both"]),
                default="azure",
                show_default=True,
                help="Target cloud(s).",
            ),
            click.option(
                "--overrides",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Architects' pinned decisions (docs/classify.md).",
            ),
            click.option(
                "--catalogue",
                "catalogue_file",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Extra product catalogue YAML.",
            ),
            click.option(
                "--wave-max-servers",
                type=click.IntRange(1),
                default=DEFAULT_WAVE_MAX_SERVERS,
                show_default=True,
                help="At most this many servers per wave (docs/waves.md).",
            ),
            click.option(
                "--wave-max-apps",
                type=click.IntRange(1),
                default=DEFAULT_WAVE_MAX_APPLICATIONS,
                show_default=True,
                help="At most this many applications per wave.",
            ),
            click.option(
                "--start-date",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                metavar="DATE",
                help="Programme start (landing-zone build); default the --as-of date.",
            ),
            click.option(
                "--weeks-per-wave",
                type=click.IntRange(1, 52),
                default=4,
                show_default=True,
                help="Wave cadence: build, test and cutover of one wave.",
            ),
            click.option(
                "--landing-zone-weeks",
                type=click.IntRange(0, 104),
                default=6,
                show_default=True,
                help="Weeks to build the landing zone before the pilot wave.",
            ),
            click.option(
                "--freeze",
                "freezes",
                multiple=True,
                metavar="START..END[:NAME]",
                help="A change freeze no wave may touch (repeatable); 'none' drops the default "
                "Christmas and New Year freeze.",
            ),
            click.option(
                "--currency",
                type=click.Choice(["GBP", "USD", "EUR"], case_sensitive=False),
                default="GBP",
                show_default=True,
                help="Currency of every cost figure (ex-VAT).",
            ),
            click.option(
                "--fx-rate",
                type=click.FloatRange(min=0, min_open=True),
                default=None,
                help="CURRENCY per USD for converting USD price lists (default: the dated rate "
                "in data/exchange-rates.yaml).",
            ),
            click.option(
                "--assumptions",
                "assumptions_file",
                type=click.Path(path_type=Path, dir_okay=False, exists=True),
                default=None,
                help="Business-case assumptions overriding the defaults (docs/cost-and-carbon.md).",
            ),
            click.option(
                "--prices",
                "price_files",
                type=click.Path(path_type=Path, dir_okay=False, exists=True),
                multiple=True,
                help="Price snapshot from `forcelift prices refresh` (repeatable, one per cloud).",
            ),
            click.option("--no-pilot", is_flag=True, help="No pilot wave of low-criticality work."),
            click.option(
                "--supernet",
                default="10.100.0.0/14",
                show_default=True,
                help="Address space for the landing zone's hub and spokes.",
            ),
            click.option(
                "--reserve",
                "reserved",
                multiple=True,
                metavar="CIDR",
                help="A range the plan must not use (e.g. PSN); repeatable.",
            ),
            click.option(
                "--hybrid-benefit",
                is_flag=True,
                help="The force has Windows Server and SQL Server licences with Software "
                "Assurance (Azure Hybrid Benefit).",
            ),
            click.option(
                "--max-resources-per-stack",
                type=click.IntRange(100),
                default=1500,
                show_default=True,
                help="Split waves into stacks of at most this size.",
            ),
            click.option(
                "--comfort-factor",
                type=click.FloatRange(1.0, 5.0),
                default=1.3,
                show_default=True,
                help="Headroom over observed utilisation.",
            ),
            click.option(
                "--sizing",
                "sizing_source",
                type=click.Choice(["forcelift", "azure-migrate", "aws-migration-hub"]),
                default="forcelift",
                show_default=True,
                help="Whose VM size to take: forcelift's, or the assessment tool's where the "
                "export gives one (forcelift's where not; the plan says which).",
            ),
            click.option(
                "--sizing-mode",
                type=click.Choice(["performance", "as-on-premise"]),
                default="performance",
                show_default=True,
                help="Size on measured utilisation x comfort factor, or as allocated on premise.",
            ),
            click.option(
                "--family-selection",
                type=click.Choice(["cheapest", "ratio"]),
                default="cheapest",
                show_default=True,
                help="Cheapest fitting size across the allowed families (as Azure Migrate), or "
                "the family whose memory:vCPU ratio fits the need.",
            ),
            click.option(
                "--azure-families",
                default=None,
                metavar="LIST",
                help="Comma-separated Azure VM families allowed (e.g. Dsv5,Esv5,Fsv2,Bs).",
            ),
            click.option(
                "--aws-families",
                default=None,
                metavar="LIST",
                help="Comma-separated EC2 families allowed (e.g. m7i,r7i,c7i,t3).",
            ),
            click.option(
                "--burstable/--no-burstable",
                default=True,
                show_default=True,
                help="Allow burstable B-series / t3 for small low-utilisation servers.",
            ),
            click.option(
                "--hdd-data-disks",
                is_flag=True,
                help="Put data disks on Standard HDD (Azure) / sc1 (AWS) when measured IOPS fit.",
            ),
            click.option(
                "--as-of",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                metavar="DATE",
                help="Date for lifecycle checks; default today.",
            ),
        )
    ):
        func = option(func)
    return func


def build_from_options(
    paths,
    forced_format,
    group_by,
    cloud,
    overrides,
    catalogue_file,  # type: ignore[no-untyped-def]
    wave_max_servers,
    wave_max_apps,
    no_pilot,
    supernet,
    reserved,
    hybrid_benefit,
    max_resources_per_stack,
    comfort_factor,
    as_of,
    on_stage=None,
    sizing_source="forcelift",
    sizing_mode="performance",
    family_selection="cheapest",
    azure_families=None,
    aws_families=None,
    burstable=True,
    hdd_data_disks=False,
    strict=False,
    start_date=None,
    weeks_per_wave=4,
    landing_zone_weeks=6,
    freezes=(),
    currency="GBP",
    fx_rate=None,
    assumptions_file=None,
    price_files=(),
):
    """Read, classify and plan from CLI options (shared with `migrate`)."""
    from forcelift.migration.inventory.workloads import GroupBy
    from forcelift.migration.pipeline import Inputs, make_plan
    from forcelift.migration.plan.planfile import PlanOptions

    clouds = ("azure", "aws") if cloud == "both" else (cloud,)
    options = PlanOptions(
        clouds=clouds,
        wave_max_servers=wave_max_servers,
        wave_max_applications=wave_max_apps,
        pilot=not no_pilot,
        supernet=supernet,
        reserved_ranges=tuple(reserved),
        hybrid_benefit_windows=hybrid_benefit,
        hybrid_benefit_sql=hybrid_benefit,
        max_resources_per_stack=max_resources_per_stack,
        comfort_factor=comfort_factor,
        sizing=sizing_source,
        sizing_mode=sizing_mode,
        family_selection=family_selection,
        azure_families=_families(azure_families),
        aws_families=_families(aws_families),
        burstable=burstable,
        hdd_data_disks=hdd_data_disks,
        **_money_and_calendar(
            start_date,
            weeks_per_wave,
            landing_zone_weeks,
            freezes,
            currency,
            fx_rate,
            assumptions_file,
            price_files,
        ),
    )
    inputs = Inputs(
        paths=tuple(paths),
        forced_format=forced_format,
        group_by=GroupBy(group_by),
        overrides=overrides,
        catalogue=catalogue_file,
        as_of=as_of.date() if as_of else dt.date.today(),
        strict=strict,
    )
    if on_stage is None:
        return make_plan(inputs, options)
    return make_plan(inputs, options, on_stage=on_stage)


def _money_and_calendar(  # type: ignore[no-untyped-def]
    start_date, weeks_per_wave, landing_zone_weeks, freezes, currency, fx_rate, assumptions, prices
) -> dict[str, object]:
    """PlanOptions fields for currency, business case and wave calendar (docs/waves.md)."""
    from forcelift.migration.plan.planfile import DEFAULT_FREEZES
    from forcelift.migration.plan.schedule import parse_freeze

    chosen = list(DEFAULT_FREEZES)
    for text in freezes:
        if text.strip().lower() == "none":
            chosen = [f for f in chosen if f not in DEFAULT_FREEZES]
            continue
        try:
            chosen.append(parse_freeze(text))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--freeze") from None
    return {
        "start_date": start_date.date() if start_date else None,
        "weeks_per_wave": weeks_per_wave,
        "landing_zone_weeks": landing_zone_weeks,
        "freezes": tuple(chosen),
        "currency": currency.upper(),
        "fx_rate": fx_rate,
        "assumptions": assumptions.as_posix() if assumptions else "",
        "price_files": tuple(p.as_posix() for p in prices),
    }


def _families(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    names = tuple(sorted({n.strip() for n in text.split(",") if n.strip()}))
    if not names:
        raise click.BadParameter("name at least one family", param_hint="--*-families")
    return names


@click.group(cls=DefaultGroup)
def plan() -> None:
    """Plan the migration: waves, right-sized targets, address plan, cost and carbon.

    Examples:

        forcelift plan inventories/exampleshire --cloud azure -o plan.yaml

        forcelift plan assessment.xlsx --sizing azure-migrate -o plan.yaml

        forcelift plan show plan.yaml

        forcelift plan diff old/plan.yaml plan.yaml
    """


@plan.command("run")
@inventory_inputs
@plan_options
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="plan.yaml to write.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print inventory warnings.")
@handle_input_errors
def run(
    paths,
    forced_format,
    group_by,
    output: Path,
    force: bool,
    quiet: bool,  # type: ignore[no-untyped-def]
    **options,
) -> None:
    """Write plan.yaml for INVENTORY… (the default `plan` command).

    Example:

        forcelift plan inventories/exampleshire --cloud both --wave-max-servers 150 -o plan.yaml
    """
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.migration.plan.planio import plan_to_yaml
    from forcelift.migration.plan.summary import plan_text

    planned = build_from_options(paths, forced_format, group_by, **options)
    if not quiet:
        print_problems(list(planned.warnings))
    write_atomic(output, plan_to_yaml(planned.plan), force=force)
    click.echo(plan_text(planned.plan), nl=False)
    click.echo(f"wrote {output}")


@plan.command("show")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
)
@handle_input_errors
def show(plan_file: Path, fmt: str) -> None:
    """Summarise a plan: waves, cost and carbon side by side with on-premise.

    Example:

        forcelift plan show plan.yaml --format markdown
    """
    from forcelift.migration.plan.planio import load_plan
    from forcelift.migration.plan.summary import plan_markdown, plan_summary, plan_text

    loaded = load_plan(plan_file)
    if fmt == "json":
        echo_json(plan_summary(loaded))
    elif fmt == "markdown":
        click.echo(plan_markdown(loaded), nl=False)
    else:
        click.echo(plan_text(loaded), nl=False)


@plan.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as a JSON list.")
@handle_input_errors
def diff(old: Path, new: Path, as_json: bool) -> None:
    """Show what changed between two plans (decisions, waves, sizes, stacks, cost).

    Exit 0 when the plans are the same, 1 when they differ (like `diff`).

    Example:

        forcelift plan diff main/plan.yaml plan.yaml
    """
    from forcelift.migration.plan.diff import diff_plans
    from forcelift.migration.plan.planio import load_plan

    changes = diff_plans(load_plan(old), load_plan(new))
    if as_json:
        click.echo(json.dumps(changes, indent=2))
    else:
        click.echo("\n".join(changes) if changes else "plans are the same")
    if changes:
        raise SystemExit(1)
