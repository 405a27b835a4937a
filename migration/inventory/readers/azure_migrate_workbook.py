"""Azure Migrate workbooks: discovery report, assessment export, software inventory export.

Recognised by sheet names, and one workbook may hold several of them: `Discovery_Report` and
`All_Assessed_Machines` describe machines (rows of both sheets for the same machine are joined);
`ApplicationInventory`, `SQLServer` and `OtherDatabases` are software evidence, attached to the
machine of that name here or, failing that, in any other source merged with this one.
Mapping and caveats: docs/formats-azure-migrate.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import (
    NO_PERFORMANCE_DATA,
    Gap,
    distinct,
    report_gaps,
    zero_utilisation,
)
from forcelift.migration.inventory.identity import server_key
from forcelift.migration.inventory.model import (
    AssessedDisk,
    Assessment,
    Disk,
    PowerState,
    Server,
    SoftwareProduct,
)
from forcelift.migration.inventory.normalise import (
    Cell,
    normalise_header,
    parse_float,
    parse_power_state,
    parse_size_gib,
    split_list,
    text,
    value_text,
)
from forcelift.migration.inventory.readers.azure_migrate_csv import (
    IDENTITY_ALIASES,
    SITE_ALIASES,
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
SOURCE = "azure-migrate"

DISCOVERY_SHEET = "Discovery_Report"
ASSESSMENT_SHEET = "All_Assessed_Machines"
DISKS_SHEET = "All_Assessed_Disks"
PROPERTIES_SHEET = "Assessment_Properties"
APPLICATIONS_SHEET = "ApplicationInventory"
SQL_SHEET = "SQLServer"
DATABASES_SHEET = "OtherDatabases"

_SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    DISCOVERY_SHEET: (DISCOVERY_SHEET,),
    ASSESSMENT_SHEET: (ASSESSMENT_SHEET,),
    DISKS_SHEET: (DISKS_SHEET,),
    PROPERTIES_SHEET: (PROPERTIES_SHEET, "Assessment Properties", "Properties",
                       "Assessment_Summary", "Assessment Summary", "Settings"),
    APPLICATIONS_SHEET: (APPLICATIONS_SHEET, "Application Inventory", "Software Inventory"),
    SQL_SHEET: (SQL_SHEET, "SQL Server", "SQLServers", "SQL Server Instances"),
    DATABASES_SHEET: (DATABASES_SHEET, "Other Databases"),
}  # fmt: skip
#: sheets that make a workbook an Azure Migrate one (a "Properties" sheet alone does not)
_CLAIMING = (DISCOVERY_SHEET, ASSESSMENT_SHEET, DISKS_SHEET, APPLICATIONS_SHEET, SQL_SHEET,
             DATABASES_SHEET)  # fmt: skip
_SHEET_KEYS = frozenset(normalise_header(a) for k in _CLAIMING for a in _SHEET_ALIASES[k])

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
IDENTITY = "identity"
SITE = "site"
READINESS = "Azure VM readiness"
READINESS_ISSUES = "Azure readiness issues"
DATA_ISSUES = "Data collection issues"
RECOMMENDED_SIZE = "Recommended size"
COMPUTE_COST = "Compute monthly cost estimate"
STORAGE_COST = "Storage monthly cost estimate"
SIZING_CRITERION = "Sizing criterion"
DISK_NAMES = "Disk names"
DISK_SKUS = "Recommended disk SKUs"

_MACHINE_ALIASES = (MACHINE, "Machine Name", "MachineName", "Server name", "Server", "Name")
_MEMORY_ALIASES = (MEMORY, "Memory(MB)", "Memory (MB)", "Memory in MB", "Memory")
_COMPUTE_COST_ALIASES = (COMPUTE_COST, "Monthly compute cost estimate", "Compute monthly cost",
                         "Monthly compute cost")  # fmt: skip
_STORAGE_COST_ALIASES = (STORAGE_COST, "Monthly storage cost estimate", "Storage monthly cost",
                         "Monthly storage cost")  # fmt: skip
_CURRENCIES = frozenset({"usd", "gbp", "eur", "inr", "jpy", "aud", "cad", "chf"})
_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}


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


def _issues(value: Cell) -> tuple[str, ...]:
    return split_list(value)


DISCOVERY_COLUMNS = (
    Column(MACHINE, _MACHINE_ALIASES, required=True),
    Column(ENVIRONMENT, (ENVIRONMENT,)),
    Column(OS, (OS, "Operating system name", "OS name", "OS")),
    Column(CORES, (CORES, "Number of cores"), parse_count, size="cores"),
    Column(MEMORY, _MEMORY_ALIASES, parse_memory_mib, size="memory_mib"),
    Column(IPS, (IPS, "IP Address"), parse_addresses),
    Column(BOOT, (BOOT, "Firmware type")),
    Column(POWER, (POWER, "Power Status", "Power State", "Powerstate")),
    Column(IDENTITY, IDENTITY_ALIASES, value_text),
    Column(SITE, SITE_ALIASES, value_text),
)

ASSESSMENT_COLUMNS = (
    Column(MACHINE, _MACHINE_ALIASES, required=True),
    Column(HOST, (HOST, "Host")),
    Column(OS, (OS, "Operating System")),
    Column(BOOT, (BOOT,)),
    Column(CORES, (CORES, "Number of cores"), parse_count, size="cores"),
    Column(MEMORY, _MEMORY_ALIASES, parse_memory_mib, size="memory_mib"),
    Column(CPU_USAGE, (CPU_USAGE, "CPU usage (%)", "CPU usage", "CPU Utilization (in %)"),
           optional(parse_pct)),
    Column(MEMORY_USAGE, (MEMORY_USAGE, "Memory usage (%)", "Memory usage",
                          "Memory Utilization (in %)"), optional(parse_pct)),
    Column(
        STORAGE,
        (STORAGE, "Storage (GB)", "Storage", "Storage in GB", "Storage (in GB)"),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(IPS, ("IP address", IPS), parse_addresses),
    Column(IDENTITY, IDENTITY_ALIASES, value_text),
    Column(SITE, SITE_ALIASES, value_text),
    # the tool's own answer, kept as Server.assessment; readiness words are real values here
    Column(READINESS, (READINESS, "Azure readiness", "Readiness", "Azure VM Readiness",
                       "Suitability"), literal=True),
    Column(READINESS_ISSUES, (READINESS_ISSUES, "Readiness issues", "Suitability issues",
                              "Suitability explanation", "Migration issues",
                              "Azure VM readiness issues"), _issues, literal=True),
    Column(DATA_ISSUES, (DATA_ISSUES, "Data collection issue"), _issues, literal=True),
    Column(RECOMMENDED_SIZE, (RECOMMENDED_SIZE, "Azure VM size", "Recommended VM size",
                              "Recommended VM Size", "Azure VM Size (recommended)"), value_text),
    Column(SIZING_CRITERION, (SIZING_CRITERION, "Sizing criteria")),
    Column(DISK_NAMES, (DISK_NAMES, "Disk Names"), _issues),
    Column(DISK_SKUS, (DISK_SKUS, "Recommended Disk SKUs", "Recommended disk SKU"), _issues),
)  # fmt: skip

DISK_COLUMNS = (
    Column(MACHINE, _MACHINE_ALIASES, required=True),
    Column("Disk name", ("Disk name", "Disk", "Disk ID")),
    Column("Recommended disk type", ("Recommended disk type", "Disk type"), value_text),
    Column(
        "Recommended disk size SKU",
        ("Recommended disk size SKU", "Recommended disk SKU", "Recommended disk size"),
        value_text,
    ),
    Column(
        "Source disk size",
        (
            "Source disk size(GB)",
            "Source disk size (GB)",
            "Source disk size",
            "Disk size(GB)",
            "Disk size (GB)",
        ),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(
        "Target disk size",
        ("Target disk size(GB)", "Target disk size (GB)", "Target disk size"),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(IDENTITY, IDENTITY_ALIASES, value_text),
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


def _money_columns(table: Table, field_name: str, aliases: Sequence[str]) -> list[Column]:
    """Cost columns as exports name them, with or without a currency: `… estimate USD`."""
    folded = [normalise_header(a) for a in aliases]
    for index, key in enumerate(table.keys):
        for alias in folded:
            rest = key[len(alias) :] if key.startswith(alias) else None
            if rest is not None and (rest == "" or rest in _CURRENCIES):
                return [
                    Column(field_name, (table.header[index],), parse_money),
                    Column(f"{field_name} currency", (table.header[index],), _currency_of),
                ]
    return []


@dataclass
class _Machine:
    """One machine gathered from the machine sheets, before it becomes a Server."""

    name: str
    where: Location
    values: dict[str, Any]
    columns: ColumnMap
    row: int
    gaps: list[Gap] = field(default_factory=list)
    #: which sheet gave each size field (for "taken from the Discovery_Report sheet")
    sized_by: dict[str, str] = field(default_factory=dict)
    software: list[SoftwareProduct] = field(default_factory=list)
    disks: list[dict[str, Any]] = field(default_factory=list)
    currency: str = ""
    joined: set[str] = field(default_factory=set)

    def probe(self) -> Server:
        """Just enough of a Server to compare identities."""
        return Server(
            name=self.name,
            identity=text(self.values.get(IDENTITY)),
            site=text(self.values.get(SITE)),
        )


_COMPARED = (CORES, MEMORY)
_SIZE_FIELDS = {CORES: "cores", MEMORY: "memory_mib"}


def _join(
    machine: _Machine, values: dict[str, Any], where: Location, problems: ProblemCollector
) -> None:
    """Fill the machine's gaps from another sheet; report disagreements on size."""
    for key, value in values.items():
        current = machine.values.get(key)
        if current in (None, "", ()):
            machine.values[key] = value
            if key in _SIZE_FIELDS:
                machine.sized_by[_SIZE_FIELDS[key]] = f"the {where.sheet} sheet, row {where.row}"
        elif key in _COMPARED and current != value:
            problems.warning(
                f"machine {machine.name!r}: {key} is {current} in {machine.where} but {value} "
                f"here; keeping {current}",
                where,
                code="conflict",
            )


