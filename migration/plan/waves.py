"""Move groups and migration waves from applications, dependencies and decisions.

Applications that share servers, or talk over a tight link (database ports, anything marked
latency-sensitive), move together as one group; dependency cycles are grouped, not dropped.
Groups are ordered so what a workload depends on lands first (a topological order of the
condensed group graph), unless it stays reachable over hybrid connectivity (external
services, retained applications, SaaS). Wave options bound the servers and applications per
wave, put a pilot of low-criticality workloads first and the most critical systems late.
Every wave and workload says why it sits where it does. See docs/plan.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from forcelift.migration.inventory.model import Application, Dependency
from forcelift.migration.plan.datafiles import trusted
from forcelift.migration.plan.wave_graph import build_graph, cap, is_critical, is_tight, sample
from forcelift.migration.plan.wave_model import (
    LANDING,
    SCHEDULED,
    Exclusion,
    HybridLink,
    MoveGroup,
    Wave,
    WaveKind,
    WaveOptions,
    WavePlan,
    WaveWorkload,
)
from forcelift.migration.plan.wave_pilot import choose_pilot
from forcelift.migration.plan.wave_schedule import placement, propagate_late, schedule, wave_reasons
from forcelift.migration.plan.wave_split import split_oversized

__all__ = [
    "LANDING",
    "SCHEDULED",
    "Exclusion",
    "HybridLink",
    "MoveGroup",
    "Wave",
    "WaveKind",
    "WaveOptions",
    "WavePlan",
    "WaveWorkload",
    "is_critical",
    "is_tight",
    "move_groups",
    "plan_waves",
]


def move_groups(
    applications: Sequence[Application],
    dependencies: Sequence[Dependency],
    decisions: Mapping[str, str],
    options: WaveOptions | None = None,
) -> tuple[MoveGroup, ...]:
    """The move groups alone, largest first (ids in that order): size wave limits with it."""
    g = build_graph(applications, dependencies, decisions, options or WaveOptions())
    order = sorted(g.groups, key=lambda grp: (-len(grp.servers), -len(grp.apps), grp.apps[0]))
    width = max(3, len(str(len(order))))
    return tuple(
        trusted(
            MoveGroup,
            id=f"MG{n + 1:0{width}d}",
            applications=tuple(grp.apps),
            server_count=len(grp.servers),
            reasons=tuple(grp.reasons) or ("single application",),
        )
        for n, grp in enumerate(order)
    )


def plan_waves(
    applications: Sequence[Application],
    dependencies: Sequence[Dependency],
    decisions: Mapping[str, str],
    options: WaveOptions | None = None,
) -> WavePlan:
    """Group applications into move groups and order them into waves.

    `decisions` maps application name -> SAAS / PAAS / IAAS / RETAIN / RETIRE. Raises
    InputError for missing or unknown decisions and for constraints no plan can meet (a move
    group larger than the wave limits).
    """
    options = options or WaveOptions()
    g = build_graph(applications, dependencies, decisions, options)
    split_oversized(g, options)
    groups, apps, decided = g.groups, g.apps, g.decided
    choose_pilot(g, options)
    propagate_late(g)
    waves, assigned = schedule(groups, g.dag, g.indegree, options)

    order = sorted(range(len(groups)), key=lambda i: (assigned[i], groups[i].apps[0]))
    width = max(3, len(str(len(groups))))
    gid = {i: f"MG{n + 1:0{width}d}" for n, i in enumerate(order)}
    needs: dict[int, set[int]] = defaultdict(set)  # group -> groups it waits for
    for a, targets in g.dag.items():
        for b in targets:
            needs[b].add(a)
    depends_on: dict[str, set[str]] = defaultdict(set)
    for source, target in g.hard:
        if g.group_of[source] != g.group_of[target]:
            depends_on[source].add(target)
    wave_models = []
    for number, (kind, group_ids, closing) in enumerate(waves, start=1):
        workloads = []
        for i in group_ids:
            group = groups[i]
            cycle = [r for r in group.reasons if r.startswith("dependency cycle")]
            lead = placement(kind, group)
            for app in group.apps:
                reasons = [lead] if lead else []
                if app in g.split:
                    reasons.append(g.split[app])
                reasons += cycle + cap(sorted(set(g.bound.get(app, ()))))
                if depends_on.get(app):
                    wanted = sorted(depends_on[app])
                    placed = [
                        f"{t} (wave {assigned[g.group_of[t]]})"
                        for t in wanted
                        if assigned[g.group_of[t]] <= number
                    ]
                    ahead = [
                        f"{t} (wave {assigned[g.group_of[t]]})"
                        for t in wanted
                        if assigned[g.group_of[t]] > number
                    ]
                    if placed:
                        reasons.append(f"after what it depends on: {sample(placed)}")
                    if ahead:
                        reasons.append(
                            f"before what it depends on, reached on premise until it moves: "
                            f"{sample(ahead)}"
                        )
                reasons.extend(cap(sorted(set(g.why.get(app, ())))))
                if not reasons:
                    reasons.append("no dependencies on other migrating applications")
                workloads.append(
                    trusted(
                        WaveWorkload,
                        application=app,
                        decision=decided[app],
                        move_group=gid[i],
                        servers=tuple(sorted(apps[app].servers, key=str.lower)),
                        reasons=tuple(reasons),
                    )
                )
        workloads.sort(key=lambda w: (w.move_group, w.application))
        servers = {s for i in group_ids for s in groups[i].servers}
        after = sorted({assigned[k] for i in group_ids for k in needs.get(i, ())} - {number})
        wave_models.append(
            Wave(
                number=number,
                kind=kind,
                workloads=tuple(workloads),
                server_count=len(servers),
                application_count=len(workloads),
                reasons=wave_reasons(kind, number, closing, after, options),
            )
        )
    excluded = tuple(
        Exclusion(
            application=name,
            decision=decided[name],
            reason=(
                "retained on premise: stays where it is and is reached over hybrid connectivity"
                if decided[name] == "RETAIN"
                else "retired: decommissioned, nothing to migrate"
            ),
        )
        for name in sorted(n for n, d in decided.items() if d not in SCHEDULED)
    )
    return WavePlan(
        waves=tuple(wave_models),
        excluded=excluded,
        move_groups=tuple(
            trusted(
                MoveGroup,
                id=gid[i],
                applications=tuple(groups[i].apps),
                server_count=len(groups[i].servers),
                reasons=tuple(groups[i].reasons) or ("single application",),
                part=groups[i].part or None,
                parts=groups[i].parts or None,
            )
            for i in order
        ),
        hybrid_links=tuple(
            trusted(HybridLink, source=s, target=t, kind=k, port=p, reason=r)
            for s, t, k, p, r in sorted(set(g.hybrid), key=lambda h: (*h[:3], h[3] or 0, h[4]))
        ),
        notes=tuple(dict.fromkeys(g.notes)),
    )
