"""The one validated inventory model every reader produces.

Units are fixed so sources agree: memory in MiB, disk sizes in GiB, utilisation in percent.
Collections are tuples and models are frozen, so an inventory can be shared and hashed safely.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forcelift.migration.inventory.normalise import (
    os_family,
    parse_classification,
    parse_power_state,
    parse_readiness,
)
from forcelift.migration.inventory.sharing import Partner, SharingFlow, partner_lookup
from forcelift.migration.inventory.vocabulary import (
    Criticality,
    DependencyKind,
    ExternalService,
    OsFamily,
    PowerState,
    SecurityClassification,
)

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class OperatingSystem(_Model):
    family: OsFamily = OsFamily.UNKNOWN
    name: str = ""
    version: str = ""

    @property
    def label(self) -> str:
        """Name and version for people, the version left out when the name already says it
        ("Ubuntu 20.04 LTS", not "Ubuntu 20.04 LTS 20.04")."""
        return os_label(self.name, self.version)

    @model_validator(mode="before")
    @classmethod
    def _infer_family(cls, data: object) -> object:
        if (
            isinstance(data, dict)
            and data.get("name")
            and data.get("family") in (None, "", "unknown")
        ):
            data = {**data, "family": os_family(str(data["name"]))}
        return data


class Disk(_Model):
    name: str = ""
    provisioned_gib: Annotated[float, Field(ge=0)]
    used_gib: Annotated[float, Field(ge=0)] | None = None


class Utilisation(_Model):
    """Observed utilisation, as assessment tools report it (a high percentile or average)."""

    cpu_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    memory_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    iops: Annotated[float, Field(ge=0)] | None = None
    network_mbps: Annotated[float, Field(ge=0)] | None = None


class SoftwareProduct(_Model):
    vendor: str = ""
    product: str
    version: str = ""
    edition: str = ""


class AssessedDisk(_Model):
    """One disk as an assessment tool recommends it (Azure Migrate's per-disk columns)."""

    name: str = ""
    size_gib: Annotated[float, Field(ge=0)] | None = None
    recommended_type: str = ""  # as the export writes it, e.g. "Premium SSD P10"
    monthly_cost: Annotated[float, Field(ge=0)] | None = None


class Assessment(_Model):
    """A discovery/assessment tool's own view of one server (Azure Migrate, AWS).

    Kept beside forcelift's own sizing so architects can see where the two agree and why not.
    """

    source: Annotated[str, Field(min_length=1)]  # "azure-migrate" | "aws-migration-hub"
    sizing_criterion: str = ""  # "performance-based" | "as-is" | ""
    recommended_size: str = ""  # "Standard_D4s_v5", "m5.xlarge" (as written)
    readiness: str = ""  # "Ready" | "Ready with conditions" | "Not ready" | "Unknown" | ""
    readiness_reasons: tuple[str, ...] = ()
    disks: tuple[AssessedDisk, ...] = ()
    monthly_compute_cost: Annotated[float, Field(ge=0)] | None = None
    monthly_storage_cost: Annotated[float, Field(ge=0)] | None = None
    currency: str = ""  # as the export says, e.g. "GBP", "USD"; "" unknown
    data_collection_issues: tuple[str, ...] = ()
    utilisation_missing: bool = False  # the tool says it had no performance data

    @field_validator("readiness", mode="before")
    @classmethod
    def _readiness(cls, value: object) -> object:
        """Normalised here, once, whatever the source: the classifier trusts the four words."""
        return parse_readiness(value) if isinstance(value, str) else value


class Server(_Model):
    name: Annotated[str, Field(min_length=1)]
    fqdn: str = ""
    ip_addresses: tuple[str, ...] = ()
    os: OperatingSystem = OperatingSystem()
    #: None = unsized: the export's cell was blank or unreadable (see `unsized_reason`)
    cores: Annotated[int, Field(ge=1)] | None = None
    memory_mib: Annotated[int, Field(ge=1)] | None = None
    unsized_reason: str = ""
    #: the export's own machine id (VM UUID, BIOS UUID, machine id, …), when it has one
    identity: str = ""
    #: vCenter / Azure Migrate site / appliance the machine was discovered through
    site: str = ""
    disks: tuple[Disk, ...] = ()
    power_state: PowerState = PowerState.UNKNOWN
    host: str = ""
    cluster: str = ""
    datacentre: str = ""
    folder: str = ""
    annotation: str = ""
    utilisation: Utilisation | None = None
    software: tuple[SoftwareProduct, ...] = ()
    tags: dict[str, str] = Field(default_factory=dict)
    #: the discovery/assessment tool's own recommendation, when the export has one
    assessment: Assessment | None = None

    @field_validator("power_state", mode="before")
    @classmethod
    def _power_state(cls, value: object) -> object:
        if isinstance(value, PowerState):
            return value
        # YAML 1.1 reads a bare `on` / `off` as a boolean.
        if isinstance(value, bool):
            return PowerState.ON if value else PowerState.OFF
        if isinstance(value, str):
            return parse_power_state(value)
        return value

    @property
    def sized(self) -> bool:
        """Both CPU and memory are known (an unsized server needs sizing from elsewhere)."""
        return self.cores is not None and self.memory_mib is not None

    @property
    def memory_gib(self) -> float | None:
        return None if self.memory_mib is None else self.memory_mib / 1024

    @property
    def provisioned_gib(self) -> float:
        return sum(d.provisioned_gib for d in self.disks)

    @property
    def used_gib(self) -> float | None:
        used = [d.used_gib for d in self.disks if d.used_gib is not None]
        return sum(used) if used else None


class Application(_Model):
    name: Annotated[str, Field(min_length=1)]
    owner: str = ""
    description: str = ""
    category: str = ""
    criticality: Criticality = Criticality.MEDIUM
    classification: SecurityClassification = SecurityClassification.OFFICIAL
    products: tuple[SoftwareProduct, ...] = ()
    servers: tuple[str, ...] = ()
    user_count: Annotated[int, Field(ge=0)] | None = None
    rto_hours: Annotated[float, Field(ge=0)] | None = None
    rpo_hours: Annotated[float, Field(ge=0)] | None = None
    end_of_support: dt.date | None = None
    cost_centre: str = ""
    notes: str = ""

    @field_validator("classification", mode="before")
    @classmethod
    def _classification_in_scope(cls, value: object) -> object:
        return parse_classification(value) if isinstance(value, str) else value


class Dependency(_Model):
    source: Annotated[str, Field(min_length=1)]
    target: Annotated[str, Field(min_length=1)]
    kind: DependencyKind = DependencyKind.APPLICATION
    service: ExternalService | None = None
    protocol: str = ""
    port: Annotated[int, Field(ge=0, le=65535)] | None = None
    description: str = ""
    #: the Partner this external dependency reaches (its name), set when the inventory is
    #: loaded: the target names a partner, by name or an obvious alias
    partner: str = ""


class Inventory(_Model):
    schema_version: str = SCHEMA_VERSION
    force: str = ""
    servers: tuple[Server, ...] = ()
    applications: tuple[Application, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    #: organisations this force shares with, and what it shares (see sharing.py)
    partners: tuple[Partner, ...] = ()
    sharing: tuple[SharingFlow, ...] = ()

    def server_index(self) -> dict[str, Server]:
        return {s.name.lower(): s for s in self.servers}

    def application_index(self) -> dict[str, Application]:
        return {a.name.lower(): a for a in self.applications}

    def partner_index(self) -> dict[str, Partner]:
        """Every name and alias of every partner (sharing.name_key) -> the partner."""
        return partner_lookup(self.partners)


def inventory_json_schema() -> dict[str, object]:
    """The JSON Schema users validate their own native files against."""
    schema = Inventory.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://forcelift.example/schemas/inventory-{SCHEMA_VERSION}.json"
    schema["title"] = "forcelift inventory"
    return schema


def os_label(name: str, version: str) -> str:
    """`name version`, without repeating a version the name already contains."""
    if version and version in name.split():
        return name
    return " ".join(p for p in (name, version) if p)
