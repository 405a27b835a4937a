"""The deliberately broken collaboration (tests/sharing/data/broken/, README.md there): each
mistake gives its exit-2 error with file and line, or the guardrail finding it should.

- an unknown shared-service consumer and malformed subscription ids: `forcelift plan
  --collaboration` exits 2, naming the file, the line and the field;
- a flow with no agreement reference plans fine (the reference is never invented) and
  `forcelift migrate --collaboration --cloud aws` exits 1 with FL-SHR-002;
- a partner account on a host's endpoint service that no agreement names: FL-SHR-001, from
  the report, `forcelift policy check` and the deploy guardrails alike (each judges a stack
  against its force's member plan).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.migration.policy.model import Finding

BROKEN = Path(__file__).parent / "data" / "broken"
AS_OF = ("--as-of", "2026-06-01")
FLOW = "custody-cps-custody-records-and-charge-files"  # alpha's Custody -> CPS flow
SERVICE = "alpha-aws-wave-1"  # the wave stack that hosts Regional intelligence
STRANGER = "333333333333"  # an AWS account no agreement names


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _findings(project: Path) -> dict[str, list[Finding]]:
    from forcelift.migration.report.inputs import RegionalInputs, read_inputs

    inputs = read_inputs(project)
    assert isinstance(inputs, RegionalInputs)
    return {slug: list(own.findings) for slug, own in inputs.per_force.items()}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """One migrate run over the two tiny forces, AWS (plan, project, previews, reports)."""
    out = tmp_path_factory.mktemp("broken-region") / "project"
    result = _run(
        "migrate", "--collaboration", str(BROKEN / "collaboration.yaml"), *AS_OF, "--cloud", "aws",
        "--out", str(out), "--jobs", "2", "--json",
    )  # fmt: skip
    return out, result


# --------------------------------------------------------------------------- exit 2, located
@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (
            "unknown-consumer.yaml",
            [
                (
                    27,
                    "shared_services[0].consumers[1]",
                    "consumer 'Atlantis Police' is neither a force slug nor a partner",
                )
            ],
        ),
        (
            "bad-subscription.yaml",
            [
                (15, "forces[1].azure_subscription", "'beta-subscription-1' is not a GUID"),
                (
                    21,
                    "partners[0].azure_subscriptions[0]",
                    "'0a071506-8848-5ad5-945d-3a7476977e3' is not a GUID",
                ),
            ],
        ),
    ],
    ids=["unknown-consumer", "malformed-subscription-ids"],
)
def test_broken_collaboration_file_is_exit_2_with_file_and_line(
    file: str, expected: list[tuple[int, str, str]], tmp_path: Path
) -> None:
    out = tmp_path / "plan.yaml"
    result = _run("plan", "--collaboration", str(BROKEN / file), *AS_OF, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == len(expected), result.stderr
    for line, (number, column, message) in zip(errors, expected, strict=True):
        assert line.startswith(f"{BROKEN / file}, line {number}, column '{column}': error: ")
        assert message in line
    assert f"{len(expected)} error" in result.stderr and "nothing was written" in result.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- FL-SHR-002
def test_a_flow_without_agreement_plans_fine(tmp_path: Path) -> None:
    from forcelift.migration.plan.regional import RegionalPlan
    from forcelift.migration.plan.regional_io import load_plan_document

    out = tmp_path / "plan.yaml"
    result = _run(
        "plan", "--collaboration", str(BROKEN / "collaboration.yaml"), *AS_OF, "--cloud", "aws",
        "-q", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = load_plan_document(out)
    assert isinstance(plan, RegionalPlan)
    alpha = plan.force("alpha")
    assert alpha.sharing is not None
    flow = next(f for f in alpha.sharing.flows if f.name == FLOW)
    assert (flow.partner, flow.agreement) == ("Crown Prosecution Service", "")  # never invented
    # a bare collaboration OU id (no aws_organization to make its ARN): the transit gateway is
    # shared with the consuming force's account, never with the OU id RAM would refuse
    (share,) = alpha.cloud("aws").sharing.ram_shares
    assert share.principals == ("502345678901",) and not share.allow_external_principals
    (note,) = [n for n in alpha.notes if "bare id" in n]  # and the plan says why
    assert "ou-br01-7d3e9a2c" in note and share.name in note


def test_migrate_exits_1_with_the_missing_agreement(migrated: tuple[Path, Result]) -> None:
    out, result = migrated
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["guardrails"]["blocking"] == 2
    by_force = {f["force"]: f for f in summary["forces"]}
    assert (by_force["alpha"]["blocking"], by_force["beta"]["blocking"]) == (2, 0)
    found = _findings(out)
    assert found["beta"] == []
    assert sorted((f.rule_id, f.stack, f.urn) for f in found["alpha"]) == [
        ("FL-SHR-002", "plan", "forcelift:plan::flow::" + FLOW),
        ("FL-SHR-002", "plan", "forcelift:plan::hosted::aws-custody"),
    ]
    assert all(f.severity.value == "high" and not f.waived for f in found["alpha"])
    summary_md = (out / "report" / "alpha" / "summary.md").read_text(encoding="utf-8")
    assert f"| high | FL-SHR-002 | `plan` | `{FLOW}` |" in summary_md
    assert (out / "report" / "index.html").is_file()


# --------------------------------------------------------------------------- FL-SHR-001
@pytest.fixture(scope="module")
def stranger(migrated: tuple[Path, Result], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated project with an account no agreement names added to Regional
    intelligence's endpoint service (its preview edited as a hand change would)."""
    out, _ = migrated
    project = tmp_path_factory.mktemp("stranger") / "project"
    shutil.copytree(out, project, ignore=shutil.ignore_patterns("report"))
    file = project / "preview" / f"{SERVICE}.json"
    preview = json.loads(file.read_text(encoding="utf-8"))
    services = [
        r
        for r in preview["resources"]
        if r["type"].endswith("/vpcEndpointService:VpcEndpointService")
    ]
    assert len(services) == 1
    principals = services[0]["inputs"]["allowedPrincipals"]
    assert principals == ["arn:aws:iam::502345678901:root"]  # Beta's account only
    principals.append(f"arn:aws:iam::{STRANGER}:root")
    file.write_text(json.dumps(preview, indent=2), encoding="utf-8")
    return project


