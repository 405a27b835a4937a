"""A regional plan (several forces) gives one Pulumi project: every force's stacks, each force's
own plan in plans/<force>.yaml (what its stacks read), and CI that deploys every landing zone,
then every force's waves, then the sharing stacks (they read the hosts' wave stacks)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.errors import InputError
from forcelift.migration.plan.planfile import ForceInfo, Plan, StackPlan
from forcelift.migration.plan.planio import load_plan, plan_to_yaml
from forcelift.migration.plan.regional import CollaborationInfo, RegionalPlan
from forcelift.migration.plan.regional_io import regional_to_yaml
from forcelift.migration.plan.sharing_plan import CloudSharing, ConsumedService, HostedService
from forcelift.stacks.generate import GeneratedFile, check_plan, cloud_views, render_project
from forcelift.stacks.project_reader import dependencies, read_project
from forcelift.stacks.project_writer import write_project

from .conftest import VERSION
from .test_ci import errors, load

FORCES = (("alpha", "Alphashire Police"), ("bravo", "Bravoshire Constabulary"))
BRAVO_SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
BRAVO_ACCOUNT = "210987654321"


def rename(plan: Plan, slug: str, name: str) -> Plan:
    """The fixture plan as another force's: the same estate under stacks named for `slug`."""
    old = f"{plan.force.slug}-"

    def stack(text: str) -> str:
        return slug + "-" + text.removeprefix(old) if text.startswith(old) else text

    clouds = []
    for cloud in plan.clouds:
        clouds.append(
            cloud.model_copy(
                update={
                    "landing_zone": cloud.landing_zone.model_copy(
                        update={"stack": stack(cloud.landing_zone.stack)}
                    ),
                    "stacks": tuple(
                        s.model_copy(update={"name": stack(s.name)}) for s in cloud.stacks
                    ),
                    "waves": tuple(
                        w.model_copy(update={"stacks": tuple(stack(n) for n in w.stacks)})
                        for w in cloud.waves
                    ),
                    "workloads": tuple(
                        w.model_copy(
                            update={
                                "stack": stack(w.stack),
                                "tags": {**w.tags, "forcelift-stack": stack(w.stack)},
                            }
                        )
                        for w in cloud.workloads
                    ),
                }
            )
        )
    return plan.model_copy(
        update={"force": ForceInfo(name=name, slug=slug), "clouds": tuple(clouds)}
    )


def share(host: Plan, consumer: Plan) -> tuple[Plan, Plan]:
    """`host` offers its Finance application (wave 1) to `consumer` on both clouds."""
    hosts, consumers = [], []
    for h, c in zip(host.clouds, consumer.clouds, strict=True):
        source = next(w.stack for w in h.workloads if w.application == "Finance")
        hosted = HostedService(
            name="finance",
            application="Finance",
            stack=source,
            consumers=("bravo",),
            agreements=("ISA-NR-001",),
            allowed_subscriptions=(BRAVO_SUBSCRIPTION,) if h.cloud == "azure" else (),
            allowed_accounts=(BRAVO_ACCOUNT,) if h.cloud == "aws" else (),
        )
        sharing_stack = f"{consumer.force.slug}-{c.cloud}-sharing"
        consumed = ConsumedService(
            name="finance",
            provider=host.force.slug,
            stack=sharing_stack,
            source_stack=source,
            source_name="finance",
            dns_name="finance.share.bravo.internal",
            agreements=("ISA-NR-001",),
        )
        hosts.append(h.model_copy(update={"sharing": CloudSharing(hosted=(hosted,))}))
        consumers.append(
            c.model_copy(
                update={
                    "sharing": CloudSharing(consumed=(consumed,)),
                    "stacks": (
                        *c.stacks,
                        StackPlan(name=sharing_stack, layer="sharing", estimated_resources=6),
                    ),
                }
            )
        )
    return (
        host.model_copy(update={"clouds": tuple(hosts)}),
        consumer.model_copy(update={"clouds": tuple(consumers)}),
    )


@pytest.fixture(scope="module")
def regional(plan: Plan) -> RegionalPlan:
    alpha, bravo = share(*(rename(plan, slug, name) for slug, name in FORCES))
    return RegionalPlan(
        collaboration=CollaborationInfo(
            name="Northern Region",
            slug="northern-region",
            forces=(alpha.force, bravo.force),
        ),
        as_of=dt.date(2026, 11, 25),
        forces=(alpha, bravo),
    )


@pytest.fixture(scope="module")
def regional_files(regional: RegionalPlan) -> dict[str, GeneratedFile]:
    return render_project(regional, version=VERSION)


def stack_names(regional: RegionalPlan, cloud: str) -> list[str]:
    return [s.name for p in regional.forces for s in p.cloud(cloud).stacks]


