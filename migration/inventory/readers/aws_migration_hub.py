"""AWS Migration Hub / Application Discovery Service import CSV.

The services closed to new customers in November 2025, but forces still hold files in this
format. Each row needs an identifier (ExternalId, IPAddress, MACAddress, HostName, or the pair
VMware.MoRefId + VMware.VCenterId); forcelift also needs RAM.TotalSizeInMB. The `Applications`
column becomes application records, so an import yields workloads. Choices (logical cores,
peak utilisation, units) are explained in docs/formats-aws-migration-hub.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import Gap, report_gaps
from forcelift.migration.inventory.model import Server
from forcelift.migration.inventory.normalise import (
    Cell,
    is_blank,
    parse_size_mib,
    split_list,
    text,
    value_text,
)
from forcelift.migration.inventory.readers.application_groups import ApplicationGroups
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.readers.vendor_cells import (
    build_server,
    header_of,
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

FORMAT = "aws-migration-hub"

#: Kilobytes per second to megabits per second (decimal units, as network rates are quoted).
MBPS_PER_KB_S = 8 / 1000

EXTERNAL_ID = "ExternalId"
IP_ADDRESS = "IPAddress"
MAC_ADDRESS = "MACAddress"
HOST_NAME = "HostName"
MOREF_ID = "VMware.MoRefId"
VCENTER_ID = "VMware.VCenterId"
VM_NAME = "VMware.VMName"
PROCESSORS = "CPU.NumberOfProcessors"
CORES = "CPU.NumberOfCores"
LOGICAL_CORES = "CPU.NumberOfLogicalCores"
OS_NAME = "OS.Name"
OS_VERSION = "OS.Version"
RAM_TOTAL = "RAM.TotalSizeInMB"
RAM_USED_AVG = "RAM.UsedSizeInMB.Avg"
RAM_USED_MAX = "RAM.UsedSizeInMB.Max"
CPU_AVG = "CPU.UsagePct.Avg"
CPU_MAX = "CPU.UsagePct.Max"
READ_OPS_AVG = "DiskReadsOpsPerSecond.Avg"
READ_OPS_MAX = "DiskReadsOpsPerSecond.Max"
WRITE_OPS_AVG = "DiskWritesOpsPerSecond.Avg"
WRITE_OPS_MAX = "DiskWritesOpsPerSecond.Max"
NET_READ_AVG = "NetworkReadsPerSecondInKB.Avg"
NET_READ_MAX = "NetworkReadsPerSecondInKB.Max"
NET_WRITE_AVG = "NetworkWritesPerSecondInKB.Avg"
NET_WRITE_MAX = "NetworkWritesPerSecondInKB.Max"
APPLICATIONS = "Applications"
WAVE = "ApplicationWave"
TAGS = "Tags"

SMBIOS_ID = "SMBIOSID"
RECOMMENDED = "RecommendedInstanceType"
#: AWS's own instance type match, where an export carries one (ADS exports with EC2
#: recommendations, Migration Hub / Migration Evaluator reports): spellings seen in the field
RECOMMENDED_ALIASES = (
    RECOMMENDED, "Recommended instance type", "EC2RecommendationsInstanceType",
    "EC2 Recommendations Instance Type", "Recommendation.EC2.InstanceType",
    "RecommendedEC2InstanceType", "Recommended EC2 instance type", "EC2InstanceType",
    "EC2 instance type", "Recommended.InstanceType",
)  # fmt: skip

IDENTIFIERS = (EXTERNAL_ID, IP_ADDRESS, MAC_ADDRESS, HOST_NAME)

_TAG_SPLIT = re.compile(r"(\s*[,;|\n]\s*)")
_TAG = re.compile(r"^([^:=]*)[:=](.*)$", re.S)


def parse_tags(value: Cell) -> dict[str, str]:
    """`zone:1, critical:yes` (also `;` `|`, or `=`) -> tags.

    A piece without a name (`owner:Smith, ICT`) continues the previous tag's value, so values
    holding a separator survive; a repeated name keeps every value, comma-separated.
    """
    tags: dict[str, str] = {}
    last: str | None = None
    pieces = _TAG_SPLIT.split(text(value))
    for i in range(0, len(pieces), 2):
        piece = pieces[i].strip()
        if not piece:
            continue
        match = _TAG.match(piece)
        if match and match[1].strip():
            key, val = match[1].strip(), match[2].strip()
            tags[key] = f"{tags[key]}, {val}" if key in tags and tags[key] != val else val
            last = key
        elif match is None and last is not None:
            tags[last] = f"{tags[last]}{pieces[i - 1].strip()} {piece}"
        else:
            raise ValueError(f"tag {piece!r} has no name (use name:value)")
    return tags


def _ops(*aliases: str) -> tuple[str, ...]:
    """`DiskReadsOpsPerSecond.Max` is also written `DiskReadOpsPerSecond.Max`."""
    return tuple(dict.fromkeys((*aliases, *(a.replace("sOps", "Ops") for a in aliases))))


_RATE = optional(parse_rate)


def _used_mib(value: Cell) -> float:
    number = plain_number(value)
    return number if number is not None else parse_size_mib(value)


COLUMNS = (
    Column(EXTERNAL_ID, (EXTERNAL_ID, "External Id")),
    Column(IP_ADDRESS, (IP_ADDRESS, "IPAddresses", "IP Address"), parse_addresses),
    Column(MAC_ADDRESS, (MAC_ADDRESS, "MACAddresses", "MAC Address"), parse_addresses),
    Column(HOST_NAME, (HOST_NAME, "Host Name")),
    Column(MOREF_ID, (MOREF_ID,)),
    Column(VCENTER_ID, (VCENTER_ID,), value_text),
    Column(VM_NAME, (VM_NAME,)),
    Column(PROCESSORS, (PROCESSORS,), parse_count, size="cores"),
    Column(CORES, (CORES,), parse_count, size="cores"),
    Column(LOGICAL_CORES, (LOGICAL_CORES,), parse_count, size="cores"),
    Column(OS_NAME, (OS_NAME,)),
    Column(OS_VERSION, (OS_VERSION,)),
    Column(RAM_TOTAL, (RAM_TOTAL,), parse_memory_mib, size="memory_mib"),
    Column(SMBIOS_ID, (SMBIOS_ID, "SMBIOS ID", "SMBIOS UUID", "BIOS UUID"), value_text),
    Column(RECOMMENDED, RECOMMENDED_ALIASES, value_text),
    Column(RAM_USED_AVG, (RAM_USED_AVG,), optional(_used_mib)),
    Column(RAM_USED_MAX, (RAM_USED_MAX,), optional(_used_mib)),
    Column(CPU_AVG, (CPU_AVG,), optional(parse_pct)),
    Column(CPU_MAX, (CPU_MAX,), optional(parse_pct)),
    Column(READ_OPS_AVG, _ops(READ_OPS_AVG), _RATE),
    Column(READ_OPS_MAX, _ops(READ_OPS_MAX), _RATE),
    Column(WRITE_OPS_AVG, _ops(WRITE_OPS_AVG), _RATE),
    Column(WRITE_OPS_MAX, _ops(WRITE_OPS_MAX), _RATE),
    Column(NET_READ_AVG, (NET_READ_AVG,), _RATE),
    Column(NET_READ_MAX, (NET_READ_MAX,), _RATE),
    Column(NET_WRITE_AVG, (NET_WRITE_AVG,), _RATE),
    Column(NET_WRITE_MAX, (NET_WRITE_MAX,), _RATE),
    Column(APPLICATIONS, (APPLICATIONS,), lambda value: split_list(value, ",")),
    Column(WAVE, (WAVE,)),
    Column(TAGS, (TAGS,), parse_tags),
)

# Folded headers only this template uses (OS.Name or HostName alone prove nothing).
_SPECIFIC_KEYS = frozenset(
    {
        "externalid",
        "smbiosid",
        "vmwaremorefid",
        "vmwarevcenterid",
        "vmwarevmname",
        "cpunumberofprocessors",
        "cpunumberofcores",
        "cpunumberoflogicalcores",
        "ramtotalsizeinmb",
        "ramusedsizeinmbavg",
        "ramusedsizeinmbmax",
        "cpuusagepctavg",
        "cpuusagepctmax",
        "applicationwave",
        "serverid",
    }
)


def detect(source: Source) -> bool:
    if source.kind != "csv":
        return False
    keys = source.csv_keys
    return "ramtotalsizeinmb" in keys or len(keys & _SPECIFIC_KEYS) >= 2


def _identify(
    columns: ColumnMap,
    where: dict[str, int],
    cells: Sequence[Cell],
    row: int,
    problems: ProblemCollector,
) -> bool:
    """Whether the row has an identifier AWS accepts; reports the row if not.

    `where` maps the identifier columns present to their indices (resolved once per file).
    """
    table = columns.table
    width = len(cells)
    has = {name: index < width and not is_blank(cells[index]) for name, index in where.items()}
    moref, vcenter = has.get(MOREF_ID, False), has.get(VCENTER_ID, False)
    other = any(has.get(n, False) for n in IDENTIFIERS)
    if moref != vcenter:
        given, missing = (MOREF_ID, VCENTER_ID) if moref else (VCENTER_ID, MOREF_ID)
        report = problems.warning if other else problems.error
        report(
            f"{given} is given without {missing}; AWS needs both in the same row",
            Location(table.file, table.sheet, row, header_of(columns, given)),
        )
        return other
    if other or moref:
        return True
    problems.error(
        "row has no identifier: give ExternalId, IPAddress, MACAddress, HostName, "
        "or VMware.MoRefId with VMware.VCenterId",
        Location(table.file, table.sheet, row),
        hint="AWS rejects rows without one; forcelift needs one to name the server",
    )
    return False


def _first(values: dict[str, Any], *names: str) -> Any:
    return next((values[n] for n in names if values.get(n) is not None), None)


def _cores_column(values: dict[str, Any]) -> str | None:
    """The column the CPU count comes from.

    Logical cores are the vCPUs a VM is sized on; CPU.NumberOfCores is already the total number
    of physical cores (AWS's definition), so it is not multiplied by the processor count.
    """
    return next((n for n in (LOGICAL_CORES, CORES, PROCESSORS) if values.get(n) is not None), None)


def _name(values: dict[str, Any]) -> tuple[str, str]:
    """(server name, FQDN) by the documented precedence."""
    host, fqdn = split_fqdn(values.get(HOST_NAME, ""))
    if values.get(VM_NAME):
        return values[VM_NAME], fqdn
    if host:
        return host, fqdn
    for field in (EXTERNAL_ID, IP_ADDRESS, MAC_ADDRESS):
        value = values.get(field)
        if value:
            return (value[0] if isinstance(value, tuple) else value), fqdn
    return values.get(MOREF_ID, ""), fqdn


def _memory_percent(
    values: dict[str, Any], columns: ColumnMap, row: int, problems: ProblemCollector
) -> float | None:
    used, total = _first(values, RAM_USED_MAX, RAM_USED_AVG), values.get(RAM_TOTAL)
    if used is None or not total:
        return None
    percent = round(used / total * 100, 2)
    if percent > 100:
        column = RAM_USED_MAX if values.get(RAM_USED_MAX) is not None else RAM_USED_AVG
        problems.warning(
            f"used memory {used:g} MB is more than the total {total} MB; taken as 100%",
            Location(columns.table.file, columns.table.sheet, row, header_of(columns, column)),
        )
        percent = 100.0
    return percent


def _sum(*values: float | None) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _server_values(
    values: dict[str, Any], columns: ColumnMap, row: int, problems: ProblemCollector
) -> dict[str, Any]:
    name, fqdn = _name(values)
    network = _sum(
        _first(values, NET_READ_MAX, NET_READ_AVG), _first(values, NET_WRITE_MAX, NET_WRITE_AVG)
    )
    tags = dict(values.get(TAGS, {}))
    if values.get(WAVE):
        tags.setdefault("wave", values[WAVE])
    moref = values.get(MOREF_ID, "")
    identity = values.get(EXTERNAL_ID) or values.get(SMBIOS_ID) or moref
    recommended = values.get(RECOMMENDED, "")
    return {
        "name": name,
        "fqdn": fqdn,
        "ip_addresses": values.get(IP_ADDRESS, ()),
        "os": {"name": values.get(OS_NAME, ""), "version": values.get(OS_VERSION, "")},
        "cores": values.get(_cores_column(values) or ""),
        "memory_mib": values.get(RAM_TOTAL),
        "identity": identity,
        "site": values.get(VCENTER_ID, ""),
        "assessment": {"source": FORMAT, "recommended_size": recommended} if recommended else None,
        "utilisation": utilisation(
            columns.table.location(row=row),
            problems,
            cpu_percent=_first(values, CPU_MAX, CPU_AVG),
            memory_percent=_memory_percent(values, columns, row, problems),
            iops=_sum(
                _first(values, READ_OPS_MAX, READ_OPS_AVG),
                _first(values, WRITE_OPS_MAX, WRITE_OPS_AVG),
            ),
            network_mbps=network * MBPS_PER_KB_S if network is not None else None,
        ),
        "tags": tags,
    }


_FIELD_COLUMNS = {"name": VM_NAME, "memory_mib": RAM_TOTAL, "os": OS_NAME}


def _wave_order(wave: str) -> tuple[bool, int, str]:
    """Numeric waves in number order (2 before 10), then any named ones."""
    return (not wave.isdigit(), int(wave) if wave.isdigit() else 0, wave)


def _wave_notes(apps: ApplicationGroups, waves: dict[str, str]) -> None:
    for key, members in apps.servers.items():
        found = sorted({waves[s] for s in members if s in waves}, key=_wave_order)
        if found:
            label = "wave" if len(found) == 1 else "waves"
            apps.notes[key] = f"{label}: {', '.join(found)}"


def _size_gaps(
    values: dict[str, Any], gaps: list[Gap], where: Location, problems: ProblemCollector
) -> str:
    """Warn about a missing RAM total or CPU count; the CPU count may come from any of three
    columns, so only a row none of them sizes is unsized."""
    relevant = [g for g in gaps if g.field == "memory_mib"]
    if _cores_column(values) is None:
        cpu_gaps = [g for g in gaps if g.field == "cores"]
        relevant += cpu_gaps or [
            Gap("cores", where, f"is not given ({LOGICAL_CORES}, {CORES}, {PROCESSORS})")
        ]
    return report_gaps(problems, relevant)


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    table = source.csv_table()
    columns = ColumnMap(table, COLUMNS, problems, report_gaps=False, size_headers=False)
    if columns.ok and not columns.present(RAM_TOTAL):
        problems.error(
            f"required column {RAM_TOTAL!r} not found",
            table.location(row=table.header_row),
            hint=f"columns present: {', '.join(h for h in table.header if h)[:300]}",
        )
        return fragment
    if not columns.ok:
        return fragment
    apps = ApplicationGroups()
    waves: dict[str, str] = {}
    identifiers = {
        c.field: i for c, i in columns.resolved if c.field in (*IDENTIFIERS, MOREF_ID, VCENTER_ID)
    }
    rows = 0
    for row, cells in table.rows:
        rows += 1
        identified = _identify(columns, identifiers, cells, row, problems)
        values = columns.extract(row, cells)
        if values is None or not identified:
            continue
        values = present(values)
        data = _server_values(values, columns, row, problems)
        data["unsized_reason"] = _size_gaps(values, columns.gaps, table.location(row=row), problems)
        field_columns = {**_FIELD_COLUMNS, "cores": _cores_column(values) or LOGICAL_CORES}
        server: Server | None = build_server(data, columns, row, problems, field_columns)
        if server is None:
            continue
        where = table.location(row=row)
        fragment.add_server(server, where)
        if values.get(WAVE):
            waves[server.name] = values[WAVE]
        for app in values.get(APPLICATIONS, ()):
            apps.add(app, server.name, where)
    fragment.rows = rows
    fragment.disambiguate(problems)
    _wave_notes(apps, waves)
    apps.add_to(fragment)
    return fragment


SPEC = ReaderSpec(
    FORMAT, "AWS Migration Hub / Application Discovery Service import CSV", detect, read
)
