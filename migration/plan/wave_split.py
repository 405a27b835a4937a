"""Cutting move groups larger than a wave into parts that fit, in dependency order."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from forcelift.migration.plan.wave_graph import Graph, Group, UnionFind, cap, describe, sample
from forcelift.migration.plan.wave_model import WaveOptions


def limits_text(options: WaveOptions) -> str:
    limits = []
    if options.max_applications_per_wave:
        limits.append(f"{options.max_applications_per_wave} applications")
    if options.max_servers_per_wave:
        limits.append(f"{options.max_servers_per_wave} servers")
    return " / ".join(limits) + " per wave"


def too_big(apps: int, servers: int, options: WaveOptions) -> bool:
    return bool(
        (options.max_applications_per_wave and apps > options.max_applications_per_wave)
        or (options.max_servers_per_wave and servers > options.max_servers_per_wave)
    )


def _units(group: Group, g: Graph, options: WaveOptions) -> list[list[str]]:
    """A group's applications in the smallest pieces worth keeping whole, dependencies first.

    Applications sharing a server stay together (the server moves once) unless that piece alone
    is over the limits; then each application is its own piece. Pieces are ordered so what
    another piece depends on comes first; a dependency cycle cannot be, so it is cut in name order.
    """
    members = set(group.apps)
    uf = UnionFind(group.apps)
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
        if len(names) > 1 and too_big(len(names), len(servers), options):
            for a in names:
                others = sorted(set(names) - {a})
                g.split[a] = f"shares servers with {sample(others)}: too many for one wave together"
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


def _shares(g: Graph, a: str, b: str) -> bool:
    mine = {s.lower() for s in g.apps[a].servers}
    return any(s.lower() in mine for s in g.apps[b].servers)


def split_oversized(g: Graph, options: WaveOptions) -> None:
    """Cut groups larger than a wave into parts that fit, in dependency order (and say so).

    Parts are chained (part k+1 waits for part k); what the group waited for, its first part
    waits for; what waited for the group, waits for its last part. A single application larger
    than the limits cannot be cut: its wave goes over them and the notes say so.
    """
    if not (options.max_servers_per_wave or options.max_applications_per_wave):
        return
    limits = limits_text(options)
    new_groups: list[Group] = []
    span: list[tuple[int, int]] = []  # old group -> (first part, last part) in new_groups
    chains: list[tuple[int, int]] = []
    for group in g.groups:
        first = len(new_groups)
        if not too_big(len(group.apps), len(group.servers), options):
            new_groups.append(group)
            span.append((first, first))
            continue
        parts: list[list[str]] = [[]]
        servers: set[str] = set()
        for unit in _units(group, g, options):
            unit_servers = {s.lower() for a in unit for s in g.apps[a].servers}
            if parts[-1] and too_big(
                len(parts[-1]) + len(unit), len(servers | unit_servers), options
            ):
                parts.append([])
                servers = set()
            parts[-1].extend(unit)
            servers |= unit_servers
        whole = f"{len(group.apps)} applications, {len(group.servers)} servers"
        crossing = _crossing(g, parts)
        g.notes.append(
            f"dependency group of {sample(group.apps)} ({whole}) is larger than one wave "
            f"({limits}): split into {len(parts)} parts moved in dependency order"
            + (f"; links that now cross waves: {sample(crossing)}" if crossing else "")
        )
        for k, names in enumerate(parts, start=1):
            part = Group(names)
            describe(part, g, options)
            part.part, part.parts = k, len(parts)
            part.reasons = cap(
                sorted(
                    {r for r in group.reasons if any(a in r for a in names)}
                    | {f"part {k} of {len(parts)} of a dependency group too large for one wave"}
                )
            )
            for name in names:
                g.split.setdefault(
                    name,
                    f"part {k} of {len(parts)} of its dependency group ({whole}), which is "
                    f"larger than one wave ({limits})",
                )
            if k > 1:
                chains.append((len(new_groups) - 1, len(new_groups)))
            new_groups.append(part)
        span.append((first, len(new_groups) - 1))
    for group in new_groups:
        if too_big(len(group.apps), len(group.servers), options):
            g.notes.append(
                f"{sample(group.apps)} alone needs {len(group.servers)} servers and "
                f"{len(group.apps)} application(s), more than one wave holds ({limits}): "
                "its wave goes over the limit"
            )
    if len(new_groups) == len(g.groups):
        return
    dag: dict[int, set[int]] = defaultdict(set)
    for i, waiting in g.dag.items():
        for j in waiting:
            dag[span[i][1]].add(span[j][0])
    for i, j in chains:
        dag[i].add(j)
    g.groups = new_groups
    g.dag = dict(dag)
    g.indegree = [0] * len(new_groups)
    for targets in g.dag.values():
        for b in targets:
            g.indegree[b] += 1
    g.group_of = {app: i for i, grp in enumerate(new_groups) for app in grp.apps}


def _crossing(g: Graph, parts: list[list[str]]) -> list[str]:
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
