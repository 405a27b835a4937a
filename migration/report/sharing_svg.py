"""The sharing picture: who shares what with whom, over which connection, under which agreement.

Three columns drawn as plain SVG (no script, no chart library): the providers on the left
(applications, or "force · application" in a collaboration), one box per flow in the middle
(what is shared, the connection, the agreement) and the partners on the right. A flow gets its
own row, so no two labels overlap; a left node sits level with its flows (they are sorted by it)
and the right nodes are spread evenly. A flow without an agreement is drawn red and dashed and
says "no agreement" in words, so the mark survives greyscale print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from forcelift.migration.report.style import INK, MUTED

WIDTH = 900
NODE_W = 250
MID_X = 290
MID_W = 310
RIGHT_X = WIDTH - NODE_W - 10
ROW = 48
BOX_H = 36
TOP = 34
CHARS = 34
MISSING = "#C0392B"
CONNECTION_COLOURS = {
    "private-link": "#0072B2",
    "api-gateway": "#009E73",
    "none": "#8C8C8C",
}
CONNECTION_LABELS = {
    "private-link": "private link",
    "api-gateway": "agency API gateway",
    "none": "no cloud connection",
}


@dataclass(frozen=True)
class Link:
    """One flow: from a provider (left) to a partner (right)."""

    left: str
    right: str
    data: str
    connection: str
    agreement: str
    direction: str = "outbound"  # outbound: left provides; inbound: right provides; both
    left_note: str = ""
    right_note: str = ""


def _cut(text: str, limit: int = CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 10.5,
    colour: str = INK,
    limit: int = CHARS,
    **extra: str,
) -> str:
    attrs = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in extra.items())
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" fill="{colour}"{attrs}>'
        f"{escape(_cut(text, limit))}</text>"
    )


def _box(
    x: float, y: float, width: float, title: str, note: str, stroke: str, dash: bool = False
) -> str:
    limit = int(width / 6.6)  # characters of bold 10.5 px DejaVu Sans that fit
    style = ' stroke-dasharray="5 3"' if dash else ""
    parts = [
        f"<g><title>{escape(title + (' — ' + note if note else ''))}</title>",
        f'<rect x="{x:.0f}" y="{y - BOX_H / 2:.0f}" width="{width}" height="{BOX_H}" rx="4" '
        f'fill="#FFFFFF" stroke="{stroke}" stroke-width="1.4"{style}/>',
        _text(x + 8, y - 3 if note else y + 4, title, limit=limit, font_weight="bold"),
    ]
    if note:
        parts.append(_text(x + 8, y + 12, note, size=9.5, colour=MUTED, limit=limit + 4))
    parts.append("</g>")
    return "".join(parts)


def _line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    colour: str,
    dash: bool,
    start: bool,
    end: bool,
    name: str,
) -> str:
    mid = (x1 + x2) / 2
    markers = ""
    if start:
        markers += f' marker-start="url(#{name}-arrow-start)"'
    if end:
        markers += f' marker-end="url(#{name}-arrow)"'
    style = ' stroke-dasharray="5 3"' if dash else ""
    return (
        f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
        f'fill="none" stroke="{colour}" stroke-width="1.5"{style}{markers}/>'
    )


def sharing_svg(
    name: str, title: str, left_title: str, right_title: str, links: Sequence[Link]
) -> str:
    """The picture as an inline `<svg>`; `name` prefixes its ids (several per page)."""
    ordered = sorted(links, key=lambda k: (k.left.casefold(), k.right.casefold(), k.data))
    rows = max(len(ordered), 1)
    height = TOP + rows * ROW + 10
    row_y = [TOP + ROW * (i + 0.5) for i in range(rows)]
    left_rows: dict[str, list[float]] = {}
    for link, y in zip(ordered, row_y, strict=False):
        left_rows.setdefault(link.left, []).append(y)
    rights = list(dict.fromkeys(k.right for k in ordered))
    step = (height - TOP - 10) / max(len(rights), 1)
    right_y = {r: TOP + step * (i + 0.5) for i, r in enumerate(rights)}
    notes_l = {k.left: k.left_note for k in ordered}
    notes_r = {k.right: k.right_note for k in ordered}
    out = [
        f'<svg class="sharing" role="img" aria-labelledby="{name}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg" '
        'font-family="DejaVu Sans, sans-serif">',
        f'<title id="{name}-title">{escape(title)}</title>',
        "<defs>",
        f'<marker id="{name}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker>',
        f'<marker id="{name}-arrow-start" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="{INK}"/></marker>',
        "</defs>",
        _text(10, 18, left_title, size=11, limit=40, font_weight="bold"),
        _text(MID_X, 18, "What · connection · agreement", size=11, limit=50, font_weight="bold"),
        _text(RIGHT_X, 18, right_title, size=11, limit=40, font_weight="bold"),
    ]
    for link, y in zip(ordered, row_y, strict=False):
        missing = not link.agreement.strip()
        colour = MISSING if missing else CONNECTION_COLOURS.get(link.connection, MUTED)
        dash = missing or link.connection == "none"
        ly = sum(left_rows[link.left]) / len(left_rows[link.left])
        to_right = link.direction in ("outbound", "both")
        to_left = link.direction in ("inbound", "both")
        out.append(_line(10 + NODE_W, ly, MID_X, y, colour, dash, to_left, False, name))
        out.append(
            _line(
                MID_X + MID_W, y, RIGHT_X, right_y[link.right], colour, dash, False, to_right, name
            )
        )
        agreement = link.agreement if not missing else "NO AGREEMENT"
        connection = CONNECTION_LABELS.get(link.connection, link.connection)
        note = f"{connection} · {agreement}"
        label = link.data or "data"
        out.append(_box(MID_X, y, MID_W, label, note, colour, dash))
        if missing:
            out.append(
                f'<rect x="{MID_X + MID_W - 96}" y="{y + 2:.0f}" width="90" height="14" rx="3" '
                f'fill="{MISSING}"/>'
                + _text(MID_X + MID_W - 91, y + 13, "no agreement", size=9, colour="#FFFFFF")
            )
    for left, ys in left_rows.items():
        out.append(_box(10, sum(ys) / len(ys), NODE_W, left, notes_l.get(left, ""), INK))
    for right in rights:
        out.append(_box(RIGHT_X, right_y[right], NODE_W, right, notes_r.get(right, ""), INK))
    out.append("</svg>")
    return "\n".join(out) + "\n"
