"""Workloads for servers no application claims (RVTools and other server-only sources).

Documented mapping (docs/inventory.md): an explicit application tag on the VM (a custom
attribute `Application`/`App`/`Service`, or an annotation line `Application: NAME`) groups
VMs into one workload; otherwise `group_by` decides: `vm` (default) gives one workload per VM,
`folder` one per VM folder, `annotation` one per first annotation line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import Application, Server

_TAG_KEYS = ("application", "app", "service", "business service", "applicationname")
_ANNOTATION_APP = re.compile(r"^\s*(?:application|app|service)\s*[:=]\s*(.+?)\s*$", re.I | re.M)


class GroupBy(StrEnum):
    VM = "vm"
    FOLDER = "folder"
    ANNOTATION = "annotation"


def _explicit_application(server: Server) -> str:
    for key, value in server.tags.items():
        if key.strip().lower() in _TAG_KEYS and value.strip():
            return value.strip()
    match = _ANNOTATION_APP.search(server.annotation)
    return match.group(1) if match else ""


def _group_name(server: Server, group_by: GroupBy) -> str:
    explicit = _explicit_application(server)
    if explicit:
        return explicit
    if group_by is GroupBy.FOLDER and server.folder.strip("/ "):
        return server.folder.strip("/ ").split("/")[-1]
    if group_by is GroupBy.ANNOTATION and server.annotation.strip():
        return server.annotation.strip().splitlines()[0][:80]
    return server.name


def derive_applications(
    servers: Iterable[Server],
    claimed: set[str],
    group_by: GroupBy = GroupBy.VM,
    taken_names: frozenset[str] = frozenset(),
) -> list[Application]:
    """One application per group of servers whose short name is not in `claimed`.

    A group whose name is already an application's (in `taken_names`, lower case) is named
    `<group> (unmapped servers)` so the two never merge by accident.
    """
    groups: dict[str, list[Server]] = {}
    names: dict[str, str] = {}
    for server in servers:
        if server_key(server.name) in claimed:
            continue
        name = _group_name(server, group_by)
        if name.lower() in taken_names:
            name = f"{name} (unmapped servers)"
        key = name.lower()
        names.setdefault(key, name)
        groups.setdefault(key, []).append(server)
    apps = []
    for key, members in groups.items():
        owner = next(
            (
                v
                for s in members
                for k, v in s.tags.items()
                if k.strip().lower() in ("owner", "appowner", "application owner") and v
            ),
            "",
        )
        apps.append(
            Application(
                name=names[key],
                owner=owner,
                servers=tuple(s.name for s in members),
                notes="derived from server inventory (no application mapping given)",
            )
        )
    return apps
