"""plan.yaml -> Azure components (pulumi-azure-native), for one stack.

Two steps, so a bad plan stops before anything is declared: `*_spec` builds every component's
args from the plan (pure; values only known at run time, such as the hub's ids, are
placeholders), then `declare_*` creates the components and swaps the placeholders for
outputs. Landing zone: ManagementGroups + HubNetwork (firewall egress allow-list from
`landing_zone.saas_egress`, VPN site when `forcelift:onPremGatewayAddress` is set) +
Management. Wave: the Spoke (only in the first stack of a split wave; later parts read its
subnet ids from that stack) + one Iaas/Paas/SaasWorkload per workload.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi

from forcelift.components.azure.common import (
    AzureRegion,
    DataClassification,
    DiagnosticTarget,
    EgressDestination,
    FlowRule,
    Protocol,
    Tags,
)
from forcelift.components.azure.hub_network import (
    HubNetwork,
    HubNetworkArgs,
    OnPremiseSite,
)
from forcelift.components.azure.iaas_workload import (
    BackupSpec,
    DiskSku,
    DiskSpec,
    IaasWorkload,
    IaasWorkloadArgs,
    OsImage,
    ServerSpec,
)
from forcelift.components.azure.management import Management, ManagementArgs
from forcelift.components.azure.management_groups import ManagementGroups, ManagementGroupsArgs
from forcelift.components.azure.paas_workload import (
    AppServiceSpec,
    PaasWorkload,
    PaasWorkloadArgs,
    PostgresSpec,
    PostgresTier,
    SqlDatabaseSpec,
    SqlManagedInstanceSpec,
    StorageRedundancy,
    StorageSpec,
)
from forcelift.components.azure.saas_workload import SaasWorkload, SaasWorkloadArgs
from forcelift.components.azure.spoke import (
    DENY_ALL_PRIORITY,
    FIRST_RULE_PRIORITY,
    RULE_PRIORITY_STEP,
    Spoke,
    SpokeArgs,
    SpokeSubnet,
    SubnetPurpose,
)
from forcelift.migration.clouds.azure import FACTS as AZURE
from forcelift.migration.plan.planfile import CloudWorkload, PaasPlan, VmPlan
from forcelift.stacks.context import (
    StackContext,
    component_name,
    entry,
    highest_criticality,
)

PENDING = "<pending>"  # stands for a value only known at run time; replaced before use
ADMIN_LOGIN = "fladmin"
VAULT_ZONE = "privatelink.vaultcore.azure.net"
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
HUB_SUBNETS = ("AzureFirewallSubnet", "AzureBastionSubnet", "GatewaySubnet", "management")
MI_SUBNET = "sql-managed-instance"
MI_PREFIX = 27  # the smallest subnet SQL Managed Instance accepts
MAX_NSG_RULES = (DENY_ALL_PRIORITY - FIRST_RULE_PRIORITY) // RULE_PRIORITY_STEP
POSTGRES_STORAGE_GIB = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
_DISK_SKUS = {
    "premiumssd": DiskSku.PREMIUM_LRS,
    "standardssd": DiskSku.STANDARD_SSD_LRS,
    "standardhdd": DiskSku.STANDARD_HDD_LRS,
    "premiumv2": DiskSku.PREMIUM_V2_LRS,
    "premiumssdv2": DiskSku.PREMIUM_V2_LRS,
}
_IMAGES = {"windows": OsImage.WINDOWS_SERVER_2022, "linux": OsImage.UBUNTU_22_04}
# App Service runtime by the words of the plan's target (Linux plans; see docs/preview.md).
_RUNTIMES = (
    (("java", "tomcat"), "TOMCAT|10.1-java17"),
    (("node",), "NODE|20-lts"),
    (("php",), "PHP|8.2"),
    (("python", "django"), "PYTHON|3.12"),
)
_DEFAULT_RUNTIME = "DOTNETCORE|8.0"
_SQL_MI_TIER = re.compile(r"^(GP|BC)_(Gen5|G8IM|G8IH)_(\d+)$")


@contextlib.contextmanager
def args_errors(ctx: StackContext, path: str) -> Iterator[None]:
    """A component's args refused a value: report it at its place in the plan."""
    try:
        yield
    except ValueError as exc:
        raise ctx.error(path, str(exc)) from None


