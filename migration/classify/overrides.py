"""Architects' overrides: a pinned decision per application, with who, when and why.

File format (docs/classify.md)::

    overrides:
      - application: Niche RMS
        decision: IAAS
        target: {azure: Azure VMs (Niche-certified sizes), aws: Amazon EC2}   # optional
        reason: Supplier certifies VMs only until the 2027 release
        by: J. Patel, lead architect
        date: 2026-03-02

A bad entry (unknown application or decision, duplicate application, missing field) stops the
whole file with every problem listed; no override is applied from a file with errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from forcelift.migration.classify.model import Decision, Strategy, Targets
from forcelift.migration.classify.yamlfile import described_as, read_yaml, validation_problems
from forcelift.migration.errors import InputError, Problem


class Override(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    application: Annotated[str, Field(min_length=1)]
    decision: Decision
    strategy: Strategy | None = None
    target: Targets | None = None
    reason: Annotated[str, Field(min_length=1)]
    by: Annotated[str, Field(min_length=1)]
    date: dt.date

    @field_validator("decision", mode="before")
    @classmethod
    def _decision_upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("strategy", mode="before")
    @classmethod
    def _strategy_lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("target", mode="before")
    @classmethod
    def _one_target_for_both(cls, value: object) -> object:
        if isinstance(value, str):
            return {"azure": value, "aws": value}
        return value


def load_overrides(path: Path, applications: Iterable[str]) -> dict[str, Override]:
    """Overrides by lower-cased application name; InputError lists every problem found."""
    doc = read_yaml(path)
    data: Any = doc.data
    prefix: tuple[int | str, ...] = ()
    if isinstance(data, dict) and set(data) == {"overrides"}:
        data, prefix = data["overrides"], ("overrides",)
    if data is None:
        return {}
    if not isinstance(data, list):
        raise InputError(
            "an overrides file is a list of overrides (or a mapping with an `overrides:` list)",
            doc.location(()),
        )
    known = {name.lower(): name for name in applications}
    problems: list[Problem] = []
    found: dict[str, Override] = {}
    first_at: dict[str, int] = {}
    for i, raw in enumerate(data):
        where = (*prefix, i)
        if not isinstance(raw, dict):
            problems.append(Problem("each override is a mapping", doc.location(where)))
            continue
        name = str(raw.get("application", f"#{i + 1}"))
        try:
            override = Override.model_validate(raw)
        except ValidationError as exc:
            describe = described_as(f"override for {name!r}")
            problems.extend(validation_problems(exc, doc, where, describe))
            continue
        key = override.application.lower()
        if key not in known:
            problems.append(
                Problem(
                    f"override for unknown application {override.application!r}",
                    doc.location((*where, "application"), "application"),
                    hint="the name must match an application in the inventory",
                )
            )
            continue
        line = doc.line((*where, "application"))
        if key in found:
            problems.append(
                Problem(
                    f"duplicate override for {override.application!r} (first at line "
                    f"{first_at[key]})",
                    doc.location((*where, "application"), "application"),
                )
            )
            continue
        found[key] = override
        first_at[key] = line or 0
    if problems:
        raise InputError(problems)
    return found
