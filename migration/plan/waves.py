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

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated

import networkx as nx
from pydantic import Field

from forcelift.migration.errors import InputError, Problem
from forcelift.migration.inventory.model import (
    Application,
    Criticality,
    Dependency,
    DependencyKind,
)
from forcelift.migration.plan.datafiles import Frozen, trusted
from forcelift.migration.plan.sizing import DECISIONS

LANDING = frozenset({"IAAS", "PAAS"})  # move into the landing zone: order matters
SCHEDULED = frozenset({"IAAS", "PAAS", "SAAS"})
_SCAN = 32  # ready groups examined for one that fits the current wave
_SAMPLE = 5


class WaveOptions(Frozen):
    """Constraints and preferences for wave planning (defaults in docs/plan.md)."""

    max_servers_per_wave: Annotated[int, Field(ge=1)] | None = None
    max_applications_per_wave: Annotated[int, Field(ge=1)] | None = None
    pilot: bool = True
    pilot_max_applications: Annotated[int, Field(ge=1)] = 3
    pilot_criticalities: tuple[Criticality, ...] = (Criticality.LOW,)
    # When no low-criticality workload of a kind the pilot must prove exists, the least
    # critical of these stands in (and the plan says so); never high or critical systems.
    pilot_fallback_criticalities: tuple[Criticality, ...] = (Criticality.MEDIUM,)
    pilot_proves: tuple[str, ...] = ("IAAS", "PAAS")
    critical_late: bool = True
    critical_categories: tuple[str, ...] = ("command and control", "custody")
    critical_criticalities: tuple[Criticality, ...] = (Criticality.CRITICAL,)
    tight_ports: tuple[int, ...] = (1433, 1434, 1521, 1522, 3306, 5432, 50000, 27017)
    tight_words: tuple[str, ...] = (
        "latency",
        "synchronous",
        "real-time",
        "realtime",
        "chatty",
        "tds",
        "sqlnet",
        "odbc",
        "jdbc",
    )


class WaveKind(StrEnum):
    PILOT = "pilot"
    STANDARD = "standard"
    LATE = "late"  # critical systems, and what depends on them


class WaveWorkload(Frozen):
    application: str
    decision: str
    move_group: str
    servers: tuple[str, ...]
    reasons: tuple[str, ...]


class Wave(Frozen):
    number: int
    kind: WaveKind
    workloads: tuple[WaveWorkload, ...]
    server_count: int
    application_count: int
    reasons: tuple[str, ...]


class MoveGroup(Frozen):
    id: str
    applications: tuple[str, ...]
    server_count: int
    reasons: tuple[str, ...]
    part: int | None = None  # part k of `parts` when the group was too large for one wave
    parts: int | None = None


class Exclusion(Frozen):
    application: str
    decision: str
    reason: str


class HybridLink(Frozen):
    """A dependency that crosses back to on-premise or outside: it needs hybrid connectivity."""

    source: str
    target: str
    kind: str  # external, retained, retired, saas, unknown
    port: int | None = None
    reason: str


class WavePlan(Frozen):
    waves: tuple[Wave, ...]
    excluded: tuple[Exclusion, ...]
    move_groups: tuple[MoveGroup, ...]
    hybrid_links: tuple[HybridLink, ...]
    notes: tuple[str, ...] = ()

    def wave_of(self) -> dict[str, int]:
        """Application name -> wave number, for rolling costs and carbon up by wave."""
        return {w.application: wave.number for wave in self.waves for w in wave.workloads}


def _cap(reasons: list[str], limit: int = _SAMPLE) -> list[str]:
    """At most `limit` reasons and a count of the rest: a big group must not flood the plan."""
    if len(reasons) <= limit:
        return reasons
    return [*reasons[:limit], f"and {len(reasons) - limit} more"]


def _sample(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SAMPLE])
    return shown + (f" and {len(names) - _SAMPLE} more" if len(names) > _SAMPLE else "")


