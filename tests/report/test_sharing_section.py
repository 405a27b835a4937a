"""The report's sharing section: flows, agreements (missing ones marked), staff access; absent
when the plan shares nothing; spreadsheets and the Markdown summary carry the same rows."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.sharing_plan import (
    CloudSharing,
    NotFronted,
    PartnerPlan,
    SharingFlowPlan,
    SharingPlan,
    StaffAccess,
)
from forcelift.migration.report.inputs import ReportInputs
from forcelift.migration.report.write import render_report


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start : page.index("</section>", start)]


def _flow(
    name: str, application: str, partner: str, agreement: str, connection: str
) -> SharingFlowPlan:
    return SharingFlowPlan(
        name=name,
        application=application,
        partner=partner,
        data=f"{name} data",
        direction="outbound",
        classification="OFFICIAL-SENSITIVE",
        protocol="https",
        api=connection == "api-gateway",
        port=443,
        agreement=agreement,
        connection=connection,  # type: ignore[arg-type]
        reason=f"because {name}",
    )


@pytest.fixture(scope="module")
def sharing_plan(plan: Plan) -> Plan:
    """The sample plan with two flows (one without an agreement) and known staff access."""
    cloud = plan.clouds[0]
    staff = CloudSharing(
        staff_access=(
            StaffAccess(
                application="Custody",
                stack=cloud.stacks[-1].name,
                method="front-door-private-origin",
                hostname="custody.exampleshire.staff.police.uk",
                identity="Entra ID (App Service authentication)",
                reason="serves web users",
            ),
        ),
        not_fronted=(NotFronted(application="Active Directory", reason="not a web application"),),
    )
    sharing = SharingPlan(
        partners=(
            PartnerPlan(name="Crown Prosecution Service", kind="national-body", cloud="azure"),
            PartnerPlan(name="Exampleshire County Council", kind="agency"),
        ),
        flows=(
            _flow(
                "custody-cps", "Custody", "Crown Prosecution Service", "ISA-CPS-1", "api-gateway"
            ),
            _flow("mash-council", "Niche RMS", "Exampleshire County Council", "", "private-link"),
        ),
    )
    return plan.model_copy(
        update={"sharing": sharing, "clouds": (cloud.model_copy(update={"sharing": staff}),)}
    )


@pytest.fixture(scope="module")
def rendered(sharing_plan: Plan):  # type: ignore[no-untyped-def]
    return render_report(ReportInputs(sharing_plan))


def test_section_has_flows_agreements_and_the_missing_one_marked(rendered) -> None:  # type: ignore[no-untyped-def]
    section = _section(rendered.html, "sharing")
    assert (
        '<a href="#sharing"><span class="n">11</span>Sharing and staff access</a>' in rendered.html
    )
    assert '<h2><span class="n">11</span>Sharing and staff access</h2>' in section
    assert '<svg class="sharing"' in section and "<script" not in section
    assert "custody-cps data" in section and "ISA-CPS-1" in section
    assert "Crown Prosecution Service" in section and "Exampleshire County Council" in section
    assert "agency API gateway · ISA-CPS-1" in section
    assert "private link · NO AGREEMENT" in section  # the picture says it in words
    assert section.count('<span class="status fail">no agreement</span>') == 1  # the table row
    assert "1 flow without an agreement reference." in section


def test_staff_access_rows(rendered) -> None:  # type: ignore[no-untyped-def]
    section = _section(rendered.html, "sharing")
    assert "Staff access · Azure" in section
    assert "custody.exampleshire.staff.police.uk" in section
    assert "Front Door Premium, private origin (WAF, Entra ID)" in section
    assert "<strong>Active Directory</strong>: not a web application" in section


def test_spreadsheets_and_summary_carry_the_rows(rendered) -> None:  # type: ignore[no-untyped-def]
    flows = list(csv.reader(io.StringIO(rendered.extra["sharing.csv"].decode("utf-8-sig"))))
    assert flows[0][:3] == ["Flow", "Application", "Partner"]
    assert [(r[0], r[10]) for r in flows[1:]] == [
        ("custody-cps", "ISA-CPS-1"),
        ("mash-council", "NO AGREEMENT"),
    ]
    staff = list(csv.reader(io.StringIO(rendered.extra["staff-access.csv"].decode("utf-8-sig"))))
    assert [r[:3] for r in staff[1:]] == [
        ["Azure", "Custody", "front-door-private-origin"],
        ["Azure", "Active Directory", "not fronted"],
    ]
    sheets = zipfile.ZipFile(io.BytesIO(rendered.xlsx)).read("xl/workbook.xml").decode()
    assert 'name="Sharing flows"' in sheets and 'name="Staff access"' in sheets
    assert "### Sharing and staff access" in rendered.markdown
    assert ":x: **1 flow without an agreement reference.**" in rendered.markdown
    assert (
        "- Azure: 0 hosted and 0 consumed shared services; staff reach 1 application"
        in rendered.markdown
    )


def test_no_sharing_no_section(plan: Plan) -> None:
    bare = plan.model_copy(
        update={
            "sharing": None,
            "clouds": tuple(c.model_copy(update={"sharing": CloudSharing()}) for c in plan.clouds),
        }
    )
    rendered = render_report(ReportInputs(bare))
    assert 'id="sharing"' not in rendered.html and "#sharing" not in rendered.html
    assert "Sharing and staff access" not in rendered.markdown
    assert set(rendered.files()) == {"index.html", "summary.md", "decisions.csv", "decisions.xlsx"}
    sheets = zipfile.ZipFile(io.BytesIO(rendered.xlsx)).read("xl/workbook.xml").decode()
    assert "Sharing flows" not in sheets and "Staff access" not in sheets


def test_no_sharing_renders_as_the_template_did_before(plan: Plan, tmp_path: Path) -> None:
    """Without sharing, the two added template lines render to nothing at all."""
    from forcelift.migration.report.context import build_context
    from forcelift.migration.report.html import render_html

    bare = plan.model_copy(
        update={
            "sharing": None,
            "clouds": tuple(c.model_copy(update={"sharing": CloudSharing()}) for c in plan.clouds),
        }
    )
    context = build_context(ReportInputs(bare))
    page = render_html(context, bare)
    assert "</ol>\n</nav>" in page and "  {% endfor %}" not in page
    assert "</section>\n\n</main>" in page


def test_the_report_runs_the_plan_aware_guardrails(sharing_plan: Plan) -> None:
    from forcelift.migration.report.inputs import guardrail_findings

    findings = guardrail_findings(sharing_plan, {})
    assert [(f.rule_id, f.stack, f.urn) for f in findings] == [
        ("FL-SHR-002", "plan", "forcelift:plan::flow::mash-council")
    ]
    page = render_report(ReportInputs(sharing_plan, findings=findings)).html
    assert "flow mash-council (Niche RMS with Exampleshire County Council) names no" in page
