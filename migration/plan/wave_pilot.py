"""Choosing the pilot wave: a real IaaS and PaaS workload first, least critical."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from forcelift.migration.inventory.model import Criticality
from forcelift.migration.plan.wave_graph import Graph, sample
from forcelift.migration.plan.wave_model import WaveOptions

_RANK = {Criticality.LOW: 0, Criticality.MEDIUM: 1, Criticality.HIGH: 2, Criticality.CRITICAL: 3}


def choose_pilot(g_: Graph, options: WaveOptions) -> None:
    """Mark the pilot (level 0): a real IaaS and a real PaaS workload first, least critical.

    The pilot proves the landing zone end to end, so it must hold a workload of each kind the
    landing zone builds (`pilot_proves`). Each comes from the low-criticality groups with
    nothing to wait for; failing that, the least critical fallback group (the notes say so).
    If every such workload waits for another migrating application, the least entangled one
    goes first anyway and reaches what it needs on premise over the hybrid link until that
    moves (a "transition" hybrid link, also in the notes): proving that path is the pilot's
    job too. Remaining room goes to the smallest low-criticality groups.
    """
    if not options.pilot:
        return
    groups, indegree, notes = g_.groups, g_.indegree, g_.notes
    needs: dict[int, set[int]] = defaultdict(set)
    for a, targets in g_.dag.items():
        for b in targets:
            needs[b].add(a)
    low = set(options.pilot_criticalities)
    wider = low | set(options.pilot_fallback_criticalities)
    chosen: list[int] = []

    def size(i: int) -> tuple[int, int, int, str]:
        g = groups[i]
        worst = max((_RANK[c] for c in g.criticalities), default=0)
        return (worst, len(g.servers), len(g.apps), g.apps[0])

    def room(i: int, proving: bool = False) -> bool:
        """Within the wave limits; fillers also within the pilot's own size."""
        apps = sum(len(groups[j].apps) for j in chosen) + len(groups[i].apps)
        servers = len(set().union(*(groups[j].servers for j in chosen), groups[i].servers))
        caps = [options.max_applications_per_wave]
        if not proving:
            caps.append(options.pilot_max_applications)
        if any(c is not None and apps > c for c in caps):
            return False
        return not (options.max_servers_per_wave and servers > options.max_servers_per_wave)

    def missing() -> set[str]:
        return {
            k for k in options.pilot_proves if not any(k in groups[j].decisions for j in chosen)
        }

    def candidates(
        allowed: set[Criticality], waiting: bool = False, proving: bool = True
    ) -> list[int]:
        return sorted(
            (
                i
                for i, g in enumerate(groups)
                if (indegree[i] > 0 if waiting else indegree[i] == 0)
                and not g.critical
                and g.criticalities <= allowed
                and i not in chosen
                and room(i, proving)
            ),
            key=lambda i: (
                -len(missing() & groups[i].decisions),  # one group proving two paths is best
                len(needs[i]) if waiting else 0,
                *size(i),
            ),
        )

    for kind in options.pilot_proves:
        if any(kind in groups[j].decisions for j in chosen):
            continue
        pick = next((i for i in candidates(low) if kind in groups[i].decisions), None)
        fallback = False
        if pick is None:
            pick = next((i for i in candidates(wider) if kind in groups[i].decisions), None)
            fallback = pick is not None
        bridged: list[str] = []
        if pick is None:
            pick = next(
                (i for i in candidates(wider, waiting=True) if kind in groups[i].decisions), None
            )
            if pick is not None:
                fallback = True
                bridged = _bridge(g_, pick, needs)
        if pick is None:
            notes.append(
                f"the pilot holds no {kind} workload: none of criticality "
                f"{'/'.join(c.value for c in sorted(wider, key=lambda c: _RANK[c]))} is free of "
                "dependencies on other migrating applications and fits the wave limits"
            )
            continue
        g = groups[pick]
        level = "/".join(sorted({c.value for c in g.criticalities}, key=lambda v: _ORDER[v]))
        g.pilot_reason = (
            f"pilot: the least critical {kind} workload "
            + ("" if bridged else "with nothing to wait for ")
            + f"(criticality {level}), to prove the landing zone's {kind} path first"
        )
        if bridged:
            g.pilot_reason += (
                f"; it reaches {sample(bridged)} on premise over the hybrid link until that moves"
            )
        if fallback:
            notes.append(
                f"no low-criticality {kind} workload free of dependencies can lead the pilot: "
                f"{sample(g.apps)} (criticality {level}) proves the {kind} path instead"
                + (
                    f", reaching {sample(bridged)} on premise over the hybrid link until "
                    + ("it moves" if len(bridged) == 1 else "they move")
                    if bridged
                    else ""
                )
            )
        chosen.append(pick)
    for i in candidates(low, proving=False):
        if not room(i):
            continue
        chosen.append(i)
        groups[
            i
        ].pilot_reason = "pilot: low-criticality, nothing to wait for, and room left in the pilot"
    for i in chosen:
        groups[i].level = 0
    if not chosen:
        notes.append(
            "no pilot wave: no low-criticality application is free of dependencies on other "
            "migrating applications"
        )


_ORDER = {c.value: r for c, r in _RANK.items()}


def _bridge(g: Graph, pick: int, needs: Mapping[int, set[int]]) -> list[str]:
    """Let a pilot group go before what it depends on: those links become hybrid links."""
    members = set(g.groups[pick].apps)
    targets = []
    for source, target in g.hard:  # the pilot goes first: everything it depends on is ahead
        if source in members and target not in members:
            targets.append(target)
            g.hybrid.append(
                (
                    source,
                    target,
                    "transition",
                    None,
                    f"pilot {source} reaches {target} on premise over the hybrid link until "
                    f"{target} moves",
                )
            )
    for a in needs[pick]:
        g.dag[a].discard(pick)
    g.indegree[pick] = 0
    return sorted(set(targets))
