"""Declarative column mapping: aliases per field, a parser per field, errors with row and column.

Readers declare which header spellings mean which field; the map resolves them once per table,
then pulls and parses only the cells it needs from each row (fast on 93-column sheets).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.normalise import Cell, is_blank, text
from forcelift.migration.inventory.tabular import Table


@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...]
    parse: Callable[[Cell], Any] = text
    required: bool = False


class ColumnMap:
    """The columns of one table resolved to indices, with the problems found on the way."""

    def __init__(self, table: Table, columns: Sequence[Column], problems: ProblemCollector) -> None:
        self.table = table
        self.problems = problems
        self.resolved: list[tuple[Column, int]] = []
        self.missing_required: list[Column] = []
        for column in columns:
            index = table.column(column.field, *column.aliases)
            if index is not None:
                self.resolved.append((column, index))
            elif column.required:
                self.missing_required.append(column)
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
        """Parsed values for the fields present in this row, or None if a cell was invalid."""
        values: dict[str, Any] = {}
        failed = False
        width = len(cells)
        for column, index in self.resolved:
            cell = cells[index] if index < width else None
            if is_blank(cell):
                if column.required:
                    self.problems.error(
                        f"{column.field} is empty", self.table.location(row=row, column=index)
                    )
                    failed = True
                continue
            try:
                values[column.field] = column.parse(cell)
            except ValueError as exc:
                self.problems.error(str(exc), self.table.location(row=row, column=index))
                failed = True
        return None if failed else values

    def index_of(self, field: str) -> int | None:
        return next((index for column, index in self.resolved if column.field == field), None)

    def raw(self, field: str, cells: Sequence[Cell]) -> Cell:
        for column, index in self.resolved:
            if column.field == field:
                return cells[index] if index < len(cells) else None
        return None

    def text_of(self, field: str, cells: Sequence[Cell]) -> str:
        return text(self.raw(field, cells))
