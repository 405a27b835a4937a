"""Write an inventory as the AWS Migration Hub / Application Discovery Service import CSV.

Used to make sample exports. The template has no disk sizes, so disks are not carried; the
`Applications` column lists the inventory's applications for each server so a re-import yields
the same workloads. See docs/formats-aws-migration-hub.md.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from forcelift.migration.errors import InputError, Location
from forcelift.migration.inventory.export.azure_migrate import number
from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import Inventory, Server
from forcelift.migration.inventory.readers.aws_migration_hub import (
    MBPS_PER_KB_S,
    parse_tags,
)
from forcelift.migration.inventory.writer import write_atomic

HEADER = (
    "ExternalId",
    "SMBiosId",
    "IPAddress",
    "MACAddress",
    "HostName",
    "VMware.MoRefId",
    "VMware.VCenterId",
    "CPU.NumberOfProcessors",
    "CPU.NumberOfCores",
    "CPU.NumberOfLogicalCores",
    "OS.Name",
    "OS.Version",
    "VMware.VMName",
    "RAM.TotalSizeInMB",
    "RAM.UsedSizeInMB.Avg",
    "RAM.UsedSizeInMB.Max",
    "CPU.UsagePct.Avg",
    "CPU.UsagePct.Max",
    "DiskReadsPerSecondInKB.Avg",
    "DiskWritesPerSecondInKB.Avg",
    "DiskReadsPerSecondInKB.Max",
    "DiskWritesPerSecondInKB.Max",
    "DiskReadsOpsPerSecond.Avg",
    "DiskWritesOpsPerSecond.Avg",
    "DiskReadsOpsPerSecond.Max",
    "DiskWritesOpsPerSecond.Max",
    "NetworkReadsPerSecondInKB.Avg",
    "NetworkWritesPerSecondInKB.Avg",
    "NetworkReadsPerSecondInKB.Max",
    "NetworkWritesPerSecondInKB.Max",
    "Applications",
    "ApplicationWave",
    "Tags",
    "ServerId",
)
_INDEX = {name: i for i, name in enumerate(HEADER)}


def _applications(inventory: Inventory) -> dict[str, list[str]]:
    """Server key -> names of the applications listing it (inventory order)."""
    bad = [a.name for a in inventory.applications if any(c in a.name for c in ",;|\n")]
    if bad:
        raise InputError(
            "application names containing , ; or | cannot go in the AWS Applications column: "
            + ", ".join(repr(n) for n in bad[:5]),
            Location(),
            hint="the column is a delimited list; rename these applications",
        )
    out: dict[str, list[str]] = {}
    for app in inventory.applications:
        for name in app.servers:
            names = out.setdefault(server_key(name), [])
            if app.name not in names:
                names.append(app.name)
    return out


def _tags(tags: dict[str, str]) -> str:
    """`name:value, …`, leaving out tags the cell cannot carry back unchanged."""
    kept = [f"{k}:{v}" for k, v in tags.items() if k != "wave" and parse_tags(f"{k}:{v}") == {k: v}]
    return ", ".join(kept)


def _row(server: Server, applications: list[str]) -> list[str]:
    util = server.utilisation
    row = [""] * len(HEADER)

    def put(column: str, value: str) -> None:
        row[_INDEX[column]] = value

    put("ExternalId", server.name)
    put("IPAddress", ", ".join(server.ip_addresses))
    put("HostName", server.fqdn or server.name)
    put("CPU.NumberOfLogicalCores", str(server.cores))
    put("OS.Name", server.os.name)
    put("OS.Version", server.os.version)
    put("VMware.VMName", server.name)
    put("RAM.TotalSizeInMB", str(server.memory_mib))
    if util is not None:
        if util.memory_percent is not None and server.memory_mib is not None:
            put("RAM.UsedSizeInMB.Max", number(util.memory_percent / 100 * server.memory_mib))
        put("CPU.UsagePct.Max", number(util.cpu_percent))
        if util.iops is not None:
            put("DiskReadsOpsPerSecond.Max", number(util.iops / 2))
            put("DiskWritesOpsPerSecond.Max", number(util.iops / 2))
        if util.network_mbps is not None:
            half = util.network_mbps / MBPS_PER_KB_S / 2
            put("NetworkReadsPerSecondInKB.Max", number(half))
            put("NetworkWritesPerSecondInKB.Max", number(half))
    put("Applications", ",".join(applications))
    put("ApplicationWave", server.tags.get("wave", ""))
    put("Tags", _tags(server.tags))
    return row


def aws_import_csv_text(inventory: Inventory) -> str:
    apps = _applications(inventory)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for server in inventory.servers:
        writer.writerow(_row(server, apps.get(server_key(server.name), [])))
    return out.getvalue()


def write_aws_import_csv(inventory: Inventory, path: Path, *, force: bool = True) -> None:
    write_atomic(Path(path), aws_import_csv_text(inventory), force=force)