def is_tight(dep: Dependency, options: WaveOptions) -> bool:
    """Database ports, or a protocol/description saying the link is latency-sensitive."""
    if dep.port is not None and dep.port in options.tight_ports:
        return True
    text = f"{dep.protocol} {dep.description}".lower()
    return any(word in text for word in options.tight_words)


def is_critical(app: Application, options: WaveOptions) -> bool:
    category = app.category.lower()
    return app.criticality in options.critical_criticalities or any(
        c.lower() in category for c in options.critical_categories
    )


def _resolve_decisions(
    applications: Sequence[Application], decisions: Mapping[str, str]
) -> dict[str, str]:
    by_lower = {k.lower(): v for k, v in decisions.items()}
    names = {a.name.lower() for a in applications}
    problems = []
    resolved: dict[str, str] = {}
    missing = []
    for app in applications:
        raw = decisions.get(app.name, by_lower.get(app.name.lower()))
        if raw is None:
            missing.append(app.name)
            continue
        value = str(raw).strip().upper()
        if value not in DECISIONS:
            problems.append(
                Problem(
                    f"application {app.name!r}: unknown decision {raw!r}",
                    hint=f"use one of: {', '.join(DECISIONS)}",
                )
            )
        resolved[app.name] = value
    if missing:
        problems.append(
            Problem(
                f"no decision for {len(missing)} application(s): {_sample(missing)}",
                hint="classify every application, or give a decision in the overrides",
            )
        )
    unknown = sorted(k for k in decisions if k.lower() not in names)
    if unknown:
        problems.append(
            Problem(
                f"decisions for unknown application(s): {_sample(unknown)}",
                hint="check the spelling against the inventory's application names",
            )
        )
    if problems:
        raise InputError(problems)
    return resolved


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


class _Group:
    __slots__ = (
        "apps",
        "critical",
        "criticalities",
        "decisions",
        "level",
        "level_reason",
        "part",
        "parts",
        "pilot_reason",
        "reasons",
        "servers",
    )

    apps: list[str]

    def __init__(self, apps: list[str]) -> None:
        self.apps = sorted(apps)
        self.criticalities: set[Criticality] = set()
        self.decisions: set[str] = set()
        self.servers: set[str] = set()
        self.reasons: list[str] = []
        self.critical = False
        self.level = 1
        self.level_reason = ""
        self.pilot_reason = ""
        self.part = 0  # k of `parts` for a split group, 0 when whole
        self.parts = 0


@dataclass
class _Graph:
    """Everything grouping learns, before any wave is cut."""

    decided: dict[str, str]
    apps: dict[str, Application]
    groups: list[_Group] = field(default_factory=list)
    dag: dict[int, set[int]] = field(default_factory=dict)  # group -> groups waiting for it
    indegree: list[int] = field(default_factory=list)
    group_of: dict[str, int] = field(default_factory=dict)
    hard: list[tuple[str, str]] = field(default_factory=list)  # (source, target)
    why: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    bound: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hybrid: list[tuple[str, str, str, int | None, str]] = field(default_factory=list)
    tight: list[tuple[str, str]] = field(default_factory=list)  # (source, target) bound pairs
    split: dict[str, str] = field(default_factory=dict)  # application -> why its group split
    notes: list[str] = field(default_factory=list)


