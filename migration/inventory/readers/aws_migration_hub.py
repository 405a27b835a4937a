"""AWS Migration Hub / Application Discovery Service import CSV (not yet implemented)."""

from __future__ import annotations

from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source

FORMAT = "aws-migration-hub"


def detect(source: Source) -> bool:
    return False


def read(source: Source, problems: ProblemCollector) -> Fragment:
    raise NotImplementedError(FORMAT)


SPEC = ReaderSpec(
    FORMAT, "AWS Migration Hub / Application Discovery Service import CSV", detect, read
)
