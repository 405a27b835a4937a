"""The AWS sharing wiring (stacks/aws_sharing.py and its uses in the landing zone and wave
programs) on a small plan: one hosted service with an agency API, staff access for two
applications, a sharing stack consuming one host's service and one partner's, one RAM share."""

from __future__ import annotations

import json
from typing import Any

import pytest

from forcelift.migration.errors import InputError
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.sharing_plan import (
    CloudSharing,
    ConsumedService,
    HostedService,
    RamSharePlan,
    StaffAccess,
)
from forcelift.stacks import aws_program
from forcelift.stacks.config import StackConfig
from forcelift.stacks.context import StackContext, slug
from forcelift.stacks.mock_runtime import MockRun, run_mocked

ORG = "organization"
LZ = "exampleshire-aws-landing-zone"
WAVE = "exampleshire-aws-wave-3"
SHARING = "exampleshire-aws-sharing"
HOST_WAVE = "northshire-aws-wave-1"
OU = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-abcd-12345678"
ROCU = "com.amazonaws.vpce.eu-west-2.vpce-svc-0rocu"
HMPPS = "com.amazonaws.vpce.eu-west-2.vpce-svc-0hmpps"
APPS = ("Intelligence Analysis", "Address Gazetteer Service")


def _staff(application: str, host: str) -> StaffAccess:
    return StaffAccess(
        application=application,
        stack=WAVE,
        method="verified-access",
        hostname=f"{host}.exampleshire.staff.police.uk",
        identity="IAM Identity Center + device trust",
        reason="serves web users",
    )


SMALL_SHARING = CloudSharing(
    hosted=(
        HostedService(
            name="intel",
            application="Intelligence Analysis",
            stack=WAVE,
            api=True,
            agreements=("ISA-1",),
            consumers=("northshire", "National Crime Agency"),
            allowed_accounts=("456789012345", "345678901234"),
        ),
        HostedService(
            name="gazetteer",
            application="Address Gazetteer Service",
            stack=WAVE,
            consumers=("Exampleshire County Council",),
        ),
    ),
    consumed=(
        ConsumedService(
            name="rocu",
            provider="northshire",
            stack=SHARING,
            source_stack=HOST_WAVE,
            source_name="rocu-intel",
            dns_name="rocu.share.exampleshire.internal",
        ),
        ConsumedService(
            name="hmpps",
            provider="HM Prison and Probation Service",
            stack=SHARING,
            endpoint=HMPPS,
            port=8443,
            dns_name="hmpps.share.exampleshire.internal",
        ),
    ),
    ram_shares=(RamSharePlan(name="northern-region", principals=(OU, "456789012345")),),
    staff_access=(
        _staff("Intelligence Analysis", "intelligence"),
        _staff("Address Gazetteer Service", "gazetteer"),
    ),
)


def with_sharing(plan: Plan, sharing: CloudSharing) -> Plan:
    cloud = plan.clouds[0].model_copy(update={"sharing": sharing})
    return plan.model_copy(update={"clouds": (cloud,)})


@pytest.fixture(scope="module")
def small_plan(sample_plan: Plan, helpers: Any) -> Plan:
    plan = helpers.keep_workloads(helpers.only_cloud(sample_plan, "aws"), APPS)
    return with_sharing(plan, SMALL_SHARING)


def context(plan: Plan, stack: str) -> StackContext:
    entry = next(s for s in plan.clouds[0].stacks if s.name == stack)
    config = StackConfig(
        plan_path="plan.yaml",
        cloud="aws",
        layer=entry.layer,
        organization=ORG,
        location="eu-west-2",
        wave=entry.wave,
    )
    values = {
        "forcelift:accountEmailDomain": "exampleshire.police.uk",
        "forcelift:certificateArn": "arn:aws:acm:eu-west-2:123456789012:certificate/web",
        "forcelift:deviceTrustProvider": "crowdstrike",
        "forcelift:deviceTrustTenantId": "cs-tenant-1",
    }
    return StackContext(
        plan=plan,
        cloud_index=0,
        stack=entry,
        config=config,
        project="forcelift",
        stack_name=stack,
        values=values.get,
    )


