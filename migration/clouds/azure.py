"""Azure facts: UK South and UK West, the only regions OFFICIAL data may use."""

from __future__ import annotations

from forcelift.migration.clouds.facts import CloudFacts

FACTS = CloudFacts(
    name="azure",
    regions=("uksouth", "ukwest"),
    default_region="uksouth",
    provider_config_key="azure-native:location",
    region_pairs={"uksouth": "ukwest", "ukwest": "uksouth"},
    # UK West has no availability zones; zone-redundant SQL MI / PostgreSQL HA need UK South.
    zones={"uksouth": ("1", "2", "3"), "ukwest": ()},
    zone_redundant_regions=("uksouth",),
    # Some resources (DNS zones, Front Door) are global by nature and stay allowed.
    policy_locations=("uksouth", "ukwest", "global"),
    disk_types=frozenset({"premiumssd", "standardssd", "standardhdd", "premiumv2", "premiumssdv2"}),
)
