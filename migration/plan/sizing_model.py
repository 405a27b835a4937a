"""What right-sizing produces (VM, disk and PaaS targets per workload) and the choices behind it.

The models and `SizingConfig` sit apart from the `Sizer` so cost, carbon, the plan builder and
the disk and PaaS sizers read them without importing the engine (docs/sizing.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, NamedTuple

from pydantic import Field

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import OsFamily, Server
from forcelift.migration.plan.datafiles import Frozen
from forcelift.migration.plan.paas_kind import PaasKind
from forcelift.migration.plan.skus import SkuCategory

DECISIONS = tuple(d.value for d in Decision)


class SizingBasis(StrEnum):
    PERFORMANCE = "performance"
    AS_ON_PREMISE = "as-on-premise"


class SizingConfig(Frozen):
    """Every sizing choice a user may change (defaults documented in docs/sizing.md)."""

    mode: Literal["performance", "as-on-premise"] = "performance"
    comfort_factor: Annotated[float, Field(ge=1.0, le=5.0)] = 1.3
    family_selection: Literal["ratio", "cheapest"] = "cheapest"
    #: whose size a server gets: forcelift's, or the assessment tool's where it has one
    source: Literal["forcelift", "azure-migrate", "aws-migration-hub"] = "forcelift"
    azure_families: tuple[str, ...] | None = None  # None: every family in the catalogue
    aws_families: tuple[str, ...] | None = None
    burstable: bool = True
    burstable_max_cores: Annotated[int, Field(ge=1)] = 4
    burstable_max_memory_gib: Annotated[float, Field(gt=0)] = 16
    azure_disk_type: Literal["auto", "PremiumSSD", "StandardSSD", "StandardHDD"] = "auto"
    #: data disks (not the first, OS, disk) on Standard HDD (Azure) / sc1-st1 (AWS) when the
    #: server's measured IOPS fit; off by default (HDD has a weaker single-VM SLA)
    hdd_data_disks: bool = False
    os_disk_gib_windows: Annotated[float, Field(gt=0)] = 128
    os_disk_gib_linux: Annotated[float, Field(gt=0)] = 64
    min_memory_gib: Annotated[float, Field(gt=0)] = 0.5
    azure_sql_target: Literal["sql_managed_instance", "sql_database"] = "sql_managed_instance"
    min_database_storage_gib: Annotated[float, Field(gt=0)] = 32


class DiskSizing(Frozen):
    name: str
    source_gib: float
    disk_type: str  # PremiumSSD, StandardSSD (Azure) or gp3 (AWS)
    tier: str = ""  # P10, E10… (Azure); empty for gp3
    size_gib: float
    iops: int
    mbps: int


class VmSizing(Frozen):
    """The target VM for one server, with the evidence for the choice."""

    server: str
    cloud: Cloud
    size: str
    family: str
    category: SkuCategory
    vcpus: int
    memory_gib: float
    os: Literal["windows", "linux"]
    sql_edition: Literal["", "standard", "enterprise"] = ""
    basis: SizingBasis
    required_vcpus: int
    required_memory_gib: float
    cpu_demand_vcpus: float | None = None  # observed busy vCPUs (no comfort factor)
    fits: bool = True
    disks: tuple[DiskSizing, ...] = ()
    notes: tuple[str, ...] = ()
    #: one line an architect can check: the evidence, the arithmetic and the size it gave
    reason: str = ""
    #: whose size this is: "forcelift" or the assessment tool's ("azure-migrate", …)
    source: str = "forcelift"
    #: forcelift's own choice when the tool's size was taken instead
    forcelift_size: str = ""


class PaasSizing(Frozen):
    """A platform service replacing one or more servers."""

    kind: PaasKind
    cloud: Cloud
    offer: str  # catalogue and price-table key, e.g. sql_managed_instance, postgresql
    service: str
    tier: str = ""
    instances: Annotated[int, Field(ge=1)] = 1
    vcpus: Annotated[int, Field(ge=0)] = 0  # per instance
    memory_gib: Annotated[float, Field(ge=0)] = 0
    storage_gib: Annotated[float, Field(ge=0)] = 0
    os: Literal["windows", "linux"] = "linux"
    replaces: tuple[str, ...] = ()
    basis: SizingBasis = SizingBasis.AS_ON_PREMISE
    cpu_demand_vcpus: float | None = None
    fits: bool = True
    notes: tuple[str, ...] = ()


class WorkloadTarget(Frozen):
    """What one application becomes in the target cloud."""

    application: str
    decision: Decision
    cloud: Cloud
    vms: tuple[VmSizing, ...] = ()
    paas: tuple[PaasSizing, ...] = ()
    notes: tuple[str, ...] = ()


class Need(NamedTuple):
    """What a server needs in the cloud: vCPUs, memory and the evidence for them."""

    vcpus: int
    memory_gib: float
    basis: SizingBasis
    demand: float | None  # busy vCPUs observed, None when unknown
    reason: str = ""


def num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def os_of(server: Server) -> Literal["windows", "linux"]:
    return "windows" if server.os.family is OsFamily.WINDOWS else "linux"


#: which cloud's plan each assessment tool's recommendation belongs to
TOOL_CLOUD = {"azure-migrate": Cloud.AZURE, "aws-migration-hub": Cloud.AWS}
