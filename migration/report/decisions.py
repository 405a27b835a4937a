"""The decisions table: one row per application, one column definition for every export.

CSV, XLSX and the HTML table all come from `decision_table`, so the three never disagree on what
a column means or how an application is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from forcelift.migration.classify.rules.data_security import offline_device
from forcelift.migration.plan.planfile import CloudWorkload, Plan, WorkloadDecision
from forcelift.migration.report.style import cloud_label

Kind = Literal["text", "int", "money", "list"]
Value = str | int | float | tuple[str, ...] | None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = "text"
    width: int = 14  # spreadsheet column width (characters)


@dataclass(frozen=True)
class DecisionTable:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]

    def records(self) -> list[dict[str, Value]]:
        return [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows]


_BASE: tuple[Column, ...] = (
    Column("application", "Application", width=36),
    Column("decision", "Decision", width=10),
    Column("strategy", "Strategy", width=12),
    Column("confidence", "Confidence", width=11),
    Column("effort", "Effort", width=8),
    Column("wave", "Wave", "int", width=7),
    Column("move_group", "Move group", width=11),
    Column("criticality", "Criticality", width=11),
    Column("classification", "Classification", width=20),
    Column("category", "Category", width=18),
    Column("owner", "Owner", width=28),
    Column("cost_centre", "Cost centre", width=11),
    Column("server_count", "Servers", "int", width=8),
    Column("servers", "Server names", "list", width=24),
    Column("override", "Override", width=24),
    Column("rules", "Rules", "list", width=14),
    Column("reasons", "Reasons", "list", width=60),
    Column("blockers", "Blockers", "list", width=50),
    Column("conflicts", "Conflicts", "list", width=40),
    Column("excluded", "Excluded from waves because", width=40),
)


def _cloud_columns(cloud: str, currency: str) -> tuple[Column, ...]:
    label = cloud_label(cloud)
    return (
        Column(f"{cloud}_target", f"{label} target", width=44),
        Column(f"{cloud}_stack", f"{label} stack", width=30),
        Column(f"{cloud}_payg", f"{label} monthly pay-as-you-go ({currency})", "money", 16),
        Column(f"{cloud}_one_year", f"{label} monthly 1-year ({currency})", "money", 16),
        Column(f"{cloud}_three_year", f"{label} monthly 3-year ({currency})", "money", 16),
    )


def sorted_workloads(plan: Plan) -> list[WorkloadDecision]:
    """Applications in reading order (case-insensitive name, then exact name)."""
    return sorted(plan.workloads, key=lambda w: (w.application.casefold(), w.application))


def decision_table(plan: Plan) -> DecisionTable:
    clouds = [c.cloud for c in plan.clouds]
    currency = plan.clouds[0].cost.currency if plan.clouds else "USD"
    columns = _BASE + tuple(col for cloud in clouds for col in _cloud_columns(cloud, currency))
    excluded = {e.application: e.reason for e in plan.excluded}
    placed: dict[str, dict[str, CloudWorkload]] = {
        c.cloud: {w.application: w for w in c.workloads} for c in plan.clouds
    }
    rows = []
    for w in sorted_workloads(plan):
        row: list[Value] = [
            w.application,
            w.decision,
            w.strategy,
            w.confidence,
            w.effort,
            w.wave,
            w.move_group,
            w.criticality,
            w.classification,
            w.category,
            w.owner,
            w.cost_centre,
            len(w.servers),
            w.servers,
            w.override,
            w.rules,
            w.reasons,
            tuple(offline_device(b, tuple(clouds)) for b in w.blockers),
            w.conflicts,
            excluded.get(w.application, ""),
        ]
        for cloud in clouds:
            cw = placed[cloud].get(w.application)
            row.append(w.targets.get(cloud, ""))
            row.append(cw.stack if cw else "")
            row.extend(
                (cw.monthly_cost.payg, cw.monthly_cost.one_year, cw.monthly_cost.three_year)
                if cw
                else (None, None, None)
            )
        rows.append(tuple(row))
    return DecisionTable(columns, tuple(rows))
