"""The plan's sharing models: partners, sharing flows, shared services and staff access.

Kept apart from planfile.py so the planner, the stacks, the guardrails and the report can import
them without the whole plan. Cloud-independent decisions (which partner, which flow, over which
connection) are in `SharingPlan` (Plan.sharing); what one cloud builds (the host and consumer
sides of a private service, RAM shares, zero-trust staff access) is in `CloudSharing`
(CloudPlan.sharing). Everything defaults empty so plans made before sharing existed still load.
Tuples are kept in name order by the builders so the plan file is deterministic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Connection = Literal["private-link", "api-gateway", "none"]
ApiAuth = Literal["client-certificate", "oauth", ""]
StaffMethod = Literal["front-door-private-origin", "verified-access"]
Suggestion = Literal["one shared SaaS tenant", "one shared deployment"]

#: a name used inside cloud resource names: short, lower-case, hyphens
SERVICE_NAME = r"^[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartnerPlan(_Model):
    """A partner organisation as the plan carries it (identifiers for allow lists)."""

    name: str
    kind: str
    cloud: str = ""
    azure_subscriptions: tuple[str, ...] = ()
    aws_accounts: tuple[str, ...] = ()
    aws_organization_unit: str = ""
    endpoint: str = ""


class SharingFlowPlan(_Model):
    """One sharing flow and how the cloud carries it (or why it does not)."""

    name: str  # slug, unique in the plan: "custody-cps-case-files"
    application: str
    partner: str
    data: str
    direction: str
    classification: str
    protocol: str
    api: bool
    port: int
    agreement: str
    connection: Connection
    reason: str


class SharedProductCandidate(_Model):
    """Several forces run the same product: a finding, never an automatic merge."""

    product: str
    forces: tuple[str, ...]
    applications: tuple[str, ...]  # "<force>/<application>"
    decisions: tuple[str, ...]
    suggestion: Suggestion
    reason: str


class SharingPlan(_Model):
    """Plan.sharing: the force's partners and sharing flows (cloud-independent)."""

    collaboration: str = ""  # the collaboration's name; "" for a single force
    partners: tuple[PartnerPlan, ...] = ()
    flows: tuple[SharingFlowPlan, ...] = ()
    shared_products: tuple[SharedProductCandidate, ...] = ()  # only in a collaboration


class HostedService(_Model):
    """This force provides the service privately to named consumers (the host side)."""

    name: str = Field(pattern=SERVICE_NAME)  # unique per cloud plan: used in resource names
    application: str
    stack: str  # the wave stack (first part) holding the application
    port: int = 443
    api: bool = False  # fronted by the agency API gateway (APIM internal / private API Gateway)
    api_auth: ApiAuth = ""
    classification: str = "OFFICIAL-SENSITIVE"
    agreements: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()  # force slugs / partner names
    allowed_subscriptions: tuple[str, ...] = ()  # Azure: PLS visibility + auto-approval
    allowed_accounts: tuple[str, ...] = ()  # AWS: endpoint service allowed principals


class ConsumedService(_Model):
    """This force reaches a service privately (the consumer side), in its sharing stack."""

    name: str = Field(pattern=SERVICE_NAME)  # unique per cloud plan
    provider: str  # host force slug or partner name
    stack: str  # this force's `<force>-<cloud>-sharing` stack
    source_stack: str = ""  # the host's wave stack in the same project ("" for a partner's own)
    source_name: str = ""  # the HostedService.name in that stack's `sharedServices` output
    endpoint: str = ""  # a partner's own service: PLS alias/id or endpoint service name
    port: int = 443
    dns_name: str  # "<name>.share.<force>.internal"
    agreements: tuple[str, ...] = ()
    classification: str = "OFFICIAL-SENSITIVE"


class RamSharePlan(_Model):
    """AWS only: a RAM share of the host's transit gateway, in its landing-zone stack."""

    name: str
    resource: Literal["transit-gateway"] = "transit-gateway"
    principals: tuple[str, ...]  # an OU ARN or id, or 12-digit accounts: never org-wide
    allow_external_principals: bool = False


class StaffAccess(_Model):
    """Identity-aware access for staff to one moving web application, without a VPN."""

    application: str
    stack: str  # the wave stack declaring it
    method: StaffMethod
    hostname: str  # "<app-slug>.<force>.staff.police.uk"
    port: int = 443
    public: bool = False  # published to the internet, not only to staff
    identity: str  # how users are authenticated
    reason: str


class NotFronted(_Model):
    """A moving application that cannot be fronted by zero-trust access, and why."""

    application: str
    reason: str


class CloudSharing(_Model):
    """CloudPlan.sharing: what one cloud builds for sharing and staff access."""

    hosted: tuple[HostedService, ...] = ()
    consumed: tuple[ConsumedService, ...] = ()
    ram_shares: tuple[RamSharePlan, ...] = ()
    staff_access: tuple[StaffAccess, ...] = ()
    not_fronted: tuple[NotFronted, ...] = ()
