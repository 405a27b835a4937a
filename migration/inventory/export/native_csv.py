"""Write an inventory as forcelift's native CSV set: servers.csv, applications.csv,
dependencies.csv (the format readers/native_csv.py reads; see docs/formats-native.md).

Every cell is spelled the way that reader parses back to the same value, so loading the
directory gives the inventory that was written. What the CSV set cannot carry is handled here
rather than lost silently:

- the force name has no column, so a two-line native YAML file ``force.yaml`` is written beside
  the CSV files when the inventory names its force (a directory load reads both);
- list cells are separated by ``|`` (and the reader also splits on ``;`` and new lines), product
  parts by ``:`` and tags by ``=``: a value containing its separator cannot be written and is
  reported as an :class:`InputError` naming the record and field;
- the reader trims cells and keeps disk sizes to 0.001 GiB (about 1 MiB), so surrounding
  whitespace and finer disk precision do not survive.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from forcelift.migration.errors import InputError, Location
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    Disk,
    Inventory,
    OsFamily,
    PowerState,
    Server,
    SoftwareProduct,
)
from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

SERVERS_FILE = "servers.csv"
APPLICATIONS_FILE = "applications.csv"
DEPENDENCIES_FILE = "dependencies.csv"
FORCE_FILE = "force.yaml"

SERVER_HEADER = (
    "name",
    "fqdn",
    "ip_addresses",
    "os_family",
    "os_name",
    "os_version",
    "cores",
    "memory_mib",
    "disks",
    "power_state",
    "host",
    "cluster",
    "datacentre",
    "folder",
    "annotation",
    "cpu_percent",
    "memory_percent",
    "iops",
    "network_mbps",
    "software",
    "tags",
)

APPLICATION_HEADER = (
    "name",
    "owner",
    "description",
    "category",
    "criticality",
    "classification",
    "products",
    "servers",
    "user_count",
    "rto_hours",
    "rpo_hours",
    "end_of_support",
    "cost_centre",
    "notes",
)

DEPENDENCY_HEADER = (
    "source",
    "target",
    "kind",
    "service",
    "protocol",
    "port",
    "description",
)

_Record = TypeVar("_Record", Server, Application, Dependency)

LIST_SEPARATOR = " | "
# What the reader's split_list splits on: a list item must not contain any of these.
_LIST_BREAKS = ("|", ";", "\n", "\r")
_DISK_DECIMALS = 3


class _Unwritable(ValueError):
    """A value the native CSV set cannot carry; turned into an InputError with its record."""


def format_number(value: float | int | None) -> str:
    """A number in plain positional notation (the reader takes no exponents): 4, 0.25, 0.00001."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _item(value: str, what: str, forbidden: Iterable[str] = ()) -> str:
    item = value.strip()
    if not item:
        raise _Unwritable(f"{what} is empty, which a list cell cannot hold")
    for char in (*_LIST_BREAKS, *forbidden):
        if char in item:
            raise _Unwritable(f"{what} {value!r} contains {char!r}, which separates list items")
    return item


def format_list(values: Sequence[str], what: str) -> str:
    return LIST_SEPARATOR.join(_item(v, what) for v in values)


def format_product(product: SoftwareProduct) -> str:
    """`vendor:product:version:edition`, trailing empty parts dropped (`:product` if no vendor)."""
    parts = [
        _item(part, f"product {name}", (":",)) if part.strip() else ""
        for name, part in (
            ("vendor", product.vendor),
            ("name", product.product),
            ("version", product.version),
            ("edition", product.edition),
        )
    ]
    if not parts[1]:
        raise _Unwritable(f"product {product.model_dump()} has no product name")
    return ":".join(parts).rstrip(":")


def format_products(products: Sequence[SoftwareProduct]) -> str:
    return LIST_SEPARATOR.join(format_product(p) for p in products)


def _disk_size(value: float) -> str:
    return format_number(round(value, _DISK_DECIMALS))


def format_disk(disk: Disk) -> str:
    """`name=provisioned/used` in GiB; the name and the used size are optional."""
    sizes = _disk_size(disk.provisioned_gib)
    if disk.used_gib is not None:
        sizes += "/" + _disk_size(disk.used_gib)
    if not disk.name.strip():
        return sizes
    return f"{_item(disk.name, 'disk name')}={sizes}"


