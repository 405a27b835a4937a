"""Write an inventory as Azure Migrate files: the import CSV template and a discovery workbook.

Used to make sample exports, so the same estate exists in every format forcelift reads. What
each format cannot carry is listed in docs/formats-azure-migrate.md (the import CSV has no
used disk space and at most eight disks; the discovery report has no disks or utilisation).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import uuid
from collections.abc import Iterable
from pathlib import Path

from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import (
    Application,
    Disk,
    Inventory,
    PowerState,
    Server,
    SoftwareProduct,
)
from forcelift.migration.inventory.writer import write_atomic

#: The template's limit on disks per server; further disks are folded into the last one.
MAX_DISKS = 8

#: Megabits per second per megabyte per second (the template's throughput unit is MB/s).
MBPS_PER_MB_S = 8.0

#: Database products written to OtherDatabases (when they carry no vendor), by folded name.
DATABASE_TYPES = frozenset(
    {
        "mysql",
        "postgresql",
        "mariadb",
        "mongodb",
        "oracle",
        "oracledatabase",
        "db2",
        "sybase",
        "informix",
        "cassandra",
        "redis",
    }
)

_MACHINE_NAMESPACE = uuid.UUID("6f2b7c1e-4c1f-4a39-9d6a-2f0d8a5e9b10")
_FIXED_DATE = dt.datetime(2000, 1, 1)  # workbook metadata: no timestamps in generated files


def number(value: float | int | None) -> str:
    """Shortest text that reads back as the same number (empty for None)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _disk_gb(gib: float) -> int:
    """Whole GB, rounded up so a disk is never sized below what it holds."""
    return math.ceil(round(gib, 6))


def _template_disks(disks: tuple[Disk, ...]) -> list[float]:
    sizes = [d.provisioned_gib for d in disks]
    if len(sizes) > MAX_DISKS:
        sizes = [*sizes[: MAX_DISKS - 1], sum(sizes[MAX_DISKS - 1 :])]
    return sizes


def application_of(inventory: Inventory) -> dict[str, Application]:
    """The first application (in inventory order) that lists each server."""
    owners: dict[str, Application] = {}
    for app in inventory.applications:
        for name in app.servers:
            owners.setdefault(server_key(name), app)
    return owners


def _csv_header(disk_count: int) -> list[str]:
    header = [
        "*Server name",
        "IP addresses",
        "*Cores",
        "*Memory (In MB)",
        "*OS name",
        "OS version",
        "OS architecture",
        "CPU utilization percentage",
        "Memory utilization percentage",
        "Network adapters",
        "Network In throughput",
        "Network Out throughput",
        "Boot type",
        "Number of disks",
    ]
    for n in range(1, disk_count + 1):
        header += [
            f"Disk {n} size (In GB)",
            f"Disk {n} read throughput (MB per second)",
            f"Disk {n} write throughput (MB per second)",
            f"Disk {n} read ops (operations per second)",
            f"Disk {n} write ops (operations per second)",
        ]
    return [
        *header,
        "Total disks read ops (operations per second)",
        "Total disks write ops (operations per second)",
        "MAC address",
        "Location",
        "Business application name",
        "Business owner",
    ]


def _csv_row(server: Server, disk_count: int, app: Application | None) -> list[str]:
    util = server.utilisation
    half_network = util.network_mbps / MBPS_PER_MB_S / 2 if util and util.network_mbps else None
    half_iops = util.iops / 2 if util and util.iops is not None else None
    sizes = _template_disks(server.disks)
    row = [
        server.name,
        ", ".join(server.ip_addresses),
        str(server.cores),
        str(server.memory_mib),
        server.os.name,
        server.os.version,
        server.tags.get("os_architecture", ""),
        number(util.cpu_percent if util else None),
        number(util.memory_percent if util else None),
        "",
        number(half_network),
        number(half_network),
        server.tags.get("boot_type", ""),
        str(len(sizes)) if sizes else "",
    ]
    for n in range(disk_count):
        size = number(_disk_gb(sizes[n])) if n < len(sizes) else ""
        row += [size, "", "", "", ""]
    return [
        *row,
        number(half_iops),
        number(half_iops),
        "",
        server.datacentre,
        app.name if app else "",
        app.owner if app else "",
    ]


