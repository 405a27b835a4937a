"""Writing a rendered project: replace what forcelift wrote, keep what the engineer set in
stack configs, never overwrite a user's file, report stale files (and stale vendored wheels)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.plan.planio import HEADER as PLAN_HEADER
from forcelift.migration.plan.regional_io import HEADER as REGIONAL_HEADER
from forcelift.stacks.generate import (
    DEFAULT_ORGANIZATION,
    MANAGED_KEYS,
    MARKER,
    ORGANIZATION_KEY,
    VENDOR_DIR,
    GeneratedFile,
    Kind,
    Status,
    render_stack_config,
    vendored_wheel,
)


@dataclass(frozen=True)
class FileOutcome:
    path: str
    status: Status
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"path": self.path, "status": self.status}
        if self.detail:
            out["detail"] = self.detail
        return out


def _is_generated(kind: Kind, text: str) -> bool:
    """Whether forcelift wrote this file, so it may be replaced."""
    head = "\n".join(text.splitlines()[:5])
    if kind == "plan":  # plan.yaml / plans/<force>.yaml: a single-force or regional plan
        return text.startswith((PLAN_HEADER.splitlines()[0], REGIONAL_HEADER.splitlines()[0]))
    if MARKER in head:
        return True
    if kind == "stack-config":
        # `pulumi config set` rewrites the file and may drop comments, the marker included.
        data = _load_yaml(text)
        config = data.get("config") if isinstance(data, dict) else None
        return isinstance(config, dict) and "forcelift:plan" in config
    return False


def _load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def merge_stack_config(file: GeneratedFile, existing: str) -> tuple[str, list[str]]:
    """The stack config re-rendered with the values the engineer set kept; and their keys."""
    assert file.stack is not None
    data = _load_yaml(existing)
    if not isinstance(data, dict):
        return file.content, []
    config = data.get("config")
    kept_config = (
        {k: v for k, v in config.items() if k not in MANAGED_KEYS}
        if isinstance(config, dict)
        else {}
    )
    kept_top = {k: v for k, v in data.items() if k != "config"}
    text = render_stack_config(file.stack, kept_top, kept_config)
    kept = sorted(kept_top) + sorted(
        k
        for k, v in kept_config.items()
        if not (k == ORGANIZATION_KEY and v == DEFAULT_ORGANIZATION)
    )
    return text, kept


def plan_writes(
    files: Mapping[str, GeneratedFile], out_dir: Path, *, force: bool = False
) -> list[tuple[FileOutcome, str | None]]:
    """What writing would do to each file (nothing is written); refusals raise InputError."""
    problems: list[Problem] = []
    actions: list[tuple[FileOutcome, str | None]] = []
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output is not a directory", Location(file=str(out_dir)))
    for rel, file in files.items():
        target = out_dir / rel
        if target.is_dir():
            problems.append(Problem("a directory is in the way", Location(file=str(target))))
            continue
        if not target.exists():
            actions.append((FileOutcome(rel, "created"), file.content))
            continue
        try:
            existing = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            existing = None
        if existing is None or not _is_generated(file.kind, existing):
            if not force:
                problems.append(
                    Problem(
                        "refusing to overwrite a file forcelift did not generate "
                        f"(no '{MARKER}' line)",
                        Location(file=str(target)),
                        hint="move it away, or pass --force to replace it",
                    )
                )
                continue
            if existing is None:
                actions.append((FileOutcome(rel, "updated", "replaced (--force)"), file.content))
                continue
        assert existing is not None
        content, detail = file.content, ""
        if file.kind == "stack-config":
            content, kept = merge_stack_config(file, existing)
            if kept:
                detail = "kept " + ", ".join(kept)
            if _load_yaml(existing) == _load_yaml(content):
                actions.append((FileOutcome(rel, "unchanged", detail), None))
                continue
        elif existing == content:
            actions.append((FileOutcome(rel, "unchanged"), None))
            continue
        actions.append((FileOutcome(rel, "updated", detail), content))
    if problems:
        raise InputError(problems)
    return actions


def find_stale(out_dir: Path, produced: Iterable[str]) -> list[FileOutcome]:
    """Generated stack configs and pipelines the plan no longer produces; kept, not deleted.

    A stack's config must outlive the plan's change of mind: `pulumi destroy` needs it.
    """
    if not out_dir.is_dir():
        return []
    produced = set(produced)
    candidates = [
        *out_dir.glob("Pulumi.*.yaml"),
        *out_dir.glob("azure-pipelines-*.yml"),
        *(out_dir / ".github" / "workflows").glob("forcelift-*.yml"),
    ]
    stale = []
    for path in sorted(candidates):
        rel = path.relative_to(out_dir).as_posix()
        if rel in produced or not path.is_file():
            continue
        kind: Kind = "stack-config" if rel.startswith("Pulumi.") else "text"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if _is_generated(kind, text):
            stale.append(
                FileOutcome(
                    rel,
                    "stale",
                    "no longer in the plan; kept (delete it once its stack is destroyed)"
                    if kind == "stack-config"
                    else "no longer in the plan; kept (delete it if the cloud was dropped)",
                )
            )
    return stale


def _stale_wheels(out_dir: Path, current: str) -> list[FileOutcome]:
    """Wheels of another forcelift version left in vendor/ by an earlier run; kept, reported."""
    return [
        FileOutcome(
            rel,
            "stale",
            "an earlier forcelift; requirements.txt no longer points at it (delete it)",
        )
        for rel in sorted(
            p.relative_to(out_dir).as_posix()
            for p in (out_dir / VENDOR_DIR).glob("forcelift-*-py3-none-any.whl")
        )
        if rel != current
    ]


def write_project(
    files: Mapping[str, GeneratedFile],
    out_dir: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    vendor: bool = False,
) -> list[FileOutcome]:
    """Write what changed, atomically; every other file is left byte-for-byte alone.

    With `vendor`, also the wheel of this forcelift that requirements.txt points at."""
    from forcelift.migration.inventory.writer import write_atomic

    actions = plan_writes(files, out_dir, force=force)
    if not dry_run:
        for outcome, content in actions:
            if content is not None:
                write_atomic(out_dir / outcome.path, content, force=True)
    outcomes = [outcome for outcome, _ in actions]
    if vendor:
        from importlib.metadata import version

        from forcelift.stacks.vendor import write_wheel

        wheel = vendored_wheel(version("forcelift"))
        status = write_wheel(out_dir, wheel, dry_run=dry_run)
        outcomes.append(FileOutcome(wheel, status, "forcelift itself, for requirements.txt"))
        outcomes.extend(_stale_wheels(out_dir, wheel))
    return sorted(outcomes, key=lambda o: o.path) + find_stale(out_dir, files)
