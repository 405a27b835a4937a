"""Offline preview of a generated project: every stack's program under the mock runtime.

No Pulumi CLI, no cloud, no credentials. Each stack runs with the config of its
`Pulumi.<stack>.yaml` plus fixed stand-ins for what the engineer sets (secrets marked secret,
certificate ARN, account e-mail domain). Landing zones run first; wave stacks then run in
parallel worker processes with the landing zone's recorded outputs answering their
`StackReference`, and later parts of a split wave after the part that owns the spoke. Each
stack's graph is written to `DIR/preview/<stack>.json` (docs/stack-contract.md): resources
sorted by URN, byte-identical for the same plan; the guardrails read these files.

The mock runtime costs tens of milliseconds per resource, which is why stacks are bounded and
run in separate processes: spawned, each reading only its stacks' slices from the plan's cache
next to plan.yaml (stacks/plan_slice.py), which the parent writes when it loads the plan.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from forcelift.migration.errors import InputError, Problem
from forcelift.stacks.config import read_config
from forcelift.stacks.interrupts import (
    Interrupted,
    exit_at_once,
    raise_pending,
    signals_raise,
    worker_signals,
)
from forcelift.stacks.preview_documents import (
    PREVIEW_DIR,
    cloud_resource_count,
    counts_table,
    document,
    dumps,
    existing_outputs,
    load_documents,
    tree,
)
from forcelift.stacks.preview_stamps import (
    current_key,
    preview_inputs,
    preview_state,
    recorded_key,
    references_digest,
    stamp_path,
    stamp_record,
)
from forcelift.stacks.program import context_from
from forcelift.stacks.project_reader import (
    Project,
    dependencies,
    phases,
    plan_of,
    read_project,
    reference_outputs,
    run_config,
)

# Also read from here by cli/preview.py and benchmarks/preview_scale.py (their homes are
# preview_documents.py and project_reader.py).
__all__ = [
    "PreviewResult",
    "StackResult",
    "counts_table",
    "document",
    "dumps",
    "load_documents",
    "preview_project",
    "read_project",
    "run_config",
]


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
    reused: bool = False  # read back: its content key had not changed (preview_stamps.py)

    @property
    def components(self) -> int:
        return self.resources - self.cloud_resources


@dataclass
class PreviewResult:
    stacks: list[StackResult] = field(default_factory=list)

    @property
    def reused(self) -> int:
        return sum(1 for r in self.stacks if r.reused)

    @property
    def previewed(self) -> int:
        return len(self.stacks) - self.reused


def _result(name: str, doc: Mapping[str, Any], seconds: float) -> StackResult:
    """A stack's result from its preview document (just written, or read back)."""
    return StackResult(
        stack=name,
        resources=len(doc["resources"]),
        counts=doc["counts"],
        outputs=doc["outputs"],
        tree=tree(doc),
        duplicate_urns=tuple(doc["duplicate_urns"]),
        seconds=seconds,
        cloud_resources=cloud_resource_count(doc),
    )


def _result_from_document(name: str, path: Path) -> StackResult:
    result = _result(name, json.loads(path.read_text(encoding="utf-8")), 0.0)
    return replace(result, reused=True)


def run_stack(project: Project, name: str, outputs: Mapping[str, Mapping[str, Any]]) -> StackResult:
    """One stack under the mock runtime; writes DIR/preview/<stack>.json (a worker's task)."""
    from forcelift.stacks.mock_runtime import run_mocked, sanitise
    from forcelift.stacks.program import main

    stack = project.stack(name)
    started = time.perf_counter()
    # Before the run: an input changed while it runs leaves the preview stale, never current.
    inputs = preview_inputs(project, stack, outputs)
    try:
        run = run_mocked(
            main,
            project=project.name,
            stack=name,
            config=run_config(project, stack),
            stack_outputs=reference_outputs(project, stack, outputs),
        )
    except InputError as exc:  # sent back as data: the worker's exception class may not pickle
        return StackResult(name, 0, {}, {}, "", (), 0.0, tuple(exc.problems))
    # The key covers only the referenced outputs the program read, of what it was given.
    given = reference_outputs(project, stack, outputs)
    parts = {k: inputs[k] for k in ("config", "slice", "versions")}
    parts["references"] = references_digest(given, run.reads)
    inputs = stamp_record(parts, inputs["plan"], run.reads)
    doc = document(run, stack.config, sanitise)
    target = project.directory / PREVIEW_DIR / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    from forcelift.migration.inventory.writer import write_atomic

    write_atomic(target, dumps(doc), force=True)  # unchanged previews keep their timestamps
    # The stamp last: a preview without a current stamp is never taken as complete.
    stamp = json.dumps(inputs, indent=1, sort_keys=True) + "\n"
    write_atomic(stamp_path(project.directory, name), stamp, force=True)
    return _result(name, doc, round(time.perf_counter() - started, 2))


def check_stack(project: Project, name: str) -> None:
    """The program's own checks of config and plan (no Pulumi): fail fast, all stacks at once."""
    config = run_config(project, project.stack(name))
    context_from(read_config(config.get, name), name, project.name, values=config.get)


def _pool(jobs: int) -> ProcessPoolExecutor:
    # Spawn, never fork: a forked worker's RSS starts at everything this process holds (at
    # 100,000 servers the inventory, classification and plan, over 2 GiB), and forking after
    # Pulumi's gRPC threads exist can deadlock it. A spawned worker starts in about a second
    # and reads only its stack's slice from the plan's cache (plan_slice.stack_view).
    context = multiprocessing.get_context("spawn")
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
        running = set(futures)
        while running:  # wake up often: an interrupt swallowed in a fork handler still counts
            raise_pending()
            finished, running = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: futures[f]):
                if on_done is not None:
                    on_done(futures[future])
        raise_pending()
        results = [f.result() for f in futures]  # in submission order
    except BaseException as exc:
        _stop(pool, project.directory)
        if not isinstance(exc, KeyboardInterrupt):
            raise_pending()  # a worker killed by the same Ctrl-C breaks the pool: say why
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
    With `resume`, stacks whose content key is unchanged (the same plan slice, config,
    referenced outputs and versions, see :func:`preview_inputs`) are read back instead of
    run again: a re-run after an interrupt or a small plan change previews only the rest.
    Ctrl-C or SIGTERM terminates the workers and raises :class:`Interrupted` saying how
    many previews are complete.
    """
    project = read_project(directory)
    for stack in project.stacks:
        plan_of(project, stack)  # load (and check) the plan once, before any worker starts
    names = [s.name for s in project.stacks]
    selected = list(dict.fromkeys(only)) or names
    for name in selected:
        project.stack(name)
    outputs: dict[str, Mapping[str, Any]] = {}
    needed = set(selected)
    todo = list(selected)  # transitively: a sharing stack reads another force's wave stack,
    while todo:  # which reads that force's landing zone
        for dep in dependencies(project, project.stack(todo.pop(0))):
            if dep in needed or dep in outputs:
                continue
            existing = existing_outputs(project.directory, dep)
            if existing is None:
                needed.add(dep)  # never previewed: run it first
                todo.append(dep)
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
                    current = [
                        n
                        for n in phase
                        if recorded_key(project.directory, n) == current_key(project, n, outputs)
                    ]
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
