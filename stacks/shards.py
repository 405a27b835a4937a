"""Sharded previews: one cloud's stacks split into N parts for N parallel CI jobs.

A 100,000-server estate has about 2,000 stacks, beyond a GitHub matrix (256 jobs) and far
beyond what one job previews in reasonable time, so the generated pipelines run
`forcelift preview DIR --cloud C --layer wave --shard I/N` as N matrix jobs after one
landing-zone job (docs/ci-pipelines.md, "Sharded previews").

The partition is pure and deterministic: stacks that read one another's outputs inside the
selection (the parts of a split wave read the part that owns the spoke) form one unit, so no
shard previews a stack another shard owns; units go longest-first (by estimated resources,
ties by name) onto the lightest shard (ties: the lowest index). Greedy onto the lightest
keeps the heaviest and the lightest shard within the heaviest unit's weight of each other.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LAYERS = ("landing-zone", "wave", "sharing")
# Estimated resources one preview job takes on: a few minutes of the mock runtime on a hosted
# runner, so the job's fixed cost (checkout, install, reading the plan) stays a small share.
JOB_BUDGET = 20_000
MAX_SHARDS = 256  # a GitHub Actions matrix holds at most 256 jobs
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """`I/N` with 1 <= I <= N; ValueError (a usage error) otherwise."""
    match = _SHARD.match(text)
    if not match:
        raise ValueError(f"{text!r} is not I/N (e.g. 2/5)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"{text!r}: need 1 <= I <= N and N >= 1")
    return Shard(index, count)


def shard_count(total: int, units: int, budget: int = JOB_BUDGET) -> int:
    """How many wave shards a cloud's pipeline runs: one per `budget` estimated resources,
    at least 1, at most one per unit and MAX_SHARDS."""
    return max(1, min(MAX_SHARDS, units, math.ceil(max(0, total) / budget)))


def units(names: Sequence[str], deps: Mapping[str, Iterable[str]]) -> list[tuple[str, ...]]:
    """The stacks that must share a shard: connected through dependencies among `names`
    (others are read from disk). Each unit lists its stacks in `names` order; units come in
    the order of their first stack."""
    parent = {n: n for n in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name in names:
        for dep in deps.get(name, ()):
            if dep in parent:
                a, b = root(name), root(dep)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    grouped: dict[str, list[str]] = {}
    for name in names:
        grouped.setdefault(root(name), []).append(name)
    return [tuple(group) for group in grouped.values()]


def partition(weights: Mapping[str, int], count: int) -> list[tuple[str, ...]]:
    """`count` shards of the items: heaviest first onto the lightest shard. Negative
    weights count as 0; each shard's items are sorted by name."""
    if count < 1:
        raise ValueError("need at least one shard")
    lightest = [(0, i) for i in range(count)]  # a heap of (load, index): ties, lowest index
    shards: list[list[str]] = [[] for _ in range(count)]
    for name in sorted(weights, key=lambda n: (-max(0, weights[n]), n)):
        load, index = heapq.heappop(lightest)
        shards[index].append(name)
        heapq.heappush(lightest, (load + max(0, weights[name]), index))
    return [tuple(sorted(s)) for s in shards]


def partition_units(
    groups: Sequence[tuple[str, ...]], weight: Mapping[str, int], count: int
) -> list[tuple[str, ...]]:
    """Shards of stacks from units (see :func:`units`): each unit weighs the sum of its
    stacks, at least 1 each so empty stacks spread too. A unit is named by its first stack."""
    by_name = {group[0]: group for group in groups}
    unit_weight = {group[0]: sum(max(1, weight.get(name, 0)) for name in group) for group in groups}
    return [
        tuple(sorted(n for unit in shard for n in by_name[unit]))
        for shard in partition(unit_weight, count)
    ]


def shard_stacks(
    directory: Path,
    *,
    cloud: str | None = None,
    layer: str | None = None,
    shard: Shard | None = None,
) -> list[str]:
    """The stacks of the generated project DIR that a selection names, in project order:
    those of `cloud` and `layer` (None: all), and of those the `shard`'s part."""
    from forcelift.stacks.project_reader import dependencies, plan_of, read_project

    project = read_project(directory)
    chosen = [
        s
        for s in project.stacks
        if (cloud is None or s.cloud == cloud) and (layer is None or s.layer == layer)
    ]
    names = [s.name for s in chosen]
    if shard is None:
        return names
    weight: dict[str, int] = {}
    deps: dict[str, list[str]] = {}
    for stack in chosen:
        plan = plan_of(project, stack)
        weight[stack.name] = next(
            (s.estimated_resources for c in plan.clouds for s in c.stacks if s.name == stack.name),
            0,
        )
        deps[stack.name] = dependencies(project, stack)
    mine = set(partition_units(units(names, deps), weight, shard.count)[shard.index - 1])
    return [n for n in names if n in mine]


def shard_loads(
    groups: Sequence[tuple[str, ...]], weight: Mapping[str, int], count: int
) -> list[int]:
    """Each shard's estimated resources (for the note and the benchmarks)."""
    return [
        sum(weight.get(n, 0) for n in shard) for shard in partition_units(groups, weight, count)
    ]
