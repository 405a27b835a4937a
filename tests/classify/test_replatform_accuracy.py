"""Agreement with the replatform labelled set (issue 11 §2), written before the rules were tuned.

Cases carry `also_accept` for decisions an architect would also sign off: the bar (95 %) is on
accepting agreement; strict agreement is printed beside it so a regression to second-best
answers is visible.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from forcelift.migration.classify.evaluate import evaluate, load_labels
from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.render import evaluation_text

LABELS = Path(__file__).parent / "data" / "replatform-labelled.yaml"


def test_replatform_set_covers_every_decision_and_carries_alternatives() -> None:
    cases, as_of = load_labels(LABELS)
    assert len(cases) >= 60 and as_of is not None
    counts = Counter(c.expected for c in cases)
    assert all(counts[d] >= 5 for d in Decision), counts
    assert sum(bool(c.also_accept) for c in cases) >= 10
    assert all(c.expected not in c.also_accept for c in cases)


def test_replatform_agreement_is_at_least_95_percent_accepting_alternatives() -> None:
    cases, as_of = load_labels(LABELS)
    assert as_of is not None
    report = evaluate(cases, as_of=as_of)
    print(evaluation_text(report))
    assert report.total == len(cases)
    assert report.accepted >= report.agreed
    assert report.accepting_agreement >= 0.95, evaluation_text(report)
    assert not [d for d in report.rejected if d.case.expected is Decision.IAAS], (
        "a workload that needs a VM was replatformed"
    )
