"""Sharing on Azure: the host side in a wave stack, the consumer side in the sharing stack.

Host side (called from azure_wave.py): per HostedService of the stack, a SharedService (an
internal load balancer + Private Link service seen only by the allowed subscriptions) in front
of the application's servers, or of an AgencyApiGateway (API Management, internal) when the
service is an agency API; exported as `sharedServices` {name: {id, alias, port}}. Per
StaffAccess of the stack, the wave's StaffAccessFrontDoor (azure_staff_access.py), whose
record is exported as `staffAccess`. Consumer side (`SHARING`): per ConsumedService, a
PartnerEndpoint in the hub's management subnet, named by the plan's private DNS name, pointing
at the host stack's `sharedServices` entry or the partner's own endpoint.

As everywhere in the program, the specs are pure (run-time values are `PENDING`) and every
check runs before the first declaration.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

import pulumi

from forcelift.components.azure.agency_api import (
    AgencyApiGateway,
    AgencyApiGatewayArgs,
    ApiAuth,
    ApimSku,
    OAuthSpec,
)
from forcelift.components.azure.paas_workload import PaasWorkload
from forcelift.components.azure.partner_endpoint import PartnerEndpoint, PartnerEndpointArgs
from forcelift.components.azure.shared_service import SharedService, SharedServiceArgs
from forcelift.components.azure.staff_access import StaffAccessFrontDoorArgs
from forcelift.migration.plan.network import API_MANAGEMENT_SUBNET
from forcelift.migration.plan.sharing_plan import ConsumedService, HostedService
from forcelift.stacks.azure_common import azure_tags, region_of
from forcelift.stacks.azure_staff_access import (
    FrontDoorInputs,
    StaffOrigin,
    declare_front_door,
    front_door_spec,
    nic_ip,
    server_nics,
)
from forcelift.stacks.azure_workloads import WorkloadSpec
from forcelift.stacks.context import StackContext, component_name, entry
from forcelift.stacks.specs import (
    PENDING,
    args_errors,
    landing_zone_reference,
    platform_tag_values,
    source_references,
    workload_tag_values,
)

API_SUBNET = API_MANAGEMENT_SUBNET  # the plan allocates it in the spoke of an API's wave
#: inbound flows API Management needs in internal VNet mode: its clients (through the Private
#: Link service's NAT addresses, in the spoke), the Azure load balancer's probe, and the
#: management endpoint Azure's control plane configures the service through
API_FLOWS = (
    ("VirtualNetwork", "tcp", 443, "apim-clients"),
    ("AzureLoadBalancer", "tcp", 6390, "apim-probe"),
    ("ApiManagement", "tcp", 3443, "apim-management"),
)
HUB_ENDPOINT_SUBNET = "management"  # the hub subnet the landing zone keeps private endpoints in
PUBLISHER_EMAIL_KEY = "apiPublisherEmail"  # engineer value (stacks/engineer_values.py)


# ---------------------------------------------------------------- host side (wave stacks)


@dataclass(frozen=True)
class HostedSpec:
    service: HostedService
    workload: str  # the WorkloadSpec name of the application
    subnet: str  # the spoke subnet of the load balancer frontend and Private Link NAT
    shared: SharedServiceArgs
    api: AgencyApiGatewayArgs | None = None
    #: (NIC name, resource group) of each server: their addresses fill the backend pool
    nics: tuple[tuple[str, str], ...] = ()
    web_app: bool = False


@dataclass(frozen=True)
class WaveSharingSpec:
    hosted: tuple[HostedSpec, ...] = ()
    front_door: StaffAccessFrontDoorArgs | None = None
    #: StaffApp name -> WorkloadSpec name of the application behind it
    staff_workloads: Mapping[str, str] = field(default_factory=dict)
    staff_record: Mapping[str, Any] = field(default_factory=dict)
    #: StaffApp name -> the Private Link service Front Door reaches its servers through
    staff_origins: Mapping[str, StaffOrigin] = field(default_factory=dict)


def _hosted(
    ctx: StackContext, index: int, service: HostedService, item: WorkloadSpec, subnet: str
) -> HostedSpec:
    path = ctx.path("sharing", "hosted", index)
    workload = next(w for _, w in ctx.stack_workloads() if w.application == service.application)
    tags = azure_tags(workload_tag_values(workload))
    nics = server_nics(item.iaas) if item.iaas is not None else ()
    web_app = item.paas is not None and item.paas.app_service is not None
    if not nics and not web_app:
        raise ctx.error(
            f"{path}.application",
            f"{service.application!r} has no servers or web app to share behind a Private "
            "Link service",
        )
    api = None
    if service.api:
        auth = ApiAuth(service.api_auth or "client-certificate")
        publisher = ctx.value(PUBLISHER_EMAIL_KEY)  # an engineer value: missing is an error
        with args_errors(ctx, f"{path}.api_auth"):
            api = AgencyApiGatewayArgs(
                force=ctx.slug,
                name=service.name,
                application=service.application,
                tags=tags,
                subnet_id=PENDING,
                backend_url=PENDING,
                publisher_email=publisher,
                publisher_name=ctx.plan.force.name,
                auth=auth,
                oauth=(
                    OAuthSpec(tenant_id=PENDING, audience=f"api://{ctx.slug}-{service.name}")
                    if auth is ApiAuth.OAUTH
                    else None
                ),
                # Developer has no SLA: critical applications get Premium
                sku=ApimSku.PREMIUM if workload.critical else ApimSku.DEVELOPER,
                location=region_of(ctx),
                unique_seed=ctx.slug,
            )
    backends = 1 if api is not None else len(nics)
    with args_errors(ctx, f"{path}.allowed_subscriptions"):
        shared = SharedServiceArgs(
            force=ctx.slug,
            name=service.name,
            application=service.application,
            tags=tags,
            subnet_id=PENDING,
            allowed_subscriptions=tuple(service.allowed_subscriptions),
            port=443 if api is not None else service.port,
            backend_ips=(PENDING,) * backends,
            virtual_network_id=PENDING,
            location=region_of(ctx),
        )
    return HostedSpec(service, item.name, subnet, shared, api, nics, web_app)


def sharing_subnets(spec: WaveSharingSpec) -> set[str]:
    """The subnets this stack's SharedServices use (each must be in `private_link_subnets`)."""
    return {h.subnet for h in spec.hosted} | {o.subnet for o in spec.staff_origins.values()}


