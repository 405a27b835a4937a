"""Offline preview of a generated project: every stack's program under the mock runtime.

No Pulumi CLI, no cloud, no credentials. Each stack runs with the config of its
`Pulumi.<stack>.yaml` plus fixed stand-ins for what the engineer sets (secrets marked secret,
certificate ARN, account e-mail domain). Landing zones run first; wave stacks then run in
parallel worker processes with the landing zone's recorded outputs answering their
`StackReference`, and later parts of a split wave after the part that owns the spoke. Each
stack's graph is written to `DIR/preview/<stack>.json` (docs/stack-contract.md): resources
sorted by URN, byte-identical for the same plan; the guardrails read these files.

The mock runtime costs tens of milliseconds per resource, which is why stacks are bounded and
run in separate processes (forked after the plan is loaded, so each inherits it).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.stacks.config import ENGINEER_VALUES, NAMESPACE, read_config
from forcelift.stacks.interrupts import (
    Interrupted,
    exit_at_once,
    signals_raise,
    worker_signals,
)
from forcelift.stacks.plan_slice import file_digest, stack_view
from forcelift.stacks.program import context_from

PREVIEW_SCHEMA_VERSION = "1.0"
PREVIEW_DIR = "preview"


@dataclass(frozen=True)
class StackFile:
    """One `Pulumi.<stack>.yaml`: its plain config (secure values are left out)."""

    name: str
    config: Mapping[str, str]

    @property
    def layer(self) -> str:
        return self.config.get(f"{NAMESPACE}:layer", "")

    @property
    def cloud(self) -> str:
        return self.config.get(f"{NAMESPACE}:cloud", "")


@dataclass(frozen=True)
class Project:
    directory: Path
    name: str
    stacks: tuple[StackFile, ...]

    def stack(self, name: str) -> StackFile:
        for stack in self.stacks:
            if stack.name == name:
                return stack
        raise InputError(
            f"no stack {name!r} in this project (stacks: "
            f"{', '.join(s.name for s in self.stacks) or 'none'})",
            Location(file=str(self.directory)),
            hint="pick one of the Pulumi.<stack>.yaml files",
        )


@dataclass(frozen=True)
class StackResult:
    """What a worker sends back: small on purpose (the graph itself is written to disk)."""

    stack: str
    resources: int  # declared: every resource the program registers, components included
    counts: Mapping[str, int]
    outputs: Mapping[str, Any]
    tree: str
    duplicate_urns: tuple[str, ...]
    seconds: float
    problems: tuple[Problem, ...] = ()
    cloud_resources: int = 0  # custom resources only: what the cloud provider creates

    @property
    def components(self) -> int:
        return self.resources - self.cloud_resources


@dataclass
class PreviewResult:
    stacks: list[StackResult] = field(default_factory=list)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read {path.name}: {exc}", Location(file=str(path))) from exc


def _plain(value: Any) -> str | None:
    """A config value as the Pulumi engine passes it to a program; None for secure ones."""
    if isinstance(value, Mapping):
        return None if "secure" in value else json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value)
    return None if value is None else str(value)


def read_project(directory: Path) -> Project:
    """Pulumi.yaml (project name) and every Pulumi.<stack>.yaml of a generated project."""
    project_file = directory / "Pulumi.yaml"
    if not project_file.is_file():
        raise InputError(
            "not a Pulumi project (no Pulumi.yaml)",
            Location(file=str(directory)),
            hint="run `forcelift generate plan.yaml -o DIR` first",
        )
    project = _read_yaml(project_file) or {}
    name = str(project.get("name") or "forcelift") if isinstance(project, Mapping) else ""
    stacks = []
    for path in sorted(directory.glob("Pulumi.*.yaml")):
        stack = path.name[len("Pulumi.") : -len(".yaml")]
        data = _read_yaml(path) or {}
        raw = data.get("config") if isinstance(data, Mapping) else None
        if not isinstance(raw, Mapping):
            raise InputError(
                "no `config:` mapping", Location(file=str(path)), hint="re-run `forcelift generate`"
            )
        config = {str(k): v for k, v in ((k, _plain(v)) for k, v in raw.items()) if v is not None}
        stacks.append(StackFile(stack, dict(sorted(config.items()))))
    if not stacks:
        raise InputError(
            "no Pulumi.<stack>.yaml files", Location(file=str(directory)), hint="run generate"
        )
    return Project(directory, name, tuple(stacks))


def run_config(project: Project, stack: StackFile) -> dict[str, str]:
    """The config a stack's program runs with: its own, the plan path made absolute, and the
    preview's stand-ins for what the engineer sets."""
    config = dict(stack.config)
    plan = config.get(f"{NAMESPACE}:plan")
    if plan and not Path(plan).is_absolute():
        config[f"{NAMESPACE}:plan"] = str((project.directory / plan).resolve())
    for key, (dummy, _secret) in ENGINEER_VALUES.items():
        config.setdefault(f"{NAMESPACE}:{key}", dummy)
    return config


