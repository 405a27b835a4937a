"""Version ranges for catalogue entries: `>=2012,<2022 || >=11,<16`, or `*` for any.

Products report versions in their own schemes (SQL Server as `2019` or as build `15.0.4153.1`),
so a range is a list of alternatives joined by `||`, each a comma-separated list of comparisons.
Only the leading dotted number of a version is compared: `2008 R2` is 2008, `12.2.0.1` is 12.2.0.1.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

Version = tuple[int, ...]

_OPS: dict[str, Callable[[Version, Version], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_CLAUSE = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)*)\s*$")
_LEADING = re.compile(r"(\d+(?:\.\d+)*)")


def parse_version(text: str) -> Version | None:
    """The leading dotted number in a version string, or None when there is none."""
    match = _LEADING.search(text or "")
    if not match:
        return None
    return tuple(int(part) for part in match.group(1).split("."))


def _pad(a: Version, b: Version) -> tuple[Version, Version]:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


@dataclass(frozen=True, slots=True)
class VersionRange:
    """A parsed range; `alternatives` empty means any version."""

    text: str
    alternatives: tuple[tuple[tuple[str, Version], ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        """Parse a range; raise ValueError naming the bad part."""
        raw = (text or "").strip()
        if raw in ("", "*"):
            return cls("*")
        alternatives = []
        for alternative in raw.split("||"):
            clauses = []
            for clause in alternative.split(","):
                match = _CLAUSE.match(clause)
                if not match:
                    raise ValueError(
                        f"malformed version range {text!r}: {clause.strip()!r} is not "
                        "OPERATOR VERSION (operators >=, <=, >, <, ==, !=; e.g. '>=2012,<2022')"
                    )
                clauses.append((match.group(1), parse_version(match.group(2)) or ()))
            alternatives.append(tuple(clauses))
        return cls(raw, tuple(alternatives))

    def contains(self, version: str) -> bool:
        """True when the version is in range; an unknown version is never ruled out."""
        if not self.alternatives:
            return True
        parsed = parse_version(version)
        if parsed is None:
            return True
        for clauses in self.alternatives:
            if all(_OPS[op](*_pad(parsed, bound)) for op, bound in clauses):
                return True
        return False

    def __str__(self) -> str:
        return self.text
