"""The report's views on their own: dependency graph, charts as SVG, NCSC matrix, formatting."""

from __future__ import annotations

import re

import pytest

from forcelift.migration.inventory.model import DependencyKind, Inventory
from forcelift.migration.plan.planfile import Plan


def test_graph_from_the_inventory_has_every_application_in_its_column(
    plan: Plan, inventory: Inventory
) -> None:
    from forcelift.migration.report.depgraph import OUTSIDE, build_graph

    picture = build_graph(plan, inventory)
    assert picture.source == "inventory" and not picture.condensed
    apps = {k: n for k, n in picture.nodes.items() if k.startswith("app:")}
    assert len(apps) == len(plan.workloads)
    for w in plan.workloads:
        node = apps[f"app:{w.application}"]
        expected = OUTSIDE if w.decision in ("RETAIN", "RETIRE") else f"wave-{w.wave}"
        assert node.column == expected, w.application
    names = {w.application.casefold() for w in plan.workloads}
    wanted = {
        (d.source.casefold(), d.target.casefold())
        for d in inventory.dependencies
        if d.source.casefold() in names and d.source.casefold() != d.target.casefold()
    }
    drawn = {
        (picture.nodes[e.source].label.casefold(), picture.nodes[e.target].label.casefold())
        for e in picture.edges
    }
    assert drawn == wanted
    externals = {d.target for d in inventory.dependencies if d.kind is DependencyKind.EXTERNAL}
    assert {n.label for n in picture.nodes.values() if n.decision == "external"} >= externals
    # an edge needs the hybrid link exactly when it crosses between cloud and outside
    for edge in picture.edges:
        src, dst = picture.nodes[edge.source], picture.nodes[edge.target]
        assert edge.hybrid == ((src.column == OUTSIDE) != (dst.column == OUTSIDE))
    assert any(e.hybrid and picture.nodes[e.source].column == OUTSIDE for e in picture.edges)


def test_graph_from_the_plan_uses_its_hybrid_links(plan: Plan) -> None:
    from forcelift.migration.report.depgraph import build_graph

    picture = build_graph(plan)
    assert picture.source == "plan"
    links = plan.clouds[0].landing_zone.connectivity.hybrid_links
    assert len(picture.edges) == len({(link.source, link.target) for link in links})
    assert any(e.hybrid for e in picture.edges) and not all(e.hybrid for e in picture.edges)


def test_large_estates_are_condensed_to_groups(
    plan: Plan, inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forcelift.migration.report import depgraph

    monkeypatch.setattr(depgraph, "DETAIL_LIMIT", 10)
    picture = depgraph.build_graph(plan, inventory)
    assert picture.condensed
    groups = [n for k, n in picture.nodes.items() if k.startswith("grp:")]
    total = sum(int(re.search(r"([\d,]+) applications", n.label).group(1)) for n in groups)
    assert total == len(plan.workloads)
    assert not any(k.startswith("app:") for k in picture.nodes)
    assert sum(e.weight for e in picture.edges) > len(picture.edges)  # edges were merged
    svg, _ = depgraph.dependency_svg(plan, inventory)
    assert "applications" in svg and "<svg" in svg


def test_dependency_svg_titles_every_application_and_fits_its_boxes(
    plan: Plan, inventory: Inventory
) -> None:
    from html import unescape

    from forcelift.migration.report.depgraph import BOX_W, dependency_svg

    svg, picture = dependency_svg(plan, inventory)
    text = unescape(svg)
    for w in plan.workloads:
        assert f"<title>{w.application}: " in text
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    assert all(n.x + BOX_W <= width for n in picture.nodes.values())
    boxes = {(round(n.x), round(n.y)) for n in picture.nodes.values()}
    assert len(boxes) == len(picture.nodes), "two nodes drawn on top of each other"
    assert dependency_svg(plan, inventory)[0] == svg


def test_charts_are_stable_svg_with_their_own_ids() -> None:
    from forcelift.migration.report.charts import WaveBar, decisions_chart, wave_timeline

    apps = {"SAAS": 3, "PAAS": 2, "IAAS": 5, "RETAIN": 1, "RETIRE": 0}
    servers = {"SAAS": 6, "PAAS": 4, "IAAS": 12, "RETAIN": 2, "RETIRE": 0}
    first = decisions_chart(apps, servers)
    assert first == decisions_chart(apps, servers)
    assert first.startswith("<svg") and "<?xml" not in first and "<metadata>" not in first
    assert 'width="' not in first.split(">", 1)[0]  # scales with the page
    ids = re.findall(r'\sid="([^"]+)"', first)
    assert ids and all(i.startswith("chart-decisions-") for i in ids)
    refs = re.findall(r"url\(#([^)]+)\)", first)
    assert set(refs) <= set(ids)
    assert ">12</text>" in first  # the bar labels, as text
    timeline = wave_timeline(
        [WaveBar(1, "pilot", {"SAAS": 2}, 1), WaveBar(2, "late", {"IAAS": 9}, 3)]
    )
    assert "Wave 1" in timeline and "3 applications, 9 servers" in timeline


def test_formatting() -> None:
    from forcelift.migration.report.formatting import change, joined, money, plural, short, tonnes

    assert money(140734.39, "USD") == "USD 140,734"
    assert short(183259.41) == "183.3k" and short(1688812.63) == "1.69M" and short(12) == "12"
    assert tonnes(29716.13) == "29.7 t"
    assert change(100, 130) == "+30 %" and change(100, 58) == "−42 %" and change(0, 5) == "n/a"
    assert plural(1, "wave") == "1 wave" and plural(2, "dependency", "dependencies") == (
        "2 dependencies"
    )
    assert joined(["Azure", "AWS"], "or") == "Azure or AWS" and joined(["Azure"]) == "Azure"


def test_markdown_cells_cannot_break_a_table() -> None:
    from forcelift.migration.report.markdown import md_cell

    assert md_cell("a | b\nc") == "a \\| b c"


def test_charts_cope_with_an_estate_that_moves_nothing() -> None:
    import warnings

    from forcelift.migration.report.charts import (
        Money,
        carbon_chart,
        cost_chart,
        decisions_chart,
        wave_timeline,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts = [
            decisions_chart({"RETAIN": 4}, {"RETAIN": 9}),
            wave_timeline([]),
            cost_chart("GBP", 1000.0, {"azure": Money(0, 0, 0)}, {"azure": {}}),
            carbon_chart((10.0, 2.0), {"azure": (0.0, 0.0)}, {"onprem": {}, "azure": {}}),
        ]
    assert all(c.startswith("<svg") for c in charts)
