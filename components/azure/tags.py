"""The tags every Azure resource forcelift declares must carry (the AWS side: aws/tags.py).

Tagging is how a force finds the owner, cost centre and data classification of a resource and
how the FL-TAG-001 guardrail checks governance. Values are checked here, before any resource
is declared. Plain Python (no Pulumi SDK import), like common.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

REQUIRED_TAG_KEYS: tuple[str, ...] = (
    "application",
    "owner",
    "data-classification",
    "cost-centre",
    "wave",
)


class DataClassification(StrEnum):
    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Tags:
    """The tags every taggable resource carries (finance, ownership and policy need them)."""

    application: str
    owner: str
    data_classification: DataClassification
    cost_centre: str
    wave: str
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for key, value in self._required().items():
            if not value.strip():
                raise ValueError(f"tag {key!r} must not be empty")

    def _required(self) -> dict[str, str]:
        return {
            "application": self.application,
            "owner": self.owner,
            "data-classification": str(self.data_classification),
            "cost-centre": self.cost_centre,
            "wave": self.wave,
        }

    def as_dict(self) -> dict[str, str]:
        tags = dict(sorted(self.extra))
        tags.update(self._required())
        return tags
