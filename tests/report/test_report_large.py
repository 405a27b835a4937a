"""The report of a 100,000-application estate: small enough, and fast in a real browser.

The large context is the sample's, scaled up synthetically (benchmarks/report_open.py), so no
pipeline runs. Above `INLINE_ROWS` applications the page carries the first page of rows as HTML
and every row in one JSON block; report.js pages, sorts and filters it. The browser test is
skipped only when /usr/bin/chromium is missing (.ci/install-browser.sh installs it).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from forcelift.migration.inventory.model import Inventory
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.report.table_data import INLINE_ROWS, LIST_ROWS, PAGE_ROWS

ROOT = Path(__file__).resolve().parents[2]
APPS = 100_000
needs_chromium = pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()),
    reason="Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, "
    "/usr/bin/chromedriver); run .ci/install-browser.sh",
)


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_open", ROOT / "benchmarks/report_open.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def base(project: Path, inventory: Inventory) -> Any:
    from forcelift.migration.report.context import build_context
    from forcelift.migration.report.inputs import ReportInputs, read_inputs

    inputs = read_inputs(project)
    assert isinstance(inputs, ReportInputs)  # one force's project, not a regional one
    return build_context(replace(inputs, inventory=inventory))


@pytest.fixture(scope="module")
def large(bench: ModuleType, base: Any) -> Any:
    return bench.large_context(base, APPS)


@pytest.fixture(scope="module")
def page(large: Any, plan: Plan, inventory: Inventory) -> str:
    from forcelift.migration.report.html import render_html

    return render_html(large, plan, inventory)


def _data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="apps-data">(.*?)</script>', html, re.S)
    assert found, "no applications data block"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _body_rows(html: str) -> list[str]:
    table = html[
        html.index('id="apps-table"') : html.index("</table>", html.index('id="apps-table"'))
    ]
    return re.findall(r'<td data-value="([^"]*)"><strong>', table)


def test_the_sample_keeps_every_row_as_html_and_no_data_block(base: Any) -> None:
    table = base.apps_table
    assert table.inline and table.data == "" and table.more == 0
    assert [a.name for a in table.first] == [a.name for a in base.apps]
    assert 0 < len(base.apps) <= INLINE_ROWS


def test_just_above_the_threshold_the_first_page_is_html_and_every_row_is_data(
    bench: ModuleType, base: Any, plan: Plan
) -> None:
    from forcelift.migration.report.html import render_html

    context = bench.large_context(base, INLINE_ROWS + 1)
    html = render_html(context, plan)
    names = [a.name for a in context.apps]
    assert _body_rows(html) == names[:PAGE_ROWS]
    data = _data(html)
    strings = data["strings"]
    assert [r[0] for r in data["rows"]] == names
    first = context.apps[0]
    row = dict(zip(data["fields"], data["rows"][0], strict=True))
    assert row["decision"] == first.decision and row["wave"] == first.wave
    assert [strings[i] for i in row["reasons"]] == list(first.reasons)
    assert strings[row["owner"]] == first.owner
    assert f"The first {PAGE_ROWS} of {INLINE_ROWS + 1} applications" in html


def test_a_100k_report_is_bounded(page: str, large: Any) -> None:
    size = len(page.encode("utf-8"))
    assert size < 10_000_000, size  # it was ~23 MB with every row as HTML
    assert len(_body_rows(page)) == PAGE_ROWS
    assert len(_data(page)["rows"]) == APPS
    # the data block cannot close its <script> early, whatever the names hold
    block = page[
        page.index('id="apps-data">') : page.index("</script>", page.index('id="apps-data">'))
    ]
    assert "<" not in block[len('id="apps-data">') :]
    # long lists stop at LIST_ROWS with a line that says how many more and where they are
    more = len(large.excluded) - LIST_ROWS
    assert f"{more:,} more in decisions.csv and decisions.xlsx" in page
    assert f"{len(large.unsized) - LIST_ROWS:,} more in plan.yaml" in page
    assert f"{len(large.stacks) - LIST_ROWS:,} more stacks" in page
    assert "too many for a column each" in page
    assert page.count("<tr") < 12 * LIST_ROWS + 2_000


@needs_chromium
def test_a_100k_report_opens_sorts_and_filters_fast(
    bench: ModuleType, page: str, large: Any, tmp_path: Path
) -> None:
    out = tmp_path / "index.html"
    out.write_text(page, encoding="utf-8")
    target = large.apps[APPS // 3]
    with bench.open_browser(tmp_path / "profile") as driver:
        m = bench.measure(driver, out, target.name.lower())
        assert not m["errors"], m["errors"]
        assert m["table_rendered_ms"] is not None
        assert m["open_ms"] < 5_000, m
        assert m["sort_ms"] < 1_000, m
        assert m["filter_ms"] < 1_000, m
        # sorted by wave: the first page is the first wave's applications, in name order
        assert m["sort_state"] == "ascending"
        first_wave = [a.name for a in large.apps if a.wave == 1][:PAGE_ROWS]
        assert [r[0] for r in m["sorted_rows"]] == first_wave
        # the filter on one application's name finds exactly it
        wave = str(target.wave) if target.wave is not None else "none"
        assert m["filtered_rows"] == [[target.name, target.decision, wave]]
        assert m["filter_count"] == f"1 of {APPS} applications"
        status = driver.execute_script("return document.getElementById('apps-page').textContent")
        assert status == "Page 1 of 1 · rows 1–1"

        # clear the filter, then page with the buttons
        driver.execute_script(
            "const b = document.getElementById('filter-text'); b.value = '';"
            "b.dispatchEvent(new Event('input'));"
        )
        count = driver.execute_script("return document.getElementById('filter-count').textContent")
        assert count == f"All {APPS} applications"
        driver.execute_script("document.querySelector('#apps-pager [data-page=next]').click()")
        rows = driver.execute_script(bench.VISIBLE)
        waves = [a.name for a in large.apps if a.wave == 1]
        assert [r[0] for r in rows] == waves[PAGE_ROWS : 2 * PAGE_ROWS]
        driver.execute_script("document.querySelector('#apps-pager [data-page=last]').click()")
        status = driver.execute_script("return document.getElementById('apps-page').textContent")
        pages = -(-APPS // PAGE_ROWS)
        assert status.startswith(f"Page {pages:,} of {pages:,}")
        disabled = driver.execute_script(
            "return Array.from(document.querySelectorAll('#apps-pager button'))"
            ".map(b => [b.dataset.page, b.disabled]);"
        )
        assert disabled == [["first", False], ["prev", False], ["next", True], ["last", True]]
        # decision filter over all 100k rows: the count is every application with it
        driver.execute_script(
            "const s = document.getElementById('filter-decision'); s.value = 'RETIRE';"
            "s.dispatchEvent(new Event('change'));"
        )
        count = driver.execute_script("return document.getElementById('filter-count').textContent")
        retired = sum(1 for a in large.apps if a.decision == "RETIRE")
        assert count == f"{retired} of {APPS} applications"
