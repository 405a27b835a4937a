"""The wave Gantt and the cash-flow chart: what they draw, from plain numbers."""

from __future__ import annotations

import datetime as dt

from forcelift.migration.report.charts import GanttWave, cashflow_chart, wave_gantt


def test_gantt_draws_calendar_months_waves_and_freezes() -> None:
    waves = [
        GanttWave(1, "pilot", dt.date(2027, 1, 11), dt.date(2027, 2, 7), 3, 10),
        GanttWave(2, "late", dt.date(2027, 2, 8), dt.date(2027, 3, 7), 8, 40),
    ]
    freeze = [("Christmas", dt.date(2026, 12, 14), dt.date(2027, 1, 4))]
    svg = wave_gantt((dt.date(2026, 11, 30), dt.date(2027, 1, 10)), waves, freeze)
    assert svg.startswith("<svg") and 'id="chart-waves' in svg
    for text in ("Landing zone", "Wave 1 · pilot", "Wave 2 · late", "8 apps, 40 servers"):
        assert text in svg
    assert "Jan" in svg and "2027" in svg and "change freeze" in svg
    assert "change freeze" not in wave_gantt(
        (dt.date(2026, 11, 30), dt.date(2027, 1, 10)), waves, []
    )
    assert svg == wave_gantt((dt.date(2026, 11, 30), dt.date(2027, 1, 10)), waves, freeze)


def test_cashflow_chart_marks_break_even_or_says_there_is_none() -> None:
    base = [100.0 * m for m in range(1, 61)]
    future = [150.0 + 80.0 * m for m in range(1, 61)]
    years = [(y, 1200.0, 300.0, 600.0, 150.0 if y == 1 else 0.0) for y in range(1, 6)]
    svg = cashflow_chart("GBP", dt.date(2026, 11, 1), base, future, 8, years)
    assert "break-even, month 8" in svg and "GBP" in svg and "November 2026" in svg
    never = cashflow_chart("GBP", dt.date(2026, 11, 1), base, [v * 2 for v in base], None, years)
    assert "no break-even within 5 years" in never and "break-even, month" not in never
