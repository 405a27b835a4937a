"""Plain renderings of classification results: JSON, CSV, explanations, evaluation reports.

Pure functions returning text, so the CLI only prints and tests compare strings. The rich table
lives in the CLI, which is the only place that knows about terminals.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from forcelift.migration.classify.engine import Evaluation, Outcome
from forcelift.migration.classify.evaluate import EvaluationReport
from forcelift.migration.classify.model import ClassificationResult, Decision
from forcelift.migration.classify.rules.base import Phase, Rule

_SHOWN_SERVERS = 12
CSV_COLUMNS = (
    "application",
    "decision",
    "strategy",
    "azure_target",
    "aws_target",
    "confidence",
    "effort",
    "rules",
    "reasons",
    "blockers",
    "conflicts",
    "override_by",
    "override_reason",
)


def to_json(result: ClassificationResult) -> str:
    """Deterministic JSON: sorted keys, fixed order of classifications, no timestamps."""
    return json.dumps(result.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def to_csv(result: ClassificationResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in result.classifications:
        writer.writerow(
            (
                c.application,
                c.decision.value,
                c.strategy.value,
                c.targets.azure,
                c.targets.aws,
                c.confidence.value,
                c.effort.value,
                " ".join(c.rules),
                " | ".join(c.reasons),
                " | ".join(c.blockers),
                " | ".join(c.conflicts),
                c.override.by if c.override else "",
                c.override.reason if c.override else "",
            )
        )
    return out.getvalue()


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "family": rule.family.value,
        "rationale": rule.rationale,
        "condition": rule.condition,
        "precedence": int(rule.precedence),
        "pass": int(rule.phase),
        "decisive": rule.decisive,
        "hard": rule.hard,
        "tags": list(rule.tags),
    }


def _status(outcome: Outcome, ev: Evaluation) -> tuple[str, str]:
    """A short status word and the explanation for one rule's evaluation."""
    verdict = ev.verdict
    if verdict is None:
        return "not fired", f"fires when {ev.rule.condition}"
    parts = []
    status = "fired"
    if verdict.decision is not None:
        winner = outcome.winner
        if winner is not None and winner.rule.id == ev.rule.id:
            status = f"DECIDES {verdict.decision.value}"
        elif verdict.decision in outcome.vetoes:
            vetoers = ", ".join(outcome.vetoes[verdict.decision])
            status = f"proposes {verdict.decision.value}, vetoed by {vetoers}"
        elif winner is not None:
            status = (
                f"proposes {verdict.decision.value}, overruled by {winner.rule.id} "
                f"(precedence {int(winner.rule.precedence)} > {int(ev.rule.precedence)})"
                if winner.rule.precedence > ev.rule.precedence
                else f"proposes {verdict.decision.value}, overruled by {winner.rule.id} "
                "(same precedence, registered earlier)"
            )
    parts.append(verdict.reason)
    if verdict.vetoes:
        parts.append("vetoes " + ", ".join(d.value for d in sorted(verdict.vetoes)))
    parts.extend(f"blocker: {b}" for b in verdict.blockers)
    if verdict.penalty:
        parts.append(f"confidence -{verdict.penalty}")
    if verdict.effort:
        parts.append(f"effort +{verdict.effort}")
    if verdict.conflict:
        parts.append(f"conflict: {verdict.conflict}")
    return status, "; ".join(parts)


def _facts(outcome: Outcome) -> list[str]:
    ctx = outcome.context
    app = ctx.app
    users = "not recorded" if app.user_count is None else f"{app.user_count:,}"
    lines = [
        f"classification {app.classification.value}, criticality {app.criticality.value}, "
        f"users {users}",
    ]
    if ctx.servers:
        for server in ctx.servers[:_SHOWN_SERVERS]:
            os_label = server.os.label or "OS unknown"
            lines.append(f"server {server.name}: {os_label}, {server.power_state.value}")
        if len(ctx.servers) > _SHOWN_SERVERS:
            lines.append(f"... and {len(ctx.servers) - _SHOWN_SERVERS} more servers")
    else:
        lines.append("no servers")
    for match in ctx.matches:
        lines.append(
            f"product {match.entry.label} [{match.entry.id}] from {match.source.value}: "
            f"{match.evidence}"
        )
    if not ctx.matches:
        lines.append("no product matched the catalogue")
    for dep in ctx.outgoing:
        lines.append(f"depends on {dep.target} ({dep.kind.value})")
    for dep in ctx.incoming:
        lines.append(f"used by {dep.source}")
    return lines


def explain_text(outcome: Outcome) -> str:
    c = outcome.classification
    out = [
        f"{c.application}: {c.decision.value} ({c.strategy.value}), confidence "
        f"{c.confidence.value}, effort {c.effort.value}",
        f"  Azure: {c.targets.azure}",
        f"  AWS:   {c.targets.aws}",
    ]
    if c.override:
        out.append(
            f"  OVERRIDE by {c.override.by} ({c.override.date}): {c.override.reason} "
            f"(the rules said {c.override.rules_decision.value})"
        )
    out.append("")
    out.append("Facts")
    out.extend(f"  {line}" for line in _facts(outcome))
    for phase, title in (
        (Phase.FIRST, "Rules, first pass (the application alone)"),
        (Phase.SECOND, "Rules, second pass (with every application's decision)"),
    ):
        out.append("")
        out.append(title)
        for ev in outcome.evaluations:
            if ev.rule.phase is not phase:
                continue
            status, detail = _status(outcome, ev)
            out.append(f"  {ev.rule.id:<10} {status:<12} {ev.rule.title}")
            out.append(f"  {'':<10} {detail}")
    for label, items in (
        ("Reasons", c.reasons),
        ("Blockers", c.blockers),
        ("Conflicts", c.conflicts),
    ):
        out.append("")
        out.append(label + ("" if items else ": none"))
        out.extend(f"  - {item}" for item in items)
    return "\n".join(out) + "\n"


def explain_dict(outcome: Outcome) -> dict[str, Any]:
    evaluations = []
    for ev in outcome.evaluations:
        status, detail = _status(outcome, ev)
        evaluations.append(
            {
                "rule": ev.rule.id,
                "title": ev.rule.title,
                "pass": int(ev.rule.phase),
                "fired": ev.verdict is not None,
                "status": status,
                "detail": detail,
            }
        )
    return {
        "classification": outcome.classification.model_dump(mode="json"),
        "facts": _facts(outcome),
        "evaluations": evaluations,
    }


def evaluation_text(report: EvaluationReport) -> str:
    decisions = list(Decision)
    width = max(len(d.value) for d in decisions) + 2
    out = [f"agreement: {report.agreed}/{report.total} ({report.agreement:.1%})"]
    if report.alternatives:
        out.append(
            f"accepting also_accept: {report.accepted}/{report.total} "
            f"({report.accepting_agreement:.1%})"
        )
    out += [
        "",
        "confusion matrix (rows: expected, columns: classified)",
        " " * (width + 2) + "".join(f"{d.value:>{width}}" for d in decisions),
    ]
    for expected in decisions:
        row = report.matrix[expected]
        out.append(
            f"  {expected.value:<{width}}" + "".join(f"{row[d]:>{width}}" for d in decisions)
        )
    if report.disagreements:
        out.append("")
        out.append("disagreements")
        for d in report.disagreements:
            accepted = " (also accepted)" if d.accepted else ""
            out.append(
                f"  {d.case.id}: expected {d.case.expected.value}, classified {d.got.value}"
                f"{accepted} ({d.case.why})"
            )
            if d.reasons:
                out.append(f"    because: {d.reasons[0]}")
    return "\n".join(out) + "\n"
