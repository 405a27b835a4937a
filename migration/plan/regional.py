"""Several forces in one plan: each force keeps its own Plan; shared services are placed once.

A regional collaboration (issue 12) names its forces, the partner agencies they all know and
the services one force hosts for the others. Every force is planned on its own, exactly as a
single force is (own landing zone, own keys and logs); this module only joins them: the host
force's cloud plans get the host side of each shared service (a private service whose allow
list is exactly the consumers' subscriptions / accounts), each consuming force gets the
consumer side in its `<force>-<cloud>-sharing` stack, and forces that run the same product
are reported as candidates for one shared tenant or deployment — a finding, never a merge.
Pure: plans in, plan out; the same inputs give the same plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from forcelift.migration.classify.model import Decision
from forcelift.migration.errors import InputError, Location
from forcelift.migration.plan.footprint import with_sharing_estimates
from forcelift.migration.plan.planfile import (
    PLAN_SCHEMA_VERSION,
    CloudPlan,
    ForceInfo,
    Plan,
    PlanOptions,
)
from forcelift.migration.plan.regional_allow import allow_lists, missing_ids
from forcelift.migration.plan.sharing import (
    consumed_service,
    hosted_service,
    ram_share,
    service_name,
    slug,
    with_sharing,
)
from forcelift.migration.plan.sharing_plan import (
    RamSharePlan,
    SharedProductCandidate,
    SharingFlowPlan,
    SharingPlan,
)

if TYPE_CHECKING:
    from forcelift.migration.inventory.collaboration import Collaboration, SharedService
    from forcelift.migration.inventory.model import Inventory

_HOSTING = (Decision.IAAS, Decision.PAAS)  # only these run in the force's own network


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SharedServicePlan(_Model):
    """A shared service of the collaboration file, as the regional plan records it."""

    name: str
    slug: str
    host: str
    application: str
    consumers: tuple[str, ...]
    agreement: str
    classification: str
    protocol: str
    port: int
    api: bool
    data: str = ""


class CollaborationInfo(_Model):
    name: str
    slug: str
    forces: tuple[ForceInfo, ...]
    shared_services: tuple[SharedServicePlan, ...] = ()


class RegionalPlan(_Model):
    """One plan file for several forces; each member is exactly what that force's stacks read."""

    schema_version: str = PLAN_SCHEMA_VERSION
    kind: Literal["regional"] = "regional"
    collaboration: CollaborationInfo
    as_of: dt.date
    forces: tuple[Plan, ...]  # in the collaboration file's order

    def force(self, slug: str) -> Plan:
        return next(p for p in self.forces if p.force.slug == slug)


@dataclass(frozen=True)
class PlannedForce:
    """One force's planned inputs: its plan, inventory and the catalogue products it runs."""

    slug: str
    plan: Plan
    inventory: Inventory
    #: application -> catalogue product labels ("Niche RMS"), matched by the pipeline
    catalogue_products: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: product_key()s of what the catalogue calls a platform (a database engine, a web server):
    #: two forces running Oracle under different applications do not run the same product
    platform_products: frozenset[str] = frozenset()


def product_key(vendor: str, product: str) -> str:
    """'NICHE TECHNOLOGY', ' niche  rms' -> 'niche technology niche rms'."""
    return " ".join(f"{vendor} {product}".casefold().split())


#: SaaS targets that name no product ("existing SaaS": already a supplier's service)
_GENERIC_TARGETS = ("existing saas",)


