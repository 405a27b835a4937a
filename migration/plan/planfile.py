"""plan.yaml: the contract between the planning core and the Pulumi stacks.

Everything a stack builds is decided here, so architects review one deterministic file and the
stack program stays small. Cloud-independent decisions (waves, workloads, exclusions) sit at the
top; each target cloud has its own landing zone, spokes, sized resources, stacks, cost and
carbon. Collections are tuples in a fixed order; dumping gives byte-identical YAML for the same
inputs. Published as JSON Schema in docs/plan.schema.json.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from forcelift.migration.classify.model import Decision
from forcelift.migration.plan.business_case import BusinessCase
from forcelift.migration.plan.carbon import CarbonSummary, Footprint
from forcelift.migration.plan.cost import CostSummary, Rates
from forcelift.migration.plan.network import Subnet
from forcelift.migration.plan.onprem_cost import OnPremCost
from forcelift.migration.plan.schedule import Freeze, Schedule
from forcelift.migration.plan.sharing_plan import CloudSharing, SharingPlan

PLAN_SCHEMA_VERSION = "1.0"

Cloud = Literal["azure", "aws"]
Layer = Literal["landing-zone", "wave", "sharing"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ForceInfo(_Model):
    name: str
    slug: str = Field(pattern=r"^[a-z][a-z0-9-]{1,23}$")


DEFAULT_WAVE_MAX_SERVERS = 40
DEFAULT_WAVE_MAX_APPLICATIONS = 8
DEFAULT_FREEZES = (
    Freeze(
        name="Christmas and New Year change freeze",
        start=dt.date(2026, 12, 14),
        end=dt.date(2027, 1, 4),
        annual=True,
    ),
)


class PlanOptions(_Model):
    """The options the plan was made with (recorded so a re-run reproduces it)."""

    clouds: tuple[Cloud, ...]
    wave_max_servers: int | None = DEFAULT_WAVE_MAX_SERVERS  # docs/waves.md says why
    wave_max_applications: int | None = DEFAULT_WAVE_MAX_APPLICATIONS
    pilot: bool = True
    critical_late: bool = True
    supernet: str = "10.100.0.0/14"
    reserved_ranges: tuple[str, ...] = ()
    hybrid_benefit_windows: bool = False
    hybrid_benefit_sql: bool = False
    max_resources_per_stack: int = 1500
    comfort_factor: float = 1.3
    #: sizing settings (docs/sizing.md); defaults reproduce plans made before they existed
    sizing: Literal["forcelift", "azure-migrate", "aws-migration-hub"] = "forcelift"
    sizing_mode: Literal["performance", "as-on-premise"] = "performance"
    family_selection: Literal["ratio", "cheapest"] = "cheapest"
    azure_families: tuple[str, ...] | None = None
    aws_families: tuple[str, ...] | None = None
    burstable: bool = True
    hdd_data_disks: bool = False
    #: money and calendar (docs/cost-and-carbon.md, docs/waves.md)
    currency: Literal["GBP", "USD", "EUR"] = "GBP"
    fx_rate: float | None = None  # plan currency per USD; None: data/exchange-rates.yaml
    assumptions: str = ""  # business-case assumptions file ("" = the shipped defaults)
    price_files: tuple[str, ...] = ()  # price snapshots replacing the shipped ones
    start_date: dt.date | None = None  # programme start; None = the plan's as_of date
    landing_zone_weeks: int = 6
    weeks_per_wave: int = 4
    freezes: tuple[Freeze, ...] = DEFAULT_FREEZES


class WorkloadDecision(_Model):
    """The classifier's verdict for one application, with what the plan adds (wave, group)."""

    application: str
    decision: Decision
    strategy: str
    confidence: str
    effort: str
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    blockers: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    targets: dict[str, str]
    override: str = ""
    owner: str = ""
    criticality: str = "medium"
    classification: str = "OFFICIAL"
    category: str = ""
    cost_centre: str = ""
    servers: tuple[str, ...] = ()
    wave: int | None = None
    move_group: str = ""
    wave_reason: str = ""  # why the application is in its wave