def platform_tags(
    ctx: StackContext, application: str, wave: str, classification: str, criticality: str
) -> Tags:
    """Tags of shared resources (hub, spoke): the plan gives them no owner, config may."""
    return Tags(
        application=application,
        owner=ctx.config.platform_owner,
        data_classification=DataClassification(classification),
        cost_centre=ctx.config.platform_cost_centre,
        wave=wave,
        extra=(("criticality", criticality), ("forcelift-stack", ctx.stack.name)),
    )


def workload_tags(workload: CloudWorkload) -> Tags:
    """The plan's tags: the five required ones, plus criticality, forcelift-stack and more."""
    tags = dict(workload.tags)
    required = ("application", "owner", "data-classification", "cost-centre", "wave")
    return Tags(
        application=tags["application"],
        owner=tags["owner"],
        data_classification=DataClassification(tags["data-classification"]),
        cost_centre=tags["cost-centre"],
        wave=tags["wave"],
        extra=tuple(sorted((k, v) for k, v in tags.items() if k not in required)),
    )


def region_of(ctx: StackContext) -> AzureRegion:
    return AzureRegion(ctx.cloud.region)


# --- landing zone ------------------------------------------------------------------------


@dataclass(frozen=True)
class LandingZoneSpec:
    groups: ManagementGroupsArgs
    hub: HubNetworkArgs
    management: ManagementArgs


def landing_zone_spec(ctx: StackContext) -> LandingZoneSpec:
    lz = ctx.cloud.landing_zone
    region = region_of(ctx)
    subnets = {s.name: s.cidr for s in lz.hub.subnets}
    missing = [name for name in HUB_SUBNETS if name not in subnets]
    if missing:
        raise ctx.error(
            ctx.path("landing_zone", "hub", "subnets"), f"hub subnets missing: {missing}"
        )
    tags = platform_tags(ctx, "landing-zone", "0", "OFFICIAL-SENSITIVE", "critical")
    egress: dict[str, EgressDestination] = {}
    for index, rule in enumerate(lz.saas_egress):
        with args_errors(ctx, ctx.path("landing_zone", "saas_egress", index)):
            name = component_name(rule.application)
            egress.setdefault(name, EgressDestination(name=name, fqdns=tuple(rule.fqdns)))
    sites: tuple[OnPremiseSite, ...] = ()
    gateway = ctx.config.on_prem_gateway
    connectivity = lz.connectivity
    ranges = sorted(set(connectivity.on_premise_ranges) | set(connectivity.psn_ranges))
    if gateway and ranges:
        with args_errors(ctx, ctx.path("landing_zone", "connectivity")):
            sites = (
                OnPremiseSite(
                    name="on-premise",
                    gateway_address=gateway,
                    address_spaces=tuple(ranges),
                    shared_key=ctx.secret("vpnSharedKey"),
                ),
            )
    with args_errors(ctx, ctx.path("landing_zone", "hub")):
        hub = HubNetworkArgs(
            force=ctx.slug,
            tags=tags,
            address_space=lz.hub.cidr,
            firewall_subnet=subnets["AzureFirewallSubnet"],
            bastion_subnet=subnets["AzureBastionSubnet"],
            gateway_subnet=subnets["GatewaySubnet"],
            management_subnet=subnets["management"],
            egress_source_cidrs=(lz.supernet,),
            location=region,
            egress_allow_list=tuple(egress[k] for k in sorted(egress)),
            on_premise_sites=sites,
        )
    with args_errors(ctx, ctx.path("landing_zone", "log_retention_days")):
        management = ManagementArgs(
            force=ctx.slug,
            tags=tags,
            management_resource_group=PENDING,
            security_resource_group=PENDING,
            location=region,
            log_retention_days=lz.log_retention_days,
            unique_seed=ctx.slug,
        )
    groups = ManagementGroupsArgs(force=ctx.slug, display_name=ctx.plan.force.name, location=region)
    return LandingZoneSpec(groups=groups, hub=hub, management=management)


