"""Sharing on AWS: the force's sharing stack (consumer side) and the host side of its waves.

Sharing stack (`<force>-aws-sharing`, deployed after every wave): one PartnerInterfaceEndpoint
per consumed service, in the landing zone's hub VPC (every spoke reaches the hub through the
transit gateway, as it does the SSM endpoints), open on the service's port to the force's
estate only, with a private name every spoke resolves. The service name comes from the host's
wave stack (`sharedServices`, read by stack reference) or is the partner's own.

Wave stacks (host side): per hosted service a SharedEndpointService (NLB + endpoint service for
exactly the partners' accounts) and, for agency APIs, an AgencyPrivateApi behind an execute-api
endpoint in the spoke; per wave stack one StaffAccessEndpoint for the applications staff reach
through Verified Access. As elsewhere, `*_spec` is pure (run-time values are PENDING) and the
declarations come after every check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pulumi

from forcelift.components.aws.agency_api import AgencyPrivateApi, AgencyPrivateApiArgs
from forcelift.components.aws.endpoint_service import (
    SharedEndpointService,
    SharedEndpointServiceArgs,
    TargetKind,
)
from forcelift.components.aws.iaas_workload import IaasWorkload
from forcelift.components.aws.paas_workload import PaasWorkload
from forcelift.components.aws.partner_endpoint import (
    PartnerInterfaceEndpoint,
    PartnerInterfaceEndpointArgs,
)
from forcelift.components.aws.staff_access import (
    EndpointKind,
    StaffAccessEndpoint,
    StaffAccessEndpointArgs,
    StaffAppSpec,
)
from forcelift.components.aws.tags import Tags
from forcelift.migration.plan.planfile import CloudWorkload
from forcelift.stacks.aws_common import aws_tags, remote_access_spec, zone_subnets
from forcelift.stacks.context import StackContext, component_name, entry, slug
from forcelift.stacks.specs import (
    PENDING,
    args_errors,
    landing_zone_reference,
    platform_tag_values,
    source_references,
    workload_tag_values,
)

AGREEMENT_TAG = "sharing-agreement"  # read by the FL-SHR guardrails

# -- the sharing stack (consumer side) ------------------------------------------------------


@dataclass(frozen=True)
class ConsumedSpec:
    name: str
    endpoint: PartnerInterfaceEndpointArgs  # vpc, subnets and service name PENDING
    source_stack: str  # "" for a partner's own endpoint service
    source_name: str
    provider: str


@dataclass(frozen=True)
class SharingSpec:
    zones: tuple[str, ...]  # the hub subnets' zones (the endpoints' subnets)
    spoke_stacks: tuple[str, ...]  # the waves' first stacks: their VPCs resolve the names
    services: tuple[ConsumedSpec, ...]


def sharing_spec(ctx: StackContext) -> SharingSpec:
    lz = ctx.cloud.landing_zone
    path = ctx.path("landing_zone", "hub", "subnets")
    zones = tuple(
        s.availability_zone
        for s in zone_subnets(ctx, lz.hub.subnets, ("endpoints", "private"), path)
    )
    services = []
    for index, service in ctx.consumed():
        values = platform_tag_values(
            ctx, f"shared-{service.name}", "0", service.classification, "high"
        )
        with args_errors(ctx, ctx.path("sharing", "consumed", index)):
            tags = with_agreements(aws_tags(values), service.agreements)
            args = PartnerInterfaceEndpointArgs(
                tags=tags,
                vpc_id=PENDING,
                client_cidrs=(lz.supernet,),
                subnet_ids=tuple(PENDING for _ in zones),
                service_name=service.endpoint or PENDING,
                dns_name=service.dns_name.lower(),
                port=service.port,
                provider=service.provider,
            )
        services.append(
            ConsumedSpec(
                name=service.name,
                endpoint=args,
                source_stack=service.source_stack,
                source_name=service.source_name,
                provider=service.provider,
            )
        )
    return SharingSpec(
        zones=zones,
        spoke_stacks=tuple(w.stacks[0] for w in ctx.cloud.waves if w.stacks),
        services=tuple(services),
    )


def declare_sharing(ctx: StackContext, spec: SharingSpec) -> None:
    lz = landing_zone_reference(ctx)
    hub_subnets = lz.get_output("hubSubnetIds")
    sources = source_references(ctx)
    spokes = tuple(
        pulumi.StackReference(ctx.reference_name(stack)).get_output("spokeVpcId")
        for stack in spec.spoke_stacks
    )
    consumed: dict[str, dict[str, object]] = {}
    for item in spec.services:
        service_name: pulumi.Input[str] = item.endpoint.service_name
        if item.source_stack:
            shared = sources[item.source_stack].get_output("sharedServices")
            service_name = entry(entry(shared, item.source_name), "serviceName")
        endpoint = PartnerInterfaceEndpoint(
            item.name,
            replace(
                item.endpoint,
                vpc_id=lz.get_output("hubVpcId"),
                subnet_ids=tuple(entry(hub_subnets, z) for z in spec.zones),
                service_name=service_name,
                associated_vpc_ids=spokes,
            ),
        )
        consumed[item.name] = {
            "endpointId": endpoint.endpoint_id,
            "dnsName": item.endpoint.dns_name,
            "port": item.endpoint.port,
            "provider": item.provider,
        }
    pulumi.export("consumedServices", consumed)


# -- the host side, in a wave stack ---------------------------------------------------------


@dataclass(frozen=True)
class HostedSpec:
    name: str
    workload: str  # the workload's component name
    service: SharedEndpointServiceArgs  # vpc, subnets and targets PENDING
    api_endpoint: PartnerInterfaceEndpointArgs | None  # execute-api endpoint in the spoke
    api: AgencyPrivateApiArgs | None  # vpce, NLB and URI PENDING


@dataclass(frozen=True)
class StaffAppRef:
    spec_name: str  # the StaffAppSpec name
    workload: str  # the workload's component name


@dataclass(frozen=True)
class HostSharingSpec:
    hosted: tuple[HostedSpec, ...] = ()
    staff: StaffAccessEndpointArgs | None = None
    staff_apps: tuple[StaffAppRef, ...] = ()
    notes: tuple[str, ...] = ()  # what the plan asked for and this stack does not build


@dataclass(frozen=True)
class HostBuilt:
    """What the wave declared that the host side attaches to."""

    vpc_id: pulumi.Input[str]
    subnet_ids: tuple[pulumi.Input[str], ...]
    group_ids: Mapping[str, pulumi.Input[str]]
    iaas: Mapping[str, IaasWorkload]
    web: Mapping[str, PaasWorkload]  # workload name -> its PaasWorkload with the web app


def with_agreements(tags: Tags, agreements: tuple[str, ...]) -> Tags:
    """The tags plus `sharing-agreement`: the DSA / ISA references the endpoint serves."""
    if not agreements:
        return tags  # FL-SHR-002 reports the missing agreement from the plan
    return replace(tags, extra={**tags.extra, AGREEMENT_TAG: " ".join(sorted(agreements))})


def _workload(ctx: StackContext, application: str) -> CloudWorkload | None:
    return next((w for _, w in ctx.stack_workloads() if w.application == application), None)


def _has_web_app(workload: CloudWorkload) -> bool:
    return any(p.kind == "web_app" for p in workload.paas)


def host_sharing_spec(ctx: StackContext, zones: tuple[str, ...]) -> HostSharingSpec:
    """The hosted services and staff access of this wave stack (pure)."""
    lz = ctx.cloud.landing_zone
    hosted: list[HostedSpec] = []
    notes: list[str] = []
    for index, service in ctx.hosted():
        workload = _workload(ctx, service.application)
        if service.stack != ctx.stack.name or workload is None:
            continue
        path = ctx.path("sharing", "hosted", index)
        if not service.allowed_accounts:
            notes.append(
                f"{service.name}: no consumer has a known AWS account, so no endpoint service "
                f"is built (nobody could be allowed); consumers: {', '.join(service.consumers)}"
            )
            continue
        if workload.vms:
            kind, targets = TargetKind.INSTANCE, tuple(PENDING for _ in workload.vms)
        elif _has_web_app(workload):
            kind, targets = TargetKind.ALB, (PENDING,)
        else:
            raise ctx.error(
                f"{path}.application",
                f"{service.application!r} has neither servers nor a web app to put behind "
                "an endpoint service",
            )
        with args_errors(ctx, path):
            tags = with_agreements(aws_tags(workload_tag_values(workload)), service.agreements)
            args = SharedEndpointServiceArgs(
                tags=tags,
                vpc_id=PENDING,
                subnet_ids=tuple(PENDING for _ in zones),
                allowed_accounts=tuple(sorted(service.allowed_accounts)),
                port=service.port,
                target_type=kind,
                targets=targets,
                target_security_group_id=PENDING,  # the servers' or the ALB's group
                # Servers: TLS at the NLB (access logs) and again to them. An ALB does its own
                # TLS, so the NLB passes TCP through (NLB access logs need a TLS listener).
                certificate_arn=ctx.value("certificateArn")
                if kind is TargetKind.INSTANCE
                else None,
                log_retention_days=lz.log_retention_days,
                description=f"{service.name} for {', '.join(service.consumers)}",
            )
            api_endpoint = api = None
            if service.api:
                api_endpoint = PartnerInterfaceEndpointArgs(
                    tags=tags,
                    vpc_id=PENDING,
                    client_cidrs=(lz.supernet,),
                    subnet_ids=tuple(PENDING for _ in zones),
                    service_name=f"com.amazonaws.{ctx.cloud.region}.execute-api",
                    dns_name=f"{service.name}-api.share.{ctx.slug}.internal",
                    port=443,
                    provider="API Gateway",
                )
                api = AgencyPrivateApiArgs(
                    tags=tags,
                    vpc_endpoint_ids=(PENDING,),
                    backend_nlb_arn=PENDING,
                    backend_uri=PENDING,
                    allowed_accounts=tuple(sorted(service.allowed_accounts)),
                    log_retention_days=lz.log_retention_days,
                    description=f"{service.name}: agency API ({', '.join(service.agreements)})",
                )
        hosted.append(
            HostedSpec(service.name, component_name(workload.application), args, api_endpoint, api)
        )
    staff, refs = _staff_spec(ctx, zones, notes)
    return HostSharingSpec(tuple(hosted), staff, refs, tuple(notes))


def _staff_spec(
    ctx: StackContext, zones: tuple[str, ...], notes: list[str]
) -> tuple[StaffAccessEndpointArgs | None, tuple[StaffAppRef, ...]]:
    apps: list[StaffAppSpec] = []
    refs: list[StaffAppRef] = []
    workloads: list[CloudWorkload] = []
    for index, access in ctx.staff_access():
        workload = _workload(ctx, access.application)
        if access.stack != ctx.stack.name or workload is None:
            continue
        if access.method != "verified-access":
            raise ctx.error(
                ctx.path("sharing", "staff_access", index, "method"),
                f"{access.method!r} is not an AWS staff access method (verified-access)",
            )
        name = slug(access.application, 19)
        with args_errors(ctx, ctx.path("sharing", "staff_access", index)):
            if workload.vms:
                app = StaffAppSpec(
                    name=name,
                    hostname=access.hostname.lower(),
                    endpoint_type=EndpointKind.NETWORK_INTERFACE,
                    port=access.port,
                    network_interface_id=PENDING,
                    target_security_group_id=PENDING,
                )
            elif _has_web_app(workload):
                app = StaffAppSpec(
                    name=name,
                    hostname=access.hostname.lower(),
                    endpoint_type=EndpointKind.LOAD_BALANCER,
                    port=access.port,
                    load_balancer_arn=PENDING,
                    subnet_ids=tuple(PENDING for _ in zones),
                )
            else:
                notes.append(f"{access.application}: no server or web app for staff access")
                continue
        apps.append(app)
        refs.append(StaffAppRef(name, component_name(workload.application)))
        workloads.append(workload)
    if not apps:
        return None, ()
    trust = remote_access_spec(ctx)  # what the landing zone attached to its instance
    if trust is None or trust.device is None:
        raise ctx.error(
            ctx.path("landing_zone", "remote_access"),
            "staff access is planned through Verified Access but the landing zone has none",
        )
    spoke = next(w.spoke for w in ctx.cloud.waves if w.number == ctx.stack.wave)
    sensitive = any(w.tags.get("data-classification") == "OFFICIAL-SENSITIVE" for w in workloads)
    tags = aws_tags(
        platform_tag_values(
            ctx,
            f"wave-{ctx.stack.wave}-staff-access",
            str(ctx.stack.wave),
            "OFFICIAL-SENSITIVE" if sensitive else "OFFICIAL",
            "high",
        )
    )
    with args_errors(ctx, ctx.path("sharing", "staff_access")):
        args = StaffAccessEndpointArgs(
            tags=tags,
            instance_id=PENDING,
            vpc_id=PENDING,
            vpc_cidr=spoke.cidr,
            applications=tuple(apps),
            identity=trust.trust_provider,
            identity_reference=trust.policy_reference_name,
            device=trust.device.kind,
            device_reference=trust.device.policy_reference_name,
        )
    return args, tuple(refs)


def _alb(built: HostBuilt, workload: str) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    """The ARN and security group of the workload's web-app ALB (declared by the wave)."""
    paas = built.web[workload]
    if paas.alb_arn is None or paas.alb_security_group_id is None:
        raise ValueError(f"{workload}: the PaaS workload has no web app (no ALB)")
    return paas.alb_arn, paas.alb_security_group_id