class WavePlanEntry(_Model):
    number: int
    kind: str
    applications: tuple[str, ...]
    server_count: int
    reasons: tuple[str, ...]
    start: dt.date | None = None
    end: dt.date | None = None  # cutover done


class Exclusion(_Model):
    application: str
    decision: Decision
    reason: str


class HybridLink(_Model):
    source: str
    target: str
    kind: str
    port: int | None = None
    reason: str


class DiskPlan(_Model):
    name: str
    size_gib: int
    type: str
    tier: str = ""
    iops: int | None = None


class AssessedDiskPlan(_Model):
    name: str = ""
    size_gib: float | None = None
    type: str = ""  # as the tool writes it ("Premium SSD P10")
    monthly_cost: float | None = None


class AssessmentPlan(_Model):
    """The assessment tool's own answer for one machine, shown beside forcelift's choice."""

    source: str
    sizing_criterion: str = ""
    size: str = ""
    readiness: str = ""
    readiness_reasons: tuple[str, ...] = ()
    disks: tuple[AssessedDiskPlan, ...] = ()
    monthly_compute_cost: float | None = None
    monthly_storage_cost: float | None = None
    currency: str = ""
    utilisation_missing: bool = False
    agrees: Literal["same size", "same family", "different", "no size"] = "no size"


class VmPlan(_Model):
    server: str
    size: str
    vcpus: int
    memory_gib: float
    os: Literal["windows", "linux"]
    basis: str
    disks: tuple[DiskPlan, ...]
    sql_edition: str = ""
    #: evidence → need → size, and how far below the on-premise allocation (docs/sizing.md)
    reason: str = ""
    #: whose size: "forcelift", an assessment tool's ("azure-migrate"), or "estimated"
    sized_by: str = "forcelift"
    #: forcelift's own size when the assessment tool's was taken (`--sizing azure-migrate`)
    forcelift_size: str = ""
    #: the on-premise allocation the size is compared with
    onprem_vcpus: int | None = None
    onprem_memory_gib: float | None = None
    assessment: AssessmentPlan | None = None


class PaasPlan(_Model):
    kind: str
    service: str
    tier: str
    instances: int = 1
    vcpus: int = 0
    memory_gib: float = 0
    storage_gib: float = 0
    replaces: tuple[str, ...] = ()
    os: Literal["windows", "linux"] = "linux"


class SaasPlan(_Model):
    service: str
    fqdns: tuple[str, ...] = ()
    note: str = ""


class FlowPlan(_Model):
    """An allowed inbound flow into a workload's spoke (deny everything else)."""

    name: str
    source_cidr: str
    port: int
    protocol: Literal["tcp", "udp"] = "tcp"
    reason: str = ""


MIGRATING = (Decision.SAAS, Decision.PAAS, Decision.IAAS)


class CloudWorkload(_Model):
    application: str
    decision: Decision  # one of MIGRATING: what stays or retires has no cloud workload
    wave: int
    stack: str
    target: str
    tags: dict[str, str]
    critical: bool = False
    backup: bool = False
    vms: tuple[VmPlan, ...] = ()
    paas: tuple[PaasPlan, ...] = ()
    saas: SaasPlan | None = None
    inbound: tuple[FlowPlan, ...] = ()
    monthly_cost: Rates
    notes: tuple[str, ...] = ()

    @field_validator("decision")
    @classmethod
    def _migrates(cls, value: Decision) -> Decision:
        if value not in MIGRATING:
            raise ValueError(f"a cloud workload moves (SAAS, PAAS or IAAS), not {value.value}")
        return value


class NetworkPlan(_Model):
    name: str
    cidr: str
    subnets: tuple[Subnet, ...]