def _build(
    applications: Sequence[Application],
    dependencies: Sequence[Dependency],
    decisions: Mapping[str, str],
    options: WaveOptions,
) -> _Graph:
    decided = _resolve_decisions(applications, decisions)
    g = _Graph(decided=decided, apps={a.name: a for a in applications})
    apps, why = g.apps, g.why
    lower = {a.name.lower(): a.name for a in applications}
    scheduled = sorted(n for n, d in decided.items() if d in SCHEDULED)
    uf = _UnionFind(scheduled)
    binding: list[tuple[str, str]] = []  # (application, reason it is bound to its group)

    # Shared servers bind applications together.
    owners: dict[str, list[str]] = defaultdict(list)
    shown: dict[str, str] = {}
    for name in decided:
        for server in apps[name].servers:
            owners[server.lower()].append(name)
            shown.setdefault(server.lower(), server)
    for key, names in sorted(item for item in owners.items() if len(item[1]) > 1):
        server = shown[key]
        moving = sorted({n for n in names if n in uf.parent})
        staying = sorted({n for n in names if n not in uf.parent})
        for other in moving[1:]:
            uf.union(moving[0], other)
        if len(moving) > 1:
            reason = f"{_sample(moving)} share server {server}"
            binding.extend((n, reason) for n in moving)
        if moving and staying:
            for n in moving:
                why[n].append(
                    f"shares server {server} with {_sample(staying)} "
                    f"({decided[staying[0]].lower()}): decide what happens to the server"
                )

    # Dependencies: tight links group, hard links order, the rest need hybrid connectivity.
    for dep in dependencies:
        source = lower.get(dep.source.lower())
        if source is None:
            g.notes.append(f"dependency from unknown application {dep.source!r} ignored")
            continue
        target = lower.get(dep.target.lower()) if dep.kind is DependencyKind.APPLICATION else None
        tight = is_tight(dep, options)
        caveat = " (latency-sensitive: test it)" if tight else ""
        if target is None:
            kind = "external" if dep.kind is DependencyKind.EXTERNAL else "unknown"
            label = dep.service.value if dep.service else dep.target
            reason = f"{label} never migrates: reached over hybrid connectivity{caveat}"
            g.hybrid.append((source, dep.target, kind, dep.port, reason))
            continue
        if source == target:
            continue
        s_dec, t_dec = decided[source], decided[target]
        if s_dec in LANDING and t_dec in LANDING:
            g.hard.append((source, target))
            if tight:
                uf.union(source, target)
                g.tight.append((source, target))
                port = f" on port {dep.port}" if dep.port is not None else ""
                protocol = f" ({dep.protocol})" if dep.protocol else ""
                reason = f"tight link {source} -> {target}{port}{protocol}"
                binding.extend(((source, reason), (target, reason)))
            continue
        if t_dec in LANDING:  # a retained / retired / SaaS application calls one that moves
            if s_dec == "RETAIN":
                reason = f"retained {source} calls {target} after it moves{caveat}"
                g.hybrid.append((source, target, "retained", dep.port, reason))
            continue
        if s_dec not in LANDING:
            continue  # neither end moves into the landing zone: nothing to plan
        kind = {"RETAIN": "retained", "RETIRE": "retired", "SAAS": "saas"}[t_dec]
        reason = {
            "retained": f"{target} stays on premise: reached over hybrid connectivity",
            "retired": f"{target} is being retired: replace this dependency first",
            "saas": f"{target} moves to SaaS: reached over the internet or PSN",
        }[kind] + caveat
        g.hybrid.append((source, target, kind, dep.port, reason))
        why[source].append(reason)

    # Union-find groups, then condense cycles of hard dependencies between them.
    root = {name: uf.find(name) for name in scheduled}
    members: dict[str, list[str]] = defaultdict(list)
    for name in scheduled:
        members[root[name]].append(name)
    graph = nx.DiGraph()
    graph.add_nodes_from(members)
    graph.add_edges_from(
        (root[t], root[s]) for s, t in g.hard if root[s] != root[t]
    )  # edge: lands first -> waits for it
    condensed = nx.condensation(graph)
    node_group: dict[int, int] = {}
    for node in sorted(condensed.nodes, key=lambda n: min(condensed.nodes[n]["members"])):
        roots = sorted(condensed.nodes[node]["members"])
        group = _Group([a for r in roots for a in members[r]])
        if len(roots) > 1:
            cycle = _sample(sorted(min(members[r]) for r in roots))
            group.reasons.append(f"dependency cycle between {cycle}: moves as one")
        node_group[node] = len(g.groups)
        g.groups.append(group)
    g.indegree = [0] * len(g.groups)
    for a, b in condensed.edges:
        ga, gb = node_group[a], node_group[b]
        targets = g.dag.setdefault(ga, set())
        if gb not in targets:
            targets.add(gb)
            g.indegree[gb] += 1
    g.group_of = {app: i for i, grp in enumerate(g.groups) for app in grp.apps}
    for app, reason in binding:
        g.groups[g.group_of[app]].reasons.append(reason)
        g.bound[app].append(reason)
    for group in g.groups:
        _describe(group, g, options)
        group.reasons = _cap(sorted(set(group.reasons)))
    return g