def azure_migrate_csv_text(inventory: Inventory) -> str:
    """The import template as text: starred mandatory headers, one row per server."""
    disk_count = max([1, *(len(_template_disks(s.disks)) for s in inventory.servers)])
    apps = application_of(inventory)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_csv_header(disk_count))
    for server in inventory.servers:
        writer.writerow(_csv_row(server, disk_count, apps.get(server_key(server.name))))
    return out.getvalue()


def write_azure_migrate_csv(inventory: Inventory, path: Path, *, force: bool = True) -> None:
    write_atomic(Path(path), azure_migrate_csv_text(inventory), force=force)


# -- discovery report + software inventory workbook -----------------------------------------

DISCOVERY_HEADER = (
    "Machine Name",
    "Environment",
    "Software Inventory Count",
    "SQL Discovery Server Count",
    "Is SQL Service Present",
    "Web Applications Count",
    "Operating System",
    "Cores",
    "Memory (in MB)",
    "Total Disks",
    "IP Addresses",
    "MAC Addresses",
    "Total Network Adapters",
    "Boot Type",
    "Power Stats",
    "First Discovery Time",
    "Last Updated Time",
    "Machine ID",
)
APPLICATION_HEADER = ("MachineName", "Application", "Version", "Provider")
SQL_HEADER = ("MachineName", "Instance Name", "Edition", "Service Pack", "Version")
DATABASE_HEADER = ("MachineName", "Database Type", "Version")

_POWER_TEXT = {PowerState.ON: "On", PowerState.OFF: "Off", PowerState.SUSPENDED: "Suspended"}


def is_sql_server(product: SoftwareProduct) -> bool:
    return product.vendor == "Microsoft" and product.product == "SQL Server"


def is_other_database(product: SoftwareProduct) -> bool:
    folded = "".join(ch for ch in product.product.lower() if ch.isalnum())
    return not product.vendor and folded in DATABASE_TYPES


def _discovery_row(server: Server) -> list[object]:
    sql = sum(1 for p in server.software if is_sql_server(p))
    return [
        server.name,
        server.tags.get("environment", ""),
        len(server.software),
        sql,
        "Yes" if sql else "No",
        None,
        server.os.name,
        server.cores,
        server.memory_mib,
        len(server.disks),
        ", ".join(server.ip_addresses),
        "",
        None,
        server.tags.get("boot_type", ""),
        _POWER_TEXT.get(server.power_state, ""),
        "",
        "",
        str(uuid.uuid5(_MACHINE_NAMESPACE, server.name.lower())),
    ]


def _software_rows(servers: Iterable[Server]) -> dict[str, list[list[object]]]:
    sheets: dict[str, list[list[object]]] = {
        "ApplicationInventory": [],
        "SQLServer": [],
        "OtherDatabases": [],
    }
    for server in servers:
        for p in server.software:
            if is_sql_server(p):
                sheets["SQLServer"].append([server.name, "", p.edition, "", p.version])
            elif is_other_database(p):
                sheets["OtherDatabases"].append([server.name, p.product, p.version])
            else:
                sheets["ApplicationInventory"].append([server.name, p.product, p.version, p.vendor])
    return sheets


def azure_migrate_workbook_bytes(inventory: Inventory) -> bytes:
    """Discovery_Report plus the software inventory sheets, as .xlsx bytes (deterministic)."""
    import xlsxwriter  # only the writers need it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": _FIXED_DATE})
    bold = workbook.add_format({"bold": True})

    def sheet(name: str, header: tuple[str, ...], rows: list[list[object]]) -> None:
        ws = workbook.add_worksheet(name)
        ws.write_row(0, 0, header, bold)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    if value:  # write_string: a name starting with "=" is not a formula
                        ws.write_string(i, j, value)
                elif value is not None:
                    ws.write_number(i, j, value)
        ws.freeze_panes(1, 0)

    sheet("Discovery_Report", DISCOVERY_HEADER, [_discovery_row(s) for s in inventory.servers])
    software = _software_rows(inventory.servers)
    sheet("ApplicationInventory", APPLICATION_HEADER, software["ApplicationInventory"])
    sheet("SQLServer", SQL_HEADER, software["SQLServer"])
    sheet("OtherDatabases", DATABASE_HEADER, software["OtherDatabases"])
    workbook.close()
    return buffer.getvalue()


def write_azure_migrate_workbook(inventory: Inventory, path: Path, *, force: bool = True) -> None:
    write_atomic(Path(path), azure_migrate_workbook_bytes(inventory), force=force)
