"""Target clouds and what forcelift knows about each, in one place.

Data residency keeps workloads in UK regions (Azure uksouth/ukwest, AWS eu-west-2); a region
outside these lists is refused here rather than discovered at deployment. Adding a third cloud
means one facts module beside azure.py and aws.py, a `Cloud` member, its components and its
stack program (registered in `forcelift.stacks.program.CLOUD_PROGRAMS`); see DESIGN.md.
"""

from __future__ import annotations

from enum import StrEnum

from forcelift.migration.clouds import aws, azure
from forcelift.migration.clouds.facts import CloudFacts
from forcelift.migration.errors import InputError


class Cloud(StrEnum):
    AZURE = "azure"
    AWS = "aws"


FACTS: dict[Cloud, CloudFacts] = {Cloud.AZURE: azure.FACTS, Cloud.AWS: aws.FACTS}

# Views of FACTS the callers use most. Keys are Cloud members, typed as str so the plan file's
# plain "azure" / "aws" strings index them too (a StrEnum member hashes as its value).
ALLOWED_REGIONS: dict[str, tuple[str, ...]] = {c: f.regions for c, f in FACTS.items()}
DEFAULT_REGION: dict[str, str] = {c: f.default_region for c, f in FACTS.items()}
PROVIDER_CONFIG_KEY: dict[str, str] = {c: f.provider_config_key for c, f in FACTS.items()}
DISK_TYPES: dict[str, frozenset[str]] = {c: f.disk_types for c, f in FACTS.items()}
AWS_ZONES: dict[str, tuple[str, ...]] = dict(aws.FACTS.zones)

__all__ = [
    "ALLOWED_REGIONS",
    "AWS_ZONES",
    "DEFAULT_REGION",
    "DISK_TYPES",
    "FACTS",
    "PROVIDER_CONFIG_KEY",
    "Cloud",
    "CloudFacts",
    "check_region",
    "parse_cloud",
]


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
