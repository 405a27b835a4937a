"""Sharing between forces and partner agencies: named partners only, agreements, private TLS, logs.

Two kinds of check. Resource checks read a stack's graph like every other rule (Private Link
services, endpoint services, RAM shares, API gateways, their logs). Plan checks read the plan's
sharing facts: `plan_facts(plan)` turns the plan into plain data that `with_plan` (check.py)
puts into each graph's config under `forcelift:sharing`, and into one extra graph of layer
`plan` that holds no resources. A graph without those facts (CrossGuard, a preview checked
without its plan) gets the structural checks only ("*" is never allowed, acceptance required).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity, Violation
from forcelift.migration.policy.rules.logging import DIAGNOSTIC_TYPES

FACTS = "forcelift:sharing"
PLAN_LAYER = "plan"
PLAN_STACK = "plan"
SENSITIVE = "OFFICIAL-SENSITIVE"
MOVING = frozenset({"PAAS", "IAAS"})  # carried in the landing zone (SaaS is the vendor's)

PLS = "azure-native:network:PrivateLinkService"
AZURE_LB = "azure-native:network:LoadBalancer"
APIM = "azure-native:apimanagement:ApiManagementService"
ENDPOINT_SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService"
ALLOWED_PRINCIPLE = "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple"
RESOURCE_SHARE = "aws:ram/resourceShare:ResourceShare"
PRINCIPAL_ASSOCIATION = "aws:ram/principalAssociation:PrincipalAssociation"
REST_API = "aws:apigateway/restApi:RestApi"
STAGE = "aws:apigateway/stage:Stage"
AWS_LBS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")

SHARED_ENDPOINTS = (PLS, ENDPOINT_SERVICE, RESOURCE_SHARE, APIM, REST_API)
AGREEMENT_TAG = "sharing-agreement"  # the DSA / ISA reference(s) on a shared endpoint

INSECURE_PROTOCOLS = frozenset({"http", "ftp", "telnet", "smtp", "ldap"})
INSECURE_PORTS = frozenset({80, 21, 23})
_IMPLICIT_TLS_SMTP = frozenset({465})
_ORG_ROOT = re.compile(r"(:organization/o-[a-z0-9]+$)|(^o-[a-z0-9]+$)|(^r-[a-z0-9]+$)|(:root/)")


# --------------------------------------------------------------------------- plan facts
def plan_facts(plan: Any) -> dict[str, Any] | None:
    """The plan's sharing as plain data for rules, or None when the plan shares nothing."""
    sharing = getattr(plan, "sharing", None)
    clouds = [
        c for c in plan.clouds if c.sharing.hosted or c.sharing.consumed or c.sharing.ram_shares
    ]
    if sharing is None and not clouds:
        return None
    facts: dict[str, Any] = {
        "flows": [f.model_dump(mode="json") for f in sharing.flows] if sharing else [],
        "moving": sorted(w.application for w in plan.workloads if str(w.decision) in MOVING),
        "hosted": [],
        "consumed": [],
        "ram_shares": [],
    }
    for cloud in plan.clouds:
        for kind in ("hosted", "consumed", "ram_shares"):
            facts[kind].extend(
                {**item.model_dump(mode="json"), "cloud": cloud.cloud}
                for item in getattr(cloud.sharing, kind)
            )
    return facts


def _facts(graph: ResourceGraph) -> Mapping[str, Any] | None:
    facts = graph.config.get(FACTS)
    return facts if isinstance(facts, Mapping) else None


def _is_plan(graph: ResourceGraph) -> bool:
    return graph.config.get("forcelift:layer") == PLAN_LAYER and _facts(graph) is not None


def plan_urn(kind: str, name: str) -> str:
    """A finding's address for a plan entry: waivers name it by its last part, like a resource."""
    return f"forcelift:plan::{kind}::{name}"


