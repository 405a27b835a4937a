"""VPC flow logs: every accepted and rejected flow recorded (NCSC principles 5 and 13)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from forcelift.components.aws import documents
from forcelift.components.aws.common import child, inline_policy, key_or_new, service_role
from forcelift.components.aws.network_specs import FlowLogDestination
from forcelift.components.aws.tags import Tags


@dataclass(frozen=True)
class FlowLogsArgs:
    tags: Tags
    vpc_id: pulumi.Input[str]
    destination: FlowLogDestination = FlowLogDestination.CLOUDWATCH
    bucket_arn: pulumi.Input[str] | None = None  # required for S3 (e.g. the log archive)
    kms_key_arn: pulumi.Input[str] | None = None  # CloudWatch: a key is created when None
    retention_days: int = 365
    protect: bool = True

    def __post_init__(self) -> None:
        if self.destination is FlowLogDestination.S3 and self.bucket_arn is None:
            raise ValueError("flow logs to S3 need bucket_arn")


class FlowLogs(pulumi.ComponentResource):
    """Flow logs to a KMS-encrypted CloudWatch log group (with its delivery role) or to S3."""

    def __init__(
        self, name: str, args: FlowLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:FlowLogs", name, None, opts)
        tags = args.tags.as_dict()
        destination: pulumi.Input[str]
        role_arn: pulumi.Input[str] | None = None
        if args.destination is FlowLogDestination.S3:
            assert args.bucket_arn is not None
            destination = args.bucket_arn
        else:
            key_arn = key_or_new(
                self, name, args, f"{name}: flow log encryption", cloudwatch_logs=True
            )
            group = aws.cloudwatch.LogGroup(
                f"{name}-group",
                name=f"/forcelift/flow-logs/{name}",
                kms_key_id=key_arn,
                retention_in_days=args.retention_days,
                tags=tags,
                opts=child(self, protect=args.protect),
            )
            role = service_role(
                f"{name}-role",
                self,
                role_name=f"{name}-flow-logs",
                service="vpc-flow-logs.amazonaws.com",
                tags=tags,
            )
            inline_policy(
                f"{name}-role-policy",
                self,
                role=role,
                arn=group.arn,
                statements=lambda arn: [
                    documents.allow(
                        ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                        [arn, f"{arn}:*"],
                    )
                ],
            )
            destination, role_arn = group.arn, role.arn
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=args.vpc_id,
            traffic_type="ALL",
            log_destination_type=args.destination.value,
            log_destination=destination,
            iam_role_arn=role_arn,
            max_aggregation_interval=60,
            tags=tags,
            opts=child(self),
        )
        self.register_outputs({"destination": destination})
