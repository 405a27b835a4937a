"""The sharing guardrails (FL-SHR-001..004): each check on its own, and the plan-aware hook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from forcelift.migration.plan.sharing_plan import (
    CloudSharing,
    HostedService,
    RamSharePlan,
    SharingFlowPlan,
    SharingPlan,
)
from forcelift.migration.policy.check import blocking, check, with_plan
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Resource
from forcelift.migration.policy.rules.sharing import FACTS, plan_facts

FIXTURES = Path(__file__).parent / "fixtures"
SUB_A = "11111111-1111-1111-1111-111111111111"
SUB_B = "22222222-2222-2222-2222-222222222222"


def _graph(case: dict[str, Any], stack: str = "test") -> ResourceGraph:
    urns = {
        r["name"]: f"urn:pulumi:{stack}::p::{r['type']}::{r['name']}" for r in case["resources"]
    }
    return ResourceGraph(
        [
            Resource(
                urns[r["name"]],
                r["type"],
                r["name"],
                r.get("inputs", {}),
                dependencies=tuple(urns[d] for d in r.get("dependencies", [])),
            )
            for r in case["resources"]
        ],
        case.get("config", {}),
        stack,
    )


def _messages(rule: str, graph: ResourceGraph) -> list[tuple[str, str]]:
    return sorted(
        (f.urn.rsplit("::", 1)[-1], f.message) for f in check([graph]) if f.rule_id == rule
    )


def _fixture(rule: str, side: str) -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / f"{rule}.yaml").read_text())[side]


def test_shr001_names_every_way_a_service_is_opened_too_wide() -> None:
    found = _messages("FL-SHR-001", _graph(_fixture("FL-SHR-001", "fail")))
    assert found == [
        ("custody-api-eps", "acceptanceRequired is not true"),
        ("custody-api-eps", "allowed principals include '*' (every account)"),
        (
            "rocu-intel-pls",
            f"auto-approval names {'33333333-3333-3333-3333-333333333333'}, not in the "
            "agreement's allowed subscriptions",
        ),
        ("rocu-intel-pls", "visibility is '*' (every subscription)"),
        (
            "tgw-org",
            "principal arn:aws:organizations::999988887777:organization/o-abc123 is the whole "
            "organisation",
        ),
        ("tgw-share", "allowExternalPrincipals is true: accounts outside the organisation"),
    ]
    assert _messages("FL-SHR-001", _graph(_fixture("FL-SHR-001", "pass"))) == []


def test_shr001_subscription_outside_the_allow_list() -> None:
    case = _fixture("FL-SHR-001", "pass")
    case["resources"][0]["inputs"]["visibility"]["subscriptions"].append(
        "44444444-4444-4444-4444-444444444444"
    )
    case["resources"][2]["inputs"]["allowedPrincipals"] = ["arn:aws:iam::999999999999:root"]
    found = _messages("FL-SHR-001", _graph(case))
    assert [name for name, _ in found] == ["custody-api-eps", "rocu-intel-pls"]
    assert "44444444-4444-4444-4444-444444444444" in found[1][1]
    assert "arn:aws:iam::999999999999:root" in found[0][1]


def test_shr001_without_plan_facts_checks_structure_only() -> None:
    case = _fixture("FL-SHR-001", "pass")
    case["config"] = {}
    case["resources"][0]["inputs"]["visibility"]["subscriptions"] = [
        "44444444-4444-4444-4444-444444444444"
    ]
    case["resources"][0]["inputs"]["autoApproval"]["subscriptions"] = []
    assert _messages("FL-SHR-001", _graph(case)) == []


def test_shr002_flows_and_services_without_agreements() -> None:
    found = _messages("FL-SHR-002", _graph(_fixture("FL-SHR-002", "fail"), "plan"))
    assert [name for name, _ in found] == [
        "aws-nca-ingest",
        "azure-rocu-intel",
        "custody-eps",
        "custody-social-care",
    ]
    assert "names no data-sharing agreement" in found[3][1]
    assert _messages("FL-SHR-002", _graph(_fixture("FL-SHR-002", "pass"), "plan")) == []


def test_shr003_flow_transport_and_gateways() -> None:
    found = _messages("FL-SHR-003", _graph(_fixture("FL-SHR-003", "fail"), "plan"))
    assert found == [
        ("agency-api", "endpoint type is ['REGIONAL'], not PRIVATE"),
        ("apim-agency", "publicNetworkAccess is Enabled"),
        ("apim-agency", "virtualNetworkType is 'External', not 'Internal'"),
        (
            "custody-cps-case-files",
            "flow custody-cps-case-files moves to the cloud with no private connection",
        ),
        ("records-ftp", "flow records-ftp: protocol ftp has no TLS"),
    ]
    assert _messages("FL-SHR-003", _graph(_fixture("FL-SHR-003", "pass"), "plan")) == []


def test_shr003_clear_text_port_under_a_neutral_protocol() -> None:
    case = _fixture("FL-SHR-003", "pass")
    case["resources"] = []
    case["config"]["forcelift:sharing"]["flows"][0].update(protocol="tcp", port=23)
    found = _messages("FL-SHR-003", _graph(case, "plan"))
    assert found == [
        (
            "custody-cps-case-files",
            "flow custody-cps-case-files: port 23 is a clear-text protocol's",
        )
    ]


def test_shr004_access_logs() -> None:
    found = _messages("FL-SHR-004", _graph(_fixture("FL-SHR-004", "fail")))
    assert [name for name, _ in found] == [
        "agency-api-live",
        "apim-agency",
        "custody-nlb",
        "rocu-intel-pls",
    ]
    assert _messages("FL-SHR-004", _graph(_fixture("FL-SHR-004", "pass"))) == []


def _plan(flows: tuple[SharingFlowPlan, ...], hosted: tuple[HostedService, ...] = ()) -> Any:
    cloud = SimpleNamespace(
        cloud="azure",
        sharing=CloudSharing(
            hosted=hosted,
            ram_shares=(RamSharePlan(name="tgw", principals=("ou-ab12-cdef3456",)),),
        ),
    )
    return SimpleNamespace(
        sharing=SharingPlan(flows=flows),
        clouds=[cloud],
        workloads=[SimpleNamespace(application="Custody", decision="PAAS")],
    )


def _flow(agreement: str) -> SharingFlowPlan:
    return SharingFlowPlan(
        name="custody-cps",
        application="Custody",
        partner="CPS",
        data="case files",
        direction="outbound",
        classification="OFFICIAL-SENSITIVE",
        protocol="https",
        api=True,
        port=443,
        agreement=agreement,
        connection="api-gateway",
        reason="agency API",
    )


def test_with_plan_adds_facts_and_the_plan_graph() -> None:
    hosted = HostedService(
        name="rocu-intel",
        application="Custody",
        stack="ex-azure-wave-1",
        agreements=("ISA-1",),
        allowed_subscriptions=(SUB_A,),
    )
    pls = Resource(
        "urn:pulumi:ex-azure-wave-1::p::azure-native:network:PrivateLinkService::rocu-intel-pls",
        "azure-native:network:PrivateLinkService",
        "rocu-intel-pls",
        {"visibility": {"subscriptions": [SUB_A, SUB_B]}},
    )
    graphs = with_plan(
        [ResourceGraph([pls], {}, "ex-azure-wave-1")], _plan((_flow(""),), (hosted,))
    )
    assert [g.stack for g in graphs] == ["ex-azure-wave-1", "plan"]
    assert graphs[0].config[FACTS]["hosted"][0]["allowed_subscriptions"] == [SUB_A]
    findings = check(graphs, as_of=dt.date(2026, 12, 1))
    assert sorted((f.rule_id, f.stack) for f in findings) == [
        ("FL-SHR-001", "ex-azure-wave-1"),
        ("FL-SHR-002", "plan"),
        ("FL-SHR-004", "ex-azure-wave-1"),
    ]
    assert len(blocking(findings)) == 3


def test_a_plan_without_sharing_leaves_the_graphs_alone() -> None:
    plan = SimpleNamespace(
        sharing=None, clouds=[SimpleNamespace(cloud="aws", sharing=CloudSharing())], workloads=[]
    )
    graph = ResourceGraph([], {"forcelift:layer": "wave"}, "x")
    assert plan_facts(plan) is None
    assert with_plan([graph], plan) == [graph]


def test_shr004_a_tcp_nlb_needs_no_access_logs() -> None:
    """NLB access logs exist only for TLS listeners; a TCP pass-through is left to flow logs."""
    case = _fixture("FL-SHR-004", "fail")
    case["resources"] = [r for r in case["resources"] if r["name"] != "custody-tls"]
    found = [name for name, _ in _messages("FL-SHR-004", _graph(case))]
    assert "custody-nlb" not in found and "agency-api-live" in found
