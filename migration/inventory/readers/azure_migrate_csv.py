"""Azure Migrate import CSV: the template forces fill in for import-based discovery.

Mandatory columns are `*Server name`, `*Cores`, `*Memory (In MB)` and `*OS name`; disks come
as `Disk N size (In GB)` with per-disk read/write ops, and utilisation as percentages and
throughput in MB per second. The mapping and unit choices are in docs/formats-azure-migrate.md.
The parsing helpers it shares with the Azure Migrate workbook and AWS readers are in
vendor_cells.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import MISSING_VALUE, STRICT_HINT
from forcelift.migration.inventory.model import Disk, SoftwareProduct
from forcelift.migration.inventory.normalise import Cell, parse_size_gib, text, value_text
from forcelift.migration.inventory.readers.application_groups import ApplicationGroups
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.readers.vendor_cells import (
    IDENTITY_ALIASES,
    SITE_ALIASES,
    build_server,
    optional,
    parse_addresses,
    parse_count,
    parse_memory_mib,
    parse_pct,
    parse_rate,
    plain_number,
    present,
    split_fqdn,
    utilisation,
)
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
