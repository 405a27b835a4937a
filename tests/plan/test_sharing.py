"""Partner sharing in the plan: connections and reasons, host/consumer sides, RAM shares, the
sharing stack, and the published plan schema."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from forcelift.migration.classify.model import Decision
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.sharing import Partner, SharingFlow
from forcelift.migration.plan import sharing as S
from forcelift.migration.plan.planfile import CloudPlan, Plan
from forcelift.migration.plan.planio import load_plan

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "plan"
SCHEMA = ROOT / "docs" / "plan.schema.json"

SUB = "11111111-2222-3333-4444-555555555555"
CPS = Partner(
    name="Crown Prosecution Service (CPS)",
    kind="national-body",
    azure_subscriptions=(SUB,),
    aws_accounts=("123456789012",),
    aws_organization_unit="ou-ab12-cdef5678",
)
NCA = Partner(
    name="National Crime Agency",
    kind="national-body",
    aws_accounts=("210987654321",),
    endpoint="com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0",
)
COUNCIL = Partner(name="Exampleshire County Council", kind="agency", cloud="azure",
                  endpoint="council-pls.abc.uksouth.azure.privatelinkservice")  # fmt: skip
PARTNERS = (NCA, CPS, COUNCIL)
DECISIONS = {
    "Case File Builder": Decision.PAAS,
    "Niche RMS": Decision.IAAS,
    "Custody": Decision.IAAS,
    "Legacy Archive": Decision.RETAIN,
    "Old Intranet": Decision.RETIRE,
    "HR and Payroll": Decision.SAAS,
}


def flow(application: str, partner: str, **kw: object) -> SharingFlow:
    return SharingFlow(application=application, partner=partner, **kw)  # type: ignore[arg-type]


FLOWS = (
    flow("Case File Builder", "CPS", data="case files", classification="OFFICIAL-SENSITIVE",
         agreement="DSA-2"),
    flow("Case File Builder", "Crown Prosecution Service (CPS)", data="charging decisions",
         agreement="DSA-1", port=8443),
    flow("Niche RMS", "NCA", data="intelligence", direction="both", api=True, protocol="oauth2",
         agreement="ISA-7"),
    flow("Custody", "nca", data="wanted persons", direction="inbound", protocol="sftp"),
    flow("Custody", "Exampleshire County Council", data="safeguarding", direction="inbound"),
    flow("Legacy Archive", "CPS", data="old files"),
    flow("Old Intranet", "CPS", data="news"),
    flow("HR and Payroll", "CPS", data="vetting"),
)  # fmt: skip


@pytest.fixture(scope="module")
def plans() -> dict[str, CloudPlan]:
    return {c: load_plan(GOLDEN / f"exampleshire-{c}.yaml").cloud(c) for c in ("azure", "aws")}


def _cloud(plan: CloudPlan) -> CloudPlan:
    """The golden cloud plan with this test's applications as its workloads."""
    moving = [w for w in plan.workloads][:3]
    renamed = [
        w.model_copy(update={"application": name, "stack": f"{w.stack}-{i}"})
        for i, (w, name) in enumerate(
            zip(moving, ("Case File Builder", "Niche RMS", "Custody"), strict=True)
        )
    ]
    staff = plan.sharing.model_copy(update={"hosted": (), "consumed": (), "ram_shares": ()})
    return plan.model_copy(
        update={
            "workloads": tuple(renamed),
            "sharing": staff,  # the sample's own partner services left out
            "stacks": tuple(s for s in plan.stacks if s.layer != "sharing"),
        }
    )


def _sharing(cloud: str, plans: dict[str, CloudPlan]) -> CloudPlan:
    planned = S.plan_flows(PARTNERS, FLOWS, DECISIONS)
    assert planned is not None
    return S.cloud_partner_sharing(_cloud(plans[cloud]), PARTNERS, planned, DECISIONS, "exs")


