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


#: what a run read of each referenced stack's outputs: stack reference name -> output names
#: ("*": all of them, when a name was only known at run time)
Reads = Mapping[str, Iterable[str]]
ALL_OUTPUTS = "*"


def preview_inputs(
    project: Project,
    stack: StackFile,
    outputs: Mapping[str, Mapping[str, Any]] | None = None,
    reads: Reads | None = None,
) -> dict[str, Any]:
    """What a stack's preview is computed from, by content, and its content key.

    `outputs` are the referenced stacks' outputs the run is given (by stack name); None
    reads them from their previews. `reads` are the outputs the program read (recorded by
    the mock runtime, kept in the stamp): only their values are in the key, so a first
    part's `workloads` export changing does not re-preview the later parts, which read only
    its spoke. None: every output of every referenced stack. Content hashes, not mtimes: an
    unchanged preview keeps its old timestamp (re-runs change no file), so a timestamp
    cannot say whether it is current. `plan` (the whole file's digest) is recorded for
    people, not compared."""
    plan = run_config(project, stack).get(f"{NAMESPACE}:plan", "")
    given = recorded_outputs(project, stack) if outputs is None else outputs
    references = reference_outputs(project, stack, given)
    parts = {
        "config": _digest(project.directory / f"Pulumi.{stack.name}.yaml"),
        "references": references_digest(references, reads),
        "slice": slice_key(Path(plan), stack.cloud, stack.name) if plan else "",
        "versions": versions(stack.cloud),
    }
    return stamp_record(parts, _digest(Path(plan)) if plan else "", reads)


def references_digest(references: Mapping[str, Mapping[str, Any]], reads: Reads | None) -> str:
    """sha256 of the referenced outputs the run read (all of them when `reads` is None); an
    output read but missing is recorded as missing, so its appearing changes the key."""
    if reads is not None:
        wanted = {ref: sorted(set(names)) for ref, names in reads.items()}
        references = {
            ref: (
                dict(references.get(ref, {}))
                if ALL_OUTPUTS in names
                else {n: references.get(ref, {}).get(n, {"<missing>": True}) for n in names}
            )
            for ref, names in sorted(wanted.items())
        }
    return hashlib.sha256(_canonical(references)).hexdigest()


def stamp_record(parts: Mapping[str, Any], plan_digest: str, reads: Reads | None) -> dict[str, Any]:
    """The stamp: the key's parts, the key, and (when known) what was read of each reference."""
    record = {
        **parts,
        "forcelift": _version(),
        "key": hashlib.sha256(_canonical(dict(parts))).hexdigest(),
        "plan": plan_digest,
    }
    if reads is not None:
        record["reads"] = {ref: sorted(set(names)) for ref, names in sorted(reads.items())}
    return record


def recorded_reads(directory: Path, name: str) -> dict[str, list[str]] | None:
    """What the stack's last preview read of its references (None: not recorded)."""
    recorded = _read_stamp(directory, name)
    reads = recorded.get("reads") if recorded is not None else None
    if not isinstance(reads, Mapping):
        return None
    return {str(k): [str(n) for n in v] for k, v in reads.items() if isinstance(v, list)}


def current_key(
    project: Project, name: str, outputs: Mapping[str, Mapping[str, Any]] | None = None
) -> str:
    """The content key the stack's preview would have now, over what its last run read."""
    reads = recorded_reads(project.directory, name)
    return str(preview_inputs(project, project.stack(name), outputs, reads)["key"])


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
    now = preview_inputs(
        project, project.stack(name), outputs, recorded_reads(project.directory, name)
    )
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
