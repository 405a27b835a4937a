"""The assessment tool's own answer for a machine, put beside forcelift's in the plan.

Architects' first question on an assessed estate is whether forcelift agrees with Azure
Migrate (or AWS) and where not, why: each VM in the plan carries the tool's recommended size,
disks, readiness and monthly cost, and whether the two sizes are the same size, the same family
or different.
"""

from __future__ import annotations

from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Server
from forcelift.migration.plan.planfile import AssessedDiskPlan, AssessmentPlan
from forcelift.migration.plan.sizing import TOOL_CLOUD
from forcelift.migration.plan.skuname import family_of


def agreement(ours: str, theirs: str) -> str:
    """'same size', 'same family', 'different' or 'no size' (the tool gave none)."""
    if not theirs.strip():
        return "no size"
    if ours.strip().lower() == theirs.strip().lower():
        return "same size"
    if family_of(ours) == family_of(theirs):
        return "same family"
    return "different"


def assessment_plan(server: Server, cloud: Cloud, ours: str) -> AssessmentPlan | None:
    """The tool's view for the plan of `cloud`, or None when it has none for that cloud."""
    a = server.assessment
    if a is None or TOOL_CLOUD.get(a.source) is not cloud:
        return None
    return AssessmentPlan(
        source=a.source,
        sizing_criterion=a.sizing_criterion,
        size=a.recommended_size,
        readiness=a.readiness,
        readiness_reasons=a.readiness_reasons,
        disks=tuple(
            AssessedDiskPlan(
                name=d.name,
                size_gib=d.size_gib,
                type=d.recommended_type,
                monthly_cost=d.monthly_cost,
            )
            for d in a.disks
        ),
        monthly_compute_cost=a.monthly_compute_cost,
        monthly_storage_cost=a.monthly_storage_cost,
        currency=a.currency,
        utilisation_missing=a.utilisation_missing,
        agrees=agreement(ours, a.recommended_size),  # type: ignore[arg-type]
    )