def test_flows_get_a_connection_and_a_reason() -> None:
    planned = S.plan_flows(PARTNERS, FLOWS, DECISIONS)
    assert planned is not None
    by_name = {f.name: f for f in planned.flows}
    assert list(by_name) == sorted(by_name)
    assert set(by_name) == {
        "case-file-builder-cps-case-files",
        "case-file-builder-cps-charging-decisions",
        "niche-rms-nca-intelligence",
        "custody-nca-wanted-persons",
        "custody-ecc-safeguarding",  # initials of a three-word name
        "legacy-archive-cps-old-files",
        "old-intranet-cps-news",
        "hr-and-payroll-cps-vetting",
    }
    assert by_name["niche-rms-nca-intelligence"].connection == "api-gateway"
    assert by_name["case-file-builder-cps-case-files"].connection == "private-link"
    assert "allow list is exactly" in by_name["case-file-builder-cps-case-files"].reason
    wanted = by_name["custody-nca-wanted-persons"]
    assert (wanted.connection, wanted.port, wanted.partner) == (
        "private-link",
        22,
        "National Crime Agency",
    )
    assert "private endpoint" in wanted.reason
    assert by_name["legacy-archive-cps-old-files"].connection == "none"
    assert "stays on premise" in by_name["legacy-archive-cps-old-files"].reason
    assert "retires" in by_name["old-intranet-cps-news"].reason
    assert "becomes SaaS" in by_name["hr-and-payroll-cps-vetting"].reason
    assert [p.name for p in planned.partners] == sorted(p.name for p in PARTNERS)
    assert planned.collaboration == "" and planned.shared_products == ()


def test_duplicate_flow_names_stay_unique_and_order_is_deterministic() -> None:
    twice = (*FLOWS, flow("Niche RMS", "NCA", data="intelligence", agreement="ISA-8"))
    a = S.plan_flows(PARTNERS, twice, DECISIONS)
    b = S.plan_flows(tuple(reversed(PARTNERS)), tuple(reversed(twice)), DECISIONS)
    assert a == b and a is not None
    names = [f.name for f in a.flows]
    assert len(names) == len(set(names)) == len(twice)


def test_no_partners_no_flows_no_sharing_plan() -> None:
    assert S.plan_flows((), (), DECISIONS) is None
    assert S.sharing_plan(Inventory(), DECISIONS) is None


def test_azure_host_side_allows_exactly_the_partners_subscriptions(
    plans: dict[str, CloudPlan],
) -> None:
    sharing = _sharing("azure", plans).sharing
    hosted = {h.application: h for h in sharing.hosted}
    assert set(hosted) == {"Case File Builder", "Niche RMS"}  # Custody only consumes
    cfb = hosted["Case File Builder"]
    assert cfb.name == "case-file-builder" and cfb.stack.endswith("-0")
    assert cfb.allowed_subscriptions == (SUB,) and cfb.allowed_accounts == ()
    assert cfb.consumers == ("Crown Prosecution Service (CPS)",)
    assert cfb.agreements == ("DSA-1", "DSA-2") and cfb.port == 443
    assert cfb.classification == "OFFICIAL-SENSITIVE"
    assert (cfb.api, cfb.api_auth) == (False, "")
    niche = hosted["Niche RMS"]
    assert (niche.api, niche.api_auth, niche.classification) == (True, "oauth", "OFFICIAL")
    assert niche.allowed_subscriptions == ()  # the NCA gave no subscription: nobody is allowed
    assert sharing.ram_shares == ()  # Azure has no RAM


def test_azure_consumes_only_partner_endpoints_for_its_cloud(plans: dict[str, CloudPlan]) -> None:
    cloud = _sharing("azure", plans)
    consumed = {c.provider: c for c in cloud.sharing.consumed}
    assert set(consumed) == {"Exampleshire County Council", "National Crime Agency"}
    council = consumed["Exampleshire County Council"]
    assert council.endpoint == COUNCIL.endpoint and council.stack == "exs-azure-sharing"
    assert council.dns_name == f"{council.name}.share.exs.internal" and len(council.name) <= 24
    nca = consumed["National Crime Agency"]
    assert nca.name == "nca" and nca.agreements == ("ISA-7",) and nca.port == 22
    stack = cloud.stacks[-1]
    assert (stack.name, stack.layer, stack.estimated_resources) == (
        "exs-azure-sharing",
        "sharing",
        12,  # 2 consumed x 6 (footprint.SHARING_FOOTPRINTS: endpoint, DNS, resource group)
    )


