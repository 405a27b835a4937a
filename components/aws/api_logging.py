"""API Gateway's account-level CloudWatch role, which a stage's access and execution logs need.

API Gateway writes a stage's logs to CloudWatch only through the role set on the account (per
region); without it, a stage with logging settings fails to deploy ("CloudWatch Logs role ARN
must be set in account settings"). The landing zone sets it once for every wave that hosts an
agency API (NCSC principle 13: audit information for the shared endpoints).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import MANAGED_POLICY, child, service_role
from forcelift.components.aws.tags import Tags

__all__ = ["PUSH_TO_CLOUDWATCH", "ApiGatewayLogging", "ApiGatewayLoggingArgs"]

PUSH_TO_CLOUDWATCH = "service-role/AmazonAPIGatewayPushToCloudWatchLogs"


@dataclass(frozen=True)
class ApiGatewayLoggingArgs:
    tags: Tags
    role_name: str = "apigateway-cloudwatch"


class ApiGatewayLogging(pulumi.ComponentResource):
    """The IAM role API Gateway assumes to write logs, set on the account's API Gateway
    settings (aws.apigateway.Account)."""

    def __init__(
        self, name: str, args: ApiGatewayLoggingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:ApiGatewayLogging", name, None, opts)
        role = service_role(
            f"{name}-role",
            self,
            role_name=args.role_name,
            service="apigateway.amazonaws.com",
            tags=args.tags.as_dict(),
        )
        # The policy first: API Gateway checks the role can write logs when it is set.
        policy = aws.iam.RolePolicyAttachment(
            f"{name}-role-push-to-cloudwatch",
            role=role.name,
            policy_arn=f"{MANAGED_POLICY}{PUSH_TO_CLOUDWATCH}",
            opts=child(self),
        )
        account = aws.apigateway.Account(
            f"{name}-account",
            cloudwatch_role_arn=role.arn,
            opts=child(self, depends_on=[policy]),
        )
        self.role_arn = role.arn
        self.register_outputs({"role_arn": role.arn, "account_id": account.id})
