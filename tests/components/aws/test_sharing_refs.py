"""Follow-ups for sharing and staff access: the hub's device trust provider, the references
workloads expose (server ENIs, the web app's ALB and its group) and API Gateway's account
CloudWatch role."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from forcelift.components.aws.api_logging import ApiGatewayLogging, ApiGatewayLoggingArgs
from forcelift.components.aws.hub_network import (
    DeviceTrust,
    DeviceTrustSpec,
    HubNetwork,
    HubNetworkArgs,
    RemoteAccessSpec,
)
from forcelift.components.aws.iaas_workload import IaasWorkload, IaasWorkloadArgs, ServerSpec
from forcelift.components.aws.network_specs import SubnetSpec
from forcelift.components.aws.paas_workload import (
    PaasWorkload,
    PaasWorkloadArgs,
    WebAppSpec,
    WebPlatform,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

CERT = "arn:aws:acm:eu-west-2:123456789012:certificate/case"
SUBNETS = (SubnetSpec("eu-west-2a", "10.0.0.0/24"), SubnetSpec("eu-west-2b", "10.0.1.0/24"))


def named(run: MockRun, name: str) -> Any:
    return next(r for r in run.resources if r.name == name)


@pytest.fixture(scope="module")
def hub(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    args = HubNetworkArgs(
        tags=tags,
        cidr="10.0.0.0/22",
        subnets=SUBNETS,
        remote_access=RemoteAccessSpec(
            device=DeviceTrustSpec(DeviceTrust.JAMF, "jamf-tenant-1", "managed")
        ),
    )
    return run_aws(lambda: HubNetwork("hub", args), stack="exampleshire-aws-landing-zone")


def test_hub_attaches_a_device_trust_provider_next_to_the_user_one(
    hub: MockRun, assert_secure: Callable[[MockRun, str], None]
) -> None:
    assert_secure(hub, "forcelift:aws:HubNetwork")
    device = named(hub, "hub-device-trust-provider")
    assert device.inputs["trustProviderType"] == "device"
    assert device.inputs["deviceTrustProviderType"] == "jamf"
    assert device.inputs["policyReferenceName"] == "managed"
    assert device.inputs["deviceOptions"] == {"tenantId": "jamf-tenant-1"}
    attachment = named(hub, "hub-device-trust-provider-attachment")
    assert named(hub, "hub-verified-access").urn in attachment.dependencies
    assert device.urn in attachment.dependencies
    # one attachment change at a time on the instance: after the user provider's
    assert named(hub, "hub-trust-provider-attachment").urn in attachment.dependencies
    group = named(hub, "hub-access-group")
    assert attachment.urn in group.dependencies
    policy = group.inputs["policyDocument"]
    assert "context.idp.user.email.verified == true" in policy
    assert '["LOW", "SECURE"].contains(context.managed.risk)' in policy


def test_without_device_trust_the_hub_keeps_one_provider(
    tags: Tags, run_aws: Callable[..., MockRun]
) -> None:
    args = HubNetworkArgs(
        tags=tags, cidr="10.0.0.0/22", subnets=SUBNETS, remote_access=RemoteAccessSpec()
    )
    run = run_aws(lambda: HubNetwork("hub", args), stack="exampleshire-aws-landing-zone")
    providers = run.of_type("aws:verifiedaccess/trustProvider:TrustProvider")
    assert [p.inputs["trustProviderType"] for p in providers] == ["user"]


def test_bad_device_trust_is_refused() -> None:
    with pytest.raises(ValueError, match="tenant id"):
        DeviceTrustSpec(DeviceTrust.CROWDSTRIKE, " ")
    with pytest.raises(ValueError, match="Cedar identifier"):
        DeviceTrustSpec(DeviceTrust.JUMPCLOUD, "t", "Device-Ref")
    with pytest.raises(ValueError, match="different reference names"):
        RemoteAccessSpec(device=DeviceTrustSpec(DeviceTrust.JAMF, "t", "idp"))


def test_servers_expose_their_primary_network_interfaces(
    tags: Tags, run_aws: Callable[..., MockRun]
) -> None:
    def build() -> None:
        args = IaasWorkloadArgs(
            tags=tags,
            servers=(ServerSpec("app01", "m6i.large", "ami-0abcdef1234567890", "eu-west-2a", 100),),
            subnet_ids={"eu-west-2a": "subnet-a"},
            security_group_ids=("sg-app",),
        )
        pulumi.export("enis", IaasWorkload("rms", args).primary_network_interface_ids)

    run = run_aws(build)
    (eni,) = run.outputs["enis"].values()
    assert set(run.outputs["enis"]) == {"app01"}
    assert eni.startswith("eni-")  # the mock's deterministic primaryNetworkInterfaceId


@pytest.mark.parametrize("platform", [WebPlatform.ECS_FARGATE, WebPlatform.ELASTIC_BEANSTALK])
def test_web_apps_expose_their_alb_and_its_group(
    tags: Tags, run_aws: Callable[..., MockRun], platform: WebPlatform
) -> None:
    def build() -> None:
        web = WebAppSpec(
            "case",
            CERT,
            image="123456789012.dkr.ecr.eu-west-2.amazonaws.com/case:1.4",
            platform=platform,
            solution_stack_name="64bit Amazon Linux 2023 v6.1.0 running Node.js 20",
        )
        args = PaasWorkloadArgs(
            tags=tags, vpc_id="vpc-spoke", subnet_ids=("subnet-a", "subnet-b"), web_app=web
        )
        paas = PaasWorkload("case", args)
        pulumi.export("alb", paas.alb_arn)
        pulumi.export("albGroup", paas.alb_security_group_id)

    run = run_aws(build)
    assert run.outputs["albGroup"].startswith("case-sg-alb-")
    if platform is WebPlatform.ECS_FARGATE:
        assert run.outputs["alb"] == "arn:aws:lb:eu-west-2:123456789012:case-alb"
    else:  # the ALB Elastic Beanstalk makes, as the environment names it
        assert run.outputs["alb"].startswith(
            "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/awseb-"
        )


def test_api_gateway_logging_role(
    tags: Tags, run_aws: Callable[..., MockRun], assert_secure: Callable[[MockRun, str], None]
) -> None:
    run = run_aws(
        lambda: ApiGatewayLogging("api-logs", ApiGatewayLoggingArgs(tags=tags)),
        stack="exampleshire-aws-landing-zone",
    )
    assert_secure(run, "forcelift:aws:ApiGatewayLogging")
    (account,) = run.of_type("aws:apigateway/account:Account")
    role = named(run, "api-logs-role")
    assert account.inputs["cloudwatchRoleArn"] == "arn:aws:iam:eu-west-2:123456789012:api-logs-role"
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    policy = named(run, "api-logs-role-push-to-cloudwatch")
    assert policy.inputs["policyArn"].endswith("service-role/AmazonAPIGatewayPushToCloudWatchLogs")
    assert policy.urn in account.dependencies
