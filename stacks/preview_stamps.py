"""Whether a stack's preview is current: the stamp beside each preview records its content
key, a hash of exactly what its program read (docs/preview.md): its plan slice
(stacks/stack_slice.py), its `Pulumi.<stack>.yaml`, the outputs of the stacks it references
and the forcelift, pulumi and provider SDK versions. An unchanged key means the preview
would come out byte-identical, so it is reused instead of run again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from forcelift.stacks.config import NAMESPACE
from forcelift.stacks.plan_slice import file_digest, slice_key
from forcelift.stacks.preview_documents import PREVIEW_DIR, existing_outputs
from forcelift.stacks.project_reader import (
    Project,
    StackFile,
    dependencies,
    read_project,
    reference_outputs,
    run_config,
)

STAMP_SUFFIX = ".stamp"
PROVIDER_PACKAGES = {"azure": "pulumi-azure-native", "aws": "pulumi-aws"}


def _digest(path: Path) -> str:
    """The file's content digest, "" when it cannot be read."""
    try:
        return file_digest(path)
    except OSError:
        return ""


@lru_cache(maxsize=8)
def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _version() -> str:
    return _package_version("forcelift")


def versions(cloud: str) -> dict[str, str]:
    """The versions a stack's preview depends on: forcelift, pulumi and its cloud's SDK."""
    names = ["forcelift", "pulumi", PROVIDER_PACKAGES.get(cloud, "")]
    return {name: _package_version(name) for name in names if name}


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def recorded_outputs(project: Project, stack: StackFile) -> dict[str, Mapping[str, Any]]:
    """The outputs of the stacks this one references, as their current previews hold them."""
    found: dict[str, Mapping[str, Any]] = {}
    for dep in dependencies(project, stack):
        outputs = existing_outputs(project.directory, dep)
        if outputs is not None:
            found[dep] = outputs
    return found


def preview_inputs(
    project: Project,
    stack: StackFile,
    outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """What a stack's preview is computed from, by content, and its content key.

    `outputs` are the referenced stacks' outputs the run is given (by stack name); None
    reads them from their previews. Content hashes, not mtimes: an unchanged preview keeps
    its old timestamp (re-runs change no file), so a timestamp cannot say whether it is
    current. `plan` (the whole file's digest) is recorded for people, not compared."""
    plan = run_config(project, stack).get(f"{NAMESPACE}:plan", "")
    given = recorded_outputs(project, stack) if outputs is None else outputs
    references = reference_outputs(project, stack, given)
    parts = {
        "config": _digest(project.directory / f"Pulumi.{stack.name}.yaml"),
        "references": hashlib.sha256(_canonical(references)).hexdigest(),
        "slice": slice_key(Path(plan), stack.cloud, stack.name) if plan else "",
        "versions": versions(stack.cloud),
    }
    return {
        **parts,
        "forcelift": _version(),
        "key": hashlib.sha256(_canonical(parts)).hexdigest(),
        "plan": _digest(Path(plan)) if plan else "",
    }


def stamp_path(directory: Path, name: str) -> Path:
    return directory / PREVIEW_DIR / f"{name}{STAMP_SUFFIX}"


def recorded_key(directory: Path, name: str) -> str | None:
    """The content key a stack's preview was written with; None without a complete one."""
    if not (directory / PREVIEW_DIR / f"{name}.json").is_file():
        return None
    recorded = _read_stamp(directory, name)
    key = recorded.get("key") if recorded is not None else None
    return key if isinstance(key, str) else None


def _read_stamp(directory: Path, name: str) -> Mapping[str, Any] | None:
    try:
        recorded = json.loads(stamp_path(directory, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, Mapping) else None


def preview_state(
    project: Project, name: str, outputs: Mapping[str, Mapping[str, Any]] | None = None
) -> str:
    """'current', or why the stack's preview cannot be trusted (missing, changed inputs)."""
    doc = project.directory / PREVIEW_DIR / f"{name}.json"
    if not doc.is_file():
        return "not previewed"
    recorded = _read_stamp(project.directory, name)
    if recorded is None or "key" not in recorded:
        return "preview incomplete (no record of its inputs)"
    now = preview_inputs(project, project.stack(name), outputs)
    if recorded.get("key") == now["key"]:
        return "current"
    if recorded.get("slice") != now["slice"]:
        return "its part of the plan changed since its preview"
    if recorded.get("config") != now["config"]:
        return f"Pulumi.{name}.yaml changed since its preview"
    if recorded.get("references") != now["references"]:
        return "the outputs of the stacks it reads changed since its preview"
    was = recorded.get("versions") or {}
    changed = [f"{k} {was.get(k)} -> {v}" for k, v in now["versions"].items() if was.get(k) != v]
    return f"previewed with other versions ({', '.join(changed) or 'unknown'})"


def stale_stacks(directory: Path, names: Iterable[str] = ()) -> dict[str, str]:
    """Stacks (all, or these) whose preview is missing or older than its inputs, and why."""
    project = read_project(directory)
    wanted = list(names) or [s.name for s in project.stacks]
    states = {name: preview_state(project, name) for name in wanted}
    return {name: state for name, state in states.items() if state != "current"}