def _describe(group: _Group, g: _Graph, options: WaveOptions) -> None:
    """Servers, criticalities, decisions and lateness of a group from its applications."""
    apps = g.apps
    group.servers = {s.lower() for a in group.apps for s in apps[a].servers}
    group.criticalities = {apps[a].criticality for a in group.apps}
    group.decisions = {g.decided[a] for a in group.apps}
    critical = [a for a in group.apps if is_critical(apps[a], options)]
    group.critical = options.critical_late and bool(critical)
    group.level = 2 if group.critical else 1
    if group.critical:
        group.level_reason = f"late: critical system(s) {_sample(critical)} move late"


def move_groups(
    applications: Sequence[Application],
    dependencies: Sequence[Dependency],
    decisions: Mapping[str, str],
    options: WaveOptions | None = None,
) -> tuple[MoveGroup, ...]:
    """The move groups alone, largest first (ids in that order): size wave limits with it."""
    g = _build(applications, dependencies, decisions, options or WaveOptions())
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
    g = _build(applications, dependencies, decisions, options)
    _split_oversized(g, options)
    groups, apps, decided = g.groups, g.apps, g.decided
    _choose_pilot(g, options)
    _propagate_late(g)
    waves, assigned = _schedule(groups, g.dag, g.indegree, options)

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
            lead = _placement(kind, group)
            for app in group.apps:
                reasons = [lead] if lead else []
                if app in g.split:
                    reasons.append(g.split[app])
                reasons += cycle + _cap(sorted(set(g.bound.get(app, ()))))
                if depends_on.get(app):
                    targets = sorted(depends_on[app])
                    placed = [
                        f"{t} (wave {assigned[g.group_of[t]]})"
                        for t in targets
                        if assigned[g.group_of[t]] <= number
                    ]
                    ahead = [
                        f"{t} (wave {assigned[g.group_of[t]]})"
                        for t in targets
                        if assigned[g.group_of[t]] > number
                    ]
                    if placed:
                        reasons.append(f"after what it depends on: {_sample(placed)}")
                    if ahead:
                        reasons.append(
                            f"before what it depends on, reached on premise until it moves: "
                            f"{_sample(ahead)}"
                        )
                reasons.extend(_cap(sorted(set(g.why.get(app, ())))))
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
                reasons=_wave_reasons(kind, number, closing, after, options),
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


def _placement(kind: WaveKind, group: _Group) -> str:
    """Why the application's group sits in this kind of wave (the first reason shown)."""
    if kind is WaveKind.PILOT:
        return group.pilot_reason
    if kind is WaveKind.LATE:
        return group.level_reason
    return "in dependency order, within the wave limits"


def _propagate_late(g: _Graph) -> None:
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
                    why = f"depends on critical system(s) {_sample(g.groups[i].apps)}"
                g.groups[j].level_reason = f"late: {why}"
                g.groups[j].reasons.append(g.groups[j].level_reason)
            remaining[j] -= 1
            if remaining[j] == 0:
                ready.append(j)


def _limits_text(options: WaveOptions) -> str:
    limits = []
    if options.max_applications_per_wave:
        limits.append(f"{options.max_applications_per_wave} applications")
    if options.max_servers_per_wave:
        limits.append(f"{options.max_servers_per_wave} servers")
    return " / ".join(limits) + " per wave"


