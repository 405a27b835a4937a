"""The report's sharing section: partners and flows, shared services, products, staff access.

Worked out once from the plan (`Plan.sharing` and each cloud's `CloudPlan.sharing`) for the HTML
page, the Markdown summary and the spreadsheets. A plan that shares nothing and plans no staff
access gives no view at all (None), so its report is the report it was before sharing existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from forcelift.migration.report.sharing_svg import CONNECTION_LABELS, Link, sharing_svg
from forcelift.migration.report.style import cloud_label

if TYPE_CHECKING:
    from forcelift.migration.plan.planfile import CloudPlan, Plan
    from forcelift.migration.plan.sharing_plan import SharedProductCandidate, SharingFlowPlan

METHOD_LABELS = {
    "front-door-private-origin": "Front Door Premium, private origin (WAF, Entra ID)",
    "verified-access": "AWS Verified Access (identity + device trust)",
}
DIRECTION_LABELS = {"outbound": "we provide", "inbound": "partner provides", "both": "both ways"}


@dataclass(frozen=True)
class PartnerRow:
    name: str
    kind: str
    cloud: str


@dataclass(frozen=True)
class FlowRow:
    name: str
    application: str
    partner: str
    data: str
    direction: str
    direction_label: str
    classification: str
    protocol: str
    port: int
    api: bool
    agreement: str
    connection: str
    connection_label: str
    reason: str

    @property
    def missing_agreement(self) -> bool:
        return not self.agreement.strip()


@dataclass(frozen=True)
class ServiceRow:
    role: str  # "hosted" (we provide it) or "consumed" (we reach it)
    name: str
    application: str  # hosted: our application; consumed: the provider
    parties: tuple[str, ...]  # hosted: consumers; consumed: (provider,)
    port: int
    agreements: tuple[str, ...]
    classification: str
    detail: str  # who may connect, or the private DNS name


@dataclass(frozen=True)
class StaffRow:
    application: str
    method: str
    method_label: str
    hostname: str
    identity: str
    public: bool
    reason: str


@dataclass(frozen=True)
class CloudSharingView:
    cloud: str
    label: str
    services: tuple[ServiceRow, ...]
    ram_shares: tuple[tuple[str, tuple[str, ...]], ...]  # share name, principals
    staff: tuple[StaffRow, ...]
    not_fronted: tuple[tuple[str, str], ...]  # application, reason


@dataclass(frozen=True)
class SharingView:
    collaboration: str
    partners: tuple[PartnerRow, ...]
    flows: tuple[FlowRow, ...]
    products: tuple[SharedProductCandidate, ...]
    clouds: tuple[CloudSharingView, ...]
    force: str = ""

    @property
    def missing_agreements(self) -> int:
        return sum(1 for f in self.flows if f.missing_agreement)

    @property
    def staff_rows(self) -> int:
        return sum(len(c.staff) for c in self.clouds)

    @property
    def not_fronted_rows(self) -> int:
        return sum(len(c.not_fronted) for c in self.clouds)

    @property
    def svg(self) -> str:
        """The flows picture (inline SVG markup); "" when there are no flows."""
        if not self.flows:
            return ""
        return sharing_svg(
            "sharing",
            f"{self.force or 'The force'}: sharing flows with partners",
            f"{self.force or 'Our'} applications".strip(),
            "Partners",
            flow_links(self.flows, self.partners),
        )


def flow_links(
    flows: tuple[FlowRow, ...], partners: tuple[PartnerRow, ...], prefix: str = ""
) -> list[Link]:
    kinds = {p.name.casefold(): p.kind for p in partners}
    return [
        Link(
            left=f"{prefix}{f.application}",
            right=f.partner,
            data=f.data,
            connection=f.connection,
            agreement=f.agreement,
            direction=f.direction,
            left_note=f.classification,
            right_note=kinds.get(f.partner.casefold(), ""),
        )
        for f in flows
    ]


def flow_row(f: SharingFlowPlan) -> FlowRow:
    return FlowRow(
        name=f.name,
        application=f.application,
        partner=f.partner,
        data=f.data,
        direction=f.direction,
        direction_label=DIRECTION_LABELS.get(f.direction, f.direction),
        classification=f.classification,
        protocol=f.protocol,
        port=f.port,
        api=f.api,
        agreement=f.agreement,
        connection=f.connection,
        connection_label=CONNECTION_LABELS.get(f.connection, f.connection),
        reason=f.reason,
    )


def _cloud_view(cloud: CloudPlan) -> CloudSharingView | None:
    sharing = cloud.sharing
    name = cloud.cloud
    if not (
        sharing.hosted
        or sharing.consumed
        or sharing.ram_shares
        or sharing.staff_access
        or sharing.not_fronted
    ):
        return None
    services = [
        ServiceRow(
            "hosted",
            h.name,
            h.application,
            h.consumers,
            h.port,
            h.agreements,
            h.classification,
            ", ".join((*h.allowed_subscriptions, *h.allowed_accounts)) or "nobody named",
        )
        for h in sharing.hosted
    ] + [
        ServiceRow(
            "consumed",
            c.name,
            c.provider,
            (c.provider,),
            c.port,
            c.agreements,
            c.classification,
            c.dns_name,
        )
        for c in sharing.consumed
    ]
    return CloudSharingView(
        cloud=name,
        label=cloud_label(name),
        services=tuple(services),
        ram_shares=tuple((r.name, r.principals) for r in sharing.ram_shares),
        staff=tuple(
            StaffRow(
                s.application,
                s.method,
                METHOD_LABELS.get(s.method, s.method),
                s.hostname,
                s.identity,
                s.public,
                s.reason,
            )
            for s in sorted(sharing.staff_access, key=lambda s: s.application.casefold())
        ),
        not_fronted=tuple(
            (n.application, n.reason)
            for n in sorted(sharing.not_fronted, key=lambda n: n.application.casefold())
        ),
    )


def sharing_view(plan: Plan) -> SharingView | None:
    """The section's content, or None when the plan has no sharing and no staff access."""
    clouds = tuple(v for v in (_cloud_view(c) for c in plan.clouds) if v is not None)
    sharing = plan.sharing
    if sharing is None and not clouds:
        return None
    return SharingView(
        collaboration=sharing.collaboration if sharing else "",
        partners=tuple(PartnerRow(p.name, p.kind, p.cloud) for p in sharing.partners)
        if sharing
        else (),
        flows=tuple(flow_row(f) for f in sharing.flows) if sharing else (),
        products=sharing.shared_products if sharing else (),
        clouds=clouds,
        force=plan.force.name,
    )
