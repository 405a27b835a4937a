"""The three-force sample (inventories/northern-region): golden regional plan and golden preview
graphs of what sharing adds (each force's sharing stack and the wave stacks that host shared
services), for both clouds. Regenerate with FORCELIFT_REGENERATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.plan.regional_io import load_plan_document

ROOT = Path(__file__).resolve().parents[2]
COLLABORATION = ROOT / "inventories" / "northern-region" / "collaboration.yaml"
GOLDEN = ROOT / "tests" / "golden" / "regional"
REGENERATE = os.environ.get("FORCELIFT_REGENERATE_GOLDEN") == "1"


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("region")
    plan = work / "plan.yaml"
    _run(
        "plan",
        "--collaboration",
        str(COLLABORATION),
        "--cloud",
        "both",
        "--as-of",
        "2026-11-25",
        "-o",
        str(plan),
    )
    _run("generate", str(plan), "-o", str(work / "project"))
    # Sharing stacks pull in what they read: their landing zones, spokes and the hosts' waves.
    _run("preview", str(work / "project"), "--layer", "sharing")
    for name in _sharing_stacks(work):  # a host whose force consumes nothing on that cloud
        if not (work / "project" / "preview" / f"{name}.json").is_file():
            _run("preview", str(work / "project"), "--stack", name)
    return work


def _sharing_stacks(project: Path) -> list[str]:
    regional = load_plan_document(project / "plan.yaml")
    names: set[str] = set()
    for plan in getattr(regional, "forces", ()):
        for cloud in plan.clouds:
            names.update(s.name for s in cloud.stacks if s.layer == "sharing")
            names.update(h.stack for h in cloud.sharing.hosted)
    return sorted(names)


def test_golden_regional_plan(project: Path) -> None:
    golden = GOLDEN / "plan.yaml"
    if REGENERATE:
        golden.write_bytes((project / "plan.yaml").read_bytes())
    assert (project / "plan.yaml").read_bytes() == golden.read_bytes(), "review and regenerate"


def test_golden_sharing_graphs(project: Path) -> None:
    stacks = _sharing_stacks(project)
    assert any(s.endswith("-sharing") for s in stacks) and any("-wave-" in s for s in stacks)
    folder = GOLDEN / "preview"
    if REGENERATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        for name in stacks:
            (folder / f"{name}.json").write_bytes(
                (project / "project" / "preview" / f"{name}.json").read_bytes()
            )
    assert sorted(p.stem for p in folder.glob("*.json")) == stacks
    for name in stacks:
        got = (project / "project" / "preview" / f"{name}.json").read_bytes()
        assert got == (folder / f"{name}.json").read_bytes(), f"{name} differs from its golden"


def test_no_guardrail_findings_over_the_region(project: Path) -> None:
    result = CliRunner().invoke(cli, ["policy", "check", str(project / "project")])
    # Only the previewed stacks are checked when others have no preview: the run must pass.
    assert "FL-SHR" not in result.output and "FL-TLS" not in result.output, result.output
