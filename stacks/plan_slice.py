"""The plan as one stack reads it: a full load remembered per file, or a per-wave slice.

A big plan takes minutes to parse as YAML and holds hundreds of MB: after the first (full,
validated) load, each stack reads a skeleton and its own wave from JSON files instead. The
program runs one stack per process (Pulumi) or many in a preview worker, so the cache is one
object per process, owned here and cleared only through it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from forcelift.migration.plan.planfile import PLAN_SCHEMA_VERSION, CloudWorkload, Plan
from forcelift.migration.plan.planio import load_plan

_FileKey = tuple[str, int]


@dataclass
class PlanCache:
    """The last plan this process loaded, the last stack slice it read, and the content
    digests of the files it hashed (by path, size and modification time)."""

    plans: dict[_FileKey, Plan] = field(default_factory=dict)
    views: dict[tuple[_FileKey, str, str], PlanView] = field(default_factory=dict)
    digests: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def clear(self) -> None:
        self.plans.clear()
        self.views.clear()
        self.digests.clear()


PLAN_CACHE = PlanCache()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, hashed once per process while its size and modification time
    stay the same: every stack's view of the plan and every preview stamp key on the content
    of one plan that may be 70 MB (preview workers forked later inherit the digest)."""
    resolved = path.resolve()
    stat = resolved.stat()
    key = (str(resolved), stat.st_size, stat.st_mtime_ns)
    if key not in PLAN_CACHE.digests:
        sha = hashlib.sha256()
        with resolved.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
        PLAN_CACHE.digests[key] = sha.hexdigest()
    return PLAN_CACHE.digests[key]


def cached_plan(path: Path) -> Plan:
    """load_plan, remembered per file and modification time (preview workers inherit it),
    and written once as a per-wave cache next to the plan (see `stack_view`)."""
    resolved = path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns)
    except OSError:
        return load_plan(path)  # let load_plan report the missing file
    if key not in PLAN_CACHE.plans:
        PLAN_CACHE.plans.clear()
        plan = load_plan(path)
        PLAN_CACHE.plans[key] = plan
        with contextlib.suppress(OSError):
            _write_cache(resolved, plan)
    return PLAN_CACHE.plans[key]


def prime_plan_cache(path: Path, plan: Plan) -> None:
    """Remember `plan` as the content of `path`, which the caller has just written from it.

    `forcelift migrate` holds the plan it wrote: handing it over spares the preview a second
    parse of the same YAML (minutes for a 100,000-server plan). Only for a plan written by
    plan_to_yaml, whose reading gives back an equal Plan (tested).
    """
    resolved = path.resolve()
    key = (str(resolved), resolved.stat().st_mtime_ns)
    PLAN_CACHE.plans.clear()
    PLAN_CACHE.plans[key] = plan
    with contextlib.suppress(OSError):
        _write_cache(resolved, plan)


@dataclass(frozen=True)
class PlanView:
    """The plan as one stack needs it. From the cache, `plan` holds only this stack's wave
    of its cloud's workloads; `indices` are their places in the whole plan (for error paths)
    and `applications` every application of the cloud (for name clashes)."""

    plan: Plan
    indices: tuple[int, ...] | None = None
    applications: tuple[str, ...] | None = None


CACHE_VERSION = "1"


def _cache_dir(path: Path) -> tuple[Path, Path]:
    """(the plan's cache folder, the folder for this exact plan text and forcelift)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("forcelift")
    except PackageNotFoundError:
        release = "0"
    digest = hashlib.sha256(
        f"{file_digest(path)}/{PLAN_SCHEMA_VERSION}/{CACHE_VERSION}/{release}".encode()
    )
    root = path.parent / f".{path.name}.cache"
    return root, root / digest.hexdigest()[:24]


def _write_cache(path: Path, plan: Plan) -> None:
    import shutil

    from pydantic import TypeAdapter

    root, target = _cache_dir(path)
    if (target / "complete").is_file():
        return
    workloads = TypeAdapter(list[CloudWorkload])
    staging = root / f"{target.name}.tmp{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    skeleton = plan.model_copy(
        update={
            "workloads": (),
            "clouds": tuple(c.model_copy(update={"workloads": ()}) for c in plan.clouds),
        }
    )
    (staging / "skeleton.json").write_text(skeleton.model_dump_json(), encoding="utf-8")
    for ci, cloud in enumerate(plan.clouds):
        names = [w.application for w in cloud.workloads]
        (staging / f"cloud-{ci}-names.json").write_text(json.dumps(names), encoding="utf-8")
        by_wave: dict[int, list[int]] = {}
        for i, w in enumerate(cloud.workloads):
            by_wave.setdefault(w.wave, []).append(i)
        for wave, indices in by_wave.items():
            chosen = [cloud.workloads[i] for i in indices]
            (staging / f"cloud-{ci}-wave-{wave}.json").write_bytes(
                b'{"indices":%s,"workloads":%s}'
                % (json.dumps(indices).encode(), workloads.dump_json(chosen))
            )
    (staging / "complete").write_text("", encoding="utf-8")
    for old in root.iterdir():
        if old != staging:
            shutil.rmtree(old, ignore_errors=True)
    staging.rename(target)


def stack_view(path: Path, cloud: str, stack: str) -> PlanView:
    """The plan for one stack: the whole plan if this process has it (preview workers), else
    the cache written by an earlier full load, else a full load (which writes the cache)."""
    resolved = path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns)
        _, target = _cache_dir(resolved)
    except OSError:
        return PlanView(cached_plan(path))
    if key in PLAN_CACHE.plans or not (target / "complete").is_file():
        return PlanView(cached_plan(path))
    if (key, cloud, stack) not in PLAN_CACHE.views:
        PLAN_CACHE.views.clear()
        PLAN_CACHE.views[(key, cloud, stack)] = _read_view(target, cloud, stack)
    return PLAN_CACHE.views[(key, cloud, stack)]


def _read_view(target: Path, cloud: str, stack: str) -> PlanView:
    from pydantic import TypeAdapter

    skeleton = Plan.model_validate_json((target / "skeleton.json").read_bytes())
    ci = next((i for i, c in enumerate(skeleton.clouds) if c.cloud == cloud), None)
    planned = (
        None
        if ci is None
        else next((s for s in skeleton.clouds[ci].stacks if s.name == stack), None)
    )
    if ci is None or planned is None or planned.wave is None:
        return PlanView(skeleton, (), ())  # no workloads needed (or an error to report)
    names = tuple(json.loads((target / f"cloud-{ci}-names.json").read_text(encoding="utf-8")))
    wave_file = target / f"cloud-{ci}-wave-{planned.wave}.json"
    indices: tuple[int, ...] = ()
    workloads: tuple[CloudWorkload, ...] = ()
    if wave_file.is_file():
        data = json.loads(wave_file.read_bytes())
        indices = tuple(data["indices"])
        workloads = tuple(TypeAdapter(list[CloudWorkload]).validate_python(data["workloads"]))
    clouds = list(skeleton.clouds)
    clouds[ci] = clouds[ci].model_copy(update={"workloads": workloads})
    return PlanView(skeleton.model_copy(update={"clouds": tuple(clouds)}), indices, names)
