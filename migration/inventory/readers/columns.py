"""Declarative column mapping: aliases per field, a parser per field, errors with row and column.

Readers declare which header spellings mean which field; the map resolves them once per table,
then pulls and parses only the cells it needs from each row (fast on 93-column sheets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.gaps import Gap, gap_detail, report_gaps
from forcelift.migration.inventory.normalise import Cell, is_blank, is_missing, text
from forcelift.migration.inventory.tabular import Table


@dataclass(frozen=True)
class Column:
    """One field's header spellings and parser.

    `required`: the row's identity (blank is an error). `size` (a model field, "cores" or
    "memory_mib"): needed for sizing; a blank, sentinel or unreadable cell leaves the server
    unsized with a warning (see gaps.py). Sentinels (normalise.SENTINELS) are "no value" in
    typed columns; `literal` columns, and free text read with plain `text`, keep them as
    written (a Readiness column's `Not ready`, a folder named `-`); a `required` identity
    cell holding a sentinel (`N/A` as a server name) is no identity, an error.
    """

    field: str
    aliases: tuple[str, ...]
    parse: Callable[[Cell], Any] = text
    required: bool = False
    size: str = ""
    literal: bool = False


class ColumnMap:
    """The columns of one table resolved to indices, with the problems found on the way."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[Column],
        problems: ProblemCollector,
        *,
        report_gaps: bool = True,
        size_headers: bool = True,
    ) -> None:
        self.table = table
        self.problems = problems
        #: size cells of the last extracted row that gave no value
        self.gaps: list[Gap] = []
        #: warn about gaps as rows are read; readers that fill gaps from elsewhere say False
        #: and call gaps.report_gaps themselves
        self.report_gaps = report_gaps
        self.resolved: list[tuple[Column, int]] = []
        self.missing_required: list[Column] = []
        for column in columns:
            index = table.column(column.field, *column.aliases)
            if index is not None:
                self.resolved.append((column, index))
            elif column.required or (column.size and size_headers):
                self.missing_required.append(column)
        #: (column, index, the "no value" test for its cells), decided once per table: free
        #: text keeps sentinels as written, typed columns read them as no value
        self._plan = [
            (c, i, is_blank if not c.required and (c.literal or c.parse is text) else is_missing)
            for c, i in self.resolved
        ]
        for column in self.missing_required:
            names = " / ".join(dict.fromkeys((column.aliases or (column.field,))[:3]))
            problems.error(
                f"required column {names!r} not found",
                table.location(row=table.header_row),
                hint=f"columns present: {', '.join(h for h in table.header if h)[:300]}",
            )

    @property
    def ok(self) -> bool:
        return not self.missing_required

    def present(self, field: str) -> bool:
        return any(c.field == field for c, _ in self.resolved)

    def extract(self, row: int, cells: Sequence[Cell]) -> dict[str, Any] | None:
        """Parsed values for the fields present in this row, or None if a cell was invalid.

        Missing cells (blank or a sentinel, see normalise.is_missing) are left out; a missing
        or unreadable size cell is a gap (`self.gaps`), not an error.
        """
        values: dict[str, Any] = {}
        failed = False
        width = len(cells)
        gaps: list[Gap] = []
        for column, index, no_value in self._plan:
            cell = cells[index] if index < width else None
            if no_value(cell):
                if column.required:
                    shown = text(cell)
                    self.problems.error(
                        f"{column.field} is empty"
                        if not shown
                        else f"{column.field} is {shown!r}: no value",
                        self.table.location(row=row, column=index),
                    )
                    failed = True
                elif column.size:
                    gaps.append(Gap(column.size, self.table.location(row, index), gap_detail(cell)))
                continue
            try:
                value = column.parse(cell)
                if column.size and value < 1:
                    raise ValueError(f"{text(cell)} is not a usable size")
                values[column.field] = value
            except ValueError as exc:
                if column.size and not column.required:
                    where = self.table.location(row, index)
                    gaps.append(Gap(column.size, where, gap_detail(cell, str(exc))))
                    continue
                self.problems.error(str(exc), self.table.location(row=row, column=index))
                failed = True
        self.gaps = gaps
        if gaps and self.report_gaps and not failed:
            values["unsized_reason"] = report_gaps(self.problems, gaps)
        return None if failed else values

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row, values) for each row whose cells all parse; `self.gaps` is that row's gaps."""
        for row, cells in self.table.rows:
            values = self.extract(row, cells)
            if values is not None:
                yield row, values

    def index_of(self, field: str) -> int | None:
        return next((index for column, index in self.resolved if column.field == field), None)

    def raw(self, field: str, cells: Sequence[Cell]) -> Cell:
        for column, index in self.resolved:
            if column.field == field:
                return cells[index] if index < len(cells) else None
        return None

    def text_of(self, field: str, cells: Sequence[Cell]) -> str:
        return text(self.raw(field, cells))
