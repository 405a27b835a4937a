"""PartnerInterfaceEndpoint: interface endpoint, port-only SG from the VPC, private DNS name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from forcelift.components.aws.partner_endpoint import (
    PartnerInterfaceEndpoint,
    PartnerInterfaceEndpointArgs,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:PartnerInterfaceEndpoint"
SERVICE = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0"
DNS = "rocu-intel.share.northshire.internal"


def _args(tags: Tags, **more: Any) -> PartnerInterfaceEndpointArgs:
    base: dict[str, Any] = {
        "tags": tags,
        "vpc_id": "vpc-consumer",
        "client_cidrs": ("10.20.0.0/22",),
        "associated_vpc_ids": ("vpc-spoke-1",),
        "subnet_ids": ("subnet-a", "subnet-b"),
        "service_name": SERVICE,
        "dns_name": DNS,
        "port": 8443,
        "provider": "exampleshire",
    }
    return PartnerInterfaceEndpointArgs(**{**base, **more})


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(lambda: PartnerInterfaceEndpoint("rocu-intel", _args(tags)))


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_interface_endpoint_without_provider_dns(run: MockRun) -> None:
    (endpoint,) = run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    inputs = endpoint.inputs
    assert (inputs["vpcEndpointType"], inputs["serviceName"]) == ("Interface", SERVICE)
    assert inputs["privateDnsEnabled"] is False
    assert inputs["subnetIds"] == ["subnet-a", "subnet-b"]
    (sg,) = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert sg.urn in endpoint.dependencies


def test_only_the_port_from_the_consumer_vpc(run: MockRun) -> None:
    rules = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert [
        (r.inputs["cidrIpv4"], r.inputs["fromPort"], r.inputs["toPort"], r.inputs["ipProtocol"])
        for r in rules
    ] == [("10.20.0.0/22", 8443, 8443, "tcp")]
    assert run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") == []


def test_private_zone_and_alias_record(run: MockRun) -> None:
    (zone,) = run.of_type("aws:route53/zone:Zone")
    assert zone.inputs["name"] == DNS
    assert zone.inputs["vpcs"] == [{"vpcId": "vpc-consumer"}]
    (record,) = run.of_type("aws:route53/record:Record")
    assert (record.inputs["name"], record.inputs["type"]) == (DNS, "A")
    assert record.inputs["aliases"][0]["evaluateTargetHealth"] is True
    assert zone.urn in record.dependencies
    (association,) = run.of_type("aws:route53/zoneAssociation:ZoneAssociation")
    assert association.inputs["vpcId"] == "vpc-spoke-1"
    assert len([r for r in run.resources if r.custom]) == 6


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("client_cidrs", ("0.0.0.0/0",), "anywhere"),
        ("client_cidrs", (), "ranges"),
        ("dns_name", "Not A Name", "DNS name"),
        ("port", 0, "out of range"),
        ("subnet_ids", (), "subnet"),
    ],
)
def test_refuses_bad_args(tags: Tags, field: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _args(tags, **{field: value})
