"""The plan as one stack reads it: always its slice (stacks/stack_slice.py), made from a
full load remembered per file, or read from the per-slice cache files next to the plan.

A big plan takes minutes to parse as YAML and holds hundreds of MB: after the first (full,
validated) load, each stack reads its own slice from a JSON file instead. The program runs
one stack per process (Pulumi) or many in a preview worker, so the cache is one object per
process, owned here and cleared only through it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forcelift.migration.plan.planfile import PLAN_SCHEMA_VERSION, Plan
from forcelift.migration.plan.planio import load_plan
from forcelift.stacks.stack_slice import (
    WaveIndex,
    canonical_json,
    sharing_places,
    slice_digest,
    slice_id,
    slice_indices,
    stack_slice,
    wave_positions,
)

_FileKey = tuple[str, int]


@dataclass
class PlanCache:
    """The last plan this process loaded, the stack slices it made of it or read from the
    cache, their digests, and the content digests of the files it hashed (by path, size and
    modification time)."""

    plans: dict[_FileKey, Plan] = field(default_factory=dict)
    views: dict[tuple[_FileKey, str, str], PlanView] = field(default_factory=dict)
    digests: dict[tuple[str, int, int], str] = field(default_factory=dict)
    positions: dict[tuple[_FileKey, str], WaveIndex] = field(default_factory=dict)
    slice_digests: dict[tuple[_FileKey, str, str], str] = field(default_factory=dict)

    def clear(self) -> None:
        self.plans.clear()
        self.views.clear()
        self.digests.clear()
        self.positions.clear()
        self.slice_digests.clear()


PLAN_CACHE = PlanCache()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, hashed once per process while its size and modification time
    stay the same: every stack's view of the plan and every preview stamp key on the content
    of one plan that may be 70 MB."""
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
    """load_plan, remembered per file and modification time,
    and written once as a per-wave cache next to the plan (see `stack_view`)."""
    resolved = path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns)
    except OSError:
        return load_plan(path)  # let load_plan report the missing file
    if key not in PLAN_CACHE.plans:
        _forget_plans()
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
    _forget_plans()
    PLAN_CACHE.plans[key] = plan
    with contextlib.suppress(OSError):
        _write_cache(resolved, plan)


def _forget_plans() -> None:
    PLAN_CACHE.plans.clear()
    PLAN_CACHE.views.clear()
    PLAN_CACHE.positions.clear()
    PLAN_CACHE.slice_digests.clear()


@dataclass(frozen=True)
class PlanView:
    """The plan as one stack needs it: `plan` is its slice (stack_slice.stack_slice);
    `indices` are the places of the slice's workloads in the whole plan's cloud (for error
    paths) and `applications` every application of the cloud (for name clashes). Neither is
    in the slice: they never reach a preview, so they must not change its content key."""

    plan: Plan
    indices: tuple[int, ...] | None = None
    applications: tuple[str, ...] | None = None
    #: places of a wave slice's sharing entries in the whole plan (stack_slice.sharing_places)
    hosted_places: tuple[int, ...] | None = None
    staff_places: tuple[int, ...] | None = None


CACHE_VERSION = "3"


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


def _slice_file(ci: int | None, piece: str) -> str:
    return "none.json" if ci is None else f"cloud-{ci}-{piece}.json"


def _write_cache(path: Path, plan: Plan) -> None:
    """One JSON file per slice (`cloud-<i>-landing-zone.json`, `cloud-<i>-wave-<n>.json`,
    ...: the PlanView's places, "digest" and "plan"), the cloud's application names, and
    `index.json` (stack -> slice file and digest), which preview stamps read without loading
    a slice."""
    import shutil

    root, target = _cache_dir(path)
    if (target / "complete").is_file():
        return
    key = (str(path), path.stat().st_mtime_ns)
    staging = root / f"{target.name}.tmp{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    index: dict[str, dict[str, str]] = {}
    written: dict[str, str] = {}

    def write(name: str, view: PlanView) -> str:
        if name not in written:
            body = canonical_json(view.plan)
            written[name] = hashlib.sha256(body).hexdigest()
            head = {
                "digest": written[name],
                "indices": view.indices or (),
                "hosted_places": view.hosted_places,
                "staff_places": view.staff_places,
            }
            text = json.dumps(head, sort_keys=True)[:-1]  # the slice goes last, as it is
            (staging / name).write_bytes(b'%s,"plan":%s}' % (text.encode(), body))
        return written[name]

    write(_slice_file(None, "none"), PlanView(stack_slice(plan, "", ""), ()))
    for ci, cloud in enumerate(plan.clouds):
        names = [w.application for w in cloud.workloads]
        (staging / f"cloud-{ci}-names.json").write_text(json.dumps(names), encoding="utf-8")
        positions = wave_positions(cloud)
        write(_slice_file(ci, "none"), PlanView(stack_slice(plan, cloud.cloud, ""), ()))
        for entry in cloud.stacks:
            piece = slice_id(plan, cloud.cloud, entry.name)
            name = _slice_file(ci, piece)
            if name not in written:
                write(name, _view(plan, cloud.cloud, entry.name, positions, None))
            index[f"{cloud.cloud}/{entry.name}"] = {"file": name, "digest": written[name]}
            # the stamps need these digests next: hashing a big plan's slices once is enough
            PLAN_CACHE.slice_digests[(key, cloud.cloud, piece)] = written[name]
    clouds = [c.cloud for c in plan.clouds]
    (staging / "index.json").write_text(
        json.dumps({"clouds": clouds, "stacks": index}, sort_keys=True), encoding="utf-8"
    )
    (staging / "complete").write_text("", encoding="utf-8")
    for old in root.iterdir():
        if old != staging:
            shutil.rmtree(old, ignore_errors=True)
    staging.rename(target)