def _partner(
    candidates: list[_Machine], values: dict[str, Any], sheet: str, probe: Server
) -> _Machine | None:
    """The machine from another sheet this row describes: by identity, else the only one."""
    others = [m for m in candidates if sheet not in m.joined]
    if probe.identity or probe.site:
        return next((m for m in others if not distinct(m.probe(), probe)), None)
    return others[0] if others else None


def _read_machines(
    table: Table,
    columns_spec: Sequence[Column],
    machines: dict[str, list[_Machine]],
    problems: ProblemCollector,
    *,
    sizes_required: bool,
) -> None:
    """Machine rows of one sheet into `machines`."""
    spec = list(columns_spec)
    if table.sheet and normalise_header(table.sheet) == normalise_header(ASSESSMENT_SHEET):
        spec += _money_columns(table, COMPUTE_COST, _COMPUTE_COST_ALIASES)
        spec += _money_columns(table, STORAGE_COST, _STORAGE_COST_ALIASES)
    columns = ColumnMap(table, spec, problems, report_gaps=False, size_headers=sizes_required)
    if not columns.ok:
        return
    currency = _header_currency(table)
    seen: dict[str, list[tuple[int, Server]]] = {}
    for row, cells in table.rows:
        values = columns.extract(row, cells)
        if values is None:
            continue
        values = present(values)
        gaps = columns.gaps
        where = table.location(row=row)
        key = server_key(values[MACHINE])
        probe = Server(
            name=values[MACHINE],
            identity=text(values.get(IDENTITY)),
            site=text(values.get(SITE)),
        )
        earlier = seen.setdefault(key, [])
        same = next((r for r, other in earlier if not distinct(other, probe)), None)
        if same is not None:
            problems.error(
                f"duplicate machine {values[MACHINE]!r} (also on row {same})",
                table.location(row=row, column=columns.resolved[0][1]),
                code="duplicate",
            )
            continue
        earlier.append((row, probe))
        candidates = machines.setdefault(key, [])
        partner = _partner(candidates, values, table.sheet or "", probe)
        if partner is not None:
            _join(partner, values, where, problems)
            partner.joined.add(table.sheet or "")
            partner.gaps.extend(gaps)
            partner.currency = partner.currency or currency
        else:
            machine = _Machine(values[MACHINE], where, values, columns, row, list(gaps))
            machine.joined.add(table.sheet or "")
            machine.currency = currency
            for size_field, model_field in _SIZE_FIELDS.items():
                if values.get(size_field) is not None:
                    machine.sized_by[model_field] = f"the {table.sheet} sheet, row {row}"
            candidates.append(machine)


