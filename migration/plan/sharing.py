"""Sharing with partners in the plan: which flow goes over which connection, and what each
cloud builds for it (pure).

From the inventory's partners and sharing flows and the decisions already made:

- `sharing_plan` gives Plan.sharing: every partner and every flow with its connection and the
  reason (an agency API goes through the internal API gateway, any other flow of a moving
  application over Private Link / a VPC endpoint service, and a flow of an application that
  stays, retires or becomes SaaS is not carried by the cloud at all, with why);
- `partner_sharing` gives one cloud's CloudSharing: a HostedService per moving application
  that serves partners (allow lists = exactly those partners' subscriptions or accounts), a
  ConsumedService per partner whose own private service a moving application uses, and on AWS
  a RAM share of the transit gateway to the partners' OUs or accounts (never organisation-wide).

The regional planner (migration/plan/regional.py) reuses the building blocks, so a shared
service inside a collaboration is named, allowed and counted exactly like a partner's:

- `service_name(text, taken)`: a ≤ 24-character slug unique in `taken` (resource names);
- `hosted_service(...)` / `consumed_service(...)`: one side of a private service;
- `ram_share(name, principals)`: the AWS transit-gateway share;
- `sharing_stack(force, cloud, estimated_resources)`: the `<force>-<cloud>-sharing` StackPlan;
- `with_sharing(cloud_plan, hosted=, consumed=, ram_shares=)`: a CloudPlan with those added
  (kept in name order) and its sharing stack added or re-counted when it consumes anything
  (the wave stacks' own counts: footprint.with_sharing_estimates, once sharing is complete).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.sharing import (
    FlowDirection,
    Partner,
    SharingFlow,
    find_partner,
    partner_lookup,
)
from forcelift.migration.plan.footprint import sharing_stack_resources
from forcelift.migration.plan.planfile import CloudPlan, StackPlan
from forcelift.migration.plan.sharing_plan import (
    CloudSharing,
    ConsumedService,
    HostedService,
    PartnerPlan,
    RamSharePlan,
    SharingFlowPlan,
    SharingPlan,
)
from forcelift.migration.plan.staff_access import dns_label

#: the default port of a flow's protocol when the inventory gives none
DEFAULT_PORTS = {"https": 443, "api": 443, "http": 80, "sftp": 22, "ssh": 22, "smtp": 25}
_RANK = {"OFFICIAL": 0, "OFFICIAL-SENSITIVE": 1}
_MOVING = (Decision.IAAS, Decision.PAAS)
_Named = TypeVar("_Named", HostedService, ConsumedService, RamSharePlan)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def service_name(text: str, taken: Iterable[str] = ()) -> str:
    """A slug of at most 24 characters for resource names, distinct from every name in `taken`
    (a shortened or colliding name keeps a hash of the text)."""
    base = slug(text) or "service"
    used = set(taken)
    name = base if len(base) <= 24 else f"{base[:18].rstrip('-')}-{_digest(text)}"
    if name in used:
        name = f"{base[:18].rstrip('-')}-{_digest(text)}"
    n = 2
    while name in used:
        name = f"{base[:15].rstrip('-')}-{_digest(f'{text}/{n}')}-{n}"[:24].rstrip("-")
        n += 1
    return name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:5]


def partner_label(partner: Partner | None, name: str) -> str:
    """The short name a flow or endpoint is named by: "(CPS)", an alias, or an initialism of a
    long name ("National Crime Agency" → "nca"); else the name itself."""
    if partner is None:
        return name
    bracket = re.search(r"\(([^)]+)\)\s*$", partner.name)
    if bracket:
        return bracket.group(1)
    if partner.aliases:
        return partner.aliases[0]
    capitals = [w for w in re.findall(r"[A-Za-z][\w'-]*", partner.name) if w[0].isupper()]
    return "".join(w[0] for w in capitals) if len(capitals) >= 3 else partner.name


def flow_port(flow: SharingFlow) -> int:
    return flow.port if flow.port is not None else DEFAULT_PORTS.get(flow.protocol, 443)


def highest(classifications: Iterable[str]) -> str:
    """The highest classification of a service's flows (OFFICIAL when none)."""
    return max(classifications, key=lambda c: _RANK.get(c, 1), default="OFFICIAL")


