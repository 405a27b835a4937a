"""Run the rules over an inventory and resolve them into one classification per application.

Two passes. The first evaluates each application alone and resolves its decision by
precedence and vetoes; overrides are applied to those decisions. The second evaluates the
coupling rules, which see every application's decision, and adds their blockers and conflicts.
Second-pass rules never change a decision, so two passes are enough and the cost stays linear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from forcelift.migration.classify.catalogue import Catalogue, builtin_catalogue
from forcelift.migration.classify.context import Context, ContextBuilder
from forcelift.migration.classify.model import (
    DEFAULT_STRATEGY,
    DEFAULT_TARGETS,
    Classification,
    ClassificationResult,
    Confidence,
    Decision,
    Effort,
    OverrideInfo,
    Strategy,
    decision_counts,
)
from forcelift.migration.classify.overrides import Override
from forcelift.migration.classify.registry import all_rules
from forcelift.migration.classify.rules.base import Phase, Precedence, Rule, Verdict
from forcelift.migration.inventory.model import Criticality, Inventory

_FALLBACK = Verdict(
    "no rule proposed a decision: rehost by default",
    decision=Decision.IAAS,
    strategy=Strategy.REHOST,
    confidence=Confidence.LOW,
)
_BASE_EFFORT = {
    Strategy.RETIRE: 0,
    Strategy.RETAIN: 0,
    Strategy.REHOST: 0,
    Strategy.RELOCATE: 1,
    Strategy.REPLATFORM: 1,
    Strategy.REPURCHASE: 1,
    Strategy.REFACTOR: 2,
}
_CLOUD = (Decision.SAAS, Decision.PAAS, Decision.IAAS)


class Evaluation(NamedTuple):
    """One rule evaluated on one application (`verdict` None: it did not fire)."""

    rule: Rule
    verdict: Verdict | None


class Outcome(NamedTuple):
    """Everything decided about one application, kept for `explain`."""

    context: Context
    rules: tuple[Rule, ...]
    fired: tuple[Evaluation, ...]
    winner: Evaluation | None
    vetoes: Mapping[Decision, tuple[str, ...]]
    classification: Classification

    @property
    def evaluations(self) -> tuple[Evaluation, ...]:
        """Every rule in evaluation order, with its verdict or None."""
        verdicts = {ev.rule.id: ev.verdict for ev in self.fired}
        return tuple(Evaluation(rule, verdicts.get(rule.id)) for rule in self.rules)


class _FirstPass(NamedTuple):
    context: Context
    fired: tuple[Evaluation, ...]
    winner: Evaluation | None
    vetoes: dict[Decision, tuple[str, ...]]

    @property
    def decision(self) -> Decision:
        verdict = self.winner.verdict if self.winner else _FALLBACK
        return (verdict.decision if verdict else None) or Decision.IAAS


def _resolve(
    fired: Sequence[Evaluation],
) -> tuple[Evaluation | None, dict[Decision, tuple[str, ...]]]:
    """The highest-precedence proposal nobody vetoed (ties: registry order), and the vetoes."""
    vetoes: dict[Decision, list[str]] = {}
    for ev in fired:
        if ev.verdict is not None and ev.verdict.vetoes:
            for decision in sorted(ev.verdict.vetoes):
                vetoes.setdefault(decision, []).append(ev.rule.id)
    winner: Evaluation | None = None
    for ev in fired:
        verdict = ev.verdict
        if verdict is None or verdict.decision is None or verdict.decision in vetoes:
            continue
        if winner is None or ev.rule.precedence > winner.rule.precedence:
            winner = ev
    return winner, {d: tuple(ids) for d, ids in vetoes.items()}


def _effort(
    strategy: Strategy, decision: Decision, context: Context, verdicts: Sequence[Verdict]
) -> Effort:
    """Rough size: the strategy's base, plus servers, blockers and what rules added."""
    points = _BASE_EFFORT[strategy]
    servers = len(context.servers)
    points += (servers > 3) + (servers > 10)
    points += sum(v.effort for v in verdicts)
    if decision in _CLOUD and context.app.criticality is Criticality.CRITICAL:
        points += 1
    if decision is Decision.RETIRE:
        points = min(points, 1)
    return Effort.S if points <= 0 else Effort.M if points <= 2 else Effort.L


