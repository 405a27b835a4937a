"""The force's management group hierarchy (Cloud Adoption Framework) and its guardrail policies.

Policies assigned high in the hierarchy apply to every subscription placed below, so the
guardrails hold before any workload arrives: the UK OFFICIAL and UK NHS initiative (mapped to
the NCSC Cloud Security Principles) at the top, UK-only locations, required tags, and no
public IPs on NICs in the corp landing zone, where OFFICIAL-SENSITIVE spokes live.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, management

from forcelift.components.azure.common import ALLOWED_LOCATIONS, AzureRegion
from forcelift.components.azure.tags import REQUIRED_TAG_KEYS
from forcelift.migration.naming import make_name

BUILTIN_POLICY_SET = "/providers/Microsoft.Authorization/policySetDefinitions/"
BUILTIN_POLICY = "/providers/Microsoft.Authorization/policyDefinitions/"
UK_OFFICIAL_NHS_INITIATIVE = BUILTIN_POLICY_SET + "3937f550-eedd-4639-9c5e-294358be442e"
ALLOWED_LOCATIONS_POLICY = BUILTIN_POLICY + "e56962a6-4747-49cd-b67b-bf8b01975c4c"
ALLOWED_RG_LOCATIONS_POLICY = BUILTIN_POLICY + "e765b5de-1225-4ba3-bd56-1ac6695af988"
REQUIRE_TAG_POLICY = BUILTIN_POLICY + "871b6d14-10aa-478d-b590-94f262ecfa99"
NO_NIC_PUBLIC_IP_POLICY = BUILTIN_POLICY + "83a86a26-fd1f-447c-b59d-e51f44264114"

# (key, display suffix, parent key); the order is the order of creation.
HIERARCHY: tuple[tuple[str, str, str | None], ...] = (
    ("top", "", None),
    ("platform", "Platform", "top"),
    ("management", "Management", "platform"),
    ("connectivity", "Connectivity", "platform"),
    ("identity", "Identity", "platform"),
    ("landing-zones", "Landing zones", "top"),
    ("corp", "Corp", "landing-zones"),
    ("online", "Online", "landing-zones"),
    ("decommissioned", "Decommissioned", "top"),
    ("sandbox", "Sandbox", "top"),
)


@dataclass(frozen=True)
class ManagementGroupsArgs:
    force: str
    display_name: str
    location: AzureRegion = AzureRegion.UKSOUTH
    parent_id: str | None = None
    allowed_locations: tuple[AzureRegion, ...] = ALLOWED_LOCATIONS
    required_tags: tuple[str, ...] = REQUIRED_TAG_KEYS
    enforce: bool = True


def assignment_name(text: str) -> str:
    """Policy assignment names at management group scope are limited to 24 characters."""
    if len(text) <= 24:
        return text
    return f"{text[:18].rstrip('-')}-{hashlib.sha256(text.encode()).hexdigest()[:5]}"


class ManagementGroups(pulumi.ComponentResource):
    group_ids: dict[str, pulumi.Output[str]]
    assignment_ids: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: ManagementGroupsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:azure:ManagementGroups", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        groups: dict[str, management.ManagementGroup] = {}
        for key, suffix, parent_key in HIERARCHY:
            group_id = make_name("azure-management-group", args.force, "" if key == "top" else key)
            parent_id = groups[parent_key].id if parent_key else args.parent_id
            details = None
            if parent_id is not None:
                details = management.CreateManagementGroupDetailsArgs(
                    parent=management.CreateParentGroupInfoArgs(id=parent_id)
                )
            groups[key] = management.ManagementGroup(
                f"{name}-{key}",
                group_id=group_id,
                display_name=f"{args.display_name} {suffix}".strip(),
                details=details,
                opts=child,
            )
        self.group_ids = {key: group.id for key, group in groups.items()}

        mode = (
            authorization.EnforcementMode.DEFAULT
            if args.enforce
            else authorization.EnforcementMode.DO_NOT_ENFORCE
        )
        locations = [str(loc) for loc in args.allowed_locations]
        assignments: dict[str, authorization.PolicyAssignment] = {}

        def assign(
            key: str,
            scope: management.ManagementGroup,
            definition: str,
            display_name: str,
            parameters: dict[str, authorization.ParameterValuesValueArgs] | None = None,
            message: str | None = None,
            identity: bool = False,
        ) -> None:
            assignments[key] = authorization.PolicyAssignment(
                f"{name}-{key}",
                policy_assignment_name=assignment_name(key),
                scope=scope.id,
                policy_definition_id=definition,
                display_name=display_name,
                enforcement_mode=mode,
                parameters=parameters,
                non_compliance_messages=(
                    [authorization.NonComplianceMessageArgs(message=message)] if message else None
                ),
                identity=(
                    authorization.IdentityArgs(
                        type=authorization.ResourceIdentityType.SYSTEM_ASSIGNED
                    )
                    if identity
                    else None
                ),
                location=str(args.location),
                opts=child,
            )

        top = groups["top"]
        # The initiative includes deployIfNotExists policies: it needs an identity to remediate.
        assign(
            "uk-official-nhs",
            top,
            UK_OFFICIAL_NHS_INITIATIVE,
            "UK OFFICIAL and UK NHS",
            identity=True,
        )
        assign(
            "allowed-locations",
            top,
            ALLOWED_LOCATIONS_POLICY,
            "Allowed locations (UK only)",
            {"listOfAllowedLocations": authorization.ParameterValuesValueArgs(value=locations)},
            "Resources must be deployed to UK regions.",
        )
        assign(
            "allowed-rg-locations",
            top,
            ALLOWED_RG_LOCATIONS_POLICY,
            "Allowed locations for resource groups (UK only)",
            {"listOfAllowedLocations": authorization.ParameterValuesValueArgs(value=locations)},
            "Resource groups must be created in UK regions.",
        )
        for tag in args.required_tags:
            assign(
                f"tag-{tag}",
                top,
                REQUIRE_TAG_POLICY,
                f"Require tag '{tag}' on resources",
                {"tagName": authorization.ParameterValuesValueArgs(value=tag)},
                f"Every resource needs the '{tag}' tag.",
            )
        assign(
            "corp-deny-public-ip",
            groups["corp"],
            NO_NIC_PUBLIC_IP_POLICY,
            "Network interfaces should not have public IPs (OFFICIAL-SENSITIVE)",
            message="OFFICIAL-SENSITIVE workloads are reached through the hub, never directly.",
        )
        self.assignment_ids = {key: a.id for key, a in assignments.items()}
        self.register_outputs({"group_ids": self.group_ids, "assignment_ids": self.assignment_ids})
