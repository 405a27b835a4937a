"""The regional report: each force's report in report/<slug>/ and the collaboration overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forcelift.migration.plan.planfile import ForceInfo, Plan
from forcelift.migration.plan.regional import CollaborationInfo, RegionalPlan, SharedServicePlan
from forcelift.migration.plan.sharing_plan import (
    PartnerPlan,
    SharedProductCandidate,
    SharingFlowPlan,
    SharingPlan,
)
from forcelift.migration.report.inputs import ReportInputs
from forcelift.migration.report.regional import regional_view, write_regional_report

NAME = "Northern Region Collaboration"


def _member(plan: Plan, slug: str, name: str, flows: tuple[SharingFlowPlan, ...]) -> Plan:
    product = SharedProductCandidate(
        product="Niche RMS",
        forces=("eastdale", "northmoor"),
        applications=("eastdale/Niche RMS", "northmoor/Niche RMS"),
        decisions=("IAAS", "IAAS"),
        suggestion="one shared deployment",
        reason="both forces rehost the same records system",
    )
    sharing = SharingPlan(
        collaboration=NAME,
        partners=(PartnerPlan(name="National Crime Agency", kind="national-body"),),
        flows=flows,
        shared_products=(product,),
    )
    return plan.model_copy(update={"force": ForceInfo(name=name, slug=slug), "sharing": sharing})


def _flow(name: str, application: str, partner: str, agreement: str) -> SharingFlowPlan:
    return SharingFlowPlan(
        name=name,
        application=application,
        partner=partner,
        data=f"{name} data",
        direction="outbound",
        classification="OFFICIAL-SENSITIVE",
        protocol="https",
        api=False,
        port=443,
        agreement=agreement,
        connection="private-link",
        reason="partner endpoint",
    )


@pytest.fixture(scope="module")
def regional(plan: Plan) -> RegionalPlan:
    north = _member(
        plan,
        "northmoor",
        "Northmoor Constabulary",
        (
            _flow("intel-nca", "Intelligence Analysis", "National Crime Agency", "ISA-NCA-1"),
            # the shared service as the host's flow: drawn once, as the shared service
            _flow("rocu-intel-eastdale", "Custody", "eastdale", "ISA-ROCU-9"),
        ),
    )
    east = _member(
        plan,
        "eastdale",
        "Eastdale Police",
        (_flow("custody-nca", "Custody", "National Crime Agency", ""),),
    )
    service = SharedServicePlan(
        name="Regional Organised Crime Unit intelligence",
        slug="regional-organised-crime",
        host="northmoor",
        application="Custody",
        consumers=("eastdale", "National Crime Agency"),
        agreement="ISA-ROCU-9",
        classification="OFFICIAL-SENSITIVE",
        protocol="https",
        port=443,
        api=True,
    )
    info = CollaborationInfo(
        name=NAME,
        slug="northern-region",
        forces=(north.force, east.force),
        shared_services=(service,),
    )
    return RegionalPlan(collaboration=info, as_of=dt.date(2026, 11, 25), forces=(north, east))


def test_one_report_per_force_and_the_overview(regional: RegionalPlan, tmp_path: Path) -> None:
    per_force = {p.force.slug: ReportInputs(p) for p in regional.forces}
    paths = write_regional_report(regional, per_force, tmp_path / "report")
    names = {p.relative_to(tmp_path / "report").as_posix() for p in paths}
    for slug in ("northmoor", "eastdale"):
        assert {f"{slug}/index.html", f"{slug}/summary.md", f"{slug}/sharing.csv"} <= names
        assert (
            "Northern Region Collaboration"
            in (tmp_path / "report" / slug / "index.html").read_text()
        )
    assert paths[-1] == tmp_path / "report" / "index.html"
    page = paths[-1].read_text(encoding="utf-8")
    assert page.count('<a href="northmoor/index.html">') == 3  # header, table, footer
    assert '<a href="eastdale/index.html">eastdale/index.html</a>' in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    # the shared service, host -> consumers, with its agreement
    services = page[page.index('<section id="shared-services">') :]
    assert "Regional Organised Crime Unit intelligence" in services
    assert "eastdale, National Crime Agency" in services and "ISA-ROCU-9" in services
    # the shared-product candidate once, though both members carry it
    products = page[page.index('<section id="products">') :]
    assert products.count("<strong>Niche RMS</strong>") == 1
    assert "one shared deployment" in products


def test_the_picture_joins_forces_and_partners(regional: RegionalPlan) -> None:
    view = regional_view(regional)
    # north's NCA flow + east's NCA flow + the service to its two consumers; north's own flow
    # standing for the service (partner "eastdale") is not drawn twice
    assert view.flows == 4
    assert view.missing_agreements == 1
    assert "Northmoor Constabulary · Intelligence Analysis" in view.svg
    assert "Northmoor Constabulary · Custody" in view.svg
    assert "Eastdale Police" in view.svg and "National Crime Agency" in view.svg
    assert "agency API gateway · ISA-ROCU-9" in view.svg
    assert "private link · NO AGREEMENT" in view.svg
    rows = {f.slug: f for f in view.forces}
    assert rows["eastdale"].missing_agreements == 1 and rows["northmoor"].flows == 2


def test_same_inputs_same_bytes(regional: RegionalPlan, tmp_path: Path) -> None:
    one = write_regional_report(regional, {}, tmp_path / "a")
    two = write_regional_report(regional, {}, tmp_path / "b")
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
