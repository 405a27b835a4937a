"""The applications table as data: what the page renders, page by page, at 100k applications.

A 100,000-row table written out as HTML is ~23 MB that the browser must parse, style and lay
out before anything shows (~30 s). Up to `INLINE_ROWS` rows the report writes every row as
HTML, as it always has (readable without JavaScript; the sample's report is unchanged). Above
it, the page carries the first `PAGE_ROWS` rows as HTML and every row once in a compact JSON
block (strings interned, each row an array), and report.js renders one page at a time with
client-side sort and filter. decisions.csv and decisions.xlsx always hold every row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcelift.migration.report.context import AppRow

INLINE_ROWS = 500  # up to this many applications every row is HTML (the sample: ~70)
PAGE_ROWS = 100  # rows on a page of the scripted table
LIST_ROWS = 200  # other per-application or per-server lists show this many, then "N more"
MATRIX_STACKS = 16  # a resources-by-type matrix wider than this shows totals only

# Positions in a JSON row; report.js reads the same order (APP_FIELDS there).
FIELDS = (
    "name",
    "decision",
    "strategy",
    "confidence",
    "confidence_rank",
    "wave",
    "criticality",
    "owner",
    "servers",
    "targets",
    "reasons",
    "blockers",
    "conflicts",
    "override",
)


@dataclass(frozen=True)
class AppsTable:
    """How the applications section is written: every row, or a first page plus the data."""

    total: int
    inline: bool  # every row is HTML; no data block
    first: tuple[AppRow, ...]  # the rows written as HTML
    data: str  # the JSON block's text ("" when inline), safe inside <script>

    @property
    def more(self) -> int:
        return self.total - len(self.first)


class _Strings:
    """Interns repeated strings (reasons, owners, targets recur across thousands of rows)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def many(self, texts: Sequence[str]) -> list[int]:
        return [self(t) for t in texts]


def _script_safe(text: str) -> str:
    """JSON that cannot end its <script> element early nor open a comment inside it."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def apps_json(apps: Sequence[AppRow], decision_rank: Mapping[str, int]) -> str:
    """Every application as one compact JSON document (see FIELDS), deterministic."""
    s = _Strings()
    rows: list[list[Any]] = []
    decisions: dict[str, tuple[str, int]] = {}
    clouds: list[str] = []
    for a in apps:
        decisions.setdefault(a.decision, (a.label, decision_rank.get(a.decision, 99)))
        if not clouds:
            clouds = [cloud for cloud, _ in a.targets]
        rows.append(
            [
                a.name,
                a.decision,
                s(a.strategy),
                s(a.confidence),
                a.confidence_rank,
                a.wave,
                s(a.criticality),
                s(a.owner),
                a.servers,
                s.many([t for _, t in a.targets]),
                s.many(a.reasons),
                s.many(a.blockers),
                s.many(a.conflicts),
                s(a.override),
            ]
        )
    document = {
        "fields": FIELDS,
        "page": PAGE_ROWS,
        "clouds": clouds,
        "decisions": {code: [label, rank] for code, (label, rank) in decisions.items()},
        "strings": list(s.index),
        "rows": rows,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return _script_safe(text)


def apps_table(apps: Sequence[AppRow], decision_rank: Mapping[str, int]) -> AppsTable:
    if len(apps) <= INLINE_ROWS:
        return AppsTable(len(apps), True, tuple(apps), "")
    return AppsTable(len(apps), False, tuple(apps[:PAGE_ROWS]), apps_json(apps, decision_rank))