def _primary_eni(iaas: IaasWorkload) -> pulumi.Output[str]:
    """The primary network interface of the workload's first server."""
    return next(iter(iaas.primary_network_interface_ids.values()))


def declare_host_sharing(ctx: StackContext, spec: HostSharingSpec, built: HostBuilt) -> None:
    """The host side of this wave stack; exports `sharedServices` when it hosts any."""
    shared: dict[str, dict[str, object]] = {}
    for item in spec.hosted:
        args = replace(item.service, vpc_id=built.vpc_id, subnet_ids=built.subnet_ids)
        if item.service.target_type is TargetKind.INSTANCE:
            args = replace(
                args,
                targets=tuple(built.iaas[item.workload].instance_ids.values()),
                target_security_group_id=built.group_ids[item.workload],
            )
        else:  # the ALB, opened on the port to the NLB's group only
            alb_arn, alb_group = _alb(built, item.workload)
            args = replace(args, targets=(alb_arn,), target_security_group_id=alb_group)
        service = SharedEndpointService(f"{item.name}-share", args)
        record: dict[str, object] = {
            "id": service.service_id,
            "serviceName": service.service_name,
            "port": item.service.port,
        }
        if item.api is not None and item.api_endpoint is not None:
            endpoint = PartnerInterfaceEndpoint(
                f"{item.name}-api-endpoint",
                replace(item.api_endpoint, vpc_id=built.vpc_id, subnet_ids=built.subnet_ids),
            )
            api = AgencyPrivateApi(
                f"{item.name}-api",
                replace(
                    item.api,
                    vpc_endpoint_ids=(endpoint.endpoint_id,),
                    backend_nlb_arn=service.load_balancer_arn,
                    backend_uri=pulumi.Output.concat(
                        "https://", service.load_balancer_dns_name, f":{item.service.port}"
                    ),
                ),
            )
            record["apiId"] = api.api_id
        shared[item.name] = record
    if spec.staff is not None:
        lz = landing_zone_reference(ctx)
        apps = []
        for app, ref in zip(spec.staff.applications, spec.staff_apps, strict=True):
            if app.endpoint_type is EndpointKind.NETWORK_INTERFACE:
                iaas = built.iaas[ref.workload]
                app = replace(
                    app,
                    network_interface_id=_primary_eni(iaas),
                    target_security_group_id=built.group_ids[ref.workload],
                )
            else:  # the ALB accepts the port from the Verified Access endpoints' group
                alb_arn, alb_group = _alb(built, ref.workload)
                app = replace(
                    app,
                    load_balancer_arn=alb_arn,
                    target_security_group_id=alb_group,
                    subnet_ids=built.subnet_ids,
                )
            apps.append(app)
        staff = StaffAccessEndpoint(
            f"{ctx.stack.name.removeprefix(f'{ctx.slug}-aws-')}-staff",
            replace(
                spec.staff,
                instance_id=lz.get_output("verifiedAccessInstanceId"),
                vpc_id=built.vpc_id,
                applications=tuple(apps),
            ),
        )
        pulumi.export("staffAccess", staff.endpoint_domains)
    if shared:
        pulumi.export("sharedServices", shared)
    if spec.notes:
        pulumi.export("sharingNotes", list(spec.notes))