def connection(flow: SharingFlow, decision: Decision | None) -> tuple[str, str]:
    """How the cloud carries a flow, and why (or why it does not)."""
    app = flow.application
    if decision is None:
        return "none", f"{app} is not in this plan's classification: nothing is built for it"
    if decision == Decision.RETAIN:
        return "none", f"{app} stays on premise: the flow keeps its existing connection"
    if decision == Decision.RETIRE:
        return "none", f"{app} retires: the flow ends with it (or moves to its replacement)"
    if decision == Decision.SAAS:
        return "none", (
            f"{app} becomes SaaS: the supplier's service carries the flow; share through "
            "its own tenant controls"
        )
    if flow.api and flow.direction is FlowDirection.INBOUND:
        return "api-gateway", (
            "the partner's agency API: called through the partner's API gateway over a private "
            "endpoint in this force's network, never over the internet"
        )
    if flow.api:
        return "api-gateway", (
            "an agency API: published through the internal API gateway (API Management in "
            "internal mode / a private API Gateway) over private connectivity"
        )
    if flow.direction is FlowDirection.INBOUND:
        return "private-link", (
            "the partner's service is reached through a private endpoint in this force's "
            "network (Private Link / interface endpoint), never over the internet"
        )
    return "private-link", (
        "offered to the named partner only: a Private Link service / VPC endpoint service "
        "whose allow list is exactly the partner's subscriptions or accounts"
    )


def _partner_plan(p: Partner) -> PartnerPlan:
    return PartnerPlan(
        name=p.name,
        kind=p.kind.value,
        cloud=p.cloud,
        azure_subscriptions=tuple(sorted(p.azure_subscriptions)),
        aws_accounts=tuple(sorted(p.aws_accounts)),
        aws_organization_unit=p.aws_organization_unit,
        endpoint=p.endpoint,
    )


def sharing_plan(
    inventory: Inventory, decisions: Mapping[str, Decision], collaboration: str = ""
) -> SharingPlan | None:
    """Plan.sharing, or None when the inventory names no partner and no flow."""
    return plan_flows(inventory.partners, inventory.sharing, decisions, collaboration)


def plan_flows(
    partners: Sequence[Partner],
    flows: Sequence[SharingFlow],
    decisions: Mapping[str, Decision],
    collaboration: str = "",
) -> SharingPlan | None:
    """Plan.sharing from partners and flows, or None when there are neither."""
    if not partners and not flows:
        return None
    lookup = partner_lookup(partners)
    planned: list[SharingFlowPlan] = []
    taken: set[str] = set()
    for flow in sorted(flows, key=_flow_key):
        partner = find_partner(lookup, flow.partner)
        words = [flow.application, partner_label(partner, flow.partner), flow.data]
        name = dns_label(" ".join(w for w in words if w) or "flow")
        if name in taken:
            name = dns_label(f"{name}-{_digest(repr(_flow_key(flow)))}")
        taken.add(name)
        kind, reason = connection(flow, decisions.get(flow.application))
        planned.append(
            SharingFlowPlan(
                name=name,
                application=flow.application,
                partner=partner.name if partner else flow.partner,
                data=flow.data,
                direction=flow.direction.value,
                classification=flow.classification.value,
                protocol=flow.protocol,
                api=flow.api,
                port=flow_port(flow),
                agreement=flow.agreement,
                connection=kind,  # type: ignore[arg-type]
                reason=reason,
            )
        )
    return SharingPlan(
        collaboration=collaboration,
        partners=tuple(_partner_plan(p) for p in sorted(partners, key=lambda p: p.name)),
        flows=tuple(sorted(planned, key=lambda f: f.name)),
    )