def dependencies(project: Project, stack: StackFile) -> list[str]:
    """Stacks whose outputs this one reads: its landing zone, and for a later part of a split
    wave, the part that owns the spoke (from the plan)."""
    if stack.layer != "wave":
        return []
    plan = _plan_of(project, stack)
    cloud = next((c for c in plan.clouds if c.cloud == stack.cloud), None)
    if cloud is None:
        return []
    found = [cloud.landing_zone.stack]
    for wave in cloud.waves:
        if stack.name in wave.stacks and wave.stacks[0] != stack.name:
            found.append(wave.stacks[0])
    return found


def _plan_of(project: Project, stack: StackFile) -> Any:
    plan = stack.config.get(f"{NAMESPACE}:plan")
    if not plan:
        raise InputError(
            f"missing stack config {NAMESPACE}:plan",
            Location(file=f"Pulumi.{stack.name}.yaml", column=f"{NAMESPACE}:plan"),
            hint="re-run `forcelift generate`",
        )
    path = Path(plan) if Path(plan).is_absolute() else project.directory / plan
    return stack_view(path, stack.cloud, stack.name).plan


def phases(project: Project, names: Sequence[str]) -> list[list[str]]:
    """Stacks in dependency order: each phase depends only on earlier ones."""
    wanted = set(names)
    deps = {n: [d for d in dependencies(project, project.stack(n)) if d in wanted] for n in names}
    done: set[str] = set()
    out: list[list[str]] = []
    while len(done) < len(names):
        ready = sorted(n for n in names if n not in done and all(d in done for d in deps[n]))
        if not ready:
            raise InputError(f"stack dependencies form a cycle: {sorted(wanted - done)}")
        out.append(ready)
        done.update(ready)
    return out


def document(run: Any, config: Mapping[str, str], sanitise: Callable[[Any], Any]) -> dict[str, Any]:
    """The preview JSON of one run (docs/stack-contract.md)."""
    resources = sorted((r.to_dict() for r in run.resources), key=lambda r: r["urn"])
    counts = Counter(r["type"] for r in resources)
    return {
        "schema_version": PREVIEW_SCHEMA_VERSION,
        "stack": run.stack,
        "project": run.project,
        "config": dict(sorted(config.items())),
        "resources": resources,
        "outputs": sanitise(dict(sorted(run.outputs.items()))),
        "counts": dict(sorted(counts.items())),
        "duplicate_urns": sorted(set(run.duplicate_urns)),
    }


