"""Azure values every part of the Azure program reads: tags, region, zone redundancy."""

from __future__ import annotations

from forcelift.components.azure.common import AzureRegion
from forcelift.components.azure.tags import DataClassification, Tags
from forcelift.migration.clouds.azure import FACTS as AZURE
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import TagValues


def azure_tags(values: TagValues) -> Tags:
    """The Azure `Tags` of the shared tag values (the classification as its enum)."""
    return Tags(
        application=values.application,
        owner=values.owner,
        data_classification=DataClassification(values.data_classification),
        cost_centre=values.cost_centre,
        wave=values.wave,
        extra=values.extra,
    )


def region_of(ctx: StackContext) -> AzureRegion:
    return AzureRegion(ctx.cloud.region)


def zone_redundant(ctx: StackContext) -> bool:
    """Zone-redundant tiers exist only where the region has availability zones."""
    return ctx.cloud.region in AZURE.zone_redundant_regions
