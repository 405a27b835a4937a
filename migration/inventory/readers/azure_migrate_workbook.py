"""Azure Migrate workbooks: discovery report, assessment export, software inventory export.

Recognised by sheet names, and one workbook may hold several of them: `Discovery_Report` and
`All_Assessed_Machines` describe machines (rows of both sheets for the same machine are joined);
`ApplicationInventory`, `SQLServer` and `OtherDatabases` are software evidence, attached to the
machine of that name here or, failing that, in any other source merged with this one.
Mapping and caveats: docs/formats-azure-migrate.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.model import Disk, PowerState, Server, SoftwareProduct
from forcelift.migration.inventory.normalise import (
    normalise_header,
    parse_power_state,
    parse_size_gib,
    text,
)
from forcelift.migration.inventory.readers.azure_migrate_csv import (
    build_server,
    header_of,
    optional,
    parse_addresses,
    parse_count,
    parse_memory_mib,
    parse_pct,
    present,
    split_fqdn,
    utilisation,
)
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.tabular import Table

FORMAT = "azure-migrate-workbook"

DISCOVERY_SHEET = "Discovery_Report"
ASSESSMENT_SHEET = "All_Assessed_Machines"
APPLICATIONS_SHEET = "ApplicationInventory"
SQL_SHEET = "SQLServer"
DATABASES_SHEET = "OtherDatabases"

_SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    DISCOVERY_SHEET: (DISCOVERY_SHEET,),
    ASSESSMENT_SHEET: (ASSESSMENT_SHEET,),
    APPLICATIONS_SHEET: (APPLICATIONS_SHEET, "Application Inventory", "Software Inventory"),
    SQL_SHEET: (SQL_SHEET, "SQL Server", "SQLServers", "SQL Server Instances"),
    DATABASES_SHEET: (DATABASES_SHEET, "Other Databases"),
}
_SHEET_KEYS = frozenset(normalise_header(a) for aliases in _SHEET_ALIASES.values() for a in aliases)

MACHINE = "Machine"
OS = "Operating System"
CORES = "Cores"
MEMORY = "Memory (in MB)"
IPS = "IP Addresses"
BOOT = "Boot Type"
POWER = "Power Stats"
ENVIRONMENT = "Environment"
HOST = "VM host"
CPU_USAGE = "CPU usage(%)"
MEMORY_USAGE = "Memory usage(%)"
STORAGE = "Storage(GB)"

_MACHINE_ALIASES = (MACHINE, "Machine Name", "MachineName", "Server name", "Server", "Name")
_MEMORY_ALIASES = (MEMORY, "Memory(MB)", "Memory (MB)", "Memory in MB", "Memory")


DISCOVERY_COLUMNS = (
    Column(MACHINE, _MACHINE_ALIASES, required=True),
    Column(ENVIRONMENT, (ENVIRONMENT,)),
    Column(OS, (OS, "Operating system name", "OS name", "OS")),
    Column(CORES, (CORES, "Number of cores"), parse_count, required=True),
    Column(MEMORY, _MEMORY_ALIASES, parse_memory_mib, required=True),
    Column(IPS, (IPS, "IP Address"), parse_addresses),
    Column(BOOT, (BOOT, "Firmware type")),
    Column(POWER, (POWER, "Power Status", "Power State", "Powerstate")),
)

ASSESSMENT_COLUMNS = (
    Column(MACHINE, _MACHINE_ALIASES, required=True),
    Column(HOST, (HOST, "Host")),
    Column(OS, (OS, "Operating System")),
    Column(BOOT, (BOOT,)),
    Column(CORES, (CORES, "Number of cores"), optional(parse_count)),
    Column(MEMORY, _MEMORY_ALIASES, optional(parse_memory_mib)),
    Column(CPU_USAGE, (CPU_USAGE, "CPU usage (%)", "CPU usage"), optional(parse_pct)),
    Column(MEMORY_USAGE, (MEMORY_USAGE, "Memory usage (%)", "Memory usage"), optional(parse_pct)),
    Column(
        STORAGE,
        (STORAGE, "Storage (GB)", "Storage", "Storage in GB"),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(IPS, ("IP address", IPS), parse_addresses),
)

SOFTWARE_MACHINE = Column("MachineName", _MACHINE_ALIASES, required=True)
APPLICATION_COLUMNS = (
    SOFTWARE_MACHINE,
    Column("Application", ("Application", "Application Name", "Name", "Software"), required=True),
    Column("Version", ("Version",)),
    Column("Provider", ("Provider", "Publisher", "Vendor")),
)
SQL_COLUMNS = (
    SOFTWARE_MACHINE,
    Column("Instance Name", ("Instance Name", "Instance")),
    Column("Edition", ("Edition",)),
    Column("Service Pack", ("Service Pack",)),
    Column("Version", ("Version",)),
)
DATABASE_COLUMNS = (
    SOFTWARE_MACHINE,
    Column("Database Type", ("Database Type", "Type", "Database"), required=True),
    Column("Version", ("Version",)),
)


def detect(source: Source) -> bool:
    return source.kind == "xlsx" and bool(source.sheet_keys & _SHEET_KEYS)


@dataclass
class _Machine:
    """One machine gathered from the machine sheets, before it becomes a Server."""

    name: str
    where: Location
    values: dict[str, Any]
    columns: ColumnMap
    row: int
    software: list[SoftwareProduct] = field(default_factory=list)


_COMPARED = (CORES, MEMORY)


def _join(
    machine: _Machine, values: dict[str, Any], where: Location, problems: ProblemCollector
) -> None:
    """Fill the machine's gaps from another sheet; report disagreements on size."""
    for key, value in values.items():
        current = machine.values.get(key)
        if current in (None, "", ()):
            machine.values[key] = value
        elif key in _COMPARED and current != value:
            problems.warning(
                f"machine {machine.name!r}: {key} is {current} in {machine.where} but {value} "
                f"here; keeping {current}",
                where,
                code="conflict",
            )


