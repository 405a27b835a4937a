"""The mock runtime's deterministic outputs for what the sharing layer hands on (endpoint
service names, Verified Access domains, server ENIs, Beanstalk's ALB, Private Link aliases):
exact and stable, so previews with sharing are byte-stable; other outputs unchanged."""

from __future__ import annotations

from typing import Any

from pulumi.runtime.mocks import MockResourceArgs

from forcelift.stacks.mock_runtime import FAKE_ACCOUNT, DeterministicMocks, _stable_id


def _state(typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    _, state = DeterministicMocks().new_resource(MockResourceArgs(typ, name, inputs))
    return state


def test_endpoint_service_name_is_derived_from_the_name() -> None:
    typ = "aws:ec2/vpcEndpointService:VpcEndpointService"
    state = _state(typ, "intel-share-service", {"acceptanceRequired": True})
    rid = _stable_id(typ, "intel-share-service")
    assert state["serviceName"] == f"com.amazonaws.vpce.eu-west-2.vpce-svc-{rid}"
    assert _state(typ, "intel-share-service", {})["serviceName"] == state["serviceName"]
    assert _state(typ, "other-service", {})["serviceName"] != state["serviceName"]


def test_verified_access_endpoint_domain_uses_its_prefix() -> None:
    typ = "aws:verifiedaccess/endpoint:Endpoint"
    state = _state(typ, "wave-3-staff-rms", {"endpointDomainPrefix": "rms"})
    rid = _stable_id(typ, "wave-3-staff-rms")
    assert state["endpointDomain"] == (
        f"rms.edge-{rid}.vai-{rid}.prod.verified-access.eu-west-2.amazonaws.com"
    )
    # without a known prefix the domain stays unknown rather than made up
    assert "endpointDomain" not in _state(typ, "wave-3-staff-rms", {})


def test_server_eni_and_beanstalk_alb() -> None:
    instance = _state("aws:ec2/instance:Instance", "rms-app01", {"instanceType": "m6i.large"})
    assert instance["primaryNetworkInterfaceId"] == (
        f"eni-{_stable_id('aws:ec2/instance:Instance', 'rms-app01')}"
    )
    typ = "aws:elasticbeanstalk/environment:Environment"
    env = _state(typ, "dms-paas-beanstalk-env", {})
    rid = _stable_id(typ, "dms-paas-beanstalk-env")
    assert env["loadBalancers"] == [
        f"arn:aws:elasticloadbalancing:eu-west-2:{FAKE_ACCOUNT}:loadbalancer/app/awseb-{rid}/{rid}"
    ]


def test_private_link_service_alias() -> None:
    typ = "azure-native:network:PrivateLinkService"
    inputs = {"serviceName": "pls-exampleshire-intel", "location": "ukwest"}
    state = _state(typ, "intel-pls", inputs)
    alias = state["alias"]
    name, guid, location, *rest = alias.split(".")
    assert (name, location, ".".join(rest)) == (
        "pls-exampleshire-intel",
        "ukwest",
        "azure.privatelinkservice",
    )
    assert [len(p) for p in guid.split("-")] == [8, 4, 4, 4, 12]
    assert _state(typ, "intel-pls", inputs)["alias"] == alias


def test_other_outputs_are_unchanged() -> None:
    state = _state("aws:lb/loadBalancer:LoadBalancer", "rms-alb", {"internal": True})
    rid = _stable_id("aws:lb/loadBalancer:LoadBalancer", "rms-alb")
    assert state == {
        "internal": True,
        "arn": f"arn:aws:lb:eu-west-2:{FAKE_ACCOUNT}:rms-alb",
        "id": f"rms-alb-{rid[:8]}",
    }
    zone = _state("aws:route53/zone:Zone", "z", {"name": "a.internal"})
    assert zone["zoneId"] == f"Z{_stable_id('aws:route53/zone:Zone', 'z')}"
    vnet = _state("azure-native:network:VirtualNetwork", "hub", {"virtualNetworkName": "vnet"})
    assert "alias" not in vnet and vnet["name"] == "vnet"
