"""RVTools export (xlsx workbook or per-tab CSV files) (not yet implemented)."""

from __future__ import annotations

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source

FORMAT = "rvtools"


def detect(source: Source) -> bool:
    return False


def read(source: Source, problems: ProblemCollector) -> Fragment:
    raise NotImplementedError(FORMAT)


SPEC = ReaderSpec(FORMAT, "RVTools export (xlsx workbook or per-tab CSV files)", detect, read)
