"""The report's charts: decisions, the wave timeline, cost and carbon, as inline SVG.

Matplotlib (Agg-free `Figure`, no pyplot state) draws each chart; `svg.figure_svg` makes it
byte-stable and safe to inline. Every function takes plain numbers, so charts are easy to test
and never reach back into the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forcelift.migration.classify.model import Decision
from forcelift.migration.report.style import (
    CLOUD_COLOURS,
    COLOURS,
    DECISIONS,
    GRID,
    INK,
    MUTED,
    ONPREM_COLOUR,
    cloud_label,
    decision_label,
)
from forcelift.migration.report.svg import chart_style, figure_svg, new_figure


@dataclass(frozen=True)
class WaveBar:
    number: int
    kind: str
    servers_by_decision: Mapping[Decision, int]
    applications: int

    @property
    def servers(self) -> int:
        return sum(self.servers_by_decision.values())


@dataclass(frozen=True)
class Money:
    """Monthly amounts by way of paying, for one cloud (or on premise, as payg only)."""

    payg: float
    one_year: float = 0
    three_year: float = 0


def _short(value: float) -> str:
    """1234567 -> '1.2M', 12345 -> '12.3k': axis and bar labels that stay narrow."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"{value / 1_000:.0f}k"
    if size >= 1_000:
        return f"{value / 1_000:.1f}k"
    return f"{value:.0f}"


def _axis_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: _short(v))


