"""Move groups from applications, dependencies and decisions: the graph every wave step reads.

Applications that share servers, or talk over a tight link (database ports, anything marked
latency-sensitive), move together as one group; dependency cycles are grouped, not dropped.
`Graph` holds what grouping learns (groups, the condensed dependency DAG, hybrid links, the
reasons per application); splitting, the pilot and scheduling refine it in place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from forcelift.migration.classify.model import Decision
from forcelift.migration.errors import InputError, Problem
from forcelift.migration.inventory.model import (
    Application,
    Criticality,
    Dependency,
    DependencyKind,
)
from forcelift.migration.plan.sizing import DECISIONS
from forcelift.migration.plan.wave_model import LANDING, SCHEDULED, WaveOptions

SAMPLE = 5


def cap(reasons: list[str], limit: int = SAMPLE) -> list[str]:
    """At most `limit` reasons and a count of the rest: a big group must not flood the plan."""
    if len(reasons) <= limit:
        return reasons
    return [*reasons[:limit], f"and {len(reasons) - limit} more"]


def sample(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SAMPLE])
    return shown + (f" and {len(names) - SAMPLE} more" if len(names) > SAMPLE else "")


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


def resolve_decisions(
    applications: Sequence[Application], decisions: Mapping[str, str]
) -> dict[str, Decision]:
    by_lower = {k.lower(): v for k, v in decisions.items()}
    names = {a.name.lower() for a in applications}
    problems = []
    resolved: dict[str, Decision] = {}
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
            continue
        resolved[app.name] = Decision(value)
    if missing:
        problems.append(
            Problem(
                f"no decision for {len(missing)} application(s): {sample(missing)}",
                hint="classify every application, or give a decision in the overrides",
            )
        )
    unknown = sorted(k for k in decisions if k.lower() not in names)
    if unknown:
        problems.append(
            Problem(
                f"decisions for unknown application(s): {sample(unknown)}",
                hint="check the spelling against the inventory's application names",
            )
        )
    if problems:
        raise InputError(problems)
    return resolved


class UnionFind:
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


class Group:
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
        self.decisions: set[Decision] = set()
        self.servers: set[str] = set()
        self.reasons: list[str] = []
        self.critical = False
        self.level = 1
        self.level_reason = ""
        self.pilot_reason = ""
        self.part = 0  # k of `parts` for a split group, 0 when whole
        self.parts = 0


@dataclass
class Graph:
    """Everything grouping learns, before any wave is cut."""

    decided: dict[str, Decision]
    apps: dict[str, Application]
    groups: list[Group] = field(default_factory=list)
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


def build_graph(
    applications: Sequence[Application],
    dependencies: Sequence[Dependency],
    decisions: Mapping[str, str],
    options: WaveOptions,
) -> Graph:
    decided = resolve_decisions(applications, decisions)
    g = Graph(decided=decided, apps={a.name: a for a in applications})
    apps, why = g.apps, g.why
    lower = {a.name.lower(): a.name for a in applications}
    scheduled = sorted(n for n, d in decided.items() if d in SCHEDULED)
    uf = UnionFind(scheduled)
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
            reason = f"{sample(moving)} share server {server}"
            binding.extend((n, reason) for n in moving)
        if moving and staying:
            for n in moving:
                why[n].append(
                    f"shares server {server} with {sample(staying)} "
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
        group = Group([a for r in roots for a in members[r]])
        if len(roots) > 1:
            cycle = sample(sorted(min(members[r]) for r in roots))
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
        describe(group, g, options)
        group.reasons = cap(sorted(set(group.reasons)))
    return g


def describe(group: Group, g: Graph, options: WaveOptions) -> None:
    """Servers, criticalities, decisions and lateness of a group from its applications."""
    apps = g.apps
    group.servers = {s.lower() for a in group.apps for s in apps[a].servers}
    group.criticalities = {apps[a].criticality for a in group.apps}
    group.decisions = {g.decided[a] for a in group.apps}
    critical = [a for a in group.apps if is_critical(apps[a], options)]
    group.critical = options.critical_late and bool(critical)
    group.level = 2 if group.critical else 1
    if group.critical:
        group.level_reason = f"late: critical system(s) {sample(critical)} move late"