def _header_currency(table: Table) -> str:
    for key in table.keys:
        for alias in (*_COMPUTE_COST_ALIASES, *_STORAGE_COST_ALIASES):
            folded = normalise_header(alias)
            if key.startswith(folded) and key[len(folded) :] in _CURRENCIES:
                return key[len(folded) :].upper()
    return ""


def _read_disks(
    table: Table, machines: dict[str, list[_Machine]], problems: ProblemCollector
) -> None:
    """All_Assessed_Disks: one row per disk, attached to its machine."""
    if not any(table.header):
        return
    money = _money_columns(table, "Monthly cost", ("Monthly cost estimate", "Monthly cost"))
    columns = ColumnMap(table, [*DISK_COLUMNS, *money], problems)
    if not columns.ok:
        return
    for row, cells in table.rows:
        values = columns.extract(row, cells)
        if values is None:
            continue
        candidates = machines.get(server_key(values[MACHINE]), [])
        identity = text(values.get(IDENTITY))
        machine = next(
            (m for m in candidates if identity and text(m.values.get(IDENTITY)) == identity),
            candidates[0] if len(candidates) == 1 else None,
        )
        if machine is None:
            problems.warning(
                f"disk of unknown or ambiguous machine {values[MACHINE]!r} ignored",
                table.location(row=row),
                code="dangling",
            )
            continue
        machine.disks.append(values)


