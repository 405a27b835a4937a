"""Organization: PALZ-style OUs, vended accounts, SCPs for regions and security services."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from forcelift.components.aws.organization import AccountSpec, Organization, OrganizationArgs
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:Organization"


def _args(tags: Tags, **overrides: object) -> OrganizationArgs:
    values: dict[str, object] = {
        "tags": tags,
        "log_archive_account": AccountSpec(
            "log-archive", "Log archive", "aws-logs@example.police.uk"
        ),
        "audit_account": AccountSpec("audit", "Audit", "aws-audit@example.police.uk"),
        "shared_network_account": AccountSpec("network", "Network", "aws-net@example.police.uk"),
        "workload_accounts": (AccountSpec("wave-1", "Wave 1", "aws-w1@example.police.uk"),),
        "allowed_regions": ("eu-west-2",),
    }
    values.update(overrides)
    return OrganizationArgs(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(lambda: Organization("palz", _args(tags)), stack="exampleshire-aws-landing-zone")


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_ous_and_account_vending(run: MockRun) -> None:
    ous = {
        r.name: r.inputs["name"]
        for r in run.of_type("aws:organizations/organizationalUnit:OrganizationalUnit")
    }
    assert sorted(ous.values()) == [
        "Infrastructure",
        "Sandbox",
        "Security",
        "Suspended",
        "Workloads",
    ]
    accounts = {r.name: r for r in run.of_type("aws:organizations/account:Account")}
    assert set(accounts) == {
        "palz-account-log-archive",
        "palz-account-audit",
        "palz-account-network",
        "palz-account-wave-1",
    }
    urns = {r.name: r.urn for r in run.resources}

    def parent_ou(account: str) -> str:
        (ou,) = [n for n in ous if urns[n] in accounts[account].dependencies]
        return ou.removeprefix("palz-ou-")

    assert parent_ou("palz-account-log-archive") == "security"
    assert parent_ou("palz-account-audit") == "security"
    assert parent_ou("palz-account-network") == "infrastructure"
    assert parent_ou("palz-account-wave-1") == "workloads"
    assert accounts["palz-account-wave-1"].inputs["email"] == "aws-w1@example.police.uk"
    assert all(a.inputs["closeOnDeletion"] is False for a in accounts.values())
    assert len(run.of_type("aws:organizations/organization:Organization")) == 1


def test_scps_deny_other_regions_and_protect_security_services(run: MockRun) -> None:
    policies = {r.name: r for r in run.of_type("aws:organizations/policy:Policy")}
    assert all(p.inputs["type"] == "SERVICE_CONTROL_POLICY" for p in policies.values())
    regions = json.loads(policies["palz-scp-deny-regions"].inputs["content"])["Statement"][0]
    assert regions["Effect"] == "Deny"
    assert regions["Condition"]["StringNotEquals"]["aws:RequestedRegion"] == ["eu-west-2"]
    assert "iam:*" in regions["NotAction"] and "ec2:*" not in regions["NotAction"]
    protect = json.loads(policies["palz-scp-protect-security"].inputs["content"])
    denied = protect["Statement"][0]["Action"]
    assert {
        "cloudtrail:StopLogging",
        "config:StopConfigurationRecorder",
        "guardduty:DeleteDetector",
    } <= set(denied)
    # Both guardrails attached at the root; deny-all on the Suspended OU.
    attachments = {
        r.name: r for r in run.of_type("aws:organizations/policyAttachment:PolicyAttachment")
    }
    assert set(attachments) == {
        "palz-scp-deny-regions-attachment-0",
        "palz-scp-protect-security-attachment-0",
        "palz-scp-deny-all-attachment-0",
    }
    suspended = next(r for r in run.resources if r.name == "palz-ou-suspended")
    assert suspended.urn in attachments["palz-scp-deny-all-attachment-0"].dependencies
    org = run.of_type("aws:organizations/organization:Organization")[0]
    assert org.urn in attachments["palz-scp-deny-regions-attachment-0"].dependencies


def test_existing_root_and_validation(tags: Tags, run_aws: Callable[..., MockRun]) -> None:
    run = run_aws(lambda: Organization("palz", _args(tags, root_id="r-abcd", workload_accounts=())))
    assert run.of_type("aws:organizations/organization:Organization") == []
    assert {
        r.inputs["targetId"]
        for r in run.of_type("aws:organizations/policyAttachment:PolicyAttachment")
    } >= {"r-abcd"}
    with pytest.raises(ValueError, match="own email"):
        _args(tags, workload_accounts=(AccountSpec("w2", "W2", "aws-logs@example.police.uk"),))
    with pytest.raises(ValueError, match="email"):
        AccountSpec("w3", "W3", "not-an-email")
