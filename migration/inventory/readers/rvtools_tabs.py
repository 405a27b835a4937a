"""RVTools' optional tabs (vDisk, vNetwork, vHost, vCPU, vMemory): each read once into a
lookup by VM (or host) name, which the vInfo loop then consults."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.normalise import Cell, text
from forcelift.migration.inventory.readers.rvtools_columns import (
    CLUSTER,
    DATACENTER,
    DISK_CAPACITY,
    DISK_LABEL,
    GIB,
    HOST,
    HUGE,
    IPV4,
    VM,
    Cells,
    blank,
    cell_text,
    column_of,
    size_mib,
    vm_name,
)
from forcelift.migration.inventory.tabular import Table

_IP_SPLIT = re.compile(r"[\s,;|]+")


@dataclass
class Tabs:
    """vInfo plus whichever optional tabs the export has, opened on demand.

    A workbook sheet is loaded whole when opened, so tabs are opened one at a time and the
    optional ones first: vInfo's cells are never in memory together with vDisk's.
    """

    vinfo: Callable[[], Table]
    others: dict[str, Callable[[], Table]] = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        opener = self.others.get(name)
        return opener() if opener is not None else None


def _tab_columns(
    table: Table, columns: Sequence[tuple[str, Sequence[str]]], problems: ProblemCollector
) -> list[int] | None:
    """Indices of VM and the wanted columns of a per-VM tab; None (and a warning) if absent."""
    found = [column_of(table, VM), *(column_of(table, aliases) for _, aliases in columns)]
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


def _disks_by_vm(
    table: Table, problems: ProblemCollector
) -> dict[str, list[tuple[str, float, float]]]:
    disks: dict[str, list[tuple[str, float, float]]] = {}
    indices = _tab_columns(table, (("Disk", DISK_LABEL), ("Capacity MiB", DISK_CAPACITY)), problems)
    if indices is None:
        return disks
    get, reach = Cells(indices).get, max(indices) + 1
    for row, cells in table.rows:  # inlined Cells: this loop runs once per virtual disk
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
        if (kind is float or kind is int) and 0 <= capacity < HUGE:
            mib = float(capacity)
        elif blank(capacity):
            mib = 0.0
        else:
            try:
                mib = size_mib(capacity)
            except ValueError as exc:
                problems.error(str(exc), table.location(row, indices[2]))
                continue
        entry = (label.strip() if type(label) is str else text(label), mib, round(mib / GIB, 3))
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
    get, split = Cells(indices), _IP_SPLIT.split
    for _, cells in table.rows:
        name, cell, _ = get(cells)
        if blank(cell):
            continue
        name = vm_name(name)
        addresses = [ip for ip in split(cell_text(cell)) if ip]
        if name and addresses:
            if name in ips:
                ips[name].extend(addresses)
            else:
                ips[name] = addresses
    return ips


def numbers_by_vm(
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
    get = Cells(indices)
    for row, cells in table.rows:
        name, cell, _ = get(cells)
        name = vm_name(name)
        if not name or blank(cell):
            continue
        try:
            values[name] = parse(cell)
        except ValueError as exc:
            problems.error(str(exc), table.location(row, indices[1]))
    return values


def _hosts(table: Table) -> dict[str, tuple[str, str]]:
    """Host -> (cluster, datacenter), to fill VMs whose vInfo row leaves them blank."""
    host = column_of(table, HOST)
    if host is None:
        return {}
    get = Cells([host, column_of(table, CLUSTER), column_of(table, DATACENTER)])
    hosts = {}
    for _, cells in table.rows:
        name, cluster, datacenter, _ = (cell_text(v) for v in get(cells))
        if name:
            hosts[name] = (cluster, datacenter)
    return hosts


# ------------------------------------------------------------------------------------ vInfo


@dataclass
class Extras:
    """What the optional tabs contribute, keyed by VM name."""

    disks: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    ips: dict[str, list[str]] = field(default_factory=dict)
    hosts: dict[str, tuple[str, str]] = field(default_factory=dict)
    cpus: dict[str, int] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)


def read_extras(tabs: Tabs, problems: ProblemCollector) -> Extras:
    extras = Extras()
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
