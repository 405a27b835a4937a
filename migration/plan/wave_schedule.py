"""Ordering move groups into waves: late groups last, packed within the wave limits."""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from forcelift.migration.plan.wave_graph import Graph, Group, sample
from forcelift.migration.plan.wave_model import WaveKind, WaveOptions

_SCAN = 32  # ready groups examined for one that fits the current wave


def placement(kind: WaveKind, group: Group) -> str:
    """Why the application's group sits in this kind of wave (the first reason shown)."""
    if kind is WaveKind.PILOT:
        return group.pilot_reason
    if kind is WaveKind.LATE:
        return group.level_reason
    return "in dependency order, within the wave limits"


def propagate_late(g: Graph) -> None:
    """What depends on a late (critical) group is late too: critical systems stay last."""
    remaining = list(g.indegree)
    ready = [i for i, d in enumerate(remaining) if d == 0]
    while ready:
        i = ready.pop()
        for j in g.dag.get(i, ()):
            if g.groups[i].level == 2 and g.groups[j].level < 2:
                g.groups[j].level = 2
                why = g.groups[i].level_reason.removeprefix("late: ")
                if why.startswith("critical system"):
                    why = f"depends on critical system(s) {sample(g.groups[i].apps)}"
                g.groups[j].level_reason = f"late: {why}"
                g.groups[j].reasons.append(g.groups[j].level_reason)
            remaining[j] -= 1
            if remaining[j] == 0:
                ready.append(j)


def schedule(
    groups: list[Group],
    dag: Mapping[int, set[int]],
    indegree: list[int],
    options: WaveOptions,
) -> tuple[list[tuple[WaveKind, list[int], str]], list[int]]:
    """Priority topological order packed into waves: (kind, groups, why it closed)."""
    remaining = list(indegree)
    dependents = {i: len(dag.get(i, ())) for i in range(len(groups))}
    heap = [
        (groups[i].level, -dependents[i], groups[i].apps[0], i)
        for i, d in enumerate(remaining)
        if d == 0
    ]
    heapq.heapify(heap)
    assigned = [0] * len(groups)
    waves: list[tuple[WaveKind, list[int], str]] = []
    current: list[int] = []
    level = -1
    servers = 0
    count = 0

    def fits(i: int) -> bool:
        g = groups[i]
        if options.max_servers_per_wave and servers + len(g.servers) > options.max_servers_per_wave:
            return False
        return not (
            options.max_applications_per_wave
            and count + len(g.apps) > options.max_applications_per_wave
        )

    def close(reason: str) -> None:
        nonlocal current, servers, count
        if current:
            kind = (WaveKind.PILOT, WaveKind.STANDARD, WaveKind.LATE)[level]
            waves.append((kind, current, reason))
        current, servers, count = [], 0, 0

    while heap:
        top_level = heap[0][0]
        if current and top_level != level:
            close("level")
        level = top_level
        popped: list[tuple[int, int, str, int]] = []
        chosen = None
        while heap and len(popped) < _SCAN and heap[0][0] == level:
            item = heapq.heappop(heap)
            if fits(item[3]):
                chosen = item
                break
            popped.append(item)
        if chosen is None and not current and popped:
            chosen = popped.pop(0)  # larger than a wave on its own: it gets a wave to itself
        for item in popped:
            heapq.heappush(heap, item)
        if chosen is None:
            close("limit")
            continue
        i = chosen[3]
        current.append(i)
        servers += len(groups[i].servers)
        count += len(groups[i].apps)
        assigned[i] = len(waves) + 1
        for j in sorted(dag.get(i, ())):
            remaining[j] -= 1
            if remaining[j] == 0:
                heapq.heappush(heap, (groups[j].level, -dependents[j], groups[j].apps[0], j))
    close("end")
    return waves, assigned


def wave_reasons(
    kind: WaveKind, number: int, closing: str, after: list[int], options: WaveOptions
) -> tuple[str, ...]:
    reasons = []
    if kind is WaveKind.PILOT:
        reasons.append(
            "pilot: low-criticality applications with nothing to wait for, to prove the landing "
            "zone and the migration runbook before anything important moves"
        )
    elif kind is WaveKind.LATE:
        reasons.append(
            f"late: critical systems ({', '.join(options.critical_categories)}, or criticality "
            f"{'/'.join(c.value for c in options.critical_criticalities)}) and what depends on "
            f"them move once {number - 1} earlier wave(s) have proven the landing zone"
        )
    else:
        reasons.append("in dependency order, highest-shared first, within the wave limits")
    if after:
        reasons.append(
            f"after wave(s) {', '.join(map(str, after))}, which hold what its applications "
            "depend on"
        )
    if closing == "limit":
        limits = []
        if options.max_servers_per_wave:
            limits.append(f"{options.max_servers_per_wave} servers")
        if options.max_applications_per_wave:
            limits.append(f"{options.max_applications_per_wave} applications")
        reasons.append(f"closed at the wave limit ({' / '.join(limits)})")
    return tuple(reasons)
