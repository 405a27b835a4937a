"""Kept for imports written before the cloud facts moved to `forcelift.migration.clouds`."""

from forcelift.migration.clouds import (
    ALLOWED_REGIONS,
    AWS_ZONES,
    DEFAULT_REGION,
    Cloud,
    check_region,
    parse_cloud,
)

__all__ = ["ALLOWED_REGIONS", "AWS_ZONES", "DEFAULT_REGION", "Cloud", "check_region", "parse_cloud"]
