"""What a rule is, what it returns, and how a family module registers its rules.

A rule is data (id, title, rationale, the condition it checks, precedence) plus one small pure
function over a :class:`~forcelift.migration.classify.context.Context`. Family modules register
rules explicitly with :meth:`RuleSet.rule`; `forcelift.migration.classify.registry` lists the
families. Nothing registers itself by being imported somewhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, NamedTuple

from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets

if TYPE_CHECKING:
    from forcelift.migration.classify.context import Context, ProductMatch

RULE_ID = re.compile(r"^(SAAS|PAAS|IAAS|RETAIN|RETIRE|BLOCK|CONN|DATA|LIFE|CAT|READY)-\d{3}$")


class TextPattern:
    """A regex guarded by substrings every match must contain.

    Most workloads' text contains none of the hints, and a substring test is far cheaper than
    scanning a long alternation regex, which matters over tens of thousands of applications.
    """

    __slots__ = ("hints", "regex")

    def __init__(self, pattern: str, hints: tuple[str, ...]) -> None:
        self.regex = re.compile(pattern)
        self.hints = hints

    def search(self, text: str) -> re.Match[str] | None:
        for hint in self.hints:
            if hint in text:
                return self.regex.search(text)
        return None


def join_services(values: Iterable[str]) -> str:
    """Target services in order, each once: "Azure App Service + Azure SQL Database"."""
    return " + ".join(dict.fromkeys(v for v in values if v))


def managed_paths(matches: Iterable[ProductMatch]) -> tuple[str, str] | None:
    """The managed services of these products joined per cloud (Azure, AWS), in order; None
    when one of them has no managed path the catalogue prefers."""
    found = list(matches)
    if any(m.entry.preferred is not Decision.PAAS or m.entry.paas is None for m in found):
        return None
    azure = join_services([m.entry.paas.azure for m in found if m.entry.paas])
    return azure, join_services([m.entry.paas.aws for m in found if m.entry.paas])


class Family(StrEnum):
    """One module per family under `forcelift.migration.classify.rules`."""

    CATALOGUE = "catalogue"
    PLATFORM = "platform"
    DATA = "data-and-security"
    CONNECTIVITY = "connectivity"
    LIFECYCLE = "lifecycle"
    BLOCKERS = "hard-blockers"
    WORKLOADS = "workload-classes"
    READINESS = "assessment-readiness"


class Precedence(IntEnum):
    """Which proposal wins when several rules propose a decision: the highest.

    Retirement evidence is final; hardware ties beat any move; a SaaS offer beats building
    anything; an OS neither cloud runs (or a service for the sites) keeps the workload on-premise
    unless SaaS replaces it; managed platforms beat VMs; VMs are the fallback.
    """

    RETIRE = 90
    HARDWARE = 80
    RETIRE_WEAK = 75
    SAAS = 70
    ON_PREMISE = 65
    PAAS = 60
    IAAS = 50
    FALLBACK = 10
    NONE = 0  # modifiers: reasons, blockers, vetoes, no decision


class Phase(IntEnum):
    FIRST = 1  # sees the application alone
    SECOND = 2  # also sees every application's first-pass decision (dependency coupling)


class Verdict(NamedTuple):
    """What a rule concluded about one application.

    `decision` proposes a decision; `vetoes` rules decisions out whatever else proposes them;
    `blockers` must be true before the workload can move; `penalty` lowers confidence by steps;
    `effort` raises effort by steps; `conflict` records a disagreement in words.
    """

    reason: str
    decision: Decision | None = None
    strategy: Strategy | None = None
    targets: Targets | None = None
    confidence: Confidence = Confidence.HIGH
    vetoes: frozenset[Decision] = frozenset()
    blockers: tuple[str, ...] = ()
    penalty: int = 0
    effort: int = 0
    conflict: str = ""


Evaluate = Callable[["Context"], Verdict | None]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    rationale: str
    condition: str  # when it fires, in words (shown by `explain` when it does not)
    family: Family
    evaluate: Evaluate
    precedence: Precedence = Precedence.NONE
    phase: Phase = Phase.FIRST
    decisive: bool = False  # overruling its proposal is reported as a conflict
    hard: bool = False  # its vetoes are hard constraints: an override against them is a conflict
    tags: tuple[str, ...] = ()
    applies_to: frozenset[Decision] = frozenset()  # second pass: only for these decisions (all)


@dataclass
class RuleSet:
    """The rules of one family, in the order they are registered."""

    family: Family
    rules: list[Rule] = field(default_factory=list)

    def rule(
        self,
        id: str,
        title: str,
        *,
        rationale: str,
        condition: str,
        precedence: Precedence = Precedence.NONE,
        phase: Phase = Phase.FIRST,
        decisive: bool = False,
        hard: bool = False,
        tags: tuple[str, ...] = (),
        applies_to: Iterable[Decision] = (),
    ) -> Callable[[Evaluate], Evaluate]:
        def register(evaluate: Evaluate) -> Evaluate:
            self.rules.append(
                Rule(
                    id=id,
                    title=title,
                    rationale=" ".join(rationale.split()),
                    condition=" ".join(condition.split()),
                    family=self.family,
                    evaluate=evaluate,
                    precedence=precedence,
                    phase=phase,
                    decisive=decisive,
                    hard=hard,
                    tags=tags,
                    applies_to=frozenset(applies_to),
                )
            )
            return evaluate

        return register
