"""Each rule fires on its `fires` workload and stays quiet on its `quiet` one; registry hygiene."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from forcelift.migration.classify.engine import Classifier
from forcelift.migration.classify.evaluate import fragment_inventory
from forcelift.migration.classify.registry import FAMILIES, all_rules
from forcelift.migration.classify.rules.base import RULE_ID, Phase

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parents[2] / "docs" / "rules.md"
FIXTURES: dict[str, Any] = yaml.safe_load((DATA / "rules.yaml").read_text())
RULE_IDS = [rule.id for rule in all_rules()]


def _fired(rule_id: str, fragment: dict[str, Any]) -> bool:
    classifier = Classifier(as_of=FIXTURES["as_of"])
    name = fragment["application"]["name"].lower()
    outcome = next(
        o for o in classifier.outcomes(fragment_inventory(fragment)) if o.context.key == name
    )
    return any(ev.rule.id == rule_id for ev in outcome.fired)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_workload(rule_id: str) -> None:
    assert _fired(rule_id, FIXTURES["rules"][rule_id]["fires"]), rule_id


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_quiet_on_the_other(rule_id: str) -> None:
    assert not _fired(rule_id, FIXTURES["rules"][rule_id]["quiet"]), rule_id


def test_every_rule_has_both_fixtures_and_no_fixture_is_orphaned() -> None:
    assert set(FIXTURES["rules"]) == set(RULE_IDS)
    for rule_id, cases in FIXTURES["rules"].items():
        assert set(cases) == {"fires", "quiet"}, rule_id


def test_ids_are_unique_and_well_formed() -> None:
    assert len(RULE_IDS) == len(set(RULE_IDS))
    assert all(RULE_ID.match(rule_id) for rule_id in RULE_IDS)


def test_every_rule_explains_itself() -> None:
    for rule in all_rules():
        assert len(rule.title) > 5, rule.id
        assert len(rule.rationale.split()) >= 15, rule.id
        assert len(rule.condition.split()) >= 5, rule.id


def test_every_rule_is_documented_with_its_title() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in all_rules():
        heading = re.search(rf"^### {re.escape(rule.id)}: (.+)$", text, re.M)
        assert heading, f"{rule.id} has no section in docs/rules.md"
        assert heading.group(1).strip() == rule.title, rule.id
        assert rule.condition in text and rule.rationale in text, f"{rule.id} docs are stale"


def test_families_are_one_module_each_and_second_pass_rules_never_decide() -> None:
    modules = {family.rules[0].evaluate.__module__ for family in FAMILIES}
    assert len(modules) == len(FAMILIES) >= 7
    second = [r for r in all_rules() if r.phase is Phase.SECOND]
    assert second and all(r.precedence == 0 and not r.decisive and not r.hard for r in second)


def test_decisive_and_hard_flags_only_on_rules_that_decide_or_veto() -> None:
    for rule in all_rules():
        if rule.decisive:
            assert rule.precedence > 0, rule.id
