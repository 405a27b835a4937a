"""The report in a real browser: headless Chromium (Debian's package) driven by Selenium.

Takes the screenshots used in the docs (FORCELIFT_REGENERATE_GOLDEN=1 copies them to
docs/images/), and checks what only a browser can: no console errors, every section shown,
sorting and filtering work, nothing overflows the page, the print stylesheet hides controls.
Skipped only when /usr/bin/chromium is missing (.ci/install-browser.sh installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.plan.planfile import Plan

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1280,1600",
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, "
    "/usr/bin/chromedriver); run .ci/install-browser.sh",
)


@pytest.fixture(scope="module")
def browser(report_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        driver.get((report_dir / "index.html").as_uri())
        yield driver
    finally:
        driver.quit()


def _visible_rows(driver: Any) -> list[list[str]]:
    """(name, decision, wave) of every row the filter leaves visible, in table order."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#apps-table tbody tr'))"
        ".filter(r => !r.hidden)"
        ".map(r => [r.cells[0].dataset.value, r.dataset.decision, r.dataset.wave]);"
    )


def test_screenshot_and_no_console_errors(browser: Any, tmp_path: Path) -> None:
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors
    top = tmp_path / "report.png"
    assert browser.save_screenshot(str(top))
    graph = tmp_path / "report-dependencies.png"
    from selenium.webdriver.common.by import By

    assert browser.find_element(By.ID, "dependencies").screenshot(str(graph))
    assert top.stat().st_size > 50_000 and graph.stat().st_size > 50_000
    if os.environ.get("FORCELIFT_REGENERATE_GOLDEN") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(top, DOCS_IMAGES / "report.png")
        shutil.copyfile(graph, DOCS_IMAGES / "report-dependencies.png")


def test_every_section_is_shown(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    from forcelift.migration.report.html import section_ids

    for section in section_ids():
        element = browser.find_element(By.ID, section)
        assert element.is_displayed(), section
        assert element.find_element(By.TAG_NAME, "h2").text, section
        link = browser.find_element(By.CSS_SELECTOR, f'nav.toc a[href="#{section}"]')
        assert link.is_displayed()
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart, svg.depgraph")
    # five charts (a cash-flow chart and a wave timeline among them) and the dependency graph
    assert len(charts) == 6 and all(
        c.size["width"] > 600 and c.size["height"] > 100 for c in charts
    )


def test_nothing_overflows_the_page(browser: Any) -> None:
    overflow = browser.execute_script(
        "const page = document.querySelector('.page');"
        "const wide = Array.from(document.querySelectorAll('main table'))"
        "  .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
        "  .map(t => t.id || t.className || t.parentElement.id);"
        "return [document.documentElement.scrollWidth - document.documentElement.clientWidth,"
        "        page.scrollWidth - page.clientWidth, wide];"
    )
    assert overflow == [0, 0, []]


def test_sorting_by_a_column_header(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    before = _visible_rows(browser)
    assert [r[0].casefold() for r in before] == sorted(r[0].casefold() for r in before)
    headers = browser.find_elements(By.CSS_SELECTOR, "#apps-table thead th")
    wave = next(h for h in headers if h.text.strip().startswith("WAVE"))
    wave.click()
    assert wave.get_attribute("aria-sort") == "ascending"
    ascending = _visible_rows(browser)
    assert ascending != before and sorted(ascending) == sorted(before)
    key = [int(r[2]) if r[2] != "none" else 10**6 for r in ascending]
    assert key == sorted(key)
    wave.click()
    assert wave.get_attribute("aria-sort") == "descending"
    key = [int(r[2]) if r[2] != "none" else 10**6 for r in _visible_rows(browser)]
    assert key == sorted(key, reverse=True)
    name = next(h for h in headers if h.text.strip().startswith("APPLICATION"))
    name.click()
    assert _visible_rows(browser) == before


def test_filtering_by_text_decision_wave_and_blockers(browser: Any, plan: Plan) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    search = browser.find_element(By.ID, "filter-text")
    count = browser.find_element(By.ID, "filter-count")
    search.send_keys("niche rms")
    texts = browser.execute_script(
        "return Array.from(document.querySelectorAll('#apps-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.textContent.toLowerCase());"
    )
    rows = _visible_rows(browser)
    assert "Niche RMS" in [r[0] for r in rows]
    assert all("niche" in t and "rms" in t for t in texts)
    assert len(rows) < len(plan.workloads)
    assert count.text == f"{len(rows)} of {len(plan.workloads)} applications"
    search.clear()  # clearing sends no input event; the page listens for one
    browser.execute_script(
        "document.getElementById('filter-text').dispatchEvent(new Event('input'))"
    )
    assert len(_visible_rows(browser)) == len(plan.workloads)

    Select(browser.find_element(By.ID, "filter-decision")).select_by_value("RETIRE")
    retired = sorted(w.application for w in plan.workloads if w.decision == "RETIRE")
    assert sorted(r[0] for r in _visible_rows(browser)) == retired
    Select(browser.find_element(By.ID, "filter-decision")).select_by_value("")

    Select(browser.find_element(By.ID, "filter-wave")).select_by_value("1")
    wave_one = sorted(w.application for w in plan.workloads if w.wave == 1)
    assert sorted(r[0] for r in _visible_rows(browser)) == wave_one
    Select(browser.find_element(By.ID, "filter-wave")).select_by_value("")

    browser.find_element(By.ID, "filter-blockers").click()
    blocked = sorted(w.application for w in plan.workloads if w.blockers)
    assert sorted(r[0] for r in _visible_rows(browser)) == blocked
    browser.find_element(By.ID, "filter-blockers").click()
    assert count.text == f"All {len(plan.workloads)} applications"


def test_print_stylesheet_hides_the_controls(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, "nav.toc").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, ".controls").is_displayed()
        assert browser.find_element(By.ID, "apps-table").is_displayed()
        pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
        assert len(pdf["data"]) > 100_000
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