OUTPUTS = {
    f"{ORG}/forcelift/{LZ}": {
        "hubVpcId": "vpc-hub",
        "hubSubnetIds": {
            z: f"subnet-hub-{z[-1]}" for z in ("eu-west-2a", "eu-west-2b", "eu-west-2c")
        },
        "verifiedAccessInstanceId": "vai-landing-zone",
        "transitGatewayId": "tgw-1",
        "tgwRouteTableIds": {"shared": "rt-shared", "spokes": "rt-spokes"},
        "endpointZoneIds": {},
    },
    f"{ORG}/forcelift/{HOST_WAVE}": {
        "sharedServices": {"rocu-intel": {"id": "vpce-svc-0rocu", "serviceName": ROCU, "port": 443}}
    },
    **{
        f"{ORG}/forcelift/exampleshire-aws-wave-{n}": {"spokeVpcId": f"vpc-wave-{n}"}
        for n in (1, 2, 3)
    },
}


def run_stack(plan: Plan, stack: str) -> MockRun:
    return run_mocked(
        lambda: aws_program.build(context(plan, stack)),
        project="forcelift",
        stack=stack,
        stack_outputs=OUTPUTS,
    )


@pytest.fixture(scope="module")
def runs(small_plan: Plan) -> dict[str, MockRun]:
    return {stack: run_stack(small_plan, stack) for stack in (LZ, WAVE, SHARING)}


def named(run: MockRun, name: str) -> Any:
    return next(r for r in run.resources if r.name == name)


def components(run: MockRun) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in run.resources:
        if r.type.startswith("forcelift:aws:"):
            counts[r.type.rsplit(":", 1)[1]] = counts.get(r.type.rsplit(":", 1)[1], 0) + 1
    return counts


def test_no_duplicates(runs: dict[str, MockRun]) -> None:
    assert {stack: run.duplicate_urns for stack, run in runs.items()} == {s: [] for s in runs}


def test_landing_zone_shares_the_tgw_with_the_planned_principals(
    runs: dict[str, MockRun],
) -> None:
    run = runs[LZ]
    assert components(run)["CollaborationShare"] == 1
    share = named(run, "northern-region-share")
    assert share.inputs["allowExternalPrincipals"] is False
    principals = run.of_type("aws:ram/principalAssociation:PrincipalAssociation")
    assert sorted(p.inputs["principal"] for p in principals) == ["456789012345", OU]
    resource = named(run, "northern-region-resource")
    assert resource.inputs["resourceArn"] == (
        "arn:aws:ec2transitgateway:eu-west-2:123456789012:hub-tgw"
    )
    assert named(run, "hub-tgw").urn in resource.dependencies
    assert set(run.outputs["hubSubnetIds"]) == {"eu-west-2a", "eu-west-2b", "eu-west-2c"}
    assert run.outputs["verifiedAccessInstanceId"].startswith("hub-verified-access")


def test_wave_hosts_the_service_for_exactly_the_allowed_accounts(
    runs: dict[str, MockRun],
) -> None:
    run = runs[WAVE]
    (service,) = run.of_type("aws:ec2/vpcEndpointService:VpcEndpointService")
    assert service.inputs["acceptanceRequired"] is True
    assert service.inputs["allowedPrincipals"] == [
        "arn:aws:iam::345678901234:root",
        "arn:aws:iam::456789012345:root",
    ]
    nlb = named(run, "intel-share-nlb").inputs
    assert (nlb["loadBalancerType"], nlb["internal"]) == ("network", True)
    assert nlb["accessLogs"]["enabled"] is True  # to the service's own log bucket
    assert named(run, "intel-share-logs-bucket").urn in named(run, "intel-share-nlb").dependencies
    listener = named(run, "intel-share-listener").inputs
    assert (listener["protocol"], listener["certificateArn"]) == (
        "TLS",
        "arn:aws:acm:eu-west-2:123456789012:certificate/web",
    )
    servers = {
        r.urn for r in run.of_type("aws:ec2/instance:Instance") if "intelligence-analysis" in r.name
    }
    attachments = run.of_type("aws:lb/targetGroupAttachment:TargetGroupAttachment")
    assert len(attachments) == len(servers) == 2
    assert all(set(a.dependencies) & servers for a in attachments)
    targets_in = named(run, "intel-share-targets-in")
    assert any("sg-intelligence-analysis" in d for d in targets_in.dependencies)
    assert service.inputs["tags"]["sharing-agreement"] == "ISA-1"
    shared = run.outputs["sharedServices"]
    assert set(shared) == {"intel"}
    assert shared["intel"]["port"] == 443
    assert shared["intel"]["id"].startswith("intel-share-service")
    assert "serviceName" in shared["intel"] and "apiId" in shared["intel"]
    assert run.outputs["sharingNotes"] == [
        "gazetteer: no consumer has a known AWS account, so no endpoint service is built "
        "(nobody could be allowed); consumers: Exampleshire County Council"
    ]


