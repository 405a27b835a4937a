"""Every guardrail has a failing and a passing fixture; ids, metadata and SARIF are sound."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from forcelift.migration.policy.check import blocking, check
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import NCSC_PRINCIPLES, Resource, Severity, Waiver
from forcelift.migration.policy.rules import GUARDRAILS
from forcelift.migration.policy.sarif import to_sarif

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def _urn(kind: str, name: str) -> str:
    return f"urn:pulumi:test::forcelift::{kind}::{name}"


def graph_from(case: dict[str, Any]) -> ResourceGraph:
    names = {r["name"]: _urn(r["type"], r["name"]) for r in case.get("resources", [])}
    resources = [
        Resource(
            urn=names[r["name"]],
            type=r["type"],
            name=r["name"],
            inputs=r.get("inputs", {}),
            dependencies=tuple(names[d] for d in r.get("dependencies", [])),
        )
        for r in case.get("resources", [])
    ]
    return ResourceGraph(resources, case.get("config", {}), stack="test")


def _fixture(rule_id: str) -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / f"{rule_id}.yaml").read_text())


@pytest.mark.parametrize("rule", GUARDRAILS, ids=lambda r: r.id)
def test_rule_fails_on_fail_fixture_and_passes_on_pass_fixture(rule) -> None:
    fixture = _fixture(rule.id)
    failing = [f for f in check([graph_from(fixture["fail"])]) if f.rule_id == rule.id]
    passing = [f for f in check([graph_from(fixture["pass"])]) if f.rule_id == rule.id]
    assert failing, f"{rule.id} did not fire on its fail fixture"
    assert passing == [], f"{rule.id} fired on its pass fixture: {passing}"


def test_pass_fixtures_are_clean_for_every_rule() -> None:
    for rule in GUARDRAILS:
        findings = check([graph_from(_fixture(rule.id)["pass"])])
        assert findings == [], (rule.id, [(f.rule_id, f.message) for f in findings])


def test_rule_metadata() -> None:
    ids = [r.id for r in GUARDRAILS]
    assert len(ids) == len(set(ids))
    docs = (Path(__file__).parents[2] / "docs" / "guardrails.md").read_text()
    for rule in GUARDRAILS:
        assert re.fullmatch(r"FL-[A-Z]{3}-\d{3}", rule.id)
        assert rule.remediation and rule.title
        assert rule.principles and set(rule.principles) <= set(NCSC_PRINCIPLES)
        assert (rule.check_resource is None) != (rule.check_graph is None)
        assert rule.id in docs, f"{rule.id} missing from docs/guardrails.md"
    assert {f.stem for f in FIXTURES.glob("*.yaml")} == set(ids)


def test_waivers_apply_until_they_expire() -> None:
    graph = graph_from(_fixture("FL-NET-002")["fail"])
    waiver = Waiver(
        rule="FL-NET-002",
        resource="i",
        reason="vendor appliance, 3 months",
        expires=dt.date(2027, 1, 31),
    )
    live = check([graph], [waiver], as_of=dt.date(2027, 1, 1))
    assert [f.waived for f in live] == [True] and blocking(live) == []
    expired = check([graph], [waiver], as_of=dt.date(2027, 2, 1))
    assert [f.waived for f in expired] == [False] and len(blocking(expired)) == 1


def test_blocking_threshold() -> None:
    findings = check([graph_from(_fixture("FL-ENC-007")["fail"])])
    assert findings[0].severity is Severity.MEDIUM
    assert blocking(findings) == []
    assert blocking(findings, Severity.MEDIUM) == findings


def test_sarif_validates_against_the_oasis_schema() -> None:
    graphs = [graph_from(_fixture(r.id)["fail"]) for r in GUARDRAILS]
    waiver = Waiver(
        rule="FL-IAM-001", resource="*", reason="break-glass", expires=dt.date(2099, 1, 1)
    )
    findings = check(graphs, [waiver])
    sarif = to_sarif(findings, GUARDRAILS, version="0.1.0")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(findings)
    assert any("suppressions" in r for r in results)


@pytest.mark.parametrize(
    ("entry", "opened"),
    [
        ({"protocol": "icmp", "fromPort": -1, "toPort": -1}, False),  # ICMP type/code, no ports
        ({"protocol": "1", "fromPort": 8, "toPort": 0}, False),
        ({"protocol": "-1", "fromPort": 0, "toPort": 0}, True),  # all traffic
        ({"protocol": "-1", "fromPort": 443, "toPort": 443}, True),  # ports ignored for -1
        ({"protocol": "tcp", "fromPort": 0, "toPort": 65535}, True),
        ({"protocol": "tcp", "fromPort": 3389, "toPort": 3389}, True),
        ({"protocol": "udp", "fromPort": 53, "toPort": 53}, False),
    ],
)
def test_aws_ingress_protocol_decides_what_is_open(entry: dict[str, Any], opened: bool) -> None:
    group = {
        "type": "aws:ec2/securityGroup:SecurityGroup",
        "name": "sg",
        "inputs": {"ingress": [{**entry, "cidrBlocks": ["0.0.0.0/0"]}]},
    }
    rule = {
        "type": "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "name": "rule",
        "inputs": {
            "cidrIpv4": "0.0.0.0/0",
            "ipProtocol": entry["protocol"],
            "fromPort": entry["fromPort"],
            "toPort": entry["toPort"],
        },
    }
    for resource in (group, rule):
        found = [
            f for f in check([graph_from({"resources": [resource]})]) if f.rule_id == "FL-NET-004"
        ]
        assert bool(found) is opened, (resource, found)
