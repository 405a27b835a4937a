"""Everything the report shows, worked out once from the plan, previews and findings.

The HTML page and the Markdown summary render the same `ReportContext`, so a number in the
pull-request comment is the number in the document. Pure: no files, no charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.rules.data_security import offline_device
from forcelift.migration.plan.planfile import Plan, WorkloadDecision
from forcelift.migration.report.costview import Money, Timeline, money_view, timeline_view
from forcelift.migration.report.decisions import sorted_workloads
from forcelift.migration.report.guardrail_rows import (
    FindingRow,
    Guardrails,
    StackRow,
    finding_rows,
    guardrails,
    resource_name,
    stack_rows,
)
from forcelift.migration.report.inputs import ReportInputs
from forcelift.migration.report.ncsc import NcscRow, ncsc_matrix
from forcelift.migration.report.sharing import SharingView, sharing_view
from forcelift.migration.report.style import (
    COLOURS,
    CONFIDENCE_RANK,
    DECISIONS,
    cloud_label,
    decision_label,
)
from forcelift.migration.report.table_data import (
    LIST_ROWS,
    MATRIX_STACKS,
    AppsTable,
    apps_table,
)

__all__ = [
    "FindingRow",
    "Guardrails",
    "ReportContext",
    "StackRow",
    "build_context",
    "resource_name",
]

_CRITICALITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
TOP_BLOCKERS = 8


@dataclass(frozen=True)
class Estate:
    applications: int
    servers: int
    cores: int
    memory_gib: float


@dataclass(frozen=True)
class DecisionCount:
    decision: str
    label: str
    colour: str
    applications: int
    servers: int


@dataclass(frozen=True)
class AppRow:
    name: str
    decision: str
    label: str
    strategy: str
    confidence: str
    confidence_rank: int
    wave: int | None
    targets: tuple[tuple[str, str], ...]  # (cloud label, target)
    reasons: tuple[str, ...]
    blockers: tuple[str, ...]
    conflicts: tuple[str, ...]
    override: str
    criticality: str
    servers: int
    owner: str


@dataclass(frozen=True)
class Rates3:
    payg: float
    one_year: float
    three_year: float


@dataclass(frozen=True)
class WaveSummary:
    number: int
    kind: str
    applications: tuple[str, ...]
    servers: int
    apps_by_decision: Mapping[Decision, int]
    servers_by_decision: Mapping[Decision, int]
    reasons: tuple[str, ...]
    stacks: tuple[str, ...]
    monthly: Mapping[str, Rates3]  # cloud -> monthly cost of the wave
    carbon_onprem_kg: float
    carbon_cloud_kg: Mapping[str, float]


@dataclass(frozen=True)
class CloudCost:
    cloud: str
    label: str
    currency: str
    monthly: Rates3
    annual: Rates3


@dataclass(frozen=True)
class CloudCarbon:
    cloud: str
    label: str
    operational_kg: float
    embodied_kg: float
    total_kg: float
    energy_kwh: float
    # Like for like (issue 16): what moves, on premise vs in the cloud; the estate, today vs after.
    moving_onprem_kg: float = 0.0
    moving_cloud_kg: float = 0.0
    estate_after_kg: float = 0.0


@dataclass(frozen=True)
class Blocker:
    application: str
    code: str
    decision: str
    criticality: str
    wave: int | None
    text: str


@dataclass(frozen=True)
class ReportContext:
    force: str
    slug: str
    as_of: str
    checked_on: str
    sources: tuple[str, ...]
    clouds: tuple[str, ...]
    cloud_labels: tuple[str, ...]
    currency: str
    estate: Estate
    decisions: tuple[DecisionCount, ...]
    apps: tuple[AppRow, ...]
    waves: tuple[WaveSummary, ...]
    excluded: tuple[tuple[str, str, str], ...]  # application, decision label, reason
    onprem_monthly: float
    onprem_annual: float
    onprem_breakdown: tuple[tuple[str, float], ...]  # category -> annual
    cloud_costs: tuple[CloudCost, ...]
    onprem_carbon_kg: float
    onprem_operational_kg: float
    onprem_embodied_kg: float
    onprem_energy_kwh: float
    cloud_carbon: tuple[CloudCarbon, ...]
    unscheduled_onprem_carbon_kg: float
    findings: tuple[FindingRow, ...]
    guardrails: Guardrails
    stacks: tuple[StackRow, ...]
    ncsc: tuple[NcscRow, ...]
    blockers: tuple[Blocker, ...]
    apps_with_blockers: int
    overrides: int
    hybrid_links: int
    national_services: tuple[str, ...]
    log_retention_days: int
    remote_access: tuple[tuple[str, str], ...]  # cloud label -> remote access
    #: servers the export gave no size for: server, application, estimated/left out, why
    unsized: tuple[tuple[str, str, str, str], ...] = ()
    money: Money | None = None  # like-for-like business case, VAT, price sources
    timeline: Timeline | None = None  # waves in calendar time
    sharing: SharingView | None = None  # partners, flows, shared services, staff access
    #: long per-application / per-server lists show this many rows, then "N more" (table_data)
    list_rows: ClassVar[int] = LIST_ROWS
    matrix_stacks: ClassVar[int] = MATRIX_STACKS

    @cached_property
    def apps_table(self) -> AppsTable:
        """The applications table: every row as HTML, or a first page and the JSON data."""
        return apps_table(self.apps, {d: i for i, d in enumerate(DECISIONS)})

    def decision(self, code: str) -> DecisionCount:
        return next(d for d in self.decisions if d.decision == code)

    @property
    def migrating(self) -> int:
        return sum(d.applications for d in self.decisions if d.decision in ("SAAS", "PAAS", "IAAS"))


def _rates(value: Any) -> Rates3:
    return Rates3(float(value.payg), float(value.one_year), float(value.three_year))


def _app_row(plan: Plan, w: WorkloadDecision) -> AppRow:
    clouds = [c.cloud for c in plan.clouds]
    return AppRow(
        name=w.application,
        decision=w.decision,
        label=decision_label(w.decision),
        strategy=w.strategy,
        confidence=w.confidence,
        confidence_rank=CONFIDENCE_RANK.get(w.confidence, 0),
        wave=w.wave,
        targets=tuple((cloud_label(c), w.targets.get(c, "")) for c in clouds),
        reasons=w.reasons,
        blockers=tuple(offline_device(b, tuple(clouds)) for b in w.blockers),
        conflicts=w.conflicts,
        override=w.override,
        criticality=w.criticality,
        servers=len(w.servers),
        owner=w.owner,
    )


def _blockers(plan: Plan) -> tuple[tuple[Blocker, ...], int]:
    """Blockers on applications that move, most critical and earliest first."""
    moving = [w for w in plan.workloads if w.decision in ("SAAS", "PAAS", "IAAS") and w.blockers]
    moving.sort(
        key=lambda w: (
            -_CRITICALITY_RANK.get(w.criticality, 0),
            w.wave if w.wave is not None else 10**6,
            w.application.casefold(),
        )
    )
    clouds = tuple(c.cloud for c in plan.clouds)
    found = [
        Blocker(
            w.application,
            w.decision,
            decision_label(w.decision),
            w.criticality,
            w.wave,
            offline_device(text, clouds),
        )
        for w in moving
        for text in w.blockers[:1]
    ]
    return tuple(found[:TOP_BLOCKERS]), len(moving)


def build_context(inputs: ReportInputs) -> ReportContext:
    plan = inputs.plan
    workloads = sorted_workloads(plan)
    apps = Counter(w.decision for w in workloads)
    servers: Counter[Decision] = Counter()
    for w in workloads:
        servers[w.decision] += len(w.servers)
    decisions = tuple(
        DecisionCount(d, decision_label(d), COLOURS[d], apps[d], servers[d]) for d in DECISIONS
    )
    by_name = {w.application: w for w in plan.workloads}
    waves = []
    for entry in plan.waves:
        members = [by_name[a] for a in entry.applications if a in by_name]
        apps_by = Counter(w.decision for w in members)
        servers_by: Counter[Decision] = Counter()
        for w in members:
            servers_by[w.decision] += len(w.servers)
        monthly: dict[str, Rates3] = {}
        carbon_cloud: dict[str, float] = {}
        carbon_onprem = 0.0
        wave_stacks: list[str] = []
        for cloud in plan.clouds:
            cost = next((c for c in cloud.cost.waves if c.wave == entry.number), None)
            monthly[cloud.cloud] = _rates(cost.monthly) if cost else Rates3(0, 0, 0)
            carbon = next((c for c in cloud.carbon.waves if c.wave == entry.number), None)
            carbon_cloud[cloud.cloud] = carbon.cloud.total_kgco2e if carbon else 0.0
            if carbon:
                carbon_onprem = carbon.onprem.total_kgco2e
            wave_stacks.extend(s.name for s in cloud.stacks if s.wave == entry.number)
        waves.append(
            WaveSummary(
                number=entry.number,
                kind=entry.kind,
                applications=entry.applications,
                servers=entry.server_count,
                apps_by_decision=dict(apps_by),
                servers_by_decision=dict(servers_by),
                reasons=entry.reasons,
                stacks=tuple(wave_stacks),
                monthly=monthly,
                carbon_onprem_kg=carbon_onprem,
                carbon_cloud_kg=carbon_cloud,
            )
        )
    findings = finding_rows(inputs.findings)
    stacks = stack_rows(plan, inputs.previews, findings)
    blockers, with_blockers = _blockers(plan)
    first = plan.clouds[0] if plan.clouds else None
    connectivity = first.landing_zone.connectivity if first else None
    onprem = plan.onprem
    return ReportContext(
        force=plan.force.name,
        slug=plan.force.slug,
        as_of=plan.as_of.isoformat(),
        checked_on=inputs.checked_on.isoformat(),
        sources=plan.sources,
        clouds=tuple(c.cloud for c in plan.clouds),
        cloud_labels=tuple(cloud_label(c.cloud) for c in plan.clouds),
        currency=first.cost.currency if first else "USD",
        estate=Estate(len(plan.workloads), onprem.servers, onprem.cores, onprem.memory_gib),
        decisions=decisions,
        apps=tuple(_app_row(plan, w) for w in workloads),
        waves=tuple(waves),
        unsized=tuple(
            (u.server, u.application, u.action, u.reason) for u in plan.sizing.unsized_servers
        ),
        excluded=tuple(
            (e.application, decision_label(e.decision), e.reason)
            for e in sorted(plan.excluded, key=lambda e: (e.decision, e.application.casefold()))
        ),
        onprem_monthly=onprem.cost.monthly,
        onprem_annual=onprem.cost.annual,
        onprem_breakdown=tuple(
            (name, float(getattr(onprem.cost, name)))
            for name in ("hardware", "storage", "network", "power", "space", "support", "licences")
        ),
        cloud_costs=tuple(
            CloudCost(
                c.cloud,
                cloud_label(c.cloud),
                c.cost.currency,
                _rates(c.cost.monthly),
                _rates(c.cost.annual),
            )
            for c in plan.clouds
        ),
        onprem_carbon_kg=onprem.carbon.total_kgco2e,
        onprem_operational_kg=onprem.carbon.operational_kgco2e,
        onprem_embodied_kg=onprem.carbon.embodied_kgco2e,
        onprem_energy_kwh=onprem.carbon.energy_kwh,
        cloud_carbon=tuple(
            CloudCarbon(
                c.cloud,
                cloud_label(c.cloud),
                c.carbon.cloud.operational_kgco2e,
                c.carbon.cloud.embodied_kgco2e,
                c.carbon.cloud.total_kgco2e,
                c.carbon.cloud.energy_kwh,
                *_headline(c, onprem.carbon.total_kgco2e),
            )
            for c in plan.clouds
        ),
        unscheduled_onprem_carbon_kg=(first.carbon.unscheduled_onprem.total_kgco2e if first else 0),
        findings=findings,
        guardrails=guardrails(stacks, findings),
        stacks=stacks,
        ncsc=ncsc_matrix(plan, findings, any(s.previewed for s in stacks)),
        blockers=blockers,
        apps_with_blockers=with_blockers,
        overrides=sum(1 for w in workloads if w.override),
        hybrid_links=len(connectivity.hybrid_links) if connectivity else 0,
        national_services=connectivity.national_services if connectivity else (),
        log_retention_days=first.landing_zone.log_retention_days if first else 0,
        remote_access=tuple(
            (cloud_label(c.cloud), c.landing_zone.remote_access) for c in plan.clouds
        ),
        money=money_view(plan),
        timeline=timeline_view(plan),
        sharing=sharing_view(plan),
    )


def _headline(cloud: Any, estate_kg: float) -> tuple[float, float, float]:
    """Moving on premise, moving in the cloud, the estate after the move (kg CO2e a year)."""
    from forcelift.migration.plan.carbon import carbon_headline

    h = carbon_headline(cloud.carbon, estate_kg)
    return h.moving_onprem_kgco2e, h.moving_cloud_kgco2e, h.estate_after_kgco2e
