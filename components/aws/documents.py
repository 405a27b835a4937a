"""IAM, KMS, S3 and SCP policy documents as plain data (no Pulumi), rendered deterministically.

Kept pure so the rules that matter most (which regions are denied, what the security services
are protected against, who may use a key) are unit-testable and read the same in every preview.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

Document = dict[str, Any]

# Actions of global services (or served from us-east-1) that a region deny must not block,
# after AWS's example SCP "Deny access to AWS based on the requested AWS Region".
GLOBAL_SERVICE_ACTIONS: tuple[str, ...] = (
    "account:*",
    "acm:*",
    "aws-marketplace-management:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "budgets:*",
    "ce:*",
    "cloudfront:*",
    "cur:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "fms:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "networkmanager:*",
    "organizations:*",
    "pricing:*",
    "route53-recovery-cluster:*",
    "route53-recovery-control-config:*",
    "route53-recovery-readiness:*",
    "route53:*",
    "route53domains:*",
    "s3:GetAccountPublic*",
    "s3:ListAllMyBuckets",
    "s3:ListMultiRegionAccessPoints",
    "s3:PutAccountPublic*",
    "shield:*",
    "sts:*",
    "support:*",
    "trustedadvisor:*",
    "waf-regional:*",
    "waf:*",
    "wafv2:*",
    "wellarchitected:*",
)

# What must never be switched off in a member account (audit and detection).
PROTECTED_SECURITY_ACTIONS: tuple[str, ...] = (
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigRule",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:StopConfigurationRecorder",
    "guardduty:DeleteDetector",
    "guardduty:DisassociateFromAdministratorAccount",
    "guardduty:DisassociateFromMasterAccount",
    "guardduty:StopMonitoringMembers",
    "guardduty:UpdateDetector",
    "organizations:LeaveOrganization",
)


def render(document: Mapping[str, Any]) -> str:
    """Compact, key-sorted JSON: byte-stable previews and small SCPs (5,120 character limit)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _exempt(role_names: Sequence[str]) -> Document:
    if not role_names:
        return {}
    arns = sorted(f"arn:aws:iam::*:role/{name}" for name in role_names)
    return {"ArnNotLike": {"aws:PrincipalARN": arns}}


def deny_regions_scp(allowed_regions: Sequence[str], exempt_roles: Sequence[str] = ()) -> Document:
    """Deny every regional action outside `allowed_regions` (data residency)."""
    if not allowed_regions:
        raise ValueError("at least one allowed region is required")
    condition: Document = {"StringNotEquals": {"aws:RequestedRegion": sorted(allowed_regions)}}
    condition.update(_exempt(exempt_roles))
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyOutsideAllowedRegions",
                "Effect": "Deny",
                "NotAction": list(GLOBAL_SERVICE_ACTIONS),
                "Resource": "*",
                "Condition": condition,
            }
        ],
    }


def protect_security_services_scp(exempt_roles: Sequence[str] = ()) -> Document:
    """Deny stopping or deleting CloudTrail, AWS Config and GuardDuty, and leaving the org."""
    statement: Document = {
        "Sid": "ProtectSecurityServices",
        "Effect": "Deny",
        "Action": list(PROTECTED_SECURITY_ACTIONS),
        "Resource": "*",
    }
    exempt = _exempt(exempt_roles)
    if exempt:
        statement["Condition"] = exempt
    return {"Version": "2012-10-17", "Statement": [statement]}


def deny_all_scp() -> Document:
    """For the Suspended OU: accounts there can do nothing until they are closed or moved."""
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "DenyAll", "Effect": "Deny", "Action": "*", "Resource": "*"}],
    }


def assume_role_policy(service: str) -> Document:
    """Trust policy letting one AWS service assume a role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def tls_only_statement(bucket_arn: str) -> Document:
    """Refuse any request to the bucket that is not over TLS (NCSC principle 1)."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def bucket_policy(bucket_arn: str, extra: Sequence[Mapping[str, Any]] = ()) -> Document:
    """TLS-only policy plus service permissions, statements in a stable order."""
    statements = [tls_only_statement(bucket_arn), *(dict(s) for s in extra)]
    return {"Version": "2012-10-17", "Statement": statements}


def cloudtrail_bucket_statements(bucket_arn: str, account_id: str, prefix: str) -> list[Document]:
    """CloudTrail's documented bucket permissions (ACL check, write with owner control)."""
    return [
        {
            "Sid": "CloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        },
        {
            "Sid": "CloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{prefix}/AWSLogs/*",
            "Condition": {
                "StringEquals": {
                    "aws:SourceAccount": account_id,
                    "s3:x-amz-acl": "bucket-owner-full-control",
                }
            },
        },
    ]


def kms_key_policy(
    account_id: str,
    partition: str,
    region: str,
    *,
    cloudtrail: bool = False,
    cloudwatch_logs: bool = False,
) -> Document:
    """Key policy: the account administers the key via IAM; named services may use it."""
    statements: list[Document] = [
        {
            "Sid": "EnableIamPolicies",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if cloudtrail:
        statements += [
            {
                "Sid": "CloudTrailEncrypt",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": (
                            f"arn:{partition}:cloudtrail:*:{account_id}:trail/*"
                        )
                    }
                },
            },
            {
                "Sid": "CloudTrailDescribe",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
            },
        ]
    if cloudwatch_logs:
        statements.append(
            {
                "Sid": "CloudWatchLogs",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": [
                    "kms:Decrypt*",
                    "kms:Describe*",
                    "kms:Encrypt*",
                    "kms:GenerateDataKey*",
                    "kms:ReEncrypt*",
                ],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": (
                            f"arn:{partition}:logs:{region}:{account_id}:log-group:*"
                        )
                    }
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def allow(actions: Sequence[str], resources: Sequence[str], sid: str = "") -> Document:
    """An identity-policy Allow statement."""
    statement: Document = {
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": list(resources),
    }
    if sid:
        statement["Sid"] = sid
    return statement


def identity_policy(*statements: Document) -> Document:
    return {"Version": "2012-10-17", "Statement": list(statements)}
