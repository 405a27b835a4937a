"""Agreement with the architects' labelled set (tests/classify/data/labelled.yaml)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from forcelift.migration.classify.evaluate import evaluate, load_labels
from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.render import evaluation_text

LABELS = Path(__file__).parent / "data" / "labelled.yaml"


def test_labelled_set_is_broad() -> None:
    cases, as_of = load_labels(LABELS)
    assert len(cases) >= 100
    assert as_of is not None
    assert all(c.why and c.inventory is not None for c in cases)
    counts = Counter(c.expected for c in cases)
    assert all(counts[d] >= 10 for d in Decision), counts


def test_agreement_is_at_least_90_percent(accuracy_report: dict[str, Any]) -> None:
    cases, as_of = load_labels(LABELS)
    assert as_of is not None
    report = evaluate(cases, as_of=as_of)
    accuracy_report.update(report.to_dict())
    print(evaluation_text(report))
    assert report.total == len(cases)
    assert report.agreement >= 0.90, evaluation_text(report)