def declare_landing_zone(ctx: StackContext, spec: LandingZoneSpec) -> None:
    groups = ManagementGroups("management-groups", spec.groups)
    hub = HubNetwork("hub", spec.hub)
    management = Management(
        "management",
        replace(
            spec.management,
            management_resource_group=hub.resource_group_names["management"],
            security_resource_group=hub.resource_group_names["security"],
            diagnostic_targets=(
                *hub.diagnostic_targets,
                *((DiagnosticTarget("vpn-gateway", hub.gateway_id),) if hub.gateway_id else ()),
            ),
            private_endpoint_subnet_id=hub.subnet_ids["management"],
            key_vault_dns_zone_id=hub.private_dns_zone_ids.get(VAULT_ZONE),
        ),
    )
    pulumi.export("hubVnetId", hub.vnet_id)
    pulumi.export("hubVnetName", hub.vnet_name)
    pulumi.export("hubResourceGroup", hub.resource_group_names["connectivity"])
    pulumi.export("firewallPrivateIp", hub.firewall_private_ip)
    pulumi.export("privateDnsZoneIds", hub.private_dns_zone_ids)
    pulumi.export("logAnalyticsWorkspaceId", management.workspace_id)
    pulumi.export("keyVaultName", management.key_vault_name)
    pulumi.export("managementGroupIds", groups.group_ids)


# --- wave --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkloadSpec:
    application: str
    name: str
    iaas: IaasWorkloadArgs | None = None
    paas: PaasWorkloadArgs | None = None
    saas: SaasWorkloadArgs | None = None
    record: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WaveSpec:
    spoke_name: str
    subnets: Mapping[SubnetPurpose, str]  # purpose -> subnet name
    spoke: SpokeArgs | None  # None: a later part of a split wave (the first part owns it)
    workloads: tuple[WorkloadSpec, ...]


def subnet_purpose(name: str) -> SubnetPurpose:
    try:
        return SubnetPurpose(name)
    except ValueError:
        return SubnetPurpose.WORKLOAD


def _is_managed_instance(part: PaasPlan) -> bool:
    return part.kind == "sql_server" and "managed instance" in part.service.lower()


def purposes_of(workload: CloudWorkload) -> set[SubnetPurpose]:
    """Which spoke subnets a workload's parts sit in (where its inbound flows must reach)."""
    found = {SubnetPurpose.WORKLOAD} if workload.vms else set()
    for part in workload.paas:
        if _is_managed_instance(part):
            found.add(SubnetPurpose.SQL_MANAGED_INSTANCE)
        elif part.kind == "postgresql":
            found.add(SubnetPurpose.POSTGRES)
        elif part.kind in ("web_app", "sql_server", "object_storage", "file_storage"):
            found.add(SubnetPurpose.PRIVATE_ENDPOINTS)
    return found


def carve_subnet(ctx: StackContext, wave_index: int, prefix: int) -> str:
    """The first free /prefix of the spoke (for a subnet the plan does not have yet)."""
    spoke = ctx.cloud.waves[wave_index].spoke
    used = [ipaddress.IPv4Network(s.cidr) for s in spoke.subnets]
    network = ipaddress.IPv4Network(spoke.cidr)
    if network.prefixlen <= prefix:
        for candidate in network.subnets(new_prefix=prefix):
            if not any(candidate.overlaps(u) for u in used):
                return str(candidate)
    raise ctx.error(
        ctx.path("waves", wave_index, "spoke"),
        f"no free /{prefix} in {spoke.cidr} for a {MI_SUBNET} subnet",
        hint="re-plan with a larger spoke (the plan should allocate this subnet)",
    )


def _rule_name(source: str, protocol: str) -> str:
    return f"allow-{protocol}-from-{source.replace('/', '-')}"


def subnet_flows(
    ctx: StackContext, subnet_cidr: str, flows: list[tuple[str, str, int, str]], path: str
) -> tuple[FlowRule, ...]:
    """Inbound rules of one subnet: one per (source, protocol) with all its ports, so even a
    busy subnet stays far below the NSG's rule limit; the flow's own name when it is alone."""
    grouped: dict[tuple[str, str], tuple[set[int], set[str]]] = {}
    for source, protocol, port, name in flows:
        ports, names = grouped.setdefault((source, protocol), (set(), set()))
        ports.add(port)
        names.add(name)
    if len(grouped) > MAX_NSG_RULES:
        raise ctx.error(
            path, f"{len(grouped)} inbound sources for one subnet; an NSG holds {MAX_NSG_RULES}"
        )
    rules, used = [], set()
    for (source, protocol), (ports, names) in sorted(grouped.items()):
        name = next(iter(names)) if len(names) == 1 else _rule_name(source, protocol)
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        rules.append(
            FlowRule(
                name=name,
                source_cidr=source,
                destination_cidr=subnet_cidr,
                ports=tuple(sorted(ports)),
                protocol=Protocol.UDP if protocol == "udp" else Protocol.TCP,
            )
        )
    return tuple(rules)


