"""`forcelift migrate` end to end: the full output tree, exit codes, and idempotent re-runs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.cli.migrate import STAGES
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.inventory.writer import inventory_to_yaml

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(directory: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(directory)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("estate") / "estate.yaml"
    path.write_text(inventory_to_yaml(synthesise(24, seed=7)), encoding="utf-8")
    return path


def _migrate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["migrate", *args, "--as-of", "2026-11-25", "-q"])
    return result.exit_code, result.output


def test_rerun_changes_no_file(small_estate: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _migrate(str(small_estate), "--cloud", "aws", "--out", str(out), "--json")
    assert code in (0, 1), output
    summary = json.loads(output)
    assert summary["resources"] > 0 and summary["stacks"]
    assert sorted(summary["stage_seconds"]) == sorted(STAGES)
    first = _snapshot(out)
    code_again, output_again = _migrate(
        str(small_estate), "--cloud", "aws", "--out", str(out), "--json"
    )
    assert code_again == code
    assert _snapshot(out) == first, "a re-run with the same input changed files"
    assert json.loads(output_again)["files"] == {
        "unchanged": sum(json.loads(output)["files"].values())
    }


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "servers.csv"
    bad.write_text("name,cores,memory_mib\nweb01,lots,4096\n")
    out = tmp_path / "out"
    # an unreadable CPU count is a warning (the server is read unsized); --strict refuses it
    code, output = _migrate(str(bad), "--strict", "--out", str(out))
    assert code == 2
    assert "servers.csv, row 2" in output and "Traceback" not in output
    assert not out.exists()


def test_sample_azure_full_tree_with_no_blocking_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "exampleshire"
    code, output = _migrate(
        "inventories/exampleshire", "--cloud", "azure", "--out", str(out), "--json"
    )
    assert code == 0, output
    summary = json.loads(output)
    assert summary["guardrails"]["blocking"] == 0
    stacks = [s["stack"] for s in summary["stacks"]]
    assert (
        stacks[0] == "exampleshire-azure-landing-zone"
        or "exampleshire-azure-landing-zone" in stacks
    )
    for name in (
        "plan.yaml",
        "Pulumi.yaml",
        "README.md",
        "report/index.html",
        "report/summary.md",
        "report/decisions.csv",
        "report/decisions.xlsx",
        ".github/workflows/forcelift-azure.yml",
        "azure-pipelines-azure.yml",
    ):
        assert (out / name).is_file(), name
    for stack in stacks:
        assert (out / f"Pulumi.{stack}.yaml").is_file()
        assert (out / "preview" / f"{stack}.json").is_file()
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    plan_apps = [
        line.split(": ", 1)[1]
        for line in (out / "plan.yaml").read_text().splitlines()
        if line.startswith("- application: ")
    ]
    assert plan_apps and all(app.strip("'\"") in html or app in html for app in plan_apps)
