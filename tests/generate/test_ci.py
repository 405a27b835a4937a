"""The generated CI pipelines: valid against the published schemas, ordered, OIDC only."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import json
import re
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from check_jsonschema.transforms.azure_pipelines import AZURE_TRANSFORM
from ruamel.yaml import YAML

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.regional import CollaborationInfo, RegionalPlan
from forcelift.stacks.generate import (
    CloudView,
    GeneratedFile,
    PreviewShards,
    cloud_views,
    preview_shards,
    render_project,
    warnings_for,
)
from forcelift.stacks.pipeline_pins import ACTIONS, PULUMI_VERSION

CLOUDS = ("azure", "aws")


def load(text: str) -> Any:
    """YAML 1.2, as GitHub and Azure DevOps read it (PyYAML would turn `on:` into True)."""
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


@functools.lru_cache(maxsize=2)
def validator(name: str) -> jsonschema.protocols.Validator:
    """The schema check-jsonschema ships (vendor.<name>), loaded offline."""
    vendor = package_files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((vendor / f"{name}.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def errors(name: str, data: Any) -> list[str]:
    if name == "azure-pipelines":
        data = AZURE_TRANSFORM(copy.deepcopy(data))
    best = jsonschema.exceptions.best_match(validator(name).iter_errors(data))
    return [] if best is None else [f"{best.json_path}: {best.message}"]


def workflow(files: dict[str, GeneratedFile], cloud: str) -> dict[str, Any]:
    data: dict[str, Any] = load(files[f".github/workflows/forcelift-{cloud}.yml"].content)
    return data


def pipeline(files: dict[str, GeneratedFile], cloud: str) -> dict[str, Any]:
    data: dict[str, Any] = load(files[f"azure-pipelines-{cloud}.yml"].content)
    return data


@pytest.mark.parametrize("cloud", CLOUDS)
def test_github_workflow_validates_against_its_schema(
    files: dict[str, GeneratedFile], cloud: str
) -> None:
    assert errors("github-workflows", workflow(files, cloud)) == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_azure_pipeline_validates_against_its_schema(
    files: dict[str, GeneratedFile], cloud: str
) -> None:
    assert errors("azure-pipelines", pipeline(files, cloud)) == []


def test_the_schemas_catch_mistakes(files: dict[str, GeneratedFile]) -> None:
    """Proof the validation above is live: small, realistic slips fail it."""
    bad = workflow(files, "azure")
    bad["jobs"]["deploy-landing-zone"]["permisions"] = {"id-token": "write"}
    assert errors("github-workflows", bad)
    bad = workflow(files, "aws")
    bad["jobs"]["deploy-wave-1-1"]["needs"] = 7
    assert errors("github-workflows", bad)
    bad = pipeline(files, "azure")
    deploy = bad["stages"][2]["jobs"][0]["strategy"]["runOnce"]["deploy"]["steps"]
    next(s for s in deploy if s.get("task") == "AzureCLI@2")["inputs"]["scriptType"] = "sh"
    assert errors("azure-pipelines", bad)
    bad = pipeline(files, "aws")
    bad["stages"][0]["jobs"][0]["steps"][1]["task"] = "UsePythonVersoin@0"
    assert errors("azure-pipelines", bad)


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _steps_uses(data: dict[str, Any]) -> list[str]:
    return [s["uses"] for job in data["jobs"].values() for s in job["steps"] if "uses" in s]


def _live_jobs(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(k, v) for k, v in data["jobs"].items() if k.startswith(("deploy-", "preview-"))]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_github_every_action_is_pinned_to_a_commit_with_its_tag(
    files: dict[str, GeneratedFile], cloud: str
) -> None:
    data = workflow(files, cloud)
    uses = _steps_uses(data)
    assert uses and all(PINNED.match(u) for u in uses), [u for u in uses if not PINNED.match(u)]
    text = files[f".github/workflows/forcelift-{cloud}.yml"].content
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d", line), line
    pulumi = [
        s
        for job in data["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("pulumi/actions@")
    ]
    assert pulumi and all(s["with"]["pulumi-version"] == PULUMI_VERSION for s in pulumi)
    assert ACTIONS["pulumi"].split(" #")[0] in uses


@pytest.mark.parametrize("cloud", CLOUDS)
def test_github_live_preview_then_approval_then_up_of_that_plan(
    plan: Plan, files: dict[str, GeneratedFile], cloud: str
) -> None:
    """Per stack, in deployment order: live preview (diff to the job summary, update plan
    kept), then the deploy job behind the environment applies exactly that plan."""
    view = next(c for c in cloud_views(plan) if c.name == cloud)
    data = workflow(files, cloud)
    assert set(data["on"]) == {"pull_request", "push", "workflow_dispatch"}
    assert data["on"]["push"]["branches"] == ["main"]
    jobs = _live_jobs(data)
    expected = [j for s in view.steps for j in (s.preview_job, s.deploy_job)]
    assert [k for k, _ in jobs] == expected
    assert "needs" not in jobs[0][1]
    for (key, job), (previous, _) in zip(jobs[1:], jobs, strict=False):
        assert job["needs"] == previous, key  # preview after the stack before is up
    deployed: list[str] = []
    for step in view.steps:
        preview, deploy = data["jobs"][step.preview_job], data["jobs"][step.deploy_job]
        for job in (preview, deploy):
            assert job["env"]["STACK"] == step.stack.name
            assert job["env"]["PULUMI_EXPERIMENTAL"] == "true"
            assert job["permissions"] == {"contents": "read", "id-token": "write"}
            assert "pull_request" in job["if"] and "refs/heads/main" in job["if"]
            checkout = job["steps"][0]
            assert checkout["uses"].startswith("actions/checkout@")
            assert checkout["with"]["ref"] == "${{ github.sha }}"  # the same commit
        assert deploy["environment"] == step.environment  # required reviewers: the gate
        assert preview["environment"] == f"{step.environment}-preview"
        runs = "\n".join(s.get("run", "") for s in preview["steps"])
        assert 'pulumi preview --stack "$STACK" --diff --save-plan update-plan.json' in runs
        assert 'forcelift policy check . --stack "$STACK"' in runs
        assert '>> "$GITHUB_STEP_SUMMARY"' in runs and "cat live-preview.txt" in runs
        upload = next(s for s in preview["steps"] if "upload-artifact" in s.get("uses", ""))
        assert upload["with"]["name"] == step.artifact
        assert "update-plan.json" in upload["with"]["path"]
        download = next(s for s in deploy["steps"] if "download-artifact" in s.get("uses", ""))
        assert download["with"]["name"] == step.artifact
        deploy_runs = [s.get("run", "") for s in deploy["steps"]]
        assert (
            'pulumi up --stack "$STACK" --plan update-plan.json --yes --non-interactive'
            in deploy_runs
        )
        assert not any("pulumi preview" in r for r in deploy_runs)
        uses = [s.get("uses", "") for s in deploy["steps"]]
        if cloud == "azure":
            login = next(s for s in deploy["steps"] if "azure/login@" in s.get("uses", ""))
            assert set(login["with"]) == {"client-id", "tenant-id", "subscription-id"}
            assert deploy["env"]["ARM_USE_OIDC"] == "true"
        else:
            login = next(
                s
                for s in deploy["steps"]
                if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
            )
            assert "role-to-assume" in login["with"] and login["with"]["aws-region"] == "eu-west-2"
        assert any(u.startswith("pulumi/actions@") for u in uses)
        deployed.append(step.stack.name)
    assert deployed == [s.name for s in view.stacks]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_pipelines_install_into_the_virtualenv_pulumi_yaml_names(
    files: dict[str, GeneratedFile], cloud: str
) -> None:
    assert load(files["Pulumi.yaml"].content)["runtime"]["options"]["virtualenv"] == "venv"
    gh = workflow(files, cloud)
    for name, job in gh["jobs"].items():
        runs = "\n".join(s.get("run", "") for s in job["steps"])
        assert "python -m venv venv" in runs, name
        assert "venv/bin/python -m pip install -r requirements.txt" in runs, name
        assert 'echo "$PWD/venv/bin" >> "$GITHUB_PATH"' in runs, name
    ado = files[f"azure-pipelines-{cloud}.yml"].content
    assert ado.count("python -m venv venv") == ado.count("pip install -r requirements.txt") > 0
    assert "##vso[task.prependpath]$(pwd)/venv/bin" in ado


@pytest.mark.parametrize("cloud", CLOUDS)
def test_azure_devops_pulumi_cli_is_pinned_and_checksum_verified(
    files: dict[str, GeneratedFile], cloud: str
) -> None:
    ado = files[f"azure-pipelines-{cloud}.yml"].content
    assert "get.pulumi.com" not in ado
    assert not re.search(r"\|\s*(ba)?sh\b", ado), "never pipe a download into a shell"
    data = pipeline(files, cloud)
    assert {"name": "pulumiVersion", "value": PULUMI_VERSION} in data["variables"]
    installs = re.findall(r"Install the Pulumi CLI \$\(pulumiVersion\) \(checksum-verified\)", ado)
    assert len(installs) == ado.count("pulumi login")
    assert ado.count("sha256sum --check --strict") == len(installs)


def _runs(job: dict[str, Any]) -> list[str]:
    return [s.get("run", "") for s in job["steps"]]


def _step(job: dict[str, Any], action: str, nth: int = 0) -> dict[str, Any]:
    found = [s for s in job["steps"] if s.get("uses", "").startswith(action + "@")]
    return found[nth]


def check_github_pull_request(data: dict[str, Any], cloud: CloudView, shards: int) -> None:
    """Landing zone first, then `shards` matrix jobs of wave stacks, then one merge job that
    checks every stack and uploads one SARIF; no cloud identity anywhere."""
    name = cloud.name
    pr = {k: v for k, v in data["jobs"].items() if v["if"] == "github.event_name == 'pull_request'"}
    assert list(pr) == ["plan-comment", "pr-landing-zone", "pr-shard", "pr-guardrails"]
    for job in pr.values():
        assert "id-token" not in job["permissions"], "pull requests get no cloud identity"
    landing, shard, merge = pr["pr-landing-zone"], pr["pr-shard"], pr["pr-guardrails"]
    assert "needs" not in landing
    assert f"forcelift preview . --cloud {name} --layer landing-zone" in _runs(landing)
    kept = _step(landing, "actions/upload-artifact")["with"]
    assert kept["name"] == f"preview-{name}-landing-zone"
    assert "preview/" in kept["path"].split()

    assert shard["needs"] == "pr-landing-zone"
    assert shard["strategy"]["matrix"] == {"shard": list(range(1, shards + 1))}
    assert shard["strategy"]["fail-fast"] is False
    assert shard["env"]["SHARD"] == f"${{{{ matrix.shard }}}}/{shards}"
    uses = [s.get("uses", "").split("@")[0] for s in shard["steps"]]
    runs = _runs(shard)
    preview = f'forcelift preview . --cloud {name} --layer wave --shard "$SHARD"'
    assert preview in runs
    fetched = uses.index("actions/download-artifact")
    assert fetched < runs.index(preview) and uses.index("actions/cache") < fetched
    assert _step(shard, "actions/download-artifact")["with"] == {
        "name": f"preview-{name}-landing-zone"
    }
    assert any('--layer wave --shard "$SHARD" --format sarif' in r for r in runs)
    cache = _step(shard, "actions/cache")["with"]
    assert cache["path"] == "preview"
    assert cache["key"].startswith(
        f"forcelift-preview-{name}-shard-${{{{ matrix.shard }}}}-of-{shards}-"
    )
    assert "hashFiles('plan.yaml', " in cache["key"]
    assert cache["key"] != _step(landing, "actions/cache")["with"]["key"]
    kept = _step(shard, "actions/upload-artifact")["with"]
    assert kept["name"] == f"preview-{name}-shard-${{{{ matrix.shard }}}}"
    assert "preview/" in kept["path"].split()

    assert merge["needs"] == ["pr-landing-zone", "pr-shard"]
    assert merge["permissions"] == {"contents": "read", "security-events": "write"}
    assert _step(merge, "actions/download-artifact")["with"] == {
        "pattern": f"preview-{name}-*",
        "merge-multiple": True,
    }
    runs = _runs(merge)
    sharing = f"forcelift preview . --cloud {name} --layer sharing"
    assert (sharing in runs) == any(s.is_sharing for s in cloud.stacks)
    check = f"forcelift policy check . --cloud {name} --format sarif -o guardrails.sarif"
    assert check in runs
    if sharing in runs:
        assert runs.index(sharing) < runs.index(check)
    sarif = [s for s in merge["steps"] if "codeql-action/upload-sarif@" in s.get("uses", "")]
    assert len(sarif) == 1 and sarif[0]["with"] == {
        "sarif_file": "guardrails.sarif",
        "category": f"forcelift-{name}",
    }
    assert not any(
        "upload-sarif" in s.get("uses", "") for j in (landing, shard) for s in j["steps"]
    )


def check_azure_pull_request(stage: dict[str, Any], cloud: CloudView, shards: int) -> None:
    name = cloud.name
    jobs = {j["job"]: j for j in stage["jobs"]}
    assert list(jobs) == ["plan_comment", "preview_landing_zone", "preview_shard", "guardrails"]
    landing, shard, merge = jobs["preview_landing_zone"], jobs["preview_shard"], jobs["guardrails"]

    def scripts(job: dict[str, Any]) -> str:
        return "\n".join(s.get("script", "") for s in job["steps"])

    assert f"forcelift preview . --cloud {name} --layer landing-zone" in scripts(landing)
    published = [s for s in landing["steps"] if "publish" in s]
    assert [s["artifact"] for s in published] == [f"preview-{name}-landing-zone"]
    assert shard["dependsOn"] == "preview_landing_zone"
    matrix = shard["strategy"]["matrix"]
    assert matrix == {f"shard_{i}": {"shard": i} for i in range(1, shards + 1)}
    text = scripts(shard)
    assert f'forcelift preview . --cloud {name} --layer wave --shard "$(shard)/{shards}"' in text
    assert f"preview-{name}-landing-zone/preview/." in text
    caches = [s for s in [*landing["steps"], *shard["steps"]] if s.get("task") == "Cache@2"]
    keys = [c["inputs"]["key"] for c in caches]
    assert len(keys) == 2 and len(set(keys)) == 2
    assert f'"shard-$(shard)-of-{shards}"' in keys[1] and "plan.yaml" in keys[1]
    assert [s["artifact"] for s in shard["steps"] if "publish" in s] == [
        f"preview-{name}-shard-$(shard)"
    ]
    assert merge["dependsOn"] == ["preview_landing_zone", "preview_shard"]
    download = next(s for s in merge["steps"] if "download" in s)
    assert download == {
        "download": "current",
        "patterns": f"preview-{name}-*/**",
        "displayName": download["displayName"],
    }
    text = scripts(merge)
    assert (f"--cloud {name} --layer sharing" in text) == any(s.is_sharing for s in cloud.stacks)
    assert (
        f"forcelift policy check . --cloud {name} --format sarif -o guardrails-{name}.sarif" in text
    )
    (published,) = [s for s in merge["steps"] if s.get("task") == "PublishBuildArtifacts@1"]
    assert published["inputs"] == {
        "PathtoPublish": f"guardrails-{name}.sarif",
        "ArtifactName": "CodeAnalysisLogs",
    }


@pytest.mark.parametrize("cloud", CLOUDS)
def test_github_pull_request_checks(
    plan: Plan, files: dict[str, GeneratedFile], cloud: str
) -> None:
    view = next(c for c in cloud_views(plan) if c.name == cloud)
    assert preview_shards(view).count == 1  # smallshire is small: one shard
    check_github_pull_request(workflow(files, cloud), view, 1)
    comment = workflow(files, cloud)["jobs"]["plan-comment"]
    assert comment["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = comment["steps"]
    assert any(
        s.get("run") == "forcelift plan show plan.yaml --format markdown > plan-comment.md"
        for s in steps
    )
    sticky = next(s for s in steps if "sticky-pull-request-comment" in s.get("uses", ""))
    assert sticky["with"]["path"] == "plan-comment.md"


@pytest.fixture(scope="module")
def regional_plan(plan: Plan) -> RegionalPlan:
    from .test_regional_generate import FORCES, rename, share

    alpha, bravo = share(*(rename(plan, slug, name) for slug, name in FORCES))
    return RegionalPlan(
        collaboration=CollaborationInfo(
            name="Northern Region", slug="northern-region", forces=(alpha.force, bravo.force)
        ),
        as_of=dt.date(2026, 11, 25),
        forces=(alpha, bravo),
    )


@pytest.mark.parametrize("case", ["one shard", "three shards", "regional, two shards"])
@pytest.mark.parametrize("cloud", CLOUDS)
def test_sharded_pull_request_pipelines_validate(
    plan: Plan, regional_plan: RegionalPlan, case: str, cloud: str
) -> None:
    source: Plan | RegionalPlan = regional_plan if case.startswith("regional") else plan
    shards = {"one shard": 1, "three shards": 3, "regional, two shards": 2}[case]
    rendered = render_project(source, version="0.0.0", shards=shards)
    view = next(c for c in cloud_views(source) if c.name == cloud)
    gh, ado = workflow(rendered, cloud), pipeline(rendered, cloud)
    assert errors("github-workflows", gh) == []
    assert errors("azure-pipelines", ado) == []
    check_github_pull_request(gh, view, shards)
    check_azure_pull_request(ado["stages"][0], view, shards)
    text = rendered[f".github/workflows/forcelift-{cloud}.yml"].content
    assert f"# {shards} shard(s) for " in text and "(set with forcelift generate --shards)" in text
    regional = isinstance(source, RegionalPlan)
    assert ("'plans/*.yaml'" in text) == regional
    assert ("plans/*.yaml" in rendered[f"azure-pipelines-{cloud}.yml"].content) == regional
    # The deploy jobs stay one stack after another, whatever the shards.
    live = [k for k in gh["jobs"] if k.startswith(("preview-", "deploy-"))]
    assert live == [j for s in view.steps for j in (s.preview_job, s.deploy_job)]


def test_shard_count_follows_the_plans_size(plan: Plan) -> None:
    """One shard per 20,000 estimated resources of wave stacks, never more than units."""
    bigger = plan.model_copy(
        update={
            "clouds": tuple(
                c.model_copy(
                    update={
                        "stacks": tuple(
                            s.model_copy(
                                update={"estimated_resources": s.estimated_resources * 100}
                            )
                            for s in c.stacks
                        )
                    }
                )
                for c in plan.clouds
            )
        }
    )
    views = {c.name: c for c in cloud_views(bigger)}
    # aws: 38,400 wave resources in 3 waves (staff access counted); azure: under 20,000.
    assert preview_shards(views["aws"]) == PreviewShards(2, 38_400, chosen=False, sharing=False)
    assert preview_shards(views["azure"]).count == 1
    assert preview_shards(views["aws"], 5).count == 5
    rendered = render_project(bigger, version="0.0.0")
    data = workflow(rendered, "aws")
    assert data["jobs"]["pr-shard"]["strategy"]["matrix"]["shard"] == [1, 2]
    text = rendered[".github/workflows/forcelift-aws.yml"].content
    assert "# 2 shard(s) for 38,400 estimated resources of wave stacks (one per 20,000" in text
    assert pipeline(rendered, "aws")["stages"][0]["jobs"][2]["strategy"]["matrix"] == {
        "shard_1": {"shard": 1},
        "shard_2": {"shard": 2},
    }


@pytest.mark.parametrize("cloud", CLOUDS)
def test_no_stored_cloud_secret(files: dict[str, GeneratedFile], cloud: str) -> None:
    """Only the Pulumi passphrase is a secret; cloud identities are OIDC-federated."""
    gh = files[f".github/workflows/forcelift-{cloud}.yml"].content
    assert set(re.findall(r"secrets\.(\w+)", gh)) == {"PULUMI_CONFIG_PASSPHRASE"}
    ado = files[f"azure-pipelines-{cloud}.yml"].content
    for text in (gh, ado):
        for forbidden in ("client-secret", "ARM_CLIENT_SECRET", "aws-secret-access-key", "creds:"):
            assert forbidden not in text
    assert "AWS_SECRET_ACCESS_KEY: ${{" not in gh


@pytest.mark.parametrize("cloud", CLOUDS)
def test_azure_devops_live_preview_then_approval_then_up_of_that_plan(
    plan: Plan, files: dict[str, GeneratedFile], cloud: str
) -> None:
    view = next(c for c in cloud_views(plan) if c.name == cloud)
    data = pipeline(files, cloud)
    assert data["trigger"]["branches"]["include"] == ["main"]
    check, *live = data["stages"]
    assert check["condition"] == "eq(variables['Build.Reason'], 'PullRequest')"
    check_azure_pull_request(check, view, preview_shards(view).count)
    expected = [st for s in view.steps for st in (s.preview_stage, s.deploy_stage)]
    assert [s["stage"] for s in live] == expected
    assert live[0]["dependsOn"] == []
    for stage, previous in zip(live[1:], live, strict=False):
        assert stage["dependsOn"] == previous["stage"]
    deployed = []
    for step in view.steps:
        preview = next(s for s in live if s["stage"] == step.preview_stage)
        deploy = next(s for s in live if s["stage"] == step.deploy_stage)
        for stage in (preview, deploy):
            assert "refs/heads/main" in stage["condition"]
            assert {"group": f"forcelift-{plan.force.slug}"} in stage["variables"]
            assert {"name": "PULUMI_EXPERIMENTAL", "value": "true"} in stage["variables"]
        (pjob,) = preview["jobs"]
        assert "environment" not in pjob
        (djob,) = deploy["jobs"]
        assert djob["environment"] == step.environment  # approvals and checks: the gate
        psteps = pjob["steps"]
        dsteps = djob["strategy"]["runOnce"]["deploy"]["steps"]

        def script(step_: dict[str, Any]) -> str:
            return str(step_.get("script") or step_.get("inputs", {}).get("inlineScript", ""))

        ptext = "\n".join(script(s) for s in psteps)
        dtext = "\n".join(script(s) for s in dsteps)
        assert 'pulumi preview --stack "$STACK" --diff --save-plan update-plan.json' in ptext
        assert "##vso[task.uploadsummary]" in ptext
        assert any(s.get("artifact") == step.artifact and "publish" in s for s in psteps)
        assert any(
            s.get("download") == "current" and s.get("artifact") == step.artifact for s in dsteps
        )
        assert f'--plan "$(Pipeline.Workspace)/{step.artifact}/update-plan.json"' in dtext
        assert "pulumi preview" not in dtext
        stacks = {s["env"]["STACK"] for s in [*psteps, *dsteps] if "STACK" in s.get("env", {})}
        assert stacks == {step.stack.name}
        deployed.append(step.stack.name)
        if cloud == "azure":
            tasks = [s for s in dsteps if s.get("task") == "AzureCLI@2"]
            assert tasks and all(t["inputs"]["addSpnToEnvironment"] is True for t in tasks)
            assert all('ARM_OIDC_TOKEN="$idToken"' in t["inputs"]["inlineScript"] for t in tasks)
        else:
            login = next(
                s for s in dsteps if "assume-role-with-web-identity" in s.get("script", "")
            )
            assert login["env"]["SYSTEM_OIDCREQUESTURI"] == "$(System.OidcRequestUri)"
    assert deployed == [s.name for s in view.stacks]


def test_generate_shards_option(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from forcelift.cli.main import cli

    from .conftest import PLAN

    out = tmp_path / "project"
    args = ["generate", str(PLAN), "-o", str(out), "--forcelift-requirement", "forcelift"]
    result = CliRunner().invoke(cli, [*args, "--shards", "3"])
    assert result.exit_code == 0, result.output
    data = load((out / ".github/workflows/forcelift-aws.yml").read_text(encoding="utf-8"))
    assert data["jobs"]["pr-shard"]["strategy"]["matrix"]["shard"] == [1, 2, 3]
    for bad in ("0", "257", "x"):
        assert CliRunner().invoke(cli, [*args, "--shards", bad]).exit_code == 2


def test_a_workflow_file_over_githubs_limit_is_warned_about(
    plan: Plan, files: dict[str, GeneratedFile]
) -> None:
    assert warnings_for(plan, files) == []
    path = ".github/workflows/forcelift-aws.yml"
    big = {**files, path: GeneratedFile(path, "x" * 500_001)}
    (warning,) = warnings_for(plan, big)
    assert warning.startswith(f"{path}: 500,001 bytes exceed GitHub Actions' workflow file limit")