def wave_tags(ctx: StackContext, workloads: list[CloudWorkload]) -> Tags:
    sensitive = any(w.tags.get("data-classification") == "OFFICIAL-SENSITIVE" for w in workloads)
    return platform_tags(
        ctx,
        f"wave-{ctx.stack.wave}-network",
        str(ctx.stack.wave),
        "OFFICIAL-SENSITIVE" if sensitive else "OFFICIAL",
        highest_criticality(w.tags.get("criticality", "") for w in workloads),
    )


def wave_spec(ctx: StackContext) -> WaveSpec:
    wave_index = next(i for i, w in enumerate(ctx.cloud.waves) if w.number == ctx.stack.wave)
    plan_spoke = ctx.cloud.waves[wave_index].spoke
    everyone = ctx.wave_workloads()
    subnets: dict[str, tuple[str, SubnetPurpose]] = {
        s.name: (s.cidr, subnet_purpose(s.name)) for s in plan_spoke.subnets
    }
    if any(_is_managed_instance(p) for _, w in everyone for p in w.paas) and not any(
        purpose is SubnetPurpose.SQL_MANAGED_INSTANCE for _, purpose in subnets.values()
    ):
        subnets[MI_SUBNET] = (
            carve_subnet(ctx, wave_index, MI_PREFIX),
            SubnetPurpose.SQL_MANAGED_INSTANCE,
        )
    by_purpose: dict[SubnetPurpose, str] = {}
    for name, (_, purpose) in subnets.items():
        by_purpose.setdefault(purpose, name)

    for _, workload in everyone:
        for purpose in purposes_of(workload):
            if purpose not in by_purpose:
                raise ctx.error(
                    ctx.path("waves", wave_index, "spoke", "subnets"),
                    f"{workload.application} needs a {purpose.value} subnet; the spoke has none",
                )
        if any(p.kind == "web_app" for p in workload.paas) and (
            SubnetPurpose.APP_SERVICE not in by_purpose
        ):
            raise ctx.error(
                ctx.path("waves", wave_index, "spoke", "subnets"),
                f"{workload.application} has a web app; the spoke has no app-service subnet",
            )

    spoke: SpokeArgs | None = None
    if ctx.first_part() is None:
        flows: dict[str, list[tuple[str, str, int, str]]] = {name: [] for name in subnets}
        for _, workload in everyone:
            for purpose in sorted(purposes_of(workload)):
                target = by_purpose[purpose]
                flows[target].extend(
                    (f.source_cidr, f.protocol, f.port, f.name) for f in workload.inbound
                )
        specs = []
        for name, (cidr, purpose) in subnets.items():
            path = ctx.path("waves", wave_index, "spoke", "subnets")
            specs.append(
                SpokeSubnet(
                    name=name,
                    cidr=cidr,
                    purpose=purpose,
                    inbound=subnet_flows(ctx, cidr, flows[name], path),
                )
            )
        with args_errors(ctx, ctx.path("waves", wave_index, "spoke")):
            spoke = SpokeArgs(
                force=ctx.slug,
                name=plan_spoke.name,
                tags=wave_tags(ctx, [w for _, w in everyone]),
                address_space=plan_spoke.cidr,
                subnets=tuple(specs),
                hub_vnet_id=PENDING,
                hub_vnet_name=PENDING,
                hub_resource_group=PENDING,
                firewall_private_ip=PENDING,
                location=region_of(ctx),
                use_hub_gateway=bool(ctx.config.on_prem_gateway),
            )
    workloads = tuple(
        workload_spec(ctx, index, workload) for index, workload in ctx.stack_workloads()
    )
    return WaveSpec(
        spoke_name=plan_spoke.name, subnets=by_purpose, spoke=spoke, workloads=workloads
    )


def _disk(vm: VmPlan, index: int) -> DiskSpec:
    disk = vm.disks[index]
    sku = _DISK_SKUS[disk.type.replace("_", "").replace(" ", "").lower()]
    if index == 0 and sku is DiskSku.PREMIUM_V2_LRS:
        sku = DiskSku.PREMIUM_LRS  # Premium SSD v2 cannot be an OS disk
    return DiskSpec(size_gib=disk.size_gib, sku=sku)


