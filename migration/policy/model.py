"""Guardrail, finding and waiver types shared by the offline checker and the policy pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high", "critical").index(self.value)


# The NCSC Cloud Security Principles, by number.
NCSC_PRINCIPLES: dict[int, str] = {
    1: "Data in transit protection",
    2: "Asset protection and resilience",
    3: "Separation between customers",
    4: "Governance framework",
    5: "Operational security",
    6: "Personnel security",
    7: "Secure development",
    8: "Supply chain security",
    9: "Secure user management",
    10: "Identity and authentication",
    11: "External interface protection",
    12: "Secure service administration",
    13: "Audit information for customers",
    14: "Secure use of the service",
}


@dataclass(frozen=True)
class Resource:
    """One declared resource, as the offline preview records it (inputs in wire form)."""

    urn: str
    type: str
    name: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    parent: str = ""
    protect: bool = False
    dependencies: tuple[str, ...] = ()

    @property
    def cloud(self) -> str:
        if self.type.startswith("azure-native:"):
            return "azure"
        if self.type.startswith("aws:"):
            return "aws"
        return "other"

    @property
    def tags(self) -> Mapping[str, str]:
        tags = self.inputs.get("tags")
        return tags if isinstance(tags, Mapping) else {}

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Resource:
        return Resource(
            urn=str(data["urn"]),
            type=str(data["type"]),
            name=str(data.get("name", "")),
            inputs=dict(data.get("inputs") or {}),
            parent=str(data.get("parent") or ""),
            protect=bool(data.get("protect", False)),
            dependencies=tuple(data.get("dependencies") or ()),
        )


@dataclass(frozen=True)
class Violation:
    """What a rule found wrong with one resource."""

    urn: str
    message: str


@dataclass(frozen=True)
class Guardrail:
    """A rule: id, severity, the NCSC principles it supports, and its check.

    `check_resource` looks at one resource (usable from a CrossGuard resource policy);
    `check_graph` looks at the whole stack (a CrossGuard stack policy). A rule has one of them.
    """

    id: str
    title: str
    severity: Severity
    remediation: str
    principles: tuple[int, ...]
    applies_to: tuple[str, ...] = ()  # type-token prefixes; empty = every resource
    check_resource: Callable[[Resource], list[str]] | None = None
    check_graph: Callable[[Any], list[Violation]] | None = None

    def applies(self, resource: Resource) -> bool:
        return not self.applies_to or resource.type.startswith(self.applies_to)


@dataclass(frozen=True)
class Waiver:
    """An explicit, expiring exception recorded in the plan."""

    rule: str
    resource: str  # URN, or a resource name, or "*" for the whole stack
    reason: str
    expires: dt.date
    approved_by: str = ""

    def matches(self, rule_id: str, urn: str) -> bool:
        if self.rule != rule_id:
            return False
        return self.resource in ("*", urn) or urn.endswith(f"::{self.resource}")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    title: str
    severity: Severity
    urn: str
    resource_type: str
    message: str
    remediation: str
    principles: tuple[int, ...]
    stack: str = ""
    waiver: Waiver | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule_id,
            "title": self.title,
            "severity": self.severity.value,
            "stack": self.stack,
            "urn": self.urn,
            "type": self.resource_type,
            "message": self.message,
            "remediation": self.remediation,
            "ncsc_principles": list(self.principles),
            "waived": self.waived,
        }
        if self.waiver is not None:
            out["waiver"] = {
                "reason": self.waiver.reason,
                "expires": self.waiver.expires.isoformat(),
                "approved_by": self.waiver.approved_by,
            }
        return out
