"""forcelift's own CSV set: servers.csv, applications.csv, dependencies.csv, and partners.csv
and sharing.csv (read by native_csv_sharing; see docs/formats-native.md).

Each file is recognised by its header, so names are free. applications.csv may list an
application once with all its servers, or once per server (a CMDB relationship export); rows
of the same application are merged and disagreements reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import report_gaps, zero_utilisation
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    Disk,
    ExternalService,
    OperatingSystem,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.inventory.normalise import (
    Cell,
    os_family,
    parse_classification,
    parse_criticality,
    parse_date,
    parse_float,
    parse_int,
    parse_percent,
    parse_power_state,
    parse_size_gib,
    parse_size_mib,
    split_list,
    value_text,
)
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.readers.native_csv_sharing import (
    read_partners,
    read_sharing,
    table_kind,
)
from forcelift.migration.inventory.tabular import Table

FORMAT = "native-csv"


def parse_products(value: Cell) -> tuple[SoftwareProduct, ...]:
    """`Microsoft:SQL Server:2019:Standard | Oracle:Database:19c` -> products."""
    products = []
    for item in split_list(value):
        parts = [p.strip() for p in item.split(":")]
        if len(parts) == 1:
            products.append(SoftwareProduct(product=parts[0]))
        elif len(parts) > 4:
            raise ValueError(
                f"product {item!r} has too many ':' parts (vendor:product:version:edition)"
            )
        else:
            vendor, product, version, edition = [*parts, "", ""][:4]
            if not product:
                raise ValueError(f"product {item!r} has no product name")
            products.append(
                SoftwareProduct(vendor=vendor, product=product, version=version, edition=edition)
            )
    return tuple(products)


def parse_disks(value: Cell) -> tuple[Disk, ...]:
    """`100/40 | data=500/320` -> disks: provisioned[/used] GiB, optionally named."""
    disks = []
    for item in split_list(value):
        name, _, sizes = item.rpartition("=")
        provisioned, _, used = sizes.partition("/")
        disks.append(
            Disk(
                name=name.strip(),
                provisioned_gib=round(parse_size_gib(provisioned), 3),
                used_gib=round(parse_size_gib(used), 3) if used.strip() else None,
            )
        )
    return tuple(disks)


def parse_tags(value: Cell) -> dict[str, str]:
    tags = {}
    for item in split_list(value):
        key, sep, val = item.partition("=")
        if not sep:
            key, sep, val = item.partition(":")
        if not key.strip():
            raise ValueError(f"tag {item!r} has no name (use name=value)")
        tags[key.strip()] = val.strip()
    return tags


def _memory_mib(value: Cell) -> int:
    return round(parse_size_mib(value))


def _memory_gib(value: Cell) -> int:
    return round(parse_size_mib(value, "gib"))


SERVER_COLUMNS = (
    Column("name", ("server", "server name", "hostname", "host name", "vm"), required=True),
    Column("fqdn", ("dns name",)),
    Column("ip_addresses", ("ips", "ip address", "ip addresses"), split_list),
    Column("os_family", ("os family",)),
    Column("os_name", ("os", "operating system")),
    Column("os_version", ("os version",)),
    Column("cores", ("cpus", "vcpus", "cpu"), parse_int, size="cores"),
    Column(
        "memory_mib",
        ("memory mib", "memory mb", "memory", "ram mb", "memory (mb)"),
        _memory_mib,
        size="memory_mib",
    ),
    Column("memory_gib", ("memory gb", "ram gb", "memory (gb)"), _memory_gib, size="memory_mib"),
    Column(
        "identity",
        ("id", "uuid", "vm uuid", "machine id", "bios uuid", "instance uuid"),
        value_text,
    ),
    Column("site", ("vcenter", "vcenter server", "appliance"), value_text),
    Column("disks", ("disk gib", "disks gib"), parse_disks),
    Column("power_state", ("power state", "powerstate", "state"), parse_power_state),
    Column("host", ()),
    Column("cluster", ()),
    Column("datacentre", ("datacenter", "data centre")),
    Column("folder", ()),
    Column("annotation", ("notes",)),
    Column("cpu_percent", ("cpu utilisation", "cpu utilization", "cpu %"), parse_percent),
    Column(
        "memory_percent", ("memory utilisation", "memory utilization", "memory %"), parse_percent
    ),
    Column("iops", (), parse_float),
    Column("network_mbps", ("network", "network mbps"), parse_float),
    Column("software", ("installed software",), parse_products),
    Column("tags", (), parse_tags),
)

APPLICATION_COLUMNS = (
    Column(
        "name",
        ("application", "application name", "app", "service", "business service"),
        required=True,
    ),
    Column("owner", ("application owner", "business owner", "service owner")),
    Column("description", ()),
    Column("category", ("type", "function", "capability")),
    Column("criticality", ("business criticality", "tier", "priority"), parse_criticality),
    Column(
        "classification",
        ("security classification", "data classification", "gsc"),
        parse_classification,
    ),
    Column("products", ("software", "product"), parse_products),
    Column(
        "servers",
        ("server", "hosts", "hosting servers", "server name", "ci"),
        split_list,
        literal=True,  # names: a server may be called `NONE`
    ),
    Column("user_count", ("users", "user count", "number of users"), parse_int),
    Column("rto_hours", ("rto", "rto hours"), parse_float),
    Column("rpo_hours", ("rpo", "rpo hours"), parse_float),
    Column("end_of_support", ("end of support", "eos", "support end"), parse_date),
    Column("cost_centre", ("cost center", "cost centre", "costcode")),
    Column("notes", ("comments",)),
)

DEPENDENCY_COLUMNS = (
    Column("source", ("from", "source application", "application", "consumer"), required=True),
    Column("target", ("to", "target application", "depends on", "provider"), required=True),
    Column("kind", ("type", "target kind")),
    Column("service", ("external service",)),
    Column("protocol", ()),
    Column("port", (), parse_int),
    Column("description", ("notes", "purpose")),
)


def _table_kind(keys: frozenset[str]) -> str | None:
    if {"source", "target"} <= keys or {"from", "to"} <= keys or "dependson" in keys:
        return "dependencies"
    if "cores" in keys and ({"name", "server", "hostname"} & keys):
        return "servers"
    sharing = table_kind(keys)
    if sharing is not None:
        return sharing
    app_keys = {"name", "application", "applicationname", "app", "service"}
    if app_keys & keys and (
        {
            "servers",
            "server",
            "owner",
            "criticality",
            "classification",
            "businesscriticality",
            "securityclassification",
        }
        & keys
    ):
        return "applications"
    return None


def detect(source: Source) -> bool:
    return source.kind == "csv" and _table_kind(source.csv_keys) is not None


def _build(
    model: type[Any], values: dict[str, Any], table: Table, row: int, problems: ProblemCollector
) -> Any | None:
    try:
        return model(**values)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            field = format_loc(tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            problems.error(f"{field}: {msg}", Location(table.file, table.sheet, row, field or None))
        return None


def _server(values: dict[str, Any]) -> dict[str, Any]:
    memory = values.pop("memory_mib", None) or values.pop("memory_gib", None)
    values.pop("memory_gib", None)
    util = {
        k: values.pop(k)
        for k in ("cpu_percent", "memory_percent", "iops", "network_mbps")
        if k in values
    }
    os_name = values.pop("os_name", "")
    values["os"] = OperatingSystem(
        family=os_family(os_name, values.pop("os_family", "")),
        name=os_name,
        version=values.pop("os_version", ""),
    )
    if util:
        values["utilisation"] = Utilisation(**util)
    if memory is not None:
        values["memory_mib"] = memory
    return values


def read_servers(table: Table, fragment: Fragment, problems: ProblemCollector) -> None:
    columns = ColumnMap(table, SERVER_COLUMNS, problems, report_gaps=False, size_headers=False)
    if columns.ok and not columns.present("cores"):
        problems.error("required column 'cores' not found", table.location(row=table.header_row))
        return
    if columns.ok and not (columns.present("memory_mib") or columns.present("memory_gib")):
        problems.error(
            "required column 'memory_mib' (or 'memory_gib') not found",
            table.location(row=table.header_row),
        )
        return
    if not columns.ok:
        return
    rows = 0
    for row, cells in table.rows:
        rows += 1
        values = columns.extract(row, cells)
        if values is None:
            continue
        # memory may be given in either column: only a row with neither is unsized
        has_memory = "memory_mib" in values or "memory_gib" in values
        gaps = [g for g in columns.gaps if g.field == "cores"]
        memory_gaps = [] if has_memory else [g for g in columns.gaps if g.field == "memory_mib"]
        gaps += memory_gaps[:1]
        values["unsized_reason"] = report_gaps(problems, gaps) if gaps else ""
        values = _server(values)
        where = table.location(row=row)
        util = values.get("utilisation")
        if util is not None and zero_utilisation(
            util.cpu_percent, util.memory_percent, where, problems
        ):
            rest = util.model_copy(update={"cpu_percent": None, "memory_percent": None})
            values["utilisation"] = rest if rest != Utilisation() else None
        server = _build(Server, values, table, row, problems)
        if server is not None:
            fragment.add_server(server, where)
    fragment.rows = rows


_APP_SCALARS = (
    "owner",
    "description",
    "category",
    "criticality",
    "classification",
    "user_count",
    "rto_hours",
    "rpo_hours",
    "end_of_support",
    "cost_centre",
    "notes",
)


def read_applications(table: Table, fragment: Fragment, problems: ProblemCollector) -> None:
    columns = ColumnMap(table, APPLICATION_COLUMNS, problems)
    if not columns.ok:
        return
    merged: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for row, values in columns.records():
        key = values["name"].lower()
        if key not in merged:
            merged[key] = values
            first_row[key] = row
            continue
        existing = merged[key]
        for field in _APP_SCALARS:
            if field in values and field in existing and values[field] != existing[field]:
                problems.error(
                    f"application {values['name']!r} has "
                    f"{table.header_name(columns.index_of(field) or 0)} {values[field]} here but "
                    f"{existing[field]} on row {first_row[key]}",
                    table.location(row=row, column=columns.index_of(field)),
                    hint="make the rows agree, or give the field on one row only",
                )
            elif field in values:
                existing[field] = values[field]
        for field in ("servers", "products"):
            if field in values:
                existing[field] = tuple(dict.fromkeys((*existing.get(field, ()), *values[field])))
    for key, values in merged.items():
        app = _build(Application, values, table, first_row[key], problems)
        if app is not None:
            fragment.add_application(app, table.location(row=first_row[key]))
    fragment.has_application_data = True


def _dependency(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.pop("kind", "").lower()
    service = values.pop("service", "")
    if kind in ("external", "service", "ext", "national"):
        values["kind"] = DependencyKind.EXTERNAL
    elif kind in ("application", "app", "internal", ""):
        values["kind"] = DependencyKind.APPLICATION
    else:
        raise ValueError(f"unknown dependency kind {kind!r} (expected application or external)")
    if service:
        try:
            values["service"] = ExternalService(service.upper())
        except ValueError:
            raise ValueError(
                f"unknown external service {service!r} (expected one of "
                f"{', '.join(s.value for s in ExternalService)})"
            ) from None
        values["kind"] = DependencyKind.EXTERNAL
    return values


def read_dependencies(table: Table, fragment: Fragment, problems: ProblemCollector) -> None:
    columns = ColumnMap(table, DEPENDENCY_COLUMNS, problems)
    if not columns.ok:
        return
    for row, values in columns.records():
        try:
            values = _dependency(values)
        except ValueError as exc:
            problems.error(str(exc), table.location(row=row))
            continue
        dep = _build(Dependency, values, table, row, problems)
        if dep is not None:
            fragment.add_dependency(dep, table.location(row=row))


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    table = source.csv_table()
    kind = _table_kind(frozenset(table.keys))
    readers = {
        "servers": read_servers,
        "applications": read_applications,
        "dependencies": read_dependencies,
        "partners": read_partners,
        "sharing": read_sharing,
    }
    if kind is None:
        problems.error(
            "cannot tell whether this is servers.csv, applications.csv, dependencies.csv, "
            "partners.csv or sharing.csv from its header",
            table.location(row=table.header_row),
            hint="see docs/formats-native.md for the native CSV columns",
        )
        return fragment
    readers[kind](table, fragment, problems)
    return fragment


def format_products(products: Sequence[SoftwareProduct]) -> str:
    return " | ".join(
        ":".join(p for p in (x.vendor, x.product, x.version, x.edition)).rstrip(":")
        for x in products
    )


SPEC = ReaderSpec(
    FORMAT,
    "forcelift native CSV (servers.csv, applications.csv, dependencies.csv, partners.csv, "
    "sharing.csv)",
    detect,
    read,
)