def test_wave_fronts_the_api_privately(runs: dict[str, MockRun], small_plan: Plan) -> None:
    run = runs[WAVE]
    endpoint = named(run, "intel-api-endpoint-endpoint")
    assert endpoint.inputs["serviceName"] == "com.amazonaws.eu-west-2.execute-api"
    api = named(run, "intel-api-api")
    assert api.inputs["endpointConfiguration"]["types"] == "PRIVATE"
    (vpce,) = api.inputs["endpointConfiguration"]["vpcEndpointIds"]
    assert vpce.startswith("intel-api-endpoint-endpoint")
    assert endpoint.urn in api.dependencies
    policy = json.loads(named(run, "intel-api-policy").inputs["policy"])
    allow, deny = policy["Statement"]
    assert allow["Condition"]["StringEquals"]["aws:SourceVpce"] == [vpce]
    assert deny["Condition"]["StringNotEquals"]["aws:SourceVpce"] == [vpce]
    assert allow["Principal"] == {
        "AWS": ["arn:aws:iam::345678901234:root", "arn:aws:iam::456789012345:root"]
    }
    assert named(run, "intel-api-any").inputs["authorization"] == "AWS_IAM"
    stage = named(run, "intel-api-stage")
    assert named(run, "intel-api-access-logs").urn in stage.dependencies
    retention = small_plan.clouds[0].landing_zone.log_retention_days
    assert named(run, "intel-api-access-logs").inputs["retentionInDays"] == retention


def test_wave_publishes_staff_applications_on_the_landing_zone_instance(
    runs: dict[str, MockRun],
) -> None:
    run = runs[WAVE]
    (group,) = run.of_type("aws:verifiedaccess/group:Group")
    assert group.inputs["verifiedaccessInstanceId"] == "vai-landing-zone"
    assert "context has device" in group.inputs["policyDocument"]
    endpoints = {
        r.inputs["applicationDomain"]: r.inputs
        for r in run.of_type("aws:verifiedaccess/endpoint:Endpoint")
    }
    assert set(endpoints) == {
        "intelligence.exampleshire.staff.police.uk",
        "gazetteer.exampleshire.staff.police.uk",
    }
    assert endpoints["intelligence.exampleshire.staff.police.uk"]["endpointType"] == (
        "network-interface"
    )
    web = endpoints["gazetteer.exampleshire.staff.police.uk"]
    assert web["endpointType"] == "load-balancer"
    assert len(web["loadBalancerOptions"]["subnetIds"]) == 3
    certificates = run.of_type("aws:acm/certificate:Certificate")
    assert sorted(c.inputs["domainName"] for c in certificates) == sorted(endpoints)
    assert set(run.outputs["staffAccess"]) == {slug(a, 19) for a in APPS}