def slugify(text: str, limit: int = 24) -> str:
    """'Regional Organised Crime Unit intelligence' -> 'regional-organised-crime'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "shared"


def build_regional_plan(
    collaboration: Collaboration,
    planned_forces: Sequence[PlannedForce],
    options: PlanOptions | None = None,
) -> RegionalPlan:
    """Join the forces' plans: shared services placed once, consumers wired, products compared.

    `options` is recorded by each member already; it is taken only to name the clouds when no
    force is planned for one (the members are all planned with the same options).
    """
    del options  # every member carries the options it was planned with
    by_slug = {p.slug: p for p in planned_forces}
    services = tuple(
        _service_plan(s, collaboration, by_slug) for s in collaboration.shared_services
    )
    plans = {p.slug: p.plan for p in planned_forces}
    for service in services:
        plans = _place(service, collaboration, plans)
    candidates = shared_products(planned_forces)
    members = []
    for planned in planned_forces:
        plan = plans[planned.slug]  # every service placed: its stacks counted once, now
        plan = plan.model_copy(
            update={"clouds": tuple(with_sharing_estimates(c) for c in plan.clouds)}
        )
        sharing = plan.sharing or SharingPlan()
        mine = tuple(c for c in candidates if planned.slug in c.forces)
        sharing = sharing.model_copy(
            update={"collaboration": collaboration.name, "shared_products": mine}
        )
        members.append(plan.model_copy(update={"sharing": sharing}))
    forces = tuple(ForceInfo(name=p.plan.force.name, slug=p.slug) for p in planned_forces)
    as_of = planned_forces[0].plan.as_of if planned_forces else dt.date.today()
    return RegionalPlan(
        collaboration=CollaborationInfo(
            name=collaboration.name,
            slug=collaboration.slug,
            forces=forces,
            shared_services=services,
        ),
        as_of=as_of,
        forces=tuple(members),
    )


# --- shared services ---------------------------------------------------------------------------


def _service_plan(
    service: SharedService, collaboration: Collaboration, forces: Mapping[str, PlannedForce]
) -> SharedServicePlan:
    where = Location(file=str(collaboration.directory), column="shared_services")
    if service.host not in forces:
        raise InputError(f"shared service {service.name!r}: no force {service.host!r}", where)
    apps = {a.name.lower(): a.name for a in forces[service.host].inventory.applications}
    if service.application.lower() not in apps:
        raise InputError(
            f"shared service {service.name!r}: {service.host} has no application "
            f"{service.application!r}",
            where,
        )
    partners = {p.name.lower() for p in collaboration.partners}
    for consumer in service.consumers:
        if consumer not in forces and consumer.lower() not in partners:
            raise InputError(
                f"shared service {service.name!r}: consumer {consumer!r} is neither a force "
                "of the collaboration nor one of its partners",
                where,
            )
    return SharedServicePlan(
        name=service.name,
        slug=slugify(service.name),
        host=service.host,
        application=apps[service.application.lower()],
        consumers=tuple(service.consumers),
        agreement=service.agreement,
        classification=str(getattr(service.classification, "value", service.classification)),
        protocol=service.protocol,
        port=service.port,
        api=service.api,
        data=service.data,
    )


def _host_stack(cloud: CloudPlan, application: str) -> tuple[str, Decision] | None:
    workload = next((w for w in cloud.workloads if w.application == application), None)
    return (workload.stack, workload.decision) if workload is not None else None


def _taken(cloud: CloudPlan) -> set[str]:
    return {h.name for h in cloud.sharing.hosted} | {c.name for c in cloud.sharing.consumed}


def _place(
    service: SharedServicePlan, collaboration: Collaboration, plans: dict[str, Plan]
) -> dict[str, Plan]:
    """The host side into the host's cloud plans, the consumer side into each consumer's."""
    plans = dict(plans)
    host = plans[service.host]
    subscriptions, accounts = allow_lists(service, collaboration)
    flows = tuple(_flow(service, c, "outbound", True) for c in service.consumers)
    host_clouds = []
    placed: dict[str, tuple[str, str]] = {}  # cloud -> (host wave stack, hosted name)
    notes: list[str] = []
    for cloud in host.clouds:
        found = _host_stack(cloud, service.application)
        if found is None or found[1] not in _HOSTING:
            how = "does not move" if found is None else f"moves to {found[1].value}"
            notes.append(
                f"shared service {service.name!r}: {service.application} {how} on "
                f"{cloud.cloud}, so {service.host} hosts no private service for it there; "
                "the consumers need another route (agree it with the host force)"
            )
            host_clouds.append(cloud)
            continue
        name = service_name(service.slug, _taken(cloud))
        hosted = hosted_service(
            name,
            service.application,
            found[0],
            flows,
            service.consumers,
            allowed_subscriptions=subscriptions if cloud.cloud == "azure" else (),
            allowed_accounts=accounts if cloud.cloud == "aws" else (),
        )
        shares: tuple[RamSharePlan, ...] = ()
        if cloud.cloud == "aws":
            cloud, shares = _ram_shares(cloud, service, collaboration)
        placed[cloud.cloud] = (found[0], name)
        notes += missing_ids(service, collaboration, cloud.cloud)
        host_clouds.append(with_sharing(cloud, hosted=(hosted,), ram_shares=shares))
    if not placed:
        flows = tuple(_flow(service, c, "outbound", False) for c in service.consumers)
    plans[service.host] = _with_flows(
        host.model_copy(update={"clouds": tuple(host_clouds), "notes": (*host.notes, *notes)}),
        flows,
    )
    for consumer in service.consumers:
        if consumer not in plans or consumer == service.host:
            continue
        plans[consumer] = _consume(plans[consumer], service, placed)
    return plans


def _ram_shares(
    cloud: CloudPlan, service: SharedServicePlan, collaboration: Collaboration
) -> tuple[CloudPlan, tuple[RamSharePlan, ...]]:
    """AWS: the host's transit gateway shared with the consuming forces only (the collaboration
    OU when the file names one, else their accounts); partner agencies reach the service
    through its endpoint service alone, never the transit gateway. One share per
    collaboration: a later service widens it to its consumers (the old one is taken out)."""
    forces = {f.slug: f for f in collaboration.forces}
    principals = {forces[c].aws_account for c in service.consumers if c in forces} - {""}
    if collaboration.aws_collaboration_ou:
        principals = {collaboration.aws_collaboration_ou}
    if not principals:
        return cloud, ()
    name = f"{collaboration.slug}-transit-gateway"
    old = cloud.sharing.ram_shares
    principals |= {p for r in old if r.name == name for p in r.principals}
    kept = tuple(r for r in old if r.name != name)
    cloud = cloud.model_copy(
        update={"sharing": cloud.sharing.model_copy(update={"ram_shares": kept})}
    )
    return cloud, (ram_share(name, principals),)


def _consume(plan: Plan, service: SharedServicePlan, placed: Mapping[str, tuple[str, str]]) -> Plan:
    force = plan.force.slug
    flow = _flow(service, service.host, "inbound", bool(placed), own=force)
    clouds = []
    for cloud in plan.clouds:
        if cloud.cloud not in placed:
            clouds.append(cloud)
            continue
        source_stack, source_name = placed[cloud.cloud]
        consumed = consumed_service(
            service_name(service.slug, _taken(cloud)),
            service.host,
            force,
            cloud.cloud,
            (flow,),
            source_stack=source_stack,
            source_name=source_name,
        )
        clouds.append(with_sharing(cloud, consumed=(consumed,)))
    return _with_flows(plan.model_copy(update={"clouds": tuple(clouds)}), (flow,))


def _flow(
    service: SharedServicePlan, partner: str, direction: str, carried: bool, own: str = ""
) -> SharingFlowPlan:
    """The shared service as a sharing flow of the force's plan (the report and rules read it)."""
    connection: Literal["private-link", "api-gateway", "none"] = "none"
    if carried:
        connection = "api-gateway" if service.api else "private-link"
        front = "its internal API gateway" if service.api else "its private service"
        if own:
            reason = (
                f"shared service hosted by {service.host}: a private endpoint in this force's "
                f"sharing stack to {front}, never over the internet"
            )
        else:
            reason = (
                f"shared service of the collaboration: {front} (Private Link service / VPC "
                "endpoint service) allows exactly the named consumers' subscriptions or accounts"
            )
    else:
        reason = f"{service.application} does not run in {service.host}'s own network"
    return SharingFlowPlan(
        name=slug(f"{service.slug} {own or 'to'} {partner}"),
        # the consumer's flow names the host's application as "<host>/<application>"
        application=f"{service.host}/{service.application}" if own else service.application,
        partner=partner,
        data=service.data or service.name,
        direction=direction,
        classification=service.classification,
        protocol=service.protocol,
        api=service.api,
        port=service.port,
        agreement=service.agreement,
        connection=connection,
        reason=reason,
    )


