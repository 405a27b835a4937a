"""Target clouds and the UK regions a plan may use.

Data residency keeps workloads in UK regions (Azure uksouth/ukwest, AWS eu-west-2); a region
outside this list is refused here rather than discovered at deployment.
"""

from __future__ import annotations

from enum import StrEnum

from forcelift.migration.errors import InputError


class Cloud(StrEnum):
    AZURE = "azure"
    AWS = "aws"


ALLOWED_REGIONS: dict[Cloud, tuple[str, ...]] = {
    Cloud.AZURE: ("uksouth", "ukwest"),
    Cloud.AWS: ("eu-west-2",),
}

DEFAULT_REGION: dict[Cloud, str] = {Cloud.AZURE: "uksouth", Cloud.AWS: "eu-west-2"}

# Availability zones used for per-AZ subnets (AWS) and zone-redundant placement.
AWS_ZONES: dict[str, tuple[str, ...]] = {"eu-west-2": ("eu-west-2a", "eu-west-2b", "eu-west-2c")}


def parse_cloud(value: str | Cloud) -> Cloud:
    """A cloud from user text; a clear error names the accepted values."""
    if isinstance(value, Cloud):
        return value
    try:
        return Cloud(value.strip().lower())
    except ValueError:
        raise InputError(
            f"unknown cloud {value!r}",
            hint=f"use one of: {', '.join(c.value for c in Cloud)}",
        ) from None


def check_region(cloud: Cloud, region: str) -> str:
    """The region, if data residency allows it for this cloud."""
    allowed = ALLOWED_REGIONS[cloud]
    if region not in allowed:
        raise InputError(
            f"region {region!r} is not an allowed {cloud.value} region",
            hint=f"UK data residency: use one of {', '.join(allowed)}",
        )
    return region