def _too_big(apps: int, servers: int, options: WaveOptions) -> bool:
    return bool(
        (options.max_applications_per_wave and apps > options.max_applications_per_wave)
        or (options.max_servers_per_wave and servers > options.max_servers_per_wave)
    )


def _units(group: _Group, g: _Graph, options: WaveOptions) -> list[list[str]]:
    """A group's applications in the smallest pieces worth keeping whole, dependencies first.

    Applications sharing a server stay together (the server moves once) unless that piece alone
    is over the limits; then each application is its own piece. Pieces are ordered so what
    another piece depends on comes first; a dependency cycle cannot be, so it is cut in name order.
    """
    members = set(group.apps)
    uf = _UnionFind(group.apps)
    for app in group.apps:
        for other in group.apps:
            if other > app and _shares(g, app, other):
                uf.union(app, other)
    pieces: dict[str, list[str]] = defaultdict(list)
    for app in group.apps:
        pieces[uf.find(app)].append(app)
    units: list[list[str]] = []
    for names in pieces.values():
        servers = {s.lower() for a in names for s in g.apps[a].servers}
        if len(names) > 1 and _too_big(len(names), len(servers), options):
            for a in names:
                others = sorted(set(names) - {a})
                g.split[a] = (
                    f"shares servers with {_sample(others)}: too many for one wave together"
                )
            units.extend([a] for a in names)
        else:
            units.append(sorted(names))
    index = {a: i for i, unit in enumerate(units) for a in unit}
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(units)))
    for source, target in g.hard:
        if source in members and target in members and index[source] != index[target]:
            graph.add_edge(index[target], index[source])  # lands first -> waits for it
    condensed = nx.condensation(graph)
    order = nx.lexicographical_topological_sort(
        condensed, key=lambda n: min(units[u][0] for u in condensed.nodes[n]["members"])
    )
    return [
        units[u]
        for node in order
        for u in sorted(condensed.nodes[node]["members"], key=lambda u: units[u][0])
    ]


def _shares(g: _Graph, a: str, b: str) -> bool:
    mine = {s.lower() for s in g.apps[a].servers}
    return any(s.lower() in mine for s in g.apps[b].servers)


def _split_oversized(g: _Graph, options: WaveOptions) -> None:
    """Cut groups larger than a wave into parts that fit, in dependency order (and say so).

    Parts are chained (part k+1 waits for part k); what the group waited for, its first part
    waits for; what waited for the group, waits for its last part. A single application larger
    than the limits cannot be cut: its wave goes over them and the notes say so.
    """
    if not (options.max_servers_per_wave or options.max_applications_per_wave):
        return
    limits = _limits_text(options)
    new_groups: list[_Group] = []
    span: list[tuple[int, int]] = []  # old group -> (first part, last part) in new_groups
    chains: list[tuple[int, int]] = []
    for group in g.groups:
        first = len(new_groups)
        if not _too_big(len(group.apps), len(group.servers), options):
            new_groups.append(group)
            span.append((first, first))
            continue
        parts: list[list[str]] = [[]]
        servers: set[str] = set()
        for unit in _units(group, g, options):
            unit_servers = {s.lower() for a in unit for s in g.apps[a].servers}
            if parts[-1] and _too_big(
                len(parts[-1]) + len(unit), len(servers | unit_servers), options
            ):
                parts.append([])
                servers = set()
            parts[-1].extend(unit)
            servers |= unit_servers
        whole = f"{len(group.apps)} applications, {len(group.servers)} servers"
        crossing = _crossing(g, parts)
        g.notes.append(
            f"dependency group of {_sample(group.apps)} ({whole}) is larger than one wave "
            f"({limits}): split into {len(parts)} parts moved in dependency order"
            + (f"; links that now cross waves: {_sample(crossing)}" if crossing else "")
        )
        for k, names in enumerate(parts, start=1):
            part = _Group(names)
            _describe(part, g, options)
            part.part, part.parts = k, len(parts)
            part.reasons = _cap(
                sorted(
                    {r for r in group.reasons if any(a in r for a in names)}
                    | {f"part {k} of {len(parts)} of a dependency group too large for one wave"}
                )
            )
            for a in names:
                g.split.setdefault(
                    a,
                    f"part {k} of {len(parts)} of its dependency group ({whole}), which is "
                    f"larger than one wave ({limits})",
                )
            if k > 1:
                chains.append((len(new_groups) - 1, len(new_groups)))
            new_groups.append(part)
        span.append((first, len(new_groups) - 1))
    for group in new_groups:
        if _too_big(len(group.apps), len(group.servers), options):
            g.notes.append(
                f"{_sample(group.apps)} alone needs {len(group.servers)} servers and "
                f"{len(group.apps)} application(s), more than one wave holds ({limits}): "
                "its wave goes over the limit"
            )
    if len(new_groups) == len(g.groups):
        return
    dag: dict[int, set[int]] = defaultdict(set)
    for a, targets in g.dag.items():
        for b in targets:
            dag[span[a][1]].add(span[b][0])
    for a, b in chains:
        dag[a].add(b)
    g.groups = new_groups
    g.dag = dict(dag)
    g.indegree = [0] * len(new_groups)
    for targets in g.dag.values():
        for b in targets:
            g.indegree[b] += 1
    g.group_of = {app: i for i, grp in enumerate(new_groups) for app in grp.apps}


