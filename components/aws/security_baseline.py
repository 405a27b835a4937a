"""Per-account security baseline: audit trail, configuration history, threat detection and
safe defaults (NCSC principles 2, 5, 11 and 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from forcelift.components.aws import documents
from forcelift.components.aws.common import (
    account_facts,
    child,
    encryption_key,
    inline_policy,
    service_role,
)
from forcelift.components.aws.secure_bucket import SecureBucket, SecureBucketArgs
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name

TRAIL_PREFIX = "cloudtrail"
CONFIG_PREFIX = "config"


class PublishingFrequency(StrEnum):
    FIFTEEN_MINUTES = "FIFTEEN_MINUTES"
    ONE_HOUR = "ONE_HOUR"
    SIX_HOURS = "SIX_HOURS"


@dataclass(frozen=True)
class SecurityBaselineArgs:
    tags: Tags
    organization_trail: bool = False  # True in the management account: one trail for all
    log_retention_days: int = 2557  # seven years of audit logs in the bucket
    guardduty_frequency: PublishingFrequency = PublishingFrequency.FIFTEEN_MINUTES
    password_policy: bool = False  # only for accounts that still have IAM users
    protect: bool = True

    def __post_init__(self) -> None:
        if self.log_retention_days < 365:
            raise ValueError("keep audit logs for at least a year (log_retention_days >= 365)")


class SecurityBaseline(pulumi.ComponentResource):
    """CloudTrail to a KMS-encrypted, versioned, private, TLS-only bucket; AWS Config recorder
    and delivery channel; GuardDuty; EBS encryption by default; account S3 public access block."""

    def __init__(
        self, name: str, args: SecurityBaselineArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:SecurityBaseline", name, None, opts)
        tags = args.tags.as_dict()
        facts = account_facts(self)
        key = encryption_key(
            f"{name}-audit-key",
            self,
            description=f"{name}: CloudTrail and AWS Config logs",
            tags=tags,
            protect=args.protect,
            cloudtrail=True,
        )
        bucket_name = make_name(
            "aws-s3-bucket",
            name,
            "audit-logs",
            unique_seed=f"{pulumi.get_project()}/{pulumi.get_stack()}",
        )
        bucket_arn = f"arn:aws:s3:::{bucket_name}"
        trail_statements = facts.apply(
            lambda f: documents.cloudtrail_bucket_statements(bucket_arn, f.account_id, TRAIL_PREFIX)
        )
        logs = SecureBucket(
            f"{name}-audit-logs",
            SecureBucketArgs(
                bucket_name=bucket_name,
                kms_key_arn=key.arn,
                tags=tags,
                extra_statements=trail_statements,
                expire_after_days=args.log_retention_days,
                protect=args.protect,
            ),
            opts=child(self),
        )

        trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=f"{name}-trail",
            s3_bucket_name=logs.bucket.id,
            s3_key_prefix=TRAIL_PREFIX,
            kms_key_id=key.arn,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            is_organization_trail=args.organization_trail,
            tags=tags,
            opts=child(self, depends_on=[logs]),
        )

        config_role = service_role(
            f"{name}-config-role",
            self,
            role_name=f"{name}-config",
            service="config.amazonaws.com",
            managed_policies=("service-role/AWS_ConfigRole",),
            tags=tags,
        )
        inline_policy(
            f"{name}-config-delivery",
            self,
            role=config_role,
            arn=key.arn,
            statements=lambda key_arn: [
                documents.allow(["s3:GetBucketAcl"], [bucket_arn], "BucketAcl"),
                documents.allow(["s3:PutObject"], [f"{bucket_arn}/{CONFIG_PREFIX}/*"], "Deliver"),
                documents.allow(["kms:Decrypt", "kms:GenerateDataKey"], [key_arn], "Key"),
            ],
        )
        recorder = aws.cfg.Recorder(
            f"{name}-config-recorder",
            name=f"{name}-recorder",
            role_arn=config_role.arn,
            recording_group=aws.cfg.RecorderRecordingGroupArgs(
                all_supported=True, include_global_resource_types=True
            ),
            opts=child(self),
        )
        channel = aws.cfg.DeliveryChannel(
            f"{name}-config-delivery-channel",
            name=f"{name}-delivery",
            s3_bucket_name=logs.bucket.id,
            s3_key_prefix=CONFIG_PREFIX,
            s3_kms_key_arn=key.arn,
            snapshot_delivery_properties=aws.cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs(
                delivery_frequency="TwentyFour_Hours"
            ),
            opts=child(self, depends_on=[recorder]),
        )
        aws.cfg.RecorderStatus(
            f"{name}-config-recorder-status",
            name=recorder.name,
            is_enabled=True,
            opts=child(self, depends_on=[channel]),
        )

        detector = aws.guardduty.Detector(
            f"{name}-guardduty",
            enable=True,
            finding_publishing_frequency=args.guardduty_frequency.value,
            tags=tags,
            opts=child(self),
        )
        aws.ebs.EncryptionByDefault(f"{name}-ebs-encryption", enabled=True, opts=child(self))
        aws.s3.AccountPublicAccessBlock(
            f"{name}-account-public-access-block",
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(self),
        )
        if args.password_policy:
            # NCSC password guidance: long passwords, no forced expiry, no reuse.
            aws.iam.AccountPasswordPolicy(
                f"{name}-password-policy",
                minimum_password_length=14,
                require_lowercase_characters=True,
                require_uppercase_characters=True,
                require_numbers=True,
                require_symbols=True,
                allow_users_to_change_password=True,
                password_reuse_prevention=24,
                opts=child(self),
            )

        self.trail_arn = trail.arn
        self.log_bucket_arn = logs.bucket.arn
        self.key_arn = key.arn
        self.register_outputs(
            {
                "trail_arn": trail.arn,
                "log_bucket": logs.bucket.id,
                "log_bucket_arn": logs.bucket.arn,
                "audit_key_arn": key.arn,
                "config_recorder": recorder.name,
                "guardduty_detector_id": detector.id,
            }
        )
