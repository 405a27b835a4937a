"""Number formatting shared by the HTML and Markdown templates (one way to write money)."""

from __future__ import annotations

from collections.abc import Iterable


def number(value: float | int, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def money(value: float, currency: str = "") -> str:
    """Whole units with thousands separators: 'USD 140,734'."""
    text = f"{round(value):,}"
    return f"{currency} {text}" if currency else text


def short(value: float) -> str:
    """'140.7k', '1.69M': for tiles and chart labels where space is short."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.2f}M"
    if size >= 1_000:
        return f"{value / 1_000:.1f}k"
    return f"{value:.0f}"


def tonnes(kg: float) -> str:
    """kg CO2e as tonnes with one decimal: '29.7 t'."""
    return f"{kg / 1000:,.1f} t"


def change(before: float, after: float) -> str:
    """Signed percentage change from before to after: '+30 %' / '−42 %' ('n/a' from zero)."""
    if not before:
        return "n/a"
    pct = (after - before) / before * 100
    sign = "+" if pct > 0.05 else ("−" if pct < -0.05 else "±")
    return f"{sign}{abs(pct):.0f} %"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def joined(items: Iterable[str], last: str = "and") -> str:
    values = [i for i in items if i]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {last} " + values[-1]


FILTERS = {
    "number": number,
    "money": money,
    "short": short,
    "tonnes": tonnes,
    "change": change,
    "plural": plural,
    "joined": joined,
}
