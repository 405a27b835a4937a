"""Waves in calendar time: a landing-zone build, then one wave per cadence, around freezes.

A board funds dates, not wave numbers. The programme starts on a Monday, builds the landing
zone first, then runs the waves one after another, each `weeks_per_wave` long (build, test,
cutover). A wave's whole window must clear every change freeze: a wave that would touch one
starts on the first Monday after it instead, and says so. See docs/waves.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from pydantic import Field, model_validator

from forcelift.migration.errors import InputError
from forcelift.migration.plan.datafiles import Frozen

MONDAY = 0
#: annual freezes repeat with the weekdays every 28 years: a wave that finds no window in that
#: long after the last one-off freeze never will
_SEARCH_YEARS = 28


class Freeze(Frozen):
    """A change freeze: no wave's window may touch [start, end] (inclusive)."""

    name: str = "change freeze"
    start: dt.date
    end: dt.date
    annual: bool = False  # repeats every year on the same days (e.g. Christmas)

    @model_validator(mode="after")
    def _ordered(self) -> Freeze:
        if self.end < self.start:
            raise ValueError(f"freeze {self.name!r} ends ({self.end}) before it starts")
        return self

    def occurrences(self, first_year: int, last_year: int) -> list[tuple[dt.date, dt.date]]:
        if not self.annual:
            return [(self.start, self.end)]
        span = self.end - self.start
        out = []
        for year in range(first_year - 1, last_year + 1):
            start = _same_day(self.start, year)
            out.append((start, start + span))
        return out


def _same_day(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


class ScheduleOptions(Frozen):
    start: dt.date  # the programme starts (landing-zone build) on or after this date
    landing_zone_weeks: Annotated[int, Field(ge=0, le=104)] = 6
    weeks_per_wave: Annotated[int, Field(ge=1, le=52)] = 4
    freezes: tuple[Freeze, ...] = ()


class ScheduledWave(Frozen):
    number: int
    start: dt.date
    end: dt.date  # cutover done: the wave has landed
    reason: str = ""


class Schedule(Frozen):
    start: dt.date
    landing_zone_start: dt.date
    landing_zone_end: dt.date
    weeks_per_wave: int
    waves: tuple[ScheduledWave, ...]
    freezes: tuple[tuple[str, dt.date, dt.date], ...] = ()  # freezes within the programme

    @property
    def end(self) -> dt.date:
        return self.waves[-1].end if self.waves else self.landing_zone_end


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(MONDAY - day.weekday()) % 7)


def _occurrences(
    freezes: Sequence[Freeze], first_year: int, last_year: int
) -> list[tuple[str, dt.date, dt.date]]:
    return sorted((f.name, a, b) for f in freezes for a, b in f.occurrences(first_year, last_year))


def _clash(
    start: dt.date, end: dt.date, freezes: Sequence[Freeze]
) -> tuple[str, dt.date, dt.date] | None:
    """The earliest freeze occurrence the window [start, end] touches (annual ones expanded
    over the window's own years, however far freezes have pushed it)."""
    for freeze in _occurrences(freezes, start.year - 1, end.year + 1):
        if start <= freeze[2] and freeze[1] <= end:
            return freeze
    return None


def schedule_waves(numbers: Sequence[int], options: ScheduleOptions) -> Schedule:
    """Dates for each wave, in order, none of whose windows touches a freeze."""
    start = next_monday(options.start)
    lz_end = start + dt.timedelta(weeks=options.landing_zone_weeks) - dt.timedelta(days=1)
    length = dt.timedelta(weeks=options.weeks_per_wave)
    freezes = options.freezes
    cursor = lz_end + dt.timedelta(days=1)
    one_off = max((f.end for f in freezes if not f.annual), default=cursor)
    waves = []
    for number in numbers:
        begin = next_monday(cursor)
        give_up = max(begin, one_off) + dt.timedelta(days=366 * _SEARCH_YEARS)
        reasons = []
        while (freeze := _clash(begin, begin + length - dt.timedelta(days=1), freezes)) is not None:
            if begin > give_up:
                raise InputError(
                    f"no {options.weeks_per_wave}-week window between the change freezes "
                    f"for wave {number}",
                    hint="shorten --weeks-per-wave or the freezes (--freeze none drops the "
                    "default Christmas freeze)",
                )
            reasons.append(
                f"starts after the {freeze[0]} ({freeze[1].isoformat()} to {freeze[2].isoformat()})"
            )
            begin = next_monday(freeze[2] + dt.timedelta(days=1))
        end = begin + length - dt.timedelta(days=1)
        waves.append(ScheduledWave(number=number, start=begin, end=end, reason="; ".join(reasons)))
        cursor = end + dt.timedelta(days=1)
    end = waves[-1].end if waves else lz_end
    return Schedule(
        start=start,
        landing_zone_start=start,
        landing_zone_end=lz_end,
        weeks_per_wave=options.weeks_per_wave,
        waves=tuple(waves),
        freezes=tuple(
            f for f in _occurrences(freezes, start.year, end.year) if f[1] <= end and f[2] >= start
        ),
    )


def month_index(start: dt.date, day: dt.date) -> int:
    """1 for the programme's first calendar month, 2 for the next, and so on."""
    return (day.year - start.year) * 12 + day.month - start.month + 1


def parse_freeze(text: str) -> Freeze:
    """'2027-08-28..2027-08-31[:name]' (CLI form); raises ValueError with what is wrong."""
    span, _, name = text.partition(":")
    first, sep, last = span.partition("..")
    if not sep:
        raise ValueError(f"freeze {text!r}: write START..END[:NAME], e.g. 2027-08-28..2027-08-31")
    try:
        start, end = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
    except ValueError:
        raise ValueError(f"freeze {text!r}: dates must be YYYY-MM-DD") from None
    if end < start:
        raise ValueError(f"freeze {text!r}: ends before it starts")
    return Freeze(name=name.strip() or "change freeze", start=start, end=end)
