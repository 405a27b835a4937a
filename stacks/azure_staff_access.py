"""Staff access on Azure: a wave stack's moving web applications behind Front Door Premium.

Per StaffAccess of the stack (method front-door-private-origin), one StaffAccessFrontDoor per
wave stack (WAF in Prevention mode, Private Link origins, https only): a PaaS web app is its
own origin and signs staff in with App Service authentication (the Entra app registration of
the engineer value `staffEntraClientId`); servers are reached through an internal load
balancer + Private Link service no subscription sees, and the application signs staff in
itself. What is built or not, and why, is exported as `staffAccess` by azure_sharing.py.

Pure specs (run-time values are `PENDING`), checked before the first declaration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, cast

import pulumi

from forcelift.components.azure.common import resource_name
from forcelift.components.azure.iaas_workload import IaasWorkloadArgs
from forcelift.components.azure.paas_workload import PaasWorkload
from forcelift.components.azure.shared_service import SharedService, SharedServiceArgs
from forcelift.components.azure.staff_access import (
    AppServiceAuth,
    StaffAccessFrontDoor,
    StaffAccessFrontDoorArgs,
    StaffApp,
)
from forcelift.migration.naming import make_name, shorten
from forcelift.stacks.azure_common import azure_tags, region_of
from forcelift.stacks.azure_workloads import WorkloadSpec
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import PENDING, args_errors, platform_tag_values

ENTRA_CLIENT_KEY = "staffEntraClientId"  # engineer value: the Entra app registration staff use


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


def nic_ip(nic: str, group: str, after: pulumi.Resource) -> pulumi.Output[Any]:
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


def _server_origin(
    ctx: StackContext, item: WorkloadSpec, name: str, port: int, subnet: str
) -> StaffOrigin:
    """Front Door reaches servers through an internal load balancer + Private Link service."""
    assert item.iaas is not None
    nics = server_nics(item.iaas)
    shared = SharedServiceArgs(
        force=ctx.slug,
        name=f"{shorten(name, 18)}-staff",
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


def front_door_spec(
    ctx: StackContext, workloads: Mapping[str, WorkloadSpec], subnet: str | None
) -> tuple[StaffAccessFrontDoorArgs | None, dict[str, str], dict[str, Any], dict[str, Any]]:
    """The stack's Front Door (None when it fronts nothing), StaffApp name -> WorkloadSpec
    name, the `staffAccess` record (built or not, and why) and the server origins. The Entra
    client id is read only when a web app is fronted (engineer_values asks for it then)."""
    mine = [(i, s) for i, s in ctx.staff_access() if s.stack == ctx.stack.name]
    apps, staff_workloads, record, origins = [], {}, {}, {}
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
        name = shorten(item.name, 24)
        path = ctx.path("sharing", "staff_access", index)
        client = ctx.value(ENTRA_CLIENT_KEY) if web_app else ""  # missing: an error
        with args_errors(ctx, path):
            auth = None
            if web_app:
                auth = AppServiceAuth(
                    web_app_name=PENDING,
                    resource_group_name=PENDING,
                    client_id=client,
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


class FrontDoorInputs(NamedTuple):
    """What the wave stack has declared by the time Front Door is: the spoke's subnets and
    network, the workload components by Pulumi name, the workspace and the tenant."""

    subnet_ids: Mapping[str, pulumi.Input[str]]
    vnet_id: pulumi.Input[str]
    built: Mapping[str, pulumi.Resource]
    workspace: pulumi.Input[str]
    tenant: pulumi.Input[str]


def declare_front_door(
    front_door: StaffAccessFrontDoorArgs,
    origins: Mapping[str, StaffOrigin],
    staff_workloads: Mapping[str, str],
    inputs: FrontDoorInputs,
) -> None:
    """Declare the stack's StaffAccessFrontDoor, and a Private Link service per server origin."""
    subnet_ids, vnet_id, built, workspace, tenant = inputs
    apps = []
    for app in front_door.apps:
        origin = origins.get(app.name)
        if origin is not None:
            iaas = built[f"{staff_workloads[app.name]}-iaas"]
            shared = SharedService(
                f"{origin.shared.name}-origin",
                replace(
                    origin.shared,
                    subnet_id=subnet_ids[origin.subnet],
                    backend_ips=tuple(nic_ip(nic, group, iaas) for nic, group in origin.nics),
                    virtual_network_id=vnet_id,
                    log_analytics_workspace_id=workspace,
                ),
            )
            # Azure gives the frontend an address once the load balancer exists: only a
            # preview leaves it unknown, so the origin host is a str whenever it is known
            host = cast("pulumi.Output[str]", shared.frontend_ip)
            apps.append(replace(app, origin_host=host, private_link_id=shared.service_id))
            continue
        paas = built[f"{staff_workloads[app.name]}-paas"]
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
        f"{front_door.name}-staff-access",
        replace(front_door, apps=tuple(apps), log_analytics_workspace_id=workspace),
    )
