"""AWS facts: eu-west-2 (London) is the only UK region; there is no UK pair."""

from __future__ import annotations

from forcelift.migration.clouds.facts import CloudFacts

FACTS = CloudFacts(
    name="aws",
    regions=("eu-west-2",),
    default_region="eu-west-2",
    provider_config_key="aws:region",
    region_pairs={},
    zones={"eu-west-2": ("eu-west-2a", "eu-west-2b", "eu-west-2c")},
    zone_redundant_regions=("eu-west-2",),
    policy_locations=("eu-west-2",),
    disk_types=frozenset({"gp3", "gp2"}),
)
