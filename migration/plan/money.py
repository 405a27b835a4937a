"""What the plan needs about money and dates, worked out once for every cloud.

`build` asks for two things: `plan_money` (the currency conversion, the wave calendar, the
business-case assumptions and today's on-premise cost per application, all cloud-independent)
and `cloud_money` (one cloud's price sources and like-for-like business case). Keeping them
here keeps `build` a list of questions to the engines.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Server
from forcelift.migration.plan import business_case, currency, onprem_cost
from forcelift.migration.plan.carbon import Coefficients, carbon_rates
from forcelift.migration.plan.cost import WorkloadCost
from forcelift.migration.plan.planfile import PriceSource, Pricing
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.schedule import Schedule, ScheduleOptions, schedule_waves
from forcelift.migration.plan.sizing import Assignment
from forcelift.migration.plan.unsized import Resolution, planned_servers
from forcelift.migration.plan.waves import WavePlan

if TYPE_CHECKING:
    from forcelift.migration.plan.build import PlanRequest


@dataclass(frozen=True)
class Money:
    conversion: currency.Conversion
    schedule: Schedule
    dates: Mapping[int, tuple[dt.date, dt.date]]
    pricing: Pricing
    assumptions: business_case.AssumptionFile
    waves: tuple[tuple[int, tuple[str, ...]], ...]
    decisions: Mapping[str, Decision]
    efforts: Mapping[str, str]
    servers: Mapping[str, int]
    onprem_monthly: Mapping[str, float]  # per application, plan currency
    estate: tuple[Server, ...]  # every server as planned (estimated in place, unsized left out)
    onprem: onprem_cost.OnPremCost  # the whole estate a year, plan currency

    @property
    def baseline_monthly(self) -> float:
        """The whole estate on premise a month, plan currency."""
        return self.onprem.monthly

    def factor(self, snapshot: PriceSnapshot) -> float:
        """Multiplier from the snapshot's currency to the plan's."""
        return currency.factor(snapshot.snapshot.currency, self.conversion)


def plan_money(
    req: PlanRequest,
    plan: WavePlan,
    owned: Assignment,
    decisions: Mapping[str, Decision],
    assumptions: onprem_cost.OnPremAssumptions,
    coefficients: Coefficients,
    resolution: Resolution,
) -> Money:
    opts = req.options
    conv = currency.conversion(opts.currency, opts.fx_rate)
    numbers = [w.number for w in plan.waves]
    schedule = schedule_waves(
        numbers,
        ScheduleOptions(
            start=opts.start_date or req.classification.as_of,
            landing_zone_weeks=opts.landing_zone_weeks,
            weeks_per_wave=opts.weeks_per_wave,
            freezes=opts.freezes,
        ),
    )
    servers = planned_servers(req.inventory.servers, resolution)
    rate = conv.rate
    rated, carbon = onprem_cost.OnPremRates(assumptions), carbon_rates(coefficients)
    total = onprem_cost.onprem_cost(servers, rated, carbon, exchange_rate=rate)
    per_app = {
        app: onprem_cost.onprem_cost(
            [s for s in members if s.sized], rated, carbon, exchange_rate=rate
        ).monthly
        for app, members in owned.servers.items()
    }
    cases = business_case.load_assumptions(Path(opts.assumptions) if opts.assumptions else None)
    onprem_source = assumptions.provenance.source
    if conv.converted:
        onprem_source += f" (in USD, {conv.text()})"
    pricing = Pricing(
        currency=conv.currency,
        conversion=conv.text(),
        rate=conv.rate,
        rate_date=conv.date,
        rate_source=" ".join(conv.source.split()),
        vat_included=False,
        vat_rate=currency.VAT_RATE,
        vat_note=currency.VAT_NOTE,
        onprem_source=onprem_source,
    )
    return Money(
        conversion=conv,
        schedule=schedule,
        dates={w.number: (w.start, w.end) for w in schedule.waves},
        pricing=pricing,
        assumptions=cases,
        waves=tuple((w.number, tuple(x.application for x in w.workloads)) for w in plan.waves),
        decisions=dict(decisions),
        efforts={c.application: c.effort.value for c in req.classification.classifications},
        servers={app: len(members) for app, members in owned.servers.items()},
        onprem_monthly=per_app,
        estate=servers,
        onprem=total,
    )


def price_sources(snapshot: PriceSnapshot, money: Money) -> tuple[PriceSource, ...]:
    """Each table's source and date; converted tables say at which rate."""
    converted = money.factor(snapshot) != 1.0
    out = []
    for name in sorted(snapshot.tables):
        table = snapshot.tables[name]
        provenance = snapshot.provenance(name)
        unit, method = table.unit, provenance.method
        if converted and not table.unit.lower().startswith("fraction"):
            unit = unit.replace(snapshot.snapshot.currency, money.conversion.currency)
            method = f"{method}; {money.conversion.text()}"
        out.append(
            PriceSource(
                table=name,
                unit=unit,
                source=" ".join(provenance.source.split()),
                taken=provenance.taken,
                method=" ".join(method.split()),
                confidence=table.confidence,
            )
        )
    return tuple(out)


def cloud_money(
    money: Money, cloud: Cloud, snapshot: PriceSnapshot, costs: Mapping[str, WorkloadCost]
) -> dict[str, Any]:
    """The CloudPlan fields about money: snapshot text, price sources, business case."""
    info = snapshot.snapshot
    text = (
        f"{info.region} list prices in {info.currency}, taken {info.taken} ({info.method}) "
        f"from {info.source}"
    )
    if money.factor(snapshot) != 1.0:
        text += f"; {money.conversion.text()}"
    basis = money.assumptions.assumptions.cloud_price_basis.value
    case = business_case.business_case(
        business_case.case_input(
            currency=money.conversion.currency,
            schedule=money.schedule,
            waves=money.waves,
            decisions=money.decisions,
            efforts=money.efforts,
            servers=money.servers,
            onprem_monthly=money.onprem_monthly,
            cloud_monthly={n: float(getattr(c.monthly, basis)) for n, c in costs.items()},
            baseline_monthly=money.baseline_monthly,
            money_factor=currency.factor(money.assumptions.currency, money.conversion),
            assumptions=money.assumptions,
        )
    )
    return {
        "price_snapshot": " ".join(text.split()),
        "price_sources": price_sources(snapshot, money),
        "business_case": case,
    }


def monthly_total(values: Mapping[str, float]) -> float:
    return round(math.fsum(values.values()), 2)
