"""forcelift's own wheel, built from the installed package, for a generated project's vendor/.

A generated project must install where no package index serves forcelift, so `generate`
puts a wheel of the running forcelift into the project and requirements.txt points at it.
The wheel is assembled from the installed package files (regular or editable install alike)
and the distribution's metadata, deterministically: entries sorted, fixed timestamps and
permissions, so the same forcelift gives the same bytes and a re-run changes no file.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import zipfile
from collections.abc import Iterator
from importlib.metadata import Distribution, distributions
from pathlib import Path
from typing import Literal

# The import packages that make up the `forcelift` namespace (pyproject.toml's package-dir).
TOP_PACKAGES = ("forcelift.cli", "forcelift.components", "forcelift.migration", "forcelift.stacks")
_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIP_DIRS = {"__pycache__"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


def _package_files() -> Iterator[tuple[str, Path]]:
    for name in TOP_PACKAGES:
        module = importlib.import_module(name)
        root = Path(next(iter(module.__path__)))
        prefix = name.replace(".", "/")
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or any(p in _SKIP_DIRS or p.startswith(".") for p in rel.parts):
                continue
            if path.suffix in _SKIP_SUFFIXES:
                continue
            yield f"{prefix}/{rel.as_posix()}", path


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _metadata() -> tuple[Distribution, str]:
    """The installed distribution and its core metadata (a source tree's stray
    forcelift.egg-info on sys.path has PKG-INFO, the same format, instead of METADATA)."""
    found = list(distributions(name="forcelift"))
    for dist in found:
        text = dist.read_text("METADATA")
        if text:
            return dist, text
    for dist in found:
        text = dist.read_text("PKG-INFO")
        if text:
            return dist, text
    raise RuntimeError("forcelift's metadata is not installed: pip install forcelift first")


def build_wheel() -> tuple[str, bytes]:
    """(file name, bytes) of a py3-none-any wheel of the installed forcelift."""
    dist, metadata = _metadata()
    version = dist.version
    info = f"forcelift-{version}.dist-info"
    entries: dict[str, bytes] = {arc: path.read_bytes() for arc, path in _package_files()}
    entries[f"{info}/METADATA"] = metadata.encode("utf-8")
    entry_points = dist.read_text("entry_points.txt")
    if entry_points:
        entries[f"{info}/entry_points.txt"] = entry_points.encode("utf-8")
    entries[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: forcelift.stacks.vendor\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    record = [_record_line(name, data) for name, data in sorted(entries.items())]
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = sorted(n for n in entries if not n.startswith(info))
        for name in [*names, *sorted(n for n in entries if n.startswith(info))]:
            item = zipfile.ZipInfo(name, date_time=_EPOCH)
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(item, entries[name])
    return f"forcelift-{version}-py3-none-any.whl", buffer.getvalue()


def write_wheel(
    project_dir: Path, relative: str, *, dry_run: bool = False
) -> Literal["created", "updated", "unchanged"]:
    """Put the wheel at project_dir/relative (atomically, untouched when unchanged)."""
    from forcelift.migration.inventory.writer import write_atomic

    _name, data = build_wheel()
    target = project_dir / relative
    status: Literal["created", "updated", "unchanged"] = "created"
    if target.is_file():
        status = "unchanged" if target.read_bytes() == data else "updated"
    if not dry_run and status != "unchanged":
        write_atomic(target, data, force=True)
    return status
