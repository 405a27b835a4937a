"""The generated CI pipelines: valid against the published schemas, ordered, OIDC only."""

from __future__ import annotations

import copy
import functools
import io
import json
import re
from importlib.resources import files as package_files
from typing import Any

import jsonschema
import pytest
from check_jsonschema.transforms.azure_pipelines import AZURE_TRANSFORM
from ruamel.yaml import YAML

from forcelift.migration.plan.planfile import Plan
from forcelift.stacks.generate import GeneratedFile, cloud_views

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
    bad["jobs"]["deploy-wave-1"]["needs"] = 7
    assert errors("github-workflows", bad)
    bad = pipeline(files, "azure")
    deploy = bad["stages"][1]["jobs"][0]["strategy"]["runOnce"]["deploy"]["steps"]
    next(s for s in deploy if s.get("task") == "AzureCLI@2")["inputs"]["scriptType"] = "sh"
    assert errors("azure-pipelines", bad)
    bad = pipeline(files, "aws")
    bad["stages"][0]["jobs"][0]["steps"][1]["task"] = "UsePythonVersoin@0"
    assert errors("azure-pipelines", bad)


def _deploy_jobs(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(k, v) for k, v in data["jobs"].items() if k.startswith("deploy-")]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_github_deploys_landing_zone_then_waves_in_order_behind_environments(
    plan: Plan, files: dict[str, GeneratedFile], cloud: str
) -> None:
    view = next(c for c in cloud_views(plan) if c.name == cloud)
    data = workflow(files, cloud)
    assert set(data["on"]) == {"pull_request", "push", "workflow_dispatch"}
    assert data["on"]["push"]["branches"] == ["main"]
    jobs = _deploy_jobs(data)
    assert [k for k, _ in jobs] == [g.job_id for g in view.groups]
    assert jobs[0][0] == "deploy-landing-zone" and "needs" not in jobs[0][1]
    deployed: list[str] = []
    for (key, job), (previous, _) in zip(jobs[1:], jobs, strict=False):
        assert job["needs"] == previous, key
    for (key, job), group in zip(jobs, view.groups, strict=True):
        assert job["environment"] == group.environment
        assert job["permissions"] == {"contents": "read", "id-token": "write"}
        assert "pull_request" in job["if"] and "refs/heads/main" in job["if"]
        runs = "\n".join(s.get("run", "") for s in job["steps"])
        stacks = [s["env"]["STACK"] for s in job["steps"] if "STACK" in s.get("env", {})]
        assert stacks == [s.name for s in group.stacks], key
        assert runs.count('forcelift deploy . --stack "$STACK" --up') == len(stacks)
        assert runs.count('forcelift preview . --stack "$STACK"') == len(stacks)
        deployed += stacks
        uses = [s.get("uses", "") for s in job["steps"]]
        assert "pulumi/actions@v6" in uses
        if cloud == "azure":
            login = next(s for s in job["steps"] if s.get("uses") == "azure/login@v2")
            assert set(login["with"]) == {"client-id", "tenant-id", "subscription-id"}
            assert job["env"]["ARM_USE_OIDC"] == "true"
        else:
            login = next(
                s
                for s in job["steps"]
                if s.get("uses") == "aws-actions/configure-aws-credentials@v4"
            )
            assert "role-to-assume" in login["with"] and login["with"]["aws-region"] == "eu-west-2"
    assert deployed == [s.name for s in view.stacks]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_github_pull_request_checks(
    plan: Plan, files: dict[str, GeneratedFile], cloud: str
) -> None:
    view = next(c for c in cloud_views(plan) if c.name == cloud)
    data = workflow(files, cloud)
    preview = data["jobs"]["preview"]
    assert preview["if"] == "github.event_name == 'pull_request'"
    assert preview["strategy"]["matrix"]["stack"] == [s.name for s in view.stacks]
    assert "id-token" not in preview["permissions"], "pull requests get no cloud identity"
    runs = [s.get("run", "") for s in preview["steps"]]
    assert 'forcelift preview . --stack "$STACK"' in runs
    assert 'forcelift policy check . --format sarif -o guardrails.sarif --stack "$STACK"' in runs
    upload = next(
        s for s in preview["steps"] if s.get("uses") == "github/codeql-action/upload-sarif@v3"
    )
    assert upload["with"]["sarif_file"] == "guardrails.sarif"
    assert preview["permissions"]["security-events"] == "write"
    comment = data["jobs"]["plan-comment"]
    assert comment["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = comment["steps"]
    assert any(
        s.get("run") == "forcelift plan show plan.yaml --format markdown > plan-comment.md"
        for s in steps
    )
    sticky = next(s for s in steps if "sticky-pull-request-comment" in s.get("uses", ""))
    assert sticky["with"]["path"] == "plan-comment.md"


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
def test_azure_devops_stages_in_order_behind_environments(
    plan: Plan, files: dict[str, GeneratedFile], cloud: str
) -> None:
    view = next(c for c in cloud_views(plan) if c.name == cloud)
    data = pipeline(files, cloud)
    assert data["trigger"]["branches"]["include"] == ["main"]
    check, *deploys = data["stages"]
    assert check["condition"] == "eq(variables['Build.Reason'], 'PullRequest')"
    matrix = check["jobs"][1]["strategy"]["matrix"]
    assert [m["stack"] for m in matrix.values()] == [s.name for s in view.stacks]
    assert [s["stage"] for s in deploys] == [g.stage_id for g in view.groups]
    assert deploys[0]["dependsOn"] == []
    for stage, previous in zip(deploys[1:], deploys, strict=False):
        assert stage["dependsOn"] == previous["stage"]
    deployed = []
    for stage, group in zip(deploys, view.groups, strict=True):
        assert "refs/heads/main" in stage["condition"]
        assert stage["variables"] == [{"group": f"forcelift-{plan.force.slug}"}]
        (job,) = stage["jobs"]
        assert job["environment"] == group.environment
        steps = job["strategy"]["runOnce"]["deploy"]["steps"]
        for step in steps:
            if "STACK" in step.get("env", {}):
                deployed.append(step["env"]["STACK"])
                script = step.get("script") or step["inputs"]["inlineScript"]
                assert 'forcelift deploy . --stack "$STACK" --up' in script
        if cloud == "azure":
            tasks = [s for s in steps if s.get("task") == "AzureCLI@2"]
            assert tasks and all(t["inputs"]["addSpnToEnvironment"] is True for t in tasks)
            assert all('ARM_OIDC_TOKEN="$idToken"' in t["inputs"]["inlineScript"] for t in tasks)
        else:
            login = next(s for s in steps if "assume-role-with-web-identity" in s.get("script", ""))
            assert login["env"]["SYSTEM_OIDCREQUESTURI"] == "$(System.OidcRequestUri)"
    assert deployed == [s.name for s in view.stacks]
