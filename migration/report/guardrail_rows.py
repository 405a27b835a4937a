"""The report's guardrail rows: findings, stacks (planned and previewed) and the overall verdict.

Worked out from the policy findings and the stack previews; `ReportContext` carries them and
the NCSC matrix reads the finding rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.policy.model import Finding
from forcelift.migration.report.inputs import preview_digest
from forcelift.migration.report.style import SEVERITY_RANK


@dataclass(frozen=True)
class FindingRow:
    severity: str
    rule: str
    title: str
    stack: str
    resource: str
    urn: str
    message: str
    remediation: str
    principles: tuple[int, ...]
    waived: bool
    waiver: str
    blocking: bool


@dataclass(frozen=True)
class StackRow:
    cloud: str
    name: str
    layer: str
    wave: int | None
    part: int | None
    applications: int
    estimated: int
    previewed: bool
    resources: int  # custom resources in the preview
    components: int
    protected: int
    types: tuple[tuple[str, int], ...]  # type token -> count of custom resources
    open_findings: int
    waived_findings: int


@dataclass(frozen=True)
class Guardrails:
    expected_stacks: int
    previewed_stacks: int
    findings: int
    blocking: int
    waived: int
    state: str  # "not previewed", "pass", "fail", "incomplete"
    text: str


def resource_name(urn: str) -> str:
    """The resource's own name: the part of a Pulumi URN after the last '::'."""
    return urn.rsplit("::", 1)[-1] if "::" in urn else urn


def finding_rows(findings: Sequence[Finding]) -> tuple[FindingRow, ...]:
    from forcelift.migration.policy.check import blocking

    stopping = {id(f) for f in blocking(findings)}
    rows = [
        FindingRow(
            severity=f.severity.value,
            rule=f.rule_id,
            title=f.title,
            stack=f.stack,
            resource=resource_name(f.urn),
            urn=f.urn,
            message=f.message,
            remediation=f.remediation,
            principles=f.principles,
            waived=f.waived,
            waiver=(
                f"{f.waiver.reason} (until {f.waiver.expires.isoformat()}"
                + (f", approved by {f.waiver.approved_by}" if f.waiver.approved_by else "")
                + ")"
                if f.waiver
                else ""
            ),
            blocking=id(f) in stopping,
        )
        for f in findings
    ]
    rows.sort(key=lambda r: (r.waived, -SEVERITY_RANK.get(r.severity, 0), r.rule, r.stack, r.urn))
    return tuple(rows)


def stack_rows(
    plan: Plan, previews: Mapping[str, Mapping[str, Any]], findings: Sequence[FindingRow]
) -> tuple[StackRow, ...]:
    open_by = Counter(f.stack for f in findings if not f.waived)
    waived_by = Counter(f.stack for f in findings if f.waived)
    rows: list[StackRow] = []
    planned: set[str] = set()
    for cloud in plan.clouds:
        for stack in cloud.stacks:
            planned.add(stack.name)
            rows.append(
                _stack_row(
                    cloud.cloud,
                    stack.name,
                    stack.layer,
                    stack.wave,
                    stack.part,
                    len(stack.applications),
                    stack.estimated_resources,
                    previews.get(stack.name),
                    open_by[stack.name],
                    waived_by[stack.name],
                )
            )
    for name in sorted(set(previews) - planned):
        preview = previews[name]
        named = str((preview.get("config") or {}).get("forcelift:cloud", ""))
        rows.append(
            _stack_row(named, name, "", None, None, 0, 0, preview, open_by[name], waived_by[name])
        )
    return tuple(rows)


def _stack_row(
    cloud: str,
    name: str,
    layer: str,
    wave: int | None,
    part: int | None,
    applications: int,
    estimated: int,
    preview: Mapping[str, Any] | None,
    open_findings: int,
    waived_findings: int,
) -> StackRow:
    # a whole preview, or the digest of one the run kept (inputs.preview_digest)
    digest = preview_digest(preview) if preview and "resources" in preview else preview or {}
    types = Counter({str(k): int(v) for k, v in (digest.get("counts") or {}).items()})
    return StackRow(
        cloud=cloud,
        name=name,
        layer=layer,
        wave=wave,
        part=part,
        applications=applications,
        estimated=estimated,
        previewed=preview is not None,
        resources=sum(types.values()),
        components=int(digest.get("components") or 0),
        protected=int(digest.get("protected") or 0),
        types=tuple(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        open_findings=open_findings,
        waived_findings=waived_findings,
    )


def guardrails(stacks: Sequence[StackRow], findings: Sequence[FindingRow]) -> Guardrails:
    expected = sum(1 for s in stacks if s.layer)
    previewed = sum(1 for s in stacks if s.previewed)
    blocking = sum(1 for f in findings if f.blocking)
    waived = sum(1 for f in findings if f.waived)
    open_count = len(findings) - waived
    if previewed == 0:
        state, text = "not previewed", "not previewed: run `forcelift preview` to check them"
    elif blocking:
        state = "fail"
        text = f"{blocking} blocking finding{'s' if blocking != 1 else ''} (high or critical)"
    elif previewed < expected:
        state = "incomplete"
        text = f"{previewed} of {expected} stacks previewed"
    else:
        state = "pass"
        text = "no blocking findings"
    if previewed and open_count and not blocking:
        text += f"; {open_count} other finding{'s' if open_count != 1 else ''}"
    if waived:
        text += f"; {waived} waived"
    return Guardrails(expected, previewed, len(findings), blocking, waived, state, text)