def test_one_project_with_every_force_and_each_members_plan(
    regional: RegionalPlan, regional_files: dict[str, GeneratedFile]
) -> None:
    assert regional_files["plan.yaml"].content == regional_to_yaml(regional)
    for member in regional.forces:
        path = f"plans/{member.force.slug}.yaml"
        assert regional_files[path].kind == "plan"
        assert regional_files[path].content == plan_to_yaml(member)
    assert yaml.safe_load(regional_files["Pulumi.yaml"].content)["name"] == (
        "forcelift-northern-region"
    )
    configs = {p for p in regional_files if p.startswith("Pulumi.") and p != "Pulumi.yaml"}
    expected = {f"Pulumi.{n}.yaml" for c in ("azure", "aws") for n in stack_names(regional, c)}
    assert configs == expected and len(configs) == 2 * (4 + 8) + 2
    readme = regional_files["README.md"].content
    assert "`plans/bravo.yaml` | Bravoshire Constabulary's own plan" in readme
    assert "Sharing stacks (`<force>-<cloud>-sharing`) come last" in readme


def test_each_stack_reads_its_own_forces_plan(
    regional_files: dict[str, GeneratedFile],
) -> None:
    for path, file in regional_files.items():
        if file.kind != "stack-config":
            continue
        config = yaml.safe_load(file.content)["config"]
        slug = path.removeprefix("Pulumi.").split("-")[0]
        assert config["forcelift:plan"] == f"plans/{slug}.yaml", path
    sharing = yaml.safe_load(regional_files["Pulumi.bravo-aws-sharing.yaml"].content)["config"]
    assert sharing == {
        "aws:region": "eu-west-2",
        "forcelift:cloud": "aws",
        "forcelift:layer": "sharing",
        "forcelift:organization": "organization",
        "forcelift:plan": "plans/bravo.yaml",
    }
    text = regional_files["Pulumi.bravo-azure-sharing.yaml"].content
    assert "TO SET" not in text  # a sharing stack needs no secret or value
    assert "bravo: sharing" in text.splitlines()[2]


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_pipelines_deploy_landing_zones_then_waves_then_sharing(
    regional: RegionalPlan, regional_files: dict[str, GeneratedFile], cloud: str
) -> None:
    view = next(c for c in cloud_views(regional) if c.name == cloud)
    order = [s.stack.name for s in view.steps]
    assert order[:2] == [f"alpha-{cloud}-landing-zone", f"bravo-{cloud}-landing-zone"]
    assert order[-1] == f"bravo-{cloud}-sharing"
    waves = order[2:-1]
    assert waves == [n for n in stack_names(regional, cloud) if "-wave-" in n]  # force by force
    workflow = load(regional_files[f".github/workflows/forcelift-{cloud}.yml"].content)
    assert errors("github-workflows", workflow) == []
    live = [k for k in workflow["jobs"] if k.startswith(("preview-", "deploy-"))]
    assert live == [j for s in view.steps for j in (s.preview_job, s.deploy_job)]
    assert live[:2] == ["preview-alpha-landing-zone", "deploy-alpha-landing-zone"]
    assert live[-1] == "deploy-bravo-sharing"
    deploy = workflow["jobs"]["deploy-bravo-sharing"]
    assert deploy["environment"] == f"bravo-{cloud}-sharing"
    assert deploy["needs"] == "preview-bravo-sharing"
    assert (
        workflow["jobs"]["preview-bravo-sharing"]["needs"] == f"deploy-{view.steps[-2].stack.key}"
    )
    assert workflow["jobs"]["pr-shard"]["strategy"]["matrix"]["shard"] == [1]
    steps = workflow["jobs"]["pr-guardrails"]["steps"]
    gate = "\n".join(str(step.get("run", "")) for step in steps)
    assert f"forcelift preview . --cloud {cloud} --layer sharing" in gate
    pipeline = load(regional_files[f"azure-pipelines-{cloud}.yml"].content)
    assert errors("azure-pipelines", pipeline) == []
    stages = [s["stage"] for s in pipeline["stages"][1:]]
    assert stages == [st for s in view.steps for st in (s.preview_stage, s.deploy_stage)]
    assert stages[-1] == "deploy_bravo_sharing"


def test_single_force_keys_are_unchanged(plan: Plan) -> None:
    """A single force's job ids carry no slug (the golden tree holds them all)."""
    view = cloud_views(plan)[0]
    assert [s.stack.key for s in view.steps][:2] == ["landing-zone", "wave-1"]


def test_generation_is_deterministic(regional: RegionalPlan, tmp_path: Path) -> None:
    first = render_project(regional, version=VERSION)
    second = render_project(regional.model_copy(deep=True), version=VERSION)
    assert {p: f.content for p, f in first.items()} == {p: f.content for p, f in second.items()}
    out = tmp_path / "project"
    write_project(first, out)
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = write_project(second, out)
    assert {o.status for o in again} == {"unchanged"}
    assert {
        p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
    } == written
    assert load_plan(out / "plans" / "alpha.yaml") == regional.forces[0]


