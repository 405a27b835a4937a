"""The business case's assumptions: shipped data (data/business-case.yaml) and a user's overrides.

Each assumption carries its unit and source, so the plan can say where every figure comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field

from forcelift.migration.errors import InputError, Location
from forcelift.migration.plan.datafiles import (
    Frozen,
    Provenance,
    read_data,
    validate,
    with_overrides,
)

Basis = Literal["payg", "one_year", "three_year"]


class Number(Frozen):
    value: Annotated[float, Field(ge=0)]
    unit: str = ""
    source: str


class Table(Frozen):
    values: dict[str, Annotated[float, Field(ge=0)]]
    unit: str = ""
    source: str


class BasisChoice(Frozen):
    value: Basis
    unit: str = ""
    source: str


class Assumptions(Frozen):
    cloud_price_basis: BasisChoice
    dual_running_months: Number
    retire_month: Number
    day_rate: Number
    effort_days: Table
    effort_per_server: Table
    effort_size: Table
    landing_zone_build_days: Number
    landing_zone_monthly: Number
    saas_monthly_per_application: Number


class AssumptionFile(Frozen):
    currency: str = "GBP"
    provenance: Provenance
    assumptions: Assumptions


MONEY = ("day_rate", "landing_zone_monthly", "saas_monthly_per_application")


@lru_cache(maxsize=1)
def default_assumptions() -> AssumptionFile:
    return validate(AssumptionFile, read_data("business-case.yaml"), "business-case.yaml")


def load_assumptions(path: Path | None = None) -> AssumptionFile:
    """The shipped assumptions, with a user's file of overrides merged over them."""
    base = default_assumptions()
    if path is None:
        return base
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(
            f"cannot read business-case assumptions: {exc}", Location(file=str(path))
        ) from None
    if not isinstance(data, Mapping):
        raise InputError(
            "business-case assumptions must be a mapping",
            Location(file=str(path)),
            hint="see migration/plan/data/business-case.yaml for the shape",
        )
    return with_overrides(base, data, str(path))