def format_tags(tags: dict[str, str]) -> str:
    cells = []
    for key, value in tags.items():
        name = _item(key, "tag name", ("=",))
        cells.append(f"{name}={_item(value, f'tag {name!r}') if value.strip() else ''}")
    return LIST_SEPARATOR.join(cells)


def server_row(server: Server) -> list[str]:
    util = server.utilisation
    if util is not None and all(
        v is None for v in (util.cpu_percent, util.memory_percent, util.iops, util.network_mbps)
    ):
        raise _Unwritable("utilisation is present but empty; use no utilisation instead")
    family = "" if server.os.family is OsFamily.UNKNOWN else server.os.family.value
    return [
        server.name.strip(),
        server.fqdn.strip(),
        format_list(server.ip_addresses, "IP address"),
        family,
        server.os.name.strip(),
        server.os.version.strip(),
        format_number(server.cores),
        format_number(server.memory_mib),
        LIST_SEPARATOR.join(format_disk(d) for d in server.disks),
        "" if server.power_state is PowerState.UNKNOWN else server.power_state.value,
        server.host.strip(),
        server.cluster.strip(),
        server.datacentre.strip(),
        server.folder.strip(),
        server.annotation.strip(),
        format_number(util.cpu_percent if util else None),
        format_number(util.memory_percent if util else None),
        format_number(util.iops if util else None),
        format_number(util.network_mbps if util else None),
        format_products(server.software),
        format_tags(server.tags),
    ]


def application_row(app: Application) -> list[str]:
    return [
        app.name.strip(),
        app.owner.strip(),
        app.description.strip(),
        app.category.strip(),
        app.criticality.value,
        app.classification.value,
        format_products(app.products),
        format_list(app.servers, "server name"),
        format_number(app.user_count),
        format_number(app.rto_hours),
        format_number(app.rpo_hours),
        app.end_of_support.isoformat() if app.end_of_support else "",
        app.cost_centre.strip(),
        app.notes.strip(),
    ]


def dependency_row(dep: Dependency) -> list[str]:
    if dep.kind is DependencyKind.APPLICATION and dep.service is not None:
        raise _Unwritable(
            "an application dependency with an external service reads back as external"
        )
    return [
        dep.source.strip(),
        dep.target.strip(),
        dep.kind.value,
        dep.service.value if dep.service else "",
        dep.protocol.strip(),
        format_number(dep.port),
        dep.description.strip(),
    ]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV as the native reader reads it: comma-delimited, minimal quoting, `\\n` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _rows(
    records: Sequence[_Record], row: Callable[[_Record], list[str]], what: str, label: str
) -> list[list[str]]:
    out = []
    for index, record in enumerate(records):
        try:
            out.append(row(record))
        except _Unwritable as exc:
            name = getattr(record, "name", None) or (
                f"{getattr(record, 'source', '')} -> {getattr(record, 'target', '')}"
            )
            raise InputError(
                f"{what} {name!r} cannot be written as native CSV: {exc}",
                Location(file=label, row=index + 2),
                hint="write native YAML instead (forcelift inventory convert), or change the value",
            ) from None
    return out


def native_csv_files(inventory: Inventory) -> dict[str, str]:
    """File name -> content of the native CSV set for this inventory (pure, deterministic)."""
    files = {
        SERVERS_FILE: csv_text(
            SERVER_HEADER, _rows(inventory.servers, server_row, "server", SERVERS_FILE)
        ),
        APPLICATIONS_FILE: csv_text(
            APPLICATION_HEADER,
            _rows(inventory.applications, application_row, "application", APPLICATIONS_FILE),
        ),
        DEPENDENCIES_FILE: csv_text(
            DEPENDENCY_HEADER,
            _rows(inventory.dependencies, dependency_row, "dependency", DEPENDENCIES_FILE),
        ),
    }
    if inventory.force.strip():
        files[FORCE_FILE] = inventory_to_yaml(Inventory(force=inventory.force))
    return files


def write_native_csv(inventory: Inventory, directory: Path, *, force: bool = False) -> list[Path]:
    """Write the native CSV set into `directory` atomically; return the files written.

    Existing files are replaced only with `force` (as `forcelift inventory convert --force`).
    Nothing is written if any value cannot be represented.
    """
    files = native_csv_files(inventory)
    directory = Path(directory)
    written = []
    for name, content in files.items():
        path = directory / name
        write_atomic(path, content, force=force)
        written.append(path)
    return written
