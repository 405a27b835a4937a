"""Write an inventory as an RVTools 4.x export: the xlsx workbook or the per-tab CSV set.

Used for the sample estate's RVTools copy, synthetic estates at scale, and round-trip tests of
the reader. The sheets carry RVTools' real headers in their real order (vInfo has its ~90
standard columns plus the custom attributes) and plausible values in the columns forcelift
does not read, so file size and parse cost match a real export. Each VM carries the custom
attributes `Application` and `owner` (its owning application and that application's owner),
so reading the export back with nothing else still groups VMs into workloads.

Everything is derived from the inventory (no clock, no randomness): the same inventory gives
the same files. CSV files are UTF-8 with BOM, every field quoted, as RVTools writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import Inventory, OsFamily, PowerState, Server

#: vInfo of RVTools 4.x in export order; custom attributes are inserted after `Annotation`.
VINFO_STANDARD: tuple[str, ...] = (
    "VM", "Powerstate", "Template", "SRM Placeholder", "Config status", "DNS Name",
    "Connection state", "Guest state", "Heartbeat", "Consolidation Needed", "PowerOn",
    "Suspended To Memory", "Suspend time", "Suspend Interval", "Creation date", "Change Version",
    "CPUs", "Overall Cpu Readiness", "Memory", "Active Memory", "NICs", "Disks",
    "Total disk capacity MiB", "Fixed Passthru HotPlug", "min Required EVC Mode Key",
    "Latency Sensitivity", "Op Notification Timeout", "EnableUUID", "CBT", "Primary IP Address",
    "Network #1", "Network #2", "Network #3", "Network #4", "Network #5", "Network #6",
    "Network #7", "Network #8", "Num Monitors", "Video Ram KiB", "Resource pool", "Folder ID",
    "Folder", "vApp", "DAS protection", "FT State", "FT Role", "FT Latency", "FT Bandwidth",
    "FT Sec. Latency", "Vm Failover In Progress", "Provisioned MiB", "In Use MiB",
    "Unshared MiB", "HA Restart Priority", "HA Isolation Response", "HA VM Monitoring",
    "Cluster rule(s)", "Cluster rule name(s)", "Boot Required", "Boot delay",
    "Boot retry delay", "Boot retry enabled", "Boot BIOS setup", "Reboot PowerOff",
    "EFI Secure boot", "Firmware", "HW version", "HW upgrade status", "HW upgrade policy",
    "HW target", "Path", "Log directory", "Snapshot directory", "Suspend directory",
    "Annotation", "Datacenter", "Cluster", "Host", "OS according to the configuration file",
    "OS according to the VMware Tools", "Customization Info", "Guest Detailed Data", "VM ID",
    "SMBIOS UUID", "VM UUID", "VI SDK Server type", "VI SDK API Version", "VI SDK Server",
    "VI SDK UUID",
)  # fmt: skip

#: vCenter custom attributes, in RVTools' (case-insensitive alphabetical) order. Backup tools
#: set `Backup status` / `Last backup`; `Application` and `owner` carry the workload mapping.
CUSTOM_ATTRIBUTES: tuple[str, ...] = ("Application", "Backup status", "Last backup", "owner")

#: The columns every per-VM tab ends with (after its own columns and `Annotation`).
_VM_TRAILER = (
    "Datacenter", "Cluster", "Host", "Folder", "OS according to the configuration file",
    "OS according to the VMware Tools", "VM ID", "VM UUID", "VI SDK Server", "VI SDK UUID",
)  # fmt: skip

VDISK_OWN: tuple[str, ...] = (
    "VM", "Powerstate", "Template", "SRM Placeholder", "Disk", "Disk Key", "Disk UUID",
    "Disk Path", "Capacity MiB", "Raw", "Disk Mode", "Sharing mode", "Thin", "Eagerly Scrub",
    "Split", "Write Through", "Level", "Shares", "Reservation", "Limit", "Controller", "Label",
    "SCSI Unit #", "Unit #", "Shared Bus", "Path", "Raw LUN ID", "Raw Comp. Mode",
    "Internal Sort Column", "Annotation",
)  # fmt: skip
VNETWORK_OWN: tuple[str, ...] = (
    "VM", "Powerstate", "Template", "SRM Placeholder", "NIC label", "Adapter", "Network",
    "Switch", "Connected", "Starts Connected", "Mac Address", "Type", "IPv4 Address",
    "IPv6 Address", "Direct Path IO", "Internal Sort Column", "Annotation",
)  # fmt: skip
VPARTITION_OWN: tuple[str, ...] = (
    "VM", "Powerstate", "Template", "SRM Placeholder", "Disk Key", "Disk", "Capacity MiB",
    "Consumed MiB", "Free MiB", "Free %", "Internal Sort Column", "Annotation",
)  # fmt: skip
VHOST_HEADER: tuple[str, ...] = (
    "Host", "Datacenter", "Cluster", "Config status", "Compliance Check State",
    "in Maintenance Mode", "in Quarantine Mode", "vSAN Fault Domain Name", "CPU Model", "Speed",
    "HT Available", "HT Active", "# CPU", "Cores per CPU", "# Cores", "CPU usage %", "# Memory",
    "Memory Tiering Type", "Memory usage %", "Console", "# NICs", "# HBAs", "# VMs total",
    "# VMs", "VMs per Core", "# vCPUs", "vCPUs per Core", "vRAM", "VM Used memory",
    "VM Memory Swapped", "VM Memory Ballooned", "VMotion support", "Storage VMotion support",
    "Current EVC", "Max EVC", "Assigned License(s)", "ATS Heartbeat", "ATS Locking",
    "Current CPU power man. policy", "Supported CPU power man.", "Host Power Policy",
    "ESX Version", "Boot time", "DNS Servers", "DHCP", "Domain", "Domain List",
    "DNS Search Order", "NTP Server(s)", "NTPD running", "Time Zone", "Time Zone Name",
    "GMT Offset", "Vendor", "Model", "Serial number", "Service tag", "OEM specific string",
    "BIOS Vendor", "BIOS Version", "BIOS Date", "Certificate Issuer", "Certificate Start Date",
    "Certificate Expiry Date", "Certificate Status", "Certificate Subject", "Object ID",
    "AutoDeploy.MachineIdentity", "UUID", "VI SDK Server", "VI SDK UUID",
)  # fmt: skip

SHEETS = ("vInfo", "vDisk", "vNetwork", "vHost", "vPartition")
CSV_NAME = "RVTools_tab{sheet}.csv"

_POWER = {
    PowerState.ON: "poweredOn",
    PowerState.OFF: "poweredOff",
    PowerState.SUSPENDED: "suspended",
    PowerState.UNKNOWN: "",
}
_EPOCH = dt.datetime(2015, 1, 5, 8, 0, 0)
_EXPORTED = dt.datetime(2026, 1, 12, 7, 30, 0)
_VCENTER = "vcenter01"
_SDK_UUID = "2b1e6f3c-0d4a-4c5e-9a61-5f0f3b7d9e21"


def vinfo_header(custom_attributes: Sequence[str] = CUSTOM_ATTRIBUTES) -> list[str]:
    at = VINFO_STANDARD.index("Annotation") + 1
    return [*VINFO_STANDARD[:at], *custom_attributes, *VINFO_STANDARD[at:]]


def _vm_tab_header(own: Sequence[str]) -> list[str]:
    return [*own, *CUSTOM_ATTRIBUTES, *_VM_TRAILER]


def _uuid(index: int, salt: int) -> str:
    """A stable UUID-shaped string for a VM (no uuid module: output must not vary by run)."""
    a = (index * 2654435761 + salt * 40503) & 0xFFFFFFFF
    b = (index * 40503 + salt) & 0xFFFF
    c = 0x4000 | ((index * 97 + salt) & 0x0FFF)
    d = 0x8000 | ((index * 31 + salt * 7) & 0x3FFF)
    e = (index * 11400714819323198485 + salt) & 0xFFFFFFFFFFFF
    return f"{a:08x}-{b:04x}-{c:04x}-{d:04x}-{e:012x}"


def _mac(index: int, nic: int) -> str:
    a, b, c = (index >> 12) & 0x3F | nic << 6, (index >> 6) & 0x3F, index & 0x3F
    return f"00:50:56:{a:02x}:{b:02x}:{c:02x}"


@dataclass(frozen=True)
class _Vm:
    """What every tab repeats about one VM, computed once per VM and sheet pass."""

    index: int
    server: Server
    power: str
    on: bool
    os_tools: str
    head: tuple[Any, ...]  # VM, Powerstate, Template, SRM Placeholder
    trailer: tuple[Any, ...]  # Annotation, custom attributes, the common trailer

    @property
    def mib(self) -> list[int]:
        return [round(d.provisioned_gib * 1024) for d in self.server.disks]


def _owners(inventory: Inventory) -> dict[str, tuple[str, str]]:
    """Server key -> (application, owner) of the first application that lists the server."""
    owners: dict[str, tuple[str, str]] = {}
    for app in inventory.applications:
        for name in app.servers:
            owners.setdefault(server_key(name), (app.name, app.owner))
    return owners


def _vms(inventory: Inventory) -> Iterator[_Vm]:
    owners = _owners(inventory)
    for index, server in enumerate(inventory.servers):
        power = _POWER[server.power_state]
        on = server.power_state is PowerState.ON
        os_tools = server.os.name if on else ""
        application, owner = owners.get(server_key(server.name), ("", ""))
        trailer = (
            server.annotation,
            application,
            "",
            "",
            owner,
            server.datacentre,
            server.cluster,
            server.host,
            server.folder,
            server.os.name,
            os_tools,
            f"vm-{1000 + index}",
            _uuid(index, 2),
            f"{_VCENTER}.vsphere.local",
            _SDK_UUID,
        )
        yield _Vm(index, server, power, on, os_tools, (server.name, power, False, False), trailer)


def _vinfo_rows(inventory: Inventory) -> Iterator[list[Any]]:
    for vm in _vms(inventory):
        s, i, on = vm.server, vm.index, vm.on
        disks_mib = sum(vm.mib)
        used = s.used_gib
        in_use = round(used * 1024) if used is not None else None
        util = s.utilisation
        active = (
            round(s.memory_mib * util.memory_percent / 100)
            if on and util is not None and util.memory_percent is not None and s.memory_mib
            else 0
        )
        networks = [
            f"VLAN{110 + n * 10}-{'Servers' if n == 0 else 'Backup'}"
            for n in range(min(8, max(1, len(s.ip_addresses))))
        ]
        networks += [""] * (8 - len(networks))
        created = _EPOCH + dt.timedelta(days=(i * 7919) % 3650, seconds=(i * 104729) % 86400)
        uefi = s.os.family is OsFamily.WINDOWS and "2008" not in s.os.name
        datastore = f"[DS-{s.cluster or 'LOCAL'}-{i % 8 + 1:02d}] {s.name}/"
        tail = vm.trailer
        yield [
            s.name, vm.power, False, False, "green", s.fqdn,
            "connected", "running" if on else "notRunning", "green" if on else "gray", False,
            created + dt.timedelta(days=30) if on else None,
            None, None, 0, created, f"{created:%Y-%m-%dT%H:%M:%S}.{i % 1000000:06d}Z",
            s.cores, 0, s.memory_mib, active, max(1, len(s.ip_addresses)), len(s.disks),
            disks_mib, False, "intel-broadwell",
            "normal", None, False, True, s.ip_addresses[0] if s.ip_addresses else "",
            *networks, 1, 8192, f"/{s.datacentre}/{s.cluster}/Resources", f"group-v{100 + i % 97}",
            s.folder, "", True, "notConfigured", None, None, None,
            None, None, disks_mib + ((s.memory_mib or 0) if on else 0), in_use,
            in_use, "clusterRestartPriority", "none", "vmMonitoringDisabled",
            None, None, False, 0,
            10000, False, False, False,
            uefi, "efi" if uefi else "bios", "vmx-19", "none", "never",
            None, f"{datastore}{s.name}.vmx", datastore, datastore, datastore,
            tail[0], *tail[1:5], s.datacentre, s.cluster, s.host, s.os.name,
            vm.os_tools, "", "", tail[11],
            _uuid(i, 1), tail[12], "VMware vCenter Server", "8.0.2.0", tail[13],
            tail[14],
        ]  # fmt: skip


def _vdisk_rows(inventory: Inventory) -> Iterator[list[Any]]:
    for vm in _vms(inventory):
        for n, (disk, mib) in enumerate(zip(vm.server.disks, vm.mib, strict=True)):
            label = disk.name or f"Hard disk {n + 1}"
            path = f"[DS-{vm.server.cluster or 'LOCAL'}-{vm.index % 8 + 1:02d}] {vm.server.name}/"
            vmdk = f"{path}{vm.server.name}_{n}.vmdk"
            yield [
                *vm.head, label, 2000 + n, _uuid(vm.index, 10 + n), vmdk,
                mib, False, "persistent", "sharingNone", True, False,
                False, False, "normal", 1000, 0, -1, "SCSI controller 0", label,
                n, n, "noSharing", path, None, None,
                f"{vm.server.name}{n:04d}", *vm.trailer,
            ]  # fmt: skip


def _vnetwork_rows(inventory: Inventory) -> Iterator[list[Any]]:
    for vm in _vms(inventory):
        ips = vm.server.ip_addresses or ("",)
        for n, ip in enumerate(ips):
            yield [
                *vm.head, f"Network adapter {n + 1}", "vmxnet3",
                f"VLAN{110 + n * 10}-{'Servers' if n == 0 else 'Backup'}", "dvs-prod",
                vm.on, True, _mac(vm.index, n), "assigned", ip, "", False,
                f"{vm.server.name}{n:04d}", *vm.trailer,
            ]  # fmt: skip


def _vpartition_rows(inventory: Inventory) -> Iterator[list[Any]]:
    for vm in _vms(inventory):
        if not vm.on:
            continue  # partitions come from VMware Tools, which a stopped VM does not run
        windows = vm.server.os.family is OsFamily.WINDOWS
        for n, (disk, mib) in enumerate(zip(vm.server.disks, vm.mib, strict=True)):
            used = round((disk.used_gib or 0) * 1024)
            free = max(0, mib - used)
            mount = f"{chr(ord('C') + n)}:\\" if windows else ("/" if n == 0 else f"/data{n}")
            yield [
                *vm.head, 2000 + n, mount, mib, used, free,
                round(100 * free / mib) if mib else 0, f"{vm.server.name}{n:04d}",
                *vm.trailer,
            ]  # fmt: skip


def _vhost_rows(inventory: Inventory) -> Iterator[list[Any]]:
    hosts: dict[str, list[Server]] = {}
    for server in inventory.servers:
        if server.host:
            hosts.setdefault(server.host, []).append(server)
    for n, (host, vms) in enumerate(sorted(hosts.items())):
        first = vms[0]
        vcpus = sum(s.cores or 0 for s in vms)  # unsized VMs add nothing
        vram = sum(s.memory_mib or 0 for s in vms)
        on = sum(1 for s in vms if s.power_state is PowerState.ON)
        yield [
            host, first.datacentre, first.cluster, "green", "", False, False, "",
            "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", 1995, True, True, 2, 32, 64,
            35 + n % 40, 1048063, "", 55 + n % 35, "", 4, 2, len(vms), on,
            round(len(vms) / 64, 2), vcpus, round(vcpus / 64, 2), vram, 0, 0, 0, True, True,
            "intel-icelake", "intel-icelake", "vSphere 8 Enterprise Plus", "", "",
            "Balanced", "ACPI P-states, ACPI C-states", "Balanced",
            "VMware ESXi 8.0.2 build-22380479", _EXPORTED - dt.timedelta(days=40 + n % 60),
            "10.0.0.53, 10.0.0.54", False, "", "", "", "ntp1, ntp2", True, "UTC",
            "Coordinated Universal Time", 0, "Dell Inc.", "PowerEdge R750",
            f"SN{n:07d}", f"ST{n:05d}X", "", "Dell Inc.", "1.10.2",
            dt.datetime(2023, 5, 1), "CN=CA, DC=vsphere, DC=local",
            _EXPORTED - dt.timedelta(days=300), _EXPORTED + dt.timedelta(days=430), "good",
            f"CN={host}", f"host-{1000 + n}", "", _uuid(n, 77),
            f"{_VCENTER}.vsphere.local", _SDK_UUID,
        ]  # fmt: skip


def _tabs(inventory: Inventory) -> list[tuple[str, list[str], Callable[[], Iterator[list[Any]]]]]:
    return [
        ("vInfo", vinfo_header(), lambda: _vinfo_rows(inventory)),
        ("vDisk", _vm_tab_header(VDISK_OWN), lambda: _vdisk_rows(inventory)),
        ("vNetwork", _vm_tab_header(VNETWORK_OWN), lambda: _vnetwork_rows(inventory)),
        ("vHost", list(VHOST_HEADER), lambda: _vhost_rows(inventory)),
        ("vPartition", _vm_tab_header(VPARTITION_OWN), lambda: _vpartition_rows(inventory)),
    ]


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it only when writing succeeded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_rvtools_xlsx(inventory: Inventory, path: Path | str) -> Path:
    """Write an RVTools 4.x workbook (vInfo, vDisk, vNetwork, vHost, vPartition) atomically."""
    import xlsxwriter

    path = Path(path)
    with _replacing(path) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy/mm/dd hh:mm:ss",
            },
        )
        workbook.set_properties({"created": _EXPORTED, "author": "RVTools"})
        for name, header, rows in _tabs(inventory):
            sheet = workbook.add_worksheet(name)
            sheet.write_row(0, 0, header)
            write_row = sheet.write_row
            for number, row in enumerate(rows(), start=1):
                write_row(number, 0, row)
        workbook.close()
    return path


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y/%m/%d %H:%M:%S}"
    return str(value)


def _write_csv(fh: IO[str], header: Sequence[str], rows: Iterable[list[Any]]) -> None:
    writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])


def write_rvtools_csv(inventory: Inventory, directory: Path | str) -> list[Path]:
    """Write the per-tab CSV export (`RVTools_tabvInfo.csv`, …) into `directory`."""
    directory = Path(directory)
    written = []
    for name, header, rows in _tabs(inventory):
        path = directory / CSV_NAME.format(sheet=name)
        with _replacing(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            _write_csv(fh, header, rows())
        written.append(path)
    return written
