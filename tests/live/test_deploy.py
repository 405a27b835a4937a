"""`forcelift deploy`: guardrails first, a clear stop without the CLI, and the Automation API
call path up to the CLI boundary (a recording stub stands in for `pulumi`; nothing deploys)."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.stacks.deploy import DeployFailed, StepCounter, enforce_guardrails

DATA = Path(__file__).parent / "data"
GOOD = "exampleshire-aws-wave-1"  # one medium finding, nothing blocking
BAD = "exampleshire-aws-wave-2"  # an instance with a public IP (FL-NET-002, high)
WAIVED = "exampleshire-aws-wave-3"  # the same, waived in plan.yaml until 2099


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(DATA / "project", target)
    _whole_plan(target / "plan.yaml")
    _stamp_current(target)
    return target


def _whole_plan(path: Path) -> None:
    """The sample's AWS plan with the fixture's waivers: a preview's content key is computed
    from the stack's slice of a whole plan (the fixture file holds only the waivers)."""
    import yaml

    from forcelift.migration.plan.planfile import WaiverPlan
    from forcelift.migration.plan.planio import load_plan, plan_to_yaml

    golden = Path(__file__).parents[1] / "golden" / "plan" / "exampleshire-aws.yaml"
    waivers = yaml.safe_load(path.read_text(encoding="utf-8"))["waivers"]
    plan = load_plan(golden).model_copy(
        update={"waivers": tuple(WaiverPlan.model_validate(w) for w in waivers)}
    )
    path.write_text(plan_to_yaml(plan), encoding="utf-8")


def _stamp_current(directory: Path) -> None:
    """Record the hand-made previews as current for this machine's versions: the content key
    holds the pulumi and provider SDK versions, which a fresh CI install may move on."""
    from forcelift.stacks.preview_stamps import preview_inputs, stamp_path
    from forcelift.stacks.project_reader import read_project

    project = read_project(directory)
    for stack in project.stacks:
        stamp = json.dumps(preview_inputs(project, stack), indent=1, sort_keys=True) + "\n"
        stamp_path(directory, stack.name).write_text(stamp, encoding="utf-8")


@pytest.fixture
def no_pulumi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


Calls = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def pulumi_stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Calls:
    """`pulumi` on PATH is a script that records its calls; returns a reader of them."""
    bin_dir = tmp_path / "stub-bin"
    bin_dir.mkdir()
    stub = bin_dir / "pulumi"
    stub.write_text(f"#!{sys.executable}\n" + (DATA / "pulumi_stub.py").read_text())
    stub.chmod(0o755)
    log = tmp_path / "pulumi-calls.jsonl"
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("PULUMI_STUB_LOG", str(log))
    monkeypatch.setenv("PULUMI_HOME", str(tmp_path / "pulumi-home"))
    monkeypatch.delenv("PULUMI_STUB_MODE", raising=False)

    def calls() -> list[dict[str, Any]]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return calls


def _deploy(project: Path, stack: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["deploy", str(project), "--stack", stack, *args])


def _commands(calls: list[dict[str, Any]]) -> list[list[str]]:
    return [c["argv"] for c in calls]


def test_without_the_cli_stops_with_install_instructions(project: Path, no_pulumi: None) -> None:
    result = _deploy(project, GOOD, "--up")
    assert result.exit_code == 2
    assert "Pulumi CLI (`pulumi`) is not installed" in result.output
    assert "https://www.pulumi.com/docs/install/" in result.output
    assert "curl -fsSL https://get.pulumi.com | sh" in result.output
    assert "Traceback" not in result.output
    assert "Guardrails passed" in result.stdout  # the offline check still ran first


def test_guardrails_refuse_before_the_cli_is_touched(project: Path, pulumi_stub: Calls) -> None:
    result = _deploy(project, BAD, "--up")
    assert result.exit_code == 1
    assert (
        "guardrails refused stack exampleshire-aws-wave-2: 1 blocking finding(s)" in result.stderr
    )
    assert "HIGH     FL-NET-002" in result.stderr
    assert f"urn:pulumi:{BAD}::exampleshire::aws:ec2/instance:Instance::web-2" in result.stderr
    assert pulumi_stub() == []
    with pytest.raises(DeployFailed) as caught:
        enforce_guardrails(project, BAD)
    assert [f.rule_id for f in caught.value.findings] == ["FL-NET-002"]


def test_preview_runs_the_automation_api_up_to_the_cli(project: Path, pulumi_stub: Calls) -> None:
    result = _deploy(project, GOOD, "--preview")
    assert result.exit_code == 1, result.output
    assert "Guardrails passed for exampleshire-aws-wave-1: 1 finding(s), none blocking." in (
        result.stdout
    )
    assert "pulumi preview failed on stack exampleshire-aws-wave-1" in result.stderr
    assert "pulumi stub: no backend here" in result.stderr
    assert "preview (stub): starting" in result.stdout  # engine output is streamed
    calls = pulumi_stub()
    commands = _commands(calls)
    assert commands[0] == ["version"]
    assert commands[1] == ["--non-interactive", "stack", "select", "--stack", GOOD]
    assert commands[2] == ["--non-interactive", "stack", "init", GOOD]
    preview = commands[3]
    assert preview[:2] == ["--non-interactive", "preview"]
    assert preview[-2:] == ["--stack", GOOD]
    assert "--event-log" in preview
    assert preview[preview.index("--event-log") + 1].startswith("tcp://127.0.0.1:")
    assert "--yes" not in preview
    assert {c["cwd"] for c in calls[1:]} == {str(project)}
    assert len(commands) == 4