def _dedupe(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


class Classifier:
    """Classify inventories with one catalogue, one rule set and one `as_of` date."""

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        as_of: dt.date,
        rules: Sequence[Rule] | None = None,
    ) -> None:
        self.catalogue = catalogue if catalogue is not None else builtin_catalogue()
        self.as_of = as_of
        self.rules = tuple(rules) if rules is not None else all_rules()
        self.first = tuple(r for r in self.rules if r.phase is Phase.FIRST)
        self.second = tuple(r for r in self.rules if r.phase is Phase.SECOND)
        # Second-pass rules that can apply, per decision: most rules concern only some.
        self.second_for = {
            d: tuple(r for r in self.second if not r.applies_to or d in r.applies_to)
            for d in Decision
        }

    def outcomes(
        self, inventory: Inventory, overrides: Mapping[str, Override] | None = None
    ) -> list[Outcome]:
        overrides = overrides or {}
        builder = ContextBuilder(inventory, self.catalogue, self.as_of)
        first = [self._first_pass(ctx) for ctx in builder.contexts]
        for item in first:
            pinned = overrides.get(item.context.key)
            builder.decisions[item.context.key] = pinned.decision if pinned else item.decision
        return [self._second_pass(item, overrides.get(item.context.key)) for item in first]

    def classify(
        self, inventory: Inventory, overrides: Mapping[str, Override] | None = None
    ) -> ClassificationResult:
        items = sorted(
            (o.classification for o in self.outcomes(inventory, overrides)),
            key=lambda c: (c.application.casefold(), c.application),
        )
        classifications = tuple(items)
        return ClassificationResult(
            force=inventory.force,
            as_of=self.as_of,
            catalogue_entries=len(self.catalogue),
            rules_evaluated=len(self.rules),
            counts=decision_counts(classifications),
            classifications=classifications,
        )

    def _first_pass(self, ctx: Context) -> _FirstPass:
        fired = []
        for rule in self.first:
            verdict = rule.evaluate(ctx)
            if verdict is not None:
                fired.append(Evaluation(rule, verdict))
        winner, vetoes = _resolve(fired)
        return _FirstPass(ctx, tuple(fired), winner, vetoes)

    def _second_pass(self, item: _FirstPass, override: Override | None) -> Outcome:
        ctx = item.context
        fired = list(item.fired)
        for rule in self.second_for[ctx.decision or item.decision]:
            verdict = rule.evaluate(ctx)
            if verdict is None:
                continue
            if verdict.decision is not None or verdict.vetoes:
                raise RuntimeError(f"second-pass rule {rule.id} must not decide or veto")
            fired.append(Evaluation(rule, verdict))
        classification = self._assemble(item, ctx, fired, override)
        return Outcome(ctx, self.rules, tuple(fired), item.winner, item.vetoes, classification)

    def _assemble(
        self,
        item: _FirstPass,
        ctx: Context,
        fired: Sequence[Evaluation],
        override: Override | None,
    ) -> Classification:
        winner = item.winner
        chosen = winner.verdict if winner is not None and winner.verdict else _FALLBACK
        rule_decision = chosen.decision or Decision.IAAS
        decision = override.decision if override else rule_decision

        # The winner first, then proposals agreeing with the final decision and every
        # modifier (reasons, blockers), in evaluation order.
        applied: list[Evaluation] = [winner] if winner is not None else []
        applied += [
            ev
            for ev in fired
            if ev is not winner
            and ev.verdict is not None
            and (ev.verdict.decision is None or ev.verdict.decision is decision)
            and ev.verdict.decision not in item.vetoes
        ]
        conflicts: list[str] = []
        losers: list[Evaluation] = []
        if override is None and (winner is None or winner.rule.precedence < Precedence.RETIRE):
            losers = [
                ev
                for ev in fired
                if ev.rule.decisive
                and ev.verdict is not None
                and ev.verdict.decision not in (None, decision)
            ]
            conflicts += [
                f"{ev.rule.id} would say {ev.verdict.decision.value}: {ev.verdict.reason}"
                for ev in losers
                if ev.verdict is not None and ev.verdict.decision is not None
            ]
        if override is not None and override.decision is not rule_decision:
            conflicts += [
                f"override to {override.decision.value} contradicts {ev.rule.id}: "
                f"{ev.verdict.reason}"
                for ev in fired
                if ev.rule.hard
                and ev.verdict is not None
                and override.decision in ev.verdict.vetoes
            ]
        conflicts += [ev.verdict.conflict for ev in applied if ev.verdict and ev.verdict.conflict]

        verdicts = [ev.verdict for ev in applied if ev.verdict is not None]
        if winner is None:
            verdicts.insert(0, _FALLBACK)
        reasons = [v.reason for v in verdicts]
        blockers = [b for v in verdicts for b in v.blockers]
        penalty = sum(v.penalty for v in verdicts) + len(losers)
        if override is not None:
            strategy = override.strategy or (
                chosen.strategy
                if decision is rule_decision and chosen.strategy
                else DEFAULT_STRATEGY[decision]
            )
            targets = override.target or (
                chosen.targets
                if decision is rule_decision and chosen.targets
                else DEFAULT_TARGETS[decision]
            )
            confidence = Confidence.HIGH.lowered(len(conflicts))
            if decision is not rule_decision and reasons:
                reasons[0] = f"the rules said {rule_decision.value}: {reasons[0]}"
            reasons.insert(0, f"override by {override.by} ({override.date}): {override.reason}")
            info = OverrideInfo(
                decision=override.decision,
                reason=override.reason,
                by=override.by,
                date=override.date,
                rules_decision=rule_decision,
            )
        else:
            strategy = chosen.strategy or DEFAULT_STRATEGY[decision]
            targets = chosen.targets or DEFAULT_TARGETS[decision]
            confidence = chosen.confidence.lowered(penalty)
            info = None
        rule_ids = [ev.rule.id for ev in applied] + [ev.rule.id for ev in losers]
        # Every value is built here from typed parts, so validation would only cost time.
        return Classification.model_construct(
            application=ctx.app.name,
            decision=decision,
            strategy=strategy,
            targets=targets,
            confidence=confidence,
            effort=_effort(strategy, decision, ctx, verdicts),
            rules=_dedupe(rule_ids),
            reasons=_dedupe(reasons),
            blockers=_dedupe(blockers),
            conflicts=_dedupe(conflicts),
            override=info,
        )


def classify(
    inventory: Inventory,
    *,
    as_of: dt.date,
    catalogue: Catalogue | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> ClassificationResult:
    """Classify every application of an inventory (the library entry point)."""
    return Classifier(catalogue, as_of=as_of).classify(inventory, overrides)


def explain(
    inventory: Inventory,
    application: str,
    *,
    as_of: dt.date,
    catalogue: Catalogue | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> Outcome | None:
    """The full evaluation of one application (None when there is no such application)."""
    key = application.lower()
    for outcome in Classifier(catalogue, as_of=as_of).outcomes(inventory, overrides):
        if outcome.context.key == key:
            return outcome
    return None
