"""Data residency: everything in UK regions (OFFICIAL-SENSITIVE data stays in the UK)."""

from __future__ import annotations

from forcelift.migration.clouds import aws, azure
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity, Violation

UK_AZURE_LOCATIONS = frozenset(azure.FACTS.policy_locations)
UK_AWS_REGIONS = frozenset(aws.FACTS.policy_locations)


def _azure_location(resource: Resource) -> list[str]:
    location = resource.inputs.get("location")
    if isinstance(location, str) and location.replace(" ", "").lower() not in UK_AZURE_LOCATIONS:
        return [f"location {location!r} is outside the UK (uksouth, ukwest)"]
    return []


def _aws_regions(graph: ResourceGraph) -> list[Violation]:
    found = []
    region = graph.config.get("aws:region")
    if region and region not in UK_AWS_REGIONS:
        found.append(Violation(f"stack:{graph.stack}", f"stack region {region!r} is not eu-west-2"))
    for provider in graph.of_type("pulumi:providers:aws"):
        region = provider.inputs.get("region")
        if region and region not in UK_AWS_REGIONS:
            found.append(Violation(provider.urn, f"provider region {region!r} is not eu-west-2"))
    return found


RULES = (
    Guardrail(
        id="FL-RES-001",
        title="Azure resources are in UK regions",
        severity=Severity.CRITICAL,
        remediation="Set location to uksouth or ukwest (the plan's region), or record a waiver.",
        principles=(2,),
        applies_to=("azure-native:",),
        check_resource=_azure_location,
    ),
    Guardrail(
        id="FL-RES-002",
        title="AWS resources are in eu-west-2 (London)",
        severity=Severity.CRITICAL,
        remediation="Set aws:region to eu-west-2 for the stack and every explicit provider.",
        principles=(2,),
        check_graph=_aws_regions,
    ),
)
