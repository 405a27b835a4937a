"""The NCSC Cloud Security Principles coverage matrix: principle x guardrails x controls.

A principle is "checked" when at least one guardrail supports it and the previews were
checked; its status then follows the findings of those guardrails. A principle no guardrail
checks is met "by design" (the landing zone components build the control) or is the force's
own ("force") when no platform control exists. Controls live in ncsc-controls.yaml, so a force
can read and challenge them without reading code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from forcelift.migration.policy.model import NCSC_PRINCIPLES
from forcelift.migration.report.formatting import plural
from forcelift.migration.report.style import cloud_label

if TYPE_CHECKING:
    from forcelift.migration.plan.planfile import Plan
    from forcelift.migration.report.guardrail_rows import FindingRow


@dataclass(frozen=True)
class NcscRow:
    number: int
    title: str
    guardrails: tuple[str, ...]
    controls: tuple[tuple[str, tuple[str, ...]], ...]  # (cloud label, controls)
    force: str
    status: str  # "findings", "waived", "checked", "not previewed", "by design", "force"
    detail: str


@lru_cache(maxsize=1)
def _controls() -> dict[int, dict[str, Any]]:
    text = resources.files("forcelift.migration.report").joinpath("ncsc-controls.yaml")
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    return {int(k): v for k, v in data["principles"].items()}


def ncsc_matrix(plan: Plan, findings: Sequence[FindingRow], previewed: bool) -> tuple[NcscRow, ...]:
    from forcelift.migration.policy.rules import GUARDRAILS

    controls = _controls()
    rows = []
    for number, title in sorted(NCSC_PRINCIPLES.items()):
        rules = tuple(sorted(r.id for r in GUARDRAILS if number in r.principles))
        entry = controls.get(number, {})
        by_cloud = tuple(
            (cloud_label(c.cloud), tuple(entry.get(c.cloud) or ())) for c in plan.clouds
        )
        related = [f for f in findings if number in f.principles]
        open_ = sum(1 for f in related if not f.waived)
        waived = len(related) - open_
        if rules and not previewed:
            status, detail = "not previewed", f"{plural(len(rules), 'guardrail')} not yet run"
        elif rules and open_:
            status, detail = "findings", f"{plural(open_, 'open finding')}"
        elif rules and waived:
            status, detail = "waived", f"{plural(waived, 'waived finding')}"
        elif rules:
            status, detail = "checked", "no findings"
        elif any(items for _, items in by_cloud):
            status, detail = "by design", "built into the landing zone; no guardrail checks it"
        else:
            status, detail = "force", "outside the platform: the force's responsibility"
        rows.append(
            NcscRow(
                number=number,
                title=title,
                guardrails=rules,
                controls=by_cloud,
                force=str(entry.get("force") or ""),
                status=status,
                detail=detail,
            )
        )
    return tuple(rows)
