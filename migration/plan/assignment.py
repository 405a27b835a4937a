"""Each server under exactly one workload, so nothing is sized, costed or counted twice."""

from __future__ import annotations

from typing import NamedTuple

from forcelift.migration.inventory.model import Inventory, Server


class Assignment(NamedTuple):
    """Each server under exactly one workload, so nothing is sized or costed twice."""

    servers: dict[str, tuple[Server, ...]]  # application -> the servers it owns
    notes: dict[str, tuple[str, ...]]  # application -> servers it shares but does not own


def assign_servers(inventory: Inventory) -> Assignment:
    """Give every server to one application: the first by name among those listing it.

    Applications sharing a server always sit in the same move group, so wave totals do not
    depend on which of them owns it. Names that are not in the server inventory are skipped.
    """
    index = inventory.server_index()
    owner: dict[str, str] = {}
    for app in sorted(inventory.applications, key=lambda a: a.name):
        for name in app.servers:
            owner.setdefault(name.lower(), app.name)
    servers: dict[str, tuple[Server, ...]] = {}
    notes: dict[str, tuple[str, ...]] = {}
    for app in inventory.applications:
        mine, shared = [], []
        for name in app.servers:
            server = index.get(name.lower())
            if server is None:
                continue
            if owner[name.lower()] == app.name:
                mine.append(server)
            else:
                shared.append(f"{server.name} is sized and costed with {owner[name.lower()]}")
        servers[app.name] = tuple(mine)
        if shared:
            notes[app.name] = tuple(shared)
    return Assignment(servers=servers, notes=notes)
