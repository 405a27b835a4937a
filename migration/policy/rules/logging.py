"""Logging on: diagnostic settings, VPC flow logs, CloudTrail, a central workspace."""

from __future__ import annotations

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Severity, Violation

AZURE_NEEDS_DIAGNOSTICS = (
    "azure-native:network:AzureFirewall",
    "azure-native:keyvault:Vault",
    "azure-native:network:BastionHost",
    "azure-native:network:VirtualNetworkGateway",
)
AZURE_SHOULD_HAVE_DIAGNOSTICS = (
    "azure-native:sql:Server",
    "azure-native:web:WebApp",
    "azure-native:dbforpostgresql:Server",
)
# azure-native 3.x moved diagnostic settings from `insights` to `monitor`.
DIAGNOSTIC_TYPES = (
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:insights:DiagnosticSetting",
)


def _missing_diagnostics(graph: ResourceGraph, types: tuple[str, ...]) -> list[Violation]:
    return [
        Violation(r.urn, "no diagnostic setting sends this resource's logs to Log Analytics")
        for r in graph.of_type(*types)
        if not graph.dependents(r.urn, *DIAGNOSTIC_TYPES)
    ]


def _azure_diagnostics(graph: ResourceGraph) -> list[Violation]:
    return _missing_diagnostics(graph, AZURE_NEEDS_DIAGNOSTICS)


def _azure_workload_diagnostics(graph: ResourceGraph) -> list[Violation]:
    return _missing_diagnostics(graph, AZURE_SHOULD_HAVE_DIAGNOSTICS)


def _aws_flow_logs(graph: ResourceGraph) -> list[Violation]:
    return [
        Violation(vpc.urn, "VPC has no flow log")
        for vpc in graph.of_type("aws:ec2/vpc:Vpc")
        if not graph.dependents(vpc.urn, "aws:ec2/flowLog:FlowLog")
    ]


def _audit_trail(graph: ResourceGraph) -> list[Violation]:
    if graph.config.get("forcelift:layer") != "landing-zone":
        return []
    cloud = graph.config.get("forcelift:cloud")
    if cloud == "aws":
        trails = graph.of_type("aws:cloudtrail/trail:Trail")
        if not trails:
            return [Violation(f"stack:{graph.stack}", "landing zone has no CloudTrail trail")]
        return [
            Violation(t.urn, "trail is not multi-region with log file validation")
            for t in trails
            if not (
                t.inputs.get("isMultiRegionTrail") is True
                and t.inputs.get("enableLogFileValidation") is True
            )
        ]
    if cloud == "azure" and not graph.of_type("azure-native:operationalinsights:Workspace"):
        return [Violation(f"stack:{graph.stack}", "landing zone has no Log Analytics workspace")]
    return []


RULES = (
    Guardrail(
        "FL-LOG-001",
        "Azure platform resources send diagnostics to Log Analytics",
        Severity.HIGH,
        "Add a DiagnosticSetting to the workspace for the resource.",
        (5, 13),
        check_graph=_azure_diagnostics,
    ),
    Guardrail(
        "FL-LOG-004",
        "Azure platform services of workloads send diagnostics",
        Severity.MEDIUM,
        "Add a DiagnosticSetting to the landing zone's workspace for the web app or database "
        "(its logs then reach the force's SOC / the NMC).",
        (5, 13),
        check_graph=_azure_workload_diagnostics,
    ),
    Guardrail(
        "FL-LOG-002",
        "VPCs have flow logs",
        Severity.HIGH,
        "Add an aws.ec2.FlowLog for the VPC (to a KMS-encrypted log group or S3).",
        (5, 13),
        check_graph=_aws_flow_logs,
    ),
    Guardrail(
        "FL-LOG-003",
        "The landing zone records an audit trail",
        Severity.HIGH,
        "Create a multi-region CloudTrail with log file validation (AWS) or a Log "
        "Analytics workspace (Azure) in the landing zone stack.",
        (13, 5),
        check_graph=_audit_trail,
    ),
)
