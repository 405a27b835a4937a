"""CSV and XLSX exports of the decisions, for the people who live in spreadsheets.

CSV: UTF-8 with a byte-order mark (so Excel opens it as UTF-8 rather than the local code page and
keeps names like "Côte" intact), CRLF row ends (RFC 4180), lists as line breaks inside a quoted
cell (reasons contain semicolons and commas, so no separator character is safe).
XLSX: one "Decisions" sheet with a frozen, filterable header and an "About" sheet; document
properties and the created date are fixed from the plan, so the same plan gives the same bytes.
A plan that shares (issue 12) also gets "Sharing flows" and "Staff access" sheets, and the same
two tables as sharing.csv and staff-access.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.report.decisions import DecisionTable, Value
from forcelift.migration.report.sharing import SharingView, sharing_view
from forcelift.migration.report.style import COLOURS, DECISIONS


def _cell_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "\n".join(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def decisions_csv(table: DecisionTable) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


FLOW_HEADERS = (
    "Flow",
    "Application",
    "Partner",
    "Data",
    "Direction",
    "Classification",
    "Protocol",
    "Port",
    "API",
    "Connection",
    "Agreement",
    "Why this connection",
)
STAFF_HEADERS = (
    "Cloud",
    "Application",
    "Method",
    "Staff address",
    "Sign-in",
    "Published",
    "Why",
)


def flow_rows(view: SharingView) -> list[list[str]]:
    return [
        [
            f.name,
            f.application,
            f.partner,
            f.data,
            f.direction,
            f.classification,
            f.protocol,
            str(f.port),
            "yes" if f.api else "no",
            f.connection,
            f.agreement or "NO AGREEMENT",
            f.reason,
        ]
        for f in view.flows
    ]


def staff_rows(view: SharingView) -> list[list[str]]:
    """Fronted applications, then those that are not (method "not fronted", with the reason)."""
    rows = []
    for cloud in view.clouds:
        for r in cloud.staff:
            published = "public and staff" if r.public else "staff only"
            rows.append(
                [cloud.label, r.application, r.method, r.hostname, r.identity, published, r.reason]
            )
        for application, reason in cloud.not_fronted:
            rows.append([cloud.label, application, "not fronted", "", "", "", reason])
    return rows


def _csv(headers: tuple[str, ...], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def sharing_csvs(view: SharingView | None) -> dict[str, bytes]:
    """sharing.csv and staff-access.csv when the plan has them; nothing otherwise."""
    if view is None:
        return {}
    files = {}
    if view.flows:
        files["sharing.csv"] = _csv(FLOW_HEADERS, flow_rows(view))
    if any(c.staff or c.not_fronted for c in view.clouds):
        files["staff-access.csv"] = _csv(STAFF_HEADERS, staff_rows(view))
    return files


def _sheet(
    book: Any, name: str, headers: tuple[str, ...], rows: list[list[str]], styles: Any
) -> None:
    header, wrap = styles
    sheet = book.add_worksheet(name)
    for col, text in enumerate(headers):
        sheet.set_column(col, col, 16 if col else 24)
        sheet.write_string(0, col, text, header)
    for r, row in enumerate(rows, start=1):
        for col, text in enumerate(row):
            sheet.write_string(r, col, text, wrap)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)


def _tint(hex_colour: str, amount: float = 0.75) -> str:
    """A light tint of a colour for cell fills (dark text stays readable on it)."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def decisions_xlsx(plan: Plan, table: DecisionTable) -> bytes:
    import xlsxwriter

    created = dt.datetime.combine(plan.as_of, dt.time())
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties(
        {
            "title": f"{plan.force.name}: migration decisions",
            "subject": "Cloud migration decisions per application",
            "author": "forcelift",
            "company": plan.force.name,
            "comments": "Generated from plan.yaml by forcelift report",
            "created": created,
        }
    )
    header = book.add_format(
        {"bold": True, "bg_color": "#1F2933", "font_color": "#FFFFFF", "text_wrap": True}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})
    money = book.add_format({"num_format": "#,##0.00", "valign": "top"})
    decision_formats: dict[str, Any] = {
        d.value: book.add_format({"bg_color": _tint(COLOURS[d]), "valign": "top", "bold": True})
        for d in DECISIONS
    }

    sheet = book.add_worksheet("Decisions")
    for col, column in enumerate(table.columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.header, header)
    for r, row in enumerate(table.rows, start=1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if value is None or value == "" or value == ():
                sheet.write_blank(r, col, None, top)
            elif column.key == "decision" and value in decision_formats:
                sheet.write_string(r, col, str(value), decision_formats[str(value)])
            elif column.kind == "money" and isinstance(value, float | int):
                sheet.write_number(r, col, float(value), money)
            elif column.kind == "int" and isinstance(value, int):
                sheet.write_number(r, col, value, top)
            elif column.kind == "list":
                sheet.write_string(r, col, _cell_text(value), wrap)
            else:
                sheet.write_string(r, col, _cell_text(value), wrap)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)

    view = sharing_view(plan)
    if view is not None and view.flows:
        _sheet(book, "Sharing flows", FLOW_HEADERS, flow_rows(view), (header, wrap))
    if view is not None and any(c.staff or c.not_fronted for c in view.clouds):
        _sheet(book, "Staff access", STAFF_HEADERS, staff_rows(view), (header, wrap))

    about = book.add_worksheet("About")
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 80)
    facts = [
        ("Force", plan.force.name),
        ("Plan as of", plan.as_of.isoformat()),
        ("Sources", "\n".join(plan.sources)),
        ("Clouds", ", ".join(c.cloud for c in plan.clouds)),
        ("Applications", str(len(plan.workloads))),
        ("Currency", plan.clouds[0].cost.currency if plan.clouds else "USD"),
        (
            "Costs",
            "Monthly list prices from the plan's price snapshot; commitments (1-year, 3-year) "
            "discount compute only. SaaS subscriptions are not included.",
        ),
        ("Lists", "Several values in one cell are on separate lines."),
    ]
    bold = book.add_format({"bold": True, "valign": "top"})
    for r, (name, text) in enumerate(facts):
        about.write_string(r, 0, name, bold)
        about.write_string(r, 1, text, wrap)
    book.close()
    return buffer.getvalue()
