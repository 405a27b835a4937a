"""The Exampleshire sample's CMDB-style exports: what a service desk tool's report would give.

Forcelift reads these alongside a server export (RVTools, Azure Migrate, ...), so they carry
only application and dependency facts, in the spellings such exports use (titled criticality,
`dd/mm/yyyy` dates, `1,234` user counts, CRLF lines).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from forcelift.migration.inventory.export.native_csv import format_number
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.readers.native_csv import format_products

CMDB_HEADER = (
    "Application",
    "Server",
    "Owner",
    "Business Criticality",
    "Security Classification",
    "Category",
    "Products",
    "Users",
    "RTO",
    "RPO",
    "Cost Centre",
    "End of Support",
    "Description",
    "Notes",
)
DEPENDENCY_EXPORT_HEADER = (
    "Source",
    "Target",
    "Kind",
    "External Service",
    "Protocol",
    "Port",
    "Description",
)


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as spreadsheet exports write it
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def cmdb_csv(inventory: Inventory) -> str:
    """One row per application-server pair, application attributes repeated on every row."""
    rows = []
    for app in inventory.applications:
        users = "" if app.user_count is None else f"{app.user_count:,}"
        eos = app.end_of_support.strftime("%d/%m/%Y") if app.end_of_support else ""
        for server in app.servers:
            rows.append(
                [
                    app.name,
                    server,
                    app.owner,
                    app.criticality.value.title(),
                    app.classification.value,
                    app.category,
                    format_products(app.products),
                    users,
                    format_number(app.rto_hours),
                    format_number(app.rpo_hours),
                    app.cost_centre,
                    eos,
                    app.description,
                    app.notes,
                ]
            )
    return _csv(CMDB_HEADER, rows)


def dependencies_csv(inventory: Inventory) -> str:
    rows = [
        [
            d.source,
            d.target,
            d.kind.value.title(),
            d.service.value if d.service else "",
            d.protocol,
            format_number(d.port),
            d.description,
        ]
        for d in inventory.dependencies
    ]
    return _csv(DEPENDENCY_EXPORT_HEADER, rows)
