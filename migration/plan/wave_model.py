"""What wave planning produces, and the options that shape it (docs/plan.md).

The result models and `WaveOptions` live apart from the engines so the grouping, splitting,
pilot and scheduling modules, and the plan file, can all read them without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Protocol, TypeVar

from pydantic import Field

from forcelift.migration.classify.model import Decision
from forcelift.migration.inventory.model import Criticality
from forcelift.migration.plan.datafiles import Frozen

LANDING = frozenset({Decision.IAAS, Decision.PAAS})  # move into the landing zone: order matters


SCHEDULED = frozenset({Decision.IAAS, Decision.PAAS, Decision.SAAS})


class WaveOptions(Frozen):
    """Constraints and preferences for wave planning (defaults in docs/plan.md)."""

    max_servers_per_wave: Annotated[int, Field(ge=1)] | None = None
    max_applications_per_wave: Annotated[int, Field(ge=1)] | None = None
    pilot: bool = True
    pilot_max_applications: Annotated[int, Field(ge=1)] = 3
    pilot_criticalities: tuple[Criticality, ...] = (Criticality.LOW,)
    # When no low-criticality workload of a kind the pilot must prove exists, the least
    # critical of these stands in (and the plan says so); never high or critical systems.
    pilot_fallback_criticalities: tuple[Criticality, ...] = (Criticality.MEDIUM,)
    pilot_proves: tuple[Decision, ...] = (Decision.IAAS, Decision.PAAS)
    critical_late: bool = True
    critical_categories: tuple[str, ...] = ("command and control", "custody")
    critical_criticalities: tuple[Criticality, ...] = (Criticality.CRITICAL,)
    tight_ports: tuple[int, ...] = (1433, 1434, 1521, 1522, 3306, 5432, 50000, 27017)
    tight_words: tuple[str, ...] = (
        "latency",
        "synchronous",
        "real-time",
        "realtime",
        "chatty",
        "tds",
        "sqlnet",
        "odbc",
        "jdbc",
    )


class WaveKind(StrEnum):
    PILOT = "pilot"
    STANDARD = "standard"
    LATE = "late"  # critical systems, and what depends on them


class WaveWorkload(Frozen):
    application: str
    decision: Decision
    move_group: str
    servers: tuple[str, ...]
    reasons: tuple[str, ...]


class Wave(Frozen):
    number: int
    kind: WaveKind
    workloads: tuple[WaveWorkload, ...]
    server_count: int
    application_count: int
    reasons: tuple[str, ...]


class MoveGroup(Frozen):
    id: str
    applications: tuple[str, ...]
    server_count: int
    reasons: tuple[str, ...]
    part: int | None = None  # part k of `parts` when the group was too large for one wave
    parts: int | None = None


class Exclusion(Frozen):
    application: str
    decision: Decision
    reason: str


class HybridLink(Frozen):
    """A dependency that crosses back to on-premise or outside: it needs hybrid connectivity."""

    source: str
    target: str
    kind: str  # external, retained, retired, saas, unknown
    port: int | None = None
    reason: str


class WavePlan(Frozen):
    waves: tuple[Wave, ...]
    excluded: tuple[Exclusion, ...]
    move_groups: tuple[MoveGroup, ...]
    hybrid_links: tuple[HybridLink, ...]
    notes: tuple[str, ...] = ()

    def wave_of(self) -> dict[str, int]:
        """Application name -> wave number, for rolling costs and carbon up by wave."""
        return {w.application: wave.number for wave in self.waves for w in wave.workloads}


class _OfApplication(Protocol):
    @property
    def application(self) -> str: ...


W = TypeVar("W", bound=_OfApplication)


def by_wave(
    items: Iterable[W], wave_of: Mapping[str, int]
) -> tuple[list[tuple[int, list[W]]], list[W]]:
    """Items per wave in wave order, and the items of applications in no wave (unscheduled),
    so cost and carbon summaries group the same way."""
    waves: dict[int, list[W]] = {}
    unscheduled: list[W] = []
    for item in items:
        wave = wave_of.get(item.application)
        (unscheduled if wave is None else waves.setdefault(wave, [])).append(item)
    return sorted(waves.items()), unscheduled