def test_a_partner_account_not_on_the_allow_list_is_fl_shr_001(stranger: Path) -> None:
    found = _findings(stranger)
    extra = [f for f in found["alpha"] if f.rule_id == "FL-SHR-001"]
    assert len(extra) == 1, found["alpha"]
    assert extra[0].stack == SERVICE and STRANGER in extra[0].message
    assert extra[0].resource_type == "aws:ec2/vpcEndpointService:VpcEndpointService"
    assert not any(f.rule_id == "FL-SHR-001" for f in found["beta"])
    result = _run("report", str(stranger), "--no-inventory", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["forces"]["alpha"]["findings"] == 3  # 2 x SHR-002 + SHR-001


def test_policy_check_runs_the_plan_aware_rules_per_force(stranger: Path) -> None:
    """`forcelift policy check DIR` judges each stack against its force's member plan: the
    stranger's account (FL-SHR-001) and Alpha's missing agreements (FL-SHR-002), once each."""
    result = _run("policy", "check", str(stranger), "--format", "json", "--as-of", "2026-06-01")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    rules = sorted((f["rule"], f["stack"]) for f in found)
    assert rules == [
        ("FL-SHR-001", SERVICE),
        ("FL-SHR-002", "plan"),
        ("FL-SHR-002", "plan"),
    ], found
    assert STRANGER in next(f["message"] for f in found if f["rule"] == "FL-SHR-001")
    beta = _run(
        "policy", "check", str(stranger), "--stack", "beta-aws-sharing", "--format", "json",
        "--as-of", "2026-06-01",
    )  # fmt: skip
    assert beta.exit_code == 0, beta.output  # Beta's plan has no finding of its own
    assert json.loads(beta.stdout)["findings"] == []


def test_deploy_guardrails_judge_a_stack_against_its_force_plan(stranger: Path) -> None:
    import datetime as dt

    from forcelift.stacks.deploy import DeployFailed, enforce_guardrails, guardrail_findings

    day = dt.date(2026, 6, 1)
    found = guardrail_findings(stranger, SERVICE, day)
    assert sorted(f.rule_id for f in found) == ["FL-SHR-001", "FL-SHR-002", "FL-SHR-002"]
    with pytest.raises(DeployFailed):
        enforce_guardrails(stranger, SERVICE, day)
    assert guardrail_findings(stranger, "beta-aws-sharing", day) == []
