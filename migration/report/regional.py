"""The regional report: each force's own report in report/<slug>/, and one overview page.

The overview (report/index.html) is what a collaboration board reads: the forces and their
state, one picture of who shares what across forces and partner agencies (flows and shared
services, agreements marked where missing), the shared services host -> consumers, the
shared-product candidates, and a link to each force's full report. Self-contained like the
force reports (inline CSS and SVG, nothing fetched) and byte-stable for the same inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from forcelift.migration.report.inputs import ReportInputs
from forcelift.migration.report.sharing import flow_links, sharing_view
from forcelift.migration.report.sharing_svg import Link, sharing_svg
from forcelift.migration.report.style import cloud_label

if TYPE_CHECKING:
    from forcelift.migration.plan.planfile import Plan
    from forcelift.migration.plan.regional import RegionalPlan, SharedServicePlan
    from forcelift.migration.plan.sharing_plan import SharedProductCandidate

MOVING = ("SAAS", "PAAS", "IAAS")


@dataclass(frozen=True)
class ForceRow:
    slug: str
    name: str
    clouds: str
    applications: int
    moving: int
    flows: int
    missing_agreements: int
    hosted: int
    consumed: int
    staff_access: int
    findings: int
    blocking: int
    link: str  # relative to report/index.html


@dataclass(frozen=True)
class RegionalView:
    name: str
    slug: str
    as_of: str
    forces: tuple[ForceRow, ...]
    services: tuple[SharedServicePlan, ...]
    products: tuple[SharedProductCandidate, ...]
    svg: str
    flows: int
    missing_agreements: int


def _force_row(plan: Plan, inputs: ReportInputs | None) -> ForceRow:
    from forcelift.migration.policy.check import blocking

    view = sharing_view(plan)
    findings = list(inputs.findings) if inputs else []
    return ForceRow(
        slug=plan.force.slug,
        name=plan.force.name,
        clouds=", ".join(cloud_label(c.cloud) for c in plan.clouds),
        applications=len(plan.workloads),
        moving=sum(1 for w in plan.workloads if str(w.decision) in MOVING),
        flows=len(view.flows) if view else 0,
        missing_agreements=view.missing_agreements if view else 0,
        hosted=sum(len(c.sharing.hosted) for c in plan.clouds),
        consumed=sum(len(c.sharing.consumed) for c in plan.clouds),
        staff_access=view.staff_rows if view else 0,
        findings=len(findings),
        blocking=len(blocking(findings)),
        link=f"{plan.force.slug}/index.html",
    )


def _products(regional: RegionalPlan) -> tuple[SharedProductCandidate, ...]:
    """The candidates every member carries, once each (by product)."""
    seen: dict[str, SharedProductCandidate] = {}
    for plan in regional.forces:
        for candidate in plan.sharing.shared_products if plan.sharing else ():
            seen.setdefault(candidate.product.casefold(), candidate)
    return tuple(sorted(seen.values(), key=lambda c: c.product.casefold()))


def regional_links(regional: RegionalPlan) -> list[Link]:
    """Every force's partner flows and every shared service (host -> each consumer)."""
    names = {f.slug: f.name for f in regional.collaboration.forces}
    # a shared service is drawn once, host -> consumer; the members' flows that stand for it
    # (partner a force, or the host's flow to a consuming partner) are not drawn again
    served = {
        (s.host, s.application.casefold(), c.casefold())
        for s in regional.collaboration.shared_services
        for c in s.consumers
    }
    links: list[Link] = []
    for plan in regional.forces:
        view = sharing_view(plan)
        if view is None:
            continue
        flows = tuple(
            f
            for f in view.flows
            if f.partner not in names
            and (plan.force.slug, f.application.casefold(), f.partner.casefold()) not in served
        )
        links.extend(flow_links(flows, view.partners, prefix=f"{plan.force.name} · "))
    for service in regional.collaboration.shared_services:
        for consumer in service.consumers:
            links.append(
                Link(
                    left=f"{names.get(service.host, service.host)} · {service.application}",
                    right=names.get(consumer, consumer),
                    data=service.name,
                    connection="api-gateway" if service.api else "private-link",
                    agreement=service.agreement,
                    left_note=f"hosts · {service.classification}",
                    right_note="force" if consumer in names else "partner",
                )
            )
    return links


def regional_view(
    regional: RegionalPlan, per_force: Mapping[str, ReportInputs] | None = None
) -> RegionalView:
    per_force = per_force or {}
    forces = tuple(_force_row(p, per_force.get(p.force.slug)) for p in regional.forces)
    links = regional_links(regional)
    info = regional.collaboration
    return RegionalView(
        name=info.name,
        slug=info.slug,
        as_of=regional.as_of.isoformat(),
        forces=forces,
        services=info.shared_services,
        products=_products(regional),
        svg=sharing_svg(
            "regional",
            f"{info.name}: sharing between forces and partner agencies",
            "Forces and their applications",
            "Consuming forces and partners",
            links,
        )
        if links
        else "",
        flows=len(links),
        missing_agreements=sum(1 for k in links if not k.agreement.strip()),
    )


def render_regional_index(view: RegionalView) -> str:
    import markupsafe

    from forcelift.migration.report.html import _asset, environment

    template = environment().get_template("regional.html.j2")
    return template.render(
        r=view,
        svg=markupsafe.Markup(view.svg),
        css=markupsafe.Markup(_asset("report.css")),
    )


def write_regional_report(
    regional: RegionalPlan, per_force: Mapping[str, ReportInputs], out_dir: Path
) -> list[Path]:
    """out_dir/<slug>/ (each force's report, from its own inputs) and out_dir/index.html.

    A force without inputs in `per_force` gets a report of its plan alone (not previewed).
    Returns the paths written, the overview last.
    """
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.migration.report.write import write_report

    paths: list[Path] = []
    for plan in regional.forces:
        inputs = per_force.get(plan.force.slug) or ReportInputs(plan)
        paths.extend(write_report(inputs, out_dir / plan.force.slug))
    index = out_dir / "index.html"
    write_atomic(index, render_regional_index(regional_view(regional, per_force)), force=True)
    paths.append(index)
    return paths