def _read_properties(table: Table) -> str:
    """The sizing criterion from an assessment-properties sheet (key / value rows)."""
    rows = [list(table.header), *(list(cells) for _, cells in table.rows)]
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


def readiness(value: str) -> str:
    """The export's readiness wording -> Ready | Ready with conditions | Not ready | Unknown."""
    key = normalise_header(value)
    if not key:
        return ""
    if "notready" in key:
        return "Not ready"
    if "condition" in key:
        return "Ready with conditions"
    if "unknown" in key:
        return "Unknown"
    if key.startswith("ready") or key == "readyforazure":
        return "Ready"
    return value.strip()


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
    machines: dict[str, list[_Machine]],
    fragment: Fragment,
    problems: ProblemCollector,
) -> None:
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
        found = machines.get(server_key(name), [])
        if found:
            for machine in found:  # same-named machines: software evidence applies to each
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


_NO_CPU_DATA = re.compile(r"no (performance )?data.*\bcpu|cpu.*\bno (performance )?data", re.I)
_NO_MEMORY_DATA = re.compile(r"no (performance )?data.*\bmemory|memory.*\bno (performance )?data",
                             re.I)  # fmt: skip
_NO_DATA = re.compile(r"no (performance )?data|performance data (is )?(not|un)available", re.I)


def _disk_type(values: dict[str, Any]) -> str:
    kind = text(values.get("Recommended disk type"))
    sku = text(values.get("Recommended disk size SKU"))
    return kind if sku and sku.lower() in kind.lower() else " ".join(p for p in (kind, sku) if p)


def _assessment(
    machine: _Machine, criterion: str, cpu_missing: bool, memory_missing: bool
) -> Assessment | None:
    values = machine.values
    listed = [
        AssessedDisk(
            name=text(d.get("Disk name")),
            size_gib=d.get("Target disk size", d.get("Source disk size")),
            recommended_type=_disk_type(d),
            monthly_cost=d.get("Monthly cost"),
        )
        for d in machine.disks
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
        "readiness": readiness(text(values.get(READINESS))),
        "readiness_reasons": values.get(READINESS_ISSUES, ()),
        "disks": tuple(listed),
        "monthly_compute_cost": values.get(COMPUTE_COST),
        "monthly_storage_cost": values.get(STORAGE_COST),
        "currency": machine.currency
        or values.get(f"{COMPUTE_COST} currency")
        or values.get(f"{STORAGE_COST} currency")
        or "",
        "data_collection_issues": values.get(DATA_ISSUES, ()),
        "utilisation_missing": cpu_missing or memory_missing,
    }
    if not any(v for k, v in given.items() if k != "sizing_criterion") and not (
        values.get(READINESS) or (ASSESSMENT_SHEET in machine.joined and criterion)
    ):
        return None
    return Assessment(source=SOURCE, **given)


