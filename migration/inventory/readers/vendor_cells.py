"""Cell parsers and server building the vendor readers share (Azure Migrate CSV and
workbook, AWS Migration Hub): plain numbers fast, placeholders as absent, model errors
pointed at the user's column."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import zero_utilisation
from forcelift.migration.inventory.model import Server, Utilisation
from forcelift.migration.inventory.normalise import (
    Cell,
    parse_cell,
    parse_float,
    parse_int,
    parse_percent,
    parse_size_mib,
    split_list,
    text,
)
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.readers.columns import ColumnMap

_RATE_UNIT = re.compile(
    r"\s*(mb/s|mbps|mb per second|kb/s|kbps|iops|ops/s|ops|/s|per second)\s*$", re.I
)


def optional(parse: Callable[[Cell], Any]) -> Callable[[Cell], Any]:
    """Wrap a parser so placeholders such as `N/A` give None (treated as absent)."""

    def _parse(value: Cell) -> Any:
        return parse_cell(value, parse)

    return _parse


_INF = float("inf")


def plain_number(value: Cell) -> float | None:
    """The common case fast: a plain non-negative number ("8192", "42.5", 8192.0), else None.

    Anything else (units, separators, signs, junk) goes through the full parsers in normalise.
    """
    if isinstance(value, str):
        raw = value.strip()
        if raw.isascii() and raw.replace(".", "", 1).isdigit():
            return float(raw)
    elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < _INF:
        return float(value)
    return None


def parse_count(value: Cell) -> int:
    """A whole number such as a core count."""
    number = plain_number(value)
    if number is not None and number.is_integer():
        return int(number)
    return parse_int(value)


def parse_pct(value: Cell) -> float:
    number = plain_number(value)
    return number if number is not None and number <= 100 else parse_percent(value)


def parse_rate(value: Cell) -> float:
    """A non-negative rate (ops or MB per second); a trailing rate unit is accepted."""
    number = plain_number(value)
    if number is not None:
        return number
    raw = _RATE_UNIT.sub("", value) if isinstance(value, str) else value
    number = parse_float(raw)
    if number < 0:
        raise ValueError(f"rate cannot be negative: {text(value)!r}")
    return number


def parse_addresses(value: Cell) -> tuple[str, ...]:
    """IP or MAC address lists: separated by `,` `;` `|`, new lines or spaces."""
    return split_list(value, ", ")


def parse_memory_mib(value: Cell) -> int:
    """Memory in MB (read as MiB, as every tool means it); "16 GB" is understood."""
    number = plain_number(value)
    return round(number if number is not None else parse_size_mib(value))


def split_fqdn(name: str) -> tuple[str, str]:
    """`cus-sql01.force.police.uk` -> (`cus-sql01`, the FQDN); other names pass unchanged."""
    name = name.strip()
    if "." not in name or name.replace(".", "").isdigit() or ":" in name:
        return name, ""
    return name.split(".", 1)[0], name


def present(values: dict[str, Any]) -> dict[str, Any]:
    """Drop fields whose parser returned None (placeholders like `N/A`)."""
    return {k: v for k, v in values.items() if v is not None}


def header_of(columns: ColumnMap, field_name: str) -> str | None:
    for column, index in columns.resolved:
        if column.field == field_name:
            return columns.table.header_name(index)
    return None


def build_server(
    values: dict[str, Any],
    columns: ColumnMap,
    row: int,
    problems: ProblemCollector,
    field_columns: dict[str, str],
) -> Server | None:
    """Validate a server; model errors point at the user's column (via `field_columns`)."""
    try:
        return Server.model_validate(values)
    except ValidationError as exc:
        table = columns.table
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            column_field = field_columns.get(str(loc[0])) if loc else None
            header = header_of(columns, column_field) if column_field else None
            message = err["msg"].removeprefix("Value error, ")
            problems.error(
                f"{column_field or format_loc(loc)}: {message}",
                Location(table.file, table.sheet, row, header),
            )
        return None


def utilisation(
    where: Location | None = None, problems: ProblemCollector | None = None, **values: float | None
) -> Utilisation | None:
    """Utilisation from the values given; CPU and memory both exactly 0 % are dropped as
    missing data (noted at `where`), since no running machine uses nothing."""
    given = {k: v for k, v in values.items() if v is not None}
    if (
        where is not None
        and problems is not None
        and zero_utilisation(given.get("cpu_percent"), given.get("memory_percent"), where, problems)
    ):
        given.pop("cpu_percent")
        given.pop("memory_percent")
    return Utilisation(**given) if given else None


IDENTITY_ALIASES = (
    "Machine ID", "MachineId", "VM ID", "VM UUID", "BIOS GUID", "BIOS UUID", "SMBIOS UUID",
    "SMBIOSID", "Hypervisor VM identifier", "Instance UUID", "Server ID", "Machine identifier",
)  # fmt: skip
SITE_ALIASES = (
    "Site", "Site name", "Discovery site", "Discovery site name", "Appliance", "Appliance name",
    "vCenter", "vCenter server", "vCenter Server name", "VI SDK Server",
)  # fmt: skip