# --------------------------------------------------------------------------- helpers
def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def _hosted_for(
    facts: Mapping[str, Any] | None, graph: ResourceGraph, resource: Resource
) -> list[Mapping[str, Any]]:
    """The hosted services this resource fronts: by name in the resource name, else the stack's."""
    if facts is None:
        return []
    mine = [h for h in facts.get("hosted", []) if h.get("stack") == graph.stack]
    named = [h for h in mine if str(h.get("name", "")) and str(h["name"]) in resource.name]
    return named or mine


def _allowed(hosted: Sequence[Mapping[str, Any]], key: str) -> set[str]:
    return {str(v).casefold() for h in hosted for v in h.get(key, [])}


def _named_list(label: str, values: list[str], allowed: set[str] | None) -> list[str]:
    problems = []
    if any(v.strip() == "*" for v in values):
        problems.append(f"{label} is '*' (every subscription)")
    elif allowed is not None:
        extra = sorted(v for v in values if v.casefold() not in allowed)
        if extra:
            problems.append(
                f"{label} names {', '.join(extra)}, not in the agreement's allowed subscriptions"
            )
    return problems


# --------------------------------------------------------------------------- FL-SHR-001
def _azure_pls(graph: ResourceGraph, facts: Mapping[str, Any] | None) -> list[Violation]:
    found: list[Violation] = []
    for pls in graph.of_type(PLS):
        allowed = (
            _allowed(_hosted_for(facts, graph, pls), "allowed_subscriptions") if facts else None
        )
        visibility = _strings((pls.inputs.get("visibility") or {}).get("subscriptions"))
        approval = _strings((pls.inputs.get("autoApproval") or {}).get("subscriptions"))
        problems = _named_list("visibility", visibility, allowed)
        problems += _named_list("auto-approval", approval, allowed)
        shown = {v.casefold() for v in visibility}
        wider = sorted({a for a in approval if a.casefold() not in shown})
        if wider and "*" not in shown and not any(a.strip() == "*" for a in approval):
            problems.append(f"auto-approval names {', '.join(wider)}, which visibility does not")
        found.extend(Violation(pls.urn, p) for p in problems)
    return found


def _aws_endpoint_services(
    graph: ResourceGraph, facts: Mapping[str, Any] | None
) -> list[Violation]:
    found: list[Violation] = []
    for service in graph.of_type(ENDPOINT_SERVICE):
        if service.inputs.get("acceptanceRequired") is not True:
            found.append(Violation(service.urn, "acceptanceRequired is not true"))
        principals = _strings(service.inputs.get("allowedPrincipals"))
        principals += [
            str(p.inputs.get("principalArn", ""))
            for p in graph.dependents(service.urn, ALLOWED_PRINCIPLE)
        ]
        if any(p.strip() == "*" for p in principals):
            found.append(Violation(service.urn, "allowed principals include '*' (every account)"))
            continue
        if facts is None:
            continue
        accounts = _allowed(_hosted_for(facts, graph, service), "allowed_accounts")
        roots = {f"arn:aws:iam::{a}:root" for a in accounts}
        extra = sorted(p for p in principals if p.casefold() not in roots)
        if extra:
            found.append(
                Violation(
                    service.urn,
                    f"allowed principals {', '.join(extra)} are not the root of an account the "
                    "agreement names",
                )
            )
    return found


def _aws_ram(graph: ResourceGraph, facts: Mapping[str, Any] | None) -> list[Violation]:
    found = [
        Violation(share.urn, "allowExternalPrincipals is true: accounts outside the organisation")
        for share in graph.of_type(RESOURCE_SHARE)
        if share.inputs.get("allowExternalPrincipals") is True
    ]
    planned = {
        str(p).casefold()
        for s in (facts or {}).get("ram_shares", [])
        for p in s.get("principals", [])
    }
    for association in graph.of_type(PRINCIPAL_ASSOCIATION):
        principal = str(association.inputs.get("principal", "")).strip()
        if _ORG_ROOT.search(principal):
            found.append(
                Violation(association.urn, f"principal {principal} is the whole organisation")
            )
        elif planned and not any(p in principal.casefold() for p in planned):
            found.append(
                Violation(association.urn, f"principal {principal} is not one the plan shares with")
            )
    return found