def _runtime(target: str) -> str:
    words = target.lower()
    return next(
        (runtime for keys, runtime in _RUNTIMES if any(k in words for k in keys)),
        _DEFAULT_RUNTIME,
    )


def _paas_args(
    ctx: StackContext, index: int, workload: CloudWorkload, tags: Tags, notes: list[str]
) -> PaasWorkloadArgs | None:
    base = ctx.path("workloads", index)
    parts: dict[str, Any] = {}
    for k, part in enumerate(workload.paas):
        path = f"{base}.paas[{k}]"
        with args_errors(ctx, path):
            if part.kind == "web_app" and "app_service" not in parts:
                parts["app_service"] = AppServiceSpec(
                    integration_subnet_id=PENDING,
                    sku=part.tier,
                    linux_fx_version=_runtime(workload.target),
                )
                if part.os == "windows":
                    notes.append(
                        f"web app on a Linux App Service plan ({_runtime(workload.target)}): "
                        "the component has no Windows plans; check the application runs there"
                    )
                if part.instances > 1:
                    notes.append(
                        f"App Service plan {part.tier} created with its default instance count; "
                        f"scale out to {part.instances} instances"
                    )
            elif _is_managed_instance(part) and "sql_managed_instance" not in parts:
                match = _SQL_MI_TIER.match(part.tier)
                if not match:
                    raise ctx.error(f"{path}.tier", f"{part.tier!r} is not a SQL MI tier")
                parts["sql_managed_instance"] = SqlManagedInstanceSpec(
                    subnet_id=PENDING,
                    admin_login=ADMIN_LOGIN,
                    admin_password=ctx.secret("adminPassword"),
                    sku=f"{match.group(1)}_{match.group(2)}",
                    v_cores=int(match.group(3)),
                    storage_gib=max(32, math.ceil(part.storage_gib / 32) * 32),
                    license_included=not ctx.plan.options.hybrid_benefit_sql,
                )
            elif part.kind == "sql_server" and "sql_database" not in parts:
                parts["sql_database"] = SqlDatabaseSpec(
                    admin_login=ADMIN_LOGIN,
                    admin_password=ctx.secret("adminPassword"),
                    sku=part.tier,
                    max_size_gib=max(32, math.ceil(part.storage_gib)),
                    zone_redundant=workload.critical and _zone_redundant(ctx),
                )
            elif part.kind == "postgresql" and "postgres" not in parts:
                storage = next((s for s in POSTGRES_STORAGE_GIB if s >= part.storage_gib), None)
                if storage is None:
                    raise ctx.error(f"{path}.storage_gib", "too large for a flexible server")
                parts["postgres"] = PostgresSpec(
                    delegated_subnet_id=PENDING,
                    private_dns_zone_id=PENDING,
                    admin_login=ADMIN_LOGIN,
                    admin_password=ctx.secret("adminPassword"),
                    sku=part.tier,
                    tier=_postgres_tier(ctx, part.tier, f"{path}.tier"),
                    storage_gib=storage,
                    high_availability=workload.critical and _zone_redundant(ctx),
                )
            elif part.kind in ("object_storage", "file_storage") and "storage" not in parts:
                parts["storage"] = StorageSpec(
                    redundancy=StorageRedundancy.STANDARD_ZRS
                    if _zone_redundant(ctx)
                    else StorageRedundancy.STANDARD_GRS
                )
            else:
                notes.append(
                    f"{part.kind} ({part.service}) not built: no Azure component for it, or a "
                    "second one of its kind in one workload"
                )
    if not parts:
        return None
    needs_endpoint = {"app_service", "sql_database", "storage"} & set(parts)
    application = f"{workload.application} paas" if workload.vms else workload.application
    with args_errors(ctx, f"{base}.paas"):
        return PaasWorkloadArgs(
            force=ctx.slug,
            application=application,
            tags=tags,
            location=region_of(ctx),
            private_endpoint_subnet_id=PENDING if needs_endpoint else None,
            **parts,
        )


