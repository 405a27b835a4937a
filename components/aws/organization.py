"""The AWS Organizations structure of a Police Assured Landing Zone style estate.

Security (log archive, audit), Infrastructure (shared network), Workloads (an account per wave
or move group when the plan asks: account vending), Sandbox and Suspended OUs, with service
control policies that keep data in the allowed regions and keep audit and detection switched on
in every member account (NCSC principles 2, 4, 5 and 13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from forcelift.components.aws import documents
from forcelift.components.aws.common import child
from forcelift.components.aws.tags import Tags
from forcelift.migration.clouds.aws import FACTS as AWS_FACTS
from forcelift.migration.naming import make_name

OUS = ("Security", "Infrastructure", "Workloads", "Sandbox", "Suspended")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ORG_SERVICE_PRINCIPALS = (
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "ram.amazonaws.com",
    "sso.amazonaws.com",
)


@dataclass(frozen=True)
class AccountSpec:
    """One member account: `key` is a stable slug (e.g. "log-archive", "wave-1")."""

    key: str
    name: str
    email: str

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"account key {self.key!r} must be a lower-case slug")
        if not _EMAIL.match(self.email):
            raise ValueError(f"account {self.key!r}: {self.email!r} is not an email address")
        if not 1 <= len(self.name) <= 50:
            raise ValueError(f"account {self.key!r}: name must be 1-50 characters")


@dataclass(frozen=True)
class OrganizationArgs:
    tags: Tags
    log_archive_account: AccountSpec
    audit_account: AccountSpec
    shared_network_account: AccountSpec
    allowed_regions: tuple[str, ...] = AWS_FACTS.regions
    workload_accounts: tuple[AccountSpec, ...] = ()
    root_id: str | None = None  # an existing organization's root; None creates the organization
    scp_exempt_roles: tuple[str, ...] = ()  # role names (e.g. the pipeline's) the SCPs exempt
    protect: bool = True

    def __post_init__(self) -> None:
        keys = [a.key for a in self.accounts()]
        if len(keys) != len(set(keys)):
            raise ValueError(f"account keys must be unique: {keys}")
        emails = [a.email.lower() for a in self.accounts()]
        if len(emails) != len(set(emails)):
            raise ValueError("every account needs its own email address")
        if not self.allowed_regions:
            raise ValueError("allowed_regions must not be empty")

    def accounts(self) -> tuple[AccountSpec, ...]:
        return (
            self.log_archive_account,
            self.audit_account,
            self.shared_network_account,
            *self.workload_accounts,
        )


class Organization(pulumi.ComponentResource):
    """OUs, member accounts and service control policies."""

    def __init__(
        self, name: str, args: OrganizationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:Organization", name, None, opts)
        tags = args.tags.as_dict()
        root_id: pulumi.Input[str]
        if args.root_id is None:
            org = aws.organizations.Organization(
                f"{name}-organization",
                feature_set="ALL",
                enabled_policy_types=["SERVICE_CONTROL_POLICY"],
                aws_service_access_principals=list(ORG_SERVICE_PRINCIPALS),
                opts=child(self, protect=args.protect),
            )
            root_id = org.roots.apply(lambda roots: (roots[0].id or "") if roots else "")
        else:
            root_id = args.root_id

        ous: dict[str, aws.organizations.OrganizationalUnit] = {}
        for ou in OUS:
            ous[ou.lower()] = aws.organizations.OrganizationalUnit(
                f"{name}-ou-{ou.lower()}",
                name=make_name("aws-organizations-ou", ou),
                parent_id=root_id,
                tags=tags,
                opts=child(self),
            )

        placement = [
            (args.log_archive_account, "security"),
            (args.audit_account, "security"),
            (args.shared_network_account, "infrastructure"),
            *((account, "workloads") for account in args.workload_accounts),
        ]
        accounts: dict[str, aws.organizations.Account] = {}
        for spec, ou_key in placement:
            accounts[spec.key] = aws.organizations.Account(
                f"{name}-account-{spec.key}",
                name=spec.name,
                email=spec.email,
                parent_id=ous[ou_key].id,
                role_name="OrganizationAccountAccessRole",
                iam_user_access_to_billing="DENY",
                close_on_deletion=False,
                tags=args.tags.as_dict(**{"account-purpose": spec.key}),
                opts=child(self, protect=args.protect),
            )

        exempt = args.scp_exempt_roles
        policies: dict[str, tuple[str, documents.Document, list[pulumi.Input[str]]]] = {
            "deny-regions": (
                "Deny actions outside the allowed regions (data residency)",
                documents.deny_regions_scp(args.allowed_regions, exempt),
                [root_id],
            ),
            "protect-security": (
                "Deny stopping or deleting CloudTrail, Config and GuardDuty",
                documents.protect_security_services_scp(exempt),
                [root_id],
            ),
            "deny-all": (
                "Suspended accounts can do nothing",
                documents.deny_all_scp(),
                [ous["suspended"].id],
            ),
        }
        policy_ids: dict[str, pulumi.Output[str]] = {}
        for key, (description, document, targets) in policies.items():
            policy = aws.organizations.Policy(
                f"{name}-scp-{key}",
                name=f"forcelift-{key}",
                description=description,
                type="SERVICE_CONTROL_POLICY",
                content=documents.render(document),
                tags=tags,
                opts=child(self),
            )
            policy_ids[key] = policy.id
            for index, target in enumerate(targets):
                aws.organizations.PolicyAttachment(
                    f"{name}-scp-{key}-attachment-{index}",
                    policy_id=policy.id,
                    target_id=target,
                    opts=child(self),
                )

        self.root_id = pulumi.Output.from_input(root_id)
        self.ou_ids = {key: ou.id for key, ou in ous.items()}
        self.account_ids = {key: account.id for key, account in accounts.items()}
        self.register_outputs(
            {
                "root_id": self.root_id,
                "ou_ids": self.ou_ids,
                "account_ids": self.account_ids,
                "policy_ids": policy_ids,
            }
        )
