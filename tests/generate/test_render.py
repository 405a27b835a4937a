"""The rendered project: golden tree, the stack contract's config, the README and the program."""

from __future__ import annotations

import ast
import re
import shutil

import pytest
import yaml

from forcelift.migration.errors import InputError
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.planio import HEADER, load_plan, plan_to_yaml
from forcelift.stacks.generate import (
    MARKER,
    GeneratedFile,
    check_plan,
    cloud_views,
    render_project,
)

from .conftest import GOLDEN, PLAN, REGENERATE, VERSION

CONTRACT_KEYS = {
    "azure": {"azure-native:location"},
    "aws": {"aws:region"},
}
COMMON_KEYS = {
    "forcelift:plan",
    "forcelift:cloud",
    "forcelift:layer",
    "forcelift:organization",
}


def test_golden_tree(files: dict[str, GeneratedFile]) -> None:
    """Every rendered file (plan.yaml aside: it is the input) matches the reviewed tree."""
    rendered = {path: f.content for path, f in files.items() if path != "plan.yaml"}
    missing = not GOLDEN.exists()
    if REGENERATE or missing:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(content, encoding="utf-8")
        if missing and not REGENERATE:
            pytest.fail(f"golden tree {GOLDEN} was missing and has been written: review it")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*")
        if p.is_file()
    }
    assert sorted(rendered) == sorted(expected), "file set differs from tests/golden/generate"
    for path, content in rendered.items():
        assert content == expected[path], (
            f"{path} differs from the golden tree: review, then FORCELIFT_REGENERATE_GOLDEN=1"
        )


def test_plan_copy_is_the_canonical_plan(files: dict[str, GeneratedFile]) -> None:
    content = files["plan.yaml"].content
    assert content == plan_to_yaml(load_plan(PLAN))
    assert content == PLAN.read_text(encoding="utf-8")
    assert content.startswith(HEADER)


def test_rendering_is_deterministic(plan: Plan, files: dict[str, GeneratedFile]) -> None:
    again = render_project(load_plan(PLAN), version=VERSION)
    assert {p: f.content for p, f in again.items()} == {p: f.content for p, f in files.items()}
    assert list(files) == sorted(files)
    text = "".join(f.content for f in files.values())
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", text), "no timestamps in generated files"


def test_every_file_carries_the_marker(files: dict[str, GeneratedFile]) -> None:
    for path, file in files.items():
        head = "\n".join(file.content.splitlines()[:3])
        if path == "plan.yaml":
            continue
        assert MARKER in head, path
        if path.endswith(".md"):
            assert file.content.startswith("<!-- "), path
        else:
            assert file.content.startswith("# "), path
        assert file.content.endswith("\n") and not file.content.endswith("\n\n"), path


def test_every_stack_has_its_config_with_the_contract_keys(
    plan: Plan, files: dict[str, GeneratedFile]
) -> None:
    stack_files = {p for p in files if p.startswith("Pulumi.") and p != "Pulumi.yaml"}
    expected_files = {f"Pulumi.{s.name}.yaml" for c in plan.clouds for s in c.stacks}
    assert stack_files == expected_files
    for cloud in plan.clouds:
        for stack in cloud.stacks:
            data = yaml.safe_load(files[f"Pulumi.{stack.name}.yaml"].content)
            assert set(data) == {"config"}
            config = data["config"]
            keys = COMMON_KEYS | CONTRACT_KEYS[cloud.cloud]
            if stack.layer == "wave":
                keys = keys | {"forcelift:wave"}
                assert int(config["forcelift:wave"]) == stack.wave
            assert set(config) == keys, stack.name
            assert config["forcelift:plan"] == "plan.yaml"
            assert config["forcelift:cloud"] == cloud.cloud
            assert config["forcelift:layer"] == stack.layer
            assert config["forcelift:organization"] == "organization"
            region_key = next(iter(CONTRACT_KEYS[cloud.cloud]))
            assert config[region_key] == cloud.region
            text = files[f"Pulumi.{stack.name}.yaml"].content
            # The gateway address is a marked placeholder, never a made-up value.
            has_placeholder = "# forcelift:onPremGatewayAddress:" in text
            assert has_placeholder == (stack.layer == "landing-zone"), stack.name


