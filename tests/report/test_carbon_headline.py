"""The carbon headline compares like with like (issue 16): the workloads that move against
their own on-premise footprint, the whole estate against the whole estate - in the plan
digest, `plan show` (text and Markdown) and the report."""

from __future__ import annotations

import math
import re
from pathlib import Path

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.summary import plan_markdown, plan_summary, plan_text
from forcelift.migration.report.formatting import change


def _moving(plan: Plan) -> tuple[float, float]:
    cloud = plan.clouds[0]
    onprem = math.fsum(w.onprem.total_kgco2e for w in cloud.carbon.waves)
    in_cloud = math.fsum(w.cloud.total_kgco2e for w in cloud.carbon.waves)
    return onprem, in_cloud


def test_the_sample_has_scopes_that_differ(plan: Plan) -> None:
    """Otherwise the tests below could not tell the scopes apart."""
    moving_onprem, _ = _moving(plan)
    assert plan.onprem.carbon.total_kgco2e - moving_onprem > 500  # retained servers stay


def test_plan_digest_compares_moving_with_moving_and_estate_with_estate(plan: Plan) -> None:
    moving_onprem, moving_cloud = _moving(plan)
    estate = plan.onprem.carbon.total_kgco2e
    (digest,) = plan_summary(plan)["clouds"]
    m, e = digest["carbon_moving"], digest["carbon_estate"]
    assert m["onprem_kgco2e"] == round(moving_onprem, 1)
    assert m["cloud_kgco2e"] == round(moving_cloud, 1)
    assert m["change_percent"] == round((moving_cloud - moving_onprem) / moving_onprem * 100, 1)
    after = estate - moving_onprem + moving_cloud
    assert e["today_kgco2e"] == round(estate, 1)
    assert e["after_kgco2e"] == round(after, 1)
    assert e["change_percent"] == round((after - estate) / estate * 100, 1)
    mixed = round((moving_cloud - estate) / estate * 100, 1)  # the old, wrong headline
    assert mixed not in (m["change_percent"], e["change_percent"])


def test_plan_show_prints_the_like_for_like_percentages(plan: Plan) -> None:
    moving_onprem, moving_cloud = _moving(plan)
    estate = plan.onprem.carbon.total_kgco2e
    text = plan_text(plan)
    line = next(ln for ln in text.splitlines() if "the workloads that move" in ln)
    assert change(moving_onprem, moving_cloud) in line
    assert change(estate, estate - moving_onprem + moving_cloud) in line
    markdown = plan_markdown(plan)
    row = next(ln for ln in markdown.splitlines() if ln.startswith("| workloads that move"))
    assert row.endswith(f"| {change(moving_onprem, moving_cloud)} |")
    assert f"{moving_onprem / 1000:,.1f}" in row


def test_report_headline_is_like_for_like(plan: Plan, report_dir: Path) -> None:
    moving_onprem, moving_cloud = _moving(plan)
    estate = plan.onprem.carbon.total_kgco2e
    wrong = change(estate, plan.clouds[0].carbon.cloud.total_kgco2e)
    right = change(moving_onprem, moving_cloud)
    assert wrong != right
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    tile = re.search(
        r"<div class=\"sub\">([^<]*) for the whole estate · ([^<]*) for the workloads", html
    )
    assert tile is not None
    assert tile.group(2) == right
    assert tile.group(1) == change(estate, estate - moving_onprem + moving_cloud)
    summary = (report_dir / "summary.md").read_text(encoding="utf-8")
    row = next(ln for ln in summary.splitlines() if ln.startswith("| The workloads that move"))
    assert row.endswith(f"| {right} |")