def _postgres_tier(ctx: StackContext, sku: str, path: str) -> PostgresTier:
    family = sku.removeprefix("Standard_")[:1]
    tiers = {
        "B": PostgresTier.BURSTABLE,
        "D": PostgresTier.GENERAL_PURPOSE,
        "E": PostgresTier.MEMORY_OPTIMIZED,
    }
    if not sku.startswith("Standard_") or family not in tiers:
        raise ctx.error(path, f"{sku!r} is not a PostgreSQL flexible server SKU")
    return tiers[family]


def workload_spec(ctx: StackContext, index: int, workload: CloudWorkload) -> WorkloadSpec:
    base = ctx.path("workloads", index)
    tags = workload_tags(workload)
    notes: list[str] = []
    iaas = None
    if workload.vms:
        with args_errors(ctx, f"{base}.vms"):
            servers = tuple(
                ServerSpec(
                    name=vm.server,
                    image=_IMAGES[vm.os],
                    size=vm.size,
                    os_disk=_disk(vm, 0),
                    data_disks=tuple(_disk(vm, d) for d in range(1, len(vm.disks))),
                )
                for vm in workload.vms
            )
            iaas = IaasWorkloadArgs(
                force=ctx.slug,
                application=workload.application,
                tags=tags,
                subnet_id=PENDING,
                servers=servers,
                admin_password=ctx.secret("adminPassword"),
                location=region_of(ctx),
                backup=BackupSpec() if workload.backup else None,
            )
    paas = _paas_args(ctx, index, workload, tags, notes)
    saas = None
    if workload.saas is not None:
        if workload.saas.fqdns:
            with args_errors(ctx, f"{base}.saas"):
                saas = SaasWorkloadArgs(
                    application=workload.application,
                    service=workload.saas.service,
                    fqdns=tuple(workload.saas.fqdns),
                    data_classification=tags.data_classification,
                    tags=tags,
                )
        else:
            notes.append(
                "SaaS egress FQDNs unknown (ask the supplier): no firewall rule, no record"
            )
    if not (iaas or paas or saas) and workload.decision != "SAAS":
        notes.append("nothing to build: the plan gives this workload no VMs or services")
    name = component_name(workload.application)
    record = {
        "decision": workload.decision,
        "target": workload.target,
        "components": [
            kind for kind, args in (("iaas", iaas), ("paas", paas), ("saas", saas)) if args
        ],
        "vms": len(workload.vms),
        "notes": [*workload.notes, *notes],
    }
    return WorkloadSpec(workload.application, name, iaas, paas, saas, record)


def declare_wave(ctx: StackContext, spec: WaveSpec) -> None:
    lz = pulumi.StackReference(ctx.reference_name(ctx.cloud.landing_zone.stack))
    hub = {key: lz.get_output(key) for key in LZ_OUTPUTS}
    zones = hub["privateDnsZoneIds"]

    def zone(name: str) -> pulumi.Output[Any]:
        return entry(zones, name)  # type: ignore[no-any-return]

    subnet_ids: dict[str, pulumi.Input[str]]
    if spec.spoke is not None:
        spoke = Spoke(
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
        pulumi.export("spokeSubnetIds", spoke.subnet_ids)
        pulumi.export("spokeVnetId", spoke.vnet_id)
        pulumi.export("spokeResourceGroup", spoke.resource_group_name)
    else:
        first = ctx.first_part()
        assert first is not None
        owner = pulumi.StackReference(ctx.reference_name(first))
        ids = owner.get_output("spokeSubnetIds")
        subnet_ids = {name: entry(ids, name) for name in spec.subnets.values()}

    def subnet(purpose: SubnetPurpose) -> pulumi.Input[str]:
        return subnet_ids[spec.subnets[purpose]]

    for item in spec.workloads:
        if item.iaas is not None:
            IaasWorkload(
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
            PaasWorkload(f"{item.name}-paas", replace(paas_args, **updates))
        if item.saas is not None:
            SaasWorkload(f"{item.name}-saas", item.saas)
    pulumi.export("workloads", {item.application: dict(item.record) for item in spec.workloads})


def build(ctx: StackContext) -> None:
    """Declare this stack's components; every check runs before the first declaration."""
    if ctx.stack.layer == "landing-zone":
        declare_landing_zone(ctx, landing_zone_spec(ctx))
    else:
        declare_wave(ctx, wave_spec(ctx))


def _zone_redundant(ctx: StackContext) -> bool:
    """Zone-redundant tiers exist only where the region has availability zones."""
    return ctx.cloud.region in AZURE.zone_redundant_regions
