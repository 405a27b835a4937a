"""What the report's cost and wave-timeline sections show, read off the plan once.

The business case, price sources, VAT statement and wave calendar live in the plan; this
module turns them into rows the template prints and numbers the charts draw. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forcelift.migration.plan.business_case import BusinessCase
from forcelift.migration.plan.planfile import Plan, PriceSource
from forcelift.migration.report.style import cloud_label


@dataclass(frozen=True)
class CaseView:
    cloud: str
    label: str
    case: BusinessCase
    break_even: str  # "month 14 (January 2028)" / "not within 5 years"
    price_snapshot: str
    price_sources: tuple[PriceSource, ...]


@dataclass(frozen=True)
class Money:
    currency: str
    conversion: str
    vat_note: str
    onprem_source: str
    cases: tuple[CaseView, ...]
    vat_rate: float = 0.2


@dataclass(frozen=True)
class TimelineWave:
    number: int
    kind: str
    start: dt.date
    end: dt.date
    applications: int
    servers: int
    reason: str  # why the dates moved (a freeze), or ""
    members: tuple[tuple[str, str], ...] = ()  # (application, why it is in this wave)


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    landing_zone: tuple[dt.date, dt.date]
    end: dt.date
    weeks_per_wave: int
    waves: tuple[TimelineWave, ...]
    freezes: tuple[tuple[str, dt.date, dt.date], ...]


def month_text(day: dt.date) -> str:
    return day.strftime("%B %Y")


def break_even_text(case: BusinessCase) -> str:
    if case.break_even_month is None or case.break_even_date is None:
        return f"not within {case.months // 12} years"
    return f"month {case.break_even_month} ({month_text(case.break_even_date)})"


def money_view(plan: Plan) -> Money | None:
    pricing = plan.pricing
    cases = tuple(
        CaseView(
            cloud=c.cloud,
            label=cloud_label(c.cloud),
            case=c.business_case,
            break_even=break_even_text(c.business_case),
            price_snapshot=c.price_snapshot,
            price_sources=c.price_sources,
        )
        for c in plan.clouds
        if c.business_case is not None
    )
    if pricing is None or not cases:
        return None
    return Money(
        currency=pricing.currency,
        conversion=pricing.conversion,
        vat_note=pricing.vat_note,
        onprem_source=pricing.onprem_source,
        cases=cases,
        vat_rate=pricing.vat_rate,
    )


def timeline_view(plan: Plan) -> Timeline | None:
    schedule = plan.schedule
    if schedule is None:
        return None
    entries = {w.number: w for w in plan.waves}
    why = {w.application: w.wave_reason for w in plan.workloads}
    waves = tuple(
        TimelineWave(
            number=w.number,
            kind=entries[w.number].kind if w.number in entries else "",
            start=w.start,
            end=w.end,
            applications=len(entries[w.number].applications) if w.number in entries else 0,
            servers=entries[w.number].server_count if w.number in entries else 0,
            reason=w.reason,
            members=tuple(
                (a, why.get(a, ""))
                for a in (entries[w.number].applications if w.number in entries else ())
            ),
        )
        for w in schedule.waves
    )
    return Timeline(
        start=schedule.start,
        landing_zone=(schedule.landing_zone_start, schedule.landing_zone_end),
        end=schedule.end,
        weeks_per_wave=schedule.weeks_per_wave,
        waves=waves,
        freezes=schedule.freezes,
    )
