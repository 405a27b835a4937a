"""Azure Migrate import CSV: the template forces fill in for import-based discovery.

Mandatory columns are `*Server name`, `*Cores`, `*Memory (In MB)` and `*OS name`; disks come
as `Disk N size (In GB)` with per-disk read/write ops, and utilisation as percentages and
throughput in MB per second. The mapping and unit choices are in docs/formats-azure-migrate.md.
The small parsing helpers here are shared with the Azure Migrate workbook and AWS readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import MISSING_VALUE, STRICT_HINT, zero_utilisation
from forcelift.migration.inventory.model import (
    Application,
    Disk,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.inventory.normalise import (
    Cell,
    is_missing,
    parse_float,
    parse_int,
    parse_percent,
    parse_size_gib,
    parse_size_mib,
    split_list,
    text,
    value_text,
)
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.tabular import Table

FORMAT = "azure-migrate-csv"

#: Azure Migrate accepts at most this many servers in one import file.
ROW_LIMIT = 20_000

#: Megabytes per second to megabits per second (rates use decimal units).
MBPS_PER_MB_S = 8.0

# Column names as the template spells them; messages and locations use these.
NAME = "Server name"
IPS = "IP addresses"
CORES = "Cores"
MEMORY = "Memory (In MB)"
OS_NAME = "OS name"
OS_VERSION = "OS version"
OS_ARCH = "OS architecture"
CPU_UTIL = "CPU utilization percentage"
MEM_UTIL = "Memory utilization percentage"
BOOT_TYPE = "Boot type"
LOCATION = "Location"
BUSINESS_APP = "Business application name"
BUSINESS_OWNER = "Business owner"

# -- helpers shared with the other vendor readers ------------------------------------------

_RATE_UNIT = re.compile(
    r"\s*(mb/s|mbps|mb per second|kb/s|kbps|iops|ops/s|ops|/s|per second)\s*$", re.I
)


def not_available(value: Cell) -> bool:
    """Blank, or one of the sentinels exports write for a missing value ("N/A")."""
    return is_missing(value)


def optional(parse: Callable[[Cell], Any]) -> Callable[[Cell], Any]:
    """Wrap a parser so placeholders such as `N/A` give None (treated as absent)."""

    def _parse(value: Cell) -> Any:
        return None if not_available(value) else parse(value)

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


@dataclass
class ApplicationGroups:
    """Applications named on server rows, gathered in first-seen order."""

    servers: dict[str, list[str]] = field(default_factory=dict)
    member_origins: dict[str, list[Location]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, server: str, where: Location) -> None:
        key = name.strip().lower()
        self.names.setdefault(key, name.strip())
        self.origins.setdefault(key, where)
        members = self.servers.setdefault(key, [])
        if server not in members:
            members.append(server)
            self.member_origins.setdefault(key, []).append(where)

    def set_owner(self, name: str, owner: str, where: Location, problems: ProblemCollector) -> None:
        key = name.strip().lower()
        current = self.owners.get(key)
        if current is None:
            self.owners[key] = owner
        elif current != owner:
            problems.warning(
                f"application {name!r} has owner {owner!r} here but {current!r} earlier; "
                f"keeping {current!r}",
                where,
                code="conflict",
            )

    def add_to(self, fragment: Fragment) -> None:
        """Add the applications, naming servers as the fragment finally calls them (after
        duplicate names were told apart)."""
        for key, name in self.names.items():
            origins = self.member_origins.get(key, [])
            members = [
                fragment.name_at(server, origins[i]) if i < len(origins) else server
                for i, server in enumerate(self.servers[key])
            ]
            app = Application(
                name=name,
                owner=self.owners.get(key, ""),
                servers=tuple(dict.fromkeys(members)),
                notes=self.notes.get(key, ""),
            )
            fragment.add_application(app, self.origins[key])


# -- the import template ---------------------------------------------------------------------

_OS_ALIASES = (OS_NAME, "operating system", "os")

STATIC_COLUMNS = (
    Column(NAME, (NAME, "server", "machine name", "host name", "hostname"), required=True),
    Column(IPS, (IPS, "ip address", "ips"), parse_addresses),
    Column(CORES, (CORES, "number of cores", "cpu cores", "vcpus"), parse_count, size="cores"),
    Column(
        MEMORY,
        (MEMORY, "memory (mb)", "memory in mb", "memory", "ram (mb)"),
        parse_memory_mib,
        size="memory_mib",
    ),
    Column("identity", IDENTITY_ALIASES, value_text),
    Column("site", SITE_ALIASES, value_text),
    Column(OS_NAME, _OS_ALIASES),  # mandatory, but a blank cell only warns: see read()
    Column(OS_VERSION, (OS_VERSION,)),
    Column(OS_ARCH, (OS_ARCH,)),
    Column(
        CPU_UTIL,
        (CPU_UTIL, "cpu utilisation percentage", "cpu utilization", "cpu utilisation"),
        optional(parse_pct),
    ),
    Column(
        MEM_UTIL,
        (MEM_UTIL, "memory utilisation percentage", "memory utilization", "memory utilisation"),
        optional(parse_pct),
    ),
    Column(BOOT_TYPE, (BOOT_TYPE, "firmware type", "firmware")),
    Column(LOCATION, (LOCATION, "datacenter", "datacentre", "data centre")),
    Column(BUSINESS_APP, (BUSINESS_APP, "business application")),
    Column(BUSINESS_OWNER, (BUSINESS_OWNER,)),
)

_MANDATORY_KEYS = {"servername", "cores", "osname"}
_MEMORY_KEYS = {"memoryinmb", "memorymb", "memory"}
# Columns only forcelift's native servers.csv has: a file with them (and without the template's
# own memory spelling) is native, not an Azure Migrate import.
_NATIVE_ONLY = {"osfamily", "memorymib", "memorygib", "powerstate", "fqdn", "diskgib", "disksgib"}

_DISK_SIZE = re.compile(r"^disk(\d+)size(.*)$")
_DISK_OPS = re.compile(r"^disk(\d+)(read|write)ops")
_TOTAL_OPS = re.compile(r"^totaldisks(read|write)ops")
_NETWORK = re.compile(r"^network(in|out)throughput")
_APP_NAME = re.compile(r"^application(\d+)name$")
_APP_VERSION = re.compile(r"^application(\d+)version$")


def detect(source: Source) -> bool:
    keys = source.csv_keys
    if source.kind != "csv" or not keys >= _MANDATORY_KEYS or not _MEMORY_KEYS & keys:
        return False
    return "memoryinmb" in keys or not _NATIVE_ONLY & keys


def _disk_size_parser(unit_text: str) -> Callable[[Cell], Any]:
    unit = "mib" if unit_text.endswith(("mb", "mib")) else "gib"
    divisor = 1024.0 if unit == "mib" else 1.0

    def _parse(value: Cell) -> float:
        number = plain_number(value)
        return number / divisor if number is not None else parse_size_gib(value, unit)

    return optional(_parse)


@dataclass
class Layout:
    """The numbered columns a file has (disks, applications), resolved once per file."""

    columns: list[Column] = field(default_factory=list)
    disk_sizes: dict[int, str] = field(default_factory=dict)
    disk_ops: list[str] = field(default_factory=list)
    app_names: dict[int, str] = field(default_factory=dict)
    app_versions: dict[int, str] = field(default_factory=dict)

    def add(self, name: str, header: str, parse: Callable[[Cell], Any]) -> bool:
        if any(c.field == name for c in self.columns):
            return False
        self.columns.append(Column(name, (header,), parse))
        return True


def dynamic_layout(table: Table) -> Layout:
    """Per-disk, total, network and application columns, found by their header pattern."""
    layout = Layout()
    for index, key in enumerate(table.keys):
        header = table.header[index]
        if m := _DISK_SIZE.match(key):
            name = f"Disk {int(m[1])} size"
            if layout.add(name, header, _disk_size_parser(m[2])):
                layout.disk_sizes[int(m[1])] = name
        elif m := _DISK_OPS.match(key):
            name = f"Disk {int(m[1])} {m[2]} ops"
            if layout.add(name, header, optional(parse_rate)):
                layout.disk_ops.append(name)
        elif m := _TOTAL_OPS.match(key):
            layout.add(f"Total disks {m[1]} ops", header, optional(parse_rate))
        elif m := _NETWORK.match(key):
            layout.add(f"Network {m[1]} throughput", header, optional(parse_rate))
        elif m := _APP_NAME.match(key):
            name = f"Application {int(m[1])} name"
            if layout.add(name, header, text):
                layout.app_names[int(m[1])] = name
        elif m := _APP_VERSION.match(key):
            name = f"Application {int(m[1])} version"
            if layout.add(name, header, text):
                layout.app_versions[int(m[1])] = name
    layout.disk_sizes = dict(sorted(layout.disk_sizes.items()))
    layout.app_names = dict(sorted(layout.app_names.items()))
    return layout


def _sum_present(values: Iterable[float | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def server_values(
    values: dict[str, Any], layout: Layout, where: Location, problems: ProblemCollector
) -> dict[str, Any]:
    """Template fields -> Server fields."""
    disks = tuple(
        Disk(name=f"Disk {n}", provisioned_gib=round(values[field], 3))
        for n, field in layout.disk_sizes.items()
        if field in values
    )
    iops = _sum_present(values.get(f) for f in layout.disk_ops)
    if iops is None:
        iops = _sum_present(
            [values.get("Total disks read ops"), values.get("Total disks write ops")]
        )
    network = _sum_present(
        [values.get("Network in throughput"), values.get("Network out throughput")]
    )
    software = tuple(
        SoftwareProduct(
            product=values[field], version=values.get(layout.app_versions.get(n, ""), "")
        )
        for n, field in layout.app_names.items()
        if field in values
    )
    tags = {
        tag: values[column]
        for tag, column in (("boot_type", BOOT_TYPE), ("os_architecture", OS_ARCH))
        if values.get(column)
    }
    name, fqdn = split_fqdn(values[NAME])
    return {
        "name": name,
        "fqdn": fqdn,
        "ip_addresses": values.get(IPS, ()),
        "os": {"name": values.get(OS_NAME, ""), "version": values.get(OS_VERSION, "")},
        "cores": values.get(CORES),
        "memory_mib": values.get(MEMORY),
        "unsized_reason": values.get("unsized_reason", ""),
        "identity": values.get("identity", ""),
        "site": values.get("site", ""),
        "disks": disks,
        "datacentre": values.get(LOCATION, ""),
        "utilisation": utilisation(
            where,
            problems,
            cpu_percent=values.get(CPU_UTIL),
            memory_percent=values.get(MEM_UTIL),
            iops=iops,
            network_mbps=network * MBPS_PER_MB_S if network is not None else None,
        ),
        "software": software,
        "tags": tags,
    }


SERVER_FIELD_COLUMNS = {
    "name": NAME,
    "fqdn": NAME,
    "cores": CORES,
    "memory_mib": MEMORY,
    "os": OS_NAME,
}


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    table = source.csv_table()
    layout = dynamic_layout(table)
    columns = ColumnMap(table, [*STATIC_COLUMNS, *layout.columns], problems)
    if not columns.present(OS_NAME):
        problems.error(
            f"required column {OS_NAME!r} not found",
            table.location(row=table.header_row),
            hint="the template's mandatory columns are *Server name, *Cores, *Memory (In MB), "
            "*OS name",
        )
        return fragment
    if not columns.ok:
        return fragment
    apps = ApplicationGroups()
    count = 0
    for row, cells in table.rows:
        count += 1
        values = columns.extract(row, cells)
        if values is None:
            continue
        values = present(values)
        where = table.location(row=row)
        if not values.get(OS_NAME):
            problems.warning(
                "OS name is empty: the OS is recorded as unknown (Azure Migrate rejects the row)",
                table.location(row=row, column=columns.table.column(*_OS_ALIASES)),
                hint=STRICT_HINT,
                code=MISSING_VALUE,
            )
        server = build_server(
            server_values(values, layout, where, problems),
            columns,
            row,
            problems,
            SERVER_FIELD_COLUMNS,
        )
        if server is None:
            continue
        fragment.add_server(server, where)
        if values.get(BUSINESS_APP):
            apps.add(values[BUSINESS_APP], server.name, where)
            if values.get(BUSINESS_OWNER):
                apps.set_owner(values[BUSINESS_APP], values[BUSINESS_OWNER], where, problems)
    if count > ROW_LIMIT:
        problems.warning(
            f"{count:,} servers in one file; Azure Migrate imports at most {ROW_LIMIT:,} per file",
            Location(file=source.display),
            hint="forcelift reads it all; split the file before uploading it to Azure Migrate",
        )
    fragment.rows = count
    fragment.disambiguate(problems)
    apps.add_to(fragment)
    return fragment


SPEC = ReaderSpec(FORMAT, "Azure Migrate import CSV template", detect, read)
