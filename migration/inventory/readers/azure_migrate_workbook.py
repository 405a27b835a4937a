"""Azure Migrate discovery, assessment and software inventory workbooks (stub)."""

from __future__ import annotations

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source

FORMAT = "azure-migrate-workbook"


def detect(source: Source) -> bool:
    return False


def read(source: Source, problems: ProblemCollector) -> Fragment:
    raise NotImplementedError(FORMAT)


SPEC = ReaderSpec(
    FORMAT,
    "Azure Migrate discovery report / assessment / software inventory workbook",
    detect,
    read,
)
