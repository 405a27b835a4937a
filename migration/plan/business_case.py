"""The like-for-like business case: the whole estate today against the whole estate after.

Comparing the cloud bill for what moves with the on-premise bill for everything flatters
neither side honestly. Here both sides cover the whole estate, month by month from the
programme start: the baseline keeps everything on premise; the future keeps retained
applications on premise, switches retired ones off, runs moved ones in the cloud from their
wave's start (their servers stay on premise for the dual-running months after cutover), pays
for the landing zone, and pays the one-off migration effort in the months it is spent.
Assumptions are data (data/business-case.yaml, `--assumptions FILE`) and each carries its
source; the three that move the five-year answer most get a sensitivity line. See
docs/cost-and-carbon.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forcelift.migration.plan.business_assumptions import (
    MONEY,
    AssumptionFile,
    Assumptions,
    Basis,
    BasisChoice,
    Number,
    Table,
    default_assumptions,
    load_assumptions,
)
from forcelift.migration.plan.datafiles import Frozen
from forcelift.migration.plan.schedule import Schedule, month_index

HORIZON_YEARS = (1, 3, 5)
SENSITIVITY = 0.2  # ±20 %

__all__ = [
    "MONEY",
    "AssumptionFile",
    "Assumptions",
    "Basis",
    "BasisChoice",
    "BusinessCase",
    "CaseInput",
    "Number",
    "Table",
    "WaveInput",
    "application_days",
    "business_case",
    "case_input",
    "default_assumptions",
    "load_assumptions",
]


# --- the plan-file result ------------------------------------------------------------------


class YearFlow(Frozen):
    year: int
    baseline: float  # the whole estate on premise
    onprem: float  # future: what is still on premise (retained, dual running, not yet moved)
    cloud: float  # future: cloud run cost, landing zone and SaaS subscriptions
    one_off: float  # future: migration effort and landing-zone build
    future: float
    saving: float  # baseline - future (negative: the future costs more)
    cumulative_saving: float


class Horizon(Frozen):
    years: int
    baseline: float
    future: float
    saving: float


class SensitivityLine(Frozen):
    assumption: str
    label: str
    low: str  # the assumption at -20 %, as text with its unit
    high: str
    saving_low: float  # five-year saving with the assumption at -20 %
    saving_high: float
    break_even_low: int | None
    break_even_high: int | None


class AssumptionLine(Frozen):
    name: str
    value: str
    unit: str
    source: str


class BusinessCase(Frozen):
    currency: str
    basis: str  # cloud price basis
    start: dt.date  # first day of programme month 1
    months: int
    years: tuple[YearFlow, ...]
    horizons: tuple[Horizon, ...]
    baseline_monthly: float  # today's whole estate a month
    future_monthly: float  # run rate once every wave has landed and dual running is over
    steady_month: int  # the first month at that run rate
    break_even_month: int | None  # first month from which the cumulative saving stays >= 0
    break_even_date: dt.date | None
    one_off_total: float
    cumulative_baseline: tuple[float, ...]  # per month, for the chart
    cumulative_future: tuple[float, ...]
    sensitivity: tuple[SensitivityLine, ...]
    assumptions: tuple[AssumptionLine, ...]
    assumptions_source: str
    notes: tuple[str, ...] = ()


# --- inputs and the monthly model -----------------------------------------------------------


@dataclass(frozen=True)
class WaveInput:
    number: int
    start: dt.date
    end: dt.date
    onprem_monthly: float  # today's cost of the servers its applications own
    cloud_monthly: float  # at the chosen basis
    effort_days: float
    saas_applications: int


@dataclass(frozen=True)
class CaseInput:
    currency: str
    schedule: Schedule
    baseline_monthly: float
    retire_monthly: float
    retire_days: float
    waves: tuple[WaveInput, ...]
    money_factor: float  # assumption currency -> plan currency
    assumptions: AssumptionFile
    notes: tuple[str, ...] = field(default=())


def application_days(decision: str, effort: str, servers: int, assumptions: Assumptions) -> float:
    """Person-days to move (or retire) one application."""
    base = assumptions.effort_days.values.get(decision, 0.0)
    size = assumptions.effort_size.values.get(effort, 1.0)
    return base * size + assumptions.effort_per_server.values.get(decision, 0.0) * servers


_KNOBS = {
    "cloud": ("cloud run cost", "cloud_monthly"),
    "onprem": ("on-premise run cost", "onprem"),
    "day_rate": ("day rate", "day_rate"),
    "effort": ("migration effort (person-days)", "effort_days"),
    "dual_running_months": ("dual-running months", "dual_running_months"),
    "landing_zone_monthly": ("landing zone run cost", "landing_zone_monthly"),
    "saas_monthly_per_application": ("SaaS subscriptions", "saas_monthly_per_application"),
}


def _flows(case: CaseInput, knobs: Mapping[str, float]) -> list[tuple[float, float, float, float]]:
    """(baseline, on premise, cloud, one-off) for each month of the horizon."""
    a = case.assumptions.assumptions
    months = 12 * max(HORIZON_YEARS)
    k = {name: knobs.get(name, 1.0) for name in _KNOBS}
    start = case.schedule.start
    rate = a.day_rate.value * case.money_factor * k["day_rate"]
    dual = a.dual_running_months.value * k["dual_running_months"]
    dual_full, dual_part = int(dual), dual - int(dual)  # a part month is charged pro rata
    retire = max(1, round(a.retire_month.value))
    lz_run = a.landing_zone_monthly.value * case.money_factor * k["landing_zone_monthly"]
    saas = a.saas_monthly_per_application.value * case.money_factor
    saas *= k["saas_monthly_per_application"]
    onprem_k = k["onprem"]
    baseline = case.baseline_monthly * onprem_k
    moving = sum(w.onprem_monthly for w in case.waves)
    retained = (case.baseline_monthly - moving - case.retire_monthly) * onprem_k
    onprem = [retained] * months
    cloud = [lz_run] * months
    one_off = [0.0] * months

    def add(series: list[float], first: int, last: int, amount: float) -> None:
        for m in range(max(first, 1), min(last, months) + 1):
            series[m - 1] += amount

    lz_first = 1
    lz_last = max(month_index(start, case.schedule.landing_zone_end), 1)
    lz_days = a.landing_zone_build_days.value * k["effort"]
    add(one_off, lz_first, lz_last, lz_days * rate / (lz_last - lz_first + 1))
    add(onprem, 1, retire, case.retire_monthly * onprem_k)
    add(one_off, retire, retire, case.retire_days * k["effort"] * rate)
    for w in case.waves:
        first, landed = month_index(start, w.start), month_index(start, w.end)
        add(onprem, 1, landed + dual_full, w.onprem_monthly * onprem_k)
        add(
            onprem,
            landed + dual_full + 1,
            landed + dual_full + 1,
            w.onprem_monthly * onprem_k * dual_part,
        )
        add(cloud, first, months, w.cloud_monthly * k["cloud"])
        add(cloud, landed, months, saas * w.saas_applications)
        spread = w.effort_days * k["effort"] * rate / (landed - first + 1)
        add(one_off, first, landed, spread)
    return [(baseline, onprem[i], cloud[i], one_off[i]) for i in range(months)]


def _break_even(flows: Sequence[tuple[float, float, float, float]]) -> int | None:
    """The first month from which the cumulative saving never drops below zero again."""
    total = 0.0
    last_negative = 0
    for m, (base, onprem, cloud, one_off) in enumerate(flows, start=1):
        total += base - onprem - cloud - one_off
        if total < -0.005:
            last_negative = m
    if last_negative == len(flows):
        return None
    return last_negative + 1


def _saving(flows: Sequence[tuple[float, float, float, float]], months: int) -> float:
    return math.fsum(b - o - c - x for b, o, c, x in flows[:months])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def _value_text(name: str, value: float, currency: str, unit: str) -> str:
    if name in MONEY or name == "onprem" or name == "cloud":
        return f"{currency} {value:,.0f}"
    if name == "dual_running_months":
        return f"{value:.1f} months"
    return f"{value:,.0f} {unit}".strip()


def _sensitivity(case: CaseInput, base_saving: float) -> tuple[SensitivityLine, ...]:
    a = case.assumptions.assumptions
    months = 12 * max(HORIZON_YEARS)
    results = []
    for name, (label, _field) in _KNOBS.items():
        low = _flows(case, {name: 1 - SENSITIVITY})
        high = _flows(case, {name: 1 + SENSITIVITY})
        saving_low, saving_high = _saving(low, months), _saving(high, months)
        swing = abs(saving_high - saving_low)
        if swing < 0.5:
            continue
        if name in ("cloud", "onprem"):
            basis = (
                sum(w.cloud_monthly for w in case.waves)
                if name == "cloud"
                else case.baseline_monthly
            )
            unit = "a month"
            value_low, value_high = basis * (1 - SENSITIVITY), basis * (1 + SENSITIVITY)
            texts = (
                f"{case.currency} {value_low:,.0f} {unit}",
                f"{case.currency} {value_high:,.0f} {unit}",
            )
        elif name == "effort":
            texts = ("-20 % person-days", "+20 % person-days")
        else:
            item = getattr(a, name)
            factor = case.money_factor if name in MONEY else 1.0
            texts = (
                _value_text(name, item.value * factor * (1 - SENSITIVITY), case.currency, ""),
                _value_text(name, item.value * factor * (1 + SENSITIVITY), case.currency, ""),
            )
        results.append(
            (
                -swing,
                name,
                SensitivityLine(
                    assumption=name,
                    label=label,
                    low=texts[0],
                    high=texts[1],
                    saving_low=round(saving_low, 2),
                    saving_high=round(saving_high, 2),
                    break_even_low=_break_even(low),
                    break_even_high=_break_even(high),
                ),
            )
        )
    results.sort(key=lambda r: (r[0], r[1]))
    return tuple(r[2] for r in results[:3])


def _assumption_lines(
    file: AssumptionFile, factor: float, currency: str
) -> tuple[AssumptionLine, ...]:
    lines = []
    for name in Assumptions.model_fields:
        item = getattr(file.assumptions, name)
        if isinstance(item, Table):
            value = ", ".join(f"{k} {v:g}" for k, v in item.values.items())
            unit = item.unit
        elif isinstance(item, BasisChoice):
            value, unit = item.value, item.unit
        else:
            amount = item.value * (factor if name in MONEY else 1.0)
            value = f"{amount:,.2f}".rstrip("0").rstrip(".") if name in MONEY else f"{amount:g}"
            unit = item.unit.replace(file.currency, currency) if name in MONEY else item.unit
        lines.append(
            AssumptionLine(
                name=name, value=str(value), unit=unit, source=" ".join(item.source.split())
            )
        )
    return tuple(lines)


def business_case(case: CaseInput) -> BusinessCase:
    """Monthly cash-flows over five years, yearly sums, horizons, break-even, sensitivity."""
    months = 12 * max(HORIZON_YEARS)
    flows = _flows(case, {})
    cum_base, cum_future, years = [], [], []
    tb = tf = 0.0
    for base, onprem, cloud, one_off in flows:
        tb += base
        tf += onprem + cloud + one_off
        cum_base.append(round(tb))
        cum_future.append(round(tf))
    running = 0.0
    for year in range(1, max(HORIZON_YEARS) + 1):
        chunk = flows[(year - 1) * 12 : year * 12]
        base = round(math.fsum(f[0] for f in chunk), 2)
        onprem = round(math.fsum(f[1] for f in chunk), 2)
        cloud = round(math.fsum(f[2] for f in chunk), 2)
        one_off = round(math.fsum(f[3] for f in chunk), 2)
        future = round(onprem + cloud + one_off, 2)
        running = round(running + base - future, 2)
        years.append(
            YearFlow(
                year=year,
                baseline=base,
                onprem=onprem,
                cloud=cloud,
                one_off=one_off,
                future=future,
                saving=round(base - future, 2),
                cumulative_saving=running,
            )
        )
    horizons = tuple(
        Horizon(
            years=n,
            baseline=round(math.fsum(y.baseline for y in years[:n]), 2),
            future=round(math.fsum(y.future for y in years[:n]), 2),
            saving=round(math.fsum(y.saving for y in years[:n]), 2),
        )
        for n in HORIZON_YEARS
    )
    a = case.assumptions.assumptions
    dual = math.ceil(a.dual_running_months.value)
    steady = max(
        [max(1, round(a.retire_month.value)) + 1]
        + [month_index(case.schedule.start, w.end) + dual + 1 for w in case.waves]
    )
    steady_flow = flows[min(steady, months) - 1]
    breakeven = _break_even(flows)
    base_saving = _saving(flows, months)
    notes = list(case.notes)
    if a.saas_monthly_per_application.value == 0 and any(w.saas_applications for w in case.waves):
        notes.append(
            "SaaS subscriptions are not in the future cost: set "
            "saas_monthly_per_application (or the suppliers' quotes) before relying on it"
        )
    if steady > months:
        notes.append("the programme runs past the five-year horizon: the run rate is not reached")
    return BusinessCase(
        currency=case.currency,
        basis=a.cloud_price_basis.value,
        start=case.schedule.start.replace(day=1),
        months=months,
        years=tuple(years),
        horizons=horizons,
        baseline_monthly=round(case.baseline_monthly, 2),
        future_monthly=round(steady_flow[1] + steady_flow[2], 2),
        steady_month=steady,
        break_even_month=breakeven,
        break_even_date=(
            _add_months(case.schedule.start.replace(day=1), breakeven - 1) if breakeven else None
        ),
        one_off_total=round(math.fsum(f[3] for f in flows), 2),
        cumulative_baseline=tuple(float(v) for v in cum_base),
        cumulative_future=tuple(float(v) for v in cum_future),
        sensitivity=_sensitivity(case, base_saving),
        assumptions=_assumption_lines(case.assumptions, case.money_factor, case.currency),
        assumptions_source=(
            f"{case.assumptions.provenance.source} ({case.assumptions.provenance.method}, "
            f"{case.assumptions.provenance.taken.isoformat()}); money in "
            f"{case.assumptions.currency}"
        ),
        notes=tuple(notes),
    )


def describe(value: Any) -> str:
    """'month 14 (2028-01)' for a break-even month, 'not within 5 years' for None."""
    return "not within 5 years" if value is None else f"month {value}"


def case_input(
    *,
    currency: str,
    schedule: Schedule,
    waves: Sequence[tuple[int, Sequence[str]]],
    decisions: Mapping[str, str],
    efforts: Mapping[str, str],
    servers: Mapping[str, int],
    onprem_monthly: Mapping[str, float],
    cloud_monthly: Mapping[str, float],
    baseline_monthly: float,
    money_factor: float,
    assumptions: AssumptionFile,
) -> CaseInput:
    """Roll applications up to waves (the model works per wave, so big estates stay fast)."""
    a = assumptions.assumptions
    dated = {w.number: w for w in schedule.waves}
    rows = []
    for number, names in waves:
        when = dated[number]
        rows.append(
            WaveInput(
                number=number,
                start=when.start,
                end=when.end,
                onprem_monthly=math.fsum(onprem_monthly.get(n, 0.0) for n in names),
                cloud_monthly=math.fsum(cloud_monthly.get(n, 0.0) for n in names),
                effort_days=math.fsum(
                    application_days(decisions[n], efforts.get(n, "M"), servers.get(n, 0), a)
                    for n in names
                ),
                saas_applications=sum(1 for n in names if decisions[n] == "SAAS"),
            )
        )
    retired = [n for n, d in decisions.items() if d == "RETIRE"]
    return CaseInput(
        currency=currency,
        schedule=schedule,
        baseline_monthly=baseline_monthly,
        retire_monthly=math.fsum(onprem_monthly.get(n, 0.0) for n in retired),
        retire_days=math.fsum(
            application_days("RETIRE", efforts.get(n, "M"), servers.get(n, 0), a) for n in retired
        ),
        waves=tuple(rows),
        money_factor=money_factor,
        assumptions=assumptions,
    )
