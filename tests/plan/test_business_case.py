"""The like-for-like business case: cash-flows worked by hand, break-even, sensitivity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forcelift.migration.errors import InputError
from forcelift.migration.plan.business_case import (
    CaseInput,
    WaveInput,
    application_days,
    business_case,
    default_assumptions,
    load_assumptions,
)
from forcelift.migration.plan.schedule import ScheduleOptions, schedule_waves


def _case(tmp_path: Path, overrides: str = "", **wave: float) -> CaseInput:
    """One wave in programme month 2 (Feb 2027); assumptions made round by an override file."""
    text = (
        "assumptions:\n"
        "  day_rate: {value: 500}\n"
        "  dual_running_months: {value: 1}\n"
        "  retire_month: {value: 1}\n"
        "  landing_zone_build_days: {value: 0}\n"
        "  landing_zone_monthly: {value: 0}\n" + overrides
    )
    path = tmp_path / "assumptions.yaml"
    path.write_text(text)
    schedule = schedule_waves(
        [1], ScheduleOptions(start=dt.date(2027, 1, 4), landing_zone_weeks=4, weeks_per_wave=3)
    )
    w = schedule.waves[0]
    assert (w.start, w.end) == (dt.date(2027, 2, 1), dt.date(2027, 2, 21))
    return CaseInput(
        currency="GBP",
        schedule=schedule,
        baseline_monthly=10_000,
        retire_monthly=0,
        retire_days=0,
        waves=(
            WaveInput(
                number=1,
                start=w.start,
                end=w.end,
                onprem_monthly=wave.get("onprem", 8_000),
                cloud_monthly=wave.get("cloud", 5_000),
                effort_days=wave.get("days", 20),
                saas_applications=0,
            ),
        ),
        money_factor=1.0,
        assumptions=load_assumptions(path),
    )


def test_cash_flow_by_hand(tmp_path: Path) -> None:
    case = business_case(_case(tmp_path))
    # Month 1: all on premise (10,000). Month 2: wave runs: on premise 10,000 + cloud 5,000 +
    # effort 20 x 500 = 10,000. Month 3: dual running (8,000 still on) + cloud. From month 4:
    # 2,000 retained + 5,000 cloud = 7,000 against 10,000 (3,000 a month saved).
    future = [
        b - a for a, b in zip((0.0, *case.cumulative_future), case.cumulative_future, strict=False)
    ]
    assert future[:5] == [10_000, 25_000, 15_000, 7_000, 7_000]
    # Cumulative saving: 0, -15,000, -20,000, -17,000 … back to >= 0 in month 10.
    assert case.break_even_month == 10
    assert case.break_even_date == dt.date(2027, 10, 1)
    assert case.future_monthly == 7_000 and case.steady_month == 4
    y1 = case.years[0]
    assert y1.baseline == 120_000 and y1.one_off == 10_000
    assert y1.future == y1.onprem + y1.cloud + y1.one_off
    assert [h.years for h in case.horizons] == [1, 3, 5]
    assert case.horizons[2].saving == pytest.approx(sum(y.saving for y in case.years))


def test_no_break_even_when_the_future_costs_more(tmp_path: Path) -> None:
    case = business_case(_case(tmp_path, cloud=9_000))
    assert case.break_even_month is None and case.horizons[2].saving < 0


def test_sensitivity_ranks_the_three_assumptions_that_move_the_answer(tmp_path: Path) -> None:
    case = business_case(_case(tmp_path))
    names = [s.assumption for s in case.sensitivity]
    assert len(names) == 3 and names[:2] == ["onprem", "cloud"]  # 10,000 / 5,000 a month
    swings = [abs(s.saving_high - s.saving_low) for s in case.sensitivity]
    assert swings == sorted(swings, reverse=True)
    cloud = next(s for s in case.sensitivity if s.assumption == "cloud")
    assert cloud.break_even_low is not None and cloud.break_even_high is not None
    assert cloud.break_even_low < case.break_even_month < cloud.break_even_high
    assert cloud.low == "GBP 4,000 a month"


def test_assumptions_carry_sources_and_overrides_are_checked(tmp_path: Path) -> None:
    defaults = default_assumptions()
    for name, item in defaults.assumptions:
        assert item.source.strip(), name
    case = business_case(_case(tmp_path))
    day = next(a for a in case.assumptions if a.name == "day_rate")
    assert day.value == "500" and "GBP" in day.unit
    bad = tmp_path / "bad.yaml"
    bad.write_text("assumptions:\n  day_rat: {value: 1}\n")
    with pytest.raises(InputError):
        load_assumptions(bad)
    a = defaults.assumptions
    assert application_days("PAAS", "L", 3, a) == 30 * 2 + 2 * 3
    assert application_days("RETAIN", "M", 9, a) == 0


def test_the_sample_case_covers_the_whole_estate(tmp_path: Path) -> None:
    import yaml
    from click.testing import CliRunner

    from forcelift.cli.main import cli

    sample = Path(__file__).parents[2] / "inventories" / "exampleshire"
    out = tmp_path / "plan.yaml"
    result = CliRunner().invoke(
        cli, ["plan", str(sample), "--as-of", "2026-11-25", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    plan = yaml.safe_load(out.read_text())
    case = plan["clouds"][0]["business_case"]
    # The baseline is today's whole estate, not just what moves.
    assert case["baseline_monthly"] == pytest.approx(plan["onprem"]["cost"]["monthly"], abs=0.01)
    assert case["years"][0]["one_off"] > 0 and len(case["sensitivity"]) == 3
    assert len(case["cumulative_future"]) == 60
