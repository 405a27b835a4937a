"""The SKU catalogue: VM sizes, disk tiers and PaaS tiers per cloud, loaded from data.

Keeping the catalogue as data (`data/skus.yaml`, with the date it was taken) means a new size
or family is a reviewed data change; prices live apart (`prices.py`) so refreshing them never
changes what a size is.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.plan.datafiles import Frozen, Provenance, read_data, validate


class SkuCategory(StrEnum):
    """Families by memory per vCPU: compute ~2 GiB, general ~4, memory ~8; burstable apart."""

    COMPUTE = "compute"
    GENERAL = "general"
    MEMORY = "memory"
    BURSTABLE = "burstable"


class VmSizeSpec(Frozen):
    name: str
    vcpus: Annotated[int, Field(ge=1)]
    memory_gib: Annotated[float, Field(gt=0)]
    baseline_percent: Annotated[float, Field(gt=0, le=100)] | None = None


class VmFamily(Frozen):
    family: str
    category: SkuCategory
    sizes: tuple[VmSizeSpec, ...]
    #: regions that offer the family (empty: every region the catalogue is used for)
    regions: tuple[str, ...] = ()


class VmSize(Frozen):
    """One size with its family, flattened for the sizing engine."""

    name: str
    family: str
    category: SkuCategory
    vcpus: int
    memory_gib: float
    baseline_percent: float | None = None
    regions: tuple[str, ...] = ()


class DiskTier(Frozen):
    tier: str
    size_gib: Annotated[float, Field(gt=0)]
    iops: Annotated[int, Field(ge=0)]
    mbps: Annotated[int, Field(ge=0)]


class DiskType(Frozen):
    """A managed disk / volume type: fixed tiers (Azure) or a size range (AWS gp3)."""

    type: str
    tiers: tuple[DiskTier, ...] = ()
    min_gib: float | None = None
    max_gib: float | None = None
    baseline_iops: int | None = None
    max_iops: int | None = None
    iops_per_gib: int | None = None
    baseline_mbps: int | None = None
    max_mbps: int | None = None


class PaasTier(Frozen):
    name: str
    vcpus: Annotated[int, Field(ge=1)]
    memory_gib: Annotated[float, Field(gt=0)]
    burstable: bool = False


class PaasOffer(Frozen):
    service: str
    max_storage_gib: float | None = None
    tiers: tuple[PaasTier, ...] = ()


class CloudCatalogue(Frozen):
    families: tuple[VmFamily, ...]
    disks: tuple[DiskType, ...]
    paas: dict[str, PaasOffer]

    def sizes(self) -> tuple[VmSize, ...]:
        return tuple(
            VmSize(
                name=s.name,
                family=f.family,
                category=f.category,
                vcpus=s.vcpus,
                memory_gib=s.memory_gib,
                baseline_percent=s.baseline_percent,
                regions=f.regions,
            )
            for f in self.families
            for s in f.sizes
        )

    def disk_type(self, name: str) -> DiskType:
        for disk in self.disks:
            if disk.type == name:
                return disk
        raise InputError(
            f"unknown disk type {name!r}",
            hint=f"use one of: {', '.join(d.type for d in self.disks)}",
        )

    def offer(self, key: str) -> PaasOffer | None:
        return self.paas.get(key)


class SkuCatalogue(Frozen):
    catalogue: Provenance
    azure: CloudCatalogue
    aws: CloudCatalogue

    def for_cloud(self, cloud: Cloud) -> CloudCatalogue:
        return self.azure if cloud is Cloud.AZURE else self.aws


@lru_cache(maxsize=1)
def load_catalogue() -> SkuCatalogue:
    """The shipped catalogue (cached: it is immutable)."""
    return catalogue_from_data(read_data("skus.yaml"), "skus.yaml")


def catalogue_from_data(data: Mapping[str, Any], where: str) -> SkuCatalogue:
    """Validate a catalogue (the shipped one, or a user's own file in the same shape)."""
    catalogue = validate(SkuCatalogue, data, where)
    for cloud in Cloud:
        names = [s.name for s in catalogue.for_cloud(cloud).sizes()]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InputError(
                f"{where}: {cloud.value} sizes listed twice: {', '.join(duplicates)}",
                hint="each size name may appear in one family only",
            )
    return catalogue
