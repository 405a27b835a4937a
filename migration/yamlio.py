"""Fast YAML for the plain data forcelift writes (plan, inventory): the same bytes and values as
PyYAML, in a fraction of the time at 100k servers.

`dump` writes what `yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True,
width=100)` writes, byte for byte. It emits the block structure itself and the common scalars
(identifiers, numbers, booleans, null) directly; every other scalar (quoted, multi-line, long,
non-ASCII) is emitted by libyaml itself in a tiny document that puts it at the same indentation
and column, and cached. Data it does not know (tuples, dates, subclasses) goes to PyYAML whole.

`load` reads what `yaml.load(text, Loader=CSafeLoader)` reads. A restricted reader takes the
block-style documents forcelift writes (mappings, sequences, one-line plain and quoted scalars);
multi-line scalars are handed to PyYAML one at a time; plain scalars are resolved by PyYAML's own
YAML 1.1 resolver and constructors (cached per text). Anything else (flow collections, anchors,
tags, tabs, odd indentation, errors) makes it give up and PyYAML parse the whole text, so
values, errors and their line numbers are PyYAML's.

Both are pure Python loops, so the interpreter switches threads every few milliseconds and a
progress display keeps drawing; `tick` is called every `TICK_EVERY` lines/items besides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from forcelift.migration.yamlio_read import (
    LOADER,
    RESOLVED_FIRST,
    GiveUp,
    read,
    resolve,
)

_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
WIDTH = 100
TICK_EVERY = 20_000


class DUMPER(_BaseDumper):  # type: ignore[valid-type,misc]
    """Block style, no aliases, multi-line strings kept readable (literal style)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


DUMPER.add_representer(str, _str_presenter)


def pyyaml_dump(data: Any) -> str:
    """The reference: what forcelift has always written."""
    return yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=WIDTH)


def pyyaml_load(text: str) -> Any:
    """The reference reader (libyaml's safe loader)."""
    return yaml.load(text, Loader=LOADER)


_plain_values: dict[str, Any] = {}


def _plain(text: str) -> Any:
    """`resolve`, remembered (the dumper asks about the same strings again and again)."""
    try:
        return _plain_values[text]
    except KeyError:
        pass
    value = resolve(text)
    if len(_plain_values) < 200_000:
        _plain_values[text] = value
    return value


# ---------------------------------------------------------------- dump

#: strings libyaml certainly writes plain (no indicator, quote, colon, hash, space edge)
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9_./()][A-Za-z0-9_./()+,=@&%\[\] -]*").fullmatch
_safe_strings: dict[str, bool] = {}


def _resolves_to_str(text: str) -> bool:
    try:
        return type(_plain(text)) is str
    except GiveUp:
        return False


def _is_plain(text: str) -> bool:
    try:
        return _safe_strings[text]
    except KeyError:
        pass
    ok = (
        _SAFE_PLAIN(text) is not None
        and not text.endswith(" ")
        and "  " not in text
        and not text.startswith(("...", "---"))
        and (text[0] not in RESOLVED_FIRST or _resolves_to_str(text))
    )
    if len(_safe_strings) < 1_000_000:
        _safe_strings[text] = ok
    return ok


