"""Write an inventory as native YAML, deterministically and atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from forcelift.migration import yamlio
from forcelift.migration.errors import InputError, Location
from forcelift.migration.inventory.model import Inventory


def inventory_to_yaml(inventory: Inventory, tick: Callable[[], None] | None = None) -> str:
    data = inventory.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": inventory.schema_version, **data}
    return yamlio.dump(data, tick)


def write_atomic(path: Path, content: str | bytes, *, force: bool = False) -> None:
    """Write via a temporary file in the same directory and rename: never a half-written file."""
    if path.exists() and not force:
        raise InputError(
            "refusing to overwrite an existing file",
            Location(file=str(path)),
            hint="pass --force to replace it",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return  # unchanged: leave the file (and its timestamp) alone
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # mkstemp creates 0600; give the file the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
