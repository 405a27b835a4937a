"""Spoke: private subnets, default route to the TGW, flow logs, only the planned flows."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest

from forcelift.components.aws.network_specs import (
    FlowRule,
    Protocol,
    SecurityGroupSpec,
    SubnetSpec,
)
from forcelift.components.aws.spoke_network import SpokeNetwork, SpokeNetworkArgs
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:SpokeNetwork"
LZ = "organization/forcelift/exampleshire-aws-landing-zone"


def _program(tags: Tags) -> None:
    landing_zone = pulumi.StackReference(LZ)
    SpokeNetwork(
        "wave-1",
        SpokeNetworkArgs(
            tags=tags,
            cidr="10.16.0.0/22",
            subnets=(
                SubnetSpec("eu-west-2a", "10.16.0.0/24"),
                SubnetSpec("eu-west-2b", "10.16.1.0/24"),
            ),
            transit_gateway_id=landing_zone.require_output("transit_gateway_id"),
            association_route_table_id=landing_zone.require_output("tgw_spokes_table_id"),
            propagation_route_table_ids=(landing_zone.require_output("tgw_shared_table_id"),),
            endpoint_zone_ids=("Z0SSM",),
            endpoints_cidr="10.0.0.0/22",
            security_groups=(
                SecurityGroupSpec(
                    "app",
                    "RMS application servers",
                    ingress=(FlowRule("https-from-staff", "10.0.0.0/8", 443),),
                    egress=(
                        FlowRule("sql", "10.16.1.0/24", 1433),
                        FlowRule("dns", "10.0.0.0/22", 53, protocol=Protocol.UDP),
                    ),
                ),
            ),
        ),
    )


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(
        lambda: _program(tags),
        stack_outputs={
            LZ: {
                "transit_gateway_id": "tgw-0hub",
                "tgw_spokes_table_id": "tgw-rtb-spokes",
                "tgw_shared_table_id": "tgw-rtb-shared",
            }
        },
    )


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    resources = [r for r in run.resources if r.type != "pulumi:pulumi:StackReference"]
    assert_secure(type(run)(run.project, run.stack, resources, run.duplicate_urns), COMPONENT)


def test_attached_to_the_landing_zone_tgw(run: MockRun) -> None:
    (attachment,) = run.of_type("aws:ec2transitgateway/vpcAttachment:VpcAttachment")
    assert attachment.inputs["transitGatewayId"] == "tgw-0hub"
    assert len(attachment.inputs["subnetIds"]) == 2
    (association,) = run.of_type(
        "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
    )
    assert association.inputs["transitGatewayRouteTableId"] == "tgw-rtb-spokes"
    (propagation,) = run.of_type(
        "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"
    )
    assert propagation.inputs["transitGatewayRouteTableId"] == "tgw-rtb-shared"
    (route,) = run.of_type("aws:ec2/route:Route")
    assert route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    assert route.inputs["transitGatewayId"] == "tgw-0hub"
    assert attachment.urn in route.dependencies
    (zone,) = run.of_type("aws:route53/zoneAssociation:ZoneAssociation")
    assert zone.inputs["zoneId"] == "Z0SSM"


def test_private_subnets_and_flow_logs(run: MockRun) -> None:
    subnets = run.of_type("aws:ec2/subnet:Subnet")
    assert sorted(s.inputs["cidrBlock"] for s in subnets) == ["10.16.0.0/24", "10.16.1.0/24"]
    (flow,) = run.of_type("aws:ec2/flowLog:FlowLog")
    (vpc,) = run.of_type("aws:ec2/vpc:Vpc")
    assert vpc.urn in flow.dependencies
    # No key was passed in, so the spoke made (and protected) its own.
    (key,) = run.of_type("aws:kms/key:Key")
    assert key.protect


def test_security_groups_carry_exactly_the_planned_flows(run: MockRun) -> None:
    (group,) = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert group.inputs["name"] == "wave-1-app"
    ingress = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    egress = run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert [
        (r.inputs["cidrIpv4"], r.inputs["ipProtocol"], r.inputs["fromPort"]) for r in ingress
    ] == [("10.0.0.0/8", "tcp", 443)]
    planned = [r for r in egress if "cidrIpv4" in r.inputs]
    assert sorted(
        (r.inputs["cidrIpv4"], r.inputs["ipProtocol"], r.inputs["toPort"]) for r in planned
    ) == [
        ("10.0.0.0/22", "tcp", 443),  # the hub's SSM endpoints (endpoints_cidr)
        ("10.0.0.0/22", "udp", 53),
        ("10.16.1.0/24", "tcp", 1433),
    ]
    (s3,) = [r for r in egress if "cidrIpv4" not in r.inputs]
    assert s3.name == "wave-1-sg-app-out-s3" and s3.inputs["toPort"] == 443
    (endpoint,) = run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert endpoint.urn in s3.dependencies  # the rule uses the gateway's prefix list
    assert all(group.urn in r.dependencies for r in (*ingress, *egress))


def test_open_ingress_is_refused_before_any_resource() -> None:
    with pytest.raises(ValueError, match="anywhere"):
        SecurityGroupSpec("web", "web", ingress=(FlowRule("any", "0.0.0.0/0", 443),))
    with pytest.raises(ValueError, match="anywhere"):
        SecurityGroupSpec("web", "web", ingress=(FlowRule("any6", "::/0", 443),))
    with pytest.raises(ValueError, match="port range"):
        FlowRule("bad", "10.0.0.0/8", 443, 80)


def test_later_part_groups_live_in_the_first_parts_vpc(
    tags: Tags, run_aws: Callable[..., MockRun]
) -> None:
    from forcelift.components.aws.spoke_network import (
        WorkloadSecurityGroups,
        WorkloadSecurityGroupsArgs,
    )

    spec = SecurityGroupSpec(
        "custody", "Custody servers", ingress=(FlowRule("rdp-from-bastion", "10.0.4.0/26", 3389),)
    )

    def program() -> None:
        first = pulumi.StackReference("organization/forcelift/exampleshire-aws-wave-2-1")
        WorkloadSecurityGroups(
            "wave-2-2-groups",
            "wave-2",
            WorkloadSecurityGroupsArgs(
                tags=tags,
                vpc_id=first.get_output("spokeVpcId"),
                security_groups=(spec,),
                endpoints_cidr="10.0.0.0/22",
                s3_prefix_list_id=first.get_output("spokeS3PrefixListId"),
            ),
        )

    run = run_aws(
        program,
        stack_outputs={
            "organization/forcelift/exampleshire-aws-wave-2-1": {
                "spokeVpcId": "vpc-0wave2",
                "spokeS3PrefixListId": "pl-0s3",
            }
        },
    )
    (group,) = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert group.name == "wave-2-sg-custody" and group.inputs["vpcId"] == "vpc-0wave2"
    (ingress,) = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert (ingress.inputs["cidrIpv4"], ingress.inputs["fromPort"]) == ("10.0.4.0/26", 3389)
    egress = run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert sorted(e.inputs.get("prefixListId") or e.inputs["cidrIpv4"] for e in egress) == [
        "10.0.0.0/22",
        "pl-0s3",
    ]
    with pytest.raises(ValueError, match="unique"):
        WorkloadSecurityGroupsArgs(tags=tags, vpc_id="vpc-1", security_groups=(spec, spec))