def dumps(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def tree(doc: Mapping[str, Any]) -> str:
    """Components as a tree, each with its resources counted per type."""
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for resource in doc["resources"]:
        children[resource["parent"]].append(resource)
    lines = [f"{doc['stack']} ({len(doc['resources'])} resources)"]

    def walk(parent: str, depth: int) -> None:
        kids = children.get(parent, [])
        leaves = Counter(k["type"] for k in kids if k["urn"] not in children)
        for kind, n in sorted(leaves.items()):
            lines.append(f"{'  ' * depth}- {kind} x{n}")
        for kid in sorted((k for k in kids if k["urn"] in children), key=lambda k: k["urn"]):
            lines.append(f"{'  ' * depth}+ {kid['type']} {kid['name']}")
            walk(kid["urn"], depth + 1)

    roots = {r["parent"] for r in doc["resources"]} - {r["urn"] for r in doc["resources"]}
    for root in sorted(roots):
        walk(root, 1)
    return "\n".join(lines)


def counts_table(counts: Mapping[str, int]) -> str:
    width = max((len(k) for k in counts), default=0)
    return "\n".join(f"  {kind:<{width}}  {n:>5}" for kind, n in sorted(counts.items()))


def _reference_outputs(
    project: Project, stack: StackFile, outputs: Mapping[str, Mapping[str, Any]]
) -> dict[str, Mapping[str, Any]]:
    org = stack.config.get(f"{NAMESPACE}:organization", "organization")
    return {
        f"{org}/{project.name}/{dep}": outputs[dep]
        for dep in dependencies(project, stack)
        if dep in outputs
    }


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


def _result_from_document(name: str, path: Path) -> StackResult:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return StackResult(
        stack=name,
        resources=len(doc["resources"]),
        counts=doc["counts"],
        outputs=doc["outputs"],
        tree=tree(doc),
        duplicate_urns=tuple(doc["duplicate_urns"]),
        seconds=0.0,
        cloud_resources=cloud_resource_count(doc),
    )


def cloud_resource_count(doc: Mapping[str, Any]) -> int:
    """Custom resources of a preview: the declared ones less the component resources."""
    return sum(1 for r in doc["resources"] if r.get("custom", True))


def run_stack(project: Project, name: str, outputs: Mapping[str, Mapping[str, Any]]) -> StackResult:
    """One stack under the mock runtime; writes DIR/preview/<stack>.json (a worker's task)."""
    from forcelift.stacks.mock_runtime import run_mocked, sanitise
    from forcelift.stacks.program import main

    stack = project.stack(name)
    started = time.perf_counter()
    # Before the run: an input changed while it runs leaves the preview stale, never current.
    inputs = preview_inputs(project, stack)
    try:
        run = run_mocked(
            main,
            project=project.name,
            stack=name,
            config=run_config(project, stack),
            stack_outputs=_reference_outputs(project, stack, outputs),
        )
    except InputError as exc:  # sent back as data: the worker's exception class may not pickle
        return StackResult(name, 0, {}, {}, "", (), 0.0, tuple(exc.problems))
    doc = document(run, stack.config, sanitise)
    target = project.directory / PREVIEW_DIR / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    from forcelift.migration.inventory.writer import write_atomic

    write_atomic(target, dumps(doc), force=True)  # unchanged previews keep their timestamps
    # The stamp last: a preview without a current stamp is never taken as complete.
    stamp = json.dumps(inputs, indent=1, sort_keys=True) + "\n"
    write_atomic(stamp_path(project.directory, name), stamp, force=True)
    return StackResult(
        stack=name,
        resources=len(doc["resources"]),
        counts=doc["counts"],
        outputs=doc["outputs"],
        tree=tree(doc),
        duplicate_urns=tuple(doc["duplicate_urns"]),
        seconds=round(time.perf_counter() - started, 2),
        cloud_resources=cloud_resource_count(doc),
    )


def check_stack(project: Project, name: str) -> None:
    """The program's own checks of config and plan (no Pulumi): fail fast, all stacks at once."""
    config = run_config(project, project.stack(name))
    context_from(read_config(config.get, name), name, project.name, values=config.get)


def _existing_outputs(project: Project, name: str) -> Mapping[str, Any] | None:
    path = project.directory / PREVIEW_DIR / f"{name}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    outputs = data.get("outputs") if isinstance(data, Mapping) else None
    return outputs if isinstance(outputs, Mapping) else None


def _pool(jobs: int) -> ProcessPoolExecutor:
    # Fork so workers inherit the loaded plan - but only while this process has not loaded
    # Pulumi: forking after its gRPC threads exist can deadlock a worker. Otherwise spawn.
    fork = sys.platform.startswith("linux") and "pulumi.runtime" not in sys.modules
    context: multiprocessing.context.BaseContext = multiprocessing.get_context(
        "fork" if fork else "spawn"
    )
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=worker_signals)


def _stop(pool: ProcessPoolExecutor, directory: Path) -> None:
    """Terminate the workers now (running tasks too: `cancel_futures` only drops queued
    ones), then remove the temporary files a killed worker may have left."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + 1.0
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(0.5)
    pool.shutdown(wait=False, cancel_futures=True)
    _remove_temporaries(directory)


def _remove_temporaries(directory: Path) -> None:
    """write_atomic's temporary files (`.<name>.<random>`) a stopped writer left behind."""
    for leftover in (directory / PREVIEW_DIR).glob(".*.*"):
        leftover.unlink(missing_ok=True)


def _all_names(project: Project) -> list[str]:
    return [s.name for s in project.stacks]


