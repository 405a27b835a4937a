"""RVTools exports: the xlsx workbook, or the per-tab CSV files (`RVTools_tabvInfo.csv`, …).

vInfo (one row per VM) is required; vDisk, vNetwork, vHost, vCPU and vMemory are used when
present. Headers are matched by folded name, so column order, case, spacing, extra columns and
the naming of RVTools 3.x (`Provisioned MB`, `# CPUs`) and of the CSV export (`vInfoVMName`)
all work. The mapping, and how `In Use MiB` becomes per-disk used space, is in
docs/formats-rvtools.md.

Speed matters (100,000-VM exports are real): each sheet streams once, column indices are
resolved once, only the cells forcelift uses are touched, and numbers already typed by the
workbook skip the text parsers.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forcelift.migration.errors import InputError, Location, ProblemCollector
from forcelift.migration.inventory.gaps import Gap, gap_detail, report_gaps
from forcelift.migration.inventory.model import OperatingSystem, PowerState, Server
from forcelift.migration.inventory.normalise import (
    Cell,
    is_missing,
    normalise_header,
    parse_bool,
    parse_int,
    parse_power_state,
    parse_size_mib,
    text,
)
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.tabular import Table, Workbook, read_csv_table

FORMAT = "rvtools"

# Header spellings: RVTools 4.x, 3.x, and the internal names its CSV export writes.
VM = ("VM", "VM Name", "vInfoVMName", "vDiskVMName", "vNetworkVMName", "vCPUVMName",
      "vMemoryVMName", "vPartitionVMName")  # fmt: skip
POWERSTATE = ("Powerstate", "Power state", "vInfoPowerstate")
TEMPLATE = ("Template", "vInfoTemplate")
SRM_PLACEHOLDER = ("SRM Placeholder", "vInfoSRMPlaceHolder")
DNS_NAME = ("DNS Name", "vInfoGuestHostName", "vInfoDNSName")
CPUS = ("CPUs", "# CPUs", "Num CPUs", "vCPUs", "vInfoCPUs", "vCPUCPUs")
MEMORY = ("Memory", "Memory MiB", "Memory MB", "vInfoMemory")
PRIMARY_IP = ("Primary IP Address", "vInfoPrimaryIPAddress")
TOTAL_DISK = ("Total disk capacity MiB", "Total disk capacity MB", "vInfoTotalDiskCapacityMiB")
PROVISIONED = ("Provisioned MiB", "Provisioned MB", "vInfoProvisioned")
IN_USE = ("In Use MiB", "In Use MB", "vInfoInUse")
FOLDER = ("Folder", "vInfoFolder")
ANNOTATION = ("Annotation", "Notes", "vInfoAnnotation", "vInfoNotes")
DATACENTER = ("Datacenter", "Datacentre", "vInfoDataCenter", "vHostDatacenter")
CLUSTER = ("Cluster", "vInfoCluster", "vHostCluster")
HOST = ("Host", "vInfoHost", "vHostName")
OS_CONFIG = ("OS according to the configuration file", "vInfoOS", "OS")
OS_TOOLS = ("OS according to the VMware Tools", "vInfoOSTools")
DISK_LABEL = ("Disk", "Label", "vDiskName", "vDiskLabel")
DISK_CAPACITY = ("Capacity MiB", "Capacity MB", "vDiskCapacityMiB", "vDiskCapacity")
IPV4 = ("IPv4 Address", "IP Address", "vNetworkIPv4Address", "vNetworkIpv4Address")
VCPU_CPUS = ("CPUs", "# CPUs", "vCPUCPUs")
VMEMORY_SIZE = ("Size MiB", "Size MB", "vMemorySizeMiB")
HOST_CPU = ("# CPU", "# Cores", "Cores per CPU", "vHostNumCpu", "vHostNumCpuCores")
VM_UUID = ("VM UUID", "vInfoUUID", "vInfoVMUUID", "Instance UUID")
BIOS_UUID = ("SMBIOS UUID", "SMBios UUID", "BIOS UUID", "vInfoSMBIOSUUID", "vInfoSMBiosUUID")
VCENTER = ("VI SDK Server", "vInfoVISDKServer", "vInfoSDKServer", "vCenter")

#: Optional tabs read with vInfo (sheet names in the workbook, `RVTools_tab<name>.csv` files).
COMPANION_TABS = ("vDisk", "vNetwork", "vHost", "vCPU", "vMemory")

# Standard vInfo columns never read as custom attributes even if they sit in that block.
_STANDARD = frozenset(
    normalise_header(h)
    for h in (
        *ANNOTATION, *DATACENTER, *CLUSTER, *HOST, *OS_CONFIG, *OS_TOOLS, "Path",
        "Log directory", "Snapshot directory", "Suspend directory", "VM ID", "VM UUID",
        "SMBIOS UUID", "HW target", "HW upgrade policy", "HW upgrade status", "HW version",
    )
)  # fmt: skip

_TAB_FILE = re.compile(r"tab(v[a-z_]+)$", re.I)
_IP_SPLIT = re.compile(r"[\s,;|]+")
_FAST_POWER = {
    "poweredOn": PowerState.ON,
    "poweredOff": PowerState.OFF,
    "suspended": PowerState.SUSPENDED,
}
_GIB = 1024.0
_HUGE = 1e18  # typed numbers at or above this (or inf) take the checking slow path
_NOT_SET = (None, False, "")


def _keys(aliases: Sequence[str]) -> frozenset[str]:
    return frozenset(normalise_header(a) for a in aliases)


_VM_KEYS, _CPU_KEYS, _MEM_KEYS = _keys(VM), _keys(CPUS), _keys(MEMORY)
_POWER_KEYS, _TEMPLATE_KEYS = _keys(POWERSTATE), _keys(TEMPLATE)
_HOST_KEYS, _HOST_CPU_KEYS = _keys(HOST), _keys(HOST_CPU)


# ---------------------------------------------------------------------------------- detection


def _tab_from_name(path: Path) -> str | None:
    """`RVTools_tabvDisk.csv` -> `vdisk` (folded), else None."""
    match = _TAB_FILE.search(path.stem)
    return match.group(1).lower() if match and path.stem.lower().startswith("rvtools") else None


def _is_vinfo(keys: frozenset[str]) -> bool:
    return bool(keys & _VM_KEYS and keys & _CPU_KEYS and keys & _MEM_KEYS and keys & _POWER_KEYS)


def _is_rvtools_tab(keys: frozenset[str]) -> bool:
    """Any other RVTools VM tab (VM, Powerstate, Template columns) or the vHost tab."""
    vm_tab = bool(keys & _VM_KEYS and keys & _POWER_KEYS and keys & _TEMPLATE_KEYS)
    host_tab = bool(keys & _HOST_KEYS and keys & _HOST_CPU_KEYS and "esxversion" in keys)
    return vm_tab or host_tab


def _csv_tab(source: Source) -> str | None:
    """'vinfo', another tab name, or None when this CSV is not an RVTools tab."""
    if source.kind != "csv":
        return None
    keys = source.csv_keys
    by_name = _tab_from_name(source.path)
    if _is_vinfo(keys) and by_name in (None, "vinfo"):
        return "vinfo"
    if by_name is not None and by_name != "vinfo":
        return by_name
    if _is_rvtools_tab(keys):
        return "rvtools-tab"
    return None


def detect(source: Source) -> bool:
    """A workbook with a vInfo sheet, or an RVTools tab CSV.

    A workbook that cannot be opened at all (corrupt, or encrypted: an OLE file named .xlsx)
    is claimed too, so the user hears why (password, damage) rather than "unknown format".
    """
    if source.kind == "xlsx":
        return not source.sheet_keys or "vinfo" in source.sheet_keys
    if source.kind == "ole":
        return source.path.suffix.lower() in (".xlsx", ".xlsm")
    return _csv_tab(source) is not None


def is_companion(source: Source) -> bool:
    """Tab CSVs other than vInfo: read together with their vInfo, never on their own."""
    tab = _csv_tab(source)
    return tab is not None and tab != "vinfo"


# ------------------------------------------------------------------------------ cell parsing


def _mib(value: Cell) -> float:
    """A size in MiB (RVTools' `MB` means MiB); typed numbers skip the text parser."""
    if type(value) is float or type(value) is int:
        if value < 0 or not value < float("inf"):  # NaN and inf are no size either
            raise ValueError(f"size is not a non-negative finite number: {value!r}")
        return float(value)
    return parse_size_mib(value)


def _count(value: Cell) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return parse_int(value)


def _flag(value: Cell) -> bool:
    if value is True or value is False:
        return value
    if value is None:
        return False
    return parse_bool(value)


def _text(value: Cell) -> str:
    if type(value) is str:
        return value.strip()
    return text(value)


# --------------------------------------------------------------------------------- the tabs


@dataclass
class _Tabs:
    """vInfo plus whichever optional tabs the export has, opened on demand.

    A workbook sheet is loaded whole when opened, so tabs are opened one at a time and the
    optional ones first: vInfo's cells are never in memory together with vDisk's.
    """

    vinfo: Callable[[], Table]
    others: dict[str, Callable[[], Table]] = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        opener = self.others.get(name)
        return opener() if opener is not None else None


def _column(table: Table, aliases: Sequence[str]) -> int | None:
    return table.column(*aliases)


class _Cells:
    """Fetch the wanted cells of a row in one C call (itemgetter); absent columns give None.

    Rows may be shorter than the header (CSV) and a wanted column may not exist at all: the
    row is padded, and one None is appended that absent columns point at (index -1).
    """

    def __init__(self, indices: Sequence[int | None]) -> None:
        self.reach = max((i for i in indices if i is not None), default=-1) + 1
        self.get = itemgetter(*(i if i is not None else -1 for i in indices), -1)

    def __call__(self, cells: Sequence[Cell]) -> tuple[Cell, ...]:
        row = cells if type(cells) is list else list(cells)
        if len(row) < self.reach:
            row.extend([None] * (self.reach - len(row)))
        row.append(None)
        return self.get(row)  # type: ignore[no-any-return]


def _blank(value: Cell) -> bool:
    return value is None or value == "" or (type(value) is str and not value.strip())


def _tab_columns(
    table: Table, columns: Sequence[tuple[str, Sequence[str]]], problems: ProblemCollector
) -> list[int] | None:
    """Indices of VM and the wanted columns of a per-VM tab; None (and a warning) if absent."""
    found = [_column(table, VM), *(_column(table, aliases) for _, aliases in columns)]
    missing = [name for name, index in zip(("VM", *(n for n, _ in columns)), found, strict=True)
               if index is None]  # fmt: skip
    if missing:
        problems.warning(
            f"ignoring this tab: column(s) {', '.join(map(repr, missing))} not found",
            table.location(row=table.header_row),
            hint=f"columns present: {', '.join(h for h in table.header if h)[:300]}",
        )
        return None
    return [i for i in found if i is not None]


def _vm_name(value: Cell) -> str:
    return value.strip() if type(value) is str else text(value)


def _disks_by_vm(
    table: Table, problems: ProblemCollector
) -> dict[str, list[tuple[str, float, float]]]:
    disks: dict[str, list[tuple[str, float, float]]] = {}
    indices = _tab_columns(table, (("Disk", DISK_LABEL), ("Capacity MiB", DISK_CAPACITY)), problems)
    if indices is None:
        return disks
    get, reach = _Cells(indices).get, max(indices) + 1
    for row, cells in table.rows:  # inlined _Cells: this loop runs once per virtual disk
        if type(cells) is not list:
            cells = list(cells)
        if len(cells) < reach:
            cells.extend([None] * (reach - len(cells)))  # type: ignore[attr-defined]
        cells.append(None)  # type: ignore[attr-defined]
        name, label, capacity, _ = get(cells)
        name = name.strip() if type(name) is str else text(name)
        if not name:
            continue
        kind = type(capacity)
        if (kind is float or kind is int) and 0 <= capacity < _HUGE:
            mib = float(capacity)
        elif _blank(capacity):
            mib = 0.0
        else:
            try:
                mib = _mib(capacity)
            except ValueError as exc:
                problems.error(str(exc), table.location(row, indices[2]))
                continue
        entry = (label.strip() if type(label) is str else text(label), mib, round(mib / _GIB, 3))
        listed = disks.get(name)
        if listed is None:
            disks[name] = [entry]
        else:
            listed.append(entry)
    return disks


def _ips_by_vm(table: Table, problems: ProblemCollector) -> dict[str, list[str]]:
    ips: dict[str, list[str]] = {}
    indices = _tab_columns(table, (("IPv4 Address", IPV4),), problems)
    if indices is None:
        return ips
    get, split = _Cells(indices), _IP_SPLIT.split
    for _, cells in table.rows:
        name, cell, _ = get(cells)
        if _blank(cell):
            continue
        name = _vm_name(name)
        addresses = [ip for ip in split(_text(cell)) if ip]
        if name and addresses:
            if name in ips:
                ips[name].extend(addresses)
            else:
                ips[name] = addresses
    return ips


def _numbers_by_vm(
    table: Table,
    label: str,
    aliases: Sequence[str],
    parse: Callable[[Cell], Any],
    problems: ProblemCollector,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    indices = _tab_columns(table, ((label, aliases),), problems)
    if indices is None:
        return values
    get = _Cells(indices)
    for row, cells in table.rows:
        name, cell, _ = get(cells)
        name = _vm_name(name)
        if not name or _blank(cell):
            continue
        try:
            values[name] = parse(cell)
        except ValueError as exc:
            problems.error(str(exc), table.location(row, indices[1]))
    return values


def _hosts(table: Table) -> dict[str, tuple[str, str]]:
    """Host -> (cluster, datacenter), to fill VMs whose vInfo row leaves them blank."""
    host = _column(table, HOST)
    if host is None:
        return {}
    get = _Cells([host, _column(table, CLUSTER), _column(table, DATACENTER)])
    hosts = {}
    for _, cells in table.rows:
        name, cluster, datacenter, _ = (_text(v) for v in get(cells))
        if name:
            hosts[name] = (cluster, datacenter)
    return hosts


# ------------------------------------------------------------------------------------ vInfo


@dataclass
class _Extras:
    """What the optional tabs contribute, keyed by VM name."""

    disks: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    ips: dict[str, list[str]] = field(default_factory=dict)
    hosts: dict[str, tuple[str, str]] = field(default_factory=dict)
    cpus: dict[str, int] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)


def _read_extras(tabs: _Tabs, problems: ProblemCollector) -> _Extras:
    extras = _Extras()
    vdisk = tabs.table("vDisk")
    if vdisk is not None and vdisk.header:
        extras.disks = _disks_by_vm(vdisk, problems)
    vnetwork = tabs.table("vNetwork")
    if vnetwork is not None and vnetwork.header:
        extras.ips = _ips_by_vm(vnetwork, problems)
    vhost = tabs.table("vHost")
    if vhost is not None and vhost.header:
        extras.hosts = _hosts(vhost)
    return extras


def _custom_attributes(table: Table) -> list[tuple[int, str]]:
    """vCenter custom attributes: the columns RVTools puts between Annotation and Datacenter."""
    start, end = _column(table, ANNOTATION), _column(table, DATACENTER)
    if start is None or end is None or end <= start:
        return []
    return [
        (i, table.header[i])
        for i in range(start + 1, end)
        if table.header[i] and table.keys[i] not in _STANDARD
    ]


def _disks(
    listed: list[tuple[str, float, float]] | None, size_mib: float | None, in_use_mib: float | None
) -> list[dict[str, Any]]:
    """Disks from vDisk, else one disk from vInfo; vInfo's In Use spread in proportion."""
    if listed:
        total = sum(mib for _, mib, _ in listed)
        if in_use_mib is None or total <= 0:
            return [{"name": label, "provisioned_gib": gib} for label, _, gib in listed]
        share = min(1.0, in_use_mib / total) / _GIB  # capped: In Use also counts swap, logs
        return [
            {"name": label, "provisioned_gib": gib, "used_gib": round(mib * share, 3)}
            for label, mib, gib in listed
        ]
    if not size_mib:
        return []
    return [
        {
            "provisioned_gib": round(size_mib / _GIB, 3),
            "used_gib": None if in_use_mib is None else round(in_use_mib / _GIB, 3),
        }
    ]


#: vInfo fields in the order `_VInfo` fetches them.
_VINFO_FIELDS = (
    ("name", VM), ("power", POWERSTATE), ("template", TEMPLATE), ("srm", SRM_PLACEHOLDER),
    ("fqdn", DNS_NAME), ("cpus", CPUS), ("memory", MEMORY), ("primary_ip", PRIMARY_IP),
    ("total_disk", TOTAL_DISK), ("provisioned", PROVISIONED), ("in_use", IN_USE),
    ("folder", FOLDER), ("annotation", ANNOTATION), ("datacenter", DATACENTER),
    ("cluster", CLUSTER), ("host", HOST), ("os_config", OS_CONFIG), ("os_tools", OS_TOOLS),
    ("vm_uuid", VM_UUID), ("bios_uuid", BIOS_UUID), ("vcenter", VCENTER),
)  # fmt: skip
_N = len(_VINFO_FIELDS)


class _VInfo:
    """vInfo's columns resolved once; `read(rows, …)` turns each row into a Server."""

    def __init__(self, table: Table, problems: ProblemCollector) -> None:
        self.table = table
        self.problems = problems
        self.at = {name: _column(table, aliases) for name, aliases in _VINFO_FIELDS}
        self.attributes = _custom_attributes(table)
        self.get = _Cells([*self.at.values(), *(i for i, _ in self.attributes)])
        self.attribute_names = [name for _, name in self.attributes]
        self.os_cache: dict[str, OperatingSystem] = {}
        self.templates = 0
        self.placeholders = 0
        self.bad = False
        #: servers read without a size: (index in the fragment, the gaps), filled or reported
        #: once the whole tab is read (see `_fill_gaps`)
        self.pending: list[tuple[int, list[Gap]]] = []

    def missing_required(self, extras: _Extras) -> list[str]:
        missing = []
        if self.at["name"] is None:
            missing.append("VM")
        if self.at["cpus"] is None and not extras.cpus:
            missing.append("CPUs")
        if self.at["memory"] is None and not extras.memory:
            missing.append("Memory")
        return missing

    def _error(self, message: str, row: int, field_name: str) -> None:
        self.problems.error(message, self.table.location(row, self.at[field_name]))

    def _flag(self, cell: Cell, row: int, field_name: str) -> bool:
        try:
            return _flag(cell)
        except ValueError as exc:
            self._error(str(exc), row, field_name)
            self.bad = True
            return False

    def _os(self, name: str) -> OperatingSystem:
        os = self.os_cache.get(name)
        if os is None:
            os = self.os_cache[name] = OperatingSystem(name=name)
        return os

    def _size(
        self,
        cell: Cell,
        parse: Callable[[Cell], Any],
        row: int,
        field_name: str,
        fallback: Any,
        gaps: list[Gap],
    ) -> Any:
        """CPUs / Memory off the fast path: text, blanks, sentinels, zero and bad values.

        A cell that gives no usable size is a gap (the server is kept unsized), not an error.
        Without the column at all, the value comes from the vCPU / vMemory tab (`fallback`).
        """
        model_field = "cores" if field_name == "cpus" else "memory_mib"
        index = self.at[field_name]
        if index is None:
            if fallback is None:
                tab = "vCPU" if model_field == "cores" else "vMemory"
                gaps.append(
                    Gap(model_field, self.table.location(row), f"is not given (no {tab} row)")
                )
            return fallback
        if is_missing(cell):
            gaps.append(Gap(model_field, self.table.location(row, index), gap_detail(cell)))
            return None
        try:
            value = parse(cell)
            if value < 1:
                raise ValueError(f"{_text(cell)} is not a usable size")
        except ValueError as exc:
            gaps.append(
                Gap(model_field, self.table.location(row, index), gap_detail(cell, str(exc)))
            )
            return None
        return value

    def _slow(
        self, cell: Cell, parse: Callable[[Cell], Any], row: int, field_name: str, fallback: Any
    ) -> Any:
        """Text cells, blanks, sentinels and bad values (the fast path takes typed numbers).

        A bad value is reported and sets `bad`, which makes `read` skip the row."""
        if is_missing(cell):
            return fallback
        try:
            return parse(cell)
        except ValueError as exc:
            self._error(str(exc), row, field_name)
            self.bad = True  # the row is skipped; its other cells are still checked
            return fallback

    def read(
        self, rows: Iterator[tuple[int, Sequence[Cell]]], extras: _Extras, fragment: Fragment
    ) -> None:
        """Every row into a Server. The hot loop of a 100k-VM read: typed cells (what a
        workbook holds) take inline fast paths, text and bad cells go through `_slow`."""
        get, reach, n = self.get.get, self.get.reach, _N
        file, sheet, add = self.table.file, self.table.sheet, fragment.add_server
        disks_of, ips_of, hosts = extras.disks.get, extras.ips.get, extras.hosts
        cpus_of, memory_of = extras.cpus.get, extras.memory.get
        attributes, os_of = self.attribute_names, self._os
        for row, cells in rows:
            if type(cells) is not list:
                cells = list(cells)
            if len(cells) < reach:
                cells.extend([None] * (reach - len(cells)))  # type: ignore[attr-defined]
            cells.append(None)  # type: ignore[attr-defined]
            values = get(cells)
            (
                name, power, template, srm, fqdn, cpus, memory, primary_ip, total_disk,
                provisioned, in_use, folder, annotation, datacenter, cluster, host, os_config,
                os_tools, vm_uuid, bios_uuid, vcenter,
            ) = values[:n]  # fmt: skip
            if template not in _NOT_SET and self._flag(template, row, "template"):
                self.templates += 1
                continue
            if srm not in _NOT_SET and self._flag(srm, row, "srm"):
                self.placeholders += 1
                continue
            name = name.strip() if type(name) is str else text(name)
            if not name:
                self._error("VM is empty", row, "name")
            gaps: list[Gap] = []
            kind = type(cpus)
            if kind is int and cpus >= 1:
                cores = cpus
            elif kind is float and cpus.is_integer() and cpus >= 1:
                cores = int(cpus)
            else:
                cores = self._size(cpus, _count, row, "cpus", cpus_of(name), gaps)
            kind = type(memory)
            if (kind is float or kind is int) and 1 <= memory < _HUGE:
                memory_mib = memory
            else:
                memory_mib = self._size(memory, _mib, row, "memory", memory_of(name), gaps)
            kind = type(total_disk)
            if (kind is float or kind is int) and 0 <= total_disk < _HUGE:
                total_mib = float(total_disk)
            else:
                total_mib = self._slow(total_disk, _mib, row, "total_disk", None)
            kind = type(provisioned)
            if (kind is float or kind is int) and 0 <= provisioned < _HUGE:
                provisioned_mib = float(provisioned)
            else:
                provisioned_mib = self._slow(provisioned, _mib, row, "provisioned", None)
            kind = type(in_use)
            if (kind is float or kind is int) and 0 <= in_use < _HUGE:
                in_use_mib = float(in_use)
            else:
                in_use_mib = self._slow(in_use, _mib, row, "in_use", None)
            state = _FAST_POWER.get(power) if type(power) is str else None
            if state is None:
                state = self._slow(power, parse_power_state, row, "power", PowerState.UNKNOWN)
            if self.bad or not name:
                self.bad = False
                continue
            ips = ips_of(name)
            primary = primary_ip.strip() if type(primary_ip) is str else _text(primary_ip)
            if primary:
                addresses = tuple(dict.fromkeys((primary, *ips))) if ips else (primary,)
            else:
                addresses = tuple(dict.fromkeys(ips)) if ips else ()
            cluster = cluster.strip() if type(cluster) is str else _text(cluster)
            datacenter = datacenter.strip() if type(datacenter) is str else _text(datacenter)
            host = host.strip() if type(host) is str else _text(host)
            if (not cluster or not datacenter) and host in hosts:
                host_cluster, host_dc = hosts[host]
                cluster, datacenter = cluster or host_cluster, datacenter or host_dc
            tags = {}
            if attributes:
                for header, value in zip(attributes, values[n:-1], strict=True):
                    if value is not None and value != "":
                        value = _text(value)
                        if value:
                            tags[header] = value
            os_name = os_tools.strip() if type(os_tools) is str else _text(os_tools)
            if not os_name:
                os_name = os_config.strip() if type(os_config) is str else _text(os_config)
            identity = vm_uuid.strip() if type(vm_uuid) is str else _text(vm_uuid)
            if is_missing(identity):  # one test per row when the VM UUID is there
                identity = "" if is_missing(bios := _text(bios_uuid)) else bios
            try:
                server = Server(
                    name=name,
                    fqdn=fqdn.strip() if type(fqdn) is str else _text(fqdn),
                    ip_addresses=addresses,
                    os=os_of(os_name),
                    cores=cores,
                    memory_mib=None if memory_mib is None else round(memory_mib),
                    identity=identity,
                    site=_text(vcenter),
                    disks=_disks(disks_of(name), total_mib or provisioned_mib, in_use_mib),
                    power_state=state,
                    host=host,
                    cluster=cluster,
                    datacentre=datacenter,
                    folder=folder.strip() if type(folder) is str else _text(folder),
                    annotation=annotation.strip() if type(annotation) is str else _text(annotation),
                    tags=tags,
                )
            except ValidationError as exc:
                self._invalid(exc, row)
                continue
            if gaps:
                self.pending.append((len(fragment.servers), gaps))
            add(server, Location(file, sheet, row))

    def _invalid(self, exc: ValidationError, row: int) -> None:
        columns = {"cores": "cpus", "memory_mib": "memory", "name": "name"}
        for err in exc.errors(include_url=False):
            field_name = format_loc(tuple(err["loc"]))
            self.problems.error(
                f"{field_name}: {err['msg'].removeprefix('Value error, ')}",
                self.table.location(row, self.at.get(columns.get(field_name, ""))),
            )


def _fill_gaps(
    tabs: _Tabs, extras: _Extras, vinfo: _VInfo, fragment: Fragment, problems: ProblemCollector
) -> None:
    """Fill unsized servers from the vCPU / vMemory tabs where they have the VM, then warn.

    The tabs are read only when some vInfo row needs them (rare), not on every 100k-VM read.
    """
    if not vinfo.pending:
        return
    fields = {g.field for _, gaps in vinfo.pending for g in gaps}
    vcpu = tabs.table("vCPU") if "cores" in fields and not extras.cpus else None
    if vcpu is not None and vcpu.header:
        extras.cpus = _numbers_by_vm(vcpu, "CPUs", VCPU_CPUS, _count, problems)
    vmem = tabs.table("vMemory") if "memory_mib" in fields and not extras.memory else None
    if vmem is not None and vmem.header:
        extras.memory = _numbers_by_vm(vmem, "Size MiB", VMEMORY_SIZE, _mib, problems)
    for index, gaps in vinfo.pending:
        server = fragment.servers[index]
        update: dict[str, Any] = {}
        filled: dict[str, str] = {}
        for gap in gaps:
            if gap.field == "cores" and (value := extras.cpus.get(server.name)):
                update["cores"] = value
                filled["cores"] = f"the vCPU tab ({value})"
            elif gap.field == "memory_mib" and (value := extras.memory.get(server.name)):
                update["memory_mib"] = round(value)
                filled["memory_mib"] = f"the vMemory tab ({round(value)} MiB)"
        update["unsized_reason"] = report_gaps(problems, gaps, filled)
        fragment.servers[index] = server.model_copy(update=update)


def _read_fallbacks(
    tabs: _Tabs, extras: _Extras, vinfo: _VInfo, problems: ProblemCollector
) -> None:
    """vCPU / vMemory, read only when vInfo lacks its CPUs / Memory column."""
    if vinfo.at["cpus"] is None and (vcpu := tabs.table("vCPU")) is not None and vcpu.header:
        extras.cpus = _numbers_by_vm(vcpu, "CPUs", VCPU_CPUS, _count, problems)
    if vinfo.at["memory"] is None and (vmem := tabs.table("vMemory")) is not None and vmem.header:
        extras.memory = _numbers_by_vm(vmem, "Size MiB", VMEMORY_SIZE, _mib, problems)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building 100k acyclic models, then file them as old.

    With the collector on, every few thousand allocations it rescans the growing heap. Left in
    the youngest generation, the new objects would then be scanned three times over as they
    age; `freeze()` + `unfreeze()` moves them straight into the oldest generation (skipped
    when the caller uses `gc.freeze` itself, since `unfreeze` would release its objects).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _read_tabs(tabs: _Tabs, fragment: Fragment, problems: ProblemCollector) -> None:
    extras = _read_extras(tabs, problems)
    table = tabs.vinfo()
    vinfo = _VInfo(table, problems)
    _read_fallbacks(tabs, extras, vinfo, problems)
    missing = vinfo.missing_required(extras)
    if missing:
        problems.error(
            f"required column(s) {', '.join(map(repr, missing))} not found in vInfo",
            table.location(row=table.header_row),
            hint=f"columns present: {', '.join(h for h in table.header if h)[:300]}",
        )
        return
    vinfo.read(table.rows, extras, fragment)
    _fill_gaps(tabs, extras, vinfo, fragment, problems)
    fragment.skip("template", vinfo.templates)
    fragment.skip("SRM placeholder", vinfo.placeholders)
    fragment.rows = len(fragment.servers) + vinfo.templates + vinfo.placeholders
    skipped = [
        f"{count} {what}"
        for count, what in (
            (vinfo.templates, "template(s)"),
            (vinfo.placeholders, "SRM placeholder(s)"),
        )
        if count
    ]
    if skipped:
        problems.info(
            f"skipped {' and '.join(skipped)}: not workloads", Location(table.file, table.sheet)
        )


# ---------------------------------------------------------------------------------- sources


def _workbook_tabs(source: Source) -> tuple[_Tabs, Workbook]:
    workbook = source.workbook()
    sheet = workbook.find_sheet("vInfo")
    if sheet is None:
        workbook.close()
        raise InputError(
            "no vInfo sheet in this workbook",
            source.location(),
            hint=f"sheets present: {', '.join(workbook.sheet_names)}",
        )
    tabs = _Tabs(lambda sheet=sheet: workbook.table(sheet))
    for name in COMPANION_TABS:
        real = workbook.find_sheet(name)
        if real is not None:
            tabs.others[name] = lambda real=real: workbook.table(real)
    return tabs, workbook


def sibling_tab(vinfo_path: Path, tab: str) -> Path | None:
    """The file beside `…vInfo….csv` whose name has `tab` in place of `vInfo`, if any."""
    stem = vinfo_path.stem
    at = stem.lower().rfind("vinfo")
    if at < 0:
        return None
    wanted = (stem[:at] + tab + stem[at + len("vinfo") :]).lower()
    for candidate in sorted(vinfo_path.parent.iterdir()):
        if (
            candidate.is_file()
            and candidate.suffix.lower() == ".csv"
            and candidate.stem.lower() == wanted
        ):
            return candidate
    return None


def _csv_tabs(source: Source) -> _Tabs:
    tabs = _Tabs(source.csv_table)
    for name in COMPANION_TABS:
        path = sibling_tab(source.path, name)
        if path is not None:
            display = str(Path(source.display).parent / path.name)
            tabs.others[name] = lambda path=path, display=display: read_csv_table(path, display)
    return tabs


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    if source.kind == "csv" and is_companion(source):
        raise InputError(
            "this is an RVTools tab other than vInfo; it is read together with its vInfo file",
            source.location(),
            hint="pass RVTools_tabvInfo.csv (the list of VMs) too, or the folder holding the "
            "whole CSV export",
        )
    with _gc_paused():
        if source.kind != "csv":
            tabs, workbook = _workbook_tabs(source)
            try:
                _read_tabs(tabs, fragment, problems)
            finally:
                workbook.close()
        else:
            _read_tabs(_csv_tabs(source), fragment, problems)
    return fragment


SPEC = ReaderSpec(
    FORMAT,
    "RVTools export (xlsx workbook or per-tab CSV files)",
    detect,
    read,
    is_companion=is_companion,
)