def _crossing(g: _Graph, parts: list[list[str]]) -> list[str]:
    """Tight links and shared servers whose ends now sit in different parts."""
    part_of = {a: k for k, names in enumerate(parts) for a in names}
    found = {
        f"{s} -> {t}"
        for s, t in g.tight
        if s in part_of and t in part_of and part_of[s] != part_of[t]
    }
    owners: dict[str, set[int]] = defaultdict(set)
    shown: dict[str, str] = {}
    for a, k in part_of.items():
        for server in g.apps[a].servers:
            owners[server.lower()].add(k)
            shown.setdefault(server.lower(), server)
    found |= {f"server {shown[s]}" for s, ks in owners.items() if len(ks) > 1}
    return sorted(found)


_RANK = {Criticality.LOW: 0, Criticality.MEDIUM: 1, Criticality.HIGH: 2, Criticality.CRITICAL: 3}


def _choose_pilot(g_: _Graph, options: WaveOptions) -> None:
    """Mark the pilot (level 0): a real IaaS and a real PaaS workload first, least critical.

    The pilot proves the landing zone end to end, so it must hold a workload of each kind the
    landing zone builds (`pilot_proves`). Each comes from the low-criticality groups with
    nothing to wait for; failing that, the least critical fallback group (the notes say so).
    If every such workload waits for another migrating application, the least entangled one
    goes first anyway and reaches what it needs on premise over the hybrid link until that
    moves (a "transition" hybrid link, also in the notes): proving that path is the pilot's
    job too. Remaining room goes to the smallest low-criticality groups.
    """
    if not options.pilot:
        return
    groups, indegree, notes = g_.groups, g_.indegree, g_.notes
    needs: dict[int, set[int]] = defaultdict(set)
    for a, targets in g_.dag.items():
        for b in targets:
            needs[b].add(a)
    low = set(options.pilot_criticalities)
    wider = low | set(options.pilot_fallback_criticalities)
    chosen: list[int] = []

    def size(i: int) -> tuple[int, int, int, str]:
        g = groups[i]
        worst = max((_RANK[c] for c in g.criticalities), default=0)
        return (worst, len(g.servers), len(g.apps), g.apps[0])

    def room(i: int, proving: bool = False) -> bool:
        """Within the wave limits; fillers also within the pilot's own size."""
        apps = sum(len(groups[j].apps) for j in chosen) + len(groups[i].apps)
        servers = len(set().union(*(groups[j].servers for j in chosen), groups[i].servers))
        caps = [options.max_applications_per_wave]
        if not proving:
            caps.append(options.pilot_max_applications)
        if any(c is not None and apps > c for c in caps):
            return False
        return not (options.max_servers_per_wave and servers > options.max_servers_per_wave)

    def missing() -> set[str]:
        return {
            k for k in options.pilot_proves if not any(k in groups[j].decisions for j in chosen)
        }

    def candidates(
        allowed: set[Criticality], waiting: bool = False, proving: bool = True
    ) -> list[int]:
        return sorted(
            (
                i
                for i, g in enumerate(groups)
                if (indegree[i] > 0 if waiting else indegree[i] == 0)
                and not g.critical
                and g.criticalities <= allowed
                and i not in chosen
                and room(i, proving)
            ),
            key=lambda i: (
                -len(missing() & groups[i].decisions),  # one group proving two paths is best
                len(needs[i]) if waiting else 0,
                *size(i),
            ),
        )

    for kind in options.pilot_proves:
        if any(kind in groups[j].decisions for j in chosen):
            continue
        pick = next((i for i in candidates(low) if kind in groups[i].decisions), None)
        fallback = False
        if pick is None:
            pick = next((i for i in candidates(wider) if kind in groups[i].decisions), None)
            fallback = pick is not None
        bridged: list[str] = []
        if pick is None:
            pick = next(
                (i for i in candidates(wider, waiting=True) if kind in groups[i].decisions), None
            )
            if pick is not None:
                fallback = True
                bridged = _bridge(g_, pick, needs)
        if pick is None:
            notes.append(
                f"the pilot holds no {kind} workload: none of criticality "
                f"{'/'.join(c.value for c in sorted(wider, key=_RANK.get))} is free of "
                "dependencies on other migrating applications and fits the wave limits"
            )
            continue
        g = groups[pick]
        level = "/".join(sorted({c.value for c in g.criticalities}, key=lambda v: _ORDER[v]))
        g.pilot_reason = (
            f"pilot: the least critical {kind} workload "
            + ("" if bridged else "with nothing to wait for ")
            + f"(criticality {level}), to prove the landing zone's {kind} path first"
        )
        if bridged:
            g.pilot_reason += (
                f"; it reaches {_sample(bridged)} on premise over the hybrid link until that moves"
            )
        if fallback:
            notes.append(
                f"no low-criticality {kind} workload free of dependencies can lead the pilot: "
                f"{_sample(g.apps)} (criticality {level}) proves the {kind} path instead"
                + (
                    f", reaching {_sample(bridged)} on premise over the hybrid link until "
                    + ("it moves" if len(bridged) == 1 else "they move")
                    if bridged
                    else ""
                )
            )
        chosen.append(pick)
    for i in candidates(low, proving=False):
        if not room(i):
            continue
        chosen.append(i)
        groups[
            i
        ].pilot_reason = "pilot: low-criticality, nothing to wait for, and room left in the pilot"
    for i in chosen:
        groups[i].level = 0
    if not chosen:
        notes.append(
            "no pilot wave: no low-criticality application is free of dependencies on other "
            "migrating applications"
        )


_ORDER = {c.value: r for c, r in _RANK.items()}


def _bridge(g: _Graph, pick: int, needs: Mapping[int, set[int]]) -> list[str]:
    """Let a pilot group go before what it depends on: those links become hybrid links."""
    members = set(g.groups[pick].apps)
    targets = []
    for source, target in g.hard:  # the pilot goes first: everything it depends on is ahead
        if source in members and target not in members:
            targets.append(target)
            g.hybrid.append(
                (
                    source,
                    target,
                    "transition",
                    None,
                    f"pilot {source} reaches {target} on premise over the hybrid link until "
                    f"{target} moves",
                )
            )
    for a in needs[pick]:
        g.dag[a].discard(pick)
    g.indegree[pick] = 0
    return sorted(set(targets))


def _schedule(
    groups: list[_Group],
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
        popped = []
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


def _wave_reasons(
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
