"""Architects' overrides: applied, marked, conflicts with hard blockers reported, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forcelift.migration.classify.engine import classify
from forcelift.migration.classify.model import Confidence, Decision
from forcelift.migration.classify.overrides import load_overrides
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.load import load_inventory

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def estate():  # type: ignore[no-untyped-def]
    return load_inventory([DATA / "small-estate.yaml"], as_of=AS_OF).inventory


def test_overrides_win_and_are_marked(estate) -> None:  # type: ignore[no-untyped-def]
    names = [a.name for a in estate.applications]
    pinned = load_overrides(DATA / "overrides.yaml", names)
    result = classify(estate, as_of=AS_OF, overrides=pinned).by_application()
    rms = result["niche rms"]
    assert rms.decision is Decision.IAAS
    assert rms.override is not None and rms.override.by == "J. Patel, lead architect"
    assert rms.override.rules_decision is Decision.IAAS
    assert rms.targets.azure == "Azure VMs (Niche-certified sizes)"
    assert rms.reasons[0].startswith("override by J. Patel")
    assert not rms.conflicts
    untouched = result["email"]
    assert untouched.override is None and untouched.decision is Decision.SAAS


def test_override_against_a_hard_blocker_is_applied_but_reported(estate) -> None:  # type: ignore[no-untyped-def]
    pinned = load_overrides(DATA / "overrides.yaml", [a.name for a in estate.applications])
    cctv = classify(estate, as_of=AS_OF, overrides=pinned).by_application()["custody cctv"]
    assert cctv.decision is Decision.IAAS
    assert cctv.override is not None and cctv.override.rules_decision is Decision.RETAIN
    assert any("contradicts BLOCK-003" in c for c in cctv.conflicts)
    assert cctv.confidence is not Confidence.HIGH
    assert any(r.startswith("the rules said RETAIN") for r in cctv.reasons)


def test_override_feeds_the_second_pass(estate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "o.yaml"
    path.write_text(
        "- {application: Warrant DB, decision: PAAS, reason: refactored onto PostgreSQL, "
        "by: A. Architect, date: 2026-05-01}\n"
    )
    pinned = load_overrides(path, [a.name for a in estate.applications])
    result = classify(estate, as_of=AS_OF, overrides=pinned).by_application()
    checker = result["warrant checker"]
    assert not any("stays on-premise" in b for b in checker.blockers)
    assert any("contradicts BLOCK-001" in c for c in result["warrant db"].conflicts)


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("overrides-unknown-application.yaml", 7, "application", "unknown application"),
        ("overrides-decision.yaml", 3, "decision", "Input should be 'SAAS'"),
        ("overrides-duplicate.yaml", 7, "application", "duplicate override for 'email'"),
    ],
)
def test_bad_overrides_name_file_line_and_field(
    estate,
    name: str,
    line: int,
    field: str,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    path = DATA / "bad" / name
    with pytest.raises(InputError) as caught:
        load_overrides(path, [a.name for a in estate.applications])
    problem = caught.value.problems[0]
    assert problem.location.file == str(path)
    assert problem.location.row == line
    assert problem.location.column == field
    assert words in problem.message


def test_missing_fields_and_wrong_shapes(tmp_path: Path) -> None:
    path = tmp_path / "o.yaml"
    path.write_text("overrides:\n  - {application: Email, decision: SAAS}\n")
    with pytest.raises(InputError) as caught:
        load_overrides(path, ["Email"])
    fields = {p.location.column for p in caught.value.problems}
    assert {"reason", "by", "date"} <= fields
    path.write_text("overrides: 3\n")
    with pytest.raises(InputError, match="list of overrides"):
        load_overrides(path, ["Email"])