def hosts_api(ctx: StackContext) -> bool:
    """Whether this wave stack hosts an agency API (its spoke needs the API subnet)."""
    return any(h.api and h.stack == ctx.stack.name for h in ctx.cloud.sharing.hosted)


def wave_sharing_spec(
    ctx: StackContext, workloads: tuple[WorkloadSpec, ...], subnets: Mapping[Any, str]
) -> WaveSharingSpec:
    """The host side and staff access of this wave stack (pure: every check before declaring).
    `subnets` maps the spoke's subnet purposes to subnet names (WaveSpec.subnets)."""
    from forcelift.components.azure.spoke_network import SubnetPurpose

    by_application = {item.application: item for item in workloads}
    hosted = []
    for index, service in ctx.hosted():
        if service.stack != ctx.stack.name:
            continue
        item = by_application.get(service.application)
        path = ctx.path("sharing", "hosted", index)
        if item is None:
            raise ctx.error(
                f"{path}.application", f"{service.application!r} is not built in {ctx.stack.name}"
            )
        subnet = subnets.get(SubnetPurpose.WORKLOAD) or subnets.get(SubnetPurpose.PRIVATE_ENDPOINTS)
        if subnet is None:
            raise ctx.error(f"{path}.stack", "the spoke has no workload subnet for the service")
        if service.api and ctx.first_part() is not None:
            raise ctx.error(f"{path}.stack", "an agency API belongs in the wave's first stack")
        hosted.append(_hosted(ctx, index, service, item, subnet))
    workload_subnet = subnets.get(SubnetPurpose.WORKLOAD)
    front_door, staff_workloads, record, origins = front_door_spec(
        ctx, by_application, workload_subnet
    )
    return WaveSharingSpec(tuple(hosted), front_door, staff_workloads, record, origins)


def _url(ip: str | None, port: int) -> str | None:
    return f"https://{ip}:{port}" if ip else None


