"""The report files: goldens, every application named, determinism, offline HTML, CLI."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.migration.plan.planfile import Plan

FILES = ("index.html", "summary.md", "decisions.csv", "decisions.xlsx")


def test_markdown_matches_golden(report_dir: Path, golden: Callable[[str, bytes], None]) -> None:
    golden("summary.md", (report_dir / "summary.md").read_bytes())


def test_csv_matches_golden(report_dir: Path, golden: Callable[[str, bytes], None]) -> None:
    golden("decisions.csv", (report_dir / "decisions.csv").read_bytes())


def test_report_names_every_application(report_dir: Path, plan: Plan) -> None:
    import html

    page = html.unescape((report_dir / "index.html").read_text(encoding="utf-8"))
    table = page[page.index('id="apps-table"') :]
    missing = [
        w.application for w in plan.workloads if f"<strong>{w.application}</strong>" not in table
    ]
    assert not missing
    assert len(plan.workloads) == 72
    rows = list(csv.DictReader(io.StringIO((report_dir / "decisions.csv").read_text("utf-8-sig"))))
    assert sorted(r["Application"] for r in rows) == sorted(w.application for w in plan.workloads)


def test_csv_is_excel_friendly_and_complete(report_dir: Path, plan: Plan) -> None:
    data = (report_dir / "decisions.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    by_name = {r["Application"]: r for r in rows}
    for w in plan.workloads:
        row = by_name[w.application]
        assert row["Decision"] == w.decision
        assert row["Wave"] == ("" if w.wave is None else str(w.wave))
        assert row["Reasons"].split("\n") == list(w.reasons)
    placed = {w.application: w for w in plan.clouds[0].workloads}
    for name, cw in placed.items():
        assert float(by_name[name]["Azure monthly pay-as-you-go (GBP)"]) == pytest.approx(
            cw.monthly_cost.payg
        )


def test_xlsx_has_one_row_per_application(report_dir: Path, plan: Plan) -> None:
    from openpyxl import load_workbook

    book = load_workbook(report_dir / "decisions.xlsx", read_only=True)
    # the sample shares (partner flows) and plans staff access, so both sheets are there
    assert book.sheetnames == ["Decisions", "Sharing flows", "Staff access", "About"]
    rows = list(book["Decisions"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("Application", "Decision", "Strategy")
    assert len(body) == len(plan.workloads)
    col = header.index("Azure monthly 3-year (GBP)")
    assert all(isinstance(r[col], int | float) for r in body if r[1] in ("PAAS", "IAAS"))
    assert book.properties.title == "Exampleshire Police: migration decisions"


def test_markdown_lists_the_blocking_finding_and_counts(report_dir: Path) -> None:
    text = (report_dir / "summary.md").read_text(encoding="utf-8")
    assert re.search(r"^\| SaaS \| \d+ \| \d+ \|$", text, re.M)
    assert ":x: **1 blocking finding**" in text
    assert "FL-ENC-001" in text and "vm-EXS-SWI-POL02" in text
    assert "FL-TAG-001" not in text  # waived, so not blocking
    assert "Not previewed: exampleshire-azure-wave-3, exampleshire-azure-wave-4" in text


def test_html_is_self_contained(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|iframe)[^>]+src=", page)
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    # the only addresses are XML namespace names, which are never fetched
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "duplicate element ids between inline SVGs"
    # five charts (one cash-flow per cloud), the dependency graph and the sharing picture
    assert page.count("<svg") == 7
    sharing = page[page.index('<section id="sharing">') :]
    assert sharing.count("<svg") == 1 and '<svg class="sharing"' in sharing


def test_html_sections_and_content(report_dir: Path) -> None:
    from forcelift.migration.report.html import section_ids

    page = (report_dir / "index.html").read_text(encoding="utf-8")
    for section in section_ids():
        assert f'<section id="{section}">' in page
    # the contents list numbers every section once, the sharing section last (11)
    nav = page[page.index('<nav class="toc') : page.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', nav) == list(section_ids())
    assert '<a href="#sharing"><span class="n">11</span>' in nav
    assert '<h2><span class="n">11</span>Sharing and staff access</h2>' in page
    assert "Edges are the inventory's recorded dependencies" in page
    assert "exampleshire-azure-wave-3" in page and "not previewed" in page
    assert "@media print" in page
    # NCSC: 14 principles, statuses follow the findings
    matrix = page[page.index('<section id="ncsc">') : page.index('<section id="resources">')]
    assert matrix.count("<tr><td><strong>") == 14
    assert re.search(r"2\.</strong> Asset protection.*?status findings", matrix, re.S)
    assert re.search(r"4\.</strong> Governance framework.*?status waived", matrix, re.S)
    assert re.search(r"6\.</strong> Personnel security.*?status force", matrix, re.S)


def test_sharing_section_only_when_the_plan_has_it(plan: Plan) -> None:
    from forcelift.migration.plan.sharing_plan import CloudSharing
    from forcelift.migration.report.context import build_context
    from forcelift.migration.report.html import SECTIONS, render_html, section_ids, sections_for
    from forcelift.migration.report.inputs import ReportInputs

    assert section_ids()[-1] == "sharing" and len(SECTIONS) == 11
    shares = build_context(ReportInputs(plan))
    assert [s for s, _ in sections_for(shares)] == list(section_ids())
    alone = plan.model_copy(
        update={
            "sharing": None,
            "clouds": tuple(c.model_copy(update={"sharing": CloudSharing()}) for c in plan.clouds),
        }
    )
    context = build_context(ReportInputs(alone))
    assert context.sharing is None
    assert list(section_ids(context)) == list(section_ids())[:-1]
    page = render_html(context, alone)
    assert 'id="sharing"' not in page and 'href="#sharing"' not in page
    assert '<a href="#resources"><span class="n">10</span>' in page


def test_cli_rerun_in_a_fresh_process_changes_no_byte(
    report_dir: Path, plan: Plan, tmp_path: Path, make_project: Callable[..., Path]
) -> None:
    """`forcelift report DIR` in another process (other hash seed) writes DIR/report/ with
    the same four files, byte for byte."""
    project = make_project(tmp_path / "again", plan)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from forcelift.cli.main import main; main()",
            "report",
            str(project),
            "--inventory",
            str(Path(__file__).resolve().parents[2] / "inventories" / "exampleshire"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {project / 'report' / 'index.html'}" in result.stdout
    for name in FILES:
        assert (project / "report" / name).read_bytes() == (report_dir / name).read_bytes(), name


def test_without_previews_the_report_says_not_previewed(
    tmp_path: Path, plan: Plan, make_project: Callable[..., Path]
) -> None:
    from forcelift.migration.report.context import build_context
    from forcelift.migration.report.inputs import read_inputs
    from forcelift.migration.report.markdown import render_markdown

    project = make_project(tmp_path / "bare", plan, previews=False)
    context = build_context(read_inputs(project))
    assert context.guardrails.state == "not previewed"
    assert {p.status for p in context.ncsc} == {"not previewed", "by design", "force"}
    assert all(not s.previewed for s in context.stacks)
    assert ":warning: **Not previewed**" in render_markdown(context)


def test_cli_refuses_a_dir_without_plan(tmp_path: Path) -> None:
    from forcelift.cli.main import cli

    result = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "no plan.yaml" in result.output and "forcelift migrate" in result.output


def test_a_broken_preview_is_an_input_error_with_its_file(tmp_path: Path) -> None:
    from forcelift.migration.errors import InputError
    from forcelift.migration.report.inputs import read_previews

    (tmp_path / "preview").mkdir()
    (tmp_path / "preview" / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_previews(tmp_path)
    problem = caught.value.problems[0]
    assert "cannot read preview" in problem.message
    assert problem.location.file and problem.location.file.endswith("x.json")
    (tmp_path / "preview" / "x.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="not a forcelift preview"):
        read_previews(tmp_path)


def test_previews_may_hold_several_stacks(tmp_path: Path) -> None:
    from forcelift.migration.report.inputs import read_previews

    (tmp_path / "preview").mkdir()
    (tmp_path / "preview" / "all.json").write_text(
        '{"stacks": [{"stack": "a", "resources": []}, {"stack": "b", "resources": []}]}',
        encoding="utf-8",
    )
    assert sorted(read_previews(tmp_path)) == ["a", "b"]
    assert read_previews(tmp_path / "nowhere") == {}


def test_streamed_guardrails_give_the_findings_and_rows_of_the_whole_previews(
    project: Path, plan: Plan
) -> None:
    """checked_previews reads one preview at a time and keeps a digest of each: the same
    findings in the same order, and the same stack rows, as from every preview held whole."""
    from forcelift.migration.report.guardrail_rows import finding_rows, stack_rows
    from forcelift.migration.report.inputs import (
        checked_previews,
        guardrail_findings,
        read_previews,
    )

    whole = read_previews(project)
    digests, streamed = checked_previews(plan, project)
    expected = guardrail_findings(plan, whole)
    assert streamed == expected and expected
    assert sorted(digests) == sorted(whole)
    assert all("resources" not in d for d in digests.values())
    rows = finding_rows(expected)
    assert stack_rows(plan, digests, rows) == stack_rows(plan, whole, rows)
    assert any(r.components and r.protected for r in stack_rows(plan, digests, rows))


def test_guardrails_reparse_only_the_preview_files_that_changed(
    tmp_path: Path, plan: Plan, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second check of the same previews parses none of them and gives the same findings
    and digests; editing one preview re-checks that file only, and its new finding shows."""
    import json

    from forcelift.migration.report import inputs

    project = make_project(tmp_path / "p", plan)
    first = inputs.checked_previews(plan, project)
    parsed: list[str] = []
    real = inputs._file_items

    def counting(file: Path, raw: bytes) -> list[tuple[str, dict[str, object]]]:
        parsed.append(file.name)
        return real(file, raw)

    monkeypatch.setattr(inputs, "_file_items", counting)
    assert inputs.checked_previews(plan, project) == first
    assert parsed == []

    target = sorted((project / "preview").glob("*.json"))[0]
    data = json.loads(target.read_text(encoding="utf-8"))
    victim = next(r for r in data["resources"] if r.get("custom", True) and "tags" in r["inputs"])
    victim["inputs"]["tags"] = {}  # untagged: the tagging guardrail must now fire
    target.write_text(json.dumps(data), encoding="utf-8")
    digests, findings = inputs.checked_previews(plan, project)
    assert parsed == [target.name]
    assert digests == first[0]
    new = [f for f in findings if f not in first[1]]
    assert new and all(f.urn == victim["urn"] for f in new)


def test_cached_guardrails_apply_waivers_on_the_day_they_are_read(
    tmp_path: Path, plan: Plan, make_project: Callable[..., Path]
) -> None:
    """The cache holds findings before waivers: a waiver that has expired by the day asked
    about no longer waives a cached finding, and a corrupt cache entry is only a miss."""
    import datetime as dt

    from forcelift.migration.policy.findings_cache import CACHE_DIR
    from forcelift.migration.report.inputs import checked_previews

    project = make_project(tmp_path / "p", plan)
    _, before = checked_previews(plan, project)
    assert any(f.waived for f in before)
    _, after = checked_previews(plan, project, as_of=dt.date(2027, 4, 1))
    assert not any(f.waived for f in after)
    assert [f.urn for f in after] == [f.urn for f in before]
    for entry in (project / "preview" / CACHE_DIR).iterdir():
        entry.write_text("{not json", encoding="utf-8")
    assert checked_previews(plan, project) == checked_previews(plan, project)
    assert checked_previews(plan, project)[1] == before
