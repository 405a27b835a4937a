"""The plan's resource estimates (migration/plan/footprint.py) against what the components
really declare in the offline previews: stacks split by these numbers must not overfill."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from forcelift.migration.clouds import Cloud
from forcelift.migration.plan.footprint import FOOTPRINTS, workload_resources
from forcelift.migration.plan.planfile import Plan
from forcelift.stacks.context import component_name

PARTS = {"IaasWorkload": "iaas", "PaasWorkload": "paas", "SaasWorkload": "saas"}


def _declared(docs: dict[str, dict[str, Any]]) -> dict[tuple[str, str], int]:
    """(component name, stack) -> resources the component and everything under it declare."""
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    components = []
    for stack, doc in docs.items():
        for resource in doc["resources"]:
            children[resource["parent"]].append(resource)
            if resource["type"].rsplit(":", 1)[-1] in PARTS:
                components.append((stack, resource))

    def size(urn: str) -> int:
        return sum(1 + size(child["urn"]) for child in children[urn])

    return {(r["name"], stack): 1 + size(r["urn"]) for stack, r in components}


def _group_resources(doc: dict[str, Any], wave: int, name: str) -> int:
    """AWS: a VM workload's security group and its rules, which sit in the spoke (or a later
    part's WorkloadSecurityGroups), named wave-<n>-sg-<component>[-in-…|-out-…]."""
    label = f"wave-{wave}-sg-{name}"
    return sum(
        1
        for r in doc["resources"]
        if r["name"] == label or r["name"].startswith((f"{label}-in-", f"{label}-out-"))
    )


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_workload_estimates_match_the_previews(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = request.getfixturevalue(f"{cloud}_previews")
    declared = _declared(docs)
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    checked = 0
    for workload in planned.workloads:
        name = component_name(workload.application)
        actual = sum(
            declared.get((f"{name}-{part}", workload.stack), 0) for part in PARTS.values()
        ) + _group_resources(docs[workload.stack], workload.wave, name)
        estimate = workload_resources(Cloud(cloud), workload)
        if workload.paas:  # platform services vary a little with their options
            assert abs(actual - estimate) <= 3, (workload.application, actual, estimate)
        elif workload.vms or (workload.saas is not None and actual):
            assert actual == estimate, (workload.application, actual, estimate)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_wave_stacks_hold_what_the_plan_estimates(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = request.getfixturevalue(f"{cloud}_previews")
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    spoke = FOOTPRINTS[Cloud(cloud)].spoke
    for stack in planned.stacks:
        if stack.layer != "wave":
            continue
        members = [w for w in planned.workloads if w.stack == stack.name]
        estimate = spoke + sum(workload_resources(Cloud(cloud), w) for w in members)
        actual = len(docs[stack.name]["resources"])
        # never (much) more than estimated; the spoke is counted at its largest (4 subnets)
        assert actual <= estimate + max(3, actual // 50), (stack.name, actual, estimate)
        # ... and never far less: beyond 10 %, only the spoke's unused parts (a small wave of a
        # capacity-bounded plan may use one subnet of the four it is counted at)
        slack = actual // 10 + max(8, spoke)
        assert estimate <= actual + slack, (stack.name, actual, estimate)
