"""Assessment readiness: what Azure Migrate or AWS Migration Hub said about each server.

The readers keep the tool's readiness verdict and reasons on `Server.assessment`; these rules
turn them into blockers and reasons so a "Not ready" machine is never rehosted without a word.
"""

from __future__ import annotations

import re

from forcelift.migration.classify.context import Context
from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.rules.base import Family, Phase, RuleSet, Verdict
from forcelift.migration.inventory.model import Server
from forcelift.migration.inventory.vocabulary import NOT_READY, READY_WITH_CONDITIONS

RULES = RuleSet(Family.READINESS)

#: decisions under which servers move onto cloud compute (PaaS may keep some servers as VMs)
_MOVING = (Decision.IAAS, Decision.PAAS)
_TOOLS = {"azure-migrate": "Azure Migrate", "aws-migration-hub": "AWS Migration Hub"}
_NOT_LETTERS = re.compile(r"[^a-z]+")
# The inventory normalises readiness once (Assessment's validator: "Conditionally ready",
# "NOT  READY" ...), so the rules compare its words as they are.
_NOT_READY = frozenset({NOT_READY})
_CONDITIONAL = frozenset({READY_WITH_CONDITIONS})


def readiness_key(value: str) -> str:
    """The readiness word without case, spaces or punctuation ("Not  ready" -> "notready"),
    for comparing free text; the rules need not, `Assessment.readiness` is normalised."""
    return _NOT_LETTERS.sub("", value.casefold())


def _assessed(ctx: Context, wanted: frozenset[str]) -> list[Server]:
    return [s for s in ctx.servers if s.assessment is not None and s.assessment.readiness in wanted]


def _said(server: Server, fallback: str) -> str:
    """One server's name, the tool that assessed it and the tool's own reasons."""
    assessment = server.assessment
    if assessment is None:
        return server.name
    tool = _TOOLS.get(assessment.source, assessment.source)
    reasons = "; ".join(r.strip() for r in assessment.readiness_reasons if r.strip()) or fallback
    return f"{server.name} ({tool}: {reasons})"


@RULES.rule(
    "READY-001",
    "Assessment tool says a server is not ready",
    rationale="""Azure Migrate and AWS Migration Hub check each machine against what the target
    VM service supports (boot type, OS version, disk count and size, network adapters). A
    machine they call not ready cannot be lifted as it is: the named issue is fixed on-premise
    or the server is rebuilt before it moves, so the move carries a blocker and more effort.""",
    condition="""the workload moves to IaaS or PaaS and the assessment of one of its servers
    says "Not ready" (any case or spacing)""",
    phase=Phase.SECOND,
    applies_to=_MOVING,
    tags=("assessment", "readiness", "blocker"),
)
def not_ready(ctx: Context) -> Verdict | None:
    if ctx.decision not in _MOVING:
        return None
    servers = _assessed(ctx, _NOT_READY)
    if not servers:
        return None
    said = [_said(s, "no reason given") for s in servers]
    return Verdict(
        f"the assessment says not ready for migration: {', '.join(said)}",
        blockers=tuple(
            f"not ready for migration per the assessment: {item}: fix it or rebuild the server "
            "before it moves"
            for item in said
        ),
        penalty=1,
        effort=1,
    )


@RULES.rule(
    "READY-002",
    "Assessment tool says a server is ready with conditions",
    rationale="""A machine the assessment tool calls ready with conditions can move, but only once
    its conditions are met (an unsupported OS edition, a disk above the size the target prefers,
    a network adapter to replace). The conditions are part of the move's checklist.""",
    condition="""the workload moves to IaaS or PaaS and the assessment of one of its servers
    says "Ready with conditions" (any case or spacing)""",
    phase=Phase.SECOND,
    applies_to=_MOVING,
    tags=("assessment", "readiness"),
)
def ready_with_conditions(ctx: Context) -> Verdict | None:
    if ctx.decision not in _MOVING:
        return None
    servers = _assessed(ctx, _CONDITIONAL)
    if not servers:
        return None
    said = [_said(s, "conditions not listed") for s in servers]
    return Verdict(f"the assessment says ready with conditions: {', '.join(said)}")