def _read_machines(
    table: Table,
    columns_spec: Sequence[Column],
    machines: dict[str, _Machine],
    problems: ProblemCollector,
) -> None:
    from forcelift.migration.inventory.merge import server_key  # merge imports the readers

    columns = ColumnMap(table, columns_spec, problems)
    if not columns.ok:
        return
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        values = columns.extract(row, cells)
        if values is None:
            continue
        values = present(values)
        where = table.location(row=row)
        key = server_key(values[MACHINE])
        if key in seen:
            problems.error(
                f"duplicate machine {values[MACHINE]!r} (also on row {seen[key]})",
                table.location(row=row, column=columns.resolved[0][1]),
                code="duplicate",
            )
            continue
        seen[key] = row
        if key in machines:
            _join(machines[key], values, where, problems)
        else:
            machines[key] = _Machine(values[MACHINE], where, values, columns, row)


def _product(kind: str, values: dict[str, Any]) -> SoftwareProduct:
    if kind == APPLICATIONS_SHEET:
        return SoftwareProduct(
            vendor=values.get("Provider", ""),
            product=values["Application"],
            version=values.get("Version", ""),
        )
    if kind == SQL_SHEET:
        return SoftwareProduct(
            vendor="Microsoft",
            product="SQL Server",
            version=values.get("Version", ""),
            edition=values.get("Edition", ""),
        )
    return SoftwareProduct(product=values["Database Type"], version=values.get("Version", ""))


def _read_software(
    kind: str,
    table: Table,
    machines: dict[str, _Machine],
    fragment: Fragment,
    problems: ProblemCollector,
) -> None:
    from forcelift.migration.inventory.merge import server_key  # merge imports the readers

    spec = {
        APPLICATIONS_SHEET: APPLICATION_COLUMNS,
        SQL_SHEET: SQL_COLUMNS,
        DATABASES_SHEET: DATABASE_COLUMNS,
    }[kind]
    if not any(table.header):
        return  # an empty optional sheet
    columns = ColumnMap(table, spec, problems)
    if not columns.ok:
        return
    for row, cells in table.rows:
        values = columns.extract(row, cells)
        if values is None:
            continue
        product = _product(kind, values)
        name = values["MachineName"]
        machine = machines.get(server_key(name))
        if machine is not None:
            if product not in machine.software:
                machine.software.append(product)
        else:
            fragment.add_software(name, product, table.location(row=row))


