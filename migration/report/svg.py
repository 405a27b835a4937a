"""Matplotlib figures as inline SVG that is byte-stable and safe to put several in one page.

Byte-stable: a fixed hash salt (clip-path ids) and no date in the metadata. Several per page:
every id is prefixed with the chart's name, so two charts never share an id. Text stays text
(`svg.fonttype: none`): it prints sharp, can be searched and copied, and keeps the file small.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from forcelift.migration.report.style import GRID, INK, MUTED

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FONT = "DejaVu Sans"  # ships with matplotlib, so the layout never depends on system fonts

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "forcelift-report",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlecolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "path.simplify": False,
}

_HEADER = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="[^"]*"\s+height="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')


@contextmanager
def chart_style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def new_figure(
    width: float,
    height: float,
    *,
    left: float = 0.7,
    right: float = 0.15,
    top: float = 0.35,
    bottom: float = 0.45,
    wspace: float = 0.3,
) -> Any:
    """A pyplot-free figure (no global state) with fixed margins in inches.

    Fixed margins instead of constrained layout: half the drawing time, and a chart's plot
    area never shifts because a label got longer.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=72)
    figure.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=wspace,
    )
    return figure


def figure_svg(figure: Any, name: str, title: str) -> str:
    """The figure as an `<svg>` element ready to inline into HTML."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = _METADATA.sub("", _HEADER.sub("", buffer.getvalue(), count=1), count=1)
    text = _SIZE.sub("<svg", text, count=1)
    text = _ID.sub(lambda m: f'id="{name}-{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace(
        "<svg",
        f'<svg class="chart" role="img" aria-labelledby="{name}-title"',
        1,
    )
    head_end = text.index(">") + 1
    text = text[:head_end] + f'\n <title id="{name}-title">{safe_title}</title>' + text[head_end:]
    return text.strip() + "\n"
