"""RVTools' vInfo tab: one Server per VM row, the hot loop of a 100k-VM read, and the filling
of unsized VMs from the vCPU / vMemory tabs afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pydantic import ValidationError

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import Gap, gap_detail, report_gaps
from forcelift.migration.inventory.model import OperatingSystem, PowerState, Server
from forcelift.migration.inventory.normalise import Cell, is_missing, parse_power_state, text
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.readers.base import Fragment
from forcelift.migration.inventory.readers.rvtools_columns import (
    ANNOTATION,
    BIOS_UUID,
    CLUSTER,
    CPUS,
    DATACENTER,
    DNS_NAME,
    FOLDER,
    GIB,
    HOST,
    HUGE,
    IN_USE,
    MEMORY,
    OS_CONFIG,
    OS_TOOLS,
    POWERSTATE,
    PRIMARY_IP,
    PROVISIONED,
    SRM_PLACEHOLDER,
    STANDARD,
    TEMPLATE,
    TOTAL_DISK,
    VCENTER,
    VCPU_CPUS,
    VM,
    VM_UUID,
    VMEMORY_SIZE,
    Cells,
    cell_text,
    column_of,
    count,
    flag,
    size_mib,
)
from forcelift.migration.inventory.readers.rvtools_tabs import Extras, Tabs, numbers_by_vm
from forcelift.migration.inventory.tabular import Table

_FAST_POWER = {
    "poweredOn": PowerState.ON,
    "poweredOff": PowerState.OFF,
    "suspended": PowerState.SUSPENDED,
}

_NOT_SET = (None, False, "")


def _custom_attributes(table: Table) -> list[tuple[int, str]]:
    """vCenter custom attributes: the columns RVTools puts between Annotation and Datacenter."""
    start, end = column_of(table, ANNOTATION), column_of(table, DATACENTER)
    if start is None or end is None or end <= start:
        return []
    return [
        (i, table.header[i])
        for i in range(start + 1, end)
        if table.header[i] and table.keys[i] not in STANDARD
    ]


def _disks(
    listed: list[tuple[str, float, float]] | None, size_mib: float | None, in_use_mib: float | None
) -> list[dict[str, Any]]:
    """Disks from vDisk, else one disk from vInfo; vInfo's In Use spread in proportion."""
    if listed:
        total = sum(mib for _, mib, _ in listed)
        if in_use_mib is None or total <= 0:
            return [{"name": label, "provisioned_gib": gib} for label, _, gib in listed]
        share = min(1.0, in_use_mib / total) / GIB  # capped: In Use also counts swap, logs
        return [
            {"name": label, "provisioned_gib": gib, "used_gib": round(mib * share, 3)}
            for label, mib, gib in listed
        ]
    if not size_mib:
        return []
    return [
        {
            "provisioned_gib": round(size_mib / GIB, 3),
            "used_gib": None if in_use_mib is None else round(in_use_mib / GIB, 3),
        }
    ]


#: vInfo fields in the order `VInfo` fetches them.
_VINFO_FIELDS = (
    ("name", VM), ("power", POWERSTATE), ("template", TEMPLATE), ("srm", SRM_PLACEHOLDER),
    ("fqdn", DNS_NAME), ("cpus", CPUS), ("memory", MEMORY), ("primary_ip", PRIMARY_IP),
    ("total_disk", TOTAL_DISK), ("provisioned", PROVISIONED), ("in_use", IN_USE),
    ("folder", FOLDER), ("annotation", ANNOTATION), ("datacenter", DATACENTER),
    ("cluster", CLUSTER), ("host", HOST), ("os_config", OS_CONFIG), ("os_tools", OS_TOOLS),
    ("vm_uuid", VM_UUID), ("bios_uuid", BIOS_UUID), ("vcenter", VCENTER),
)  # fmt: skip
_N = len(_VINFO_FIELDS)