def _with_flows(plan: Plan, flows: Sequence[SharingFlowPlan]) -> Plan:
    sharing = plan.sharing or SharingPlan()
    known = {f.name for f in sharing.flows}
    added = [f for f in flows if f.name not in known]
    merged = tuple(sorted((*sharing.flows, *added), key=lambda f: f.name))
    return plan.model_copy(update={"sharing": sharing.model_copy(update={"flows": merged})})


# --- shared products ---------------------------------------------------------------------------


def _product_keys(planned: PlannedForce) -> dict[str, list[tuple[str, str, int]]]:
    """application -> [(key, shown name, preference)]: lower preference wins the name."""
    decisions = {w.application: w for w in planned.plan.workloads}
    keys: dict[str, list[tuple[str, str, int]]] = {}
    for app in planned.inventory.applications:
        workload = decisions.get(app.name)
        if workload is None or workload.decision is Decision.RETIRE:
            continue
        found = keys.setdefault(app.name, [])
        for label in planned.catalogue_products.get(app.name, ()):
            found.append((label.casefold(), label, 0))
        if workload.decision is Decision.SAAS:
            for target in sorted(set(workload.targets.values())):
                if target and target.casefold() not in _GENERIC_TARGETS:
                    found.append((target.casefold(), target, 1))
        for product in app.products:
            key = product_key(product.vendor, product.product)
            if key not in planned.platform_products:
                found.append((key, _label(product.vendor, product.product), 2))
    return keys


