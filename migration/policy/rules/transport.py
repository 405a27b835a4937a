"""TLS 1.2 or newer on every endpoint that has the setting; HTTPS only."""

from __future__ import annotations

import json
from typing import Any

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity, Violation
from forcelift.migration.policy.rules._util import dig
from forcelift.migration.policy.rules.encryption import S3_BUCKETS

_GOOD_TLS = {"1.2", "1.3", "TLS1_2", "TLS1_3", "Tls12", "Tls13"}
_GOOD_ELB_POLICIES = (
    "ELBSecurityPolicy-TLS13-",
    "ELBSecurityPolicy-TLS-1-2-",
    "ELBSecurityPolicy-FS-1-2-",
)


def _tls(resource: Resource) -> list[str]:
    inputs = resource.inputs
    kind = resource.type
    if kind == "azure-native:storage:StorageAccount":
        problems = []
        if inputs.get("minimumTlsVersion") not in _GOOD_TLS:
            problems.append("minimumTlsVersion is not TLS1_2 or newer")
        if inputs.get("enableHttpsTrafficOnly") is False:
            problems.append("HTTP traffic is allowed")
        return problems
    if kind == "azure-native:web:WebApp":
        problems = []
        if dig(inputs, "siteConfig.minTlsVersion") not in _GOOD_TLS:
            problems.append("siteConfig.minTlsVersion is not 1.2 or newer")
        if inputs.get("httpsOnly") is not True:
            problems.append("httpsOnly is not set")
        return problems
    if kind == "azure-native:sql:Server":
        return (
            []
            if inputs.get("minimalTlsVersion") in _GOOD_TLS
            else ["minimalTlsVersion is not 1.2 or newer"]
        )
    if kind == "aws:lb/listener:Listener" or kind == "aws:alb/listener:Listener":
        if str(inputs.get("protocol", "")).upper() not in ("HTTPS", "TLS"):
            return [f"listener protocol is {inputs.get('protocol')!r}, not HTTPS/TLS"]
        policy = str(inputs.get("sslPolicy", ""))
        if not policy.startswith(_GOOD_ELB_POLICIES):
            return [f"sslPolicy {policy!r} allows TLS older than 1.2"]
    return []


_TLS_TYPES = (
    "azure-native:storage:StorageAccount",
    "azure-native:web:WebApp",
    "azure-native:sql:Server",
    "aws:lb/listener:Listener",
    "aws:alb/listener:Listener",
)
_TARGET_GROUPS = ("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")


def _passes_tls_to_an_alb(graph: ResourceGraph, listener: Resource) -> bool:
    """A TCP listener of an NLB whose only targets are ALBs (an endpoint service in front of a
    web app): AWS allows only TCP there, and the TLS is the ALB's own HTTPS listener."""
    if str(listener.inputs.get("protocol", "")).upper() != "TCP":
        return False
    groups = [g for g in graph.of_type(*_TARGET_GROUPS) if g.urn in listener.dependencies]
    return bool(groups) and all(g.inputs.get("targetType") == "alb" for g in groups)


def _tls_everywhere(graph: ResourceGraph) -> list[Violation]:
    return [
        Violation(resource.urn, message)
        for resource in graph.of_type(*_TLS_TYPES)
        if not _passes_tls_to_an_alb(graph, resource)
        for message in _tls(resource)
    ]


def _denies_insecure_transport(policy: Any) -> bool:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return False
    for statement in (policy or {}).get("Statement", []) if isinstance(policy, dict) else []:
        condition = json.dumps(statement.get("Condition", {}))
        if statement.get("Effect") == "Deny" and "aws:SecureTransport" in condition:
            return True
    return False


def _s3_tls_only(graph: ResourceGraph) -> list[Violation]:
    found = []
    for bucket in graph.of_type(*S3_BUCKETS):
        policies = graph.dependents(bucket.urn, "aws:s3/bucketPolicy:BucketPolicy")
        if not any(_denies_insecure_transport(p.inputs.get("policy")) for p in policies):
            found.append(Violation(bucket.urn, "bucket policy does not deny non-TLS requests"))
    return found


RULES = (
    Guardrail(
        "FL-TLS-001",
        "Endpoints require TLS 1.2 or newer",
        Severity.HIGH,
        "Set the minimum TLS version to 1.2 (storage, web apps, SQL) or an ELB policy "
        "of TLS 1.2+; enforce HTTPS only.",
        (1,),
        _TLS_TYPES,
        check_graph=_tls_everywhere,
    ),
    Guardrail(
        "FL-TLS-002",
        "S3 buckets refuse non-TLS requests",
        Severity.MEDIUM,
        "Attach a bucket policy denying requests where aws:SecureTransport is false.",
        (1,),
        check_graph=_s3_tls_only,
    ),
)
