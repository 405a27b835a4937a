"""Uniform, streaming access to CSV files and workbook sheets.

Readers see a :class:`Table`: the header as written, a lookup from folded header names to
column indices, and rows numbered as a spreadsheet user sees them. Encoding (UTF-8, UTF-8 with
BOM, UTF-16, cp1252) and delimiter (`,` `;` tab `|`) are detected, blank rows skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forcelift.migration.errors import InputError, Location
from forcelift.migration.inventory.normalise import Cell, normalise_header

csv.field_size_limit(16 * 1024 * 1024)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """One sheet or CSV file: header plus a one-shot iterator of (row number, cells)."""

    file: str
    sheet: str | None
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, Sequence[Cell]]]
    keys: list[str] = field(init=False)
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.keys = [normalise_header(h) for h in self.header]
        self._index = {}
        for i, key in enumerate(self.keys):
            if key and key not in self._index:
                self._index[key] = i

    def column(self, *aliases: str) -> int | None:
        """Index of the first column whose folded header matches one of the aliases."""
        for alias in aliases:
            idx = self._index.get(normalise_header(alias))
            if idx is not None:
                return idx
        return None

    def has(self, *aliases: str) -> bool:
        return self.column(*aliases) is not None

    def header_name(self, index: int) -> str:
        return self.header[index] if index < len(self.header) else f"#{index + 1}"

    def location(self, row: int | None = None, column: int | None = None) -> Location:
        return Location(
            file=self.file,
            sheet=self.sheet,
            row=row,
            column=self.header_name(column) if column is not None else None,
        )


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(sample: str) -> str:
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _non_blank(rows: Iterable[tuple[int, Sequence[Cell]]]) -> Iterator[tuple[int, Sequence[Cell]]]:
    for number, cells in rows:
        if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            yield number, cells


def sniff_file_kind(path: Path) -> str:
    """'xlsx', 'ole' (encrypted or legacy .xls), 'binary', 'yaml', 'csv' or 'empty'."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        return "empty"
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    if path.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    return "csv"


def read_csv_table(path: Path, display: str | None = None, *, head_only: bool = False) -> Table:
    """Open a CSV file as a :class:`Table`; the header is the first non-blank row.

    `head_only` reads just the first 64 KiB: enough for format detection on large exports.
    """
    name = display or str(path)
    try:
        if head_only:
            with path.open("rb") as fh:
                data = fh.read(65536)
            if len(data) == 65536:  # keep whole lines only, so the header is never cut
                data = data[: data.rfind(b"\n") + 1] or data
        else:
            data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Location(file=name)) from exc
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "this is not a text CSV file (it contains binary data)",
            Location(file=name),
            hint="export the sheet as CSV, or pass the .xlsx workbook itself",
        )
    content = _decode(data, name)
    delimiter = _sniff_delimiter(content[:65536])
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, Sequence[Cell]]]:
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(
                f"malformed CSV: {exc}", Location(file=name, row=reader.line_num)
            ) from exc

    rows = _non_blank(numbered())
    first = next(rows, None)
    if first is None:
        raise InputError("the file is empty (no header row)", Location(file=name))
    header_row, header = first
    return Table(name, None, [str(h).strip() for h in header], header_row, rows)


class Workbook:
    """A workbook opened with python-calamine (fast, streaming rows from the Rust side)."""

    def __init__(self, path: Path, display: str | None = None) -> None:
        from python_calamine import CalamineWorkbook

        self.file = display or str(path)
        kind = sniff_file_kind(path)
        if kind == "ole":
            raise InputError(
                "the workbook is password-protected (encrypted) or an old binary .xls",
                Location(file=self.file),
                hint="remove the password (Excel: File > Info > Protect Workbook) or save as .xlsx",
            )
        if kind != "xlsx":
            raise InputError("not an .xlsx workbook", Location(file=self.file))
        try:
            self._wb = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises several error types for damaged files
            raise InputError(
                f"cannot open workbook: {exc}",
                Location(file=self.file),
                hint="the file may be corrupt or truncated; export it again",
            ) from exc
        self.sheet_names: list[str] = list(self._wb.sheet_names)
        self._folded = {normalise_header(n): n for n in self.sheet_names}

    def find_sheet(self, *names: str) -> str | None:
        """The real name of the first sheet matching one of the names (case/spacing ignored)."""
        for name in names:
            real = self._folded.get(normalise_header(name))
            if real is not None:
                return real
        return None

    def table(self, sheet: str) -> Table:
        try:
            ws = self._wb.get_sheet_by_name(sheet)
            start_row = (ws.start or (0, 0))[0] if ws.height else 0
            iterator = ws.iter_rows()
        except Exception as exc:
            raise InputError(
                f"cannot read sheet: {exc}", Location(file=self.file, sheet=sheet)
            ) from exc

        def numbered() -> Iterator[tuple[int, Sequence[Cell]]]:
            number = start_row
            try:
                for cells in iterator:
                    number += 1
                    yield number, cells
            except Exception as exc:
                raise InputError(
                    f"cannot read sheet: {exc}", Location(file=self.file, sheet=sheet, row=number)
                ) from exc

        rows = _non_blank(numbered())
        first = next(rows, None)
        if first is None:
            return Table(self.file, sheet, [], start_row + 1, iter(()))
        header_row, header = first
        return Table(
            self.file,
            sheet,
            [str(h if h is not None else "").strip() for h in header],
            header_row,
            rows,
        )

    def close(self) -> None:
        self._wb.close()
