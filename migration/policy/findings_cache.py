"""Guardrail results per preview file, kept beside the previews so a re-run checks only what
changed.

A preview file's findings (before waivers) and the report's digest of it are a function of
the file's bytes, the plan's sharing facts and the guardrails themselves, so those are the key:
sha256 of the file, of the facts' canonical JSON and of the policy package's source (a changed
rule is a changed key, even in an editable install whose version does not move). Waivers are
applied after, on every run, because they depend on the day. At 100,000 servers a re-run after
one override re-reads one preview instead of 247 (16-20 s of guardrails, docs/migrate.md).

The cache is only an optimisation: an unreadable or foreign entry is a miss, a failed write
is ignored, and `preview/.guardrails-cache/` may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from forcelift.migration.policy.model import Finding, Severity

CACHE_DIR = ".guardrails-cache"


@dataclass(frozen=True)
class CheckedStack:
    """One stack of a preview file, checked: the report's digest and the unwaived findings."""

    name: str
    digest: Mapping[str, Any]
    findings: tuple[Finding, ...]


@lru_cache(maxsize=1)
def rules_digest() -> str:
    """sha256 over the policy package's source files (the rules, their facts and checks)."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def facts_digest(facts: Mapping[str, Any] | None) -> str:
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class FindingsCache:
    """Checked stacks by preview file, under DIR/preview/.guardrails-cache/<file>."""

    def __init__(self, preview_dir: Path, facts: Mapping[str, Any] | None) -> None:
        self.folder = preview_dir / CACHE_DIR
        self.context = f"{rules_digest()}/{facts_digest(facts)}"

    def key(self, raw: bytes) -> str:
        return hashlib.sha256(self.context.encode() + b"\0" + raw).hexdigest()

    def get(self, file: Path, raw: bytes) -> list[CheckedStack] | None:
        try:
            data = json.loads((self.folder / file.name).read_text(encoding="utf-8"))
            if data.get("key") != self.key(raw):
                return None
            return [
                CheckedStack(s["name"], s["digest"], tuple(_finding(f) for f in s["findings"]))
                for s in data["stacks"]
            ]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, file: Path, raw: bytes, stacks: Sequence[CheckedStack]) -> None:
        from forcelift.migration.inventory.writer import write_atomic

        record = {
            "key": self.key(raw),
            "stacks": [
                {"name": s.name, "digest": s.digest, "findings": [_record(f) for f in s.findings]}
                for s in stacks
            ],
        }
        text = json.dumps(record, sort_keys=True, separators=(",", ":"))
        try:
            self.folder.mkdir(exist_ok=True)
            write_atomic(self.folder / file.name, text.encode(), force=True)
        except OSError:
            pass  # a read-only project still gets its findings, just not faster next time


def _record(finding: Finding) -> dict[str, Any]:
    assert finding.waiver is None, "the cache holds findings before waivers"
    return {
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "urn": finding.urn,
        "resource_type": finding.resource_type,
        "message": finding.message,
        "remediation": finding.remediation,
        "principles": list(finding.principles),
        "stack": finding.stack,
    }


def _finding(record: Mapping[str, Any]) -> Finding:
    return Finding(
        rule_id=str(record["rule_id"]),
        title=str(record["title"]),
        severity=Severity(record["severity"]),
        urn=str(record["urn"]),
        resource_type=str(record["resource_type"]),
        message=str(record["message"]),
        remediation=str(record["remediation"]),
        principles=tuple(int(p) for p in record["principles"]),
        stack=str(record["stack"]),
    )
