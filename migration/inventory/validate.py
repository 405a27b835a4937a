"""Checks across the merged inventory: references, cycles, and advisory warnings.

Errors here are things that make the inventory wrong (a dependency on an application that does
not exist); warnings are things an architect should know (no utilisation data, an OS out of
support, powered-off VMs) but that do not stop planning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import networkx as nx

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.lifecycle import is_out_of_support
from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    ExternalService,
    Inventory,
    PowerState,
)
from forcelift.migration.inventory.normalise import external_service
from forcelift.migration.inventory.sharing import (
    Partner,
    SharingFlow,
    find_partner,
    name_key,
    partner_lookup,
)

_SAMPLE = 5


def _sample(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SAMPLE])
    return shown + (f" and {len(names) - _SAMPLE} more" if len(names) > _SAMPLE else "")


def resolve_dependencies(
    dependencies: Sequence[Dependency],
    origins: Sequence[Location],
    applications: Sequence[Application],
    problems: ProblemCollector,
    partners: Sequence[Partner] = (),
) -> list[Dependency]:
    """Mark national services as external, point external dependencies at the partners they
    name (`Dependency.partner`), and report references to unknown applications."""
    known = {a.name.lower(): a.name for a in applications}
    index = partner_lookup(partners)
    resolved = []
    for dep, where in zip(dependencies, origins, strict=True):
        if dep.source.lower() not in known:
            problems.error(
                f"dependency from unknown application {dep.source!r}",
                where,
                hint="add the application, or correct the name",
                code="dangling",
            )
            continue
        dep = dep.model_copy(update={"source": known[dep.source.lower()]})
        if dep.kind is DependencyKind.APPLICATION:
            if dep.target.lower() in known:
                dep = dep.model_copy(update={"target": known[dep.target.lower()]})
            else:
                service = external_service(dep.target)
                if service is None and index and find_partner(index, dep.target):
                    service = ExternalService.PARTNER  # the partner itself: set below
                if service is None:
                    problems.error(
                        f"dependency on unknown application {dep.target!r}",
                        where,
                        hint="add the application, or mark the row kind=external",
                        code="dangling",
                    )
                    continue
                dep = dep.model_copy(update={"kind": DependencyKind.EXTERNAL, "service": service})
        elif dep.service is None:
            service = external_service(dep.target)
            if service is not None:
                dep = dep.model_copy(update={"service": service})
        if dep.partner:  # written in the file (a converted inventory): it must exist
            partner = find_partner(index, dep.partner)
            if partner is None:
                problems.error(
                    f"dependency on unknown partner {dep.partner!r}",
                    replace(where, column=where.column or "partner"),
                    hint="add the partner to `partners:`, or leave `partner` out",
                    code="dangling",
                )
                continue
            dep = dep.model_copy(update={"partner": partner.name})
        elif dep.kind is DependencyKind.EXTERNAL and index:
            partner = find_partner(index, dep.target)
            if partner is not None:
                dep = dep.model_copy(update={"partner": partner.name})
        resolved.append(dep)
    return resolved


def check_partner_names(
    partners: Sequence[Partner], origins: Sequence[Location], problems: ProblemCollector
) -> None:
    """One name (or alias) must mean one partner, or flows and dependencies could not say
    whom they reach; derived initials may clash (they are only a convenience)."""
    claimed: dict[str, tuple[Partner, Location]] = {}
    for partner, where in zip(partners, origins, strict=True):
        for name in dict.fromkeys(name_key(n) for n in (partner.name, *partner.aliases)):
            other = claimed.setdefault(name, (partner, where))
            if other[0] is not partner:
                problems.error(
                    f"duplicate partner: {name!r} names both {other[0].name!r} (at {other[1]}) "
                    f"and {partner.name!r}",
                    replace(where, column=where.column or "aliases"),
                    hint="a partner's name and aliases must not be another partner's",
                    code="duplicate",
                )


def resolve_sharing(
    flows: Sequence[SharingFlow],
    origins: Sequence[Location],
    applications: Sequence[Application],
    partners: Sequence[Partner],
    problems: ProblemCollector,
) -> list[SharingFlow]:
    """Each flow names an application of this inventory and a known partner; both are
    rewritten to the names they are recorded under, so later stages join on equality."""
    known = {a.name.lower(): a.name for a in applications}
    index = partner_lookup(partners)
    resolved = []
    for flow, where in zip(flows, origins, strict=True):
        application = known.get(flow.application.lower())
        partner = find_partner(index, flow.partner)
        if application is None:
            problems.error(
                f"sharing flow from unknown application {flow.application!r}",
                replace(where, column=where.column or "application"),
                hint="add the application, or correct the name",
                code="dangling",
            )
        if partner is None:
            problems.error(
                f"sharing flow to unknown partner {flow.partner!r}",
                replace(where, column=where.column or "partner"),
                hint="add the partner to `partners:` (or partners.csv), or correct the name",
                code="dangling",
            )
        if application is not None and partner is not None:
            resolved.append(
                flow.model_copy(update={"application": application, "partner": partner.name})
            )
    return resolved


def check_server_references(
    applications: Sequence[Application],
    origins: Sequence[Location],
    server_names: set[str],
    problems: ProblemCollector,
) -> None:
    if not server_names:
        if any(a.servers for a in applications):
            problems.warning(
                "applications name hosting servers but no server inventory was given",
                Location(),
                hint="add an RVTools or other server export",
            )
        return
    for app, where in zip(applications, origins, strict=True):
        missing = [s for s in app.servers if server_key(s) not in server_names]
        if missing:
            problems.error(
                f"application {app.name!r} names servers not in the inventory: {_sample(missing)}",
                where,
                code="dangling",
            )


def report_cycles(inventory: Inventory, problems: ProblemCollector) -> None:
    graph = nx.DiGraph()
    graph.add_edges_from(
        (d.source, d.target) for d in inventory.dependencies if d.kind is DependencyKind.APPLICATION
    )
    for component in sorted(nx.strongly_connected_components(graph), key=sorted):
        if len(component) > 1:
            problems.warning(
                f"dependency cycle between {', '.join(sorted(component))}: these will move "
                "together",
                Location(),
                code="cycle",
            )


def advisory_warnings(inventory: Inventory, as_of: dt.date, problems: ProblemCollector) -> None:
    no_util = [
        s.name
        for s in inventory.servers
        if s.utilisation is None or s.utilisation.cpu_percent is None
    ]
    if no_util:
        problems.warning(
            f"{len(no_util)} server(s) have no utilisation data, so sizing will "
            f"match on-premise capacity: {_sample(no_util)}",
            Location(),
            code="no-utilisation",
        )
    off = [s.name for s in inventory.servers if s.power_state is PowerState.OFF]
    if off:
        problems.warning(
            f"{len(off)} server(s) are powered off (retirement candidates): {_sample(off)}",
            Location(),
            code="powered-off",
        )
    old = [
        f"{s.name} ({s.os.label})".replace(" ()", "")
        for s in inventory.servers
        if is_out_of_support(s.os, as_of)
    ]
    if old:
        problems.warning(
            f"{len(old)} server(s) run an operating system out of vendor support: {_sample(old)}",
            Location(),
            code="os-out-of-support",
        )
