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
from forcelift.stacks.plan_slice import stack_view
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
    resources: int
    counts: Mapping[str, int]
    outputs: Mapping[str, Any]
    tree: str
    duplicate_urns: tuple[str, ...]
    seconds: float
    problems: tuple[Problem, ...] = ()


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


def run_stack(project: Project, name: str, outputs: Mapping[str, Mapping[str, Any]]) -> StackResult:
    """One stack under the mock runtime; writes DIR/preview/<stack>.json (a worker's task)."""
    from forcelift.stacks.mock_runtime import run_mocked, sanitise
    from forcelift.stacks.program import main

    stack = project.stack(name)
    started = time.perf_counter()
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
    return StackResult(
        stack=name,
        resources=len(doc["resources"]),
        counts=doc["counts"],
        outputs=doc["outputs"],
        tree=tree(doc),
        duplicate_urns=tuple(doc["duplicate_urns"]),
        seconds=round(time.perf_counter() - started, 2),
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
    if sys.platform.startswith("linux") and "pulumi.runtime" not in sys.modules:
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def preview_project(
    directory: Path,
    only: Iterable[str] = (),
    jobs: int | None = None,
    on_result: Callable[[StackResult], None] | None = None,
    on_done: Callable[[str], None] | None = None,
) -> PreviewResult:
    """Preview every stack (or `only` these, reusing earlier previews of what they read).

    `on_result` gets each stack's result in a fixed order (phase by phase, by name);
    `on_done` gets each stack's name the moment its worker finishes, for progress bars.
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
    for phase in phases(project, [n for n in names if n in needed]):
        if workers == 1:  # in this process (tests, debugging)
            done = []
            for name in phase:
                done.append(run_stack(project, name, outputs))
                if on_done is not None:
                    on_done(name)
        else:
            with _pool(min(workers, len(phase))) as pool:
                futures = {pool.submit(run_stack, project, name, outputs): name for name in phase}
                for future in as_completed(futures):
                    if on_done is not None:
                        on_done(futures[future])
                done = [f.result() for f in futures]  # in submission order
        for item in done:
            if item.problems:
                problems.extend(item.problems)
                continue
            outputs[item.stack] = item.outputs
            result.stacks.append(item)
            if on_result is not None:
                on_result(item)
        if problems:
            raise InputError(problems)
    return result


def load_documents(directory: Path, names: Iterable[str]) -> list[dict[str, Any]]:
    """The written previews of these stacks (for `--json FILE`)."""
    docs = []
    for name in names:
        path = directory / PREVIEW_DIR / f"{name}.json"
        docs.append(json.loads(path.read_text(encoding="utf-8")))
    return docs
