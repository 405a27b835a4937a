"""Render the architect's report: one self-contained HTML file (inline CSS, JS and SVG).

Nothing is fetched at view time: no scripts, fonts or images from anywhere, so the file can be
mailed, archived with a design authority's minutes, or opened on an air-gapped laptop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from forcelift.migration.inventory.model import Inventory
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.report.charts import (
    GanttWave,
    Money,
    WaveBar,
    carbon_chart,
    cashflow_chart,
    cost_chart,
    decisions_chart,
    wave_gantt,
    wave_timeline,
)
from forcelift.migration.report.context import ReportContext
from forcelift.migration.report.depgraph import dependency_svg, legend_items
from forcelift.migration.report.guardrail_rows import StackRow
from forcelift.migration.report.style import DECISIONS, SEVERITY_RANK, cloud_label

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Executive summary"),
    ("decisions", "Decisions"),
    ("applications", "Applications"),
    ("waves", "Wave plan"),
    ("dependencies", "Dependencies"),
    ("cost", "Cost"),
    ("carbon", "Carbon"),
    ("guardrails", "Guardrail findings"),
    ("ncsc", "NCSC principles"),
    ("resources", "Resources per stack"),
    ("sharing", "Sharing and staff access"),
)
# sections shown only when the plan has their content (the rest are always there)
OPTIONAL_SECTIONS: dict[str, Callable[[ReportContext], bool]] = {
    "sharing": lambda context: context.sharing is not None,
}

MEANINGS: dict[str, str] = {
    "SAAS": "Replaced by a supplier's software service; servers switched off after cutover.",
    "PAAS": "Moved onto managed platform services (app hosting, managed databases).",
    "IAAS": "Rehosted on virtual machines in the landing zone.",
    "RETAIN": "Stays on premise, reached over hybrid connectivity.",
    "RETIRE": "Decommissioned; nothing moves.",
}


def environment() -> Any:
    """The jinja2 environment: HTML autoescaped, Markdown not; shared number filters."""
    import jinja2

    from forcelift.migration.report.formatting import FILTERS

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("forcelift.migration.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def _asset(name: str) -> str:
    return (
        resources.files("forcelift.migration.report")
        .joinpath("templates", name)
        .read_text(encoding="utf-8")
    )


def render_charts(context: ReportContext) -> dict[str, str]:
    apps = {d.decision: d.applications for d in context.decisions}
    servers = {d.decision: d.servers for d in context.decisions}
    waves = [
        WaveBar(w.number, w.kind, w.servers_by_decision, len(w.applications)) for w in context.waves
    ]
    clouds = {
        c.cloud: Money(c.monthly.payg, c.monthly.one_year, c.monthly.three_year)
        for c in context.cloud_costs
    }
    per_wave_cost = {
        c.cloud: {w.number: w.monthly[c.cloud].payg for w in context.waves}
        for c in context.cloud_costs
    }
    carbon_clouds = {c.cloud: (c.operational_kg, c.embodied_kg) for c in context.cloud_carbon}
    per_wave_carbon: dict[str, dict[int, tuple[float, float]]] = {
        "onprem": {w.number: (w.carbon_onprem_kg, 0.0) for w in context.waves}
    }
    for c in context.cloud_carbon:
        per_wave_carbon[c.cloud] = {
            w.number: (w.carbon_cloud_kg[c.cloud], 0.0) for w in context.waves
        }
    charts = {
        "decisions": decisions_chart(apps, servers),
        "waves": _waves_chart(context, waves),
        "cost": cost_chart(context.currency, context.onprem_monthly, clouds, per_wave_cost),
        "carbon": carbon_chart(
            (context.onprem_operational_kg, context.onprem_embodied_kg),
            carbon_clouds,
            per_wave_carbon,
        ),
    }
    for view in context.money.cases if context.money else ():
        case = view.case
        charts[f"cashflow_{view.cloud}"] = cashflow_chart(
            case.currency,
            case.start,
            case.cumulative_baseline,
            case.cumulative_future,
            case.break_even_month,
            [(y.year, y.baseline, y.onprem, y.cloud, y.one_off) for y in case.years],
        )
    return charts


def _waves_chart(context: ReportContext, waves: list[WaveBar]) -> str:
    """The Gantt in calendar months when the plan has dates; else waves by servers moved."""
    timeline = context.timeline
    if timeline is None or not timeline.waves:
        return wave_timeline(waves)
    return wave_gantt(
        timeline.landing_zone,
        [
            GanttWave(w.number, w.kind, w.start, w.end, w.applications, w.servers)
            for w in timeline.waves
        ],
        timeline.freezes,
    )


@dataclass(frozen=True)
class MatrixStack:
    short: str
    total: int | None


@dataclass(frozen=True)
class TypeMatrix:
    label: str
    stacks: tuple[MatrixStack, ...]
    rows: tuple[tuple[str, tuple[int | None, ...], int], ...]
    total: int


def _short_stack(row: StackRow) -> str:
    if row.layer == "landing-zone":
        return "landing zone"
    if row.wave is not None:
        return f"wave {row.wave}" + (f" part {row.part}" if row.part else "")
    return row.name


def type_matrices(context: ReportContext) -> tuple[TypeMatrix, ...]:
    """Per cloud: resource types down, stacks across, counts from the previews."""
    out = []
    for cloud in dict.fromkeys([*context.clouds, *(s.cloud for s in context.stacks)]):
        stacks = [s for s in context.stacks if s.cloud == cloud]
        if not any(s.previewed for s in stacks):
            continue
        counts = [dict(s.types) if s.previewed else None for s in stacks]
        types = sorted({t for c in counts if c for t in c})
        rows = []
        for type_ in types:
            cells = tuple(None if c is None else c.get(type_, 0) for c in counts)
            rows.append((type_, cells, sum(n or 0 for n in cells)))
        rows.sort(key=lambda r: (-r[2], r[0]))
        out.append(
            TypeMatrix(
                cloud_label(cloud) if cloud else "Other stacks",
                tuple(
                    MatrixStack(_short_stack(s), s.resources if s.previewed else None)
                    for s in stacks
                ),
                tuple(rows),
                sum(r[2] for r in rows),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class GraphView:
    svg: Any
    source: str
    nodes: int
    edges: int
    dependencies: int
    condensed: bool


def render_html(
    context: ReportContext,
    plan: Plan,
    inventory: Inventory | None = None,
    charts: dict[str, str] | None = None,
) -> str:
    import markupsafe

    from forcelift.migration.policy.rules import GUARDRAILS

    charts = charts if charts is not None else render_charts(context)
    svg, picture = dependency_svg(plan, inventory)
    graph = GraphView(
        markupsafe.Markup(svg),
        picture.source,
        len(picture.nodes),
        len(picture.edges),
        sum(e.weight for e in picture.edges),
        picture.condensed,
    )
    clouds = [
        {
            "cloud": c.cloud,
            "label": cloud_label(c.cloud),
            "region": c.region,
            "secondary": c.secondary_region,
        }
        for c in plan.clouds
    ]
    template = environment().get_template("report.html.j2")
    return template.render(
        c=context,
        clouds=clouds,
        sections=sections_for(context),
        meanings=MEANINGS,
        charts={k: markupsafe.Markup(v) for k, v in charts.items()},
        graph=graph,
        legend=list(legend_items(picture)),
        matrices=type_matrices(context),
        rules=GUARDRAILS,
        decision_rank={d: i for i, d in enumerate(DECISIONS)},
        severity_rank=SEVERITY_RANK,
        css=markupsafe.Markup(_asset("report.css")),
        js=markupsafe.Markup(_asset("report.js")),
    )


def sections_for(context: ReportContext) -> tuple[tuple[str, str], ...]:
    """The sections this report shows, in order: the optional ones only with their content,
    so the contents list and the section numbers never point at a missing section."""
    return tuple(
        (id_, title)
        for id_, title in SECTIONS
        if id_ not in OPTIONAL_SECTIONS or OPTIONAL_SECTIONS[id_](context)
    )


def section_ids(context: ReportContext | None = None) -> Sequence[str]:
    """Every section id (all of them without a context; else those this report shows)."""
    sections = SECTIONS if context is None else sections_for(context)
    return [s for s, _ in sections]