def _named_partners_only(graph: ResourceGraph) -> list[Violation]:
    facts = _facts(graph)
    return [
        *_azure_pls(graph, facts),
        *_aws_endpoint_services(graph, facts),
        *_aws_ram(graph, facts),
    ]


# --------------------------------------------------------------------------- FL-SHR-002
def _blank_agreement_tags(graph: ResourceGraph) -> list[Violation]:
    """A shared endpoint that records its agreement as a tag must not record an empty one."""
    return [
        Violation(r.urn, f"the {AGREEMENT_TAG} tag is empty")
        for r in graph.of_type(*SHARED_ENDPOINTS)
        if AGREEMENT_TAG in r.tags and not str(r.tags[AGREEMENT_TAG]).strip()
    ]


def _agreements(graph: ResourceGraph) -> list[Violation]:
    found = _blank_agreement_tags(graph)
    if not _is_plan(graph):
        return found
    facts = _facts(graph) or {}
    found += [
        Violation(
            plan_urn("flow", str(f.get("name"))),
            f"flow {f.get('name')} ({f.get('application')} with {f.get('partner')}) names no "
            "data-sharing agreement",
        )
        for f in facts.get("flows", [])
        if not str(f.get("agreement", "")).strip()
    ]
    for kind in ("hosted", "consumed"):
        found.extend(
            Violation(
                plan_urn(kind, f"{s.get('cloud')}-{s.get('name')}"),
                f"{kind} service {s.get('name')} ({s.get('cloud')}) has no agreement reference",
            )
            for s in facts.get(kind, [])
            if not [a for a in s.get("agreements", []) if str(a).strip()]
        )
    return found


# --------------------------------------------------------------------------- FL-SHR-003
def _insecure(flow: Mapping[str, Any]) -> str:
    protocol = str(flow.get("protocol", "")).strip().lower()
    port = flow.get("port")
    if protocol == "smtp" and port in _IMPLICIT_TLS_SMTP:
        return ""
    if protocol in INSECURE_PROTOCOLS:
        return f"protocol {protocol} has no TLS"
    if isinstance(port, int) and port in INSECURE_PORTS:
        return f"port {port} is a clear-text protocol's"
    return ""


def _flow_transport(facts: Mapping[str, Any]) -> list[Violation]:
    moving = set(facts.get("moving", []))
    found: list[Violation] = []
    for flow in facts.get("flows", []):
        if str(flow.get("classification", "")).upper() != SENSITIVE:
            continue
        urn = plan_urn("flow", str(flow.get("name")))
        if flow.get("connection") == "none" and flow.get("application") in moving:
            found.append(
                Violation(
                    urn, f"flow {flow.get('name')} moves to the cloud with no private connection"
                )
            )
        problem = _insecure(flow)
        if problem:
            found.append(Violation(urn, f"flow {flow.get('name')}: {problem}"))
    return found


def _gateway_private(graph: ResourceGraph) -> list[Violation]:
    found: list[Violation] = []
    for apim in graph.of_type(APIM):
        if apim.inputs.get("virtualNetworkType") != "Internal":
            found.append(
                Violation(
                    apim.urn,
                    f"virtualNetworkType is {apim.inputs.get('virtualNetworkType')!r}, "
                    "not 'Internal'",
                )
            )
        if apim.inputs.get("publicNetworkAccess") == "Enabled":
            found.append(Violation(apim.urn, "publicNetworkAccess is Enabled"))
    for api in graph.of_type(REST_API):
        types = _strings((api.inputs.get("endpointConfiguration") or {}).get("types"))
        if [t.upper() for t in types] != ["PRIVATE"]:
            found.append(Violation(api.urn, f"endpoint type is {types or ['EDGE']}, not PRIVATE"))
    return found


def _private_tls(graph: ResourceGraph) -> list[Violation]:
    facts = _facts(graph)
    return [
        *(_flow_transport(facts) if facts and _is_plan(graph) else []),
        *_gateway_private(graph),
    ]


# --------------------------------------------------------------------------- FL-SHR-004
def _to_workspace(setting: Resource) -> bool:
    workspace = str(setting.inputs.get("workspaceId") or "")
    if not workspace:
        return False
    lowered = workspace.lower()
    return (
        workspace == "<computed>" or "operationalinsights" in lowered or "/workspaces/" in lowered
    )


