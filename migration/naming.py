"""Deterministic, rule-abiding cloud resource names.

Each cloud and resource kind has its own rules (length, characters, global uniqueness). Names
are built from meaningful parts (force, wave, application, role), cleaned to the kind's
alphabet, and when too long, shortened with a stable hash suffix so two long names never
collapse into one. `check_name` says why a given name is invalid, for plan validation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum


class Case(StrEnum):
    LOWER = "lower"
    ANY = "any"


@dataclass(frozen=True)
class NameRule:
    kind: str
    min_len: int
    max_len: int
    allowed: str  # regex character class body
    case: Case = Case.ANY
    separator: str = "-"
    must_start: str = "a-zA-Z0-9"
    must_end: str = "a-zA-Z0-9"
    globally_unique: bool = False


RULES: dict[str, NameRule] = {
    rule.kind: rule
    for rule in (
        # Azure (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules)
        NameRule("azure-resource-group", 1, 90, r"a-zA-Z0-9._()\-"),
        NameRule("azure-vnet", 2, 64, r"a-zA-Z0-9._\-"),
        NameRule("azure-subnet", 1, 80, r"a-zA-Z0-9._\-"),
        NameRule("azure-nsg", 1, 80, r"a-zA-Z0-9._\-"),
        NameRule("azure-vm-windows", 1, 15, r"a-zA-Z0-9\-", must_start="a-zA-Z0-9"),
        NameRule("azure-vm-linux", 1, 64, r"a-zA-Z0-9.\-"),
        NameRule(
            "azure-storage-account",
            3,
            24,
            r"a-z0-9",
            Case.LOWER,
            separator="",
            globally_unique=True,
        ),
        NameRule(
            "azure-key-vault", 3, 24, r"a-zA-Z0-9\-", must_start="a-zA-Z", globally_unique=True
        ),
        NameRule("azure-web-app", 2, 60, r"a-zA-Z0-9\-", globally_unique=True),
        NameRule("azure-sql-server", 1, 63, r"a-z0-9\-", Case.LOWER, globally_unique=True),
        NameRule("azure-postgres-server", 3, 63, r"a-z0-9\-", Case.LOWER, globally_unique=True),
        NameRule("azure-log-analytics", 4, 63, r"a-zA-Z0-9\-"),
        NameRule("azure-management-group", 1, 90, r"a-zA-Z0-9._()\-"),
        NameRule("azure-recovery-vault", 2, 50, r"a-zA-Z0-9\-", must_start="a-zA-Z"),
        # AWS (service quotas and naming docs)
        NameRule("aws-s3-bucket", 3, 63, r"a-z0-9.\-", Case.LOWER, globally_unique=True),
        NameRule("aws-rds-instance", 1, 63, r"a-z0-9\-", Case.LOWER, must_start="a-z"),
        NameRule("aws-iam-role", 1, 64, r"a-zA-Z0-9+=,.@_\-"),
        NameRule("aws-security-group", 1, 255, r"a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*"),
        NameRule("aws-ecs-cluster", 1, 255, r"a-zA-Z0-9_\-"),
        NameRule("aws-organizations-ou", 1, 128, r"a-zA-Z0-9 ._\-"),
        NameRule("aws-tag-value", 0, 256, r"\w .:/=+\-@"),
        NameRule("aws-name-tag", 1, 255, r"a-zA-Z0-9 ._\-:/()"),
    )
}


def _hash(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def shorten(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, keeping a hash of the whole name when it is cut:
    two long names that share their first `limit` characters stay distinct."""
    if len(name) <= limit:
        return name
    return f"{name[: limit - 6].rstrip('-')}-{_hash(name, 5)}"


def make_name(kind: str, *parts: str, unique_seed: str = "") -> str:
    """A valid name for `kind` built from `parts` (stable for the same inputs).

    Globally unique kinds get a short hash of `unique_seed` (e.g. the force and stack) so two
    forces using forcelift do not collide on the same storage account or bucket name.
    """
    rule = RULES[kind]
    joined = rule.separator.join(p for p in parts if p)
    if rule.case is Case.LOWER:
        joined = joined.lower()
    cleaned = re.sub(rf"[^{rule.allowed}]+", rule.separator or "", joined)
    if rule.separator:
        cleaned = re.sub(rf"{re.escape(rule.separator)}{{2,}}", rule.separator, cleaned)
    cleaned = re.sub(rf"^[^{rule.must_start}]+", "", cleaned)
    suffix = ""
    if rule.globally_unique:
        suffix = _hash(f"{unique_seed}/{joined}", 6)
    budget = rule.max_len - (len(suffix) + (len(rule.separator) if suffix else 0))
    if len(cleaned) > budget:
        if not suffix:  # shortened names keep a hash of the full name so they stay distinct
            suffix = _hash(joined, 5)
            budget = rule.max_len - len(suffix) - len(rule.separator)
        cleaned = cleaned[:budget]
    cleaned = re.sub(rf"[^{rule.must_end}]+$", "", cleaned)
    name = f"{cleaned}{rule.separator}{suffix}" if suffix and cleaned else (cleaned or suffix)
    if not re.match(rf"[{rule.must_start}]", name[:1]):
        name = "x" + name[: rule.max_len - 1]
    name = re.sub(rf"[^{rule.must_end}]+$", "", name)
    if rule.case is Case.LOWER:
        name = name.lower()
    return name.ljust(rule.min_len, "0")


def check_name(kind: str, name: str) -> str | None:
    """Why `name` breaks the rules for `kind`, or None when it is valid."""
    rule = RULES[kind]
    if not rule.min_len <= len(name) <= rule.max_len:
        return f"must be {rule.min_len}-{rule.max_len} characters (is {len(name)})"
    if re.search(rf"[^{rule.allowed}]", name):
        return f"may contain only [{rule.allowed.replace(chr(92), '')}]"
    if rule.case is Case.LOWER and name != name.lower():
        return "must be lower case"
    if name and not re.match(rf"[{rule.must_start}]", name[0]):
        return f"must start with [{rule.must_start}]"
    if name and rule.must_end and not re.match(rf"[{rule.must_end}]", name[-1]):
        return f"must end with [{rule.must_end}]"
    return None
