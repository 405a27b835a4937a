"""Run the guardrails over resource graphs; apply waivers; decide the exit code."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Finding, Guardrail, Severity, Violation, Waiver
from forcelift.migration.policy.rules import GUARDRAILS


def evaluate(
    graph: ResourceGraph, rules: Sequence[Guardrail] = GUARDRAILS
) -> list[tuple[Guardrail, Violation]]:
    """Every (rule, violation) pair for one stack, in rule then resource order."""
    found: list[tuple[Guardrail, Violation]] = []
    for rule in rules:
        if rule.check_resource is not None:
            for resource in graph.resources:
                if rule.applies(resource):
                    found.extend(
                        (rule, Violation(resource.urn, message))
                        for message in rule.check_resource(resource)
                    )
        if rule.check_graph is not None:
            found.extend((rule, violation) for violation in rule.check_graph(graph))
    return found


def with_plan(graphs: Iterable[ResourceGraph], plan: Any) -> list[ResourceGraph]:
    """The stacks' graphs with the plan's sharing facts in their config, plus one graph for the
    plan itself (layer `plan`, no resources) for the rules that judge plan entries.

    The one place a rule learns anything from the plan; a plan that shares nothing leaves the
    graphs as they were, so its findings do not change.
    """
    from forcelift.migration.policy.rules.sharing import plan_facts

    facts = plan_facts(plan)
    graphs = with_facts(graphs, facts)
    if facts is not None:
        graphs.append(plan_graph(facts))
    return graphs


def with_facts(
    graphs: Iterable[ResourceGraph], facts: dict[str, Any] | None
) -> list[ResourceGraph]:
    """The graphs with the plan's sharing facts (plan_facts) in their config; None: as they are."""
    from forcelift.migration.policy.rules.sharing import FACTS

    if facts is None:
        return list(graphs)
    return [ResourceGraph(g.resources, {**g.config, FACTS: facts}, g.stack) for g in graphs]


def plan_graph(facts: dict[str, Any]) -> ResourceGraph:
    """The graph for the plan itself (layer `plan`, no resources): rules that judge plan
    entries read it."""
    from forcelift.migration.policy.rules.sharing import FACTS, PLAN_LAYER, PLAN_STACK

    return ResourceGraph((), {"forcelift:layer": PLAN_LAYER, FACTS: facts}, PLAN_STACK)


def check(
    graphs: Iterable[ResourceGraph],
    waivers: Sequence[Waiver] = (),
    as_of: dt.date | None = None,
    rules: Sequence[Guardrail] = GUARDRAILS,
) -> list[Finding]:
    """Findings for every stack; an unexpired matching waiver marks a finding as waived."""
    findings = []
    for graph in graphs:
        for rule, violation in evaluate(graph, rules):
            resource = graph.by_urn.get(violation.urn)
            findings.append(
                Finding(
                    rule_id=rule.id,
                    title=rule.title,
                    severity=rule.severity,
                    urn=violation.urn,
                    resource_type=resource.type if resource else "stack",
                    message=violation.message,
                    remediation=rule.remediation,
                    principles=rule.principles,
                    stack=graph.stack,
                )
            )
    return apply_waivers(findings, waivers, as_of)


def apply_waivers(
    findings: Iterable[Finding], waivers: Sequence[Waiver], as_of: dt.date | None = None
) -> list[Finding]:
    """The findings, each marked with the first unexpired waiver that matches it (if any)."""
    today = as_of or dt.date.today()
    live = [w for w in waivers if w.expires >= today]
    if not live:
        return list(findings)
    out = []
    for finding in findings:
        waiver = next((w for w in live if w.matches(finding.rule_id, finding.urn)), None)
        out.append(finding if waiver is None else dataclasses.replace(finding, waiver=waiver))
    return out


def expired_waivers(waivers: Sequence[Waiver], as_of: dt.date) -> list[Waiver]:
    return [w for w in waivers if w.expires < as_of]


def blocking(findings: Iterable[Finding], threshold: Severity = Severity.HIGH) -> list[Finding]:
    """Unwaived findings at or above the threshold: these fail CI and stop a deploy."""
    return [f for f in findings if not f.waived and f.severity.rank >= threshold.rank]
