"""`forcelift plan --collaboration FILE` / `--force-inventory SLUG=PATH` (issue 12): one
regional plan file; `plan show` / `plan diff` read it; mixing in INVENTORY is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.migration.plan.regional import RegionalPlan
from forcelift.migration.plan.regional_io import is_regional, load_plan_document

DATA = Path(__file__).resolve().parents[1] / "plan" / "data" / "collaboration"
COLLAB = str(DATA / "collaboration.yaml")
AS_OF = ["--as-of", "2026-06-01"]


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def regional_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regional") / "plan.yaml"
    result = _run(
        "plan", "--collaboration", COLLAB, *AS_OF, "--cloud", "both", "-q", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "== northshire ==" in result.stdout and "== southshire ==" in result.stdout
    assert "hosts regional-organised-crime" in result.stdout
    assert f"wrote {out}" in result.stdout
    return out


def test_plan_collaboration_writes_one_regional_file(regional_file: Path) -> None:
    assert is_regional(regional_file)
    plan = load_plan_document(regional_file)
    assert isinstance(plan, RegionalPlan)
    assert [p.force.slug for p in plan.forces] == ["northshire", "southshire"]
    assert [c.cloud for c in plan.force("southshire").clouds] == ["azure", "aws"]
    consumed = plan.force("southshire").cloud("azure").sharing.consumed
    assert [c.provider for c in consumed] == ["northshire"]


def test_plan_show_has_a_section_per_force(regional_file: Path) -> None:
    text = _run("plan", "show", str(regional_file))
    assert text.exit_code == 0, text.output
    assert text.stdout.index("== northshire ==") < text.stdout.index("== southshire ==")
    assert "Plan for Northshire Police" in text.stdout
    assert "shared product: Niche RMS" in text.stdout
    data = json.loads(_run("plan", "show", str(regional_file), "--json").stdout)
    assert data["kind"] == "regional"
    assert [f["slug"] for f in data["forces"]] == ["northshire", "southshire"]
    assert data["shared_services"][0]["host"] == "northshire"
    markdown = _run("plan", "show", str(regional_file), "--format", "markdown").stdout
    assert "## northshire" in markdown and "## Sharing between the forces" in markdown


def test_plan_diff_per_force(regional_file: Path, tmp_path: Path) -> None:
    same = _run("plan", "diff", str(regional_file), str(regional_file))
    assert same.exit_code == 0 and "plans are the same" in same.stdout
    other = tmp_path / "one-force.yaml"
    result = _run(
        "plan", "--force-inventory", f"northshire={DATA / 'northshire'}", *AS_OF, "--cloud",
        "both", "-q", "-o", str(other),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    changed = _run("plan", "diff", str(regional_file), str(other), "--json")
    assert changed.exit_code == 1
    lines = json.loads(changed.stdout)
    assert "- force southshire" in lines
    assert "[northshire] - azure hosted regional-organised-crime" in lines


def test_force_inventory_without_a_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = _run(
        "plan",
        "--force-inventory", f"northshire={DATA / 'northshire'}",
        "--force-inventory", f"southshire={DATA / 'southshire' / 'inventory.yaml'}",
        *AS_OF, "-q", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = load_plan_document(out)
    assert isinstance(plan, RegionalPlan)
    assert plan.collaboration.shared_services == ()
    assert "No shared services" not in result.stdout  # the products are still found
    assert "shared product: Niche RMS" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--collaboration", COLLAB, str(DATA / "northshire")], "INVENTORY is not allowed"),
        ([], "give INVENTORY"),
        (
            ["--collaboration", COLLAB, "--force-inventory", f"a1={DATA}"],
            "are alternatives",
        ),
        (["--force-inventory", "northshire"], "give SLUG=PATH"),
        (
            ["--collaboration", COLLAB, "--overrides", COLLAB],
            "--overrides pins one inventory",
        ),
        (["--force-inventory", f"North={DATA / 'northshire'}"], "--force-inventory"),
    ],
    ids=["inventory-and-file", "neither", "both-options", "not-a-pair", "overrides", "bad-slug"],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    out = tmp_path / "never.yaml"
    result = _run("plan", *args, *AS_OF, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_broken_collaboration_file_is_exit_2_with_its_line(tmp_path: Path) -> None:
    text = (DATA / "collaboration.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "collaboration.yaml"
    broken.write_text(
        text.replace("[southshire, National Crime Agency]", "[southshire, Nobody]"),
        encoding="utf-8",
    )
    result = _run("plan", "--collaboration", str(broken), *AS_OF, "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 2
    assert "'Nobody' is neither a force slug nor a partner" in result.stderr
    assert str(broken) in result.stderr


def test_migrate_takes_the_same_options() -> None:
    result = _run("migrate", "--collaboration", COLLAB, str(DATA), "--out", "never")
    assert result.exit_code == 2
    assert "INVENTORY is not allowed" in result.output
    assert not Path("never").exists()
    help_text = _run("migrate", "--help").stdout
    assert "--collaboration FILE" in help_text and "--force-inventory SLUG=PATH" in help_text


def test_migrate_collaboration_one_project_for_both_forces(tmp_path: Path) -> None:
    """The one migrate run of these tests: two tiny forces, Azure, previews and reports."""
    out = tmp_path / "region"
    result = _run(
        "migrate", "--collaboration", COLLAB, *AS_OF, "--cloud", "azure", "--out", str(out),
        "--jobs", "2", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["collaboration"] == "Test Region Collaboration"
    assert [f["force"] for f in summary["forces"]] == ["northshire", "southshire"]
    assert summary["guardrails"]["blocking"] == 0
    stacks = {s["stack"] for s in summary["stacks"]}
    assert "southshire-azure-sharing" in stacks and "northshire-azure-landing-zone" in stacks
    assert is_regional(out / "plan.yaml")
    for slug in ("northshire", "southshire"):
        assert (out / "plans" / f"{slug}.yaml").is_file()
        assert (out / "report" / slug / "index.html").is_file()
    assert (out / "report" / "index.html").is_file()
    sharing = json.loads((out / "preview" / "southshire-azure-sharing.json").read_text())
    types = {r["type"] for r in sharing["resources"]}
    assert "azure-native:network:PrivateEndpoint" in types
