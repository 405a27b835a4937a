"""Several forces in one plan (issue 12): shared services placed once, on the host, with the
consumers wired to it; allow lists exactly the consumers; shared products found, never merged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from forcelift.migration.errors import InputError, Problem
from forcelift.migration.inventory.collaboration import Collaboration, load_collaboration
from forcelift.migration.pipeline import Inputs, PreviewedStack, WrittenFile
from forcelift.migration.plan.planfile import Plan, PlanOptions
from forcelift.migration.plan.planio import plan_to_yaml
from forcelift.migration.plan.regional import (
    PlannedForce,
    RegionalPlan,
    build_regional_plan,
    shared_products,
)
from forcelift.migration.plan.regional_io import (
    is_regional,
    load_plan_document,
    regional_to_yaml,
)
from forcelift.migration.plan.regional_summary import diff_documents
from forcelift.migration.regional_pipeline import (
    RegionalPlanned,
    force_supernet,
    forces_collaboration,
    make_regional_plan,
)

DATA = Path(__file__).parent / "data" / "collaboration"
AS_OF = dt.date(2026, 6, 1)
OPTIONS = PlanOptions(clouds=("azure", "aws"))
NORTH_SUB = "11111111-1111-4111-8111-111111111111"
SOUTH_SUB = "22222222-2222-4222-8222-222222222222"
NCA_SUB = "33333333-3333-4333-8333-333333333333"


def _plan(collaboration: Collaboration) -> RegionalPlanned:
    return make_regional_plan(collaboration, OPTIONS, Inputs(paths=(), as_of=AS_OF))


@pytest.fixture(scope="module")
def collaboration() -> Collaboration:
    return load_collaboration(DATA / "collaboration.yaml")


@pytest.fixture(scope="module")
def planned(collaboration: Collaboration) -> RegionalPlanned:
    return _plan(collaboration)


@pytest.fixture(scope="module")
def regional(planned: RegionalPlanned) -> RegionalPlan:
    return planned.plan


def _host_stack(plan: Plan, cloud: str, application: str) -> str:
    return next(w.stack for w in plan.cloud(cloud).workloads if w.application == application)


def test_members_in_file_order_with_the_collaboration_named(regional: RegionalPlan) -> None:
    assert [p.force.slug for p in regional.forces] == ["northshire", "southshire"]
    assert regional.collaboration.slug == "test-region"
    for member in regional.forces:
        assert member.sharing is not None
        assert member.sharing.collaboration == "Test Region Collaboration"
    # each force its own address space, so a shared transit gateway never sees overlaps
    assert regional.force("northshire").options.supernet == "10.100.0.0/14"
    assert regional.force("southshire").options.supernet == "10.104.0.0/14"


def test_the_shared_service_is_hosted_once_on_the_host_wave_stack(regional: RegionalPlan) -> None:
    north = regional.force("northshire")
    azure = north.cloud("azure").sharing.hosted
    assert [h.name for h in azure] == ["regional-organised-crime"]
    hosted = azure[0]
    assert hosted.application == "ROCU Intelligence"
    assert hosted.stack == _host_stack(north, "azure", "ROCU Intelligence")
    assert hosted.stack.startswith("northshire-azure-wave-")
    assert hosted.consumers == ("National Crime Agency", "southshire")
    assert hosted.agreements == ("ISA-ROCU-2026-01",)
    assert hosted.classification == "OFFICIAL-SENSITIVE"
    # exactly the consumers: the consuming force's subscription and the partner's, not the host's
    assert hosted.allowed_subscriptions == (SOUTH_SUB, NCA_SUB)
    assert hosted.allowed_accounts == ()
    aws = north.cloud("aws").sharing.hosted[0]
    assert aws.allowed_accounts == ("222222222222", "333333333333")
    assert aws.allowed_subscriptions == ()
    # no force hosts what it does not own
    south = regional.force("southshire")
    assert all(not c.sharing.hosted for c in south.clouds)


def test_consumers_reach_it_from_their_sharing_stack(regional: RegionalPlan) -> None:
    north, south = regional.force("northshire"), regional.force("southshire")
    for cloud in ("azure", "aws"):
        hosted = north.cloud(cloud).sharing.hosted[0]
        consumed = south.cloud(cloud).sharing.consumed
        assert len(consumed) == 1
        c = consumed[0]
        assert c.provider == "northshire"
        assert c.stack == f"southshire-{cloud}-sharing"
        assert (c.source_stack, c.source_name) == (hosted.stack, hosted.name)
        assert c.dns_name == f"{c.name}.share.southshire.internal"
        assert c.agreements == ("ISA-ROCU-2026-01",)
        stacks = south.cloud(cloud).stacks
        assert stacks[-1].name == f"southshire-{cloud}-sharing"
        assert stacks[-1].layer == "sharing" and stacks[-1].estimated_resources > 0
        # the host consumes nothing, so it has no sharing stack
        assert all(s.layer != "sharing" for s in north.cloud(cloud).stacks)


def test_aws_transit_gateway_shared_with_the_consuming_force_only(regional: RegionalPlan) -> None:
    shares = regional.force("northshire").cloud("aws").sharing.ram_shares
    assert [(r.name, r.principals, r.allow_external_principals) for r in shares] == [
        ("test-region-transit-gateway", ("222222222222",), False)
    ]
    assert not regional.force("northshire").cloud("azure").sharing.ram_shares


def test_the_collaboration_ou_replaces_the_accounts(
    planned: RegionalPlanned, collaboration: Collaboration
) -> None:
    ou = collaboration.model_copy(update={"aws_collaboration_ou": "ou-ab12-cdef3456"})
    joined = build_regional_plan(ou, _forces(planned), OPTIONS)
    shares = joined.force("northshire").cloud("aws").sharing.ram_shares
    assert [r.principals for r in shares] == [("ou-ab12-cdef3456",)]


def test_flows_name_the_service_on_both_sides(regional: RegionalPlan) -> None:
    north = regional.force("northshire").sharing
    south = regional.force("southshire").sharing
    assert north is not None and south is not None
    host_flows = {(f.partner, f.direction, f.connection) for f in north.flows}
    assert ("southshire", "outbound", "private-link") in host_flows
    assert ("National Crime Agency", "outbound", "private-link") in host_flows
    inbound = [f for f in south.flows if f.partner == "northshire"]
    assert [(f.direction, f.application, f.agreement) for f in inbound] == [
        ("inbound", "northshire/ROCU Intelligence", "ISA-ROCU-2026-01")
    ]


def _forces(planned: RegionalPlanned) -> list[PlannedForce]:
    """The members as planned alone (before the join), for the pure builder."""
    return [PlannedForce(m.plan.force.slug, m.plan, m.inventory) for m in planned.members]


def test_a_host_application_that_does_not_run_in_the_force_hosts_nothing(
    planned: RegionalPlanned, collaboration: Collaboration
) -> None:
    service = collaboration.shared_services[0].model_copy(update={"application": "Email"})
    saas = collaboration.model_copy(update={"shared_services": (service,)})
    joined = build_regional_plan(saas, _forces(planned), OPTIONS)
    north, south = joined.force("northshire"), joined.force("southshire")
    assert all(not c.sharing.hosted for c in north.clouds)
    assert all(not c.sharing.consumed for c in south.clouds)
    assert all(s.layer != "sharing" for c in south.clouds for s in c.stacks)
    notes = [n for n in north.notes if "Regional Organised Crime Unit intelligence" in n]
    assert len(notes) == 2 and "moves to SAAS" in notes[0]
    assert north.sharing is not None
    assert {f.connection for f in north.sharing.flows} == {"none"}


def test_an_unknown_host_application_is_an_input_error(
    planned: RegionalPlanned, collaboration: Collaboration
) -> None:
    service = collaboration.shared_services[0].model_copy(update={"application": "Nothing"})
    bad = collaboration.model_copy(update={"shared_services": (service,)})
    with pytest.raises(InputError, match="northshire has no application 'Nothing'"):
        build_regional_plan(bad, _forces(planned), OPTIONS)


def test_shared_products_are_findings_by_product(regional: RegionalPlan) -> None:
    sharing = regional.force("northshire").sharing
    assert sharing is not None
    by_product = {c.product: c for c in sharing.shared_products}
    niche = by_product["Niche RMS"]  # the catalogue's name for both forces' products
    assert niche.forces == ("northshire", "southshire")
    assert niche.applications == ("northshire/Niche RMS", "southshire/Records")
    assert niche.suggestion == "one shared deployment"
    assert niche.decisions[0] != "SAAS"
    mail = [c for c in sharing.shared_products if "northshire/Email" in c.applications]
    assert len(mail) == 1 and mail[0].applications == ("northshire/Email", "southshire/Mail")
    assert mail[0].decisions == ("SAAS", "SAAS")
    assert mail[0].suggestion == "one shared SaaS tenant"
    # the same finding in both forces' plans; nothing merged: each keeps its own workload
    south = regional.force("southshire").sharing
    assert south is not None and south.shared_products == sharing.shared_products
    assert any(w.application == "Records" for w in regional.force("southshire").workloads)


def test_vendor_and_product_match_case_insensitively(planned: RegionalPlanned) -> None:
    found = {c.product: c for c in shared_products(_forces(planned))}  # no catalogue labels
    niche = found["Niche RMS"]  # "NICHE TECHNOLOGY niche rms" in southshire; vendor not repeated
    assert niche.applications == ("northshire/Niche RMS", "southshire/Records")


def test_catalogue_products_name_the_candidate(planned: RegionalPlanned) -> None:
    forces = _forces(planned)
    labels = {
        "northshire": {"Niche RMS": ("Niche Records",)},
        "southshire": {"Records": ("niche records",)},
    }
    labelled = [PlannedForce(f.slug, f.plan, f.inventory, labels[f.slug]) for f in forces]
    names = {c.product for c in shared_products(labelled)}
    # the catalogue's name wins over the inventory's for the same applications: one finding
    assert "Niche Records" in names and "Niche RMS" not in names


def test_a_single_force_has_no_shared_products(planned: RegionalPlanned) -> None:
    assert shared_products(_forces(planned)[:1]) == ()


def test_byte_identical_twice_and_round_trip(
    collaboration: Collaboration, regional: RegionalPlan, tmp_path: Path
) -> None:
    again = _plan(collaboration).plan
    text = regional_to_yaml(regional)
    assert text == regional_to_yaml(again)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert is_regional(path)
    loaded = load_plan_document(path)
    assert isinstance(loaded, RegionalPlan) and loaded == regional
    assert diff_documents(loaded, regional) == []
    # the single-force member is a plan file of its own, loaded as such
    member = tmp_path / "northshire.yaml"
    member.write_text(plan_to_yaml(regional.force("northshire")), encoding="utf-8")
    assert not is_regional(member)
    single = load_plan_document(member)
    assert isinstance(single, Plan) and single == regional.force("northshire")


def test_diff_is_per_force(regional: RegionalPlan) -> None:
    south = regional.force("southshire")
    fewer = south.model_copy(update={"workloads": south.workloads[1:]})
    changed = regional.model_copy(update={"forces": (regional.forces[0], fewer)})
    lines = diff_documents(regional, changed)
    assert lines and all(line.startswith("[southshire] ") for line in lines)
    assert diff_documents(regional.forces[0], regional) == ["+ force southshire"]


def test_sources_are_recorded_as_the_file_names_them(regional: RegionalPlan) -> None:
    assert regional.force("northshire").sources == ("northshire/inventory.yaml",)


def test_forces_without_a_file(tmp_path: Path) -> None:
    collab = forces_collaboration(
        [("northshire", DATA / "northshire"), ("southshire", DATA / "southshire")]
    )
    joined = _plan(collab).plan
    assert [p.force.slug for p in joined.forces] == ["northshire", "southshire"]
    assert joined.collaboration.shared_services == ()
    assert all(
        not c.sharing.hosted and not c.sharing.consumed for p in joined.forces for c in p.clouds
    )
    sharing = joined.force("southshire").sharing
    assert sharing is not None and len(sharing.shared_products) == 2
    with pytest.raises(InputError, match="given twice"):
        forces_collaboration([("northshire", DATA), ("northshire", DATA)])
    with pytest.raises(InputError, match="--force-inventory"):
        forces_collaboration([("North", DATA)])


def test_force_supernets_stay_private() -> None:
    assert force_supernet("10.100.0.0/14", 2) == "10.108.0.0/14"
    with pytest.raises(InputError, match="no private"):
        force_supernet("10.252.0.0/14", 1)


class _NoPulumi:
    """ProjectStages without Pulumi: nothing generated or previewed (the run's own order and
    per-force guardrails and reports are what is under test)."""

    def __init__(self) -> None:
        self.generated: list[Plan | RegionalPlan] = []

    def generate(self, plan: Plan | RegionalPlan, out_dir: Path) -> list[WrittenFile]:
        self.generated.append(plan)
        return []

    def preview(self, out_dir: Path, on_done: Callable[[str], None]) -> list[PreviewedStack]:
        return []


class _Told:
    def __init__(self) -> None:
        self.stages: list[str] = []
        self.total = 0

    def stage(self, name: str) -> None:
        self.stages.append(name)

    def warnings(self, problems: Sequence[Problem]) -> None:
        return None

    def items(self, total: int) -> None:
        self.total = total

    def item_done(self, name: str) -> None:
        return None


def test_the_regional_run_tells_each_stage_once_and_reports_per_force(
    collaboration: Collaboration, tmp_path: Path
) -> None:
    from forcelift.migration.pipeline import DONE, STAGES
    from forcelift.migration.regional_pipeline import regional_summary, run_regional

    stages, told = _NoPulumi(), _Told()
    result = run_regional(
        collaboration, OPTIONS, tmp_path, stages, told, base=Inputs(paths=(), as_of=AS_OF)
    )
    assert told.stages == [*STAGES, DONE]
    assert len(stages.generated) == 1 and isinstance(stages.generated[0], RegionalPlan)
    assert told.total == sum(len(c.stacks) for p in result.planned.plan.forces for c in p.clouds)
    assert [r.slug for r in result.forces] == ["northshire", "southshire"]
    for run in result.forces:
        assert (tmp_path / "report" / run.slug / "index.html").is_file()
    assert (tmp_path / "report" / "index.html").is_file()  # the collaboration's overview
    summary = regional_summary(result)
    assert summary["collaboration"] == "Test Region Collaboration"
    assert [f["force"] for f in summary["forces"]] == ["northshire", "southshire"]
    assert summary["onprem"]["servers"] == 5
    assert {c["cloud"] for c in summary["clouds"]} == {
        "northshire azure", "northshire aws", "southshire azure", "southshire aws"
    }  # fmt: skip
    assert set(summary["stage_seconds"]) == set(STAGES)
    assert summary["report"] == str(tmp_path / "report" / "index.html")


def test_a_consumer_without_an_id_is_left_off_the_allow_list_and_said(
    planned: RegionalPlanned, collaboration: Collaboration
) -> None:
    south = collaboration.forces[1].model_copy(update={"azure_subscription": ""})
    gap = collaboration.model_copy(update={"forces": (collaboration.forces[0], south)})
    joined = build_regional_plan(gap, _forces(planned), OPTIONS)
    north = joined.force("northshire")
    assert north.cloud("azure").sharing.hosted[0].allowed_subscriptions == (NCA_SUB,)
    assert north.cloud("aws").sharing.hosted[0].allowed_accounts == ("222222222222", "333333333333")
    said = [n for n in north.notes if "no Azure subscription for southshire" in n]
    assert len(said) == 1


def test_platform_products_are_not_shared_products(planned: RegionalPlanned) -> None:
    from forcelift.migration.plan.regional import product_key

    key = product_key("Niche Technology", "Niche RMS")
    assert key == product_key("NICHE TECHNOLOGY", " niche  rms")
    forces = [
        PlannedForce(f.slug, f.plan, f.inventory, platform_products=frozenset({key}))
        for f in _forces(planned)
    ]
    assert all("Niche" not in c.product for c in shared_products(forces))
