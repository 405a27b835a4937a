"""Waves in calendar time: cadence, Mondays, and change freezes no wave touches."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.plan.schedule import (
    Freeze,
    ScheduleOptions,
    month_index,
    parse_freeze,
    schedule_waves,
)

DAY = dt.timedelta(days=1)


def test_a_wave_that_would_touch_a_freeze_starts_after_it() -> None:
    freeze = Freeze(name="Carnival", start=dt.date(2027, 2, 20), end=dt.date(2027, 2, 24))
    plan = schedule_waves(
        [1, 2],
        ScheduleOptions(start=dt.date(2027, 1, 1), landing_zone_weeks=2, freezes=(freeze,)),
    )
    first, second = plan.waves
    assert first.start == dt.date(2027, 1, 18)  # Monday after two weeks from Monday 4 Jan
    assert first.end == dt.date(2027, 2, 14)
    assert second.start == dt.date(2027, 3, 1)  # 15 Feb would run into the freeze
    assert "Carnival" in second.reason and not first.reason
    assert plan.freezes == (("Carnival", freeze.start, freeze.end),)


def test_annual_freezes_repeat_every_year() -> None:
    xmas = Freeze(start=dt.date(2020, 12, 14), end=dt.date(2021, 1, 4), annual=True)
    plan = schedule_waves(
        list(range(1, 30)), ScheduleOptions(start=dt.date(2027, 1, 1), weeks_per_wave=2)
    )
    with_freeze = schedule_waves(
        list(range(1, 30)),
        ScheduleOptions(start=dt.date(2027, 1, 1), weeks_per_wave=2, freezes=(xmas,)),
    )
    assert with_freeze.end > plan.end
    for wave in with_freeze.waves:
        for year in (2027, 2028):
            assert not (wave.start <= dt.date(year + 1, 1, 4) and dt.date(year, 12, 14) <= wave.end)


def test_a_wave_longer_than_any_gap_between_annual_freezes_is_an_input_error() -> None:
    # 52-week waves always touch a yearly three-week freeze: no date exists, so the plan must
    # say so instead of searching the calendar until the year 9999
    christmas = Freeze(start=dt.date(2026, 12, 14), end=dt.date(2027, 1, 4), annual=True)
    options = ScheduleOptions(start=dt.date(2026, 3, 1), weeks_per_wave=52, freezes=(christmas,))
    with pytest.raises(InputError, match="no 52-week window"):
        schedule_waves([1], options)
    # a long one-off freeze is waited out, not mistaken for a calendar with no room
    long = Freeze(start=dt.date(2026, 3, 1), end=dt.date(2030, 6, 30))
    plan = schedule_waves([1], options.model_copy(update={"weeks_per_wave": 4, "freezes": (long,)}))
    assert plan.waves[0].start == dt.date(2030, 7, 1)


def test_parse_freeze_and_month_index() -> None:
    f = parse_freeze("2027-08-28..2027-08-31:Bank holiday events")
    assert (f.start, f.end, f.name) == (
        dt.date(2027, 8, 28),
        dt.date(2027, 8, 31),
        "Bank holiday events",
    )
    assert month_index(dt.date(2026, 11, 30), dt.date(2027, 1, 1)) == 3


freezes = st.lists(
    st.builds(
        lambda start, days, annual: Freeze(start=start, end=start + days * DAY, annual=annual),
        st.dates(dt.date(2026, 1, 1), dt.date(2029, 12, 31)),
        st.integers(0, 40),
        st.booleans(),
    ),
    max_size=4,
)


@settings(max_examples=120, deadline=None)
@given(
    count=st.integers(0, 25),
    start=st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
    weeks=st.integers(1, 8),
    lz=st.integers(0, 12),
    frozen=freezes,
)
def test_schedule_properties(
    count: int, start: dt.date, weeks: int, lz: int, frozen: list[Freeze]
) -> None:
    plan = schedule_waves(
        list(range(1, count + 1)),
        ScheduleOptions(
            start=start, landing_zone_weeks=lz, weeks_per_wave=weeks, freezes=tuple(frozen)
        ),
    )
    assert [w.number for w in plan.waves] == list(range(1, count + 1))
    previous_end = plan.landing_zone_end
    for wave in plan.waves:
        assert wave.start.weekday() == 0 and wave.start > previous_end
        assert wave.end - wave.start == dt.timedelta(weeks=weeks) - DAY
        previous_end = wave.end
        for f in frozen:
            for a, b in f.occurrences(wave.start.year - 1, wave.end.year + 1):
                assert not (wave.start <= b and a <= wave.end), (wave, f)