_FIELD_COLUMNS = {"name": MACHINE, "fqdn": MACHINE, "cores": CORES, "memory_mib": MEMORY, "os": OS}


def _power_state(machine: _Machine, problems: ProblemCollector) -> PowerState:
    raw = machine.values.get(POWER)
    try:
        return parse_power_state(raw)
    except ValueError as exc:
        column = header_of(machine.columns, POWER)
        problems.warning(
            f"{exc}; power state left unknown",
            Location(machine.where.file, machine.where.sheet, machine.row, column),
        )
        return PowerState.UNKNOWN


def _server(machine: _Machine, problems: ProblemCollector) -> Server | None:
    values = machine.values
    for required in (CORES, MEMORY):
        if values.get(required) is None:
            problems.error(
                f"{required} is empty, and no other sheet gives it",
                Location(
                    machine.where.file,
                    machine.where.sheet,
                    machine.row,
                    header_of(machine.columns, required) or required,
                ),
            )
            return None
    storage = values.get(STORAGE)
    tags = {
        tag: text(values[column])
        for tag, column in (("boot_type", BOOT), ("environment", ENVIRONMENT))
        if values.get(column)
    }
    name, fqdn = split_fqdn(machine.name)
    data = {
        "name": name,
        "fqdn": fqdn,
        "ip_addresses": values.get(IPS, ()),
        "os": {"name": values.get(OS, "")},
        "cores": values[CORES],
        "memory_mib": values[MEMORY],
        "disks": (Disk(name="storage", provisioned_gib=round(storage, 3)),)
        if storage is not None
        else (),
        "power_state": _power_state(machine, problems),
        "host": values.get(HOST, ""),
        "utilisation": utilisation(
            cpu_percent=values.get(CPU_USAGE), memory_percent=values.get(MEMORY_USAGE)
        ),
        "software": tuple(machine.software),
        "tags": tags,
    }
    return build_server(data, machine.columns, machine.row, problems, _FIELD_COLUMNS)


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    workbook = source.workbook()
    try:
        sheets = {
            kind: sheet
            for kind, aliases in _SHEET_ALIASES.items()
            if (sheet := workbook.find_sheet(*aliases)) is not None
        }
        if not sheets:
            problems.error(
                "no Azure Migrate sheet in this workbook",
                source.location(),
                hint="expected one of: " + ", ".join(_SHEET_ALIASES),
            )
            return fragment
        machines: dict[str, _Machine] = {}
        if DISCOVERY_SHEET in sheets:
            _read_machines(
                workbook.table(sheets[DISCOVERY_SHEET]), DISCOVERY_COLUMNS, machines, problems
            )
        if ASSESSMENT_SHEET in sheets:
            spec = ASSESSMENT_COLUMNS
            if DISCOVERY_SHEET not in sheets:  # then the assessment is the only size source
                spec = tuple(
                    replace(c, required=c.required or c.field in (CORES, MEMORY)) for c in spec
                )
            _read_machines(workbook.table(sheets[ASSESSMENT_SHEET]), spec, machines, problems)
        for kind in (APPLICATIONS_SHEET, SQL_SHEET, DATABASES_SHEET):
            if kind in sheets:
                _read_software(kind, workbook.table(sheets[kind]), machines, fragment, problems)
    finally:
        workbook.close()
    for machine in machines.values():
        server = _server(machine, problems)
        if server is not None:
            fragment.add_server(server, machine.where)
    return fragment


SPEC = ReaderSpec(
    FORMAT,
    "Azure Migrate discovery report / assessment / software inventory workbook",
    detect,
    read,
)
