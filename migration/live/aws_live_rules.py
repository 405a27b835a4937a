"""The Pulumi type tokens a live scan produces, and the live-only variants of the guardrails
(account settings no preview has: EBS default encryption, account-wide S3 public access block,
a trail that stopped logging, resources outside the UK), reported under the rules' own ids."""

from __future__ import annotations

import dataclasses

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


LIVE_RULES: tuple[Guardrail, ...] = (
    dataclasses.replace(
        BY_ID["FL-ENC-004"],
        applies_to=(EBS_DEFAULT,),
        check_resource=_ebs_default,
        check_graph=None,
        remediation="Enable EBS encryption by default in the region "
        "(aws ec2 enable-ebs-encryption-by-default, or aws.ebs.EncryptionByDefault).",
    ),
    dataclasses.replace(
        BY_ID["FL-NET-007"],
        applies_to=(ACCOUNT_PAB,),
        check_resource=_account_pab,
        check_graph=None,
        remediation="Turn on all four account-level S3 Block Public Access settings "
        "(s3control put-public-access-block, or aws.s3.AccountPublicAccessBlock).",
    ),
    dataclasses.replace(
        BY_ID["FL-LOG-003"],
        applies_to=(TRAIL,),
        check_resource=_trail_logging,
        check_graph=None,
        remediation="Start logging on the trail (aws cloudtrail start-logging) and find out "
        "who stopped it.",
    ),
)

OUTSIDE_UK_RULE = dataclasses.replace(
    BY_ID["FL-RES-002"],
    applies_to=("aws:",),
    check_resource=_outside_uk,
    check_graph=None,
    remediation="Move or delete the resource; UK data stays in eu-west-2 unless the plan "
    "records an exception.",
)
