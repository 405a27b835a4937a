"""StaffAccessEndpoint: Verified Access group (identity + device) and endpoints per app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from forcelift.components.aws.hub_specs import TrustProviderKind
from forcelift.components.aws.staff_access import (
    DeviceTrust,
    EndpointKind,
    StaffAccessEndpoint,
    StaffAccessEndpointArgs,
    StaffAppSpec,
    staff_policy,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:StaffAccessEndpoint"
ALB = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/fl/1"
APPS = (
    StaffAppSpec(
        name="bwv",
        hostname="body-worn-video.exampleshire.staff.police.uk",
        endpoint_type=EndpointKind.NETWORK_INTERFACE,
        network_interface_id="eni-1",
        target_security_group_id="sg-bwv",
    ),
    StaffAppSpec(
        name="firearms",
        hostname="firearms-licensing.exampleshire.staff.police.uk",
        endpoint_type=EndpointKind.LOAD_BALANCER,
        load_balancer_arn=ALB,
        subnet_ids=("subnet-a", "subnet-b"),
    ),
)


def _args(tags: Tags, **more: Any) -> StaffAccessEndpointArgs:
    base: dict[str, Any] = {
        "tags": tags,
        "instance_id": "vai-landing-zone",
        "vpc_id": "vpc-wave-1",
        "vpc_cidr": "10.16.0.0/22",
        "applications": APPS,
    }
    return StaffAccessEndpointArgs(**{**base, **more})


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(lambda: StaffAccessEndpoint("staff", _args(tags)))


def named(run: MockRun, name: str) -> Any:
    return next(r for r in run.resources if r.name == name)


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_group_on_the_landing_zone_instance_needs_identity_and_device(run: MockRun) -> None:
    (group,) = run.of_type("aws:verifiedaccess/group:Group")
    assert group.inputs["verifiedaccessInstanceId"] == "vai-landing-zone"
    policy = group.inputs["policyDocument"]
    assert policy.startswith("permit(principal, action, resource)")
    assert "context.idp.user.email.verified == true" in policy
    assert "context has device" in policy
    assert '["LOW", "SECURE"].contains(context.device.risk)' in policy
    assert policy.count("&&") == 2


def test_policy_per_identity_and_device_provider() -> None:
    oidc = staff_policy(TrustProviderKind.OIDC, "entra", DeviceTrust.CROWDSTRIKE, "crwd")
    assert "context.entra has email" in oidc
    assert "context.crwd.assessment.overall > 50" in oidc
    jumpcloud = staff_policy(
        TrustProviderKind.IAM_IDENTITY_CENTER, "idp", DeviceTrust.JUMPCLOUD, "jc"
    )
    assert "context.jc.device.is_managed == true" in jumpcloud


def test_endpoints_per_application(run: MockRun) -> None:
    bwv, firearms = named(run, "staff-bwv").inputs, named(run, "staff-firearms").inputs
    assert (bwv["endpointType"], bwv["attachmentType"]) == ("network-interface", "vpc")
    assert bwv["applicationDomain"] == "body-worn-video.exampleshire.staff.police.uk"
    assert bwv["networkInterfaceOptions"] == {
        "networkInterfaceId": "eni-1",
        "port": 443,
        "protocol": "https",
    }
    assert "loadBalancerOptions" not in bwv
    assert firearms["endpointType"] == "load-balancer"
    assert firearms["loadBalancerOptions"]["loadBalancerArn"] == ALB
    assert firearms["loadBalancerOptions"]["subnetIds"] == ["subnet-a", "subnet-b"]
    cert = named(run, "staff-bwv-cert")
    assert cert.inputs["domainName"] == bwv["applicationDomain"]
    assert cert.inputs["validationMethod"] == "DNS"
    assert cert.urn in named(run, "staff-bwv").dependencies


def test_only_the_port_from_the_verified_access_endpoint(run: MockRun) -> None:
    (sg,) = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    ingress = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert [(r.inputs["securityGroupId"], r.inputs["fromPort"]) for r in ingress] == [
        ("sg-bwv", 443)
    ]
    assert sg.urn in ingress[0].dependencies
    assert "cidrIpv4" not in ingress[0].inputs
    egress = run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert sorted((r.inputs["cidrIpv4"], r.inputs["toPort"]) for r in egress) == [
        ("10.16.0.0/22", 443),
        ("10.16.0.0/22", 443),
    ]
    # group, SG, per app: egress, certificate, endpoint (+ ingress for bwv)
    assert len([r for r in run.resources if r.custom]) == 9


def test_refusals(tags: Tags) -> None:
    with pytest.raises(ValueError, match="at least one"):
        _args(tags, applications=())
    with pytest.raises(ValueError, match="ENI"):
        StaffAppSpec("x", "x.staff.police.uk", EndpointKind.NETWORK_INTERFACE)
    with pytest.raises(ValueError, match="ALB"):
        StaffAppSpec("x", "x.staff.police.uk", EndpointKind.LOAD_BALANCER, load_balancer_arn=ALB)
    with pytest.raises(ValueError, match="DNS name"):
        StaffAppSpec("x", "X_bad", EndpointKind.NETWORK_INTERFACE, network_interface_id="eni")
    with pytest.raises(ValueError, match="unique"):
        _args(tags, applications=(APPS[0], APPS[0]))
