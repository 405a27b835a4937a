"""The registry of inventory readers, in detection order (most specific first)."""

from __future__ import annotations

from forcelift.migration.inventory.readers import (
    aws_migration_hub,
    azure_migrate_csv,
    azure_migrate_workbook,
    native_csv,
    native_yaml,
    rvtools,
)
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source

READERS: tuple[ReaderSpec, ...] = (
    native_yaml.SPEC,
    rvtools.SPEC,
    azure_migrate_workbook.SPEC,
    azure_migrate_csv.SPEC,
    aws_migration_hub.SPEC,
    native_csv.SPEC,
)

BY_NAME: dict[str, ReaderSpec] = {spec.name: spec for spec in READERS}

__all__ = ["BY_NAME", "READERS", "Fragment", "ReaderSpec", "Source"]
