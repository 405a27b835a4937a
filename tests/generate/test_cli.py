"""`forcelift generate` through click: exit codes, reports, and bad plans stopped with paths."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from forcelift.cli.main import cli

from .conftest import PLAN


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["generate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_generate_then_rerun_reports_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "project"
    code, stdout, _ = run(str(PLAN), "-o", str(out))
    assert code == 0, stdout
    assert "created    Pulumi.smallshire-azure-landing-zone.yaml" in stdout
    assert (out / "plan.yaml").read_bytes() == PLAN.read_bytes()
    code, stdout, _ = run(str(PLAN), "-o", str(out), "--format", "json")
    assert code == 0
    report = json.loads(stdout)
    assert {f["status"] for f in report["files"]} == {"unchanged"}
    assert report["project"] == "forcelift-smallshire"
    assert report["stacks"][0] == "smallshire-azure-landing-zone"
    code, stdout, _ = run(str(PLAN), "-o", str(out), "--check")
    assert code == 0, stdout


def test_check_exits_1_when_something_would_change(tmp_path: Path) -> None:
    out = tmp_path / "project"
    assert run(str(PLAN), "-o", str(out))[0] == 0
    (out / "README.md").unlink()
    code, stdout, _ = run(str(PLAN), "-o", str(out), "--check")
    assert code == 1
    assert "created    README.md" in stdout
    assert not (out / "README.md").exists()


def test_user_file_is_refused_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: mine\nruntime: python\n", encoding="utf-8")
    code, _, stderr = run(str(PLAN), "-o", str(tmp_path))
    assert code == 2
    assert "refusing to overwrite a file forcelift did not generate" in stderr
    assert "Traceback" not in stderr
    assert (tmp_path / "Pulumi.yaml").read_text(encoding="utf-8") == "name: mine\nruntime: python\n"
    assert not (tmp_path / "README.md").exists()
    assert run(str(PLAN), "-o", str(tmp_path), "--force")[0] == 0


def test_a_plan_that_no_longer_validates_stops_with_its_path(tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8").replace(
        "estimated_resources:", "estimated_resourcez:", 1
    )
    bad = tmp_path / "plan.yaml"
    bad.write_text(text, encoding="utf-8")
    code, _, stderr = run(str(bad), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "clouds[0].stacks[0]" in stderr
    assert not (tmp_path / "out").exists()


def test_a_stack_name_off_the_contract_stops_before_writing(tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8").replace(
        "- name: smallshire-aws-wave-1-1\n", "- name: ../../outside\n", 1
    )
    bad = tmp_path / "plan.yaml"
    bad.write_text(text, encoding="utf-8")
    code, _, stderr = run(str(bad), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "clouds[1].stacks[1].name" in stderr
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "outside").exists()


def test_missing_plan_and_other_schema_version(tmp_path: Path) -> None:
    code, _, stderr = run(str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"))
    assert code == 2 and "cannot read plan" in stderr
    old = tmp_path / "old.yaml"
    old.write_text(
        PLAN.read_text(encoding="utf-8").replace("schema_version: '1.0'", "schema_version: '0.9'"),
        encoding="utf-8",
    )
    code, _, stderr = run(str(old), "-o", str(tmp_path / "out"))
    assert code == 2 and "schema_version" in stderr


def test_no_ci_leaves_the_pipelines_out_and_reports_old_ones_stale(tmp_path: Path) -> None:
    assert run(str(PLAN), "-o", str(tmp_path))[0] == 0
    code, stdout, _ = run(str(PLAN), "-o", str(tmp_path), "--no-ci", "--format", "json")
    assert code == 0
    status = {f["path"]: f["status"] for f in json.loads(stdout)["files"]}
    assert status[".github/workflows/forcelift-aws.yml"] == "stale"
    assert status["azure-pipelines-azure.yml"] == "stale"
    assert status["README.md"] == "updated"
    assert "## CI pipelines" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "azure-pipelines-azure.yml").exists()
