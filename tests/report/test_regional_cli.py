"""`forcelift report DIR` on a regional project (two tiny forces): one report per force over
its own stacks and the collaboration overview, the same bytes `forcelift migrate` wrote."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli

DATA = Path(__file__).resolve().parents[1] / "plan" / "data" / "collaboration"
FORCES = ("northshire", "southshire")
FILES = ("index.html", "summary.md", "decisions.csv", "decisions.xlsx")


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    """From the collaboration's folder, the member plans' sources exist (as migrate read them)."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrate run: plan, project, offline previews and the reports migrate writes."""
    out = tmp_path_factory.mktemp("region") / "project"
    result = _run(
        "migrate", "--collaboration", str(DATA / "collaboration.yaml"), "--as-of", "2026-06-01",
        "--cloud", "azure", "--out", str(out), "--jobs", "2", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def reported(migrated: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The same project without its report, reported again by `forcelift report DIR`."""
    again = tmp_path_factory.mktemp("again") / "project"
    shutil.copytree(migrated, again, ignore=shutil.ignore_patterns("report"))
    with _cwd(DATA):
        result = _run("report", str(again), "--format", "json")
    assert result.exit_code == 0, result.output
    return again, result


def test_report_writes_one_report_per_force_and_the_overview(
    reported: tuple[Path, Result],
) -> None:
    project, result = reported
    data = json.loads(result.stdout)
    assert data["collaboration"] == "Test Region Collaboration"
    assert sorted(data["forces"]) == list(FORCES)
    for slug in FORCES:
        for name in FILES:
            assert (project / "report" / slug / name).is_file(), (slug, name)
        own = data["forces"][slug]
        # each force's report is over its own stacks only
        assert own["previewed_stacks"] and all(
            s.startswith(f"{slug}-") for s in own["previewed_stacks"]
        )
        assert own["dependencies_from"] == "inventory"
    assert "southshire-azure-sharing" in data["forces"]["southshire"]["previewed_stacks"]
    assert data["files"][-1] == str(project / "report" / "index.html")
    overview = (project / "report" / "index.html").read_text(encoding="utf-8")
    assert 'href="northshire/index.html"' in overview and 'href="southshire/index.html"' in overview
    assert "Regional Organised Crime Unit intelligence" in overview


def test_report_matches_what_migrate_wrote(migrated: Path, reported: tuple[Path, Result]) -> None:
    project, _ = reported
    assert (project / "report" / "index.html").read_bytes() == (
        migrated / "report" / "index.html"
    ).read_bytes()
    for slug in FORCES:
        for name in FILES:
            got = (project / "report" / slug / name).read_bytes()
            assert got == (migrated / "report" / slug / name).read_bytes(), (slug, name)


def test_a_force_report_has_its_sharing_section(reported: tuple[Path, Result]) -> None:
    project, _ = reported
    page = (project / "report" / "southshire" / "index.html").read_text(encoding="utf-8")
    assert '<section id="sharing">' in page and 'href="#sharing"' in page
    assert (
        "northshire-azure" not in page.split('<section id="resources">')[1].split("</section>")[0]
    )


def test_regional_inventory_pairs(reported: tuple[Path, Result], tmp_path: Path) -> None:
    project, _ = reported
    bare = _run("report", str(project), "-o", str(tmp_path / "r"), "--inventory", str(DATA))
    assert bare.exit_code == 2 and "SLUG=PATH" in bare.output
    paired = _run(
        "report", str(project), "-o", str(tmp_path / "r"), "--format", "json",
        "--inventory", f"northshire={DATA / 'northshire'}",
    )  # fmt: skip
    assert paired.exit_code == 0, paired.output
    forces = json.loads(paired.stdout)["forces"]
    # from this folder only the paired force's inventory is found
    assert forces["northshire"]["dependencies_from"] == "inventory"
    assert forces["southshire"]["dependencies_from"] == "plan"
    skipped = _run("report", str(project), "-o", str(tmp_path / "n"), "--no-inventory")
    assert skipped.exit_code == 0, skipped.output
    assert "for northshire, southshire" in skipped.stdout


def test_read_inputs_on_a_regional_project(migrated: Path) -> None:
    from forcelift.migration.policy.check import blocking
    from forcelift.migration.report.inputs import RegionalInputs, read_inputs

    inputs = read_inputs(migrated)
    assert isinstance(inputs, RegionalInputs)
    assert [p.force.slug for p in inputs.plan.forces] == list(FORCES)
    north = inputs.per_force["northshire"]
    assert set(north.previews) == {s.name for c in north.plan.clouds for s in c.stacks}
    assert not any(blocking(own.findings) for own in inputs.per_force.values())
