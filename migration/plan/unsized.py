"""Servers the export gave no size for: estimate them from their application, or leave them out.

A real export has VMs with blank CPU or memory cells (orphaned, being created, unreadable);
the readers keep them as unsized servers (`Server.sized` is False) so nothing is dropped. The
planner then sizes each from what else is known — the median shape of its application's other
sized servers — or, when nothing is known, leaves it out of sizing and cost with the reason, so
every plan summary still counts it (sized + estimated + unsized = servers).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from forcelift.migration.inventory.model import Server
from forcelift.migration.plan.planfile import SizingCounts, UnsizedPlan

ESTIMATED = "sized from the application's other servers"


class Resolution(NamedTuple):
    """Estimated copies to plan with, and the counts and reasons for the plan."""

    replacements: dict[str, Server]  # lower-case name -> the server with an estimated size
    left_out: frozenset[str]  # lower-case names of servers left out of sizing and cost
    counts: SizingCounts


def planned_servers(servers: Sequence[Server], resolution: Resolution) -> tuple[Server, ...]:
    """The estate as the plan sizes and costs it: estimates in place, unsized ones left out."""
    planned = (
        resolution.replacements.get(s.name.lower(), s)
        for s in servers
        if s.name.lower() not in resolution.left_out
    )
    return tuple(s for s in planned if s.sized)


def _median_low(values: Sequence[int]) -> int:
    return int(statistics.median_low(values))


def resolve_unsized(
    servers: Sequence[Server], owners: Mapping[str, tuple[str, Sequence[Server]]]
) -> Resolution:
    """Estimate or leave out each unsized server.

    `owners` maps a server's lower-case name to (its application, that application's servers).
    The estimate is the median (low: a real shape, never an average of two) of the other sized
    servers' cores and memory; a value the export did give is kept.
    """
    replacements: dict[str, Server] = {}
    left_out: set[str] = set()
    entries: list[UnsizedPlan] = []
    sized = 0
    for server in servers:
        if server.sized:
            sized += 1
            continue
        key = server.name.lower()
        why = server.unsized_reason or "no CPU or memory size in the export"
        app, members = owners.get(key, ("", ()))
        peers = [s for s in members if s.sized and s.name.lower() != key]
        if not peers:
            left_out.add(key)
            where = f"no other sized server in {app}" if app else "in no application"
            entries.append(
                UnsizedPlan(
                    server=server.name,
                    application=app,
                    action="left out",
                    reason=f"{why}; {where} to estimate from: left out of sizing and cost",
                )
            )
            continue
        cores = server.cores or _median_low([s.cores for s in peers if s.cores is not None])
        memory = server.memory_mib or _median_low(
            [s.memory_mib for s in peers if s.memory_mib is not None]
        )
        replacements[key] = server.model_copy(update={"cores": cores, "memory_mib": memory})
        entries.append(
            UnsizedPlan(
                server=server.name,
                application=app,
                action="estimated",
                reason=f"{why}; {ESTIMATED} (median of {len(peers)})",
                vcpus=cores,
                memory_gib=round(memory / 1024, 2),
            )
        )
    estimated = len(replacements)
    counts = SizingCounts(
        servers=len(servers),
        sized=sized,
        estimated=estimated,
        unsized=len(left_out),
        unsized_servers=tuple(sorted(entries, key=lambda e: (e.server.lower(), e.application))),
    )
    return Resolution(replacements, frozenset(left_out), counts)
