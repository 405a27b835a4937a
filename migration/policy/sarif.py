"""SARIF 2.1.0 output, so CI shows guardrail findings as code-scanning alerts.

Findings from several previews (CI shards, whose artifacts may each hold the landing zone's
preview) become one run: one result per rule, resource and message (a rule may say two
different things of one resource, e.g. of two of its disks), in a stable order, so the upload
is the same whichever shard finished first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from forcelift.migration.policy.model import NCSC_PRINCIPLES, Finding, Guardrail, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
_SCORE = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.0",
    Severity.LOW: "2.0",
}


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per rule, resource and message (an unwaived copy wins over a waived one),
    sorted by rule, stack, resource and message."""
    kept: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule_id, finding.urn, finding.message)
        if key not in kept or (kept[key].waived and not finding.waived):
            kept[key] = finding
    return sorted(kept.values(), key=lambda f: (f.rule_id, f.stack, f.urn, f.message))


def to_sarif(
    findings: Sequence[Finding],
    rules: Sequence[Guardrail],
    *,
    version: str,
    artifact: str = "Pulumi.yaml",
) -> dict[str, Any]:
    """One run; a result per finding (merge several previews' first, :func:`merge_findings`),
    located at the stack's config file and the resource URN."""
    index = {rule.id: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "forcelift",
                        "version": version,
                        "informationUri": "https://github.com/forcelift/forcelift",
                        "rules": [
                            {
                                "id": rule.id,
                                "name": rule.id.replace("-", ""),
                                "shortDescription": {"text": rule.title},
                                "fullDescription": {
                                    "text": rule.title
                                    + ". NCSC Cloud Security Principles: "
                                    + "; ".join(
                                        f"{p} {NCSC_PRINCIPLES[p]}" for p in rule.principles
                                    )
                                },
                                "help": {"text": rule.remediation},
                                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                                "properties": {
                                    "security-severity": _SCORE[rule.severity],
                                    "tags": ["security", *(f"ncsc-{p}" for p in rule.principles)],
                                },
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.rule_id,
                        "ruleIndex": index.get(f.rule_id, 0),
                        "level": "note" if f.waived else _LEVEL[f.severity],
                        "message": {"text": f"{f.message} ({f.urn})"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {
                                        "uri": f"Pulumi.{f.stack}.yaml" if f.stack else artifact
                                    }
                                },
                                "logicalLocations": [
                                    {"fullyQualifiedName": f.urn, "kind": "resource"}
                                ],
                            }
                        ],
                        **(
                            {
                                "suppressions": [
                                    {
                                        "kind": "external",
                                        "status": "accepted",
                                        "justification": f.waiver.reason,
                                    }
                                ]
                            }
                            if f.waiver
                            else {}
                        ),
                    }
                    for f in findings
                ],
            }
        ],
    }