def _run_phase(
    project: Project,
    phase: Sequence[str],
    outputs: Mapping[str, Mapping[str, Any]],
    workers: int,
    on_done: Callable[[str], None] | None,
) -> list[StackResult]:
    if workers == 1:  # in this process (tests, debugging)
        done = []

        def progress() -> str:
            complete = [n for n in _all_names(project) if preview_state(project, n) == "current"]
            return (
                f"{len(complete)} of {len(project.stacks)} stack preview(s) complete in "
                f"{project.directory / PREVIEW_DIR}"
            )

        with exit_at_once(progress, lambda: _remove_temporaries(project.directory)):
            for name in phase:
                done.append(run_stack(project, name, outputs))
                if on_done is not None:
                    on_done(name)
        return done
    pool = _pool(min(workers, len(phase)))
    try:
        futures = {pool.submit(run_stack, project, name, outputs): name for name in phase}
        for future in as_completed(futures):
            if on_done is not None:
                on_done(futures[future])
        results = [f.result() for f in futures]  # in submission order
    except BaseException:
        _stop(pool, project.directory)
        raise
    pool.shutdown()
    return results


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def preview_project(
    directory: Path,
    only: Iterable[str] = (),
    jobs: int | None = None,
    on_result: Callable[[StackResult], None] | None = None,
    on_done: Callable[[str], None] | None = None,
    resume: bool = False,
) -> PreviewResult:
    """Preview every stack (or `only` these, reusing earlier previews of what they read).

    `on_result` gets each stack's result in a fixed order (phase by phase, by name);
    `on_done` gets each stack's name the moment its worker finishes, for progress bars.
    With `resume`, stacks whose preview is current (same plan, config and forcelift version,
    see :func:`preview_inputs`) are read back instead of run again: a re-run after an
    interrupt finishes the rest. Ctrl-C or SIGTERM terminates the workers and raises
    :class:`Interrupted` saying how many previews are complete.
    """
    project = read_project(directory)
    for stack in project.stacks:
        _plan_of(project, stack)  # load (and check) the plan once, before any worker starts
    names = [s.name for s in project.stacks]
    selected = list(dict.fromkeys(only)) or names
    for name in selected:
        project.stack(name)
    outputs: dict[str, Mapping[str, Any]] = {}
    needed = set(selected)
    for name in selected:
        for dep in dependencies(project, project.stack(name)):
            if dep in needed:
                continue
            existing = _existing_outputs(project, dep)
            if existing is None:
                needed.add(dep)  # never previewed: run it first
            else:
                outputs[dep] = existing
    problems: list[Problem] = []
    for name in sorted(needed):  # config and plan of every stack, before any runs
        try:
            check_stack(project, name)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    result = PreviewResult()
    workers = max(1, jobs or default_jobs())
    order = [n for n in names if n in needed]
    try:
        with signals_raise():
            for phase in phases(project, order):
                todo = phase
                reused: list[StackResult] = []
                if resume:
                    current = [n for n in phase if preview_state(project, n) == "current"]
                    reused = [
                        _result_from_document(n, project.directory / PREVIEW_DIR / f"{n}.json")
                        for n in current
                    ]
                    todo = [n for n in phase if n not in current]
                    for name in current:
                        if on_done is not None:
                            on_done(name)
                ran = _run_phase(project, todo, outputs, workers, on_done) if todo else []
                by_name = {r.stack: r for r in [*reused, *ran]}
                for item in (by_name[n] for n in phase):
                    if item.problems:
                        problems.extend(item.problems)
                        continue
                    outputs[item.stack] = item.outputs
                    result.stacks.append(item)
                    if on_result is not None:
                        on_result(item)
                if problems:
                    raise InputError(problems)
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else 2
        finished = [n for n in order if preview_state(project, n) == "current"]
        raise Interrupted(
            signum,
            f"{len(finished)} of {len(order)} stack preview(s) complete in "
            f"{project.directory / PREVIEW_DIR}",
        ) from None
    return result


def load_documents(directory: Path, names: Iterable[str]) -> list[dict[str, Any]]:
    """The written previews of these stacks (for `--json FILE`)."""
    docs = []
    for name in names:
        path = directory / PREVIEW_DIR / f"{name}.json"
        docs.append(json.loads(path.read_text(encoding="utf-8")))
    return docs
