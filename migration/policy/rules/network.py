"""No public IPs on servers, no internet-open management or database ports, private data."""

from __future__ import annotations

from typing import Any

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity, Violation
from forcelift.migration.policy.rules._util import (
    OPEN_SOURCES,
    dig,
    port_range,
    sensitive_ports,
)
from forcelift.migration.policy.rules.encryption import S3_BUCKETS
from forcelift.migration.policy.rules.logging import DIAGNOSTIC_TYPES

_EDGE_TYPES = (
    "azure-native:network:AzureFirewall",
    "azure-native:network:BastionHost",
    "azure-native:network:VirtualNetworkGateway",
)


def _nic(resource: Resource) -> list[str]:
    return [
        f"IP configuration {c.get('name', i)!r} has a public IP address"
        for i, c in enumerate(resource.inputs.get("ipConfigurations") or [])
        if isinstance(c, dict) and c.get("publicIPAddress")
    ]


def _instance_public(resource: Resource) -> list[str]:
    if resource.inputs.get("associatePublicIpAddress") is True:
        return ["instance asks for a public IP (associatePublicIpAddress)"]
    return []


def _nsg_rule_open(rule: dict[str, Any]) -> set[int]:
    if str(rule.get("direction", "")).lower() != "inbound":
        return set()
    if str(rule.get("access", "")).lower() != "allow":
        return set()
    sources = [rule.get("sourceAddressPrefix"), *(rule.get("sourceAddressPrefixes") or [])]
    if not any(str(s).strip().lower() in OPEN_SOURCES for s in sources if s is not None):
        return set()
    ports = [rule.get("destinationPortRange"), *(rule.get("destinationPortRanges") or [])]
    return sensitive_ports(p for p in ports if p is not None)


def _nsg(resource: Resource) -> list[str]:
    if resource.type == "azure-native:network:SecurityRule":
        rules = [dict(resource.inputs)]
    else:
        rules = [r for r in resource.inputs.get("securityRules") or [] if isinstance(r, dict)]
    found = []
    for rule in rules:
        opened = _nsg_rule_open(rule)
        if opened:
            found.append(
                f"rule {rule.get('name', '?')!r} allows the internet to port(s) "
                f"{', '.join(map(str, sorted(opened)))}"
            )
    return found


def _sg(resource: Resource) -> list[str]:
    found = []
    if resource.type == "aws:ec2/securityGroup:SecurityGroup":
        entries = [e for e in resource.inputs.get("ingress") or [] if isinstance(e, dict)]
        for entry in entries:
            cidrs = [*(entry.get("cidrBlocks") or []), *(entry.get("ipv6CidrBlocks") or [])]
            if any(c in OPEN_SOURCES for c in cidrs):
                opened = port_range(
                    entry.get("fromPort"), entry.get("toPort"), entry.get("protocol")
                )
                if opened:
                    found.append(
                        f"ingress from anywhere to port(s) {', '.join(map(str, sorted(opened)))}"
                    )
    elif resource.type == "aws:ec2/securityGroupRule:SecurityGroupRule":
        inputs = resource.inputs
        if inputs.get("type") == "ingress" and any(
            c in OPEN_SOURCES for c in inputs.get("cidrBlocks") or []
        ):
            opened = port_range(
                inputs.get("fromPort"), inputs.get("toPort"), inputs.get("protocol")
            )
            if opened:
                found.append(f"ingress from anywhere to port(s) {sorted(opened)}")
    else:  # aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule
        if (
            resource.inputs.get("cidrIpv4") in OPEN_SOURCES
            or resource.inputs.get("cidrIpv6") in OPEN_SOURCES
        ):
            inputs = resource.inputs
            opened = port_range(
                inputs.get("fromPort"), inputs.get("toPort"), inputs.get("ipProtocol")
            )
            if opened:
                found.append(f"ingress from anywhere to port(s) {sorted(opened)}")
    return found