def test_up_asks_for_no_prompt_and_reports_failure(project: Path, pulumi_stub: Calls) -> None:
    result = _deploy(project, GOOD, "--up")
    assert result.exit_code == 1
    assert "pulumi up failed on stack exampleshire-aws-wave-1" in result.stderr
    up = _commands(pulumi_stub())[-1]
    assert up[:4] == ["--non-interactive", "up", "--yes", "--skip-preview"]
    assert up[-2:] == ["--stack", GOOD]


def test_a_waived_finding_lets_the_deploy_reach_pulumi(project: Path, pulumi_stub: Calls) -> None:
    result = _deploy(project, WAIVED, "--up")
    assert "1 finding(s), none blocking (1 waived)" in result.stdout
    assert ["--non-interactive", "stack", "init", WAIVED] in _commands(pulumi_stub())
    assert result.exit_code == 1  # the stub's own failure, not the guardrails


def test_destroy_needs_confirmation_and_excludes_protected(
    project: Path, pulumi_stub: Calls
) -> None:
    refused = _deploy(project, BAD, "--destroy")
    assert refused.exit_code == 2
    assert "--yes-destroy" in refused.output
    assert pulumi_stub() == []

    result = _deploy(project, BAD, "--destroy", "--yes-destroy")  # no guardrails on destroy
    assert result.exit_code == 1
    assert "protected (stateful) resources" in result.stdout
    destroy = _commands(pulumi_stub())[-1]
    assert destroy[:2] == ["--non-interactive", "destroy"]
    assert {"--skip-preview", "--yes", "--exclude-protected"} <= set(destroy)


def test_refresh_is_guarded_unless_told_otherwise(project: Path, pulumi_stub: Calls) -> None:
    guarded = _deploy(project, BAD, "--refresh")
    assert guarded.exit_code == 1
    assert "guardrails refused" in guarded.stderr
    assert pulumi_stub() == []

    result = _deploy(project, BAD, "--refresh", "--skip-guardrails-for-refresh")
    assert result.exit_code == 1
    refresh = _commands(pulumi_stub())[-1]
    assert refresh[:2] == ["--non-interactive", "refresh"]
    assert {"--yes", "--skip-preview"} <= set(refresh)


def test_stack_setup_failure_is_a_usage_error_with_login_hint(
    project: Path, pulumi_stub: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_STUB_MODE", "fail-init")
    result = _deploy(
        project,
        GOOD,
        "--preview",
        "--secrets-provider",
        "awskms://alias/forcelift-state?region=eu-west-2",
    )
    assert result.exit_code == 2
    assert "could not select or create stack exampleshire-aws-wave-1" in result.output
    assert "PULUMI_ACCESS_TOKEN must be set" in result.output
    assert "pulumi login 's3://BUCKET?region=eu-west-2&awssdk=v2'" in result.output
    assert _commands(pulumi_stub())[-1] == [
        "--non-interactive",
        "stack",
        "init",
        GOOD,
        "--secrets-provider",
        "awskms://alias/forcelift-state?region=eu-west-2",
    ]


def test_preview_summary_from_engine_events(
    project: Path, pulumi_stub: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stub streams a resource step and a summary over the event gRPC address; the
    command prints the summary. It proves the event path, not a deployment."""
    monkeypatch.setenv("PULUMI_STUB_MODE", "preview-ok")
    result = _deploy(project, GOOD)
    assert result.exit_code == 0, result.output
    assert "pulumi preview on exampleshire-aws-wave-1 finished: create 2, same 1." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--up", "--destroy"], "choose one operation"),
        (["--up", "--skip-guardrails-for-refresh"], "only goes with --refresh"),
    ],
)
def test_usage_errors(project: Path, no_pulumi: None, args: list[str], message: str) -> None:
    result = _deploy(project, GOOD, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_missing_project_files_are_named(project: Path, no_pulumi: None) -> None:
    (project / "preview" / f"{GOOD}.json").unlink()
    result = _deploy(project, GOOD, "--up")
    assert result.exit_code == 2
    assert f"missing preview/{GOOD}.json" in result.output
    assert "forcelift preview DIR" in result.output
    other = _deploy(
        project, "exampleshire-aws-wave-9", "--refresh", "--skip-guardrails-for-refresh"
    )
    assert other.exit_code == 2
    assert "missing Pulumi.exampleshire-aws-wave-9.yaml" in other.output


def test_step_counter_counts_changes_and_failures() -> None:
    from pulumi.automation.events import EngineEvent

    counter = StepCounter()
    for op in ("create", "create", "same", "update"):
        counter(EngineEvent.from_json({"resourcePreEvent": {"metadata": {"op": op, "urn": "u"}}}))
    counter(
        EngineEvent.from_json(
            {"resOpFailedEvent": {"metadata": {"op": "create", "urn": "urn:x"}, "status": 1}}
        )
    )
    assert dict(counter.steps) == {"create": 2, "update": 1}
    assert counter.failed == ["urn:x"]