def declare_wave_sharing(
    ctx: StackContext,
    spec: WaveSharingSpec,
    hub: Mapping[str, Any],
    subnet_ids: Mapping[str, pulumi.Input[str]],
    vnet_id: pulumi.Input[str],
    built: Mapping[str, pulumi.Resource],
) -> None:
    """Declare the host side and staff access; `built` holds the stack's workload components
    by their Pulumi names (`<name>-iaas` / `<name>-paas`), `subnet_ids` the spoke's subnets."""
    from pulumi_azure_native import authorization

    workspace = hub["logAnalyticsWorkspaceId"]
    tenant = authorization.get_client_config_output().tenant_id
    exported: dict[str, Any] = {}
    for item in spec.hosted:
        iaas = built.get(f"{item.workload}-iaas")
        paas = built.get(f"{item.workload}-paas")
        ips = [nic_ip(nic, group, iaas) for nic, group in item.nics] if iaas else []
        backend_ips: list[Any] = ips
        if item.api is not None:
            if ips:
                backend_url: Any = ips[0].apply(functools.partial(_url, port=item.service.port))
            else:
                assert isinstance(paas, PaasWorkload)
                backend_url = pulumi.Output.concat("https://", paas.endpoints["web_app"])
            gateway = AgencyApiGateway(
                f"{item.service.name}-api",
                replace(
                    item.api,
                    subnet_id=subnet_ids[API_SUBNET],
                    backend_url=backend_url,
                    log_analytics_workspace_id=workspace,
                    oauth=(replace(item.api.oauth, tenant_id=tenant) if item.api.oauth else None),
                ),
            )
            backend_ips = [gateway.private_ip]
        shared = SharedService(
            f"{item.service.name}-share",
            replace(
                item.shared,
                subnet_id=subnet_ids[item.subnet],
                backend_ips=tuple(backend_ips),
                virtual_network_id=vnet_id if backend_ips else None,
                log_analytics_workspace_id=workspace,
            ),
        )
        exported[item.service.name] = {
            "id": shared.service_id,
            "alias": shared.alias,
            "port": shared.port,
        }
    if exported:
        pulumi.export("sharedServices", exported)
    if spec.front_door is not None:
        declare_front_door(
            spec.front_door,
            spec.staff_origins,
            spec.staff_workloads,
            FrontDoorInputs(subnet_ids, vnet_id, built, workspace, tenant),
        )
    if spec.staff_record:
        pulumi.export("staffAccess", dict(spec.staff_record))


# ---------------------------------------------------------- consumer side (sharing stacks)


@dataclass(frozen=True)
class SharingSpec:
    endpoints: tuple[tuple[ConsumedService, PartnerEndpointArgs], ...]


def sharing_spec(ctx: StackContext) -> SharingSpec:
    """A PartnerEndpoint per consumed service of this sharing stack (pure)."""
    endpoints = []
    for index, service in ctx.consumed():
        tags = azure_tags(
            platform_tag_values(
                ctx, f"sharing-{service.name}", "sharing", service.classification, "high"
            )
        )
        message = f"{ctx.plan.force.name}: {', '.join(service.agreements) or 'no agreement'}"
        with args_errors(ctx, ctx.path("sharing", "consumed", index)):
            endpoints.append(
                (
                    service,
                    PartnerEndpointArgs(
                        force=ctx.slug,
                        name=service.name,
                        tags=tags,
                        subnet_id=PENDING,
                        service=service.endpoint or PENDING,
                        dns_name=service.dns_name.lower(),
                        virtual_network_id=PENDING,
                        manual_approval=not service.source_stack,
                        request_message=message[:140],
                        location=region_of(ctx),
                    ),
                )
            )
    return SharingSpec(tuple(endpoints))


def declare_sharing(ctx: StackContext, spec: SharingSpec) -> None:
    lz = landing_zone_reference(ctx)
    hub_vnet = lz.get_output("hubVnetId")
    # None only while the landing zone's output is unset (the endpoint then waits for it)
    subnet = cast(
        "pulumi.Output[str]",
        hub_vnet.apply(lambda vnet: f"{vnet}/subnets/{HUB_ENDPOINT_SUBNET}" if vnet else None),
    )
    sources = source_references(ctx)
    exported = {}
    for service, args in spec.endpoints:
        target: pulumi.Input[str] = args.service
        if service.source_stack:
            shared = sources[service.source_stack].get_output("sharedServices")
            target = entry(entry(shared, service.source_name), "id")
        endpoint = PartnerEndpoint(
            component_name(f"consume-{service.name}"),
            replace(args, subnet_id=subnet, service=target, virtual_network_id=hub_vnet),
        )
        exported[service.name] = {
            "dnsName": endpoint.dns_name,
            "privateIp": endpoint.private_ip,
            "port": service.port,
        }
    pulumi.export("consumedServices", exported)
