"""An Azure wave stack: the SpokeNetwork (only in the first stack of a split wave; later parts
read its subnet ids from that stack) + one Iaas/Paas/SaasWorkload per workload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi

from forcelift.components.azure.iaas_workload import IaasWorkload
from forcelift.components.azure.paas_workload import PaasWorkload
from forcelift.components.azure.saas_workload import SaasWorkload
from forcelift.components.azure.spoke_network import (
    SpokeNetwork,
    SpokeNetworkArgs,
    SpokeSubnet,
    SubnetPurpose,
)
from forcelift.stacks.azure_common import azure_tags, region_of
from forcelift.stacks.azure_sharing import (
    API_FLOWS,
    API_SUBNET,
    WaveSharingSpec,
    declare_wave_sharing,
    hosts_api,
    sharing_subnets,
    wave_sharing_spec,
)
from forcelift.stacks.azure_subnets import (
    MI_PREFIX,
    MI_SUBNET,
    carve_subnet,
    is_managed_instance,
    private_link_subnets,
    purposes_of,
    subnet_flows,
    subnet_purpose,
)
from forcelift.stacks.azure_workloads import WorkloadSpec, workload_spec
from forcelift.stacks.context import StackContext, entry
from forcelift.stacks.specs import (
    PENDING,
    args_errors,
    first_part_reference,
    landing_zone_reference,
    wave_index,
    wave_tag_values,
)

POSTGRES_ZONE = "privatelink.postgres.database.azure.com"
ENDPOINT_ZONES = (
    "privatelink.azurewebsites.net",
    "privatelink.blob.core.windows.net",
    "privatelink.database.windows.net",
)
LZ_OUTPUTS = (
    "hubVnetId",
    "hubVnetName",
    "hubResourceGroup",
    "firewallPrivateIp",
    "privateDnsZoneIds",
    "logAnalyticsWorkspaceId",
)


@dataclass(frozen=True)
class WaveSpec:
    spoke_name: str
    subnets: Mapping[SubnetPurpose, str]  # purpose -> subnet name
    spoke: SpokeNetworkArgs | None  # None: a later part of a split wave (the first part owns it)
    workloads: tuple[WorkloadSpec, ...]
    sharing: WaveSharingSpec = field(default_factory=WaveSharingSpec)  # azure_sharing.py


def wave_spec(ctx: StackContext) -> WaveSpec:
    index = wave_index(ctx)
    plan_spoke = ctx.cloud.waves[index].spoke
    everyone = ctx.wave_workloads()
    subnets: dict[str, tuple[str, SubnetPurpose]] = {
        s.name: (s.cidr, subnet_purpose(s.name)) for s in plan_spoke.subnets
    }
    if any(is_managed_instance(p) for _, w in everyone for p in w.paas) and not any(
        purpose is SubnetPurpose.SQL_MANAGED_INSTANCE for _, purpose in subnets.values()
    ):
        subnets[MI_SUBNET] = (
            carve_subnet(ctx, index, MI_PREFIX),
            SubnetPurpose.SQL_MANAGED_INSTANCE,
        )
    if hosts_api(ctx) and API_SUBNET not in subnets:
        raise ctx.error(
            ctx.path("waves", index, "spoke", "subnets"),
            f"the wave publishes an agency API; the spoke has no {API_SUBNET} subnet",
            hint="re-plan: the plan allocates it for a wave with an outbound api sharing flow",
        )
    by_purpose: dict[SubnetPurpose, str] = {}
    for name, (_, purpose) in subnets.items():
        by_purpose.setdefault(purpose, name)

    for _, workload in everyone:
        for purpose in purposes_of(workload):
            if purpose not in by_purpose:
                raise ctx.error(
                    ctx.path("waves", index, "spoke", "subnets"),
                    f"{workload.application} needs a {purpose.value} subnet; the spoke has none",
                )
        if any(p.kind == "web_app" for p in workload.paas) and (
            SubnetPurpose.APP_SERVICE not in by_purpose
        ):
            raise ctx.error(
                ctx.path("waves", index, "spoke", "subnets"),
                f"{workload.application} has a web app; the spoke has no app-service subnet",
            )

    workloads = tuple(workload_spec(ctx, i, workload) for i, workload in ctx.stack_workloads())
    sharing = wave_sharing_spec(ctx, workloads, by_purpose)
    spoke: SpokeNetworkArgs | None = None
    if ctx.first_part() is None:
        private_link = private_link_subnets(ctx, index, by_purpose)
        assert sharing_subnets(sharing) <= private_link, "private_link_subnets misses one"
        flows: dict[str, list[tuple[str, str, int, str]]] = {name: [] for name in subnets}
        if API_SUBNET in flows:
            flows[API_SUBNET].extend(API_FLOWS)
        for _, workload in everyone:
            for purpose in sorted(purposes_of(workload)):
                target = by_purpose[purpose]
                flows[target].extend(
                    (f.source_cidr, f.protocol, f.port, f.name) for f in workload.inbound
                )
        specs = []
        for name, (cidr, purpose) in subnets.items():
            path = ctx.path("waves", index, "spoke", "subnets")
            specs.append(
                SpokeSubnet(
                    name=name,
                    cidr=cidr,
                    purpose=purpose,
                    inbound=subnet_flows(ctx, cidr, flows[name], path),
                    private_link_service=name in private_link,
                )
            )
        with args_errors(ctx, ctx.path("waves", index, "spoke")):
            spoke = SpokeNetworkArgs(
                force=ctx.slug,
                name=plan_spoke.name,
                tags=azure_tags(wave_tag_values(ctx, [w for _, w in everyone])),
                address_space=plan_spoke.cidr,
                subnets=tuple(specs),
                hub_vnet_id=PENDING,
                hub_vnet_name=PENDING,
                hub_resource_group=PENDING,
                firewall_private_ip=PENDING,
                location=region_of(ctx),
                use_hub_gateway=bool(ctx.config.on_prem_gateway),
            )
    return WaveSpec(
        spoke_name=plan_spoke.name,
        subnets=by_purpose,
        spoke=spoke,
        workloads=workloads,
        sharing=sharing,
    )


def declare_wave(ctx: StackContext, spec: WaveSpec) -> None:
    lz = landing_zone_reference(ctx)
    hub = {key: lz.get_output(key) for key in LZ_OUTPUTS}
    zones = hub["privateDnsZoneIds"]

    def zone(name: str) -> pulumi.Output[Any]:
        return entry(zones, name)  # type: ignore[no-any-return]

    subnet_ids: dict[str, pulumi.Input[str]]
    if spec.spoke is not None:
        spoke = SpokeNetwork(
            spec.spoke_name,
            replace(
                spec.spoke,
                hub_vnet_id=hub["hubVnetId"],
                hub_vnet_name=hub["hubVnetName"],
                hub_resource_group=hub["hubResourceGroup"],
                firewall_private_ip=hub["firewallPrivateIp"],
            ),
        )
        subnet_ids = dict(spoke.subnet_ids)
        vnet_id: pulumi.Input[str] = spoke.vnet_id
        pulumi.export("spokeSubnetIds", spoke.subnet_ids)
        pulumi.export("spokeVnetId", spoke.vnet_id)
        pulumi.export("spokeResourceGroup", spoke.resource_group_name)
    else:
        first = first_part_reference(ctx)
        ids = first.get_output("spokeSubnetIds")
        subnet_ids = {name: entry(ids, name) for name in spec.subnets.values()}
        vnet_id = first.get_output("spokeVnetId")

    def subnet(purpose: SubnetPurpose) -> pulumi.Input[str]:
        return subnet_ids[spec.subnets[purpose]]

    built: dict[str, pulumi.Resource] = {}
    for item in spec.workloads:
        if item.iaas is not None:
            built[f"{item.name}-iaas"] = IaasWorkload(
                f"{item.name}-iaas",
                replace(item.iaas, subnet_id=subnet(SubnetPurpose.WORKLOAD)),
            )
        if item.paas is not None:
            paas_args = item.paas
            updates: dict[str, Any] = {
                "private_dns_zone_ids": {z: zone(z) for z in ENDPOINT_ZONES},
                "log_analytics_workspace_id": hub["logAnalyticsWorkspaceId"],
            }
            if paas_args.private_endpoint_subnet_id is not None:
                updates["private_endpoint_subnet_id"] = subnet(SubnetPurpose.PRIVATE_ENDPOINTS)
            if paas_args.app_service is not None:
                updates["app_service"] = replace(
                    paas_args.app_service,
                    integration_subnet_id=subnet(SubnetPurpose.APP_SERVICE),
                )
            if paas_args.sql_managed_instance is not None:
                updates["sql_managed_instance"] = replace(
                    paas_args.sql_managed_instance,
                    subnet_id=subnet(SubnetPurpose.SQL_MANAGED_INSTANCE),
                )
            if paas_args.postgres is not None:
                updates["postgres"] = replace(
                    paas_args.postgres,
                    delegated_subnet_id=subnet(SubnetPurpose.POSTGRES),
                    private_dns_zone_id=zone(POSTGRES_ZONE),
                )
            built[f"{item.name}-paas"] = PaasWorkload(
                f"{item.name}-paas", replace(paas_args, **updates)
            )
        if item.saas is not None:
            SaasWorkload(f"{item.name}-saas", item.saas)
    pulumi.export("workloads", {item.application: dict(item.record) for item in spec.workloads})
    declare_wave_sharing(ctx, spec.sharing, hub, subnet_ids, vnet_id, built)
