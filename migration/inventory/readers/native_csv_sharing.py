"""The native CSV set's partners.csv and sharing.csv: who a force shares with, and what.

Kept apart from native_csv.py (servers, applications, dependencies) so each module stays one
table family; native_csv recognises these two by header and hands them here.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.normalise import parse_bool, parse_int, split_list
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.readers.base import Fragment
from forcelift.migration.inventory.readers.columns import Column, ColumnMap
from forcelift.migration.inventory.sharing import Partner, SharingFlow
from forcelift.migration.inventory.tabular import Table

PARTNER_COLUMNS = (
    Column("name", ("partner", "partner name", "organisation", "organization"), required=True),
    Column("kind", ("partner kind", "type", "partner type"), required=True),
    Column("cloud", ()),
    Column("azure_tenant", ("tenant", "tenant id", "azure tenant id")),
    Column(
        "azure_subscriptions",
        ("subscriptions", "azure subscription", "subscription ids"),
        split_list,
    ),
    Column(
        "aws_accounts", ("accounts", "aws account", "account ids", "aws account ids"), split_list
    ),
    Column("aws_organization_unit", ("ou", "aws ou", "organizational unit", "organisation unit")),
    Column("endpoint", ("private link service", "endpoint service", "service alias")),
    Column("description", ("notes",)),
    Column("aliases", ("alias", "also known as", "aka"), split_list, literal=True),
)

SHARING_COLUMNS = (
    Column("application", ("app", "application name", "system"), required=True),
    Column("partner", ("partner name", "with", "shared with"), required=True),
    Column("data", ("information", "data shared", "what")),
    Column("direction", ("flow", "flow direction")),
    Column("classification", ("security classification", "gsc")),
    Column("protocol", ()),
    Column("api", ("agency api", "is api"), parse_bool),
    Column("port", (), parse_int),
    Column(
        "agreement",
        ("agreement reference", "dsa", "isa", "sharing agreement", "data sharing agreement"),
    ),
    Column("description", ("notes", "purpose")),
)

_NAMES = {"name", "partner", "partnername", "organisation", "organization"}
_APPS = {"application", "app", "applicationname", "system"}


def table_kind(keys: frozenset[str]) -> str | None:
    """ "sharing" for an application-to-partner table, "partners" for a partner list."""
    if {"partner", "partnername", "sharedwith"} & keys and _APPS & keys:
        return "sharing"
    if {"kind", "partnerkind", "partnertype"} & keys and _NAMES & keys and not _APPS & keys:
        return "partners"
    return None


def _build(
    model: type[Any],
    values: dict[str, Any],
    table: Table,
    row: int,
    columns: ColumnMap,
    problems: ProblemCollector,
) -> Any | None:
    """The model, or None with one error per bad field at its row and (header) column."""
    try:
        return model(**values)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            index = columns.index_of(str(loc[0])) if loc else None
            msg = err["msg"].removeprefix("Value error, ")
            where = table.location(row=row, column=index)
            problems.error(f"{format_loc(loc)}: {msg}", where)
        return None


def read_partners(table: Table, fragment: Fragment, problems: ProblemCollector) -> None:
    columns = ColumnMap(table, PARTNER_COLUMNS, problems)
    if not columns.ok:
        return
    for row, values in columns.records():
        partner = _build(Partner, values, table, row, columns, problems)
        if partner is not None:
            fragment.add_partner(partner, table.location(row=row))


def read_sharing(table: Table, fragment: Fragment, problems: ProblemCollector) -> None:
    columns = ColumnMap(table, SHARING_COLUMNS, problems)
    if not columns.ok:
        return
    for row, values in columns.records():
        flow = _build(SharingFlow, values, table, row, columns, problems)
        if flow is not None:
            fragment.add_flow(flow, table.location(row=row))
