"""Small building blocks the AWS components share: child options, account facts, KMS keys,
service roles and instance profiles. Each creates resources as children of the calling component.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pulumi
import pulumi_aws as aws

from forcelift.components.aws import documents
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name

MANAGED_POLICY = "arn:aws:iam::aws:policy/"


def child(
    parent: pulumi.Resource,
    *,
    protect: bool = False,
    depends_on: Sequence[pulumi.Resource] = (),
    ignore_changes: Sequence[str] = (),
) -> pulumi.ResourceOptions:
    """Options for a component's child (stateful children pass protect=args.protect)."""
    return pulumi.ResourceOptions(
        parent=parent,
        protect=protect,
        depends_on=list(depends_on) or None,
        ignore_changes=list(ignore_changes) or None,
    )


@dataclass(frozen=True)
class AccountFacts:
    account_id: str
    partition: str
    region: str


def account_facts(parent: pulumi.Resource) -> pulumi.Output[AccountFacts]:
    """Account id, partition and region of the provider (invokes, answered by the mocks)."""
    invoke = pulumi.InvokeOutputOptions(parent=parent)
    identity = aws.get_caller_identity_output(opts=invoke)
    partition = aws.get_partition_output(opts=invoke)
    region = aws.get_region_output(opts=invoke)
    return pulumi.Output.all(identity.account_id, partition.partition, region.region).apply(
        lambda v: AccountFacts(account_id=str(v[0]), partition=str(v[1]), region=str(v[2]))
    )


def encryption_key(
    resource_name: str,
    parent: pulumi.Resource,
    *,
    description: str,
    tags: dict[str, str],
    protect: bool,
    cloudtrail: bool = False,
    cloudwatch_logs: bool = False,
) -> aws.kms.Key:
    """A customer-managed KMS key with yearly rotation and an alias named after it."""
    facts = account_facts(parent)
    policy = facts.apply(
        lambda f: documents.render(
            documents.kms_key_policy(
                f.account_id,
                f.partition,
                f.region,
                cloudtrail=cloudtrail,
                cloudwatch_logs=cloudwatch_logs,
            )
        )
    )
    key = aws.kms.Key(
        resource_name,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=policy,
        tags=tags,
        opts=child(parent, protect=protect),
    )
    aws.kms.Alias(
        f"{resource_name}-alias",
        name=f"alias/forcelift/{re.sub(r'[^A-Za-z0-9/_-]+', '-', resource_name)}",
        target_key_id=key.key_id,
        opts=child(parent),
    )
    return key


class KeyedArgs(Protocol):
    """What a component's args say about its KMS key: given, or made (tagged, protected)."""

    @property
    def tags(self) -> Tags: ...
    @property
    def kms_key_arn(self) -> pulumi.Input[str] | None: ...
    @property
    def protect(self) -> bool: ...


def key_or_new(
    parent: pulumi.Resource,
    name: str,
    args: KeyedArgs,
    description: str,
    *,
    cloudwatch_logs: bool = False,
) -> pulumi.Input[str]:
    """The caller's KMS key ARN, or that of a new `<name>-key` the component owns."""
    if args.kms_key_arn is not None:
        return args.kms_key_arn
    return encryption_key(
        f"{name}-key",
        parent,
        description=description,
        tags=args.tags.as_dict(),
        protect=args.protect,
        cloudwatch_logs=cloudwatch_logs,
    ).arn


def inline_policy(
    resource_name: str,
    parent: pulumi.Resource,
    *,
    role: aws.iam.Role,
    arn: pulumi.Output[str],
    statements: Callable[[str], Sequence[documents.Document]],
) -> aws.iam.RolePolicy:
    """A role's inline identity policy whose statements name a resource ARN known at apply."""
    return aws.iam.RolePolicy(
        resource_name,
        role=role.id,
        policy=arn.apply(
            lambda value: documents.render(documents.identity_policy(*statements(value)))
        ),
        opts=child(parent),
    )


def service_role(
    resource_name: str,
    parent: pulumi.Resource,
    *,
    role_name: str,
    service: str,
    managed_policies: Sequence[str] = (),
    tags: dict[str, str],
) -> aws.iam.Role:
    """An IAM role a service assumes, with AWS-managed policies attached by name."""
    role = aws.iam.Role(
        resource_name,
        name=make_name("aws-iam-role", role_name),
        assume_role_policy=documents.render(documents.assume_role_policy(service)),
        tags=tags,
        opts=child(parent),
    )
    for policy in sorted(managed_policies):
        aws.iam.RolePolicyAttachment(
            f"{resource_name}-{policy.rsplit('/', 1)[-1].lower()}",
            role=role.name,
            policy_arn=f"{MANAGED_POLICY}{policy}",
            opts=child(parent),
        )
    return role


def instance_profile(
    prefix: str,
    parent: pulumi.Resource,
    *,
    role_name: str,
    profile_name: str,
    managed_policies: Sequence[str],
    tags: dict[str, str],
) -> tuple[aws.iam.Role, aws.iam.InstanceProfile]:
    """The role EC2 instances assume (`<prefix>-role`) and its profile (`<prefix>-profile`)."""
    role = service_role(
        f"{prefix}-role",
        parent,
        role_name=role_name,
        service="ec2.amazonaws.com",
        managed_policies=managed_policies,
        tags=tags,
    )
    profile = aws.iam.InstanceProfile(
        f"{prefix}-profile",
        name=profile_name,
        role=role.name,
        tags=tags,
        opts=child(parent),
    )
    return role, profile


def bounded_name(*parts: str, max_len: int) -> str:
    """A name of letters, digits and hyphens within `max_len` (ALB, target group, backup
    vault), shortened with a stable hash; naming.py has no kind for these yet."""
    name = make_name("aws-ecs-cluster", *parts).replace("_", "-")
    if len(name) <= max_len:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:5]
    return f"{name[: max_len - 6].rstrip('-')}-{digest}"
