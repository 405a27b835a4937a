"""The shape of what forcelift knows about one target cloud."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CloudFacts:
    """Regions, pairs, zones and the provider's config key for one cloud.

    Plan, policy, stacks, components and live all read these, so a region or a disk type is
    decided in one place. UK data residency is the rule: `regions` are the only ones a plan may
    use unless a guardrail exception is recorded.
    """

    name: str
    regions: tuple[str, ...]
    default_region: str
    provider_config_key: str  # the stack config key that sets the provider's region
    region_pairs: dict[str, str] = field(default_factory=dict)  # paired region for DR
    zones: dict[str, tuple[str, ...]] = field(default_factory=dict)  # availability zones
    zone_redundant_regions: tuple[str, ...] = ()  # where zone-redundant PaaS tiers exist
    policy_locations: tuple[str, ...] = ()  # what the residency guardrail accepts
    disk_types: frozenset[str] = frozenset()  # disk types the components create (folded)