def _value_grid(ax: Any, axis: str = "y") -> None:
    ax.grid(True, axis=axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def decisions_chart(applications: Mapping[str, int], servers: Mapping[str, int]) -> str:
    """Applications and servers per decision, side by side, in the decision colours."""
    with chart_style():
        fig = new_figure(9.6, 2.5, left=0.65, bottom=0.1, wspace=0.25)
        axes = fig.subplots(1, 2)
        labels = [decision_label(d) for d in DECISIONS]
        colours = [COLOURS[d] for d in DECISIONS]
        for ax, data, title in (
            (axes[0], applications, "Applications"),
            (axes[1], servers, "Servers"),
        ):
            values = [data.get(d, 0) for d in DECISIONS]
            positions = list(range(len(DECISIONS)))
            bars = ax.barh(positions, values, color=colours, height=0.62)
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_title(title)
            top = max(values) if any(values) else 1
            ax.set_xlim(0, top * 1.18)
            ax.bar_label(bars, labels=[str(v) for v in values], padding=3, color=INK, fontsize=8.5)
            ax.xaxis.set_visible(False)
            ax.spines["bottom"].set_visible(False)
            ax.tick_params(axis="y", length=0)
        return figure_svg(fig, "chart-decisions", "Applications and servers per decision")


def wave_timeline(waves: Sequence[WaveBar]) -> str:
    """Waves in order, each as long as the servers it moves, split by decision (a Gantt)."""
    with chart_style():
        height = 0.9 + 0.5 * max(len(waves), 1)
        fig = new_figure(9.6, height, left=0.95, bottom=0.55, top=0.15)
        ax = fig.subplots()
        start = 0
        total = sum(w.servers for w in waves) or 1
        for row, wave in enumerate(waves):
            left = start
            for decision in DECISIONS:
                width = wave.servers_by_decision.get(decision, 0)
                if width:
                    ax.barh(row, width, left=left, height=0.56, color=COLOURS[decision])
                    left += width
            text = (
                f"{wave.applications} application{'s' if wave.applications != 1 else ''}, "
                f"{wave.servers} server{'s' if wave.servers != 1 else ''}"
            )
            inside = wave.servers > total * 0.45
            ax.text(
                (start + left) / 2 if inside else left + total * 0.01,
                row,
                text,
                va="center",
                ha="center" if inside else "left",
                color="#FFFFFF" if inside else INK,
                fontsize=8.5,
                fontweight="bold" if inside else "normal",
            )
            start = left
        ax.set_yticks(
            range(len(waves)), [f"Wave {w.number}\n{w.kind}" for w in waves], fontsize=8.5
        )
        ax.invert_yaxis()
        ax.set_xlim(0, total * 1.02)
        ax.set_xlabel("Servers moved, in wave order (cumulative)", color=MUTED)
        _value_grid(ax, "x")
        ax.tick_params(axis="y", length=0)
        from matplotlib.patches import Patch

        present = [d for d in DECISIONS if any(w.servers_by_decision.get(d) for w in waves)]
        ax.legend(
            handles=[Patch(color=COLOURS[d], label=decision_label(d)) for d in present],
            loc="upper right",
            ncols=len(present) or 1,
            fontsize=8,
        )
        return figure_svg(fig, "chart-waves", "Wave plan timeline: servers moved per wave")


def cost_chart(
    currency: str,
    onprem_monthly: float,
    clouds: Mapping[str, Money],
    per_wave: Mapping[str, Mapping[int, float]],
) -> str:
    """Monthly cost today versus each cloud and way of paying; cloud cost per wave."""
    with chart_style():
        fig = new_figure(9.6, 3.2, left=0.55, bottom=0.55, wspace=0.22)
        left, right = fig.subplots(1, 2, width_ratios=[1.15, 1])
        names = ["On-premise\ntoday"]
        values = [onprem_monthly]
        colours = [ONPREM_COLOUR]
        alphas = [1.0]
        for cloud, money in clouds.items():
            for label, value, alpha in (
                ("pay-as-you-go", money.payg, 1.0),
                ("1-year", money.one_year, 0.72),
                ("3-year", money.three_year, 0.48),
            ):
                names.append(f"{cloud_label(cloud)}\n{label}")
                values.append(value)
                colours.append(CLOUD_COLOURS.get(cloud, INK))
                alphas.append(alpha)
        positions = list(range(len(values)))
        bars = left.bar(positions, values, color=colours, width=0.66)
        for bar, alpha in zip(bars, alphas, strict=True):
            bar.set_alpha(alpha)
        left.bar_label(bars, labels=[_short(v) for v in values], padding=2, fontsize=8)
        left.set_xticks(positions, names, fontsize=7.5)
        left.set_title(f"Monthly cost ({currency})")
        left.yaxis.set_major_formatter(_axis_formatter())
        left.set_ylim(0, (max(values) if any(values) else 1) * 1.15)
        _value_grid(left)

        waves = sorted({n for data in per_wave.values() for n in data})
        count = max(len(per_wave), 1)
        width = 0.78 / count
        for index, (cloud, data) in enumerate(per_wave.items()):
            xs = [w + (index - (count - 1) / 2) * width for w in range(len(waves))]
            ys = [data.get(n, 0.0) for n in waves]
            wave_bars = right.bar(
                xs, ys, width=width, color=CLOUD_COLOURS.get(cloud, INK), label=cloud_label(cloud)
            )
            right.bar_label(wave_bars, labels=[_short(v) for v in ys], padding=2, fontsize=7.5)
        right.set_xticks(range(len(waves)), [f"Wave {n}" for n in waves])
        right.set_title(f"Per wave, pay-as-you-go ({currency} a month)")
        right.yaxis.set_major_formatter(_axis_formatter())
        top = max((v for data in per_wave.values() for v in data.values()), default=0) or 1
        right.set_ylim(0, top * 1.15)
        _value_grid(right)
        if len(per_wave) > 1:
            right.legend(loc="upper left")
        return figure_svg(fig, "chart-cost", "Monthly cost on premise and in the cloud")


def carbon_chart(
    onprem: tuple[float, float],
    clouds: Mapping[str, tuple[float, float]],
    per_wave: Mapping[str, Mapping[int, tuple[float, float]]],
) -> str:
    """Annual t CO2e (operational + embodied) today versus cloud; per wave before and after.

    `onprem` and each cloud are (operational, embodied) kg a year; `per_wave` maps a column
    label ("On premise", a cloud) to wave -> (operational, embodied).
    """
    with chart_style():
        fig = new_figure(9.6, 3.0, left=0.45, bottom=0.5, wspace=0.18)
        left, right = fig.subplots(1, 2, width_ratios=[0.8, 1.2])
        names = ["On-premise\ntoday"] + [cloud_label(c) for c in clouds]
        pairs = [onprem, *clouds.values()]
        colours = [ONPREM_COLOUR] + [CLOUD_COLOURS.get(c, INK) for c in clouds]
        operational = [p[0] / 1000 for p in pairs]
        embodied = [p[1] / 1000 for p in pairs]
        positions = list(range(len(pairs)))
        left.bar(positions, operational, color=colours, width=0.6, label="operational")
        tops = left.bar(
            positions,
            embodied,
            bottom=operational,
            color=colours,
            width=0.6,
            alpha=0.45,
            hatch="///",
            edgecolor="#FFFFFF",
            linewidth=0,
            label="embodied",
        )
        left.bar_label(
            tops,
            labels=[f"{o + e:.1f} t" for o, e in zip(operational, embodied, strict=True)],
            padding=2,
            fontsize=8,
        )
        left.set_xticks(positions, names, fontsize=8)
        left.set_title("t CO2e a year")
        left.set_ylim(
            0,
            max((o + e for o, e in zip(operational, embodied, strict=True)), default=1) * 1.18 or 1,
        )
        _value_grid(left)
        from matplotlib.patches import Patch

        left.legend(
            handles=[
                Patch(facecolor=MUTED, label="operational"),
                Patch(facecolor=MUTED, alpha=0.45, hatch="///", label="embodied"),
            ],
            loc="upper right",
            fontsize=7.5,
        )

        waves = sorted({n for data in per_wave.values() for n in data})
        count = max(len(per_wave), 1)
        width = 0.8 / count
        for index, (label, data) in enumerate(per_wave.items()):
            xs = [w + (index - (count - 1) / 2) * width for w in range(len(waves))]
            ys = [sum(data.get(n, (0.0, 0.0))) / 1000 for n in waves]
            colour = CLOUD_COLOURS.get(label, ONPREM_COLOUR)
            name = cloud_label(label) if label in CLOUD_COLOURS else "On premise"
            right.bar(xs, ys, width=width, color=colour, label=name)
        right.set_xticks(range(len(waves)), [f"Wave {n}" for n in waves])
        right.set_title("t CO2e a year per wave: today and after the move")
        _value_grid(right)
        right.legend(loc="upper left")
        return figure_svg(fig, "chart-carbon", "Annual carbon on premise and in the cloud")


@dataclass(frozen=True)
class GanttWave:
    number: int
    kind: str
    start: dt.date
    end: dt.date
    applications: int
    servers: int


KIND_COLOURS = {"pilot": "#009E73", "standard": "#0072B2", "late": "#D55E00"}


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def wave_gantt(
    landing_zone: tuple[dt.date, dt.date],
    waves: Sequence[GanttWave],
    freezes: Sequence[tuple[str, dt.date, dt.date]],
) -> str:
    """The programme in calendar months: landing-zone build, each wave's window, freezes."""
    from matplotlib.dates import date2num
    from matplotlib.patches import Patch

    with chart_style():
        rows = [("Landing zone", landing_zone[0], landing_zone[1], "#8C8C8C", "build")]
        for w in waves:
            label = (
                f"{w.applications} app{'s' if w.applications != 1 else ''}, "
                f"{w.servers} server{'s' if w.servers != 1 else ''}"
            )
            rows.append(
                (
                    f"Wave {w.number} · {w.kind}",
                    w.start,
                    w.end,
                    KIND_COLOURS.get(w.kind, INK),
                    label,
                )
            )
        height = 0.9 + 0.36 * len(rows)
        fig = new_figure(9.6, height, left=1.3, bottom=0.5, top=0.2)
        ax = fig.subplots()
        first = landing_zone[0].replace(day=1)
        last = max(r[2] for r in rows)
        months = _month_starts(first, last + dt.timedelta(days=31))
        for _name, a, b in freezes:
            ax.axvspan(
                date2num(a), date2num(b + dt.timedelta(days=1)), color="#F3D9D9", linewidth=0
            )
        for row, (_label, a, b, colour, text) in enumerate(rows):
            left = date2num(a)
            width = date2num(b + dt.timedelta(days=1)) - left
            ax.barh(row, width, left=left, height=0.58, color=colour)
            ax.text(left + width + 3, row, text, va="center", ha="left", color=INK, fontsize=7.5)
        ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(date2num(months[0]), date2num(months[-1]) + 40)
        step = max(1, len(months) // 14)
        ticks = months[::step]
        ax.set_xticks(
            [date2num(m) for m in ticks], [m.strftime("%b\n%Y") for m in ticks], fontsize=7.5
        )
        _value_grid(ax, "x")
        ax.tick_params(axis="y", length=0)
        handles = [
            Patch(color=KIND_COLOURS[k], label=k)
            for k in ("pilot", "standard", "late")
            if any(w.kind == k for w in waves)
        ]
        if freezes:
            handles.append(Patch(color="#F3D9D9", label="change freeze"))
        ax.legend(handles=handles, loc="upper right", ncols=len(handles) or 1, fontsize=7.5)
        return figure_svg(fig, "chart-waves", "Wave timeline in calendar months")


def cashflow_chart(
    currency: str,
    start: dt.date,
    cumulative_baseline: Sequence[float],
    cumulative_future: Sequence[float],
    break_even_month: int | None,
    years: Sequence[tuple[int, float, float, float, float]],
) -> str:
    """Cumulative cost, whole estate, today's way against the plan (break-even marked);
    and cash out per year: baseline against on-premise + cloud + one-off.

    `years` rows are (year, baseline, on premise, cloud, one-off).
    """
    with chart_style():
        fig = new_figure(9.6, 3.2, left=0.6, bottom=0.55, wspace=0.25)
        left, right = fig.subplots(1, 2, width_ratios=[1.3, 1])
        months = list(range(1, len(cumulative_baseline) + 1))
        left.plot(
            months, cumulative_baseline, color=ONPREM_COLOUR, linewidth=1.8, label="stay on premise"
        )
        left.plot(
            months, cumulative_future, color=CLOUD_COLOURS["azure"], linewidth=1.8, label="the plan"
        )
        if break_even_month:
            value = cumulative_future[break_even_month - 1]
            left.axvline(break_even_month, color=MUTED, linewidth=0.8, linestyle="--")
            left.annotate(
                f"break-even, month {break_even_month}",
                (break_even_month, value),
                xytext=(6, -14),
                textcoords="offset points",
                fontsize=7.5,
                color=INK,
            )
        else:
            left.text(
                0.02,
                0.92,
                f"no break-even within {len(months) // 12} years",
                transform=left.transAxes,
                fontsize=8,
                color=INK,
            )
        ticks = [m for m in months if m == 1 or m % 12 == 0]
        left.set_xticks(ticks, [str(m) for m in ticks])
        left.set_xlabel(f"programme month (month 1 = {start.strftime('%B %Y')})", color=MUTED)
        left.set_title(f"Cumulative cost, whole estate ({currency})")
        left.yaxis.set_major_formatter(_axis_formatter())
        _value_grid(left)
        left.legend(loc="upper left", bbox_to_anchor=(0, 0.86))

        xs = list(range(len(years)))
        width = 0.38
        right.bar(
            [x - width / 2 for x in xs],
            [y[1] for y in years],
            width=width,
            color=ONPREM_COLOUR,
            label="stay on premise",
        )
        bottom = [0.0] * len(years)
        for index, label, colour in (
            (2, "on premise", "#A0A0A0"),
            (3, "cloud", CLOUD_COLOURS["azure"]),
            (4, "one-off", COLOURS["IAAS"]),
        ):
            values = [y[index] for y in years]
            right.bar(
                [x + width / 2 for x in xs],
                values,
                width=width,
                bottom=bottom,
                color=colour,
                label=label,
            )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        right.set_xticks(xs, [f"Year {y[0]}" for y in years])
        right.set_title(f"Cash out per year ({currency})")
        right.yaxis.set_major_formatter(_axis_formatter())
        top = max([*(y[1] for y in years), *bottom], default=1) or 1
        right.set_ylim(0, top * 1.3)
        _value_grid(right)
        right.legend(loc="upper right", ncols=2, fontsize=7)
        return figure_svg(fig, "chart-cashflow", "Like-for-like cost: cumulative and per year")