def test_pulumi_project_and_requirements(plan: Plan, files: dict[str, GeneratedFile]) -> None:
    project = yaml.safe_load(files["Pulumi.yaml"].content)
    assert project["name"] == f"forcelift-{plan.force.slug}"
    assert project["runtime"] == {
        "name": "python",
        "options": {"toolchain": "pip", "virtualenv": "venv"},
    }
    assert project["main"] == "."
    lines = [
        line
        for line in files["requirements.txt"].content.splitlines()
        if line and not line.startswith("#")
    ]
    # Not `forcelift[pulumi]==X`: no package index serves forcelift.
    assert lines == [f"./vendor/forcelift-{VERSION}-py3-none-any.whl[pulumi]"]
    assert f"`vendor/forcelift-{VERSION}-py3-none-any.whl`" in files["README.md"].content


def test_a_given_forcelift_requirement_is_used_verbatim(plan: Plan) -> None:
    given = "forcelift[pulumi] @ git+https://example.invalid/force/forcelift@v0.1.0"
    files = render_project(plan, version=VERSION, requirement=given)
    lines = [
        line
        for line in files["requirements.txt"].content.splitlines()
        if line and not line.startswith("#")
    ]
    assert lines == [given]
    readme = files["README.md"].content
    assert f"`{given}`" in readme and "vendor/" not in readme


def test_program_entry_compiles_and_imports_only_forcelift(
    files: dict[str, GeneratedFile],
) -> None:
    source = files["__main__.py"].content
    tree = ast.parse(source)
    compile(source, "__main__.py", "exec")
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert imports, "the entry must import the stack program"
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports break when Pulumi runs the directory"
            assert node.module is not None and node.module.startswith("forcelift."), node.module
        else:
            assert all(a.name.startswith("forcelift.") for a in node.names)
    from_import = next(n for n in imports if isinstance(n, ast.ImportFrom))
    assert from_import.module == "forcelift.stacks.program"
    assert [a.name for a in from_import.names] == ["main"]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert any(isinstance(c.func, ast.Name) and c.func.id == "main" for c in calls)


def _positions(text: str, needles: list[str]) -> list[int]:
    return [text.index(n) for n in needles]


def test_readme_names_every_stack_in_order_and_every_secret(
    plan: Plan, files: dict[str, GeneratedFile]
) -> None:
    readme = files["README.md"].content
    deploy = readme[readme.index("## 7.") :]
    for cloud in cloud_views(plan):
        names = [s.name for s in cloud.stacks]
        assert names[0] == f"{plan.force.slug}-{cloud.name}-landing-zone"
        waves = [(s.wave, s.part or 0) for s in cloud.stacks[1:]]
        assert waves == sorted(waves)
        ups = _positions(deploy, [f"pulumi up --stack {n} " for n in names])
        assert ups == sorted(ups), f"{cloud.name} stacks out of deployment order"
        for name in names:
            assert f"pulumi preview --stack {name}\n" in deploy
            assert f"forcelift deploy . --stack {name} --up" in deploy
            assert f"pulumi stack init {name} " in readme
            assert f"`{name}`" in readme
    needs = {
        "azure": {
            "forcelift:onPremGatewayAddress": "landing-zone",
            "forcelift:vpnSharedKey": "landing-zone",
            "forcelift:adminPassword": "wave",
        },
        "aws": {
            "forcelift:onPremGatewayAddress": "landing-zone",
            "forcelift:accountEmailDomain": "landing-zone",
            "forcelift:vpnTunnel1Key": "landing-zone",
            "forcelift:vpnTunnel2Key": "landing-zone",
        },
    }
    secret = {
        "forcelift:vpnSharedKey",
        "forcelift:adminPassword",
        "forcelift:vpnTunnel1Key",
        "forcelift:vpnTunnel2Key",
    }
    for planned in plan.clouds:
        for key, layer in needs[planned.cloud].items():
            for stack in planned.stacks:
                line = (
                    f"pulumi config set --secret {key} --stack {stack.name}\n"
                    if key in secret
                    else f"pulumi config set {key} <"
                )
                if key in secret:
                    assert (line in readme) == (stack.layer == layer), line
                elif stack.layer == layer:
                    assert re.search(rf"{line}[a-z-]+> --stack {stack.name}\n", readme), key
        web_stacks = {
            w.stack for w in planned.workloads if any(p.kind == "web_app" for p in w.paas)
        }
        for stack in planned.stacks:
            has = f"forcelift:certificateArn <acm-certificate-arn> --stack {stack.name}\n" in readme
            assert has == (planned.cloud == "aws" and stack.name in web_stacks), stack.name
    for command in (
        "python -m venv venv",
        "pip install -r requirements.txt",
        "forcelift backend init --aws --bucket <state-bucket> --region eu-west-2",
        "pulumi login 's3://<state-bucket>?region=eu-west-2&awssdk=v2'",
        "pulumi login 'azblob://<container>?storage_account=<account>'",
        "forcelift preview .\n",
        "forcelift policy check .\n",
        "forcelift plan show plan.yaml --format markdown",
    ):
        assert command in readme, command