def _float_text(value: float) -> str | None:
    if value != value or value in (float("inf"), float("-inf")):
        return None
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _nest(indent: int, inner: Any) -> Any:
    """`inner` as the content of a mapping at column `indent`."""
    for _ in range(indent // 2):
        inner = {"x": inner}
    return inner


_slow: dict[tuple[type, str, int, int], tuple[str, bool | None]] = {}


def _slow_scalar(value: Any, indent: int, key_len: int) -> tuple[str, bool | None]:
    """libyaml's own text for one scalar after `key:` (key_len > 0) or `-` (key_len 0), in a
    mapping/sequence at column `indent`; and, for a block scalar, whether it keeps trailing
    newlines (libyaml then ends the document with `...`)."""
    cache_key = (type(value), value if type(value) is str else repr(value), indent, key_len)
    found = _slow.get(cache_key)
    if found is not None:
        return found
    pad = " " * indent
    if key_len:
        key = "k" * key_len
        doc = _nest(indent, {key: value, "zz": 0})
        head, tail = pad + key + ":", pad + "zz: 0\n"
    else:
        doc = _nest(indent, {"x": [value, 0]}) if indent else [value, 0]
        head, tail = pad + "-", pad + "- 0\n"
    text = pyyaml_dump(doc)
    if text.endswith("\n...\n"):
        text = text[:-4]
    lead = "".join("  " * level + "x:\n" for level in range(indent // 2))
    if indent and not key_len:
        lead += pad + "x:\n"
    if not (text.startswith(lead + head) and text.endswith(tail)):
        raise GiveUp
    piece = text[len(lead) + len(head) : len(text) - len(tail)]
    body = piece.lstrip(" ")
    keeps = "+" in body.split("\n", 1)[0] if body[:1] in ("|", ">") else None
    result = (piece, keeps)
    _slow[cache_key] = result
    return result


_keys: dict[tuple[type, Any], str] = {}
_str_keys: dict[str, str] = {}


def _key_text(key: Any) -> str:
    try:
        return _keys[type(key), key]
    except (KeyError, TypeError):
        pass
    if type(key) is str and len(key) < 120 and _is_plain(key):
        text = key
    elif type(key) in (str, int, bool, type(None)) or type(key) is float:
        out = pyyaml_dump({key: 0})
        if not out.endswith(": 0\n") or "\n" in out[:-1] or out.startswith("?"):
            raise GiveUp
        text = out[:-4]
    else:
        raise GiveUp
    _keys[type(key), key] = text
    if type(key) is str and len(_str_keys) < 100_000:
        _str_keys[key] = text
    return text


class _Emitter:
    def __init__(self, tick: Callable[[], None] | None) -> None:
        self.out: list[str] = []
        self.keeps = False
        self.tick = tick
        self.count = 0

    def scalar(self, value: Any, indent: int, column: int, key_len: int) -> str:
        """The text after `key:` / `-` (with its leading space) up to and including the newline.

        `indent` is the column of the enclosing collection, `column` where this text starts."""
        kind = type(value)
        if kind is str:
            if value and column + 1 + len(value) <= WIDTH and _is_plain(value):
                return " " + value + "\n"
        elif kind is int:
            return " " + str(value) + "\n"
        elif kind is bool:
            return " true\n" if value else " false\n"
        elif value is None:
            return " null\n"
        elif kind is float:
            text = _float_text(value)
            if text is not None:
                return " " + text + "\n"
        else:
            raise GiveUp
        piece, keeps = _slow_scalar(value, indent, key_len)
        if keeps is not None:
            self.keeps = keeps
        return piece

    def mapping(self, data: dict[Any, Any], indent: int, first: str) -> None:
        append = self.out.append
        str_keys, safe = _str_keys, _safe_strings
        pad = " " * indent
        prefix = first
        for key, value in data.items():
            key_text = str_keys.get(key) if type(key) is str else None
            if key_text is None:
                key_text = _key_text(key)
            kind = type(value)
            if kind is str:
                ok = safe.get(value)
                if ok is None:
                    ok = _is_plain(value)
                if ok and len(prefix) + len(key_text) + 2 + len(value) <= WIDTH:
                    append(f"{prefix}{key_text}: {value}\n")
                else:
                    line = f"{prefix}{key_text}:"
                    append(line + self.scalar(value, indent, len(line), len(key_text)))
            elif kind is int:
                append(f"{prefix}{key_text}: {value}\n")
            elif kind is dict:
                if value:
                    append(f"{prefix}{key_text}:\n")
                    self.mapping(value, indent + 2, pad + "  ")
                else:
                    append(f"{prefix}{key_text}: {{}}\n")
            elif kind is list:
                if value:
                    append(f"{prefix}{key_text}:\n")
                    self.sequence(value, indent, pad)
                else:
                    append(f"{prefix}{key_text}: []\n")
            else:
                line = f"{prefix}{key_text}:"
                append(line + self.scalar(value, indent, len(line), len(key_text)))
            prefix = pad
        self.count += len(data)
        if self.tick is not None and self.count > TICK_EVERY:
            self.count = 0
            self.tick()

    def sequence(self, items: list[Any], indent: int, first: str) -> None:
        out = self.out
        pad = " " * indent
        prefix = first
        for item in items:
            kind = type(item)
            if kind is dict:
                if item:
                    self.mapping(item, indent + 2, prefix + "- ")
                else:
                    out.append(prefix + "- {}\n")
            elif kind is list:
                if item:
                    self.sequence(item, indent + 2, prefix + "- ")
                else:
                    out.append(prefix + "- []\n")
            else:
                line = prefix + "-"
                out.append(line + self.scalar(item, indent, len(line), 0))
            prefix = pad


def dump(data: Any, tick: Callable[[], None] | None = None) -> str:
    """`data` as forcelift's block YAML, byte-identical to `pyyaml_dump(data)`."""
    kind = type(data)
    if (kind is dict or kind is list) and data:
        emitter = _Emitter(tick)
        try:
            if kind is dict:
                emitter.mapping(data, 0, "")
            else:
                emitter.sequence(data, 0, "")
        except (GiveUp, RecursionError):
            return pyyaml_dump(data)
        if emitter.keeps:
            emitter.out.append("...\n")
        return "".join(emitter.out)
    return pyyaml_dump(data)


# ---------------------------------------------------------------- load


def fast_load(text: str, tick: Callable[[], None] | None = None) -> Any:
    """The restricted reader alone; raises ValueError where it would give up (for tests)."""
    try:
        return read(text, tick)
    except (GiveUp, RecursionError, IndexError):
        raise ValueError("outside the fast path") from None


def load(text: str, tick: Callable[[], None] | None = None) -> Any:
    """`text` read as `pyyaml_load(text)` reads it: the same values, the same errors."""
    try:
        return fast_load(text, tick)
    except ValueError:
        return pyyaml_load(text)