def stack_view(path: Path, cloud: str, stack: str) -> PlanView:
    """The slice of the plan for one stack: made from the whole plan if this process has it
    (preview workers), else read from the cache written by an earlier full load, else made
    after a full load (which writes the cache). Every part of a split wave gets the same
    object, so the checks done once per plan object are done once per wave."""
    resolved = path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns)
        _, target = _cache_dir(resolved)
    except OSError:
        cached_plan(path)  # reports the missing file
        raise
    if key in PLAN_CACHE.plans or not (target / "complete").is_file():
        return _memory_view(key, cached_plan(path), cloud, stack)
    cached = _read_index(target).get(f"{cloud}/{stack}")
    name = cached["file"] if cached else _cached_none(target, cloud)
    if (key, cloud, name) not in PLAN_CACHE.views:
        PLAN_CACHE.views.clear()
        PLAN_CACHE.views[(key, cloud, name)] = _read_view(target, name)
    return PLAN_CACHE.views[(key, cloud, name)]


def slice_key(path: Path, cloud: str, stack: str) -> str:
    """The digest of a stack's slice (stack_slice.slice_digest), without reading the slice
    when the cache has it."""
    resolved = path.resolve()
    key = (str(resolved), resolved.stat().st_mtime_ns)
    _, target = _cache_dir(resolved)
    if key not in PLAN_CACHE.plans and (target / "complete").is_file():
        cached = _read_index(target).get(f"{cloud}/{stack}")
        return (
            str(cached["digest"]) if cached else slice_digest(stack_view(path, cloud, stack).plan)
        )
    plan = cached_plan(path)
    memo = (key, cloud, slice_id(plan, cloud, stack))
    if memo not in PLAN_CACHE.slice_digests:
        PLAN_CACHE.slice_digests[memo] = slice_digest(stack_view(path, cloud, stack).plan)
    return PLAN_CACHE.slice_digests[memo]


def _memory_view(key: _FileKey, plan: Plan, cloud: str, stack: str) -> PlanView:
    piece = slice_id(plan, cloud, stack)
    if (key, cloud, piece) not in PLAN_CACHE.views:
        found = next((c for c in plan.clouds if c.cloud == cloud), None)
        if found is None:
            PLAN_CACHE.views[(key, cloud, piece)] = PlanView(
                stack_slice(plan, cloud, stack), (), ()
            )
        else:
            if (key, cloud) not in PLAN_CACHE.positions:
                PLAN_CACHE.positions[(key, cloud)] = wave_positions(found)
            positions = PLAN_CACHE.positions[(key, cloud)]
            same = next((v for k, v in PLAN_CACHE.views.items() if k[:2] == (key, cloud)), None)
            names = (
                same.applications
                if same is not None and same.applications is not None
                else tuple(w.application for w in found.workloads)
            )  # one tuple per cloud, shared by its slices
            PLAN_CACHE.views[(key, cloud, piece)] = _view(plan, cloud, stack, positions, names)
    return PLAN_CACHE.views[(key, cloud, piece)]


_INDEX: dict[Path, dict[str, Any]] = {}


def _read_index(target: Path) -> dict[str, Any]:
    if target not in _INDEX:
        _INDEX.clear()
        data = json.loads((target / "index.json").read_text(encoding="utf-8"))
        _INDEX[target] = {**data["stacks"], "": data["clouds"]}
    return _INDEX[target]


def _cached_none(target: Path, cloud: str) -> str:
    clouds = _read_index(target)[""]
    return _slice_file(clouds.index(cloud) if cloud in clouds else None, "none")


def _read_view(target: Path, name: str) -> PlanView:
    data = json.loads((target / name).read_bytes())
    piece = Plan.model_validate(data["plan"])
    indices = tuple(data["indices"])
    hosted, staff = data.get("hosted_places"), data.get("staff_places")
    applications: tuple[str, ...] = ()
    if name.startswith("cloud-"):  # every application of the cloud, for name clashes
        names = target / f"cloud-{name.split('-')[1]}-names.json"
        applications = tuple(json.loads(names.read_text(encoding="utf-8")))
    return PlanView(
        piece,
        indices,
        applications,
        None if hosted is None else tuple(hosted),
        None if staff is None else tuple(staff),
    )


def _view(
    plan: Plan,
    cloud: str,
    stack: str,
    positions: WaveIndex,
    applications: tuple[str, ...] | None,
) -> PlanView:
    """A stack's slice with the places of its entries in the whole plan."""
    hosted, staff = sharing_places(plan, cloud, stack)
    return PlanView(
        stack_slice(plan, cloud, stack, positions),
        slice_indices(plan, cloud, stack, positions),
        applications,
        hosted,
        staff,
    )
