"""Hub network: TGW with explicit tables, flow logs, SSM endpoints, VPN, Verified Access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from forcelift.components.aws.hub_network import (
    HubNetwork,
    HubNetworkArgs,
    OidcSpec,
    PublishedAppSpec,
    RemoteAccessSpec,
    TrustProviderKind,
    VpnSpec,
)
from forcelift.components.aws.network_specs import SubnetSpec
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:HubNetwork"
ENTRA = "https://login.microsoftonline.com/tenant"
SUBNETS = (SubnetSpec("eu-west-2a", "10.0.0.0/24"), SubnetSpec("eu-west-2b", "10.0.1.0/24"))


def _program(tags: Tags) -> None:
    HubNetwork(
        "hub",
        HubNetworkArgs(
            tags=tags,
            cidr="10.0.0.0/22",
            subnets=SUBNETS,
            routed_cidrs=("10.16.0.0/12", "172.16.0.0/16"),
            endpoint_client_cidrs=("10.16.0.0/12",),
            vpns=(
                VpnSpec(
                    "psn",
                    "198.51.100.7",
                    65010,
                    tunnel1_preshared_key=pulumi.Output.secret("tunnel-one-key"),
                    tunnel2_preshared_key=pulumi.Output.secret("tunnel-two-key"),
                ),
            ),
            remote_access=RemoteAccessSpec(
                trust_provider=TrustProviderKind.OIDC,
                oidc=OidcSpec(
                    issuer=f"{ENTRA}/v2.0",
                    authorization_endpoint=f"{ENTRA}/oauth2/v2.0/authorize",
                    token_endpoint=f"{ENTRA}/oauth2/v2.0/token",
                    user_info_endpoint="https://graph.microsoft.com/oidc/userinfo",
                    client_id="forcelift",
                    client_secret=pulumi.Output.secret("client-secret"),
                ),
                applications=(
                    PublishedAppSpec(
                        name="rms",
                        application_domain="rms.exampleshire.police.uk",
                        domain_certificate_arn="arn:aws:acm:eu-west-2:123456789012:certificate/a",
                        endpoint_domain_prefix="rms",
                        load_balancer_arn="arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/rms/1",
                        subnet_ids=("subnet-a", "subnet-b"),
                        security_group_ids=("sg-rms",),
                    ),
                ),
            ),
            share_with_principals=("arn:aws:organizations::123456789012:ou/o-ex/ou-workloads",),
        ),
    )


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(lambda: _program(tags), stack="exampleshire-aws-landing-zone")


def by_name(run: MockRun) -> dict[str, Any]:
    return {r.name: r for r in run.resources}


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_vpc_subnets_and_tgw_route_tables(run: MockRun) -> None:
    (vpc,) = run.of_type("aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == "10.0.0.0/22"
    subnets = run.of_type("aws:ec2/subnet:Subnet")
    assert sorted((s.inputs["availabilityZone"], s.inputs["cidrBlock"]) for s in subnets) == [
        ("eu-west-2a", "10.0.0.0/24"),
        ("eu-west-2b", "10.0.1.0/24"),
    ]
    assert run.of_type("aws:ec2/internetGateway:InternetGateway") == []
    assert run.of_type("aws:ec2/natGateway:NatGateway") == []
    (tgw,) = run.of_type("aws:ec2transitgateway/transitGateway:TransitGateway")
    assert tgw.inputs["defaultRouteTableAssociation"] == "disable"
    assert tgw.inputs["defaultRouteTablePropagation"] == "disable"
    assert len(run.of_type("aws:ec2transitgateway/routeTable:RouteTable")) == 2
    (attachment,) = run.of_type("aws:ec2transitgateway/vpcAttachment:VpcAttachment")
    assert attachment.inputs["transitGatewayDefaultRouteTableAssociation"] is False
    routes = {r.inputs["destinationCidrBlock"] for r in run.of_type("aws:ec2/route:Route")}
    assert routes == {"10.16.0.0/12", "172.16.0.0/16"}
    names = by_name(run)
    assert names["hub-tgw-hub-association"].dependencies == tuple(
        sorted((names["hub-tgw-attachment"].urn, names["hub-tgw-rt-shared"].urn))
    )


def test_flow_logs_go_to_an_encrypted_group(run: MockRun) -> None:
    (flow,) = run.of_type("aws:ec2/flowLog:FlowLog")
    names = by_name(run)
    assert names["hub-vpc"].urn in flow.dependencies
    assert flow.inputs["trafficType"] == "ALL"
    assert flow.inputs["logDestinationType"] == "cloud-watch-logs"
    assert names["hub-flow-logs-group"].urn in flow.dependencies
    assert names["hub-log-key"].urn in names["hub-flow-logs-group"].dependencies


def test_ssm_endpoints_and_s3_gateway(run: MockRun) -> None:
    endpoints = {r.inputs["serviceName"]: r for r in run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert set(endpoints) == {
        "com.amazonaws.eu-west-2.ssm",
        "com.amazonaws.eu-west-2.ssmmessages",
        "com.amazonaws.eu-west-2.ec2messages",
        "com.amazonaws.eu-west-2.s3",
    }
    assert endpoints["com.amazonaws.eu-west-2.s3"].inputs["vpcEndpointType"] == "Gateway"
    assert endpoints["com.amazonaws.eu-west-2.ssm"].inputs["vpcEndpointType"] == "Interface"
    zones = {z.inputs["name"] for z in run.of_type("aws:route53/zone:Zone")}
    assert zones == {f"{s}.eu-west-2.amazonaws.com" for s in ("ssm", "ssmmessages", "ec2messages")}
    rules = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert sorted((r.inputs["cidrIpv4"], r.inputs["fromPort"]) for r in rules) == [
        ("10.0.0.0/22", 443),
        ("10.16.0.0/12", 443),
    ]


def test_vpn_uses_secret_keys_and_strong_proposals(run: MockRun, helpers: Any) -> None:
    (vpn,) = run.of_type("aws:ec2/vpnConnection:VpnConnection")
    assert helpers.is_secret(vpn.inputs["tunnel1PresharedKey"])
    assert helpers.is_secret(vpn.inputs["tunnel2PresharedKey"])
    assert vpn.inputs["tunnel1IkeVersions"] == ["ikev2"]
    assert min(vpn.inputs["tunnel1Phase1DhGroupNumbers"]) >= 14
    assert by_name(run)["hub-tgw"].urn in vpn.dependencies
    (gateway,) = run.of_type("aws:ec2/customerGateway:CustomerGateway")
    assert gateway.inputs["ipAddress"] == "198.51.100.7" and gateway.inputs["bgpAsn"] == "65010"


def test_verified_access_instead_of_client_vpn(run: MockRun, helpers: Any) -> None:
    assert run.of_type("aws:ec2clientvpn/endpoint:Endpoint") == []
    (provider,) = run.of_type("aws:verifiedaccess/trustProvider:TrustProvider")
    assert provider.inputs["userTrustProviderType"] == "oidc"
    assert helpers.is_secret(provider.inputs["oidcOptions"])  # the whole block is secret
    (group,) = run.of_type("aws:verifiedaccess/group:Group")
    assert "permit(" in group.inputs["policyDocument"]
    (endpoint,) = run.of_type("aws:verifiedaccess/endpoint:Endpoint")
    assert endpoint.inputs["applicationDomain"] == "rms.exampleshire.police.uk"
    assert endpoint.inputs["loadBalancerOptions"]["protocol"] == "https"
    (logging,) = run.of_type(
        "aws:verifiedaccess/instanceLoggingConfiguration:InstanceLoggingConfiguration"
    )
    assert logging.inputs["accessLogs"]["cloudwatchLogs"]["enabled"] is True


def test_secrets_must_not_be_literals() -> None:
    with pytest.raises(TypeError, match="secret"):
        VpnSpec("psn", "198.51.100.7", 65010, tunnel1_preshared_key="plain-text")  # type: ignore[arg-type]


def test_subnets_must_fit_the_vpc(tags: Tags) -> None:
    with pytest.raises(ValueError, match="outside"):
        HubNetworkArgs(
            tags=tags, cidr="10.0.0.0/22", subnets=(SubnetSpec("eu-west-2a", "10.1.0.0/24"),)
        )
    with pytest.raises(ValueError, match="anywhere"):
        HubNetworkArgs(
            tags=tags, cidr="10.0.0.0/22", subnets=SUBNETS, endpoint_client_cidrs=("0.0.0.0/0",)
        )