def _public_ip_attached_to_edge(graph: ResourceGraph) -> list[Violation]:
    found = []
    for pip in graph.of_type("azure-native:network:PublicIPAddress"):
        users = [u for u in graph.dependents(pip.urn) if u.type not in DIAGNOSTIC_TYPES]
        if not users or any(u.type not in _EDGE_TYPES for u in users):
            found.append(
                Violation(
                    pip.urn, "public IP is not used only by a firewall, Bastion or VPN gateway"
                )
            )
    return found


def _private_data(resource: Resource) -> list[str]:
    inputs = resource.inputs
    if resource.type.startswith("aws:rds/") and inputs.get("publiclyAccessible") is True:
        return ["database is publicly accessible"]
    if (
        resource.type == "azure-native:sql:Server"
        and inputs.get("publicNetworkAccess") != "Disabled"
    ):
        return ["SQL server does not disable public network access"]
    if (
        resource.type == "azure-native:storage:StorageAccount"
        and inputs.get("allowBlobPublicAccess") is not False
    ):
        return ["storage account does not set allowBlobPublicAccess = false"]
    if (
        resource.type == "azure-native:keyvault:Vault"
        and dig(inputs, "properties.publicNetworkAccess") != "Disabled"
    ):
        return ["key vault does not disable public network access"]
    return []


def _s3_public_access_block(graph: ResourceGraph) -> list[Violation]:
    blocks = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    found = []
    for bucket in graph.of_type(*S3_BUCKETS):
        covering = graph.dependents(bucket.urn, blocks)
        if not any(
            all(
                b.inputs.get(k) is True
                for k in (
                    "blockPublicAcls",
                    "blockPublicPolicy",
                    "ignorePublicAcls",
                    "restrictPublicBuckets",
                )
            )
            for b in covering
        ):
            found.append(Violation(bucket.urn, "bucket has no full public access block"))
    return found


RULES = (
    Guardrail(
        "FL-NET-001",
        "No public IP on Azure network interfaces",
        Severity.HIGH,
        "Remove publicIPAddress; reach servers through Azure Bastion or the firewall.",
        (11, 12),
        ("azure-native:network:NetworkInterface",),
        check_resource=_nic,
    ),
    Guardrail(
        "FL-NET-002",
        "No public IP on EC2 instances",
        Severity.HIGH,
        "Set associatePublicIpAddress = false; use SSM Session Manager for access.",
        (11, 12),
        ("aws:ec2/instance:Instance",),
        check_resource=_instance_public,
    ),
    Guardrail(
        "FL-NET-003",
        "No internet-open management or database ports (Azure NSG)",
        Severity.CRITICAL,
        "Restrict the source to known ranges; use Bastion for 22/3389/5985/5986.",
        (11, 12),
        ("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"),
        check_resource=_nsg,
    ),
    Guardrail(
        "FL-NET-004",
        "No internet-open management or database ports (AWS)",
        Severity.CRITICAL,
        "Restrict ingress CIDRs; use SSM Session Manager instead of open 22/3389.",
        (11, 12),
        (
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:ec2/securityGroupRule:",
            "aws:vpc/securityGroupIngressRule:",
        ),
        check_resource=_sg,
    ),
    Guardrail(
        "FL-NET-005",
        "Public IPs only on the firewall, Bastion and gateways",
        Severity.HIGH,
        "Delete the public IP or attach it to the hub firewall / Bastion / VPN gateway.",
        (11,),
        check_graph=_public_ip_attached_to_edge,
    ),
    Guardrail(
        "FL-NET-006",
        "Databases, storage and vaults are not publicly reachable",
        Severity.HIGH,
        "Disable public network access and use private endpoints.",
        (11, 3),
        (
            "aws:rds/",
            "azure-native:sql:Server",
            "azure-native:storage:StorageAccount",
            "azure-native:keyvault:Vault",
        ),
        check_resource=_private_data,
    ),
    Guardrail(
        "FL-NET-007",
        "S3 buckets block public access",
        Severity.HIGH,
        "Add a BucketPublicAccessBlock with all four settings true.",
        (11, 2),
        check_graph=_s3_public_access_block,
    ),
)
