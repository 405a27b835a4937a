"""One vocabulary for decisions: order, labels and colours shared by every chart and table.

Okabe-Ito colours (safe for the common colour-vision deficiencies and legible in greyscale
print); a decision keeps its colour everywhere so a reader learns it once.
"""

from __future__ import annotations

from forcelift.migration.classify.model import Decision

DECISIONS: tuple[Decision, ...] = tuple(Decision)

LABELS: dict[str, str] = {
    "SAAS": "SaaS",
    "PAAS": "PaaS",
    "IAAS": "IaaS",
    "RETAIN": "Retain",
    "RETIRE": "Retire",
}

COLOURS: dict[str, str] = {
    "SAAS": "#0072B2",
    "PAAS": "#009E73",
    "IAAS": "#E69F00",
    "RETAIN": "#CC79A7",
    "RETIRE": "#8C8C8C",
}

CLOUD_LABELS: dict[str, str] = {"azure": "Azure", "aws": "AWS"}
CLOUD_COLOURS: dict[str, str] = {"azure": "#0072B2", "aws": "#D55E00"}
ONPREM_COLOUR = "#555555"
EXTERNAL_COLOUR = "#FFFFFF"
INK = "#1F2933"
MUTED = "#6B7785"
GRID = "#D9DEE4"

CONFIDENCE_RANK: dict[str, int] = {"high": 3, "medium": 2, "low": 1}
SEVERITY_RANK: dict[str, int] = {"critical": 4, "high": 3, "medium": 2, "low": 1}


def cloud_label(cloud: str) -> str:
    return CLOUD_LABELS.get(cloud, cloud)


def decision_label(decision: str) -> str:
    return LABELS.get(decision, decision.title())