def test_aws_only_plan_renders_only_aws(plan: Plan) -> None:
    aws_only = plan.model_copy(update={"clouds": (plan.cloud("aws"),)})
    files = render_project(aws_only, version=VERSION)
    assert not [p for p in files if "azure" in p.split("/")[-1].replace("azure-pipelines", "")]
    assert ".github/workflows/forcelift-aws.yml" in files
    assert ".github/workflows/forcelift-azure.yml" not in files
    assert "azure-pipelines-aws.yml" in files
    assert "vpnSharedKey" not in files["README.md"].content


def _with_stack_name(plan: Plan, cloud_index: int, stack_index: int, name: str) -> Plan:
    cloud = plan.clouds[cloud_index]
    stacks = list(cloud.stacks)
    stacks[stack_index] = stacks[stack_index].model_copy(update={"name": name})
    clouds = list(plan.clouds)
    clouds[cloud_index] = cloud.model_copy(update={"stacks": tuple(stacks)})
    return plan.model_copy(update={"clouds": tuple(clouds)})


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/evil", "should be"),
        ("smallshire-azure-wave-9", "should be"),
        ("smallshire-azure-landing-zone", "is also clouds[0].stacks[0]"),
    ],
)
def test_check_plan_refuses_stack_names_off_the_contract(
    plan: Plan, name: str, message: str
) -> None:
    bad = _with_stack_name(plan, 0, 1, name)
    with pytest.raises(InputError) as info:
        check_plan(bad, "plan.yaml")
    problems = info.value.problems
    assert any(
        p.location.column == "clouds[0].stacks[1].name" and message in p.message for p in problems
    ), [str(p) for p in problems]


def test_check_plan_refuses_a_missing_landing_zone_and_no_clouds(plan: Plan) -> None:
    azure = plan.clouds[0]
    waves_only = azure.model_copy(update={"stacks": azure.stacks[1:]})
    with pytest.raises(InputError) as info:
        check_plan(plan.model_copy(update={"clouds": (waves_only,)}))
    assert any(p.location.column == "clouds[0].stacks" for p in info.value.problems)
    with pytest.raises(InputError) as info:
        check_plan(plan.model_copy(update={"clouds": ()}))
    assert info.value.problems[0].location.column == "clouds"


def test_check_plan_accepts_the_fixture(plan: Plan) -> None:
    check_plan(plan)


def test_every_value_the_program_asks_for_is_in_the_readme(
    plan: Plan, files: dict[str, GeneratedFile]
) -> None:
    """The program's list of engineer-set values and generate's must not drift apart: the
    README names every value this plan's stacks ask for (engineer_values, per stack: a plan
    without sharing asks for no staff access or API value), and every value any stack can ask
    for has the program's preview stand-in (stacks/config.py), secret alike, and no other."""
    from forcelift.stacks import engineer_values as ev
    from forcelift.stacks.config import ENGINEER_VALUES

    readme = files["README.md"].content
    asked = {v.key for c in plan.clouds for s in c.stacks for v in ev.engineer_values(c, s)}
    assert {"forcelift:adminPassword", "forcelift:accountEmailDomain"} <= asked
    for key in sorted(asked):
        assert f"`{key}`" in readme, key
    declared: dict[str, bool] = {}
    for value in vars(ev).values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, ev.EngineerValue) and item.key != ev.GATEWAY_KEY:
                declared[item.key] = item.secret  # the gateway is optional: no stand-in
    stand_ins = {f"forcelift:{key}": secret for key, (_, secret) in ENGINEER_VALUES.items()}
    assert declared == stand_ins


def test_deployment_order_does_not_depend_on_the_plans_listing_order(
    plan: Plan, files: dict[str, GeneratedFile]
) -> None:
    shuffled = plan.model_copy(
        update={
            "clouds": tuple(
                c.model_copy(update={"stacks": tuple(reversed(c.stacks))}) for c in plan.clouds
            )
        }
    )
    again = render_project(shuffled, version=VERSION)
    for path, file in files.items():
        if path != "plan.yaml":
            assert again[path].content == file.content, path
