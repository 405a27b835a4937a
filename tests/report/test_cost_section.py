"""The report's cost section (GBP, like for like, break-even, sources) and wave timeline."""

from __future__ import annotations

import re
from pathlib import Path

from forcelift.migration.plan.planfile import Plan


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start : page.index("</section>", start)]


def test_cost_section_is_like_for_like_in_pounds(report_dir: Path, plan: Plan) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    cost = _section(page, "cost")
    case = plan.clouds[0].business_case
    assert case is not None and plan.pricing is not None
    assert "Every figure is in GBP and excludes VAT" in cost and "section 33 bodies" in cost
    assert "converted from USD at 0.8202 GBP/USD, rate of 2023-03-31" in cost
    assert "Like for like: the whole estate" in cost
    assert f"GBP {round(case.baseline_monthly):,} a month" in cost
    assert 'id="chart-cashflow' in cost
    # Horizons and five yearly rows, the three sensitivity lines and the sources.
    for h in case.horizons:
        assert f"<td>{h.years} year" in cost
    sensitivity = cost[cost.index("Sensitivity") :]
    body = sensitivity[: sensitivity.index("</tbody>")]
    assert body.count("<tr><td>") == 3
    assert "day_rate" in cost and "Crown Commercial Service" in cost
    sources = cost[cost.index("price sources") :]
    assert sources.count('<td class="mono">') == len(plan.clouds[0].price_sources)
    assert re.search(r"<td>\d{4}-\d{2}-\d{2}</td><td>transcribed; converted from USD", sources)


def test_wave_timeline_is_in_calendar_months_with_a_reason_per_application(
    report_dir: Path, plan: Plan
) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    waves = _section(page, "waves")
    assert "Wave timeline in calendar months" in waves
    assert plan.schedule is not None
    for wave in plan.schedule.waves:
        assert f"{wave.start.isoformat()} to {wave.end.isoformat()}" in waves
    moving = [w for w in plan.workloads if w.wave is not None]
    assert all(w.wave_reason for w in moving)
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", waves)
    assert len(rows) == len(moving)
    pilot = plan.waves[0]
    assert pilot.kind == "pilot"
    decisions = {w.application: w.decision for w in plan.workloads}
    assert {"IAAS", "PAAS"} <= {decisions[a] for a in pilot.applications}