class VInfo:
    """vInfo's columns resolved once; `read(rows, …)` turns each row into a Server."""

    def __init__(self, table: Table, problems: ProblemCollector) -> None:
        self.table = table
        self.problems = problems
        self.at = {name: column_of(table, aliases) for name, aliases in _VINFO_FIELDS}
        self.attributes = _custom_attributes(table)
        self.get = Cells([*self.at.values(), *(i for i, _ in self.attributes)])
        self.attribute_names = [name for _, name in self.attributes]
        self.os_cache: dict[str, OperatingSystem] = {}
        self.templates = 0
        self.placeholders = 0
        self.bad = False
        #: servers read without a size: (index in the fragment, the gaps), filled or reported
        #: once the whole tab is read (see `fill_gaps`)
        self.pending: list[tuple[int, list[Gap]]] = []

    def missing_required(self, extras: Extras) -> list[str]:
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
            return flag(cell)
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
                raise ValueError(f"{cell_text(cell)} is not a usable size")
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
        self, rows: Iterator[tuple[int, Sequence[Cell]]], extras: Extras, fragment: Fragment
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
                cores = self._size(cpus, count, row, "cpus", cpus_of(name), gaps)
            kind = type(memory)
            if (kind is float or kind is int) and 1 <= memory < HUGE:
                memory_mib = memory
            else:
                memory_mib = self._size(memory, size_mib, row, "memory", memory_of(name), gaps)
            kind = type(total_disk)
            if (kind is float or kind is int) and 0 <= total_disk < HUGE:
                total_mib = float(total_disk)
            else:
                total_mib = self._slow(total_disk, size_mib, row, "total_disk", None)
            kind = type(provisioned)
            if (kind is float or kind is int) and 0 <= provisioned < HUGE:
                provisioned_mib = float(provisioned)
            else:
                provisioned_mib = self._slow(provisioned, size_mib, row, "provisioned", None)
            kind = type(in_use)
            if (kind is float or kind is int) and 0 <= in_use < HUGE:
                in_use_mib = float(in_use)
            else:
                in_use_mib = self._slow(in_use, size_mib, row, "in_use", None)
            state = _FAST_POWER.get(power) if type(power) is str else None
            if state is None:
                state = self._slow(power, parse_power_state, row, "power", PowerState.UNKNOWN)
            if self.bad or not name:
                self.bad = False
                continue
            ips = ips_of(name)
            primary = primary_ip.strip() if type(primary_ip) is str else cell_text(primary_ip)
            if primary:
                addresses = tuple(dict.fromkeys((primary, *ips))) if ips else (primary,)
            else:
                addresses = tuple(dict.fromkeys(ips)) if ips else ()
            cluster = cluster.strip() if type(cluster) is str else cell_text(cluster)
            datacenter = datacenter.strip() if type(datacenter) is str else cell_text(datacenter)
            host = host.strip() if type(host) is str else cell_text(host)
            if (not cluster or not datacenter) and host in hosts:
                host_cluster, host_dc = hosts[host]
                cluster, datacenter = cluster or host_cluster, datacenter or host_dc
            tags = {}
            if attributes:
                for header, value in zip(attributes, values[n:-1], strict=True):
                    if value is not None and value != "":
                        value = cell_text(value)
                        if value:
                            tags[header] = value
            os_name = os_tools.strip() if type(os_tools) is str else cell_text(os_tools)
            if not os_name:
                os_name = os_config.strip() if type(os_config) is str else cell_text(os_config)
            identity = vm_uuid.strip() if type(vm_uuid) is str else cell_text(vm_uuid)
            if is_missing(identity):  # one test per row when the VM UUID is there
                identity = "" if is_missing(bios := cell_text(bios_uuid)) else bios
            try:
                server = Server(
                    name=name,
                    fqdn=fqdn.strip() if type(fqdn) is str else cell_text(fqdn),
                    ip_addresses=addresses,
                    os=os_of(os_name),
                    cores=cores,
                    memory_mib=None if memory_mib is None else round(memory_mib),
                    identity=identity,
                    site=cell_text(vcenter),
                    # dicts, validated by pydantic's core: cheaper than Disk models here
                    disks=_disks(disks_of(name), total_mib or provisioned_mib, in_use_mib),  # type: ignore[arg-type]
                    power_state=state,
                    host=host,
                    cluster=cluster,
                    datacentre=datacenter,
                    folder=folder.strip() if type(folder) is str else cell_text(folder),
                    annotation=annotation.strip()
                    if type(annotation) is str
                    else cell_text(annotation),
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


def fill_gaps(
    tabs: Tabs, extras: Extras, vinfo: VInfo, fragment: Fragment, problems: ProblemCollector
) -> None:
    """Fill unsized servers from the vCPU / vMemory tabs where they have the VM, then warn.

    The tabs are read only when some vInfo row needs them (rare), not on every 100k-VM read.
    """
    if not vinfo.pending:
        return
    fields = {g.field for _, gaps in vinfo.pending for g in gaps}
    vcpu = tabs.table("vCPU") if "cores" in fields and not extras.cpus else None
    if vcpu is not None and vcpu.header:
        extras.cpus = numbers_by_vm(vcpu, "CPUs", VCPU_CPUS, count, problems)
    vmem = tabs.table("vMemory") if "memory_mib" in fields and not extras.memory else None
    if vmem is not None and vmem.header:
        extras.memory = numbers_by_vm(vmem, "Size MiB", VMEMORY_SIZE, size_mib, problems)
    for index, gaps in vinfo.pending:
        server = fragment.servers[index]
        update: dict[str, Any] = {}
        filled: dict[str, str] = {}
        for gap in gaps:
            if gap.field == "cores" and (value := extras.cpus.get(server.name)):
                update["cores"] = value
                filled["cores"] = f"the vCPU tab ({value})"
            elif gap.field == "memory_mib" and (mib := extras.memory.get(server.name)):
                update["memory_mib"] = round(mib)
                filled["memory_mib"] = f"the vMemory tab ({round(mib)} MiB)"
        update["unsized_reason"] = report_gaps(problems, gaps, filled)
        fragment.servers[index] = server.model_copy(update=update)


def read_fallbacks(tabs: Tabs, extras: Extras, vinfo: VInfo, problems: ProblemCollector) -> None:
    """vCPU / vMemory, read only when vInfo lacks its CPUs / Memory column."""
    if vinfo.at["cpus"] is None and (vcpu := tabs.table("vCPU")) is not None and vcpu.header:
        extras.cpus = numbers_by_vm(vcpu, "CPUs", VCPU_CPUS, count, problems)
    if vinfo.at["memory"] is None and (vmem := tabs.table("vMemory")) is not None and vmem.header:
        extras.memory = numbers_by_vm(vmem, "Size MiB", VMEMORY_SIZE, size_mib, problems)
