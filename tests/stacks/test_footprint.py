"""The plan's resource estimates (migration/plan/footprint.py) against what the components
really declare in the offline previews: stacks split by these numbers must not overfill."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from forcelift.migration.clouds import Cloud
from forcelift.migration.plan.footprint import (
    FOOTPRINTS,
    sharing_stack_resources,
    stack_resources,
    wave_sharing_resources,
    workload_resources,
)
from forcelift.migration.plan.planfile import Plan
from forcelift.stacks.context import component_name

PARTS = {"IaasWorkload": "iaas", "PaasWorkload": "paas", "SaasWorkload": "saas"}


def _declared(
    docs: dict[str, dict[str, Any]], kinds: tuple[str, ...] = tuple(PARTS)
) -> dict[tuple[str, str], int]:
    """(component name, stack) -> resources the component and everything under it declare."""
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    components = []
    for stack, doc in docs.items():
        for resource in doc["resources"]:
            children[resource["parent"]].append(resource)
            if resource["type"].rsplit(":", 1)[-1] in kinds and not resource["parent"]:
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
        estimate += wave_sharing_resources(Cloud(cloud), planned, stack.name)
        actual = len(docs[stack.name]["resources"])
        # never (much) more than estimated; the spoke is counted at its largest (4 subnets)
        assert actual <= estimate + max(3, actual // 50), (stack.name, actual, estimate)
        # ... and never far less: beyond 10 %, only the spoke's unused parts (a small wave of a
        # capacity-bounded plan may use one subnet of the four it is counted at)
        slack = actual // 10 + max(8, spoke)
        assert estimate <= actual + slack, (stack.name, actual, estimate)


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_staff_access_and_hosted_services_count_what_they_declare(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    """The sharing components of each wave stack against the preview, exactly."""
    docs = request.getfixturevalue(f"{cloud}_previews")
    declared = _declared_sharing(docs)
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    fronted = {a.stack for a in planned.sharing.staff_access}
    assert fronted, "the reduced plan fronts no application: nothing is checked"
    for stack in planned.stacks:
        if stack.layer == "wave":
            estimate = wave_sharing_resources(Cloud(cloud), planned, stack.name)
            assert declared.get(stack.name, 0) == estimate, (stack.name, declared, estimate)


def _declared_sharing(docs: dict[str, dict[str, Any]]) -> dict[str, int]:
    """stack -> resources under its top-level sharing and staff access components."""
    kinds: tuple[str, ...] = ("SharedService", "SharedEndpointService", "AgencyApiGateway")
    kinds += ("AgencyPrivateApi", "StaffAccessFrontDoor", "StaffAccessEndpoint")
    kinds += ("PartnerInterfaceEndpoint",)
    out: dict[str, int] = {}
    for stack, doc in docs.items():
        sized = _declared({stack: doc}, kinds)
        out[stack] = sum(n for (_, s), n in sized.items() if s == stack)
    return out


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_sharing_stacks_hold_what_the_footprint_counts(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = request.getfixturevalue(f"{cloud}_previews")
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    sharing = [s for s in planned.stacks if s.layer == "sharing"]
    assert sharing, "the reduced plan has no sharing stack"
    for stack in sharing:
        estimate = sharing_stack_resources(Cloud(cloud), planned, stack.name)
        assert len(docs[stack.name]["resources"]) == estimate, stack.name


def test_the_plan_estimates_count_sharing(sample_plan: Plan) -> None:
    """The planner's estimates are the footprint's, sharing and staff access included."""
    checked = 0
    for planned in sample_plan.clouds:
        fronted = {a.stack for a in planned.sharing.staff_access}
        assert fronted, planned.cloud  # staff access is counted somewhere: the check can fail
        for stack in planned.stacks:
            estimate = stack_resources(Cloud(planned.cloud), planned, stack)
            if estimate is not None:
                assert stack.estimated_resources == estimate, stack.name
                checked += 1
            if stack.name in fronted:
                sharing = wave_sharing_resources(Cloud(planned.cloud), planned, stack.name)
                assert sharing > 0, stack.name
    assert checked > 2


def _sibling(name: str) -> Any:
    """A sharing test module of this directory, for its small host plan and its runner."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        f"_footprint_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_sharing_size(run: Any) -> int:
    kinds: tuple[str, ...] = ("SharedService", "SharedEndpointService", "AgencyApiGateway")
    kinds += ("AgencyPrivateApi", "StaffAccessFrontDoor", "StaffAccessEndpoint")
    kinds += ("PartnerInterfaceEndpoint",)
    children: dict[str, list[Any]] = defaultdict(list)
    for resource in run.resources:
        children[resource.parent].append(resource)

    def size(urn: str) -> int:
        return sum(1 + size(child.urn) for child in children[urn])

    return sum(
        1 + size(r.urn)
        for r in run.resources
        if r.type.rsplit(":", 1)[-1] in kinds
        and (not r.parent or "pulumi:pulumi:Stack" in r.parent)
    )


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_hosted_services_and_agency_apis_count_what_they_declare(
    cloud: str, tmp_path: Any, helpers: Any, sample_plan: Plan
) -> None:
    """The sample's reduced plan hosts nothing, so the host side is checked on the sharing
    tests' small plans (servers and a web app hosted, one agency API, staff access to both)."""
    if cloud == "azure":
        module = _sibling("test_azure_sharing")
        plan = module._plan()
        directory = helpers.write_project(tmp_path, plan)
        wave, sharing = (module._run(directory, s) for s in (module.WAVE, module.SHARING))
    else:
        module = _sibling("test_aws_sharing")
        small = helpers.keep_workloads(helpers.only_cloud(sample_plan, "aws"), module.APPS)
        plan = module.with_sharing(small, module.SMALL_SHARING)
        wave, sharing = (module.run_stack(plan, s) for s in (module.WAVE, module.SHARING))
    planned = plan.clouds[0]
    assert planned.sharing.hosted and any(h.api for h in planned.sharing.hosted)
    estimate = wave_sharing_resources(Cloud(cloud), planned, module.WAVE)
    assert _run_sharing_size(wave) == estimate
    assert len(sharing.resources) == sharing_stack_resources(Cloud(cloud), planned, module.SHARING)
