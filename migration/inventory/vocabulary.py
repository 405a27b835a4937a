"""The words an inventory is written in: OS families, power states, criticality, security
classifications and the national services a force depends on.

Kept apart from the model so the cell parsers (normalise.py) and the model's validators can
both use them without importing each other.
"""

from __future__ import annotations

from enum import StrEnum


class OsFamily(StrEnum):
    WINDOWS = "windows"
    LINUX = "linux"
    UNIX = "unix"  # AIX, Solaris, HP-UX: neither cloud runs them as VMs
    MAINFRAME = "mainframe"
    APPLIANCE = "appliance"
    OTHER = "other"
    UNKNOWN = "unknown"


class PowerState(StrEnum):
    ON = "on"
    OFF = "off"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


class Criticality(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class SecurityClassification(StrEnum):
    """Government Security Classifications within scope (SECRET and above are rejected)."""

    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


class DependencyKind(StrEnum):
    APPLICATION = "application"
    EXTERNAL = "external"


class ExternalService(StrEnum):
    """National and partner services a force depends on but never migrates."""

    PNC = "PNC"
    PND = "PND"
    LEDS = "LEDS"
    PSN = "PSN"
    NEP = "NEP"
    M365 = "M365"
    CJSM = "CJSM"
    PARTNER = "PARTNER"
    INTERNET = "INTERNET"
    OTHER = "OTHER"


#: The readiness words an assessment is normalised to (`Assessment.readiness`, by the model, so
#: every reader and the classifier agree); wording none of them matches is kept as written.
READY = "Ready"
READY_WITH_CONDITIONS = "Ready with conditions"
NOT_READY = "Not ready"
READINESS_UNKNOWN = "Unknown"