def _flow_key(flow: SharingFlow) -> tuple[str, ...]:
    return (
        flow.application,
        flow.partner.casefold(),
        flow.data,
        flow.direction.value,
        flow.protocol,
        str(flow.port),
        flow.agreement,
    )


def hosted_service(
    name: str,
    application: str,
    stack: str,
    flows: Sequence[SharingFlowPlan],
    consumers: Sequence[str],
    allowed_subscriptions: Iterable[str] = (),
    allowed_accounts: Iterable[str] = (),
) -> HostedService:
    """The host side of one private service: port, API and auth, agreements from its flows.

    An agency API is checked with a client certificate unless a flow's protocol says OAuth.
    """
    api = any(f.api for f in flows)
    oauth = any("oauth" in f.protocol for f in flows if f.api)
    return HostedService(
        name=name,
        application=application,
        stack=stack,
        port=min((f.port for f in flows), default=443),
        api=api,
        api_auth=("oauth" if oauth else "client-certificate") if api else "",
        classification=highest(f.classification for f in flows),
        agreements=tuple(sorted({f.agreement for f in flows if f.agreement})),
        consumers=tuple(sorted(set(consumers))),
        allowed_subscriptions=tuple(sorted(set(allowed_subscriptions))),
        allowed_accounts=tuple(sorted(set(allowed_accounts))),
    )


def consumed_service(
    name: str,
    provider: str,
    force: str,
    cloud: str,
    flows: Sequence[SharingFlowPlan],
    *,
    endpoint: str = "",
    source_stack: str = "",
    source_name: str = "",
) -> ConsumedService:
    """The consumer side, in this force's sharing stack, with a private DNS name of its own."""
    return ConsumedService(
        name=name,
        provider=provider,
        stack=sharing_stack_name(force, cloud),
        source_stack=source_stack,
        source_name=source_name,
        endpoint=endpoint,
        port=min((f.port for f in flows), default=443),
        dns_name=f"{name}.share.{force}.internal",
        agreements=tuple(sorted({f.agreement for f in flows if f.agreement})),
        classification=highest(f.classification for f in flows),
    )


def ram_share(name: str, principals: Iterable[str]) -> RamSharePlan:
    """A RAM share of the transit gateway to an OU or named accounts (never the organisation)."""
    return RamSharePlan(name=name, principals=tuple(sorted(set(principals))))


def sharing_stack_name(force: str, cloud: str) -> str:
    return f"{force}-{cloud}-sharing"


def sharing_stack(force: str, cloud: str, estimated_resources: int) -> StackPlan:
    """The third layer: deployed after every wave, it reaches the services this force uses."""
    return StackPlan(
        name=sharing_stack_name(force, cloud),
        layer="sharing",
        estimated_resources=estimated_resources,
    )


def with_sharing(
    plan: CloudPlan,
    *,
    hosted: Sequence[HostedService] = (),
    consumed: Sequence[ConsumedService] = (),
    ram_shares: Sequence[RamSharePlan] = (),
) -> CloudPlan:
    """`plan` with these services added to CloudPlan.sharing (name order) and, when it consumes
    anything, its `<force>-<cloud>-sharing` stack added (or re-counted) after the waves."""
    old = plan.sharing
    sharing = CloudSharing(
        hosted=_by_name((*old.hosted, *hosted)),
        consumed=_by_name((*old.consumed, *consumed)),
        ram_shares=_by_name((*old.ram_shares, *ram_shares)),
        staff_access=old.staff_access,
        not_fronted=old.not_fronted,
    )
    stacks = tuple(s for s in plan.stacks if s.layer != "sharing")
    plan = plan.model_copy(update={"sharing": sharing})
    if sharing.consumed:
        name = sharing.consumed[0].stack
        force = name.removesuffix(f"-{plan.cloud}-sharing")
        count = sharing_stack_resources(Cloud(plan.cloud), plan, name)
        stacks = (*stacks, sharing_stack(force, plan.cloud, count))
    return plan.model_copy(update={"stacks": stacks})


