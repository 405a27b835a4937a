"""The tags every AWS resource forcelift declares must carry.

Tagging is how a force finds the owner, cost centre and data classification of a resource and
how the FL-TAG-001 guardrail checks governance (NCSC principles 4 and 13). Values are checked
here, before any resource is declared, so a bad tag never reaches a preview.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from forcelift.migration.naming import check_name, make_name

REQUIRED_TAG_KEYS = ("application", "owner", "data-classification", "cost-centre", "wave")


@dataclass(frozen=True)
class Tags:
    """Required tags (all non-empty) plus optional extra ones."""

    application: str
    owner: str
    data_classification: str
    cost_centre: str
    wave: str
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, value in self.as_dict().items():
            if not value.strip():
                raise ValueError(f"tag {key!r} must not be empty")
            problem = check_name("aws-tag-value", value)
            if problem:
                raise ValueError(f"tag {key!r}={value!r}: {problem}")
            if len(key) > 128 or key.lower().startswith("aws:"):
                raise ValueError(f"tag key {key!r} is not allowed")

    def as_dict(self, **more: str) -> dict[str, str]:
        """Tags as a sorted dict; `more` adds resource-specific tags (e.g. a backup plan)."""
        tags = {
            **dict(self.extra),
            "application": self.application,
            "owner": self.owner,
            "data-classification": self.data_classification,
            "cost-centre": self.cost_centre,
            "wave": self.wave,
            **more,
        }
        return dict(sorted(tags.items()))

    def named(self, *name_parts: str, **more: str) -> dict[str, str]:
        """Tags plus a `Name` tag, which the EC2 console shows as the resource's name."""
        return self.as_dict(Name=make_name("aws-name-tag", *name_parts), **more)
