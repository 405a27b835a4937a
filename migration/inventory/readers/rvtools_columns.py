"""RVTools columns: the header spellings of every tab, and the cell readers the hot loops use
(typed numbers skip the text parsers; absent columns read as None)."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from forcelift.migration.inventory.normalise import (
    Cell,
    normalise_header,
    parse_bool,
    parse_int,
    parse_size_mib,
    text,
)
from forcelift.migration.inventory.tabular import Table

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
STANDARD = frozenset(
    normalise_header(h)
    for h in (
        *ANNOTATION, *DATACENTER, *CLUSTER, *HOST, *OS_CONFIG, *OS_TOOLS, "Path",
        "Log directory", "Snapshot directory", "Suspend directory", "VM ID", "VM UUID",
        "SMBIOS UUID", "HW target", "HW upgrade policy", "HW upgrade status", "HW version",
    )
)  # fmt: skip


GIB = 1024.0
HUGE = 1e18  # typed numbers at or above this (or inf) take the checking slow path
_NOT_SET = (None, False, "")


def header_keys(aliases: Sequence[str]) -> frozenset[str]:
    return frozenset(normalise_header(a) for a in aliases)


# ------------------------------------------------------------------------------ cell parsing


def size_mib(value: Cell) -> float:
    """A size in MiB (RVTools' `MB` means MiB); typed numbers skip the text parser."""
    if type(value) is float or type(value) is int:
        if value < 0 or not value < float("inf"):  # NaN and inf are no size either
            raise ValueError(f"size is not a non-negative finite number: {value!r}")
        return float(value)
    return parse_size_mib(value)


def count(value: Cell) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return parse_int(value)


def flag(value: Cell) -> bool:
    if value is True or value is False:
        return value
    if value is None:
        return False
    return parse_bool(value)


def cell_text(value: Cell) -> str:
    if type(value) is str:
        return value.strip()
    return text(value)


def column_of(table: Table, aliases: Sequence[str]) -> int | None:
    return table.column(*aliases)


class Cells:
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


def blank(value: Cell) -> bool:
    return value is None or value == "" or (type(value) is str and not value.strip())


def vm_name(value: Cell) -> str:
    return value.strip() if type(value) is str else text(value)