def _logged(graph: ResourceGraph, resource: Resource) -> bool:
    return any(_to_workspace(s) for s in graph.dependents(resource.urn, *DIAGNOSTIC_TYPES))


def _azure_access_logs(graph: ResourceGraph) -> list[Violation]:
    found: list[Violation] = []
    for pls in graph.of_type(PLS):
        balancers = [
            graph.by_urn[d]
            for d in pls.dependencies
            if d in graph.by_urn and graph.by_urn[d].type == AZURE_LB
        ]
        if not any(_logged(graph, r) for r in (pls, *balancers)):
            found.append(
                Violation(
                    pls.urn,
                    "neither the Private Link service nor its load balancer sends diagnostics "
                    "to the workspace",
                )
            )
    found.extend(
        Violation(apim.urn, "API Management sends no diagnostics to the workspace")
        for apim in graph.of_type(APIM)
        if not _logged(graph, apim)
    )
    return found


def _terminates_tls(graph: ResourceGraph, lb: Resource) -> bool:
    listeners = graph.dependents(lb.urn, *LISTENERS)
    return any(str(x.inputs.get("protocol", "")).upper() in ("TLS", "HTTPS") for x in listeners)


def _aws_access_logs(graph: ResourceGraph) -> list[Violation]:
    found: list[Violation] = []
    for service in graph.of_type(ENDPOINT_SERVICE):
        for lb in (graph.by_urn[d] for d in service.dependencies if d in graph.by_urn):
            if lb.type not in AWS_LBS:
                continue
            if not _terminates_tls(graph, lb):
                continue  # NLB access logs exist for TLS listeners only; flow logs cover TCP
            logs = lb.inputs.get("accessLogs") or {}
            if not (logs.get("enabled") is True and logs.get("bucket")):
                found.append(
                    Violation(lb.urn, "the shared service's load balancer has no access logs")
                )
    for api in graph.of_type(REST_API):
        for stage in graph.dependents(api.urn, STAGE):
            settings = stage.inputs.get("accessLogSettings") or {}
            if not settings.get("destinationArn"):
                found.append(Violation(stage.urn, "API stage has no access_log_settings"))
    return found


def _access_logged(graph: ResourceGraph) -> list[Violation]:
    return [*_azure_access_logs(graph), *_aws_access_logs(graph)]


RULES = (
    Guardrail(
        "FL-SHR-001",
        "A shared service is reachable only by the partners named in its agreement",
        Severity.CRITICAL,
        "Limit Private Link visibility and auto-approval to the agreement's subscriptions, "
        "endpoint-service allowed principals to its accounts' roots (acceptance required), and "
        "RAM shares to the collaboration OU or named accounts with external principals off.",
        (3, 11),
        check_graph=_named_partners_only,
    ),
    Guardrail(
        "FL-SHR-002",
        "Every sharing flow names its data-sharing agreement",
        Severity.HIGH,
        "Record the DSA / ISA reference for the flow in the inventory (sharing `agreement`) or "
        "the shared service in the collaboration file; never invent one.",
        (4, 8),
        check_graph=_agreements,
    ),
    Guardrail(
        "FL-SHR-003",
        "OFFICIAL-SENSITIVE flows go over private connectivity with TLS",
        Severity.HIGH,
        "Carry the flow over Private Link / an endpoint service or the agency API gateway, "
        "use a TLS protocol (https, sftp, smtps), keep API Management Internal with public "
        "access off and API Gateway REST APIs PRIVATE.",
        (1, 11),
        check_graph=_private_tls,
    ),
    Guardrail(
        "FL-SHR-004",
        "Every shared endpoint logs access to the host force's workspace or CloudTrail",
        Severity.HIGH,
        "Add a DiagnosticSetting to the landing zone's workspace for the Private Link service's "
        "load balancer and API Management; turn on NLB access logs and API stage access logs.",
        (5, 13),
        check_graph=_access_logged,
    ),
)