def _by_name(items: Iterable[_Named]) -> tuple[_Named, ...]:
    return tuple(sorted(items, key=lambda s: s.name))


def partner_sharing(
    plan: CloudPlan, inventory: Inventory, decisions: Mapping[str, Decision], force: str
) -> CloudPlan:
    """`plan` with the single force's partner services (host and consumer sides) added."""
    sharing = sharing_plan(inventory, decisions)
    if sharing is None:
        return plan
    return cloud_partner_sharing(plan, inventory.partners, sharing, decisions, force)


def cloud_partner_sharing(
    plan: CloudPlan,
    partner_list: Sequence[Partner],
    sharing: SharingPlan,
    decisions: Mapping[str, Decision],
    force: str,
) -> CloudPlan:
    """One cloud's partner services from the planned flows: a HostedService per moving
    application that serves partners, a ConsumedService per partner endpoint it uses, and on
    AWS a RAM share of the transit gateway to those partners' OUs or accounts."""
    cloud = plan.cloud
    partners = {p.name: p for p in partner_list}
    stack_of = {w.application: w.stack for w in plan.workloads}
    carried = [
        f
        for f in sharing.flows
        if f.connection != "none"
        and decisions.get(f.application) in _MOVING
        and f.application in stack_of
    ]
    hosted: list[HostedService] = []
    taken = {h.name for h in plan.sharing.hosted} | {c.name for c in plan.sharing.consumed}
    by_app: dict[str, list[SharingFlowPlan]] = {}
    for f in carried:
        if f.direction in (FlowDirection.OUTBOUND, FlowDirection.BOTH):
            by_app.setdefault(f.application, []).append(f)
    for app, flows in sorted(by_app.items()):
        named = [partners[f.partner] for f in flows if f.partner in partners]
        name = service_name(app, taken)
        taken.add(name)
        hosted.append(
            hosted_service(
                name,
                app,
                stack_of[app],
                flows,
                [f.partner for f in flows],
                allowed_subscriptions=(
                    s for p in named for s in p.azure_subscriptions if cloud == "azure"
                ),
                allowed_accounts=(a for p in named for a in p.aws_accounts if cloud == "aws"),
            )
        )
    consumed: list[ConsumedService] = []
    by_partner: dict[str, list[SharingFlowPlan]] = {}
    for f in carried:
        partner = partners.get(f.partner)
        if (
            f.direction in (FlowDirection.INBOUND, FlowDirection.BOTH)
            and partner is not None
            and partner.endpoint
            and partner.cloud in ("", cloud)
        ):
            by_partner.setdefault(partner.name, []).append(f)
    for provider, flows in sorted(by_partner.items()):
        partner = partners[provider]
        name = service_name(partner_label(partner, provider), taken)
        taken.add(name)
        consumed.append(
            consumed_service(name, provider, force, cloud, flows, endpoint=partner.endpoint)
        )
    shares: list[RamSharePlan] = []
    if cloud == "aws":
        # Partners reach hosted services through endpoint services (PrivateLink works across
        # organisations); the transit gateway is shared only inside our organisation, so only
        # with a partner OU written as an ARN. RAM cannot reach an outside account with
        # external principals off, and FL-SHR-001 forbids turning them on.
        principals = {
            p.aws_ou_arn
            for h in hosted
            for p in (partners[c] for c in h.consumers if c in partners)
            if p.aws_ou_arn
        }
        if principals:
            shares.append(ram_share(f"{force}-partners-transit-gateway", principals))
    if not hosted and not consumed and not shares:
        return plan
    return with_sharing(plan, hosted=hosted, consumed=consumed, ram_shares=shares)