def _label(vendor: str, product: str) -> str:
    """ "Vendor Product", without repeating a vendor the product name starts with (as the
    catalogue's labels: "Microsoft 365", not "Microsoft Microsoft 365")."""
    first = vendor.split()[0].casefold() if vendor.split() else ""
    return product if not first or product.casefold().startswith(first) else f"{vendor} {product}"


def _subsumed(
    apps: frozenset[tuple[str, str]],
    rank: int,
    better: Sequence[tuple[frozenset[tuple[str, str]], int]],
) -> bool:
    """A product named only by the inventory, whose applications a better-named candidate
    already covers ("Frequentis ICCS 3020" inside "Frequentis ICCS (LifeX)"): one finding."""
    return rank == 2 and any(r < 2 and apps <= other for other, r in better)


def shared_products(planned_forces: Sequence[PlannedForce]) -> tuple[SharedProductCandidate, ...]:
    """Products two or more forces run: one candidate per set of applications, by product."""
    groups: dict[str, dict[tuple[str, str], tuple[str, int]]] = {}
    order = {p.slug: i for i, p in enumerate(planned_forces)}
    decision_of: dict[tuple[str, str], str] = {}
    for planned in planned_forces:
        decision_of.update(
            ((planned.slug, w.application), w.decision.value) for w in planned.plan.workloads
        )
        for app, keys in _product_keys(planned).items():
            for key, shown, rank in keys:
                members = groups.setdefault(key, {})
                members.setdefault((planned.slug, app), (shown, rank))
    chosen: dict[tuple[tuple[str, str], ...], tuple[int, str]] = {}
    for members in groups.values():
        forces = {slug for slug, _ in members}
        if len(forces) < 2:
            continue
        apps = tuple(sorted(members, key=lambda m: (order[m[0]], m[1].lower())))
        shown, rank = min(members.values(), key=lambda v: (v[1], v[0].lower()))
        best = chosen.get(apps)
        if best is None or (rank, shown.lower()) < (best[0], best[1].lower()):
            chosen[apps] = (rank, shown)
    ranked = [(frozenset(apps), rank) for apps, (rank, _) in chosen.items()]
    candidates = [
        _candidate(apps, shown, decision_of)
        for apps, (rank, shown) in chosen.items()
        if not _subsumed(frozenset(apps), rank, ranked)
    ]
    return tuple(sorted(candidates, key=lambda c: (c.product.lower(), c.applications)))


def _candidate(
    apps: tuple[tuple[str, str], ...], product: str, decision_of: Mapping[tuple[str, str], str]
) -> SharedProductCandidate:
    forces = tuple(dict.fromkeys(slug for slug, _ in apps))
    decisions = tuple(decision_of.get(a, "") for a in apps)
    saas = all(d == Decision.SAAS.value for d in decisions)
    if saas:
        reason = (
            f"{len(forces)} forces move {product} to SaaS: one tenant for the region could share "
            "licences, configuration and data under one agreement"
        )
    else:
        reason = (
            f"{len(forces)} forces run {product}: one deployment hosted by one force could serve "
            "the others privately (a finding to weigh, not an automatic merge)"
        )
    return SharedProductCandidate(
        product=product,
        forces=forces,
        applications=tuple(f"{slug}/{app}" for slug, app in apps),
        decisions=decisions,
        suggestion="one shared SaaS tenant" if saas else "one shared deployment",
        reason=reason,
    )
