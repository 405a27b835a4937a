"""The classifier's output: one explainable decision per application.

Models are frozen and collections are tuples in a fixed order, so the same inventory, catalogue,
overrides and `as_of` date always serialise to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Decision(StrEnum):
    """Where a workload goes. Order is the order tables and matrices use."""

    SAAS = "SAAS"
    PAAS = "PAAS"
    IAAS = "IAAS"
    RETAIN = "RETAIN"
    RETIRE = "RETIRE"


class Strategy(StrEnum):
    """The "7 Rs" of migration strategy."""

    REPURCHASE = "repurchase"
    REPLATFORM = "replatform"
    REFACTOR = "refactor"
    REHOST = "rehost"
    RELOCATE = "relocate"
    RETAIN = "retain"
    RETIRE = "retire"


DEFAULT_STRATEGY: dict[Decision, Strategy] = {
    Decision.SAAS: Strategy.REPURCHASE,
    Decision.PAAS: Strategy.REPLATFORM,
    Decision.IAAS: Strategy.REHOST,
    Decision.RETAIN: Strategy.RETAIN,
    Decision.RETIRE: Strategy.RETIRE,
}


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    def lowered(self, steps: int) -> Confidence:
        order = (Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW)
        return order[min(len(order) - 1, order.index(self) + max(0, steps))]


class Effort(StrEnum):
    S = "S"
    M = "M"
    L = "L"


class Targets(_Model):
    """The service each cloud would run the workload on (free text, as an architect writes)."""

    azure: str
    aws: str

    @classmethod
    def of(cls, azure: str, aws: str) -> Targets:
        """A shared instance per pair: rules ask for the same few pairs thousands of times."""
        return _targets(azure, aws)


@functools.lru_cache(maxsize=4096)
def _targets(azure: str, aws: str) -> Targets:
    return Targets(azure=azure, aws=aws)


DEFAULT_TARGETS: dict[Decision, Targets] = {
    Decision.SAAS: Targets(azure="supplier SaaS", aws="supplier SaaS"),
    Decision.PAAS: Targets(azure="Azure managed services", aws="AWS managed services"),
    Decision.IAAS: Targets(azure="Azure Virtual Machines", aws="Amazon EC2"),
    Decision.RETAIN: Targets(azure="stays on-premise", aws="stays on-premise"),
    Decision.RETIRE: Targets(azure="decommission", aws="decommission"),
}


class OverrideInfo(_Model):
    """An architect's pinned decision, kept next to what the rules would have said."""

    decision: Decision
    reason: str
    by: str
    date: dt.date
    rules_decision: Decision


class Classification(_Model):
    application: str
    decision: Decision
    strategy: Strategy
    targets: Targets
    confidence: Confidence
    effort: Effort
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    blockers: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    override: OverrideInfo | None = None


class ClassificationResult(_Model):
    """Everything `forcelift classify` prints; `as_of` dates the lifecycle checks."""

    force: str = ""
    as_of: dt.date
    catalogue_entries: int
    rules_evaluated: int
    counts: dict[str, int]
    classifications: tuple[Classification, ...]

    def by_application(self) -> dict[str, Classification]:
        return {c.application.lower(): c for c in self.classifications}


def decision_counts(classifications: tuple[Classification, ...]) -> dict[str, int]:
    """Counts for every decision, zeros included, in the enum's order."""
    counts = {d.value: 0 for d in Decision}
    for item in classifications:
        counts[item.decision.value] += 1
    return counts
