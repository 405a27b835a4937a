"""The guardrails as a Pulumi CrossGuard policy pack: the same rule functions, adapted.

`pulumi preview --policy-pack DIR` runs these where the Pulumi CLI exists; offline,
`forcelift policy check` runs the same functions over the mock preview. pulumi_policy is
imported inside the functions that need it, and a PolicyPack is only constructed in the
generated pack's `__main__` (constructing one starts a gRPC server that never returns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity
from forcelift.migration.policy.rules import GUARDRAILS

PACK_NAME = "forcelift-guardrails"


def stack_config_from_urns(urns: Iterable[str]) -> dict[str, str]:
    """CrossGuard does not see stack config: recover layer and cloud from the stack name."""
    for urn in urns:
        stack = urn.split("::")[0].removeprefix("urn:pulumi:")
        layer = next((x for x in ("landing-zone", "sharing") if stack.endswith(x)), "wave")
        config = {"forcelift:layer": layer}
        for cloud in ("azure", "aws"):
            if f"-{cloud}-" in stack:
                config["forcelift:cloud"] = cloud
        return config
    return {}


def _to_resource(policy_resource: Any) -> Resource:
    return Resource(
        urn=policy_resource.urn,
        type=policy_resource.resource_type,
        name=policy_resource.name,
        inputs=dict(policy_resource.props or {}),
        dependencies=tuple(d.urn for d in getattr(policy_resource, "dependencies", None) or ()),
    )


def graph_from_policy_resources(resources: Iterable[Any]) -> ResourceGraph:
    converted = [_to_resource(r) for r in resources]
    config = stack_config_from_urns(r.urn for r in converted)
    for provider in (r for r in converted if r.type == "pulumi:providers:aws"):
        if provider.inputs.get("region"):
            config.setdefault("aws:region", str(provider.inputs["region"]))
    stack = converted[0].urn.split("::")[0].removeprefix("urn:pulumi:") if converted else ""
    return ResourceGraph(converted, config, stack)


def resource_validator(rule: Guardrail) -> Callable[[Any, Callable[..., None]], None]:
    assert rule.check_resource is not None
    check = rule.check_resource

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        resource = Resource(
            urn=args.urn, type=args.resource_type, name=args.name, inputs=dict(args.props or {})
        )
        if rule.applies(resource):
            for message in check(resource):
                report_violation(f"[{rule.id}] {message}. Fix: {rule.remediation}", None)

    return validate


def stack_validator(rule: Guardrail) -> Callable[[Any, Callable[..., None]], None]:
    assert rule.check_graph is not None
    check = rule.check_graph

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        graph = graph_from_policy_resources(args.resources)
        for violation in check(graph):
            urn = violation.urn if violation.urn in graph.by_urn else None
            report_violation(f"[{rule.id}] {violation.message}. Fix: {rule.remediation}", urn)

    return validate


def policies(enforce_from: Severity = Severity.HIGH) -> list[Any]:
    """One CrossGuard policy per guardrail: mandatory at `enforce_from` and above."""
    import pulumi_policy as pp

    out: list[Any] = []
    for rule in GUARDRAILS:
        level = (
            pp.EnforcementLevel.MANDATORY
            if rule.severity.rank >= enforce_from.rank
            else pp.EnforcementLevel.ADVISORY
        )
        common: Mapping[str, Any] = {
            "name": rule.id.lower(),
            "description": rule.title,
            "enforcement_level": level,
            "remediation_steps": rule.remediation,
        }
        if rule.check_resource is not None:
            out.append(pp.ResourceValidationPolicy(validate=resource_validator(rule), **common))
        else:
            out.append(pp.StackValidationPolicy(validate=stack_validator(rule), **common))
    return out


PACK_MAIN = '''"""forcelift guardrails as a Pulumi policy pack (from `forcelift policy pack`)."""

from pulumi_policy import PolicyPack

from forcelift.migration.policy.crossguard import PACK_NAME, policies

if __name__ == "__main__":
    PolicyPack(name=PACK_NAME, policies=policies())
'''

PACK_YAML = (
    "description: forcelift guardrails for UK policing landing zones "
    "(NCSC Cloud Security Principles)\nruntime: python\n"
)


def pack_files(version: str) -> dict[str, str]:
    """The files of a policy pack directory, by relative path."""
    return {
        "PulumiPolicy.yaml": PACK_YAML,
        "__main__.py": PACK_MAIN,
        "requirements.txt": f"forcelift[pulumi]=={version}\npulumi-policy>=1.13\n",
        "README.md": (
            "# forcelift guardrails (CrossGuard)\n\n"
            "The same rules `forcelift policy check` runs offline, for live previews:\n\n"
            "```sh\npulumi preview --policy-pack <this directory>\n```\n\n"
            "Install forcelift into the pack's virtual environment first (requirements.txt)."
            " Guardrail waivers recorded in the plan apply to `forcelift policy check` and "
            "`forcelift deploy`; CrossGuard reports every violation.\n"
        ),
    }
