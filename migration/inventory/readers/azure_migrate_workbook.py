"""Azure Migrate workbooks: discovery report, assessment export, software inventory export.

Recognised by sheet names, and one workbook may hold several of them: `Discovery_Report` and
`All_Assessed_Machines` describe machines (rows of both sheets for the same machine are joined);
`ApplicationInventory`, `SQLServer` and `OtherDatabases` are software evidence, attached to the
machine of that name here or, failing that, in any other source merged with this one.
Mapping and caveats: docs/formats-azure-migrate.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import (
    NO_PERFORMANCE_DATA,
    Gap,
    Identity,
    distinct,
    report_gaps,
    zero_utilisation,
)
from forcelift.migration.inventory.identity import server_key
from forcelift.migration.inventory.model import Disk, PowerState, Server, SoftwareProduct
from forcelift.migration.inventory.normalise import parse_power_state, text
from forcelift.migration.inventory.readers.azure_migrate_assessment import (
    NO_CPU_DATA,
    NO_DATA,
    NO_MEMORY_DATA,
    assessment,
    header_currency,
    money_columns,
    read_properties,
)
from forcelift.migration.inventory.readers.azure_migrate_columns import (
    APPLICATION_COLUMNS,
    APPLICATIONS_SHEET,
    ASSESSMENT_COLUMNS,
    ASSESSMENT_SHEET,
    BOOT,
    CLAIMING,
    COMPUTE_COST,
    COMPUTE_COST_ALIASES,
    CORES,
    CPU_USAGE,
    DATA_ISSUES,
    DATABASE_COLUMNS,
    DATABASES_SHEET,
    DISCOVERY_COLUMNS,
    DISCOVERY_SHEET,
    DISK_COLUMNS,
    DISKS_SHEET,
    ENVIRONMENT,
    HOST,
    IDENTITY,
    IPS,
    MACHINE,
    MEMORY,
    MEMORY_USAGE,
    OS,
    POWER,
    PROPERTIES_SHEET,
    SHEET_ALIASES,
    SHEET_KEYS,
    SITE,
    SQL_COLUMNS,
    SQL_SHEET,
    STORAGE,
    STORAGE_COST,
    STORAGE_COST_ALIASES,
)
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.readers.vendor_cells import (
    build_server,
    header_of,
    present,
    split_fqdn,
    utilisation,
)
from forcelift.migration.inventory.tabular import Table

FORMAT = "azure-migrate-workbook"


def detect(source: Source) -> bool:
    return source.kind == "xlsx" and bool(source.sheet_keys & SHEET_KEYS)


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
    #: the machine sheets (by kind, e.g. ASSESSMENT_SHEET, whatever the workbook calls them)
    #: that have a row for this machine
    joined: set[str] = field(default_factory=set)

    def probe(self) -> Identity:
        """What tells this machine from a same-named one (values joined so far included)."""
        return _identity_of(self.values)


def _identity_of(values: dict[str, Any]) -> Identity:
    """A machine row's identity for the shared rule (gaps.distinct): machine id, else site,
    else the FQDN its name gives (`web01.a.local` is not `web01.b.local`)."""
    return Identity(
        text(values.get(IDENTITY)), text(values.get(SITE)), split_fqdn(values[MACHINE])[1]
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


def _partner(candidates: list[_Machine], sheet: str, probe: Identity) -> _Machine | None:
    """The machine from another sheet this row describes: by identity, else the only one."""
    others = [m for m in candidates if sheet not in m.joined]
    if probe.identity or probe.site or probe.fqdn:
        return next((m for m in others if not distinct(m.probe(), probe)), None)
    return others[0] if others else None


def _read_machines(
    kind: str,
    table: Table,
    columns_spec: Sequence[Column],
    machines: dict[str, list[_Machine]],
    problems: ProblemCollector,
    *,
    sizes_required: bool,
) -> None:
    """Machine rows of one sheet (of `kind`, e.g. ASSESSMENT_SHEET) into `machines`."""
    spec = list(columns_spec)
    if kind == ASSESSMENT_SHEET:
        spec += money_columns(table, COMPUTE_COST, COMPUTE_COST_ALIASES)
        spec += money_columns(table, STORAGE_COST, STORAGE_COST_ALIASES)
    columns = ColumnMap(table, spec, problems, report_gaps=False, size_headers=sizes_required)
    if not columns.ok:
        return
    currency = header_currency(table)
    seen: dict[str, list[tuple[int, Identity]]] = {}
    for row, values in columns.records():
        values = present(values)
        gaps = columns.gaps
        where = table.location(row=row)
        key = server_key(values[MACHINE])
        probe = _identity_of(values)
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
        partner = _partner(candidates, kind, probe)
        if partner is not None:
            _join(partner, values, where, problems)
            partner.joined.add(kind)
            partner.gaps.extend(gaps)
            partner.currency = partner.currency or currency
        else:
            machine = _Machine(values[MACHINE], where, values, columns, row, list(gaps))
            machine.joined.add(kind)
            machine.currency = currency
            for size_field, model_field in _SIZE_FIELDS.items():
                if values.get(size_field) is not None:
                    machine.sized_by[model_field] = f"the {table.sheet} sheet, row {row}"
            candidates.append(machine)


def _read_disks(
    table: Table, machines: dict[str, list[_Machine]], problems: ProblemCollector
) -> None:
    """All_Assessed_Disks: one row per disk, attached to its machine."""
    if not any(table.header):
        return
    money = money_columns(table, "Monthly cost", ("Monthly cost estimate", "Monthly cost"))
    columns = ColumnMap(table, [*DISK_COLUMNS, *money], problems)
    if not columns.ok:
        return
    for row, values in columns.records():
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
    for row, values in columns.records():
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
    cpu_missing = bool(NO_CPU_DATA.search(issues))
    memory_missing = bool(NO_MEMORY_DATA.search(issues))
    if NO_DATA.search(issues) and not (cpu_missing or memory_missing):
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
        "assessment": assessment(
            values,
            machine.disks,
            currency=machine.currency,
            assessed=ASSESSMENT_SHEET in machine.joined,
            criterion=criterion,
            utilisation_missing=cpu_missing or memory_missing,
        ),
    }
    return build_server(data, machine.columns, machine.row, problems, _FIELD_COLUMNS)


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    workbook = source.workbook()
    criterion = ""
    try:
        sheets = {
            kind: sheet
            for kind, aliases in SHEET_ALIASES.items()
            if (sheet := workbook.find_sheet(*aliases)) is not None
        }
        if not set(sheets) & set(CLAIMING):
            problems.error(
                "no Azure Migrate sheet in this workbook",
                source.location(),
                hint="expected one of: " + ", ".join(CLAIMING),
            )
            return fragment
        machines: dict[str, list[_Machine]] = {}
        if DISCOVERY_SHEET in sheets:
            _read_machines(
                DISCOVERY_SHEET,
                workbook.table(sheets[DISCOVERY_SHEET]),
                DISCOVERY_COLUMNS,
                machines,
                problems,
                sizes_required=True,
            )
        if ASSESSMENT_SHEET in sheets:
            # without a discovery report the assessment is the only size source
            _read_machines(
                ASSESSMENT_SHEET,
                workbook.table(sheets[ASSESSMENT_SHEET]),
                ASSESSMENT_COLUMNS,
                machines,
                problems,
                sizes_required=DISCOVERY_SHEET not in sheets,
            )
        if DISKS_SHEET in sheets:
            _read_disks(workbook.table(sheets[DISKS_SHEET]), machines, problems)
        if PROPERTIES_SHEET in sheets:
            criterion = read_properties(workbook.table(sheets[PROPERTIES_SHEET]))
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
