"""Benchmark opening the HTML report of a large estate in headless Chromium.

    .venv/bin/python benchmarks/report_open.py [--apps 100000] [--keep DIR]

Renders the sample's report context scaled up to --apps applications (synthetic rows, waves,
stacks and findings; no pipeline run), then opens it with Selenium and prints, measured in the
page with performance.now(): time to DOMContentLoaded and to the first applications table
render, one column sort and one text filter, plus the HTML size. Goals (issue 13): open < 5 s,
sort and filter < 1 s at 100,000 applications.

tests/report/test_report_large.py imports `large_context`, `open_browser` and `measure`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)
WORDS = (
    "Athena", "Custody", "Niche", "Storm", "Command", "Evidence", "Fleet", "Payroll", "Duty",
    "Firearms", "Licensing", "Intel", "Property", "Training", "Vetting", "Warrants",
)  # fmt: skip
OWNERS = tuple(f"{w} team" for w in WORDS)
REASONS = tuple(f"rule {n}: {w} pattern matched the catalogue" for n, w in enumerate(WORDS * 3))
WAVES = 24
DECISIONS = ("SAAS", "PAAS", "IAAS", "IAAS", "RETAIN", "RETIRE")


def app_name(i: int) -> str:
    """The i-th synthetic application: a word and a unique six-digit number."""
    return f"{WORDS[i * 7 % len(WORDS)]} {i:06d}"


def large_context(base: Any, apps: int) -> Any:
    """`base` (a ReportContext) with `apps` synthetic applications and matching bulk tables."""
    from forcelift.migration.report.context import AppRow, DecisionCount, Estate
    from forcelift.migration.report.style import COLOURS, decision_label

    labels = list(base.cloud_labels)
    rows = []
    for i in range(apps):
        decision = DECISIONS[i % len(DECISIONS)]
        moving = decision in ("SAAS", "PAAS", "IAAS")
        rows.append(
            AppRow(
                name=app_name(i),
                decision=decision,
                label=decision_label(decision),
                strategy=("replace", "replatform", "rehost", "rehost", "retain", "retire")[
                    i % len(DECISIONS)
                ],
                confidence=("high", "medium", "low")[i % 3],
                confidence_rank=3 - i % 3,
                wave=1 + i % WAVES if moving else None,
                targets=tuple((label, f"{decision.lower()} target {i % 9}") for label in labels),
                reasons=(REASONS[i % len(REASONS)], REASONS[(i * 5 + 1) % len(REASONS)]),
                blockers=("needs a supplier's assurance",) if i % 11 == 0 else (),
                conflicts=("two rules disagree",) if i % 97 == 0 else (),
                override="architect's decision" if i % 53 == 0 else "",
                criticality=("critical", "high", "medium", "low")[i % 4],
                servers=1 + i % 3,
                owner=OWNERS[i % len(OWNERS)],
            )
        )
    rows.sort(key=lambda a: (a.name.casefold(), a.name))
    counts = Counter(a.decision for a in rows)
    servers: Counter[str] = Counter()
    for a in rows:
        servers[a.decision] += a.servers
    decisions = tuple(
        DecisionCount(d.decision, d.label, COLOURS[d.decision], counts[k], servers[k])
        for d in base.decisions
        for k in [d.decision]
    )
    members: dict[int, list[str]] = {}
    by_wave: dict[int, Counter[str]] = {}
    servers_by_wave: dict[int, Counter[str]] = {}
    for a in rows:
        if a.wave is not None:
            members.setdefault(a.wave, []).append(a.name)
            by_wave.setdefault(a.wave, Counter())[a.decision] += 1
            servers_by_wave.setdefault(a.wave, Counter())[a.decision] += a.servers
    template = base.waves[-1]
    waves = tuple(
        dataclasses.replace(
            base.waves[n - 1] if n <= len(base.waves) else template,
            number=n,
            applications=tuple(members.get(n, ())),
            servers=sum(servers_by_wave.get(n, Counter()).values()),
            apps_by_decision=dict(by_wave.get(n, Counter())),
            servers_by_decision=dict(servers_by_wave.get(n, Counter())),
        )
        for n in range(1, WAVES + 1)
    )
    timeline = base.timeline
    if timeline is not None:
        last = timeline.waves[-1]
        timeline = dataclasses.replace(
            timeline,
            waves=tuple(
                dataclasses.replace(
                    timeline.waves[n - 1] if n <= len(timeline.waves) else last,
                    number=n,
                    start=last.start + dt.timedelta(weeks=6 * max(0, n - len(timeline.waves))),
                    end=last.end + dt.timedelta(weeks=6 * max(0, n - len(timeline.waves))),
                    applications=len(members.get(n, ())),
                    members=tuple((m, "tightly linked to its wave") for m in members.get(n, ())),
                )
                for n in range(1, WAVES + 1)
            ),
        )
    stacks = tuple(
        dataclasses.replace(s, name=f"{s.name}-{k}")
        for k in range(max(1, apps // 250 // max(1, len(base.stacks))))
        for s in base.stacks
    )
    findings = tuple(
        dataclasses.replace(f, urn=f"{f.urn}-{k}", resource=f"{f.resource}-{k}")
        for k in range(max(1, apps // 100 // max(1, len(base.findings))))
        for f in base.findings
    )
    return dataclasses.replace(
        base,
        estate=Estate(apps, sum(servers.values()), base.estate.cores, base.estate.memory_gib),
        decisions=decisions,
        apps=tuple(rows),
        waves=waves,
        timeline=timeline,
        excluded=tuple((a.name, a.label, "retained: no wave") for a in rows if a.wave is None),
        unsized=tuple(
            (f"srv-{i:06d}", app_name(i), "estimated", "no size") for i in range(apps // 20)
        ),
        stacks=stacks,
        findings=findings,
        overrides=sum(1 for a in rows if a.override),
    )


def sample_context() -> tuple[Any, Any, Any]:
    """(context, plan, inventory) of the sample estate, as the report tests build them."""
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.inventory.load import load_inventory
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions
    from forcelift.migration.report.context import build_context
    from forcelift.migration.report.inputs import ReportInputs

    inventory = load_inventory([ROOT / "inventories" / "exampleshire"]).inventory
    plan = build_plan(
        PlanRequest(
            inventory,
            classify(inventory, as_of=dt.date(2026, 11, 25)),
            PlanOptions(clouds=("azure",)),
            ("inventories/exampleshire",),
        )
    )
    return build_context(ReportInputs(plan, inventory=inventory)), plan, inventory


@contextmanager
def open_browser(profile: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


# Each step forces layout (offsetHeight) so the time includes drawing the new page of rows.
_SORT = """
const th = Array.from(document.querySelectorAll('#apps-table thead th'))
  .find(h => h.textContent.trim().toUpperCase().startsWith(arguments[0]));
