"""Wave capacity properties (hypothesis): whole waves, whole groups, limits kept or reported."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.inventory.model import Application, Criticality, Dependency
from forcelift.migration.plan.waves import SCHEDULED, WaveOptions, move_groups, plan_waves

_DECISIONS = ("IAAS", "PAAS", "SAAS", "RETAIN", "RETIRE")


@st.composite
def estates(draw: st.DrawFn) -> tuple[list[Application], list[Dependency], dict[str, str]]:
    """Estates dense in shared servers and database links, so big groups are common."""
    n = draw(st.integers(1, 24))
    names = [f"app{i:02d}" for i in range(n)]
    servers = [f"srv{i}" for i in range(n + 2)]
    apps = [
        Application(
            name=name,
            criticality=draw(st.sampled_from(list(Criticality))),
            servers=tuple(draw(st.lists(st.sampled_from(servers), max_size=4, unique=True))),
        )
        for name in names
    ]
    deps = [
        Dependency(
            source=draw(st.sampled_from(names)),
            target=draw(st.sampled_from(names)),
            port=draw(st.sampled_from([443, 1433, 5432, None])),
        )
        for _ in range(draw(st.integers(0, 30)))
    ]
    decided = {name: draw(st.sampled_from(_DECISIONS)) for name in names}
    return apps, deps, decided


@settings(max_examples=150, deadline=None)
@given(
    estate=estates(),
    max_servers=st.integers(1, 10),
    max_apps=st.integers(1, 6),
    pilot=st.booleans(),
)
def test_capacity_properties(
    estate: tuple[list[Application], list[Dependency], dict[str, str]],
    max_servers: int,
    max_apps: int,
    pilot: bool,
) -> None:
    apps, deps, decided = estate
    options = WaveOptions(
        max_servers_per_wave=max_servers, max_applications_per_wave=max_apps, pilot=pilot
    )
    plan = plan_waves(apps, deps, decided, options)
    notes = " | ".join(plan.notes)

    # Every application that moves is in exactly one wave.
    placed = [w.application for wave in plan.waves for w in wave.workloads]
    assert sorted(placed) == sorted(a for a, d in decided.items() if d in SCHEDULED)
    wave_of = plan.wave_of()

    # A dependency group that fits a wave is never split; one that does not is reported.
    for group in move_groups(apps, deps, decided, options):
        waves = {wave_of[a] for a in group.applications}
        fits = len(group.applications) <= max_apps and group.server_count <= max_servers
        if fits:
            assert len(waves) == 1, group
        elif len(waves) > 1:
            assert f"dependency group of {group.applications[0]}" in notes

    # Capacities hold, unless one indivisible piece alone exceeds them (reported).
    for wave in plan.waves:
        over = wave.application_count > max_apps or wave.server_count > max_servers
        if over:
            assert len({w.move_group for w in wave.workloads}) == 1, wave
            assert any(
                "alone needs" in n and wave.workloads[0].application in n for n in plan.notes
            )
