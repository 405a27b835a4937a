"""Whether a stack's preview is current: the stamp beside each preview records, by content,
what it was computed from (plan, stack config, forcelift version)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from forcelift.stacks.config import NAMESPACE
from forcelift.stacks.plan_slice import file_digest
from forcelift.stacks.preview_documents import PREVIEW_DIR
from forcelift.stacks.project_reader import Project, StackFile, read_project, run_config

STAMP_SUFFIX = ".stamp"


def _digest(path: Path) -> str:
    """The file's content digest, "" when it cannot be read."""
    try:
        return file_digest(path)
    except OSError:
        return ""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("forcelift")
    except PackageNotFoundError:
        return "unknown"


def preview_inputs(project: Project, stack: StackFile) -> dict[str, str]:
    """What a stack's preview was computed from, by content: its plan, its stack config and
    the forcelift version. Content hashes, not mtimes: an unchanged preview keeps its old
    timestamp (re-runs change no file), so a timestamp cannot say whether it is current."""
    plan = run_config(project, stack).get(f"{NAMESPACE}:plan", "")
    return {
        "config": _digest(project.directory / f"Pulumi.{stack.name}.yaml"),
        "forcelift": _version(),
        "plan": _digest(Path(plan)) if plan else "",
    }


def stamp_path(directory: Path, name: str) -> Path:
    return directory / PREVIEW_DIR / f"{name}{STAMP_SUFFIX}"


def preview_state(project: Project, name: str) -> str:
    """'current', or why the stack's preview cannot be trusted (missing, changed inputs)."""
    doc = project.directory / PREVIEW_DIR / f"{name}.json"
    if not doc.is_file():
        return "not previewed"
    try:
        recorded = json.loads(stamp_path(project.directory, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "preview incomplete (no record of its inputs)"
    now = preview_inputs(project, project.stack(name))
    if not isinstance(recorded, Mapping):
        return "preview incomplete (no record of its inputs)"
    if recorded.get("plan") != now["plan"]:
        return "plan changed since its preview"
    if recorded.get("config") != now["config"]:
        return f"Pulumi.{name}.yaml changed since its preview"
    if recorded.get("forcelift") != now["forcelift"]:
        return f"previewed by forcelift {recorded.get('forcelift')}, this is {now['forcelift']}"
    return "current"


def stale_stacks(directory: Path, names: Iterable[str] = ()) -> dict[str, str]:
    """Stacks (all, or these) whose preview is missing or older than its inputs, and why."""
    project = read_project(directory)
    wanted = list(names) or [s.name for s in project.stacks]
    states = {name: preview_state(project, name) for name in wanted}
    return {name: state for name, state in states.items() if state != "current"}