const t = performance.now();
th.click();
document.getElementById('apps-table').offsetHeight;
return [performance.now() - t, th.getAttribute('aria-sort')];
"""
_FILTER = """
const box = document.getElementById('filter-text');
const t = performance.now();
box.value = arguments[0];
box.dispatchEvent(new Event('input'));
document.getElementById('apps-table').offsetHeight;
return [performance.now() - t, document.getElementById('filter-count').textContent];
"""
_OPEN = """
const nav = performance.getEntriesByType('navigation')[0];
const mark = performance.getEntriesByName('forcelift:apps-table')[0];
return [nav.domContentLoadedEventEnd, mark ? mark.startTime : null, nav.loadEventEnd];
"""
VISIBLE = (
    "return Array.from(document.querySelectorAll('#apps-table tbody tr'))"
    ".filter(r => !r.hidden)"
    ".map(r => [r.cells[0].dataset.value, r.dataset.decision, r.dataset.wave]);"
)


def measure(driver: Any, page: Path, name: str) -> dict[str, Any]:
    """Open `page`, sort by wave, filter on `name`: timings (ms) and what the page then shows."""
    start = time.perf_counter()
    driver.get(page.as_uri())
    wall = (time.perf_counter() - start) * 1000
    dom, table, load = driver.execute_script(_OPEN)
    sort_ms, sort_state = driver.execute_script(_SORT, "WAVE")
    sorted_rows = driver.execute_script(VISIBLE)
    filter_ms, count = driver.execute_script(_FILTER, name)
    return {
        "open_ms": max(dom, table or 0),
        "dom_content_loaded_ms": dom,
        "table_rendered_ms": table,
        "load_ms": load,
        "wall_ms": wall,
        "sort_ms": sort_ms,
        "sort_state": sort_state,
        "sorted_rows": sorted_rows,
        "filter_ms": filter_ms,
        "filter_count": count,
        "filtered_rows": driver.execute_script(VISIBLE),
        "errors": [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write index.html here and keep it")
    args = parser.parse_args(argv)

    from forcelift.migration.report.html import render_html

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("needs /usr/bin/chromium and /usr/bin/chromedriver (.ci/install-browser.sh)")
        return 2
    base, plan, inventory = sample_context()
    start = time.perf_counter()
    context = large_context(base, args.apps)
    built = time.perf_counter() - start
    start = time.perf_counter()
    html = render_html(context, plan, inventory)
    rendered = time.perf_counter() - start
    work = Path(tempfile.mkdtemp(prefix="forcelift-report-open-"))
    out = (args.keep or work) / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    name = app_name(args.apps // 3)
    try:
        with open_browser(work / "profile") as driver:
            m = measure(driver, out, name.lower())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"applications        {args.apps:,}")
    print(f"context built       {built:.1f} s; HTML rendered {rendered:.1f} s")
    print(f"HTML size           {len(html.encode('utf-8')) / 1e6:.1f} MB")
    print(f"DOMContentLoaded    {m['dom_content_loaded_ms']:.0f} ms")
    print(f"table rendered      {m['table_rendered_ms']:.0f} ms")
    print(f"load event          {m['load_ms']:.0f} ms (driver.get wall {m['wall_ms']:.0f} ms)")
    print(f"sort by wave        {m['sort_ms']:.0f} ms ({m['sort_state']})")
    print(f"filter {name!r:14} {m['filter_ms']:.0f} ms -> {m['filter_count']}")
    print(f"console errors      {len(m['errors'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
