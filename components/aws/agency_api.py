"""A private REST API in front of a shared service, for partner agencies' systems.

The API has a PRIVATE endpoint only (no public execute-api address works): its resource policy
admits requests that arrive through the named interface endpoints (aws:SourceVpce) and denies
everything else, and every method needs SigV4-signed requests (AWS_IAM), so a caller is both on
a named private path and an authenticated principal. Requests go to the shared service's
internal NLB through a VPC link. Every request is logged to a KMS-encrypted log group with the
caller's identity, kept as long as the landing zone keeps logs (NCSC principles 1, 2, 10, 13).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from forcelift.components.aws import documents
from forcelift.components.aws.common import bounded_name, child, key_or_new
from forcelift.components.aws.tags import Tags

__all__ = ["ACCESS_LOG_FORMAT", "AgencyPrivateApi", "AgencyPrivateApiArgs", "api_policy"]

ACCOUNT = re.compile(r"^\d{12}$")
STAGE = re.compile(r"^[A-Za-z0-9_]{1,128}$")
# One JSON line per request: who called, from which endpoint, what and with which result.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "requestTime": "$context.requestTime",
        "sourceVpce": "$context.identity.vpceId",
        "caller": "$context.identity.caller",
        "userArn": "$context.identity.userArn",
        "accountId": "$context.identity.accountId",
        "sourceIp": "$context.identity.sourceIp",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "integrationStatus": "$context.integrationStatus",
    },
    sort_keys=True,
)


def api_policy(vpce_ids: Sequence[str], accounts: Sequence[str] = ()) -> documents.Document:
    """Invoke only through the named endpoints (and by the named accounts); deny the rest."""
    principal: Any = (
        {"AWS": [f"arn:aws:iam::{a}:root" for a in sorted(accounts)]} if accounts else "*"
    )
    ids = sorted(vpce_ids)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "InvokeFromNamedEndpoints",
                "Effect": "Allow",
                "Principal": principal,
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": ids}},
            },
            {
                "Sid": "DenyOtherPaths",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"StringNotEquals": {"aws:SourceVpce": ids}},
            },
        ],
    }


@dataclass(frozen=True)
class AgencyPrivateApiArgs:
    tags: Tags
    vpc_endpoint_ids: tuple[pulumi.Input[str], ...]  # execute-api interface endpoints, ≥ 1
    backend_nlb_arn: pulumi.Input[str]  # the shared service's internal NLB (VPC link target)
    backend_uri: pulumi.Input[str]  # "https://<nlb dns>:<port>"
    allowed_accounts: tuple[str, ...] = ()  # also limit the callers' accounts when given
    stage_name: str = "live"
    log_retention_days: int = 365
    kms_key_arn: pulumi.Input[str] | None = None  # the landing zone's log key; else its own
    description: str = ""
    protect: bool = True

    def __post_init__(self) -> None:
        if not self.vpc_endpoint_ids:
            raise ValueError(
                "a private agency API needs the interface endpoints it may be called through"
            )
        for account in self.allowed_accounts:
            if not ACCOUNT.match(account):
                raise ValueError(f"allowed account {account!r} is not a 12-digit AWS account id")
        if not STAGE.match(self.stage_name):
            raise ValueError(f"stage name {self.stage_name!r}: letters, digits and _ only")
        if self.log_retention_days < 1:
            raise ValueError("API access logs must be kept")


class AgencyPrivateApi(pulumi.ComponentResource):
    """RestApi (PRIVATE) + resource policy + {proxy+} method (AWS_IAM) over a VPC link, a
    deployment and a stage with access logs and method logging."""

    def __init__(
        self, name: str, args: AgencyPrivateApiArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:AgencyPrivateApi", name, None, opts)
        tags = args.tags.as_dict()
        key_arn = key_or_new(self, name, args, f"{name}: API access logs", cloudwatch_logs=True)
        api = aws.apigateway.RestApi(
            f"{name}-api",
            name=bounded_name(name, "api", max_len=64),
            description=args.description or f"{name}: private API for partner agencies",
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                types="PRIVATE", vpc_endpoint_ids=list(args.vpc_endpoint_ids)
            ),
            tags=tags,
            opts=child(self),
        )
        policy = aws.apigateway.RestApiPolicy(
            f"{name}-policy",
            rest_api_id=api.id,
            policy=pulumi.Output.all(*args.vpc_endpoint_ids).apply(
                lambda ids: documents.render(
                    api_policy([str(i) for i in ids], args.allowed_accounts)
                )
            ),
            opts=child(self),
        )
        link = aws.apigateway.VpcLink(
            f"{name}-link",
            name=bounded_name(name, "link", max_len=64),
            target_arn=args.backend_nlb_arn,
            tags=tags,
            opts=child(self),
        )
        proxy = aws.apigateway.Resource(
            f"{name}-proxy",
            rest_api=api.id,
            parent_id=api.root_resource_id,
            path_part="{proxy+}",
            opts=child(self),
        )
        method = aws.apigateway.Method(
            f"{name}-any",
            rest_api=api.id,
            resource_id=proxy.id,
            http_method="ANY",
            authorization="AWS_IAM",
            request_parameters={"method.request.path.proxy": True},
            opts=child(self),
        )
        integration = aws.apigateway.Integration(
            f"{name}-backend",
            rest_api=api.id,
            resource_id=proxy.id,
            http_method=method.http_method,
            type="HTTP_PROXY",
            integration_http_method="ANY",
            connection_type="VPC_LINK",
            connection_id=link.id,
            uri=pulumi.Output.concat(args.backend_uri, "/{proxy}"),
            request_parameters={"integration.request.path.proxy": "method.request.path.proxy"},
            opts=child(self),
        )
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=api.id,
            description=f"{name}: proxy to the shared service",
            triggers={"redeployment": "proxy-any-aws-iam-vpc-link"},
            opts=child(self, depends_on=[method, integration, policy]),
        )
        logs = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            name=f"/forcelift/api/{name}",
            kms_key_id=key_arn,
            retention_in_days=args.log_retention_days,
            tags=tags,
            opts=child(self, protect=args.protect),
        )
        stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=api.id,
            deployment=deployment.id,
            stage_name=args.stage_name,
            xray_tracing_enabled=True,
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=logs.arn, format=ACCESS_LOG_FORMAT
            ),
            tags=tags,
            opts=child(self),
        )
        aws.apigateway.MethodSettings(
            f"{name}-logging",
            rest_api=api.id,
            stage_name=stage.stage_name,
            method_path="*/*",
            settings=aws.apigateway.MethodSettingsSettingsArgs(
                logging_level="INFO",
                metrics_enabled=True,
                data_trace_enabled=False,  # request bodies may hold OFFICIAL-SENSITIVE data
            ),
            opts=child(self),
        )
        self.api_id = api.id
        self.log_group_name = logs.name
        self.register_outputs(
            {"apiId": api.id, "stage": stage.stage_name, "accessLogGroup": logs.name}
        )
