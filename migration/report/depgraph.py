"""The dependency graph as a picture: applications in columns by wave, drawn to inline SVG.

A force-directed (spring) layout of 70 labelled applications is a hairball, and what an
architect asks of this picture is "what does each wave depend on, and what stays behind". So
the graph is laid out in layers, Sugiyama-style: everything that stays outside the cloud
(national services, retained, retired) on the left, then one column per wave; within a column,
nodes are ordered by barycentre sweeps to reduce crossings. Nodes are coloured by decision;
dashed edges cross between the cloud and what stays outside, so they need the hybrid link.
Edges come from the inventory's dependencies when it is given, otherwise from the plan's hybrid
links (which only record dependencies that leave the cloud). Above `DETAIL_LIMIT` applications
the graph is condensed to one node per wave and decision.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from forcelift.migration.inventory.model import DependencyKind, Inventory
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.report.style import COLOURS, INK, MUTED, decision_label

DETAIL_LIMIT = 150
MAX_ROWS = 48  # a taller column is split in two
BOX_W = 196
BOX_H = 17
ROW = 21
GAP = 64
HEADER = 40
FONT = 10.5
CHARS = 31  # label characters that fit in a box at this font size

OUTSIDE = "outside"
_GROUPS = ("external", "RETAIN", "RETIRE")
_GROUP_TITLES = {
    "external": "National and partner services",
    "RETAIN": "Retained on premise",
    "RETIRE": "Retired",
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    hybrid: bool
    weight: int = 1
    note: str = ""


@dataclass
class Node:
    key: str
    label: str
    decision: str  # a decision code, or "external"
    column: str  # "outside" or "wave-<n>" or "unscheduled"
    title: str = ""
    x: float = 0
    y: float = 0
    group: str = ""


@dataclass
class DependencyPicture:
    nodes: dict[str, Node]
    edges: list[Edge]
    source: str  # "inventory" or "plan" (hybrid links only)
    condensed: bool = False
    columns: list[tuple[str, str]] = field(default_factory=list)  # (column key, title)


def _column_of(decision: str, wave: int | None) -> str:
    if decision in ("RETAIN", "RETIRE"):
        return OUTSIDE
    return f"wave-{wave}" if wave is not None else "unscheduled"


def build_graph(plan: Plan, inventory: Inventory | None = None) -> DependencyPicture:
    """Nodes and edges: applications from the plan, dependencies from the inventory or plan."""
    nodes: dict[str, Node] = {}
    lower: dict[str, str] = {}
    for w in plan.workloads:
        key = f"app:{w.application}"
        nodes[key] = Node(
            key,
            w.application,
            w.decision,
            _column_of(w.decision, w.wave),
            title=f"{w.application}: {decision_label(w.decision)}"
            + (f", wave {w.wave}" if w.wave is not None else ""),
            group=w.decision if w.decision in ("RETAIN", "RETIRE") else "",
        )
        lower[w.application.casefold()] = key

    def external(name: str) -> str:
        key = f"ext:{name}"
        if key not in nodes:
            nodes[key] = Node(
                key, name, "external", OUTSIDE, f"{name}: never migrates", group="external"
            )
        return key

    edges: dict[tuple[str, str], Edge] = {}
    if inventory is not None:
        source = "inventory"
        for dep in inventory.dependencies:
            src = lower.get(dep.source.casefold())
            if src is None:
                continue
            if dep.kind is DependencyKind.APPLICATION and dep.target.casefold() in lower:
                dst = lower[dep.target.casefold()]
            else:
                dst = external(dep.target)
            if src == dst:
                continue
            # crossing between the cloud and what stays outside needs the hybrid link
            hybrid = (nodes[dst].column == OUTSIDE) != (nodes[src].column == OUTSIDE)
            edges.setdefault((src, dst), Edge(src, dst, hybrid, note=dep.description))
    else:
        source = "plan"
        links = plan.clouds[0].landing_zone.connectivity.hybrid_links if plan.clouds else ()
        for link in links:
            src = lower.get(link.source.casefold())
            if src is None:
                continue
            dst = lower.get(link.target.casefold()) or external(link.target)
            hybrid = link.kind in ("external", "retained")
            edges.setdefault((src, dst), Edge(src, dst, hybrid, note=link.reason))
    ordered = [edges[k] for k in sorted(edges)]
    picture = DependencyPicture(nodes, ordered, source)
    apps = sum(1 for n in nodes.values() if n.decision != "external")
    return _condense(picture) if apps > DETAIL_LIMIT else picture


def _condense(picture: DependencyPicture) -> DependencyPicture:
    """One node per (column, decision) with counts; edges summed between groups."""
    nodes: dict[str, Node] = {}
    group_of: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for node in picture.nodes.values():
        if node.decision == "external":
            nodes[node.key] = node
            group_of[node.key] = node.key
            continue
        key = f"grp:{node.column}:{node.decision}"
        group_of[node.key] = key
        counts[key] += 1
        if key not in nodes:
            nodes[key] = Node(key, "", node.decision, node.column, group=node.group)
    for key, count in counts.items():
        node = nodes[key]
        node.label = f"{decision_label(node.decision)}: {count:,} applications"
        node.title = node.label
    weights: Counter[tuple[str, str]] = Counter()
    hybrid: dict[tuple[str, str], bool] = {}
    for edge in picture.edges:
        pair = (group_of[edge.source], group_of[edge.target])
        if pair[0] == pair[1]:
            continue
        weights[pair] += 1
        hybrid[pair] = hybrid.get(pair, False) or edge.hybrid
    edges = [
        Edge(s, t, hybrid[(s, t)], weights[(s, t)], f"{weights[(s, t)]:,} dependencies")
        for s, t in sorted(weights)
    ]
    return DependencyPicture(nodes, edges, picture.source, condensed=True)


def _columns(plan: Plan, picture: DependencyPicture) -> list[tuple[str, str]]:
    columns = [(OUTSIDE, "Stays outside the cloud")]
    for wave in plan.waves:
        columns.append((f"wave-{wave.number}", f"Wave {wave.number} · {wave.kind}"))
    if any(n.column == "unscheduled" for n in picture.nodes.values()):
        columns.append(("unscheduled", "Not in a wave"))
    return columns


def _order(picture: DependencyPicture, columns: Sequence[str]) -> dict[str, list[str]]:
    """Nodes per column, ordered by barycentre sweeps (ties broken by name)."""
    by_column: dict[str, list[str]] = defaultdict(list)
    for node in picture.nodes.values():
        by_column[node.column].append(node.key)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in picture.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)

    def name_key(key: str) -> tuple[int, str, str]:
        node = picture.nodes[key]
        group = _GROUPS.index(node.group) if node.group in _GROUPS else 0
        return (group, node.label.casefold(), key)

    for keys in by_column.values():
        keys.sort(key=name_key)
    position: dict[str, float] = {}

    def place() -> None:
        for keys in by_column.values():
            for i, key in enumerate(keys):
                position[key] = i / max(len(keys) - 1, 1)

    place()
    for _ in range(4):
        for column in columns:
            keys = by_column.get(column, [])

            def centre(key: str, column: str = column) -> tuple[int, float, str, str]:
                near = [position[n] for n in neighbours[key] if picture.nodes[n].column != column]
                here = sum(near) / len(near) if near else position[key]
                group, label, k = name_key(key)
                return (group, round(here, 6), label, k)

            keys.sort(key=centre)
            place()
    return by_column


Span = tuple[str, float, float]  # column title, x, width


def _layout(plan: Plan, picture: DependencyPicture) -> tuple[float, float, list[Span]]:
    """Place every node; returns the drawing's width and height and the column spans."""
    columns = _columns(plan, picture)
    picture.columns = columns
    order = _order(picture, [c for c, _ in columns])
    x = 12.0
    height = 0.0
    spans: list[Span] = []
    for column, title in columns:
        keys = order.get(column, [])
        parts = max(1, -(-len(keys) // MAX_ROWS))
        per_part = -(-len(keys) // parts) if keys else 0
        start_x = x
        for index, key in enumerate(keys):
            node = picture.nodes[key]
            part = index // per_part if per_part else 0
            row = index - part * per_part
            if column == OUTSIDE:
                # a gap and a title row before each group on the left
                group = _GROUPS.index(node.group) if node.group in _GROUPS else 0
                row += group
            node.x = x + part * (BOX_W + GAP * 0.5)
            node.y = HEADER + row * ROW
            height = max(height, node.y + ROW)
        width = parts * BOX_W + (parts - 1) * GAP * 0.5
        spans.append((title, start_x, width))
        x += width + GAP
    return x - GAP + 60, max(height, HEADER + ROW) + 10, spans


def _truncate(text: str, limit: int = CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _edge_path(src: Node, dst: Node) -> str:
    y1 = src.y + BOX_H / 2
    y2 = dst.y + BOX_H / 2
    if abs(src.x - dst.x) < 1:  # same column: an arc on the right-hand side
        x = src.x + BOX_W
        bulge = 18 + min(abs(y2 - y1) * 0.15, 40)
        return (
            f"M{x:.1f},{y1:.1f} C{x + bulge:.1f},{y1:.1f} {x + bulge:.1f},{y2:.1f} {x:.1f},{y2:.1f}"
        )
    if src.x < dst.x:
        x1, x2 = src.x + BOX_W, dst.x
    else:
        x1, x2 = src.x, dst.x + BOX_W
    dx = (x2 - x1) * 0.5
    return f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _attr(value: str) -> str:
    return quoteattr(value)


def dependency_svg(plan: Plan, inventory: Inventory | None = None) -> tuple[str, DependencyPicture]:
    """The picture as an inline `<svg>`, and the graph it shows (for captions and tests)."""
    picture = build_graph(plan, inventory)
    width, height, spans = _layout(plan, picture)
    out: list[str] = [
        f'<svg class="depgraph" role="img" aria-labelledby="depgraph-title" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="DejaVu Sans, Segoe UI, Arial, sans-serif">',
        '<title id="depgraph-title">Dependency graph: applications by wave</title>',
        "<defs>"
        '<marker id="depgraph-arrow" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="7" '
        'markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L8,4 L0,8 z" fill="{MUTED}"/></marker>'
        '<marker id="depgraph-arrow-hybrid" viewBox="0 0 8 8" refX="7.5" refY="4" '
        'markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">'
        '<path d="M0,0 L8,4 L0,8 z" fill="#B35C00"/></marker>'
        "</defs>",
    ]
    for title, x, span in spans:
        out.append(
            f'<text x="{x:.1f}" y="16" font-size="12" font-weight="bold" fill="{INK}">'
            f"{escape(title)}</text>"
            f'<line x1="{x:.1f}" y1="24" x2="{x + span:.1f}" y2="24" stroke="{INK}" '
            'stroke-width="1"/>'
        )
    # group titles in the outside column
    outside = [n for n in picture.nodes.values() if n.column == OUTSIDE]
    for group in _GROUPS:
        members = [n for n in outside if n.group == group]
        if members:
            first = min(members, key=lambda n: (n.y, n.x))
            out.append(
                f'<text x="{first.x:.1f}" y="{first.y - 4:.1f}" font-size="9.5" '
                f'fill="{MUTED}" font-style="italic">{escape(_GROUP_TITLES[group])}</text>'
            )
    out.append('<g class="edges" fill="none">')
    heaviest = max((e.weight for e in picture.edges), default=1)
    for edge in picture.edges:
        src, dst = picture.nodes[edge.source], picture.nodes[edge.target]
        colour = "#B35C00" if edge.hybrid else MUTED
        marker = "depgraph-arrow-hybrid" if edge.hybrid else "depgraph-arrow"
        stroke = 0.9 if heaviest == 1 else 0.9 + 3.5 * (edge.weight / heaviest)
        dash = ' stroke-dasharray="4 3"' if edge.hybrid else ""
        tip = f"{src.label} → {dst.label}" + (f": {edge.note}" if edge.note else "")
        out.append(
            f'<path d="{_edge_path(src, dst)}" stroke="{colour}" stroke-width="{stroke:.2f}" '
            f'stroke-opacity="0.75"{dash} marker-end="url(#{marker})">'
            f"<title>{escape(tip)}</title></path>"
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for key in sorted(picture.nodes, key=lambda k: (picture.nodes[k].x, picture.nodes[k].y, k)):
        node = picture.nodes[key]
        if node.decision == "external":
            fill, outline, bar = "#FFFFFF", INK, ""
            dash = ' stroke-dasharray="3 2"'
        else:
            colour = COLOURS.get(node.decision, MUTED)
            fill, outline, dash = "#FFFFFF", colour, ""
            bar = (
                f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="6" height="{BOX_H}" '
                f'rx="2" fill="{colour}"/>'
            )
        out.append(
            f"<g><title>{escape(node.title or node.label)}</title>"
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="3" '
            f'fill="{fill}" stroke="{outline}" stroke-width="1"{dash}/>{bar}'
            f'<text x="{node.x + 10:.1f}" y="{node.y + 12.2:.1f}" font-size="{FONT}" '
            f'fill="{INK}">{escape(_truncate(node.label))}</text></g>'
        )
    out.append("</g></svg>")
    return "\n".join(out) + "\n", picture


def legend_items(picture: DependencyPicture) -> Iterable[tuple[str, str]]:
    present = {n.decision for n in picture.nodes.values()}
    for decision in ("SAAS", "PAAS", "IAAS", "RETAIN", "RETIRE"):
        if decision in present:
            yield decision_label(decision), COLOURS[decision]
