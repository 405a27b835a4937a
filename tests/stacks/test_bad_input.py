"""Bad config or a bad plan stops the program with an InputError at the right place, before a
single resource is declared (and the CLI turns it into exit 2)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.errors import InputError
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.planio import plan_to_yaml
from forcelift.stacks import mock_runtime
from forcelift.stacks.program import main
from forcelift.stacks.project_reader import read_project, run_config

AZ_WAVE = "exampleshire-azure-wave-3"
AWS_WAVE = "exampleshire-aws-wave-3"


@pytest.fixture
def registrations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every resource the program registers (the recorder's own list is lost when the
    program raises); the runtime's root stack resource is not the program's."""
    seen: list[str] = []
    original = mock_runtime.RecordingMonitor.RegisterResource

    def counting(self: Any, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            seen.append(request.type)
        return original(self, request)

    monkeypatch.setattr(mock_runtime.RecordingMonitor, "RegisterResource", counting)
    yield seen


def run(directory: Path, stack: str, config: Mapping[str, str] | None = None) -> None:
    project = read_project(directory)
    settings = run_config(project, project.stack(stack)) if config is None else dict(config)
    mock_runtime.run_mocked(main, project="forcelift", stack=stack, config=settings)


def problem_text(exc: InputError) -> str:
    return "\n".join(
        f"{p.location.file}|{p.location.column}|{p.message}|{p.hint}" for p in exc.problems
    )


def edit_workload(plan: Plan, cloud: str, target: str, **changes: Any) -> Plan:
    clouds = []
    for c in plan.clouds:
        if c.cloud == cloud:
            c = c.model_copy(
                update={
                    "workloads": tuple(
                        w.model_copy(update=changes) if w.application == target else w
                        for w in c.workloads
                    )
                }
            )
        clouds.append(c)
    return plan.model_copy(update={"clouds": tuple(clouds)})


def index_of(plan: Plan, cloud: str, application: str) -> tuple[int, int]:
    c = next(i for i, x in enumerate(plan.clouds) if x.cloud == cloud)
    w = next(i for i, x in enumerate(plan.clouds[c].workloads) if x.application == application)
    return c, w


def test_missing_config_key(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    directory = helpers.write_project(
        tmp_path, reduced_plan, drop={AZ_WAVE: ["forcelift:organization"]}
    )
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    text = problem_text(caught.value)
    assert f"Pulumi.{AZ_WAVE}.yaml|forcelift:organization|missing stack config" in text
    assert registrations == []


def test_missing_wave_and_region(tmp_path: Path, reduced_plan: Plan, helpers: Any) -> None:
    directory = helpers.write_project(
        tmp_path, reduced_plan, drop={AWS_WAVE: ["forcelift:wave", "aws:region"]}
    )
    with pytest.raises(InputError) as caught:
        run(directory, AWS_WAVE)
    text = problem_text(caught.value)
    assert "|forcelift:wave|" in text and "|aws:region|" in text


def test_missing_secret_names_the_key(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    directory = helpers.write_project(tmp_path, reduced_plan)
    project = read_project(directory)
    config = run_config(project, project.stack(AZ_WAVE))
    del config["forcelift:adminPassword"]
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE, config)
    assert "|forcelift:adminPassword|missing secret" in problem_text(caught.value)
    assert registrations == []


def test_plan_of_another_schema_version(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    text = plan_to_yaml(reduced_plan).replace("schema_version: '1.0'", "schema_version: '2.0'")
    directory = helpers.write_project(tmp_path, reduced_plan)
    (directory / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    assert "|schema_version|plan schema_version '2.0' is not supported" in problem_text(
        caught.value
    )
    assert registrations == []


def test_hand_edited_plan_that_no_longer_validates(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    text = plan_to_yaml(reduced_plan).replace("vcpus: 2\n", "vcpus: two\n", 1)
    directory = helpers.write_project(tmp_path, reduced_plan)
    (directory / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    text = problem_text(caught.value)
    assert "|clouds[0].workloads[" in text and ".vcpus|" in text
    assert registrations == []


def test_vm_size_the_cloud_does_not_have(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    app = "Active Directory"
    c, w = index_of(reduced_plan, "azure", app)
    workload = reduced_plan.clouds[c].workloads[w]
    vms = (workload.vms[0].model_copy(update={"size": "E2s v5 large"}), *workload.vms[1:])
    plan = edit_workload(reduced_plan, "azure", app, vms=vms)
    directory = helpers.write_project(tmp_path, plan)
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    assert f"plan.yaml|clouds[{c}].workloads[{w}].vms[0].size|" in problem_text(caught.value)
    assert registrations == []


def test_names_that_break_a_naming_rule(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    """AWS tag values may not hold '(' ; NSG rule names may not hold spaces; two applications
    may not give the same resource name."""
    app = "Active Directory"
    c, w = index_of(reduced_plan, "aws", app)
    aws_tags = {**reduced_plan.clouds[c].workloads[w].tags, "application": "Active (Directory)"}
    plan = edit_workload(reduced_plan, "aws", app, tags=aws_tags)
    az, aw = index_of(plan, "azure", app)
    flows = plan.clouds[az].workloads[aw].inbound
    bad_flow = flows[0].model_copy(update={"name": "from dns and dhcp!"})
    plan = edit_workload(plan, "azure", app, inbound=(bad_flow, *flows[1:]))
    directory = helpers.write_project(tmp_path, plan)
    with pytest.raises(InputError) as caught:
        run(directory, AWS_WAVE)
    assert f"|clouds[{c}].workloads[{w}].tags.application|" in problem_text(caught.value)
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    assert f"|clouds[{az}].workloads[{aw}].inbound[0].name|" in problem_text(caught.value)
    assert registrations == []


def test_two_applications_with_one_resource_name(
    tmp_path: Path, reduced_plan: Plan, helpers: Any
) -> None:
    plan = edit_workload(
        reduced_plan, "azure", "Firearms Licensing", application="ACTIVE directory"
    )
    directory = helpers.write_project(tmp_path, plan)
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    assert "give the same resource name 'active-directory'" in problem_text(caught.value)


def test_stack_not_in_the_plan(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, registrations: list[str]
) -> None:
    directory = helpers.write_project(tmp_path, reduced_plan)
    stray = directory / "Pulumi.exampleshire-azure-wave-9.yaml"
    stray.write_text((directory / f"Pulumi.{AZ_WAVE}.yaml").read_text().replace("'3'", "'9'"))
    with pytest.raises(InputError) as caught:
        run(directory, "exampleshire-azure-wave-9")
    assert "stack 'exampleshire-azure-wave-9' is not in the plan" in problem_text(caught.value)
    assert registrations == []


def test_config_that_disagrees_with_the_plan(
    tmp_path: Path, reduced_plan: Plan, helpers: Any
) -> None:
    directory = helpers.write_project(
        tmp_path,
        reduced_plan,
        extra={AZ_WAVE: {"forcelift:wave": "2", "azure-native:location": "ukwest"}},
    )
    with pytest.raises(InputError) as caught:
        run(directory, AZ_WAVE)
    text = problem_text(caught.value)
    assert "|forcelift:wave|forcelift:wave is 2 but the plan's stack is wave 3" in text


def test_cli_exits_2_with_the_plan_path(tmp_path: Path, reduced_plan: Plan, helpers: Any) -> None:
    app = "Active Directory"
    c, w = index_of(reduced_plan, "azure", app)
    workload = reduced_plan.clouds[c].workloads[w]
    vms = (workload.vms[0].model_copy(update={"size": "huge"}), *workload.vms[1:])
    directory = helpers.write_project(tmp_path, edit_workload(reduced_plan, "azure", app, vms=vms))
    result = CliRunner().invoke(cli, ["preview", str(directory), "--stack", AZ_WAVE, "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert f"clouds[{c}].workloads[{w}].vms[0].size" in result.output
    assert "Traceback" not in result.output


def test_per_wave_cache_gives_the_same_plan_paths(
    tmp_path: Path, reduced_plan: Plan, helpers: Any
) -> None:
    """A stack reading its wave from the cache (big plans) reports problems at their places
    in the whole plan, as a full load does."""
    from forcelift.stacks import config as stack_config
    from forcelift.stacks import plan_slice, program

    app = "Digital Interview Recording"
    c, w = index_of(reduced_plan, "azure", app)
    workload = reduced_plan.clouds[c].workloads[w]
    vms = (*workload.vms[:-1], workload.vms[-1].model_copy(update={"size": "tiny"}))
    directory = helpers.write_project(tmp_path, edit_workload(reduced_plan, "azure", app, vms=vms))
    plan_slice.cached_plan(directory / "plan.yaml")  # the full load writes the cache
    assert list((directory / ".plan.yaml.cache").glob("*/cloud-0-wave-3.json"))
    plan_slice.PLAN_CACHE.clear()

    view = plan_slice.stack_view(directory / "plan.yaml", "azure", AZ_WAVE)
    assert view.indices is not None and w in view.indices
    assert {x.wave for x in view.plan.clouds[c].workloads} == {3}
    assert view.applications == tuple(x.application for x in reduced_plan.clouds[c].workloads)
    project = read_project(directory)
    config = run_config(project, project.stack(AZ_WAVE))
    with pytest.raises(InputError) as caught:
        program.context_from(stack_config.read_config(config.get, AZ_WAVE), AZ_WAVE, "forcelift")
    path = f"clouds[{c}].workloads[{w}].vms[{len(vms) - 1}].size"
    assert f"|{path}|" in problem_text(caught.value)
