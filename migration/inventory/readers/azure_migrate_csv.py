"""Azure Migrate import CSV template (not yet implemented)."""

from __future__ import annotations

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source

FORMAT = "azure-migrate-csv"


def detect(source: Source) -> bool:
    return False


def read(source: Source, problems: ProblemCollector) -> Fragment:
    raise NotImplementedError(FORMAT)


SPEC = ReaderSpec(FORMAT, "Azure Migrate import CSV template", detect, read)
