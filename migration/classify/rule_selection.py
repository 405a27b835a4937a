"""Which built-in rules run: a user's data file excludes some, as the CAF landing-zone module's
archetype exclusion files do. The rules stay code; the choice of them is data (docs/rules.md).

    # rules.yaml
    exclude:
      - RETIRE-002   # "replaced" in the CMDB is not proof here: we decide those by hand
"""

from __future__ import annotations

from pathlib import Path

from forcelift.migration.classify.registry import all_rules
from forcelift.migration.classify.rules.base import Rule
from forcelift.migration.classify.yamlfile import read_yaml
from forcelift.migration.errors import InputError, Problem

KEYS = frozenset({"exclude"})


def load_rule_selection(path: Path) -> tuple[Rule, ...]:
    """The registered rules minus those the file excludes, in registry order.

    An unknown id is an error (a typo would silently keep the rule), as is an unknown key.
    """
    doc = read_yaml(path)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise InputError(
            "a rules file is a mapping with an `exclude:` list of rule ids", doc.location(())
        )
    problems = [
        Problem(f"unknown key {key!r}", doc.location((key,)), hint="the one key is `exclude`")
        for key in sorted(map(str, data))
        if key not in KEYS
    ]
    excluded = data.get("exclude") or []
    if not isinstance(excluded, list):
        problems.append(Problem("`exclude` is a list of rule ids", doc.location(("exclude",))))
        raise InputError(problems)
    rules = all_rules()
    known = {rule.id for rule in rules}
    for i, rule_id in enumerate(excluded):
        if str(rule_id) not in known:
            problems.append(
                Problem(
                    f"no rule {rule_id!r}",
                    doc.location(("exclude", i)),
                    hint="`forcelift rules list` shows every id",
                )
            )
    if problems:
        raise InputError(problems)
    dropped = {str(rule_id) for rule_id in excluded}
    return tuple(rule for rule in rules if rule.id not in dropped)
