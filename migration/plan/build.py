"""Assemble plan.yaml from an inventory and its classification (pure; no files, no network).

The engines each answer one question (waves, sizes, addresses, cost, carbon); this module asks
them in order, per target cloud, and writes their answers into the plan-file models, adding the
few things only the whole picture knows: which stack each workload lands in, which inbound
flows its spoke must allow, and what the landing zone must connect to.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from forcelift.migration.classify.model import ClassificationResult
from forcelift.migration.clouds import DEFAULT_REGION, FACTS, Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    ExternalService,
    Inventory,
    Server,
)
from forcelift.migration.plan import carbon, cost, network, onprem_cost, prices, sizing, waves
from forcelift.migration.plan.assessed import assessment_plan
from forcelift.migration.plan.batch import paused_collection
from forcelift.migration.plan.footprint import FOOTPRINTS, workload_resources
from forcelift.migration.plan.money import Money, cloud_money, plan_money
from forcelift.migration.plan.planfile import (
    CloudPlan,
    CloudWavePlan,
    CloudWorkload,
    Connectivity,
    DiskPlan,
    EgressRule,
    Exclusion,
    FlowPlan,
    ForceInfo,
    HybridLink,
    LandingZonePlan,
    NetworkPlan,
    OnPremSummary,
    PaasPlan,
    Plan,
    PlanOptions,
    SaasPlan,
    StackPlan,
    VmPlan,
    WaiverPlan,
    WavePlanEntry,
    WorkloadDecision,
)
from forcelift.migration.plan.saas_egress import egress_fqdns
from forcelift.migration.plan.unsized import ESTIMATED, Resolution, resolve_unsized

MIGRATING = ("SAAS", "PAAS", "IAAS")
_PSN_SERVICES = {
    ExternalService.PNC,
    ExternalService.PND,
    ExternalService.PSN,
    ExternalService.LEDS,
    ExternalService.CJSM,
}
_REMOTE_ACCESS = {Cloud.AZURE: "azure-bastion", Cloud.AWS: "aws-verified-access"}
_TAG_VALUE = re.compile(r"[^\w .:/=+\-@]")
_FORCE_WORDS = re.compile(r"\b(police|constabulary|service|force|and|of|the)\b", re.I)


@dataclass(frozen=True)
class PlanRequest:
    inventory: Inventory
    classification: ClassificationResult
    options: PlanOptions
    sources: tuple[str, ...] = ()
    waivers: tuple[WaiverPlan, ...] = ()
    force_slug: str = ""


def force_slug(name: str) -> str:
    """'Exampleshire Police' -> 'exampleshire' (stack and resource names start with it)."""
    words = _FORCE_WORDS.sub(" ", name.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:24].strip("-")
    if not slug or not slug[0].isalpha():
        slug = ("force-" + slug).strip("-")[:24]
    return slug if len(slug) >= 2 else "force"


def tag_value(text: str) -> str:
    """A tag value both clouds accept (AWS allows letters, digits, spaces and _.:/=+-@)."""
    return _TAG_VALUE.sub("", text).strip()[:256] or "unassigned"


def _decisions(result: ClassificationResult) -> dict[str, str]:
    return {c.application: c.decision.value for c in result.classifications}


def _workload_decisions(
    inventory: Inventory,
    result: ClassificationResult,
    plan: waves.WavePlan,
    owned: sizing.Assignment,
) -> tuple[WorkloadDecision, ...]:
    apps = {a.name: a for a in inventory.applications}
    wave_of = plan.wave_of()
    group_of = {app: g.id for g in plan.move_groups for app in g.applications}
    reason_of = {w.application: "; ".join(w.reasons) for v in plan.waves for w in v.workloads}
    reason_of.update((e.application, e.reason) for e in plan.excluded)
    out = []
    for c in sorted(result.classifications, key=lambda c: c.application):
        app = apps[c.application]
        override = ""
        if c.override is not None:
            override = (
                f"{c.override.decision.value} by {c.override.by} on {c.override.date}: "
                f"{c.override.reason}"
            )
        out.append(
            WorkloadDecision(
                application=c.application,
                decision=c.decision.value,
                strategy=c.strategy.value,
                confidence=c.confidence.value,
                effort=c.effort.value,
                rules=c.rules,
                reasons=c.reasons,
                blockers=c.blockers,
                conflicts=c.conflicts,
                targets={"azure": c.targets.azure, "aws": c.targets.aws},
                override=override,
                owner=app.owner,
                criticality=app.criticality.value,
                classification=app.classification.value,
                category=app.category,
                cost_centre=app.cost_centre,
                servers=tuple(s.name for s in owned.servers.get(c.application, ())),
                wave=wave_of.get(c.application),
                move_group=group_of.get(c.application, ""),
                wave_reason=reason_of.get(c.application, ""),
            )
        )
    return tuple(out)


def _spoke_request(
    cloud: Cloud, number: int, servers: int, has_paas: bool, managed_instance: bool = False
) -> network.NetworkRequest:
    base = network.spoke_request(f"wave-{number}", max(servers, 1), cloud)
    if cloud is not Cloud.AZURE or not has_paas:
        return base
    mi = (
        # a small wave's spoke has no room to carve it later (stacks/azure_program.py)
        (
            network.SubnetRequest(
                name="sql-managed-instance",
                prefix_length=27,
                purpose="SQL Managed Instance (delegated)",
            ),
        )
        if managed_instance
        else ()
    )
    extra = (
        network.SubnetRequest(
            name="app-service", prefix_length=26, purpose="App Service VNet integration (delegated)"
        ),
        network.SubnetRequest(
            name="postgres", prefix_length=28, purpose="PostgreSQL flexible server (delegated)"
        ),
    )
    return base.model_copy(update={"subnets": (*base.subnets, *extra, *mi)})


def _network_plan(net: network.Network) -> NetworkPlan:
    return NetworkPlan(name=net.name, cidr=net.cidr, subnets=net.subnets)


def _vm_plan(vm: sizing.VmSizing, server: Server | None, cloud: Cloud, estimated: bool) -> VmPlan:
    reason = vm.reason
    if estimated:
        reason = f"estimated ({_estimated_reason(server)}): {reason}"
    return VmPlan(
        server=vm.server,
        size=vm.size,
        vcpus=vm.vcpus,
        memory_gib=vm.memory_gib,
        os=vm.os,
        basis=vm.basis.value,
        sql_edition=vm.sql_edition,
        reason=reason,
        sized_by="estimated" if estimated else vm.source,
        forcelift_size=vm.forcelift_size,
        onprem_vcpus=None if server is None else server.cores,
        onprem_memory_gib=None
        if server is None or server.memory_mib is None
        else round(server.memory_mib / 1024, 2),
        assessment=None
        if server is None
        else assessment_plan(server, cloud, vm.forcelift_size or vm.size),
        disks=tuple(
            DiskPlan(
                name=d.name,
                size_gib=math.ceil(d.size_gib),
                type=d.disk_type,
                tier=d.tier,
                iops=d.iops,
            )
            for d in vm.disks
        ),
    )


def _estimated_reason(server: Server | None) -> str:
    if server is None:
        return ESTIMATED
    return f"{server.unsized_reason or 'no size in the export'}; {ESTIMATED}"


def sizing_config(opts: PlanOptions) -> sizing.SizingConfig:
    """The sizing settings a plan was made with (recorded in its options)."""
    return sizing.SizingConfig(
        comfort_factor=opts.comfort_factor,
        mode=opts.sizing_mode,
        family_selection=opts.family_selection,
        azure_families=opts.azure_families,
        aws_families=opts.aws_families,
        burstable=opts.burstable,
        hdd_data_disks=opts.hdd_data_disks,
        source=opts.sizing,
    )


def _paas_plan(p: sizing.PaasSizing) -> PaasPlan:
    return PaasPlan(
        kind=p.kind.value,
        service=p.service,
        tier=p.tier,
        instances=p.instances,
        vcpus=p.vcpus,
        memory_gib=p.memory_gib,
        storage_gib=p.storage_gib,
        replaces=p.replaces,
        os=p.os,
    )


def _inbound_flows(
    app: str,
    incoming: Sequence[Dependency],
    decisions: Mapping[str, str],
    wave_of: Mapping[str, int],
    spoke_cidr: Mapping[int, str],
    onprem: Sequence[str],
    bastion_cidr: str | None,
    has_vms: bool,
) -> tuple[FlowPlan, ...]:
    """Only the flows the dependencies need: deny-by-default spokes open these and no more."""
    flows: dict[tuple[str, int], FlowPlan] = {}
    for dep in incoming:
        if dep.port is None:
            continue
        protocol = "udp" if dep.protocol.lower() == "udp" else "tcp"
        if decisions.get(dep.source) in ("IAAS", "PAAS") and dep.source in wave_of:
            sources = [spoke_cidr[wave_of[dep.source]]]
        elif decisions.get(dep.source) in ("RETAIN", "RETIRE"):
            sources = list(onprem)
        else:
            continue
        for cidr in sources:
            key = (cidr, dep.port)
            flows.setdefault(
                key,
                FlowPlan(
                    name=f"from-{re.sub(r'[^a-z0-9]+', '-', dep.source.lower()).strip('-')[:40]}"
                    f"-{dep.port}",
                    source_cidr=cidr,
                    port=dep.port,
                    protocol=protocol,
                    reason=f"{dep.source} -> {app} ({dep.protocol or protocol}/{dep.port})",
                ),
            )
    if has_vms and bastion_cidr:
        for port in (22, 3389):
            flows.setdefault(
                (bastion_cidr, port),
                FlowPlan(
                    name=f"bastion-{port}",
                    source_cidr=bastion_cidr,
                    port=port,
                    reason="administration through Azure Bastion only",
                ),
            )
    ordered = sorted(flows.values(), key=lambda f: (f.port, f.source_cidr, f.name))
    seen: dict[str, int] = {}
    unique = []
    for flow in ordered:  # rule names must be unique within a security group
        seen[flow.name] = seen.get(flow.name, 0) + 1
        if seen[flow.name] > 1:
            flow = flow.model_copy(update={"name": f"{flow.name}-{seen[flow.name]}"})
        unique.append(flow)
    return tuple(unique)


def _stacks_for_wave(
    cloud: Cloud,
    slug: str,
    number: int,
    workloads: list[CloudWorkload],
    limit: int,
) -> list[tuple[StackPlan, list[CloudWorkload]]]:
    """Split a wave into stacks of at most `limit` estimated resources (in name order)."""
    parts: list[list[CloudWorkload]] = [[]]
    budget = limit - FOOTPRINTS[cloud].spoke
    used = 0
    for workload in sorted(workloads, key=lambda w: w.application):
        size = workload_resources(cloud, workload)
        if size > budget:
            raise InputError(
                f"workload {workload.application!r} alone needs about {size} resources, more "
                f"than a stack may hold ({limit})",
                hint="raise --max-resources-per-stack or split the application",
            )
        if used + size > budget and parts[-1]:
            parts.append([])
            used = 0
        parts[-1].append(workload)
        used += size
    base = f"{slug}-{cloud.value}-wave-{number}"
    out = []
    for i, members in enumerate(parts, start=1):
        name = base if len(parts) == 1 else f"{base}-{i}"
        estimate = FOOTPRINTS[cloud].spoke + sum(workload_resources(cloud, w) for w in members)
        out.append(
            (
                StackPlan(
                    name=name,
                    layer="wave",
                    wave=number,
                    part=None if len(parts) == 1 else i,
                    applications=tuple(w.application for w in members),
                    estimated_resources=estimate,
                ),
                members,
            )
        )
    return out


def _cloud_plan(
    cloud: Cloud,
    req: PlanRequest,
    slug: str,
    plan: waves.WavePlan,
    owned: sizing.Assignment,
    decisions: Mapping[str, str],
    apps: Mapping[str, Application],
    coefficients: carbon.CarbonCoefficients,
    resolution: Resolution,
    money: Money,
) -> CloudPlan:
    opts = req.options
    region = DEFAULT_REGION[cloud]
    snapshot = prices.snapshot_for(cloud, region, opts.price_files)
    sizer = sizing.Sizer(cloud, snapshot, sizing_config(opts))
    planned = {s.name.lower(): s for ss in owned.servers.values() for s in ss}
    pricer = cost.Pricer(
        snapshot,
        cost.CostConfig(
            hybrid_benefit_windows=opts.hybrid_benefit_windows,
            hybrid_benefit_sql=opts.hybrid_benefit_sql,
            currency=money.conversion.currency,
            exchange_rate=money.factor(snapshot),
        ),
    )
    wave_of = plan.wave_of()
    verdicts = {c.application: c for c in req.classification.classifications}
    targets = {
        name: sizer.workload(
            name,
            owned.servers.get(name, ()),
            decisions[name],
            premium_disks=apps[name].criticality.value in ("high", "critical"),
            notes=owned.notes.get(name, ()),
        )
        for name in sorted(apps)
    }
    costs = {name: pricer.workload(t) for name, t in targets.items()}
    footprints = [
        carbon.workload_carbon(name, owned.servers.get(name, ()), t, coefficients, region)
        for name, t in targets.items()
    ]

    has_paas = defaultdict(bool)
    has_mi = defaultdict(bool)
    for name, n in wave_of.items():
        has_paas[n] |= bool(targets[name].paas)
        has_mi[n] |= any(
            p.kind.value == "sql_server" and "managed instance" in p.service.lower()
            for p in targets[name].paas
        )
    spokes = [
        _spoke_request(cloud, w.number, w.server_count, has_paas[w.number], has_mi[w.number])
        for w in plan.waves
    ]
    addresses = network.plan_addresses(
        cloud,
        spokes,
        avoid=network.onprem_ranges(req.inventory.servers),
        options=network.AddressOptions(
            supernet=opts.supernet,
            reserved=tuple(
                network.ReservedRange(cidr=r, name="reserved") for r in opts.reserved_ranges
            ),
        ),
    )
    hub = next(n for n in addresses.networks if n.role == "hub")
    spoke_nets = {
        int(n.name.removeprefix("wave-")): n for n in addresses.networks if n.role == "spoke"
    }
    bastion = next((s.cidr for s in hub.subnets if s.name == "AzureBastionSubnet"), None)
    onprem = tuple(a.cidr for a in addresses.avoided if not a.reason.startswith("reserved"))

    incoming: dict[str, list[Dependency]] = defaultdict(list)  # target -> its callers
    for dep in req.inventory.dependencies:
        if dep.kind is DependencyKind.APPLICATION:
            incoming[dep.target].append(dep)
    workloads: dict[int, list[CloudWorkload]] = defaultdict(list)
    for name, number in sorted(wave_of.items(), key=lambda kv: (kv[1], kv[0])):
        app, target = apps[name], targets[name]
        decision = decisions[name]
        critical = app.criticality.value in ("high", "critical")
        text = getattr(verdicts[name].targets, cloud.value)
        saas = None
        if decision == "SAAS":
            fqdns = egress_fqdns(text)
            saas = SaasPlan(
                service=text,
                fqdns=fqdns,
                note="" if fqdns else "ask the supplier for its egress FQDNs",
            )
        vms = tuple(
            _vm_plan(
                v,
                planned.get(v.server.lower()),
                cloud,
                v.server.lower() in resolution.replacements,
            )
            for v in target.vms
        )
        workloads[number].append(
            CloudWorkload(
                application=name,
                decision=decision,
                wave=number,
                stack="",
                target=text,
                tags={
                    "application": tag_value(name),
                    "owner": tag_value(app.owner),
                    "data-classification": app.classification.value,
                    "cost-centre": tag_value(app.cost_centre),
                    "wave": str(number),
                    "criticality": app.criticality.value,
                },
                critical=critical,
                backup=critical and bool(vms),
                vms=vms,
                paas=tuple(_paas_plan(p) for p in target.paas),
                saas=saas,
                inbound=()
                if decision == "SAAS"
                else _inbound_flows(
                    name,
                    incoming.get(name, ()),
                    decisions,
                    wave_of,
                    {n: s.cidr for n, s in spoke_nets.items()},
                    onprem,
                    bastion if cloud is Cloud.AZURE else None,
                    bool(vms),
                ),
                monthly_cost=costs[name].monthly,
                notes=target.notes,
            )
        )

    lz_stack = f"{slug}-{cloud.value}-landing-zone"
    stacks = [StackPlan(name=lz_stack, layer="landing-zone", estimated_resources=120)]
    cloud_waves, placed = [], []
    for wave in plan.waves:
        names = []
        for stack, members in _stacks_for_wave(
            cloud, slug, wave.number, workloads[wave.number], opts.max_resources_per_stack
        ):
            stacks.append(stack)
            names.append(stack.name)
            stack_tag = {"forcelift-stack": stack.name}
            placed.extend(
                w.model_copy(update={"stack": stack.name, "tags": {**w.tags, **stack_tag}})
                for w in members
            )
        cloud_waves.append(
            CloudWavePlan(
                number=wave.number,
                spoke=_network_plan(spoke_nets[wave.number]),
                stacks=tuple(names),
            )
        )

    national = sorted(
        {
            d.service.value
            for d in req.inventory.dependencies
            if d.service is not None and d.service in _PSN_SERVICES
        }
    )
    egress = tuple(
        EgressRule(application=w.application, service=w.saas.service, fqdns=w.saas.fqdns)
        for w in placed
        if w.saas is not None and w.saas.fqdns
    )
    landing_zone = LandingZonePlan(
        stack=lz_stack,
        hub=_network_plan(hub),
        supernet=addresses.supernet,
        connectivity=Connectivity(
            on_premise_ranges=onprem,
            psn_required=bool(national),
            psn_ranges=tuple(opts.reserved_ranges),
            national_services=tuple(national),
            hybrid_links=tuple(HybridLink(**link.model_dump()) for link in plan.hybrid_links),
        ),
        remote_access=_REMOTE_ACCESS[cloud],  # type: ignore[arg-type]
        saas_egress=egress,
    )
    return CloudPlan(
        cloud=cloud.value,
        region=region,
        secondary_region=FACTS[cloud].region_pairs.get(region, ""),
        landing_zone=landing_zone,
        waves=tuple(cloud_waves),
        workloads=tuple(placed),
        stacks=tuple(stacks),
        cost=cost.cost_summary(list(costs.values()), wave_of, money.conversion.currency),
        carbon=carbon.carbon_summary(footprints, wave_of),
        **cloud_money(money, cloud, snapshot, costs),
    )


def build_plan(req: PlanRequest) -> Plan:
    """The whole plan; raises InputError for constraints no plan can meet."""
    inventory, opts = req.inventory, req.options
    decisions = _decisions(req.classification)
    apps = {a.name: a for a in inventory.applications}
    slug = req.force_slug or force_slug(inventory.force or "force")
    with paused_collection():
        plan = waves.plan_waves(
            inventory.applications,
            inventory.dependencies,
            decisions,
            waves.WaveOptions(
                max_servers_per_wave=opts.wave_max_servers,
                max_applications_per_wave=opts.wave_max_applications,
                pilot=opts.pilot,
                critical_late=opts.critical_late,
            ),
        )
        owned = sizing.assign_servers(inventory)
        resolution, sized_owned = _resolve(inventory, owned)
        coefficients = carbon.carbon_coefficients(None)
        assumptions = onprem_cost.onprem_assumptions(None)
        money = plan_money(req, plan, sized_owned, decisions, assumptions, coefficients, resolution)
        clouds = tuple(
            _cloud_plan(
                Cloud(c),
                req,
                slug,
                plan,
                sized_owned,
                decisions,
                apps,
                coefficients,
                resolution,
                money,
            )
            for c in opts.clouds
        )
        servers = money.estate
        onprem = OnPremSummary(
            cost=money.onprem,
            carbon=carbon.onprem_footprint(servers, coefficients),
            servers=len(inventory.servers),
            cores=sum(s.cores or 0 for s in servers),
            memory_gib=round(sum(s.memory_mib or 0 for s in servers) / 1024, 1),
        )
    return Plan(
        force=ForceInfo(name=inventory.force or slug, slug=slug),
        as_of=req.classification.as_of,
        sources=req.sources,
        options=opts,
        workloads=_workload_decisions(inventory, req.classification, plan, owned),
        waves=tuple(
            WavePlanEntry(
                number=w.number,
                kind=w.kind.value,
                applications=tuple(x.application for x in w.workloads),
                server_count=w.server_count,
                reasons=w.reasons,
                start=money.dates[w.number][0],
                end=money.dates[w.number][1],
            )
            for w in plan.waves
        ),
        excluded=tuple(Exclusion(**e.model_dump()) for e in plan.excluded),
        onprem=onprem,
        clouds=clouds,
        waivers=req.waivers,
        notes=plan.notes,
        sizing=resolution.counts,
        pricing=money.pricing,
        schedule=money.schedule,
    )


def _resolve(
    inventory: Inventory, owned: sizing.Assignment
) -> tuple[Resolution, sizing.Assignment]:
    """Estimate or leave out unsized servers; the assignment the engines size and cost."""
    owners = {
        s.name.lower(): (app, members) for app, members in owned.servers.items() for s in members
    }
    resolution = resolve_unsized(inventory.servers, owners)
    if not resolution.counts.estimated and not resolution.counts.unsized:
        return resolution, owned
    by_server = {e.server.lower(): e for e in resolution.counts.unsized_servers}
    servers: dict[str, tuple[Server, ...]] = {}
    notes = {app: list(n) for app, n in owned.notes.items()}
    for app, members in owned.servers.items():
        kept = []
        for server in members:
            key = server.name.lower()
            if key in resolution.left_out:
                notes.setdefault(app, []).append(f"{server.name}: {by_server[key].reason}")
                continue
            if key in resolution.replacements:
                entry = by_server[key]
                notes.setdefault(app, []).append(
                    f"{server.name}: {entry.vcpus} vCPU, {entry.memory_gib} GiB "
                    f"{entry.reason.split('; ', 1)[-1]}"
                )
            kept.append(resolution.replacements.get(key, server))
        servers[app] = tuple(kept)
    return resolution, sizing.Assignment(
        servers=servers, notes={app: tuple(n) for app, n in notes.items()}
    )
