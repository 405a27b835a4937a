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

from pydantic import BaseModel, ConfigDict, Field

from forcelift.migration.plan.carbon import CarbonSummary, Footprint
from forcelift.migration.plan.cost import CostSummary, Rates
from forcelift.migration.plan.network import Subnet
from forcelift.migration.plan.onprem_cost import OnPremCost

PLAN_SCHEMA_VERSION = "1.0"

Cloud = Literal["azure", "aws"]
Layer = Literal["landing-zone", "wave"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ForceInfo(_Model):
    name: str
    slug: str = Field(pattern=r"^[a-z][a-z0-9-]{1,23}$")


class PlanOptions(_Model):
    """The options the plan was made with (recorded so a re-run reproduces it)."""

    clouds: tuple[Cloud, ...]
    wave_max_servers: int | None = None
    wave_max_applications: int | None = None
    pilot: bool = True
    critical_late: bool = True
    supernet: str = "10.100.0.0/14"
    reserved_ranges: tuple[str, ...] = ()
    hybrid_benefit_windows: bool = False
    hybrid_benefit_sql: bool = False
    max_resources_per_stack: int = 1500
    comfort_factor: float = 1.3


class WorkloadDecision(_Model):
    """The classifier's verdict for one application, with what the plan adds (wave, group)."""

    application: str
    decision: Literal["SAAS", "PAAS", "IAAS", "RETAIN", "RETIRE"]
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


class WavePlanEntry(_Model):
    number: int
    kind: str
    applications: tuple[str, ...]
    server_count: int
    reasons: tuple[str, ...]


class Exclusion(_Model):
    application: str
    decision: str
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


class VmPlan(_Model):
    server: str
    size: str
    vcpus: int
    memory_gib: float
    os: Literal["windows", "linux"]
    basis: str
    disks: tuple[DiskPlan, ...]
    sql_edition: str = ""


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


class CloudWorkload(_Model):
    application: str
    decision: Literal["SAAS", "PAAS", "IAAS"]
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


class OnPremSummary(_Model):
    cost: OnPremCost
    carbon: Footprint
    servers: int
    cores: int
    memory_gib: float


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

    def cloud(self, name: str) -> CloudPlan:
        return next(c for c in self.clouds if c.cloud == name)

    def stack(self, cloud: str, name: str) -> StackPlan:
        return next(s for s in self.cloud(cloud).stacks if s.name == name)
