"""The plan for one target cloud: sizes, costs, carbon, addresses, stacks and the landing zone.

Asks the engines per cloud (a Sizer and Pricer on that cloud's price snapshot), places each
workload in its wave's spoke and stack, and describes the connectivity the landing zone needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import DEFAULT_REGION, FACTS, Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    ExternalService,
    Inventory,
)
from forcelift.migration.inventory.sharing import FlowDirection
from forcelift.migration.plan import carbon, cost, network, prices, sizing, waves
from forcelift.migration.plan.footprint import FOOTPRINTS, workload_resources
from forcelift.migration.plan.money import Money, cloud_money
from forcelift.migration.plan.planfile import (
    CloudPlan,
    CloudWavePlan,
    CloudWorkload,
    Connectivity,
    EgressRule,
    HybridLink,
    LandingZonePlan,
    NetworkPlan,
    PlanOptions,
    SaasPlan,
    StackPlan,
)
from forcelift.migration.plan.saas_egress import egress_fqdns
from forcelift.migration.plan.sharing_plan import CloudSharing
from forcelift.migration.plan.stack_parts import pack_parts
from forcelift.migration.plan.staff_access import plan_staff_access
from forcelift.migration.plan.unsized import Resolution
from forcelift.migration.plan.workload_entries import inbound_flows, paas_plan, tag_value, vm_plan

if TYPE_CHECKING:
    from forcelift.migration.plan.build import PlanRequest

_PSN_SERVICES = {
    ExternalService.PNC,
    ExternalService.PND,
    ExternalService.PSN,
    ExternalService.LEDS,
    ExternalService.CJSM,
}


_REMOTE_ACCESS = {Cloud.AZURE: "azure-bastion", Cloud.AWS: "aws-verified-access"}


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


def agency_api_hosts(
    inventory: Inventory, decisions: Mapping[str, Decision], also: Iterable[str] = ()
) -> set[str]:
    """Moving applications that publish an agency API to a partner (an outbound or two-way api
    flow, or named in `also`: a collaboration's api shared services, PlanRequest.api_hosts):
    each becomes a HostedService with api, which the Azure wave stack fronts with API
    Management in the spoke's own `api-management` subnet."""
    flows = {
        f.application
        for f in inventory.sharing
        if f.api and f.direction in (FlowDirection.OUTBOUND, FlowDirection.BOTH)
    }
    return {a for a in flows | set(also) if decisions.get(a) in (Decision.IAAS, Decision.PAAS)}


def _spoke_request(
    cloud: Cloud,
    number: int,
    servers: int,
    has_paas: bool,
    managed_instance: bool = False,
    agency_api: bool = False,
) -> network.NetworkRequest:
    base = network.spoke_request(f"wave-{number}", max(servers, 1), cloud, agency_api=agency_api)
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


def _stacks_for_wave(
    cloud: Cloud,
    slug: str,
    number: int,
    workloads: list[CloudWorkload],
    limit: int,
) -> list[tuple[StackPlan, list[CloudWorkload]]]:
    """Split a wave into stacks of at most `limit` estimated resources (in name order, cut
    where the cuts stay put when one application changes: stack_parts.py)."""
    budget = limit - FOOTPRINTS[cloud].spoke
    ordered = sorted(workloads, key=lambda w: w.application)
    sizes = []
    for workload in ordered:
        size = workload_resources(cloud, workload)
        if size > budget:
            raise InputError(
                f"workload {workload.application!r} alone needs about {size} resources, more "
                f"than a stack may hold ({limit})",
                hint="raise --max-resources-per-stack or split the application",
            )
        sizes.append((workload.application, size))
    parts = [[ordered[i] for i in part] for part in pack_parts(sizes, budget)]
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


def cloud_plan(
    cloud: Cloud,
    req: PlanRequest,
    slug: str,
    plan: waves.WavePlan,
    owned: sizing.Assignment,
    decisions: Mapping[str, Decision],
    apps: Mapping[str, Application],
    coefficients: carbon.CarbonRates,
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

    has_paas: defaultdict[int, bool] = defaultdict(bool)
    has_mi: defaultdict[int, bool] = defaultdict(bool)
    for name, n in wave_of.items():
        has_paas[n] |= bool(targets[name].paas)
        has_mi[n] |= any(
            p.kind.value == "sql_server" and "managed instance" in p.service.lower()
            for p in targets[name].paas
        )
    api_waves = {
        wave_of[a]
        for a in agency_api_hosts(req.inventory, decisions, req.api_hosts)
        if a in wave_of
    }
    spokes = [
        _spoke_request(
            cloud,
            w.number,
            w.server_count,
            has_paas[w.number],
            has_mi[w.number],
            agency_api=w.number in api_waves,
        )
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
            vm_plan(
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
                paas=tuple(paas_plan(p) for p in target.paas),
                saas=saas,
                inbound=()
                if decision == "SAAS"
                else inbound_flows(
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
    cloud_waves: list[CloudWavePlan] = []
    placed: list[CloudWorkload] = []
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
    fronted, not_fronted = plan_staff_access(
        cloud, slug, placed, apps, owned.servers, req.inventory.dependencies
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
        sharing=CloudSharing(staff_access=fronted, not_fronted=not_fronted),
    )
