"""Move groups and waves: grouping rules, ordering, options, bad input, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import (
    Application,
    Criticality,
    Dependency,
    DependencyKind,
    ExternalService,
    Inventory,
)
from forcelift.migration.plan.waves import (
    LANDING,
    WaveKind,
    WaveOptions,
    WavePlan,
    move_groups,
    plan_waves,
)

from .conftest import check_golden


def _plan(inv: Inventory, decisions: dict[str, str], **options: object) -> WavePlan:
    return plan_waves(inv.applications, inv.dependencies, decisions, WaveOptions(**options))


def _group_of(plan: WavePlan) -> dict[str, str]:
    return {a: g.id for g in plan.move_groups for a in g.applications}


def test_golden_smallshire(smallshire: Inventory, decisions: dict[str, str]) -> None:
    plan = _plan(smallshire, decisions, max_servers_per_wave=5)
    check_golden("waves-smallshire.yaml", plan.model_dump(mode="json"))


def test_grouping_rules(smallshire: Inventory, decisions: dict[str, str]) -> None:
    group = _group_of(_plan(smallshire, decisions))
    assert group["Custody"] == group["Niche RMS"]  # port 1433 is a tight link
    assert group["Payroll"] == group["Finance"]  # they share FIN-SQL01
    assert group["Duty Management"] == group["Training Records"]  # a cycle is grouped
    assert group["Command and Control"] == group["Mapping"]  # described as latency-sensitive
    assert group["Intranet"] != group["Identity"]  # ldaps is not a tight link


def test_what_a_workload_depends_on_lands_first(
    smallshire: Inventory, decisions: dict[str, str]
) -> None:
    plan = _plan(smallshire, decisions, max_servers_per_wave=5)
    wave = plan.wave_of()
    for app in ("Intranet", "Niche RMS", "Mapping", "Duty Management"):
        assert wave[app] >= wave["Identity"]
    assert wave["Fleet"] == 1 and plan.waves[0].kind is WaveKind.PILOT
    late = {w.application for w in plan.waves[-1].workloads}
    assert {"Command and Control", "Niche RMS", "Custody"} <= late
    assert plan.waves[-1].kind is WaveKind.LATE


def test_exclusions_and_hybrid_links(smallshire: Inventory, decisions: dict[str, str]) -> None:
    plan = _plan(smallshire, decisions)
    excluded = {e.application: e for e in plan.excluded}
    assert set(excluded) == {"Legacy Warrants", "Old Intranet"}
    assert "hybrid" in excluded["Legacy Warrants"].reason
    assert "retired" in excluded["Old Intranet"].reason
    links = {(h.source, h.target): h for h in plan.hybrid_links}
    assert links[("Niche RMS", "PNC")].kind == "external"
    assert "latency-sensitive" in links[("Niche RMS", "Legacy Warrants")].reason
    assert links[("Intranet", "Old Intranet")].kind == "retired"
    assert links[("Payroll", "Email")].kind == "saas"


def test_every_wave_and_workload_says_why(smallshire: Inventory, decisions: dict[str, str]) -> None:
    plan = _plan(smallshire, decisions, max_servers_per_wave=4)
    assert all(w.reasons for w in plan.waves)
    assert all(w.reasons for wave in plan.waves for w in wave.workloads)
    assert any("closed at the wave limit" in r for w in plan.waves for r in w.reasons)


def test_options_switch_pilot_and_late_off(
    smallshire: Inventory, decisions: dict[str, str]
) -> None:
    plan = _plan(smallshire, decisions, pilot=False, critical_late=False)
    assert {w.kind for w in plan.waves} == {WaveKind.STANDARD}


def test_application_limit(smallshire: Inventory, decisions: dict[str, str]) -> None:
    plan = _plan(smallshire, decisions, max_applications_per_wave=2)
    assert all(w.application_count <= 2 for w in plan.waves)


def test_oversized_group_is_split_and_reported(
    smallshire: Inventory, decisions: dict[str, str]
) -> None:
    # Payroll + Finance share FIN-SQL01 (3 servers): a 2-server wave cannot hold them.
    plan = _plan(smallshire, decisions, max_servers_per_wave=2)
    wave = plan.wave_of()
    assert wave["Payroll"] != wave["Finance"]
    assert any("larger than one wave" in n and "Finance" in n for n in plan.notes)
    reasons = {w.application: w.reasons for v in plan.waves for w in v.workloads}
    assert any("too many for one wave together" in r for r in reasons["Finance"])
    assert all(w.server_count <= 2 for w in plan.waves)


def test_missing_unknown_and_bad_decisions(
    smallshire: Inventory, decisions: dict[str, str]
) -> None:
    partial = dict(decisions)
    del partial["Fleet"]
    with pytest.raises(InputError, match="no decision for 1 application"):
        _plan(smallshire, partial)
    with pytest.raises(InputError, match="unknown decision 'LIFT'"):
        _plan(smallshire, {**decisions, "Fleet": "LIFT"})
    with pytest.raises(InputError, match="unknown application"):
        _plan(smallshire, {**decisions, "Nope": "IAAS"})


def test_decisions_match_names_case_insensitively(
    smallshire: Inventory, decisions: dict[str, str]
) -> None:
    lowered = {k.lower(): v.lower() for k, v in decisions.items()}
    assert _plan(smallshire, lowered).wave_of() == _plan(smallshire, decisions).wave_of()


def test_move_groups_probe_lists_largest_first(
    smallshire: Inventory, decisions: dict[str, str]
) -> None:
    groups = move_groups(smallshire.applications, smallshire.dependencies, decisions)
    sizes = [g.server_count for g in groups]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 3


# --- properties ----------------------------------------------------------------------------

_DECISIONS = ("IAAS", "PAAS", "SAAS", "RETAIN", "RETIRE")


@st.composite
def estates(draw: st.DrawFn) -> tuple[list[Application], list[Dependency], dict[str, str]]:
    n = draw(st.integers(1, 14))
    names = [f"app{i}" for i in range(n)]
    servers = [f"srv{i}" for i in range(n + 4)]
    apps = [
        Application(
            name=name,
            criticality=draw(st.sampled_from(list(Criticality))),
            category=draw(st.sampled_from(["", "Custody", "Finance", "Command and control"])),
            servers=tuple(draw(st.lists(st.sampled_from(servers), max_size=3, unique=True))),
        )
        for name in names
    ]
    deps = []
    for _ in range(draw(st.integers(0, 20))):
        source = draw(st.sampled_from(names))
        if draw(st.booleans()) and draw(st.booleans()):
            deps.append(
                Dependency(
                    source=source,
                    target="PNC",
                    kind=DependencyKind.EXTERNAL,
                    service=ExternalService.PNC,
                )
            )
        else:
            deps.append(
                Dependency(
                    source=source,
                    target=draw(st.sampled_from(names)),
                    port=draw(st.sampled_from([443, 1433, 5432, 636, None])),
                )
            )
    decided = {name: draw(st.sampled_from(_DECISIONS)) for name in names}
    return apps, deps, decided


@settings(max_examples=60, deadline=None)
@given(
    estate=estates(),
    max_servers=st.one_of(st.none(), st.integers(1, 8)),
    max_apps=st.one_of(st.none(), st.integers(1, 5)),
    pilot=st.booleans(),
)
def test_wave_properties(
    estate: tuple[list[Application], list[Dependency], dict[str, str]],
    max_servers: int | None,
    max_apps: int | None,
    pilot: bool,
) -> None:
    apps, deps, decided = estate
    options = WaveOptions(
        max_servers_per_wave=max_servers, max_applications_per_wave=max_apps, pilot=pilot
    )
    plan = plan_waves(apps, deps, decided, options)
    scheduled = [w.application for wave in plan.waves for w in wave.workloads]
    excluded = [e.application for e in plan.excluded]
    # Every application is in exactly one wave, or excluded with a reason.
    assert sorted(scheduled + excluded) == sorted(a.name for a in apps)
    assert len(set(scheduled)) == len(scheduled)
    assert all(e.reason for e in plan.excluded)
    assert {decided[a] for a in excluded} <= {"RETAIN", "RETIRE"}
    # Nothing lands before what it hard-depends on (hybrid-reachable targets excepted).
    # Exceptions: a group split for size (said in the notes) and a pilot bridged over the
    # hybrid link (a "transition" link).
    wave = plan.wave_of()
    split = {w.application for v in plan.waves for w in v.workloads if _split(w.reasons)}
    bridged = {(h.source, h.target) for h in plan.hybrid_links if h.kind == "transition"}
    for dep in deps:
        s, t = dep.source, dep.target
        hard = decided[s] in LANDING and decided.get(t) in LANDING
        if dep.kind is DependencyKind.APPLICATION and hard and wave[s] < wave[t]:
            assert (s, t) in bridged or {s, t} & split, (s, t)
    # Waves are numbered 1..n (bounds: tests/plan/test_waves_capacity.py).
    assert [w.number for w in plan.waves] == list(range(1, len(plan.waves) + 1))
    # Pilot waves come first and hold only low-criticality work.
    kinds = [w.kind for w in plan.waves]
    assert kinds == sorted(kinds, key=[WaveKind.PILOT, WaveKind.STANDARD, WaveKind.LATE].index)
    by_name = {a.name: a for a in apps}
    low = (Criticality.LOW, Criticality.MEDIUM)
    for w in plan.waves:
        if w.kind is WaveKind.PILOT:
            for x in w.workloads:
                criticality = by_name[x.application].criticality
                assert criticality in low
                if criticality is not Criticality.LOW:  # a stand-in, and the notes say so
                    assert any(x.application in n for n in plan.notes)


def _split(reasons: tuple[str, ...]) -> bool:
    return any(
        "too large for one wave" in r or "larger than one wave" in r or "too many for one wave" in r
        for r in reasons
    )
