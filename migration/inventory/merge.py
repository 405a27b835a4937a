"""Merge fragments from several sources into one inventory, reporting every disagreement.

Precedence is the order the user gave the sources: the first source that has a value keeps
it; a later, different value is reported as a conflict (a warning naming both places) rather
than silently dropped or silently preferred.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.identity import server_key
from forcelift.migration.inventory.model import Application, Dependency, PowerState, Server
from forcelift.migration.inventory.readers.base import Fragment
from forcelift.migration.inventory.sharing import (
    Partner,
    SharingFlow,
    find_partner,
    name_key,
    partner_lookup,
)

_SERVER_COMPARED = ("cores", "memory_mib", "power_state")


def _is_empty(value: Any) -> bool:
    return value in (None, "", (), {}) or value == PowerState.UNKNOWN


def _merge_records(
    first: dict[str, Any],
    later: dict[str, Any],
    compared: Iterable[str],
    what: str,
    first_at: Location,
    later_at: Location,
    problems: ProblemCollector,
) -> dict[str, Any]:
    merged = dict(first)
    for field, value in later.items():
        current = merged.get(field)
        if _is_empty(value):
            continue
        if _is_empty(current):
            merged[field] = value
        elif field in compared and current != value:
            problems.warning(
                f"{what}: {field} is {current} in {first_at} but {value} here; keeping {current}",
                later_at,
                code="conflict",
                hint="sources are applied in the order given; fix the source that is wrong",
            )
        elif isinstance(current, tuple) and isinstance(value, tuple):
            merged[field] = tuple(dict.fromkeys((*current, *value)))
        elif isinstance(current, dict) and isinstance(value, dict):
            merged[field] = {**value, **current}
    return merged


def _merge_servers(fragments: list[Fragment], problems: ProblemCollector) -> list[Server]:
    # Servers seen in one source only stay the validated objects they are (the common, fast
    # path at 100k servers); only servers found in several sources are merged field by field.
    records: dict[str, Server | dict[str, Any]] = {}
    origin: dict[str, Location] = {}
    for fragment in fragments:
        seen_here: dict[str, Location] = {}
        for server, where in zip(fragment.servers, fragment.server_origins, strict=True):
            key = server_key(server.name)
            if key in seen_here:
                problems.error(
                    f"duplicate server name {server.name!r} (also at {seen_here[key]})",
                    where,
                    hint="server names must be unique within a source",
                    code="duplicate",
                )
                continue
            seen_here[key] = where
            if key not in records:
                records[key] = server
                origin[key] = where
                continue
            existing = records[key]
            first = dict(existing) if isinstance(existing, Server) else existing
            data = dict(server)
            merged_os = _merge_records(
                dict(first["os"]),
                dict(data["os"]),
                ("name",),
                f"server {server.name!r} OS",
                origin[key],
                where,
                problems,
            )
            merged = _merge_records(
                first,
                data,
                _SERVER_COMPARED,
                f"server {server.name!r}",
                origin[key],
                where,
                problems,
            )
            merged["os"] = type(server.os).model_validate(merged_os)
            if merged.get("cores") is not None and merged.get("memory_mib") is not None:
                merged["unsized_reason"] = ""  # another source sized it
            records[key] = merged
    _attach_software(fragments, records, problems)
    return [r if isinstance(r, Server) else Server.model_validate(r) for r in records.values()]


def _attach_software(
    fragments: list[Fragment],
    records: dict[str, Server | dict[str, Any]],
    problems: ProblemCollector,
) -> None:
    """Add software evidence (e.g. Azure Migrate's software inventory) to the servers it names."""
    for fragment in fragments:
        for name, products in fragment.software.items():
            key = server_key(name)
            record = records.get(key)
            where = fragment.software_origins.get(name, Location(fragment.source))
            if record is None:
                problems.warning(
                    f"software listed for unknown server {name!r}",
                    where,
                    code="dangling",
                    hint="add the server's own inventory row",
                )
                continue
            data = dict(record) if isinstance(record, Server) else record
            data["software"] = tuple(dict.fromkeys((*data.get("software", ()), *products)))
            records[key] = data


_APP_COMPARED = ("owner", "criticality", "classification", "category")


def _merge_applications(
    fragments: list[Fragment], problems: ProblemCollector
) -> tuple[list[Application], list[Location]]:
    records: dict[str, dict[str, Any]] = {}
    origin: dict[str, Location] = {}
    for fragment in fragments:
        seen_here: dict[str, Location] = {}
        for app, where in zip(fragment.applications, fragment.application_origins, strict=True):
            key = app.name.strip().lower()
            if key in seen_here:
                problems.error(
                    f"duplicate application {app.name!r} (also at {seen_here[key]})",
                    where,
                    code="duplicate",
                )
                continue
            seen_here[key] = where
            data = dict(app)
            if key not in records:
                records[key] = data
                origin[key] = where
            else:
                records[key] = _merge_records(
                    records[key],
                    data,
                    _APP_COMPARED,
                    f"application {app.name!r}",
                    origin[key],
                    where,
                    problems,
                )
    apps = [Application.model_validate(r) for r in records.values()]
    return apps, list(origin.values())


def _merge_dependencies(fragments: list[Fragment]) -> tuple[list[Dependency], list[Location]]:
    seen: dict[tuple[str, str, str, int | None], tuple[Dependency, Location]] = {}
    for fragment in fragments:
        for dep, where in zip(fragment.dependencies, fragment.dependency_origins, strict=True):
            key = (dep.source.lower(), dep.target.lower(), dep.protocol.lower(), dep.port)
            seen.setdefault(key, (dep, where))
    return [d for d, _ in seen.values()], [w for _, w in seen.values()]


_PARTNER_COMPARED = ("kind", "cloud", "azure_tenant", "aws_organization_unit", "endpoint")


def merge_partners(
    fragments: list[Fragment], problems: ProblemCollector
) -> tuple[list[Partner], list[Location]]:
    """Partners by name (case, spaces and punctuation ignored): one source naming a partner
    twice is an error; sources describing one partner, by its name or one of its aliases, are
    merged like applications (the first source's name kept, identifier lists unioned, a
    different kind, cloud, tenant, OU or endpoint reported)."""
    records: dict[str, dict[str, Any]] = {}
    origin: dict[str, Location] = {}
    owner: dict[str, int] = {}  # record -> the fragment that created it
    known_as: dict[str, str] = {}  # every explicit name and alias -> its record
    for number, fragment in enumerate(fragments):
        seen_here: dict[str, Location] = {}
        for partner, where in zip(fragment.partners, fragment.partner_origins, strict=True):
            if partner.key in seen_here:
                problems.error(
                    f"duplicate partner {partner.name!r} (also at {seen_here[partner.key]})",
                    where,
                    hint="partner names must be unique; give other names as aliases",
                    code="duplicate",
                )
                continue
            seen_here[partner.key] = where
            keys = [name_key(n) for n in (partner.name, *partner.aliases)]
            target = next(
                (known_as[k] for k in keys if k in known_as and owner[known_as[k]] != number),
                None,
            )
            data = dict(partner)
            if target is None:
                target = partner.key
                records[target], origin[target], owner[target] = data, where, number
            else:
                kept = name_key(records[target]["name"])
                data["aliases"] = tuple(
                    n for n in (*partner.aliases, partner.name) if name_key(n) != kept
                )
                records[target] = _merge_records(
                    records[target],
                    data,
                    _PARTNER_COMPARED,
                    f"partner {partner.name!r}",
                    origin[target],
                    where,
                    problems,
                )
            for key in keys:
                known_as.setdefault(key, target)
    return [Partner.model_validate(r) for r in records.values()], list(origin.values())


_FLOW_COMPARED = ("classification", "protocol", "api", "port", "agreement")


def merge_sharing(
    fragments: list[Fragment], problems: ProblemCollector, partners: list[Partner]
) -> tuple[list[SharingFlow], list[Location]]:
    """One flow per application, partner (by any of its names), data and direction; a second
    description of the same flow fills its gaps, and a different classification, protocol or
    agreement is reported (the first source given wins)."""
    index = partner_lookup(partners)
    records: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    origin: dict[tuple[str, str, str, str], Location] = {}
    for fragment in fragments:
        for flow, where in zip(fragment.sharing, fragment.sharing_origins, strict=True):
            key = (
                flow.application.casefold(),
                getattr(find_partner(index, flow.partner), "key", name_key(flow.partner)),
                flow.data.casefold(),
                flow.direction.value,
            )
            if key not in records:
                records[key], origin[key] = dict(flow), where
                continue
            records[key] = _merge_records(
                records[key],
                dict(flow),
                _FLOW_COMPARED,
                f"sharing flow {flow.application!r} -> {flow.partner!r}",
                origin[key],
                where,
                problems,
            )
    return [SharingFlow.model_validate(r) for r in records.values()], list(origin.values())


def merge(fragments: list[Fragment], problems: ProblemCollector) -> dict[str, Any]:
    """The merged parts of an inventory (servers, applications, dependencies, partners,
    sharing flows, force)."""
    force = next((f.force for f in fragments if f.force), "")
    dependencies, dependency_origins = _merge_dependencies(fragments)
    applications, application_origins = _merge_applications(fragments, problems)
    partners, partner_origins = merge_partners(fragments, problems)
    sharing, sharing_origins = merge_sharing(fragments, problems, partners)
    return {
        "force": force,
        "servers": _merge_servers(fragments, problems),
        "applications": applications,
        "application_origins": application_origins,
        "dependencies": dependencies,
        "dependency_origins": dependency_origins,
        "partners": partners,
        "partner_origins": partner_origins,
        "sharing": sharing,
        "sharing_origins": sharing_origins,
    }
