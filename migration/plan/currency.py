"""Money in the force's currency: exchange rates, conversion of price lists, VAT.

The shipped price lists and on-premise defaults are in US dollars; a UK force budgets in
pounds. Converting at a dated, recorded rate (data/exchange-rates.yaml, or `--fx-rate`) keeps
the plan reproducible and lets finance see exactly which rate was used. Prices from the Azure
Retail Prices API in GBP need no conversion. All figures exclude VAT: see `VAT_NOTE`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated

from pydantic import Field

from forcelift.migration.errors import InputError
from forcelift.migration.plan.datafiles import Frozen, read_data, validate
from forcelift.migration.plan.prices import PriceSnapshot

CURRENCIES = ("GBP", "USD", "EUR")
VAT_RATE = 0.20
VAT_NOTE = (
    "All figures exclude VAT. Cloud list prices are quoted before VAT, and UK VAT at 20 % is "
    "charged on top. Police and Crime Commissioners and Chief Constables are section 33 bodies "
    "(VAT Act 1994, s.33(3)(f); HMRC manual VATGPB5100): they recover the VAT on purchases for "
    "their non-business policing activities, so the ex-VAT figure is the cost to the force. "
    "A body that cannot recover VAT should add 20 %."
)


class Rate(Frozen):
    per_usd: Annotated[float, Field(gt=0)]
    date: dt.date | None = None
    source: str


class RateTable(Frozen):
    base: str = "USD"
    rates: dict[str, Rate]


class Conversion(Frozen):
    """How amounts in USD become the plan's currency (rate 1 when it is USD)."""

    currency: str
    rate: Annotated[float, Field(gt=0)]  # plan currency per USD
    date: dt.date | None = None
    source: str = ""

    @property
    def converted(self) -> bool:
        return self.currency != "USD"

    def text(self) -> str:
        if not self.converted:
            return "prices in USD, as listed"
        when = f", rate of {self.date.isoformat()}" if self.date else ""
        return (
            f"converted from USD at {self.rate:g} {self.currency}/USD{when}, source: {self.source}"
        )


@lru_cache(maxsize=1)
def shipped_rates() -> RateTable:
    return validate(RateTable, read_data("exchange-rates.yaml"), "exchange-rates.yaml")


def conversion(currency: str, fx_rate: float | None = None) -> Conversion:
    """The conversion from USD to `currency`: `fx_rate` when given, else the shipped rate."""
    code = currency.upper()
    if code not in CURRENCIES:
        raise InputError(f"unknown currency {currency!r}", hint=f"use one of {CURRENCIES}")
    if code == "USD":
        return Conversion(currency="USD", rate=1.0, source="the price lists' own currency")
    if fx_rate is not None:
        if fx_rate <= 0:
            raise InputError(f"--fx-rate must be positive, not {fx_rate}")
        return Conversion(
            currency=code, rate=fx_rate, source=f"rate given with --fx-rate ({code} per USD)"
        )
    found = shipped_rates().rates.get(code)
    if found is None:
        raise InputError(
            f"no recorded {code}/USD exchange rate",
            hint=f"pass --fx-rate (how many {code} one USD buys), or add {code} to "
            "data/exchange-rates.yaml with its date and source",
        )
    return Conversion(currency=code, rate=found.per_usd, date=found.date, source=found.source)


def factor(source_currency: str, conv: Conversion) -> float:
    """Multiplier from amounts in `source_currency` to the conversion's currency."""
    code = source_currency.upper()
    if code == conv.currency:
        return 1.0
    if code == "USD":
        return conv.rate
    other = shipped_rates().rates.get(code)
    if other is None:
        raise InputError(
            f"cannot convert {code} to {conv.currency}: no recorded {code}/USD rate",
            hint="add it to data/exchange-rates.yaml",
        )
    return conv.rate / other.per_usd


def _money(unit: str) -> bool:
    return not unit.lower().startswith("fraction")


def convert_snapshot(
    snapshot: PriceSnapshot, conv: Conversion, keep: Mapping[str, object] | None = None
) -> PriceSnapshot:
    """The snapshot in the conversion's currency; fraction tables (commitments) unchanged.

    Tables named in `keep` are already in the target currency and are left alone; the others
    record the conversion in their method and note.
    """
    rate = factor(snapshot.snapshot.currency, conv)
    source_currency = snapshot.snapshot.currency
    tables = {}
    for name, table in snapshot.tables.items():
        if (keep and name in keep) or not _money(table.unit) or rate == 1.0:
            tables[name] = table
            continue
        provenance = snapshot.provenance(name)
        tables[name] = table.model_copy(
            update={
                "unit": table.unit.replace(source_currency, conv.currency),
                "prices": {k: round(v * rate, 6) for k, v in table.prices.items()},
                "source": provenance.source,
                "taken": provenance.taken,
                "method": f"{provenance.method}, {conv.text()}",
            }
        )
    info = snapshot.snapshot.model_copy(update={"currency": conv.currency})
    return snapshot.model_copy(update={"snapshot": info, "tables": tables})
