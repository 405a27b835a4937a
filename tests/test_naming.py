"""Generated cloud names always satisfy the kind's rules and stay distinct."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.naming import RULES, check_name, make_name

parts = st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(RULES)), parts, st.text(max_size=10))
def test_made_names_are_valid(kind: str, name_parts: list[str], seed: str) -> None:
    name = make_name(kind, *name_parts, unique_seed=seed)
    assert check_name(kind, name) is None, (kind, name)
    assert make_name(kind, *name_parts, unique_seed=seed) == name


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet="abcdefghij", min_size=30, max_size=40),
    st.text(alphabet="abcdefghij", min_size=30, max_size=40),
)
def test_long_names_that_differ_stay_distinct(a: str, b: str) -> None:
    if a != b:
        assert make_name("azure-storage-account", a) != make_name("azure-storage-account", b)
        assert make_name("azure-vm-windows", a) != make_name("azure-vm-windows", b)


def test_check_name_explains() -> None:
    assert check_name("azure-storage-account", "Has-Caps") is not None
    assert "characters" in (check_name("azure-vm-windows", "x" * 16) or "")
    assert check_name("aws-s3-bucket", "exampleshire-state") is None


@given(st.text(alphabet="abcdefghij-", min_size=1, max_size=60), st.integers(8, 40))
def test_shorten_fits_and_keeps_short_names(name: str, limit: int) -> None:
    from forcelift.migration.naming import shorten

    short = shorten(name, limit)
    assert len(short) <= limit
    assert short == name if len(name) <= limit else short != name


def test_shortened_names_with_one_prefix_stay_distinct() -> None:
    """The 20k benchmark's clash: many 'Single Online Home Connect …' apps in one stack."""
    from forcelift.migration.naming import shorten

    names = [f"single-online-home-connect-{n:03d}" for n in range(200)]
    assert len({shorten(n, 24) for n in names}) == 200