def test_sharing_stack_reaches_the_hosts_and_partners_services(
    runs: dict[str, MockRun],
) -> None:
    run = runs[SHARING]
    assert components(run) == {"PartnerInterfaceEndpoint": 2}
    endpoints = {r.name: r.inputs for r in run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert endpoints["rocu-endpoint"]["serviceName"] == ROCU  # from the host's wave stack
    assert endpoints["hmpps-endpoint"]["serviceName"] == HMPPS  # the partner's own
    for inputs in endpoints.values():
        assert inputs["vpcId"] == "vpc-hub"
        assert inputs["subnetIds"] == ["subnet-hub-a", "subnet-hub-b", "subnet-hub-c"]
        assert inputs["privateDnsEnabled"] is False
    rules = {
        r.name: r.inputs
        for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    }
    assert {(r["cidrIpv4"], r["fromPort"]) for r in rules.values()} == {
        ("10.100.0.0/14", 443),
        ("10.100.0.0/14", 8443),
    }
    zones = sorted(z.inputs["name"] for z in run.of_type("aws:route53/zone:Zone"))
    assert zones == ["hmpps.share.exampleshire.internal", "rocu.share.exampleshire.internal"]
    # every wave's spoke resolves the names (their VPC ids come by stack reference)
    associations = run.of_type("aws:route53/zoneAssociation:ZoneAssociation")
    assert sorted(a.inputs["vpcId"] for a in associations) == sorted(
        f"vpc-wave-{n}" for n in (1, 2, 3) for _ in range(2)
    )
    assert run.outputs["consumedServices"]["hmpps"]["port"] == 8443


def test_an_org_wide_ram_share_stops_the_landing_zone(small_plan: Plan) -> None:
    bad = with_sharing(
        small_plan,
        SMALL_SHARING.model_copy(
            update={
                "ram_shares": (
                    RamSharePlan(
                        name="everyone",
                        principals=(
                            "arn:aws:organizations::123456789012:organization/o-abcdefghij",
                        ),
                    ),
                )
            }
        ),
    )
    with pytest.raises(InputError, match=r"ram_shares\[0\].*whole organization"):
        aws_program.LANDING_ZONE.spec(context(bad, LZ))


def test_no_sharing_means_no_sharing_outputs(small_plan: Plan) -> None:
    plain = with_sharing(small_plan, CloudSharing())
    spec = aws_program.WAVE.spec(context(plain, WAVE))
    assert spec.sharing.hosted == () and spec.sharing.staff is None
    assert aws_program.LANDING_ZONE.spec(context(plain, LZ)).shares == ()


# -- follow-ups: device trust, real references, API Gateway logging ------------------------


def test_landing_zone_attaches_the_device_trust_the_staff_policy_reads(
    runs: dict[str, MockRun],
) -> None:
    """The staff groups' Cedar policy needs identity AND device: both providers must be
    attached to the instance, under the reference names the policy reads."""
    lz, wave = runs[LZ], runs[WAVE]
    providers = {
        r.inputs["trustProviderType"]: r
        for r in lz.of_type("aws:verifiedaccess/trustProvider:TrustProvider")
    }
    assert set(providers) == {"user", "device"}
    device = providers["device"].inputs
    assert device["deviceTrustProviderType"] == "crowdstrike"
    assert device["deviceOptions"] == {"tenantId": "cs-tenant-1"}
    instance = named(lz, "hub-verified-access").urn
    attached = {
        next(d for d in a.dependencies if "trustProvider:TrustProvider" in d)
        for a in lz.of_type(
            "aws:verifiedaccess/instanceTrustProviderAttachment:InstanceTrustProviderAttachment"
        )
        if instance in a.dependencies
    }
    assert attached == {p.urn for p in providers.values()}
    (group,) = wave.of_type("aws:verifiedaccess/group:Group")
    policy = group.inputs["policyDocument"]
    for provider in providers.values():
        assert f"context.{provider.inputs['policyReferenceName']}." in policy
    assert "context.device.assessment.overall > 50" in policy  # CrowdStrike's posture score


def test_a_bad_device_trust_provider_is_a_config_error(small_plan: Plan) -> None:
    ctx = context(small_plan, LZ)
    values = {
        "forcelift:accountEmailDomain": "exampleshire.police.uk",
        "forcelift:deviceTrustProvider": "intune",
        "forcelift:deviceTrustTenantId": "t",
    }
    bad = StackContext(**{**vars(ctx), "values": values.get})
    with pytest.raises(InputError, match=r"deviceTrustProvider.*'intune'"):
        aws_program.LANDING_ZONE.spec(bad)


def test_staff_endpoints_and_shared_alb_use_the_declared_resources(
    runs: dict[str, MockRun],
) -> None:
    """The server's primary ENI and the web app's ALB come from the resources the wave
    declares (dependencies recorded, values exact), not from invokes."""
    run = runs[WAVE]
    endpoints = {
        r.inputs["applicationDomain"]: r
        for r in run.of_type("aws:verifiedaccess/endpoint:Endpoint")
    }
    eni = endpoints["intelligence.exampleshire.staff.police.uk"]
    server = named(run, "intelligence-analysis-iaas-exs-intel-app01")
    assert eni.inputs["networkInterfaceOptions"]["networkInterfaceId"].startswith("eni-")
    assert server.urn in eni.dependencies
    web = endpoints["gazetteer.exampleshire.staff.police.uk"]
    environment = named(run, "address-gazetteer-service-paas-beanstalk-env")
    assert web.inputs["loadBalancerOptions"]["loadBalancerArn"].startswith(
        "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/awseb-"
    )
    assert environment.urn in web.dependencies
    # the ALB's group admits the port from the Verified Access endpoints' group only
    alb_sg = named(run, "address-gazetteer-service-paas-sg-alb")
    rule = next(
        r
        for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.name.startswith("wave-3-staff-address")
    )
    assert (
        alb_sg.urn in rule.dependencies and named(run, "wave-3-staff-sg").urn in rule.dependencies
    )
    assert rule.inputs["fromPort"] == 443
    # exact outputs in the offline preview (mock runtime): byte-stable names to hand on
    service = named(run, "intel-share-service")
    assert run.outputs["sharedServices"]["intel"]["serviceName"] == (
        f"com.amazonaws.vpce.eu-west-2.vpce-svc-{_rid(service)}"
    )
    for name, domain in run.outputs["staffAccess"].items():
        assert domain.startswith(f"{name}.edge-") and domain.endswith(
            ".prod.verified-access.eu-west-2.amazonaws.com"
        )


def _rid(resource: Any) -> str:
    from forcelift.stacks.mock_runtime import _stable_id

    return _stable_id(resource.type, resource.name)


def test_an_alb_shared_through_an_endpoint_service_is_opened_to_the_nlb(
    small_plan: Plan,
) -> None:
    """A web app hosted for partners: the NLB targets the ALB the workload declared and the
    ALB's group admits the NLB's group on the port."""
    sharing = SMALL_SHARING.model_copy(
        update={
            "hosted": (
                HostedService(
                    name="gazetteer",
                    application="Address Gazetteer Service",
                    stack=WAVE,
                    consumers=("northshire",),
                    allowed_accounts=("456789012345",),
                ),
            ),
            "staff_access": (),
        }
    )
    run = run_stack(with_sharing(small_plan, sharing), WAVE)
    (attachment,) = run.of_type("aws:lb/targetGroupAttachment:TargetGroupAttachment")
    environment = named(run, "address-gazetteer-service-paas-beanstalk-env")
    assert attachment.inputs["targetId"].startswith("arn:aws:elasticloadbalancing:")
    assert environment.urn in attachment.dependencies
    rule = named(run, "gazetteer-share-targets-in")
    assert named(run, "address-gazetteer-service-paas-sg-alb").urn in rule.dependencies
    assert named(run, "gazetteer-share-nlb-sg").urn in rule.dependencies
    assert rule.inputs["fromPort"] == 443


def test_landing_zone_sets_api_gateways_cloudwatch_role_when_a_wave_hosts_an_api(
    runs: dict[str, MockRun], small_plan: Plan
) -> None:
    run = runs[LZ]
    (account,) = run.of_type("aws:apigateway/account:Account")
    role = named(run, "api-gateway-logging-role")
    assert account.inputs["cloudwatchRoleArn"] == (
        "arn:aws:iam:eu-west-2:123456789012:api-gateway-logging-role"  # the mock's role ARN
    )
    assert role.urn in account.dependencies
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    policy = named(run, "api-gateway-logging-role-push-to-cloudwatch")
    assert policy.inputs["policyArn"] == (
        "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    )
    assert policy.urn in account.dependencies
    no_api = SMALL_SHARING.model_copy(
        update={"hosted": tuple(h.model_copy(update={"api": False}) for h in SMALL_SHARING.hosted)}
    )
    spec = aws_program.LANDING_ZONE.spec(context(with_sharing(small_plan, no_api), LZ))
    assert spec.api_logging is None
