"""An S3 bucket that cannot be made public, read without TLS, or stored unencrypted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
from pulumi_aws.s3 import (
    BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs as NoncurrentExpiry,
)
from pulumi_aws.s3 import (
    BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs as SseDefault,
)

from forcelift.components.aws import documents
from forcelift.components.aws.common import child
from forcelift.migration.naming import check_name


@dataclass(frozen=True)
class SecureBucketArgs:
    bucket_name: str
    kms_key_arn: pulumi.Input[str]
    tags: Mapping[str, str]
    # Service permissions (e.g. CloudTrail's) added after the TLS-only deny.
    extra_statements: pulumi.Input[Sequence[Mapping[str, Any]]] = field(default_factory=tuple)
    expire_after_days: int | None = None
    protect: bool = True

    def __post_init__(self) -> None:
        problem = check_name("aws-s3-bucket", self.bucket_name)
        if problem:
            raise ValueError(f"bucket name {self.bucket_name!r}: {problem}")


class SecureBucket(pulumi.ComponentResource):
    """KMS encryption, versioning, all four public access blocks, owner-enforced objects,
    and a bucket policy that denies non-TLS requests (NCSC principles 1, 2, 11)."""

    bucket: aws.s3.Bucket

    def __init__(
        self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:SecureBucket", name, None, opts)
        tags = dict(args.tags)
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args.bucket_name,
            force_destroy=False,
            tags=tags,
            opts=child(self, protect=args.protect),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-sse",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=SseDefault(
                        sse_algorithm="aws:kms", kms_master_key_id=args.kms_key_arn
                    ),
                    bucket_key_enabled=True,
                )
            ],
            opts=child(self),
        )
        aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
                status="Enabled"
            ),
            opts=child(self),
        )
        public_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(self),
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child(self),
        )
        policy = pulumi.Output.all(bucket.arn, args.extra_statements).apply(
            lambda v: documents.render(documents.bucket_policy(str(v[0]), v[1] or ()))
        )
        aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket.id,
            policy=policy,
            opts=child(self, depends_on=[public_block]),
        )
        if args.expire_after_days is not None:
            aws.s3.BucketLifecycleConfiguration(
                f"{name}-lifecycle",
                bucket=bucket.id,
                rules=[
                    aws.s3.BucketLifecycleConfigurationRuleArgs(
                        id="expire",
                        status="Enabled",
                        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                        expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(
                            days=args.expire_after_days
                        ),
                        noncurrent_version_expiration=NoncurrentExpiry(
                            noncurrent_days=args.expire_after_days
                        ),
                    )
                ],
                opts=child(self),
            )
        self.bucket = bucket
        self.register_outputs({"bucket_name": bucket.id, "bucket_arn": bucket.arn})
