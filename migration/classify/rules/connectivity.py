"""Connectivity and coupling: national services, partners, and what the neighbours decided.

These rules run in the second pass, when every application has a first-pass decision (or an
architect's override), so a workload can be checked against the workloads it talks to.
"""

from __future__ import annotations

from forcelift.migration.classify.context import Context
from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.rules.base import Family, Phase, RuleSet, Verdict
from forcelift.migration.inventory.model import DependencyKind, ExternalService

RULES = RuleSet(Family.CONNECTIVITY)

_CLOUD = (Decision.SAAS, Decision.PAAS, Decision.IAAS)
_BUILT = (Decision.PAAS, Decision.IAAS)
_NATIONAL = (ExternalService.PNC, ExternalService.PND, ExternalService.LEDS, ExternalService.PSN)
_PARTNERS = (ExternalService.CJSM, ExternalService.PARTNER)
_SHOWN = 3


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def _neighbours_staying(ctx: Context) -> list[str]:
    """Applications this one exchanges data with that stay on-premise."""
    decisions = ctx.decisions
    found = {name for key, name in ctx.calls if decisions.get(key) is Decision.RETAIN}
    found.update(name for key, name in ctx.callers if decisions.get(key) is Decision.RETAIN)
    return sorted(found, key=str.lower)


@RULES.rule(
    "CONN-001",
    "Needs PNC, PND or LEDS over PSN for Policing",
    rationale="""PNC, PND and LEDS are national Home Office systems reached only over PSN for
    Policing. They never migrate; a workload that uses them and moves needs private hybrid
    connectivity from the landing zone to the PSNP (or a SaaS supplier that is PSN-connected).""",
    condition="the workload moves to the cloud and depends on PNC, PND, LEDS or PSN",
    phase=Phase.SECOND,
    applies_to=_CLOUD,
    tags=("connectivity", "psn"),
)
def national_services(ctx: Context) -> Verdict | None:
    if ctx.decision not in _CLOUD:
        return None
    used = [s.value for s in ctx.externals if s in _NATIONAL]
    if not used:
        return None
    listed = ", ".join(used)
    systems = ", ".join(s for s in used if s != ExternalService.PSN.value)
    if ctx.decision is Decision.SAAS:
        reach = f"reach {systems} over" if systems else "connect to"
        blocker = (
            f"the SaaS supplier must {reach} PSN for Policing: confirm its PSN connection and "
            "compliance"
        )
    else:
        blocker = f"needs PSN for Policing connectivity from the landing zone ({listed})"
    return Verdict(f"uses national services {listed}", blockers=(blocker,))


@RULES.rule(
    "CONN-002",
    "Partner and criminal-justice interfaces",
    rationale="""Interfaces to partners (CJSM secure email, courts, CPS, local authorities) are
    set up against the force's current addresses; moving the workload means new allow-lists,
    certificates or VPNs on the partners' side, which take partners' time.""",
    condition="the workload moves to the cloud and depends on CJSM or a partner system",
    phase=Phase.SECOND,
    applies_to=_BUILT,
    tags=("connectivity",),
)
def partner_interfaces(ctx: Context) -> Verdict | None:
    if ctx.decision not in _BUILT:
        return None
    partners = sorted(
        {
            d.target
            for d in ctx.outgoing
            if d.kind is DependencyKind.EXTERNAL and d.service in _PARTNERS
        },
        key=str.lower,
    )
    if not partners:
        return None
    return Verdict(
        f"exchanges data with partners: {_names(partners)}",
        blockers=(
            f"re-establish partner interfaces ({_names(partners)}) from the landing zone: new "
            "addresses on the partners' allow-lists",
        ),
    )


@RULES.rule(
    "CONN-003",
    "Its database stays on-premise",
    rationale="""An application and its database are chatty: splitting them across the hybrid
    link adds latency to every query and makes both depend on the link. A workload that moves
    while its database stays behind must move with it, or stay too.""",
    condition="""the workload moves to PaaS or IaaS and depends on a database application whose
    decision is RETAIN""",
    phase=Phase.SECOND,
    applies_to=_BUILT,
    tags=("coupling",),
)
def database_left_behind(ctx: Context) -> Verdict | None:
    if ctx.decision not in _BUILT:
        return None
    databases = sorted(
        {
            name
            for key, name in ctx.calls
            if key in ctx.database_apps and ctx.decisions.get(key) is Decision.RETAIN
        },
        key=str.lower,
    )
    if not databases:
        return None
    listed = _names(databases)
    return Verdict(
        f"its database {listed} stays on-premise",
        blockers=(
            f"its database {listed} stays on-premise: move them together or keep both on-premise",
        ),
        penalty=1,
        conflict=f"{ctx.decision.value if ctx.decision else '?'} here, but its database "
        f"{listed} is RETAIN",
    )


@RULES.rule(
    "CONN-004",
    "Talks to workloads that stay on-premise",
    rationale="""Every interface to a workload that stays on-premise becomes hybrid traffic
    through the landing zone's connection to the force network; it has to be sized, secured and
    resilient before the move.""",
    condition="the workload moves to the cloud and exchanges data with an application that stays",
    phase=Phase.SECOND,
    applies_to=_CLOUD,
    tags=("coupling", "connectivity"),
)
def hybrid_neighbours(ctx: Context) -> Verdict | None:
    if ctx.decision not in _CLOUD:
        return None
    staying = _neighbours_staying(ctx)
    if ctx.decision in _BUILT:  # a database left behind is CONN-003's finding
        called = {key for key, _ in ctx.calls if key in ctx.database_apps}
        staying = [n for n in staying if n.lower() not in called]
    if not staying:
        return None
    return Verdict(
        f"exchanges data with {_names(staying)}, which stay on-premise",
        blockers=(f"needs hybrid connectivity to {_names(staying)} (staying on-premise)",),
    )


@RULES.rule(
    "CONN-005",
    "Retirement candidate still in use",
    rationale="""A workload cannot be switched off while others still call it: either the
    callers are repointed first, or the retirement evidence is wrong.""",
    condition="the decision is RETIRE and applications that are not retired depend on it",
    phase=Phase.SECOND,
    applies_to=(Decision.RETIRE,),
    tags=("coupling", "retirement"),
)
def retiring_but_used(ctx: Context) -> Verdict | None:
    if ctx.decision is not Decision.RETIRE:
        return None
    users = sorted(
        {name for key, name in ctx.callers if ctx.decisions.get(key) is not Decision.RETIRE},
        key=str.lower,
    )
    if not users:
        return None
    listed = _names(users)
    return Verdict(
        f"still used by {listed}",
        blockers=(
            f"still used by {listed}: repoint or replace those interfaces before switch-off",
        ),
        penalty=1,
        conflict=f"RETIRE here, but {listed} still depend on it",
    )
