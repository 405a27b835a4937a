"""The CrossGuard pack and the offline checker reach the same verdicts on the same resources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi_policy as pp
import pytest
import yaml

from forcelift.migration.policy.check import check
from forcelift.migration.policy.crossguard import pack_files, policies, stack_config_from_urns
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Resource
from forcelift.migration.policy.rules import GUARDRAILS

FIXTURES = Path(__file__).parent / "fixtures"


def _policy_resources(case: dict[str, Any], stack: str) -> list[pp.PolicyResource]:
    urns = {
        r["name"]: f"urn:pulumi:{stack}::forcelift::{r['type']}::{r['name']}"
        for r in case.get("resources", [])
    }
    made: dict[str, pp.PolicyResource] = {}
    for r in case.get("resources", []):
        made[r["name"]] = pp.PolicyResource(
            resource_type=r["type"],
            props=r.get("inputs", {}),
            urn=urns[r["name"]],
            name=r["name"],
            opts=pp.PolicyResourceOptions(
                False, [], None, [], pp.PolicyCustomTimeouts(0, 0, 0), []
            ),
            provider=None,
            parent=None,
            dependencies=[made[d] for d in r.get("dependencies", [])],
            property_dependencies={},
        )
    return list(made.values())


def _crossguard_verdicts(case: dict[str, Any], stack: str) -> set[tuple[str, str]]:
    resources = _policy_resources(case, stack)
    verdicts: set[tuple[str, str]] = set()
    for policy, rule in zip(policies(), GUARDRAILS, strict=True):

        def report(message: str, urn: str | None = None, _rule=rule) -> None:
            verdicts.add((_rule.id, urn or f"stack:{stack}"))

        if isinstance(policy, pp.ResourceValidationPolicy):
            for res in resources:
                args = pp.ResourceValidationArgs(
                    res.resource_type, res.props, res.urn, res.name, res.opts, None
                )
                policy.validate(
                    args, lambda m, u=None, _res=res, _r=rule: verdicts.add((_r.id, u or _res.urn))
                )
        else:
            policy.validate(pp.StackValidationArgs(resources), report)
    return verdicts


def _offline_verdicts(case: dict[str, Any], stack: str) -> set[tuple[str, str]]:
    resources = [
        Resource(
            urn=f"urn:pulumi:{stack}::forcelift::{r['type']}::{r['name']}",
            type=r["type"],
            name=r["name"],
            inputs=r.get("inputs", {}),
            dependencies=tuple(
                f"urn:pulumi:{stack}::forcelift::{d_type}::{d}"
                for d in r.get("dependencies", [])
                for d_type in [next(x["type"] for x in case["resources"] if x["name"] == d)]
            ),
        )
        for r in case.get("resources", [])
    ]
    # CrossGuard sees no stack config: both paths derive it from the stack name and providers.
    config = stack_config_from_urns([f"urn:pulumi:{stack}::x"])
    for r in resources:
        if r.type == "pulumi:providers:aws" and r.inputs.get("region"):
            config["aws:region"] = str(r.inputs["region"])
    findings = check([ResourceGraph(resources, config, stack)])
    return {(f.rule_id, f.urn) for f in findings}


def _stack_for(case: dict[str, Any]) -> str:
    layer = case.get("config", {}).get("forcelift:layer")
    return "test-aws-landing-zone" if layer == "landing-zone" else "test-aws-wave-1"


@pytest.mark.parametrize("rule", GUARDRAILS, ids=lambda r: r.id)
@pytest.mark.parametrize("side", ["pass", "fail"])
def test_same_verdicts_offline_and_crossguard(rule, side: str) -> None:
    case = yaml.safe_load((FIXTURES / f"{rule.id}.yaml").read_text())[side]
    stack = _stack_for(case)
    offline = _offline_verdicts(case, stack)
    crossguard = _crossguard_verdicts(case, stack)
    assert offline == crossguard
    assert (rule.id in {r for r, _ in offline}) is (side == "fail")


def test_pack_files_name_the_rules_module() -> None:
    files = pack_files("0.1.0")
    assert set(files) == {"PulumiPolicy.yaml", "__main__.py", "requirements.txt", "README.md"}
    assert "policies()" in files["__main__.py"]
    assert 'if __name__ == "__main__":' in files["__main__.py"]
    compile(files["__main__.py"], "__main__.py", "exec")
