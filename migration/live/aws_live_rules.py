"""The Pulumi type tokens a live scan produces, and the live-only variants of the guardrails
(account settings no preview has: EBS default encryption, account-wide S3 public access block,
a trail that stopped logging, resources outside the UK), reported under the rules' own ids."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from forcelift.migration.policy.model import Guardrail, Resource
from forcelift.migration.policy.rules import BY_ID
from forcelift.migration.policy.rules.regions import UK_AWS_REGIONS

INSTANCE = "aws:ec2/instance:Instance"
VOLUME = "aws:ebs/volume:Volume"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
BUCKET_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
KMS_KEY = "aws:kms/key:Key"
RDS_INSTANCE = "aws:rds/instance:Instance"
RDS_CLUSTER = "aws:rds/cluster:Cluster"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
BACKUP_SELECTION = "aws:backup/selection:Selection"
EBS_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault"
ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
_PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def live_config(region: str) -> dict[str, str]:
    """Graph config: the account is judged as a landing zone, so the trail check runs."""
    return {"aws:region": region, "forcelift:cloud": "aws", "forcelift:layer": "landing-zone"}


# --------------------------------------------------------------------------- live-only rules


def _ebs_default(resource: Resource) -> list[str]:
    if resource.inputs.get("enabled") is True:
        return []
    return [f"EBS encryption by default is off in {resource.inputs.get('region')}"]


def _account_pab(resource: Resource) -> list[str]:
    off = [f for f in _PAB_FLAGS if resource.inputs.get(f) is not True]
    return (
        [f"account-level S3 public access block is not fully on ({', '.join(off)} off)"]
        if off
        else []
    )


def _trail_logging(resource: Resource) -> list[str]:
    return [] if resource.inputs.get("enableLogging") is not False else ["trail is not logging"]


def _outside_uk(resource: Resource) -> list[str]:
    region = resource.inputs.get("region")
    if region and region not in UK_AWS_REGIONS:
        return [f"{resource.type.split(':')[-1]} {resource.name} is in {region}, outside the UK"]
    return []


def _live(
    rule_id: str,
    applies_to: tuple[str, ...],
    check: Callable[[Resource], list[str]],
    remediation: str,
) -> Guardrail:
    """The guardrail `rule_id` judging live resources only, under its own id."""
    return dataclasses.replace(
        BY_ID[rule_id],
        applies_to=applies_to,
        check_resource=check,
        check_graph=None,
        remediation=remediation,
    )


LIVE_RULES: tuple[Guardrail, ...] = (
    _live(
        "FL-ENC-004",
        (EBS_DEFAULT,),
        _ebs_default,
        "Enable EBS encryption by default in the region "
        "(aws ec2 enable-ebs-encryption-by-default, or aws.ebs.EncryptionByDefault).",
    ),
    _live(
        "FL-NET-007",
        (ACCOUNT_PAB,),
        _account_pab,
        "Turn on all four account-level S3 Block Public Access settings "
        "(s3control put-public-access-block, or aws.s3.AccountPublicAccessBlock).",
    ),
    _live(
        "FL-LOG-003",
        (TRAIL,),
        _trail_logging,
        "Start logging on the trail (aws cloudtrail start-logging) and find out who stopped it.",
    ),
)

OUTSIDE_UK_RULE = _live(
    "FL-RES-002",
    ("aws:",),
    _outside_uk,
    "Move or delete the resource; UK data stays in eu-west-2 unless the plan records an exception.",
)