def test_aws_host_side_accounts_and_ram_share_to_ou_or_accounts(
    plans: dict[str, CloudPlan],
) -> None:
    cloud = _sharing("aws", plans)
    hosted = {h.application: h for h in cloud.sharing.hosted}
    assert hosted["Case File Builder"].allowed_accounts == ("123456789012",)
    assert hosted["Case File Builder"].allowed_subscriptions == ()
    assert hosted["Niche RMS"].allowed_accounts == ("210987654321",)
    # Partners reach hosted services through endpoint services; the transit gateway is shared
    # only inside the organisation, with an OU written as an ARN (a bare id or outside
    # accounts: no share, RAM could not reach them with external principals off).
    assert cloud.sharing.ram_shares == ()
    # the council's endpoint is on Azure: AWS consumes only the NCA's
    assert [c.provider for c in cloud.sharing.consumed] == ["National Crime Agency"]
    assert [s.name for s in cloud.stacks if s.layer == "sharing"] == ["exs-aws-sharing"]


def test_client_certificate_is_the_default_for_agency_apis(plans: dict[str, CloudPlan]) -> None:
    flows = (flow("Niche RMS", "NCA", data="x", api=True),)
    planned = S.plan_flows(PARTNERS, flows, DECISIONS)
    assert planned is not None
    cloud = S.cloud_partner_sharing(_cloud(plans["aws"]), PARTNERS, planned, DECISIONS, "exs")
    assert [(h.api, h.api_auth) for h in cloud.sharing.hosted] == [(True, "client-certificate")]
    assert [s for s in cloud.stacks if s.layer == "sharing"] == []  # consumes nothing


def test_nothing_moves_nothing_is_built(plans: dict[str, CloudPlan]) -> None:
    flows = tuple(f for f in FLOWS if DECISIONS[f.application] not in ("IAAS", "PAAS"))
    planned = S.plan_flows(PARTNERS, flows, DECISIONS)
    assert planned is not None and {f.connection for f in planned.flows} == {"none"}
    base = _cloud(plans["aws"])
    assert S.cloud_partner_sharing(base, PARTNERS, planned, DECISIONS, "exs") == base


def test_with_sharing_keeps_one_sharing_stack_and_recounts(plans: dict[str, CloudPlan]) -> None:
    base = _cloud(plans["azure"])
    one = S.consumed_service("roc-intel", "north", "exs", "azure", (), source_stack="a")
    two = S.consumed_service("roc-cases", "north", "exs", "azure", (), source_stack="a")
    first = S.with_sharing(base, consumed=[one])
    second = S.with_sharing(first, consumed=[two])
    sharing_stacks = [s for s in second.stacks if s.layer == "sharing"]
    assert len(sharing_stacks) == 1 and second.stacks[-1] == sharing_stacks[0]
    assert sharing_stacks[0].estimated_resources == 2 * 6  # footprint.SHARING_FOOTPRINTS
    assert [c.name for c in second.sharing.consumed] == ["roc-cases", "roc-intel"]
    assert second.sharing.staff_access == base.sharing.staff_access != ()
    assert one.dns_name == "roc-intel.share.exs.internal" and one.classification == "OFFICIAL"


def test_service_names_are_short_slugs_and_distinct() -> None:
    long = "Regional Organised Crime Unit Intelligence System"
    name = S.service_name(long)
    assert len(name) <= 24 and name.startswith("regional-organised")
    assert S.service_name("Niche RMS") == "niche-rms"
    again = S.service_name("niche rms", taken={"niche-rms"})
    assert again != "niche-rms" and len(again) <= 24
    third = S.service_name("niche rms", taken={"niche-rms", again})
    assert third not in {"niche-rms", again} and len(third) <= 24
    assert S.ram_share("x", ["2", "1", "2"]).principals == ("1", "2")


