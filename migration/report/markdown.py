"""The Markdown summary for a pull-request comment: short GitHub-flavoured tables only."""

from __future__ import annotations

from forcelift.migration.report.context import ReportContext


def md_cell(text: object) -> str:
    """Safe inside a table cell: no pipes, no line breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(context: ReportContext) -> str:
    from forcelift.migration.report.html import environment

    env = environment()
    env.filters["md"] = md_cell
    not_previewed = [s.name for s in context.stacks if s.layer and not s.previewed]
    return env.get_template("summary.md.j2").render(c=context, not_previewed=not_previewed)
