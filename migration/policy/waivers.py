"""Guardrail waivers as the plan records them, read with line numbers for clear errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.policy.model import Waiver
from forcelift.migration.policy.rules import BY_ID


class WaiverEntry(BaseModel):
    """One `waivers:` entry in plan.yaml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    resource: str = Field(min_length=1)
    reason: str = Field(min_length=5)
    expires: dt.date
    approved_by: str = ""

    def to_waiver(self) -> Waiver:
        return Waiver(self.rule, self.resource, self.reason, self.expires, self.approved_by)


def parse_waivers(entries: Sequence[Any] | None, file: str = "plan.yaml") -> list[Waiver]:
    """Validate every entry; unknown rule ids and bad dates stop with the entry's index."""
    problems: list[Problem] = []
    waivers: list[Waiver] = []
    for i, raw in enumerate(entries or []):
        where = Location(file=file, column=f"waivers[{i}]")
        try:
            entry = WaiverEntry.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                field = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(f"waivers[{i}].{field}: {err['msg']}", where))
            continue
        if entry.rule not in BY_ID:
            problems.append(
                Problem(
                    f"waivers[{i}].rule: unknown guardrail {entry.rule!r}",
                    where,
                    hint="see `forcelift policy rules` for the ids",
                )
            )
            continue
        waivers.append(entry.to_waiver())
    if problems:
        raise InputError(problems)
    return waivers