def test_partner_labels() -> None:
    assert S.partner_label(CPS, CPS.name) == "CPS"
    assert S.partner_label(NCA, NCA.name) == "NCA"
    assert S.partner_label(None, "north") == "north"
    kent = Partner(name="Kent Police", kind="force")
    assert S.partner_label(kent, kent.name) == "Kent Police"


def test_plan_schema_is_published() -> None:
    """docs/plan.schema.json is the Plan model's schema (FORCELIFT_REGENERATE_GOLDEN=1)."""
    text = json.dumps(Plan.model_json_schema(), indent=2, sort_keys=True) + "\n"
    if os.environ.get("FORCELIFT_REGENERATE_GOLDEN"):
        SCHEMA.write_text(text)
    assert SCHEMA.read_text() == text, "plan model changed: regenerate docs/plan.schema.json"
    schema = json.loads(text)
    assert "sharing" in schema["properties"]
    assert "CloudSharing" in schema["$defs"] and "StaffAccess" in schema["$defs"]


def test_build_plan_carries_sharing_end_to_end() -> None:
    """The sample with two partners: Plan.sharing and each cloud's host and consumer sides."""
    from forcelift.migration.pipeline import Inputs, read_and_classify
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions

    inventory, result, _ = read_and_classify(
        Inputs(paths=(ROOT / "inventories" / "exampleshire",), as_of=dt.date(2026, 11, 25))
    )
    decisions = {c.application: c.decision for c in result.classifications}
    moving = sorted(a for a, d in decisions.items() if d in ("IAAS", "PAAS"))[:2]
    shared = inventory.model_copy(
        update={
            "partners": (CPS, NCA),
            "sharing": (
                flow(moving[0], "CPS", data="case files", agreement="DSA-1"),
                flow(moving[1], "NCA", data="alerts", direction="inbound", agreement="ISA-2"),
            ),
        }
    )
    plan = build_plan(PlanRequest(shared, result, PlanOptions(clouds=("azure", "aws"))))
    assert plan.sharing is not None
    assert [f.connection for f in plan.sharing.flows] == ["private-link", "private-link"]
    azure, aws = plan.cloud("azure"), plan.cloud("aws")
    assert [h.application for h in azure.sharing.hosted] == [moving[0]]
    assert azure.sharing.hosted[0].allowed_subscriptions == (SUB,)
    assert [c.provider for c in aws.sharing.consumed] == ["National Crime Agency"]
    assert aws.sharing.ram_shares == ()  # the CPS's OU is a bare id
    arn = "arn:aws:organizations::111122223333:ou/o-abcdefghij/ou-ab12-cdef5678"
    inside = shared.model_copy(
        update={"partners": (CPS.model_copy(update={"aws_organization_unit": arn}), NCA)}
    )
    aws = build_plan(PlanRequest(inside, result, PlanOptions(clouds=("aws",)))).cloud("aws")
    (share,) = aws.sharing.ram_shares
    assert share.principals == (arn,)
    assert not share.allow_external_principals and share.resource == "transit-gateway"
    assert aws.stacks[-1].name == f"{plan.force.slug}-aws-sharing"
    alone = inventory.model_copy(update={"partners": (), "sharing": ()})
    plain = build_plan(PlanRequest(alone, result, PlanOptions(clouds=("azure",))))
    assert plain.sharing is None and plain.cloud("azure").sharing.hosted == ()
    assert plain.cloud("azure").sharing.staff_access


def test_inbound_api_is_the_partners_gateway_and_long_names_are_capped() -> None:
    data = "charging decisions and case results for every prosecution file in the county"
    flows = (flow("Custody", "CPS", data=data, direction="inbound", api=True),)
    planned = S.plan_flows(PARTNERS, flows * 2, DECISIONS)
    assert planned is not None
    first, second = planned.flows
    assert first.connection == "api-gateway" and "the partner's agency API" in first.reason
    assert first.name != second.name and max(len(first.name), len(second.name)) <= 63
