"""The planning options `plan` and `migrate` share (they must make the same plan), and the
core's request built from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from forcelift.cli.options import F
from forcelift.migration.plan.planfile import (
    DEFAULT_WAVE_MAX_APPLICATIONS,
    DEFAULT_WAVE_MAX_SERVERS,
)

if TYPE_CHECKING:
    from forcelift.migration.inventory.collaboration import Collaboration
    from forcelift.migration.pipeline import Inputs
    from forcelift.migration.plan.planfile import PlanOptions


def plan_options(func: F) -> F:
    """Options shared by `plan` and `migrate` (they must make the same plan); the command
    also takes :func:`forcelift.cli.options.core_inputs`."""
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
        )
    ):
        func = option(func)
    return func


def plan_request(
    cloud: Literal["azure", "aws", "both"],
    wave_max_servers: int,
    wave_max_apps: int,
    no_pilot: bool,
    supernet: str,
    reserved: Sequence[str],
    hybrid_benefit: bool,
    max_resources_per_stack: int,
    comfort_factor: float,
    sizing_source: Literal["forcelift", "azure-migrate", "aws-migration-hub"],
    sizing_mode: Literal["performance", "as-on-premise"],
    family_selection: Literal["ratio", "cheapest"],
    azure_families: str | None,
    aws_families: str | None,
    burstable: bool,
    hdd_data_disks: bool,
    start_date: dt.datetime | None,
    weeks_per_wave: int,
    landing_zone_weeks: int,
    freezes: Sequence[str],
    currency: str,
    fx_rate: float | None,
    assumptions_file: Path | None,
    price_files: Sequence[Path],
) -> PlanOptions:
    """The core's plan options from the options of :func:`plan_options` (`plan` and
    `migrate` pass them all through)."""
    from forcelift.migration.plan.planfile import PlanOptions

    return PlanOptions(
        clouds=("azure", "aws") if cloud == "both" else (cloud,),  # click checked the choice
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


def _money_and_calendar(
    start_date: dt.datetime | None,
    weeks_per_wave: int,
    landing_zone_weeks: int,
    freezes: Sequence[str],
    currency: str,
    fx_rate: float | None,
    assumptions: Path | None,
    prices: Sequence[Path],
) -> dict[str, Any]:
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


# --- several forces (issue 12) -----------------------------------------------------------------


def _force_pairs(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[tuple[str, Path], ...]:
    pairs = []
    for value in values:
        slug, sep, path = value.partition("=")
        if not sep or not slug.strip() or not path.strip():
            raise click.BadParameter(
                f"{value!r}: give SLUG=PATH, e.g. northshire=inventories/northshire", ctx, param
            )
        pairs.append((slug.strip(), Path(path.strip())))
    return tuple(pairs)


def regional_options(func: F) -> F:
    """--collaboration FILE and --force-inventory SLUG=PATH (repeatable): several forces in
    one plan, instead of the positional INVENTORY (which the command then makes optional)."""
    func = click.option(
        "--force-inventory",
        "force_inventories",
        multiple=True,
        metavar="SLUG=PATH",
        callback=_force_pairs,
        help="One force's inventory (repeatable): several forces in one plan without a "
        "collaboration file (no shared services; shared products are still found).",
    )(func)
    func = click.option(
        "--collaboration",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        default=None,
        metavar="FILE",
        help="A collaboration file naming the forces, their inventories, partner agencies and "
        "shared services (docs/sharing.md): one regional plan for all of them.",
    )(func)
    for param in getattr(func, "__click_params__", []):
        if isinstance(param, click.Argument) and param.name == "paths":
            param.required = False  # checked by regional_source: INVENTORY or the options
    return func


def regional_source(
    inputs: Inputs,
    collaboration: Path | None,
    force_inventories: Sequence[tuple[str, Path]],
) -> Collaboration | None:
    """The collaboration to plan, or None for one force's INVENTORY; usage errors (exit 2)
    for a mix of the two or for neither."""
    if collaboration is None and not force_inventories:
        if not inputs.paths:
            raise click.UsageError(
                "give INVENTORY…, or --collaboration FILE / --force-inventory SLUG=PATH "
                "for several forces"
            )
        return None
    if inputs.paths:
        raise click.UsageError(
            "INVENTORY is not allowed with --collaboration or --force-inventory: the forces' "
            "inventories come from those options"
        )
    if collaboration is not None and force_inventories:
        raise click.UsageError(
            "--collaboration and --force-inventory are alternatives: name the forces in the "
            "collaboration file, or give every force with --force-inventory"
        )
    if inputs.overrides is not None:
        raise click.UsageError(
            "--overrides pins one inventory's applications; with several forces give each "
            "force's `overrides:` in the collaboration file"
        )
    if collaboration is not None:
        from forcelift.migration.inventory.collaboration import load_collaboration

        return load_collaboration(collaboration)
    from forcelift.migration.regional_pipeline import forces_collaboration

    return forces_collaboration(force_inventories)
