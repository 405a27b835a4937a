"""Assemble plan.yaml from an inventory and its classification (pure; no files, no network).

The engines each answer one question (waves, sizes, addresses, cost, carbon); this module asks
them in order, per target cloud, and writes their answers into the plan-file models, adding the
few things only the whole picture knows: which stack each workload lands in, which inbound
flows its spoke must allow, and what the landing zone must connect to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forcelift.migration.classify.model import ClassificationResult, Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import (
    Inventory,
    Server,
)
from forcelift.migration.plan import carbon, onprem_cost, sizing, waves
from forcelift.migration.plan.cloud_plan import cloud_plan, sizing_config
from forcelift.migration.plan.footprint import with_sharing_estimates
from forcelift.migration.plan.money import plan_money
from forcelift.migration.plan.planfile import (
    MIGRATING,
    Exclusion,
    ForceInfo,
    OnPremSummary,
    Plan,
    PlanOptions,
    WaiverPlan,
    WavePlanEntry,
    WorkloadDecision,
)
from forcelift.migration.plan.sharing import partner_sharing, sharing_plan
from forcelift.migration.plan.unsized import Resolution, resolve_unsized
from forcelift.migration.plan.workload_entries import tag_value

_FORCE_WORDS = re.compile(r"\b(police|constabulary|service|force|and|of|the)\b", re.I)


@dataclass(frozen=True)
class PlanRequest:
    inventory: Inventory
    classification: ClassificationResult
    options: PlanOptions
    sources: tuple[str, ...] = ()
    waivers: tuple[WaiverPlan, ...] = ()
    force_slug: str = ""
    #: applications that publish an agency API though no inventory flow says so (a
    #: collaboration's `api: true` shared service): their Azure wave spoke reserves the
    #: api-management subnet, which cannot be carved once the address plan is made
    api_hosts: frozenset[str] = frozenset()


def force_slug(name: str) -> str:
    """'Exampleshire Police' -> 'exampleshire' (stack and resource names start with it)."""
    words = _FORCE_WORDS.sub(" ", name.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:24].strip("-")
    if not slug or not slug[0].isalpha():
        slug = ("force-" + slug).strip("-")[:24]
    return slug if len(slug) >= 2 else "force"


def _decisions(result: ClassificationResult) -> dict[str, Decision]:
    return {c.application: c.decision for c in result.classifications}


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
                decision=c.decision,
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


def build_plan(req: PlanRequest) -> Plan:
    """The whole plan; raises InputError for constraints no plan can meet."""
    inventory, opts = req.inventory, req.options
    decisions = _decisions(req.classification)
    apps = {a.name: a for a in inventory.applications}
    slug = req.force_slug or force_slug(inventory.force or "force")
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
    coefficients = carbon.CarbonRates(carbon.carbon_coefficients(None))  # derived once
    assumptions = onprem_cost.onprem_assumptions(None)
    money = plan_money(req, plan, sized_owned, decisions, assumptions, coefficients, resolution)
    clouds = tuple(
        cloud_plan(
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
    clouds = tuple(
        with_sharing_estimates(partner_sharing(c, inventory, decisions, slug)) for c in clouds
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
        sharing=sharing_plan(inventory, decisions),
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


__all__ = ["MIGRATING", "PlanRequest", "build_plan", "force_slug", "sizing_config", "tag_value"]