def _server(machine: _Machine, criterion: str, problems: ProblemCollector) -> Server | None:
    values = machine.values
    # a gap another sheet filled is still reported, naming where the value came from
    reason = report_gaps(problems, machine.gaps, dict(machine.sized_by))
    storage = values.get(STORAGE)
    tags = {
        tag: text(values[column])
        for tag, column in (("boot_type", BOOT), ("environment", ENVIRONMENT))
        if values.get(column)
    }
    where = Location(machine.where.file, machine.where.sheet, machine.row)
    issues = " | ".join(values.get(DATA_ISSUES, ()))
    cpu, memory = values.get(CPU_USAGE), values.get(MEMORY_USAGE)
    cpu_missing = bool(_NO_CPU_DATA.search(issues))
    memory_missing = bool(_NO_MEMORY_DATA.search(issues))
    if _NO_DATA.search(issues) and not (cpu_missing or memory_missing):
        cpu_missing = memory_missing = True
    if (cpu_missing and cpu is not None) or (memory_missing and memory is not None):
        problems.info(
            f"the assessment's data collection issues say {issues!r}: utilisation read as missing",
            where,
            code=NO_PERFORMANCE_DATA,
        )
    cpu = None if cpu_missing else cpu
    memory = None if memory_missing else memory
    if zero_utilisation(cpu, memory, where, problems):
        cpu = memory = None
        cpu_missing = memory_missing = True
    if machine.disks:
        disks = tuple(
            Disk(name=text(d.get("Disk name")), provisioned_gib=round(d["Source disk size"], 3))
            for d in machine.disks
            if d.get("Source disk size") is not None
        )
    else:
        disks = (
            (Disk(name="storage", provisioned_gib=round(storage, 3)),)
            if storage is not None
            else ()
        )
    name, fqdn = split_fqdn(machine.name)
    data = {
        "name": name,
        "fqdn": fqdn,
        "ip_addresses": values.get(IPS, ()),
        "os": {"name": values.get(OS, "")},
        "cores": values.get(CORES),
        "memory_mib": values.get(MEMORY),
        "unsized_reason": reason,
        "identity": text(values.get(IDENTITY)),
        "site": text(values.get(SITE)),
        "disks": disks,
        "power_state": _power_state(machine, problems),
        "host": values.get(HOST, ""),
        "utilisation": utilisation(cpu_percent=cpu, memory_percent=memory),
        "software": tuple(machine.software),
        "tags": tags,
        "assessment": _assessment(machine, criterion, cpu_missing, memory_missing),
    }
    return build_server(data, machine.columns, machine.row, problems, _FIELD_COLUMNS)


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    workbook = source.workbook()
    criterion = ""
    try:
        sheets = {
            kind: sheet
            for kind, aliases in _SHEET_ALIASES.items()
            if (sheet := workbook.find_sheet(*aliases)) is not None
        }
        if not set(sheets) & set(_CLAIMING):
            problems.error(
                "no Azure Migrate sheet in this workbook",
                source.location(),
                hint="expected one of: " + ", ".join(_CLAIMING),
            )
            return fragment
        machines: dict[str, list[_Machine]] = {}
        if DISCOVERY_SHEET in sheets:
            _read_machines(
                workbook.table(sheets[DISCOVERY_SHEET]),
                DISCOVERY_COLUMNS,
                machines,
                problems,
                sizes_required=True,
            )
        if ASSESSMENT_SHEET in sheets:
            # without a discovery report the assessment is the only size source
            _read_machines(
                workbook.table(sheets[ASSESSMENT_SHEET]),
                ASSESSMENT_COLUMNS,
                machines,
                problems,
                sizes_required=DISCOVERY_SHEET not in sheets,
            )
        if DISKS_SHEET in sheets:
            _read_disks(workbook.table(sheets[DISKS_SHEET]), machines, problems)
        if PROPERTIES_SHEET in sheets:
            criterion = _read_properties(workbook.table(sheets[PROPERTIES_SHEET]))
        for kind in (APPLICATIONS_SHEET, SQL_SHEET, DATABASES_SHEET):
            if kind in sheets:
                _read_software(kind, workbook.table(sheets[kind]), machines, fragment, problems)
    finally:
        workbook.close()
    for found in machines.values():
        for machine in found:
            server = _server(machine, criterion, problems)
            if server is not None:
                fragment.add_server(server, machine.where)
    fragment.rows = sum(len(found) for found in machines.values())
    fragment.disambiguate(problems)
    return fragment


SPEC = ReaderSpec(
    FORMAT,
    "Azure Migrate discovery report / assessment / software inventory workbook",
    detect,
    read,
)
