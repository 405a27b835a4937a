"""The rule registry: the families, listed explicitly, in the order they are evaluated.

Order matters twice: it breaks ties between proposals of equal precedence (earlier wins) and it
orders reasons in the output. Adding a family means adding it here, and a section to
docs/rules.md.
"""

from __future__ import annotations

import functools

from forcelift.migration.classify.rules import (
    blockers,
    catalogue_matches,
    connectivity,
    data_security,
    lifecycle,
    platform,
    readiness,
    workloads,
)
from forcelift.migration.classify.rules.base import RULE_ID, Rule, RuleSet

FAMILIES: tuple[RuleSet, ...] = (
    lifecycle.RULES,
    blockers.RULES,
    workloads.RULES,
    catalogue_matches.RULES,
    data_security.RULES,
    platform.RULES,
    connectivity.RULES,
    readiness.RULES,
)


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every registered rule; ids are checked unique and well formed."""
    rules = tuple(rule for family in FAMILIES for rule in family.rules)
    seen: set[str] = set()
    for rule in rules:
        if not RULE_ID.match(rule.id):
            raise RuntimeError(f"rule id {rule.id!r} is not well formed")
        if rule.id in seen:
            raise RuntimeError(f"rule id {rule.id!r} is registered twice")
        seen.add(rule.id)
    return rules


def rule_index() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}
