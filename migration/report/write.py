"""Write the report files: index.html, summary.md, decisions.csv and decisions.xlsx (and, for
a plan that shares, sharing.csv and staff-access.csv).

Each file is rendered in full before any is written, and each is written atomically, so a
failure never leaves a half-written report. The same inputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from forcelift.migration.report.inputs import ReportInputs

FILES = ("index.html", "summary.md", "decisions.csv", "decisions.xlsx")


@dataclass(frozen=True)
class RenderedReport:
    html: str
    markdown: str
    csv: bytes
    xlsx: bytes
    extra: Mapping[str, bytes] = field(default_factory=dict)  # sharing.csv, staff-access.csv

    def files(self) -> dict[str, bytes]:
        return {
            "index.html": self.html.encode("utf-8"),
            "summary.md": self.markdown.encode("utf-8"),
            "decisions.csv": self.csv,
            "decisions.xlsx": self.xlsx,
            **self.extra,
        }


def render_report(inputs: ReportInputs) -> RenderedReport:
    from forcelift.migration.report.context import build_context
    from forcelift.migration.report.decisions import decision_table
    from forcelift.migration.report.html import render_html
    from forcelift.migration.report.markdown import render_markdown
    from forcelift.migration.report.spreadsheet import decisions_csv, decisions_xlsx, sharing_csvs

    context = build_context(inputs)
    table = decision_table(inputs.plan)
    return RenderedReport(
        html=render_html(context, inputs.plan, inputs.inventory),
        markdown=render_markdown(context),
        csv=decisions_csv(table),
        xlsx=decisions_xlsx(inputs.plan, table),
        extra=sharing_csvs(context.sharing),
    )


def write_report(inputs: ReportInputs, out: Path) -> list[Path]:
    """Render and write the files into `out`; returns their paths in a fixed order."""
    from forcelift.migration.inventory.writer import write_atomic

    rendered = render_report(inputs)
    paths = []
    for name, data in rendered.files().items():
        path = out / name
        write_atomic(path, data, force=True)
        paths.append(path)
    return paths
