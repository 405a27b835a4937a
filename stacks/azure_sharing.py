"""Sharing on Azure: the host side in a wave stack, the consumer side in the sharing stack.

Host side (called from azure_wave.py): per HostedService of the stack, a SharedService (an
internal load balancer + Private Link service seen only by the allowed subscriptions) in front
of the application's servers, or of an AgencyApiGateway (API Management, internal) when the
service is an agency API; exported as `sharedServices` {name: {id, alias, port}}. Per
StaffAccess of the stack, the wave's StaffAccessFrontDoor (one profile) with App Service
authentication for web apps. Consumer side (`SHARING`): per ConsumedService, a PartnerEndpoint
in the hub's management subnet, named by the plan's private DNS name, pointing at the host
stack's `sharedServices` entry or the partner's own endpoint.

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
from forcelift.components.azure.common import resource_name
from forcelift.components.azure.iaas_workload import IaasWorkloadArgs
from forcelift.components.azure.paas_workload import PaasWorkload
from forcelift.components.azure.partner_endpoint import PartnerEndpoint, PartnerEndpointArgs
from forcelift.components.azure.shared_service import SharedService, SharedServiceArgs
from forcelift.components.azure.staff_access import (
    AppServiceAuth,
    StaffAccessFrontDoor,
    StaffAccessFrontDoorArgs,
    StaffApp,
)
from forcelift.migration.naming import make_name
from forcelift.migration.plan.network import API_MANAGEMENT_SUBNET
from forcelift.migration.plan.sharing_plan import ConsumedService, HostedService
from forcelift.stacks.azure_common import azure_tags, region_of
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
PUBLISHER_EMAIL_KEY = "apiPublisherEmail"  # optional config; the default names no real mailbox
ENTRA_CLIENT_KEY = "staffEntraClientId"  # the Entra app registration staff sign in to
UNSET_CLIENT = "00000000-0000-0000-0000-000000000000"  # sign-in fails (closed) until it is set


def _optional(ctx: StackContext, key: str) -> str:
    return ((ctx.values(f"forcelift:{key}") if ctx.values else None) or "").strip()


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


@dataclass(frozen=True)
class StaffOrigin:
    shared: SharedServiceArgs  # front_door_origin=True: no subscription sees it
    subnet: str
    nics: tuple[tuple[str, str], ...]


def server_nics(iaas: IaasWorkloadArgs) -> tuple[tuple[str, str], ...]:
    """The NIC names IaasWorkload gives its servers (kept in step with iaas_workload.py)."""
    location = str(iaas.location)
    group = make_name("azure-resource-group", "rg", iaas.force, iaas.application, location)
    out = []
    for server in sorted(iaas.servers, key=lambda s: s.name):
        kind = "azure-vm-windows" if server.is_windows else "azure-vm-linux"
        out.append((resource_name(80, "nic", make_name(kind, server.name)), group))
    return tuple(out)


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
        with args_errors(ctx, f"{path}.api_auth"):
            api = AgencyApiGatewayArgs(
                force=ctx.slug,
                name=service.name,
                application=service.application,
                tags=tags,
                subnet_id=PENDING,
                backend_url=PENDING,
                publisher_email=_optional(ctx, PUBLISHER_EMAIL_KEY)
                or f"api-publisher@{ctx.slug}.invalid",
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


def _server_origin(
    ctx: StackContext, item: WorkloadSpec, name: str, port: int, subnet: str
) -> StaffOrigin:
    """Front Door reaches servers through an internal load balancer + Private Link service."""
    assert item.iaas is not None
    nics = server_nics(item.iaas)
    shared = SharedServiceArgs(
        force=ctx.slug,
        name=f"{name[:18].rstrip('-')}-staff",
        application=item.application,
        tags=item.iaas.tags,
        subnet_id=PENDING,
        allowed_subscriptions=(),
        port=port,
        backend_ips=(PENDING,) * len(nics),
        virtual_network_id=PENDING,
        location=region_of(ctx),
        front_door_origin=True,
    )
    return StaffOrigin(shared, subnet, nics)


def _front_door(
    ctx: StackContext, workloads: Mapping[str, WorkloadSpec], subnet: str | None
) -> tuple[StaffAccessFrontDoorArgs | None, dict[str, str], dict[str, Any], dict[str, Any]]:
    mine = [
        (i, s) for i, s in enumerate(ctx.cloud.sharing.staff_access) if s.stack == ctx.stack.name
    ]
    apps, staff_workloads, record, origins = [], {}, {}, {}
    client = _optional(ctx, ENTRA_CLIENT_KEY)
    for index, access in mine:
        item = workloads.get(access.application)
        entry_record = {"hostname": access.hostname, "method": access.method, "built": False}
        record[access.application] = entry_record
        if access.method != "front-door-private-origin":
            entry_record["note"] = f"{access.method} is an AWS method: not built on Azure"
            continue
        web_app = item is not None and item.paas is not None and item.paas.app_service is not None
        if item is None or not (web_app or (item.iaas is not None and subnet is not None)):
            entry_record["note"] = "nothing this stack builds to put Front Door in front of"
            continue
        name = item.name[:24].rstrip("-")
        path = ctx.path("sharing", "staff_access", index)
        with args_errors(ctx, path):
            auth = None
            if web_app:
                auth = AppServiceAuth(
                    web_app_name=PENDING,
                    resource_group_name=PENDING,
                    client_id=client or UNSET_CLIENT,
                    tenant_id=PENDING,
                )
            else:
                assert subnet is not None
                origins[name] = _server_origin(ctx, item, name, access.port, subnet)
            apps.append(
                StaffApp(
                    application=access.application,
                    name=name,
                    hostname=access.hostname,
                    origin_host=PENDING,
                    private_link_id=PENDING,
                    group_id="sites" if web_app else "",
                    origin_host_header="" if web_app else access.hostname,
                    port=access.port,
                    auth=auth,
                )
            )
        staff_workloads[name] = item.name
        entry_record["built"] = True
        if not web_app:
            entry_record["note"] = (
                "servers: the application signs staff in (Entra ID OIDC); approve Front "
                "Door's connection on its Private Link service"
            )
        elif not client:
            entry_record["note"] = (
                f"set forcelift:{ENTRA_CLIENT_KEY} (the Entra app registration); until then "
                "sign-in fails closed"
            )
    if not apps:
        return None, staff_workloads, record, origins
    everyone = [w for _, w in ctx.wave_workloads() if w.application in record]
    sensitive = any(w.tags.get("data-classification") == "OFFICIAL-SENSITIVE" for w in everyone)
    tags = azure_tags(
        platform_tag_values(
            ctx,
            f"wave-{ctx.stack.wave}-staff-access",
            str(ctx.stack.wave),
            "OFFICIAL-SENSITIVE" if sensitive else "OFFICIAL",
            "high",
        )
    )
    with args_errors(ctx, ctx.path("sharing", "staff_access")):
        front_door = StaffAccessFrontDoorArgs(
            force=ctx.slug,
            name=f"wave-{ctx.stack.wave}" + (f"-{ctx.stack.part}" if ctx.stack.part else ""),
            tags=tags,
            apps=tuple(apps),
            location=region_of(ctx),
        )
    return front_door, staff_workloads, record, origins


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
    for index, service in enumerate(ctx.cloud.sharing.hosted):
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
    front_door, staff_workloads, record, origins = _front_door(ctx, by_application, workload_subnet)
    return WaveSharingSpec(tuple(hosted), front_door, staff_workloads, record, origins)


def _nic_ip(nic: str, group: str, after: pulumi.Resource) -> pulumi.Output[Any]:
    """A server's private address, read once its workload exists (unknown in a preview)."""
    from pulumi_azure_native import network

    found = network.get_network_interface_output(
        network_interface_name=nic,
        resource_group_name=group,
        opts=pulumi.InvokeOutputOptions(depends_on=[after]),
    )
    return found.apply(
        lambda r: next((c.private_ip_address for c in r.ip_configurations or []), None)
    )


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
        ips = [_nic_ip(nic, group, iaas) for nic, group in item.nics] if iaas else []
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
        apps = []
        for app in spec.front_door.apps:
            origin = spec.staff_origins.get(app.name)
            if origin is not None:
                iaas = built[f"{spec.staff_workloads[app.name]}-iaas"]
                shared = SharedService(
                    f"{origin.shared.name}-origin",
                    replace(
                        origin.shared,
                        subnet_id=subnet_ids[origin.subnet],
                        backend_ips=tuple(_nic_ip(nic, group, iaas) for nic, group in origin.nics),
                        virtual_network_id=vnet_id,
                        log_analytics_workspace_id=workspace,
                    ),
                )
                # Azure gives the frontend an address once the load balancer exists: only a
                # preview leaves it unknown, so the origin host is a str whenever it is known
                host = cast("pulumi.Output[str]", shared.frontend_ip)
                apps.append(replace(app, origin_host=host, private_link_id=shared.service_id))
                continue
            paas = built[f"{spec.staff_workloads[app.name]}-paas"]
            assert isinstance(paas, PaasWorkload) and paas.web_app_id is not None
            assert app.auth is not None and paas.web_app_name is not None
            apps.append(
                replace(
                    app,
                    origin_host=paas.endpoints["web_app"],
                    private_link_id=paas.web_app_id,
                    auth=replace(
                        app.auth,
                        web_app_name=paas.web_app_name,
                        resource_group_name=paas.resource_group_name,
                        tenant_id=tenant,
                    ),
                )
            )
        StaffAccessFrontDoor(
            f"{spec.front_door.name}-staff-access",
            replace(spec.front_door, apps=tuple(apps), log_analytics_workspace_id=workspace),
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
