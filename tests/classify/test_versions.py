"""Version ranges: parsing, containment, and errors that say what is wrong."""

from __future__ import annotations

import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.classify.versions import VersionRange, parse_version

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
        "==": operator.eq, "!=": operator.ne}  # fmt: skip
versions = st.tuples(st.integers(0, 3000), st.integers(0, 99))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2008 R2", (2008,)), ("15.0.4153.1", (15, 0, 4153, 1)), ("8u401", (8,)), ("", None),
     ("CU23", (23,)), ("n/a", None)],
)  # fmt: skip
def test_leading_number_is_the_version(text: str, expected: tuple[int, ...] | None) -> None:
    assert parse_version(text) == expected


def test_alternatives_cover_both_version_schemes() -> None:
    sql = VersionRange.parse(">=2008,<3000 || >=10,<100")
    assert sql.contains("2019") and sql.contains("15.0.2000") and sql.contains("")
    assert not sql.contains("2005") and not sql.contains("9.00.5000")


@pytest.mark.parametrize("bad", [">=2012,banana", "=>2012", ">= ", "2012", ">=2012,,<2020"])
def test_malformed_ranges_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="malformed version range"):
        VersionRange.parse(bad)


@settings(max_examples=50, deadline=None)
@given(
    clauses=st.lists(st.tuples(st.sampled_from(sorted(_OPS)), versions), min_size=1, max_size=3),
    probe=versions,
)
def test_containment_agrees_with_comparisons(
    clauses: list[tuple[str, tuple[int, int]]], probe: tuple[int, int]
) -> None:
    text = ",".join(f"{op}{a}.{b}" for op, (a, b) in clauses)
    expected = all(_OPS[op](probe, bound) for op, bound in clauses)
    assert VersionRange.parse(text).contains(f"{probe[0]}.{probe[1]}") is expected