class Connectivity(_Model):
    on_premise_ranges: tuple[str, ...]
    psn_required: bool
    psn_ranges: tuple[str, ...] = ()
    national_services: tuple[str, ...] = ()
    hybrid_links: tuple[HybridLink, ...] = ()


class EgressRule(_Model):
    application: str
    service: str
    fqdns: tuple[str, ...]


class LandingZonePlan(_Model):
    stack: str
    hub: NetworkPlan
    supernet: str
    connectivity: Connectivity
    remote_access: Literal["azure-bastion", "aws-verified-access"]
    saas_egress: tuple[EgressRule, ...] = ()
    log_retention_days: int = 365


class StackPlan(_Model):
    name: str
    layer: Layer
    wave: int | None = None
    part: int | None = None
    applications: tuple[str, ...] = ()
    estimated_resources: int


class CloudWavePlan(_Model):
    number: int
    spoke: NetworkPlan
    stacks: tuple[str, ...]


class PriceSource(_Model):
    """Where one price table's figures come from (the report lists them)."""

    table: str
    unit: str
    source: str
    taken: dt.date
    method: str
    confidence: str = "list"


class Pricing(_Model):
    """The plan's money: currency, how USD lists were converted, and VAT."""

    currency: str
    conversion: str  # e.g. "converted from USD at 0.8202 GBP/USD, rate of 2023-03-31, source …"
    rate: float  # plan currency per USD
    rate_date: dt.date | None = None
    rate_source: str = ""
    vat_included: bool = False
    vat_rate: float = 0.2
    vat_note: str = ""
    onprem_source: str = ""


class CloudPlan(_Model):
    cloud: Cloud
    region: str
    secondary_region: str = ""
    landing_zone: LandingZonePlan
    waves: tuple[CloudWavePlan, ...]
    workloads: tuple[CloudWorkload, ...]
    stacks: tuple[StackPlan, ...]
    cost: CostSummary
    carbon: CarbonSummary
    price_snapshot: str
    price_sources: tuple[PriceSource, ...] = ()
    business_case: BusinessCase | None = None
    sharing: CloudSharing = CloudSharing()


class OnPremSummary(_Model):
    cost: OnPremCost
    carbon: Footprint
    servers: int
    cores: int
    memory_gib: float


class UnsizedPlan(_Model):
    """A server the export gave no size for: estimated, or left out of sizing and cost."""

    server: str
    application: str = ""
    action: Literal["estimated", "left out"]
    reason: str
    vcpus: int | None = None
    memory_gib: float | None = None


class SizingCounts(_Model):
    """Every server of the inventory counted once: sized + estimated + unsized = servers."""

    servers: int = 0
    sized: int = 0
    estimated: int = 0
    unsized: int = 0
    unsized_servers: tuple[UnsizedPlan, ...] = ()


class WaiverPlan(_Model):
    rule: str
    resource: str
    reason: str
    expires: dt.date
    approved_by: str = ""


class Plan(_Model):
    schema_version: str = PLAN_SCHEMA_VERSION
    force: ForceInfo
    as_of: dt.date
    sources: tuple[str, ...]
    options: PlanOptions
    workloads: tuple[WorkloadDecision, ...]
    waves: tuple[WavePlanEntry, ...]
    excluded: tuple[Exclusion, ...]
    onprem: OnPremSummary
    clouds: tuple[CloudPlan, ...]
    waivers: tuple[WaiverPlan, ...] = ()
    notes: tuple[str, ...] = ()
    sizing: SizingCounts = SizingCounts()
    pricing: Pricing | None = None
    schedule: Schedule | None = None
    sharing: SharingPlan | None = None

    def cloud(self, name: str) -> CloudPlan:
        return next(c for c in self.clouds if c.cloud == name)

    def stack(self, cloud: str, name: str) -> StackPlan:
        return next(s for s in self.cloud(cloud).stacks if s.name == name)