def test_the_project_reads_the_hosts_stack(regional: RegionalPlan, tmp_path: Path) -> None:
    out = tmp_path / "project"
    write_project(render_project(regional, version=VERSION), out)
    project = read_project(out)
    assert dependencies(project, project.stack("bravo-aws-sharing")) == [
        "bravo-aws-landing-zone",
        "bravo-aws-wave-1-1",
        "bravo-aws-wave-2-1",
        "bravo-aws-wave-3-1",
        "alpha-aws-wave-1-1",
    ]
    assert dependencies(project, project.stack("bravo-aws-wave-1-2")) == [
        "bravo-aws-landing-zone",
        "bravo-aws-wave-1-1",
    ]


def test_a_source_stack_outside_the_project_is_refused(regional: RegionalPlan) -> None:
    alpha, bravo = regional.forces
    clouds = list(bravo.clouds)
    consumed = (
        clouds[0].sharing.consumed[0].model_copy(update={"source_stack": "charlie-azure-wave-1"})
    )
    clouds[0] = clouds[0].model_copy(update={"sharing": CloudSharing(consumed=(consumed,))})
    bad = regional.model_copy(
        update={"forces": (alpha, bravo.model_copy(update={"clouds": tuple(clouds)}))}
    )
    with pytest.raises(InputError) as caught:
        check_plan(bad, "region.yaml")
    [problem] = caught.value.problems
    assert problem.location.file == "region.yaml"
    assert problem.location.column == "forces[1].clouds[0].sharing.consumed[0].source_stack"
    assert "'charlie-azure-wave-1' is not a wave stack of this project" in problem.message
    # the same member generated on its own cannot reach alpha's stack either
    with pytest.raises(InputError, match="alpha-azure-wave-1"):
        check_plan(regional.forces[1])


def test_two_forces_with_one_slug_are_refused(regional: RegionalPlan) -> None:
    alpha = regional.forces[0]
    with pytest.raises(InputError) as caught:
        check_plan(regional.model_copy(update={"forces": (alpha, alpha)}))
    columns = [p.location.column for p in caught.value.problems]
    assert "forces[1].force.slug" in columns


def test_cli_generates_a_regional_plan_file(regional: RegionalPlan, tmp_path: Path) -> None:
    source = tmp_path / "region.yaml"
    source.write_text(regional_to_yaml(regional), encoding="utf-8")
    out = tmp_path / "project"
    result = CliRunner().invoke(
        cli,
        [
            "generate",
            str(source),
            "-o",
            str(out),
            "--format",
            "json",
            "--forcelift-requirement",
            "forcelift[pulumi]==0.0.0",
        ],
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["project"] == "forcelift-northern-region"
    assert "bravo-azure-sharing" in report["stacks"]
    assert (out / "plans" / "bravo.yaml").read_text(encoding="utf-8") == plan_to_yaml(
        regional.forces[1]
    )
    assert (out / "plan.yaml").read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    rerun = CliRunner().invoke(
        cli,
        [
            "generate",
            str(source),
            "-o",
            str(out),
            "--check",
            "--forcelift-requirement",
            "forcelift[pulumi]==0.0.0",
        ],
    )
    assert rerun.exit_code == 0, rerun.output


def test_preview_of_the_regional_project_reads_the_host(
    regional: RegionalPlan, tmp_path: Path
) -> None:
    """The sharing stack runs after its host's wave stack (another force's, in the same
    project) and reaches the Private Link service that stack exported."""
    from forcelift.stacks.preview import load_documents, preview_project

    out = tmp_path / "project"
    write_project(render_project(regional, version=VERSION), out)
    result = preview_project(out, only=["bravo-azure-sharing"], jobs=1)
    ran = [r.stack for r in result.stacks]
    assert ran.index("alpha-azure-wave-1") < ran.index("bravo-azure-sharing")
    assert ran[-1] == "bravo-azure-sharing" and "alpha-azure-landing-zone" in ran
    [doc] = load_documents(out, ["bravo-azure-sharing"])
    [endpoint] = [r for r in doc["resources"] if r["type"].endswith(":PrivateEndpoint")]
    [connection] = endpoint["inputs"]["privateLinkServiceConnections"]
    assert connection["privateLinkServiceId"].endswith("/finance-share-pls")


def test_migrate_stage_writes_a_regional_project(regional: RegionalPlan, tmp_path: Path) -> None:
    """`forcelift migrate --collaboration` hands the regional plan to the same stage."""
    from forcelift.stacks.plan_slice import PLAN_CACHE
    from forcelift.stacks.run_stages import PulumiStages

    out = tmp_path / "project"
    outcomes = PulumiStages().generate(regional, out)
    paths = {o.path for o in outcomes}
    assert {"plan.yaml", "plans/alpha.yaml", "plans/bravo.yaml"} <= paths
    assert (out / "plans" / ".bravo.yaml.cache").is_dir()  # primed: the per-wave slices
    cached = [p for p in PLAN_CACHE.plans.values() if p.force.slug == "bravo"]
    assert cached == [regional.forces[1]]
    PLAN_CACHE.clear()
