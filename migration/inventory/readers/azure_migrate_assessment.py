"""What an Azure Migrate assessment says about one machine: recommended size and disks, cost
and currency, readiness, sizing criterion and the tool's own data-collection issues.

Kept as `Server.assessment`, beside forcelift's own sizing; the mapping is in
docs/formats-azure-migrate.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from forcelift.migration.inventory.model import AssessedDisk, Assessment
from forcelift.migration.inventory.normalise import Cell, normalise_header, parse_float, text
from forcelift.migration.inventory.readers.azure_migrate_columns import (
    COMPUTE_COST,
    COMPUTE_COST_ALIASES,
    DATA_ISSUES,
    DISK_NAMES,
    DISK_SKUS,
    READINESS,
    READINESS_ISSUES,
    RECOMMENDED_SIZE,
    SIZING_CRITERION,
    STORAGE_COST,
    STORAGE_COST_ALIASES,
)
from forcelift.migration.inventory.readers.columns import Column
from forcelift.migration.inventory.tabular import Table

SOURCE = "azure-migrate"

_CURRENCIES = frozenset({"usd", "gbp", "eur", "inr", "jpy", "aud", "cad", "chf"})
_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}

NO_CPU_DATA = re.compile(r"no (performance )?data.*\bcpu|cpu.*\bno (performance )?data", re.I)
NO_MEMORY_DATA = re.compile(r"no (performance )?data.*\bmemory|memory.*\bno (performance )?data",
                            re.I)  # fmt: skip
NO_DATA = re.compile(r"no (performance )?data|performance data (is )?(not|un)available", re.I)


def parse_money(value: Cell) -> float:
    """A cost: `452.1`, `£1,204.50`, `USD 30`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_float(value)
    raw = text(value)
    for symbol in _SYMBOLS:
        raw = raw.replace(symbol, "")
    raw = re.sub(r"^\s*[A-Za-z]{3}\s+|\s+[A-Za-z]{3}\s*$", "", raw)
    number = parse_float(raw)
    if number < 0:
        raise ValueError(f"cost cannot be negative: {text(value)!r}")
    return number


def _currency_of(value: Cell) -> str:
    raw = text(value)
    for symbol, code in _SYMBOLS.items():
        if symbol in raw:
            return code
    match = re.search(r"\b([A-Za-z]{3})\b", raw)
    return match.group(1).upper() if match and match.group(1).lower() in _CURRENCIES else ""


def _money_headers(table: Table, aliases: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(index, currency suffix or "") of each cost header, as exports name them with or
    without a currency (`… estimate USD`), in column order."""
    folded = [normalise_header(a) for a in aliases]
    for index, key in enumerate(table.keys):
        for alias in folded:
            rest = key[len(alias) :] if key.startswith(alias) else None
            if rest is not None and (rest == "" or rest in _CURRENCIES):
                yield index, rest
                break


def money_columns(table: Table, field_name: str, aliases: Sequence[str]) -> list[Column]:
    """The first cost column of this name: its amount, and its currency from the cell."""
    for index, _ in _money_headers(table, aliases):
        return [
            Column(field_name, (table.header[index],), parse_money),
            Column(f"{field_name} currency", (table.header[index],), _currency_of),
        ]
    return []


def header_currency(table: Table) -> str:
    """The currency a cost header names (`Compute monthly cost estimate GBP`), else ""."""
    headers = _money_headers(table, (*COMPUTE_COST_ALIASES, *STORAGE_COST_ALIASES))
    return next((suffix.upper() for _, suffix in headers if suffix), "")


def read_properties(table: Table) -> str:
    """The sizing criterion from an assessment-properties sheet (key / value rows)."""
    rows: list[list[Cell]] = [list(table.header), *(list(cells) for _, cells in table.rows)]
    for cells in rows:
        for i, cell in enumerate(cells[:-1]):
            if normalise_header(cell) in ("sizingcriterion", "sizingcriteria"):
                return sizing_criterion(cells[i + 1])
    return ""


def sizing_criterion(value: Cell) -> str:
    """`Performance-based`, `As on-premises`, `As-is` -> "performance-based" | "as-is" | ""."""
    key = normalise_header(value)
    if "performance" in key:
        return "performance-based"
    if key.startswith(("asis", "asonprem", "onpremises", "asonpremises")):
        return "as-is"
    return ""


def _disk_type(values: dict[str, Any]) -> str:
    kind = text(values.get("Recommended disk type"))
    sku = text(values.get("Recommended disk size SKU"))
    return kind if sku and sku.lower() in kind.lower() else " ".join(p for p in (kind, sku) if p)


def assessment(
    values: dict[str, Any],
    disks: Sequence[dict[str, Any]],
    *,
    currency: str,
    assessed: bool,
    criterion: str,
    utilisation_missing: bool,
) -> Assessment | None:
    """The machine's assessment, or None when the export says nothing about it.

    `assessed`: the machine has a row on the assessed-machines sheet (then the workbook's
    sizing criterion alone is worth keeping). Readiness is normalised by the model.
    """
    listed = [
        AssessedDisk(
            name=text(d.get("Disk name")),
            size_gib=d.get("Target disk size", d.get("Source disk size")),
            recommended_type=_disk_type(d),
            monthly_cost=d.get("Monthly cost"),
        )
        for d in disks
    ]
    if not listed and values.get(DISK_SKUS):
        names = values.get(DISK_NAMES, ())
        listed = [
            AssessedDisk(name=names[i] if i < len(names) else "", recommended_type=sku)
            for i, sku in enumerate(values[DISK_SKUS])
        ]
    given = {
        "sizing_criterion": sizing_criterion(values.get(SIZING_CRITERION)) or criterion,
        "recommended_size": text(values.get(RECOMMENDED_SIZE)),
        "readiness": text(values.get(READINESS)),
        "readiness_reasons": values.get(READINESS_ISSUES, ()),
        "disks": tuple(listed),
        "monthly_compute_cost": values.get(COMPUTE_COST),
        "monthly_storage_cost": values.get(STORAGE_COST),
        "currency": currency
        or values.get(f"{COMPUTE_COST} currency")
        or values.get(f"{STORAGE_COST} currency")
        or "",
        "data_collection_issues": values.get(DATA_ISSUES, ()),
        "utilisation_missing": utilisation_missing,
    }
    if not any(v for k, v in given.items() if k != "sizing_criterion") and not (
        values.get(READINESS) or (assessed and criterion)
    ):
        return None
    return Assessment.model_validate({"source": SOURCE, **given})
