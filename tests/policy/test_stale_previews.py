"""`policy check` and `deploy` refuse a half-finished or out-of-date run: a stack whose preview
is missing, has no record of its inputs, or was computed from another plan or config."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.inventory.writer import inventory_to_yaml

FORCELIFT = (sys.executable, "-c", "from forcelift.cli.main import main; main()")
QUIET = ("-q", "--as-of", "2026-11-25")


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("stale")
    estate = base / "estate.yaml"
    estate.write_text(inventory_to_yaml(synthesise(40, seed=5)), encoding="utf-8")
    out = base / "out"
    done = subprocess.run(
        [*FORCELIFT, "migrate", str(estate), "--cloud", "aws", "--out", str(out), *QUIET],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    return out


@pytest.fixture
def project(previewed: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(previewed, target)
    return target


def _stacks(project: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project.glob("Pulumi.*.yaml"))


def _check(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["policy", "check", str(project), *QUIET[1:], *args])


def test_complete_run_is_checked(project: Path) -> None:
    result = _check(project)
    assert result.exit_code in (0, 1), result.output
    assert f"in {len(_stacks(project))} stack(s)" in result.output


def test_missing_preview_is_an_error_naming_the_stack(project: Path) -> None:
    stacks = _stacks(project)
    assert len(stacks) >= 3
    gone = stacks[-1]
    (project / "preview" / f"{gone}.json").unlink()  # an interrupted migrate: 3 of 4 previewed
    result = _check(project)
    assert result.exit_code == 2, result.output
    assert f"the offline preview of {gone} is not current: not previewed" in result.output
    assert "No guardrail findings" not in result.output
    narrowed = _check(project, "--stack", stacks[0])
    assert narrowed.exit_code in (0, 1), narrowed.output


def test_preview_without_its_stamp_is_incomplete(project: Path) -> None:
    name = _stacks(project)[0]
    (project / "preview" / f"{name}.stamp").unlink()
    result = _check(project)
    assert result.exit_code == 2
    assert f"{name} is not current: preview incomplete" in result.output


def test_changed_plan_makes_every_preview_stale(project: Path) -> None:
    from forcelift.migration.plan.planio import load_plan, plan_to_yaml

    plan = project / "plan.yaml"
    before = load_plan(plan)
    renamed = before.force.model_copy(update={"name": before.force.name + " (renamed)"})
    plan.write_text(plan_to_yaml(before.model_copy(update={"force": renamed})), encoding="utf-8")
    result = _check(project)
    assert result.exit_code == 2
    for name in _stacks(project):  # the force's name is in every stack's slice (its tags)
        assert f"{name} is not current: its part of the plan changed" in result.output


def test_a_plan_edit_no_stack_reads_keeps_the_previews_current(project: Path) -> None:
    plan = project / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# a comment after the preview\n")
    assert _check(project).exit_code == 0


def test_changed_stack_config_makes_that_preview_stale(project: Path) -> None:
    stacks = _stacks(project)
    config = project / f"Pulumi.{stacks[1]}.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# touched\n")
    result = _check(project)
    assert result.exit_code == 2
    assert f"Pulumi.{stacks[1]}.yaml changed since its preview" in result.output
    assert f"{stacks[0]} is not current" not in result.output


def test_deploy_refuses_a_stale_preview(project: Path) -> None:
    name = _stacks(project)[-1]
    config = project / f"Pulumi.{name}.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# touched\n")
    result = CliRunner().invoke(cli, ["deploy", str(project), "--stack", name, "--up"])
    assert result.exit_code == 2, result.output
    assert f"the offline preview of {name} is not current" in result.output
    assert "Guardrails passed" not in result.output
