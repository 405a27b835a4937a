"""The CAF management group hierarchy and the guardrail policy assignments."""

from __future__ import annotations

from typing import Any

from forcelift.components.azure.management_groups import (
    ALLOWED_LOCATIONS_POLICY,
    NO_NIC_PUBLIC_IP_POLICY,
    REQUIRE_TAG_POLICY,
    UK_OFFICIAL_NHS_INITIATIVE,
    assignment_name,
)
from forcelift.stacks.mock_runtime import MockRun


def test_hierarchy_follows_the_cloud_adoption_framework(
    management_groups_run: MockRun, cloud: Any
) -> None:
    groups = {g.name: g for g in cloud.of(management_groups_run, "management:ManagementGroup")}
    ids = {name.removeprefix("mg-"): g.inputs["groupId"] for name, g in groups.items()}
    assert ids["top"] == "exampleshire"
    parent_of = {
        key: groups[f"mg-{key}"].inputs.get("details", {}).get("parent", {}).get("id", "")
        for key in ids
    }
    expected = {
        "platform": "top",
        "management": "platform",
        "connectivity": "platform",
        "identity": "platform",
        "landing-zones": "top",
        "corp": "landing-zones",
        "online": "landing-zones",
        "decommissioned": "top",
        "sandbox": "top",
    }
    assert parent_of["top"] == ""  # under the tenant root group
    for child, parent in expected.items():
        assert parent_of[child].endswith(f"/mg-{parent}"), (child, parent_of[child])
        assert ids[child] == f"exampleshire-{child}"


def _assignments(run: MockRun, cloud: Any) -> dict[str, dict[str, Any]]:
    return {
        a.name.removeprefix("mg-"): dict(a.inputs)
        for a in cloud.of(run, "authorization:PolicyAssignment")
    }


def test_uk_official_initiative_is_assigned_at_the_top_with_an_identity(
    management_groups_run: MockRun, cloud: Any
) -> None:
    initiative = _assignments(management_groups_run, cloud)["uk-official-nhs"]
    assert initiative["policyDefinitionId"] == UK_OFFICIAL_NHS_INITIATIVE
    assert initiative["scope"].endswith("/mg-top")
    assert initiative["identity"] == {"type": "SystemAssigned"}
    assert initiative["enforcementMode"] == "Default"


def test_locations_tags_and_public_ips_are_governed(
    management_groups_run: MockRun, cloud: Any
) -> None:
    assignments = _assignments(management_groups_run, cloud)
    locations = assignments["allowed-locations"]
    assert locations["policyDefinitionId"] == ALLOWED_LOCATIONS_POLICY
    assert locations["parameters"]["listOfAllowedLocations"]["value"] == ["uksouth", "ukwest"]
    tag_policies = {
        a["parameters"]["tagName"]["value"]
        for a in assignments.values()
        if a["policyDefinitionId"] == REQUIRE_TAG_POLICY
    }
    assert tag_policies == {"application", "owner", "data-classification", "cost-centre", "wave"}
    deny_ip = assignments["corp-deny-public-ip"]
    assert deny_ip["policyDefinitionId"] == NO_NIC_PUBLIC_IP_POLICY
    assert deny_ip["scope"].endswith("/mg-corp")
    assert len({a["policyAssignmentName"] for a in assignments.values()}) == len(assignments)


def test_assignment_names_fit_the_management_group_limit() -> None:
    assert assignment_name("allowed-locations") == "allowed-locations"
    long = assignment_name("tag-a-very-long-tag-name-indeed")
    assert len(long) <= 24 and long != assignment_name("tag-a-very-long-tag-name-indeed-2")
