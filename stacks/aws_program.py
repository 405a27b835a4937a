"""plan.yaml -> AWS components (pulumi-aws), for one stack.

As for Azure: `*_spec` builds every component's args from the plan first (pure; run-time
values are placeholders), `declare_*` creates the components. Landing zone: Organization +
SecurityBaseline + HubNetwork (Transit Gateway, SSM endpoints, Site-to-Site VPN when
`forcelift:onPremGatewayAddress` is set, Verified Access for staff). Wave: SpokeNetwork (first
stack of a split wave only; it also holds one security group per VM workload of the whole
wave) + IaasWorkload / PaasWorkload / SaasWorkload per workload.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi

from forcelift.components.aws.hub_network import (
    SSM_ENDPOINT_SERVICES,
    HubNetwork,
    HubNetworkArgs,
    RemoteAccessSpec,
    VpnSpec,
)
from forcelift.components.aws.iaas_workload import (
    BackupSpec,
    IaasWorkload,
    IaasWorkloadArgs,
    ServerSpec,
)
from forcelift.components.aws.network_specs import (
    FlowRule,
    Protocol,
    SecurityGroupSpec,
    SubnetSpec,
)
from forcelift.components.aws.organization import AccountSpec, Organization, OrganizationArgs
from forcelift.components.aws.paas_workload import (
    ENGINES,
    DatabaseSpec,
    DbEngine,
    FileStoreSpec,
    PaasWorkload,
    PaasWorkloadArgs,
    WebAppSpec,
    WebPlatform,
)
from forcelift.components.aws.saas_workload import SaasWorkload, SaasWorkloadArgs
from forcelift.components.aws.security_baseline import SecurityBaseline, SecurityBaselineArgs
from forcelift.components.aws.spoke_network import (
    SpokeNetwork,
    SpokeNetworkArgs,
    WorkloadSecurityGroups,
    WorkloadSecurityGroupsArgs,
)
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name
from forcelift.migration.plan.planfile import CloudWorkload, PaasPlan
from forcelift.stacks.context import (
    StackContext,
    component_name,
    entry,
    highest_criticality,
    server_name,
)

PENDING = "<pending>"  # stands for a value only known at run time; replaced before use
LZ_OUTPUTS = ("transitGatewayId", "tgwRouteTableIds", "endpointZoneIds", "hubVpcId")
ON_PREMISE_ASN = 65000  # only used for the customer gateway; routing is static
AMIS = {
    "windows": "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base",
    "linux-x86_64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "linux-arm64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
}
_GRAVITON = re.compile(r"^[a-z]+\d+[a-z]*g[a-z]*\.")  # m6g, r7gd, c7gn, t4g ...
_ENGINES = {
    "sql_server": DbEngine.SQLSERVER_SE,
    "postgresql": DbEngine.POSTGRES,
    "mysql": DbEngine.MYSQL,
    "oracle": DbEngine.ORACLE_SE2,
}
# Elastic Beanstalk platforms by the words of the plan's target (check the current names with
# `aws elasticbeanstalk list-available-solution-stacks`; see docs/preview.md).
_STACKS = (
    (("java", "tomcat"), "64bit Amazon Linux 2023 v5.6.1 running Tomcat 10 Corretto 17"),
    (("node",), "64bit Amazon Linux 2023 v6.4.1 running Node.js 20"),
    (("php",), "64bit Amazon Linux 2023 v4.4.1 running PHP 8.2"),
    (("python", "django"), "64bit Amazon Linux 2023 v4.3.1 running Python 3.11"),
)
_WINDOWS_STACK = "64bit Windows Server 2022 v2.16.1 running IIS 10.0"
_DOTNET_STACK = "64bit Amazon Linux 2023 v3.3.1 running .NET 8"
WEB_PORT = 80  # Beanstalk's proxy (nginx / IIS) listens on 80 behind the internal ALB


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
    return Tags(
        application=application,
        owner=ctx.config.platform_owner,
        data_classification=classification,
        cost_centre=ctx.config.platform_cost_centre,
        wave=wave,
        extra={"criticality": criticality, "forcelift-stack": ctx.stack.name},
    )


def workload_tags(workload: CloudWorkload) -> Tags:
    tags = dict(workload.tags)
    required = ("application", "owner", "data-classification", "cost-centre", "wave")
    return Tags(
        application=tags["application"],
        owner=tags["owner"],
        data_classification=tags["data-classification"],
        cost_centre=tags["cost-centre"],
        wave=tags["wave"],
        extra={k: v for k, v in sorted(tags.items()) if k not in required},
    )


def zone_subnets(
    ctx: StackContext, subnets: Any, names: tuple[str, ...], path: str
) -> tuple[SubnetSpec, ...]:
    """One subnet per zone: the first of `names` the network has (components take one set)."""
    for name in names:
        found = [s for s in subnets if s.name == name and s.zone]
        if found:
            with args_errors(ctx, path):
                return tuple(
                    SubnetSpec(s.zone, s.cidr) for s in sorted(found, key=lambda s: s.zone)
                )
    raise ctx.error(path, f"no per-zone subnets named {' or '.join(names)}")


# --- landing zone ------------------------------------------------------------------------


@dataclass(frozen=True)
class LandingZoneSpec:
    organization: OrganizationArgs
    baseline: SecurityBaselineArgs
    hub: HubNetworkArgs


def landing_zone_spec(ctx: StackContext) -> LandingZoneSpec:
    lz = ctx.cloud.landing_zone
    tags = platform_tags(ctx, "landing-zone", "0", "OFFICIAL-SENSITIVE", "critical")
    domain = ctx.value("accountEmailDomain")
    force = ctx.plan.force

    def account(key: str, label: str) -> AccountSpec:
        return AccountSpec(
            key=key,
            name=f"{force.name} {label}"[:50].strip(),
            email=f"aws-{ctx.slug}-{key}@{domain}",
        )

    with args_errors(ctx, "force"):
        organization = OrganizationArgs(
            tags=tags,
            log_archive_account=account("log-archive", "log archive"),
            audit_account=account("audit", "audit"),
            shared_network_account=account("shared-network", "shared network"),
            allowed_regions=(ctx.cloud.region,),
            root_id=ctx.config.organization_root_id,
        )
    connectivity = lz.connectivity
    ranges = sorted(set(connectivity.on_premise_ranges) | set(connectivity.psn_ranges))
    vpns: tuple[VpnSpec, ...] = ()
    if ctx.config.on_prem_gateway and ranges:
        with args_errors(ctx, ctx.path("landing_zone", "connectivity")):
            vpns = (
                VpnSpec(
                    name="on-premise",
                    customer_gateway_ip=ctx.config.on_prem_gateway,
                    bgp_asn=ON_PREMISE_ASN,
                    tunnel1_preshared_key=ctx.optional_secret("vpnTunnel1Key"),
                    tunnel2_preshared_key=ctx.optional_secret("vpnTunnel2Key"),
                    static_routes=tuple(ranges),
                ),
            )
    path = ctx.path("landing_zone", "hub")
    with args_errors(ctx, path):
        hub = HubNetworkArgs(
            tags=tags,
            cidr=lz.hub.cidr,
            subnets=zone_subnets(ctx, lz.hub.subnets, ("endpoints", "private"), path),
            routed_cidrs=tuple(sorted({lz.supernet, *ranges})),
            endpoint_client_cidrs=(lz.supernet,),
            log_retention_days=lz.log_retention_days,
            vpns=vpns,
            remote_access=RemoteAccessSpec() if lz.remote_access == "aws-verified-access" else None,
        )
    return LandingZoneSpec(
        organization=organization,
        baseline=SecurityBaselineArgs(tags=tags, organization_trail=True),
        hub=hub,
    )


def declare_landing_zone(ctx: StackContext, spec: LandingZoneSpec) -> None:
    Organization("organization", spec.organization)
    SecurityBaseline("baseline", spec.baseline)
    hub = HubNetwork("hub", spec.hub)
    pulumi.export("transitGatewayId", hub.transit_gateway_id)
    pulumi.export("tgwRouteTableIds", hub.tgw_route_table_ids)
    pulumi.export("endpointZoneIds", hub.endpoint_zone_ids)
    pulumi.export("hubVpcId", hub.vpc_id)


# --- wave --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkloadSpec:
    application: str
    name: str
    iaas: IaasWorkloadArgs | None = None
    paas: tuple[PaasWorkloadArgs, ...] = ()
    saas: SaasWorkloadArgs | None = None
    record: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WaveSpec:
    spoke_name: str
    zones: tuple[str, ...]
    security_groups: tuple[str, ...]  # names, one per VM workload of this stack
    spoke: SpokeNetworkArgs | None  # None: a later part of a split wave
    # A later part's own security groups, in the first part's VPC (None for the first part)
    later_groups: WorkloadSecurityGroupsArgs | None
    workloads: tuple[WorkloadSpec, ...]


def wave_tags(ctx: StackContext, workloads: list[CloudWorkload]) -> Tags:
    sensitive = any(w.tags.get("data-classification") == "OFFICIAL-SENSITIVE" for w in workloads)
    return platform_tags(
        ctx,
        f"wave-{ctx.stack.wave}-network",
        str(ctx.stack.wave),
        "OFFICIAL-SENSITIVE" if sensitive else "OFFICIAL",
        highest_criticality(w.tags.get("criticality", "") for w in workloads),
    )


def security_group(ctx: StackContext, index: int, workload: CloudWorkload) -> SecurityGroupSpec:
    """The servers' group: exactly the plan's inbound flows (HTTPS to the hub's endpoints is
    added by the spoke)."""
    path = ctx.path("workloads", index, "inbound")
    with args_errors(ctx, path):
        return SecurityGroupSpec(
            name=component_name(workload.application),
            description=make_name("aws-security-group", "servers of", workload.tags["application"]),
            ingress=tuple(
                FlowRule(
                    name=flow.name,
                    cidr=flow.source_cidr,
                    from_port=flow.port,
                    protocol=Protocol.UDP if flow.protocol == "udp" else Protocol.TCP,
                )
                for flow in workload.inbound
            ),
        )


def wave_spec(ctx: StackContext) -> WaveSpec:
    wave_index = next(i for i, w in enumerate(ctx.cloud.waves) if w.number == ctx.stack.wave)
    plan_spoke = ctx.cloud.waves[wave_index].spoke
    path = ctx.path("waves", wave_index, "spoke", "subnets")
    subnets = zone_subnets(ctx, plan_spoke.subnets, ("private",), path)
    zones = tuple(s.availability_zone for s in subnets)
    everyone = ctx.wave_workloads()
    tags = wave_tags(ctx, [w for _, w in everyone])
    # Each stack holds the groups of its own VM workloads (a split wave's later parts too).
    groups = tuple(security_group(ctx, i, w) for i, w in ctx.stack_workloads() if w.vms)
    spoke = None
    later_groups = None
    if ctx.first_part() is None:
        with args_errors(ctx, ctx.path("waves", wave_index, "spoke")):
            spoke = SpokeNetworkArgs(
                tags=tags,
                cidr=plan_spoke.cidr,
                subnets=subnets,
                transit_gateway_id=PENDING,
                association_route_table_id=PENDING,
                propagation_route_table_ids=(PENDING,),
                endpoint_zone_ids=tuple(PENDING for _ in SSM_ENDPOINT_SERVICES),
                security_groups=groups,
                log_retention_days=ctx.cloud.landing_zone.log_retention_days,
                endpoints_cidr=ctx.cloud.landing_zone.hub.cidr,
            )
    else:
        with args_errors(ctx, ctx.path("waves", wave_index, "spoke")):
            later_groups = WorkloadSecurityGroupsArgs(
                tags=tags,
                vpc_id=PENDING,
                security_groups=groups,
                endpoints_cidr=ctx.cloud.landing_zone.hub.cidr,
                s3_prefix_list_id=PENDING,
            )
    workloads = tuple(workload_spec(ctx, i, w, zones) for i, w in ctx.stack_workloads())
    return WaveSpec(
        spoke_name=plan_spoke.name,
        zones=zones,
        security_groups=tuple(g.name for g in groups),
        spoke=spoke,
        later_groups=later_groups,
        workloads=workloads,
    )


def ami_for(os: str, instance_type: str) -> str:
    if os == "windows":
        return AMIS["windows"]
    return AMIS["linux-arm64" if _GRAVITON.match(instance_type) else "linux-x86_64"]


def _solution_stack(target: str, os: str) -> str:
    if os == "windows":
        return _WINDOWS_STACK
    words = target.lower()
    return next((s for keys, s in _STACKS if any(k in words for k in keys)), _DOTNET_STACK)


def _paas_args(
    ctx: StackContext,
    index: int,
    workload: CloudWorkload,
    tags: Tags,
    zones: tuple[str, ...],
    notes: list[str],
) -> tuple[PaasWorkloadArgs, ...]:
    """One PaasWorkload per database (the first also takes the web app and file store)."""
    base = ctx.path("workloads", index)
    databases: list[tuple[int, PaasPlan]] = []
    web: tuple[int, PaasPlan] | None = None
    files: tuple[int, PaasPlan] | None = None
    for k, part in enumerate(workload.paas):
        if part.kind in _ENGINES:
            databases.append((k, part))
        elif part.kind == "web_app" and web is None:
            web = (k, part)
        elif part.kind in ("object_storage", "file_storage") and files is None:
            files = (k, part)
            if part.kind == "file_storage":
                notes.append("file share built as an S3 file store (no EFS/FSx component)")
        else:
            notes.append(f"{part.kind} ({part.service}): a second one in one workload, not built")
    db_ports = {ENGINES[_ENGINES[p.kind]].port for _, p in databases}
    web_clients = tuple(sorted({f.source_cidr for f in workload.inbound if f.port not in db_ports}))
    out: list[PaasWorkloadArgs] = []
    web_spec = None
    if web is not None:
        k, part = web
        with args_errors(ctx, f"{base}.paas[{k}]"):
            web_spec = WebAppSpec(
                name="web",
                certificate_arn=ctx.value("certificateArn"),
                platform=WebPlatform.ELASTIC_BEANSTALK,
                solution_stack_name=_solution_stack(workload.target, part.os),
                container_port=WEB_PORT,
                desired_count=max(1, part.instances),
                client_cidrs=web_clients,
                egress_cidrs=(ctx.cloud.landing_zone.hub.cidr,),
            )
        notes.append(
            f"Elastic Beanstalk instances: the component sets no instance type; the plan says "
            f"{part.tier}"
        )
    file_spec = FileStoreSpec(name="files") if files is not None else None
    groups: list[tuple[DatabaseSpec | None, str]] = []
    for k, part in databases:
        engine = _ENGINES[part.kind]
        port = ENGINES[engine].port
        sources = {f.source_cidr for f in workload.inbound if f.port == port}
        if web is None and not workload.vms:  # the database is the whole service
            sources |= {f.source_cidr for f in workload.inbound}
        with args_errors(ctx, f"{base}.paas[{k}]"):
            groups.append(
                (
                    DatabaseSpec(
                        name=engine.value.split("-")[0],
                        engine=engine,
                        instance_class=part.tier,
                        allocated_storage_gib=max(20, math.ceil(part.storage_gib)),
                        critical=workload.critical,
                        client_cidrs=tuple(sorted(sources)),
                    ),
                    f"{base}.paas[{k}]",
                )
            )
    if not groups and (web_spec or file_spec):
        groups.append((None, f"{base}.paas"))
    for n, (database, path) in enumerate(groups):
        with args_errors(ctx, path):
            out.append(
                PaasWorkloadArgs(
                    tags=tags,
                    vpc_id=PENDING,
                    subnet_ids=tuple(PENDING for _ in zones),
                    database=database,
                    web_app=web_spec if n == 0 else None,
                    files=file_spec if n == 0 else None,
                    log_retention_days=ctx.cloud.landing_zone.log_retention_days,
                )
            )
    return tuple(out)


def workload_spec(
    ctx: StackContext, index: int, workload: CloudWorkload, zones: tuple[str, ...]
) -> WorkloadSpec:
    base = ctx.path("workloads", index)
    tags = workload_tags(workload)
    name = component_name(workload.application)
    notes: list[str] = []
    iaas = None
    if workload.vms:
        criticality = workload.tags.get("criticality", "medium")
        with args_errors(ctx, f"{base}.vms"):
            servers = tuple(
                ServerSpec(
                    name=server_name("aws", vm.server, vm.os),
                    instance_type=vm.size,
                    ami=ami_for(vm.os, vm.size),
                    availability_zone=zones[n % len(zones)],
                    root_volume_gib=vm.disks[0].size_gib,
                    data_volume_gib=tuple(d.size_gib for d in vm.disks[1:]),
                    criticality=criticality,
                )
                for n, vm in enumerate(workload.vms)
            )
            iaas = IaasWorkloadArgs(
                tags=tags,
                servers=servers,
                subnet_ids={zone: PENDING for zone in zones},
                security_group_ids=(PENDING,),
                backup=BackupSpec() if workload.backup else None,
            )
    paas = _paas_args(ctx, index, workload, tags, zones, notes)
    saas = None
    if workload.saas is not None:
        with args_errors(ctx, f"{base}.saas"):
            saas = SaasWorkloadArgs(
                tags=tags,
                service_name=workload.saas.service,
                fqdns=tuple(workload.saas.fqdns),
                data_classification=tags.data_classification,
            )
        if not workload.saas.fqdns:
            notes.append("SaaS egress FQDNs unknown (ask the supplier)")
    if not (iaas or paas or saas):
        notes.append("nothing to build: the plan gives this workload no VMs or services")
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
    tables = lz.get_output("tgwRouteTableIds")
    zone_ids = lz.get_output("endpointZoneIds")
    vpc_id: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    group_ids: Mapping[str, pulumi.Input[str]]
    if spec.spoke is not None:
        spoke = SpokeNetwork(
            spec.spoke_name,
            replace(
                spec.spoke,
                transit_gateway_id=lz.get_output("transitGatewayId"),
                association_route_table_id=entry(tables, "spokes"),
                propagation_route_table_ids=(entry(tables, "shared"),),
                endpoint_zone_ids=tuple(entry(zone_ids, s) for s in SSM_ENDPOINT_SERVICES),
            ),
        )
        vpc_id, subnet_ids, group_ids = spoke.vpc_id, spoke.subnet_ids, spoke.security_group_ids
        pulumi.export("spokeVpcId", spoke.vpc_id)
        pulumi.export("spokeSubnetIds", spoke.subnet_ids)
        pulumi.export("spokeSecurityGroupIds", spoke.security_group_ids)
        if spoke.s3_prefix_list_id is not None:
            pulumi.export("spokeS3PrefixListId", spoke.s3_prefix_list_id)
    else:
        first = ctx.first_part()
        assert first is not None
        owner = pulumi.StackReference(ctx.reference_name(first))
        vpc_id = owner.get_output("spokeVpcId")
        subnets = owner.get_output("spokeSubnetIds")
        subnet_ids = {z: entry(subnets, z) for z in spec.zones}
        assert spec.later_groups is not None
        own = WorkloadSecurityGroups(
            f"{spec.spoke_name}-{ctx.stack.part or 2}-groups",
            spec.spoke_name,
            replace(
                spec.later_groups,
                vpc_id=vpc_id,
                s3_prefix_list_id=owner.get_output("spokeS3PrefixListId"),
            ),
        )
        group_ids = own.security_group_ids
    ordered_subnets = tuple(subnet_ids[z] for z in spec.zones)
    for item in spec.workloads:
        if item.iaas is not None:
            IaasWorkload(
                f"{item.name}-iaas",
                replace(
                    item.iaas,
                    subnet_ids={z: subnet_ids[z] for z in spec.zones},
                    security_group_ids=(group_ids[item.name],),
                ),
            )
        for n, args in enumerate(item.paas, start=1):
            PaasWorkload(
                f"{item.name}-paas" if n == 1 else f"{item.name}-paas-{n}",
                replace(args, vpc_id=vpc_id, subnet_ids=ordered_subnets),
            )
        if item.saas is not None:
            SaasWorkload(f"{item.name}-saas", item.saas)
    pulumi.export("workloads", {item.application: dict(item.record) for item in spec.workloads})


def build(ctx: StackContext) -> None:
    """Declare this stack's components; every check runs before the first declaration."""
    if ctx.stack.layer == "landing-zone":
        declare_landing_zone(ctx, landing_zone_spec(ctx))
    else:
        declare_wave(ctx, wave_spec(ctx))
