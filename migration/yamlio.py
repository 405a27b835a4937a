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
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


class _GiveUp(Exception):
    """The fast path cannot be sure: let PyYAML do the whole document."""


# ---------------------------------------------------------------- scalars, both directions

_RESOLVER = Resolver()
_RESOLVED_FIRST = frozenset(k for k in Resolver.yaml_implicit_resolvers if k)
_CONSTRUCTOR = SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_BUILD = {
    tag: SafeConstructor.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    )
}
_plain_values: dict[str, Any] = {}


def _plain(text: str) -> Any:
    """`_resolve`, remembered (the dumper asks about the same strings again and again)."""
    try:
        return _plain_values[text]
    except KeyError:
        pass
    value = _resolve(text)
    if len(_plain_values) < 200_000:
        _plain_values[text] = value
    return value


def _resolve(text: str) -> Any:
    """The value of a one-line plain scalar, exactly as PyYAML's resolver and constructor
    give it (YAML 1.1: yes/no/on/off, 0o17, 1_000, 1:20, 2026-01-01, ~ ...)."""
    if text[0] in _RESOLVED_FIRST:
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        if tag != _STR:
            build = _BUILD.get(tag)
            if build is None:
                raise _GiveUp
            value = build(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
        else:
            value = text
    else:
        value = text
    return value


# ---------------------------------------------------------------- dump

#: strings libyaml certainly writes plain (no indicator, quote, colon, hash, space edge)
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9_./()][A-Za-z0-9_./()+,=@&%\[\] -]*").fullmatch
_safe_strings: dict[str, bool] = {}


def _resolves_to_str(text: str) -> bool:
    try:
        return type(_plain(text)) is str
    except _GiveUp:
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
        and (text[0] not in _RESOLVED_FIRST or _resolves_to_str(text))
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
        raise _GiveUp
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
            raise _GiveUp
        text = out[:-4]
    else:
        raise _GiveUp
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
            raise _GiveUp
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
        except (_GiveUp, RecursionError):
            return pyyaml_dump(data)
        if emitter.keeps:
            emitter.out.append("...\n")
        return "".join(emitter.out)
    return pyyaml_dump(data)


# ---------------------------------------------------------------- load

_NOT_SIMPLE = re.compile(
    "[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
).search
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _single_quoted(text: str) -> tuple[str, int] | None:
    """(value, index after the closing quote) of a one-line single-quoted scalar, or None."""
    i = 1
    while True:
        j = text.find("'", i)
        if j < 0:
            return None
        if text.startswith("''", j):
            i = j + 2
            continue
        return text[1:j].replace("''", "'"), j + 1


_double_values: dict[str, str] = {}


def _double_quoted(text: str) -> tuple[str, int] | None:
    """(value, index after the closing quote) of a one-line double-quoted scalar, or None;
    escapes are decoded by PyYAML itself."""
    i, n = 1, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            raw = text[: i + 1]
            value = _double_values.get(raw)
            if value is None:
                try:
                    value = yaml.load(raw, Loader=LOADER)
                except yaml.YAMLError:
                    raise _GiveUp from None
                if type(value) is not str:
                    raise _GiveUp
                _double_values[raw] = value
            return value, i + 1
        else:
            i += 1
    return None


_LINE = re.compile(
    r"^( *)((?:- )*)"  # indent, sequence dashes
    r"(?:([^\s'\"#\-?:,\[\]{}&*!|>%@`][^:\n]*|'(?:[^'\n]|'')*')(:(?: +|$)))?"  # key, colon
    r"(.*)$",  # the rest: a scalar, a comment or nothing
    re.M,
)
_CHUNK = 1 << 20
_BIG = 1 << 30
_MULTI = object()  # a scalar that goes on below its line: PyYAML reads it
_MISS = object()


def _scalar(val: str) -> Any:
    """The value of a scalar written on one line after `key: ` / `- `."""
    text = val.rstrip(" ")
    first = text[0]
    if first == " ":
        raise _GiveUp  # `-  x`: valid, but not what forcelift writes
    if first in _INDICATORS:
        if first == "'" or first == '"':
            found = _single_quoted(text) if first == "'" else _double_quoted(text)
            if found is None:
                return _MULTI
            if found[1] != len(text):
                raise _GiveUp
            return found[0]
        if first in "|>":
            return _MULTI
        if text == "[]":
            return []
        if text == "{}":
            return {}
        if first != "-" or len(text) < 2 or text[1] == " ":
            raise _GiveUp  # flow collections, anchors, aliases, tags, reserved indicators
    if ": " in text or " #" in text or text.endswith(":"):
        raise _GiveUp
    return _resolve(text)


def _key(raw: str) -> Any:
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'")
    text = raw.rstrip(" ")
    if " #" in text or len(text) > 1000:
        raise _GiveUp
    return _resolve(text)


def _snippet_value(lines: list[str], end: str = "\n") -> Any:
    """A multi-line scalar read by PyYAML alone (its key/item line, left of it blanked)."""
    try:
        value = yaml.load("\n".join(lines) + end, Loader=LOADER)
    except yaml.YAMLError:
        raise _GiveUp from None
    if type(value) in (dict, list) and len(value) == 1:
        return next(iter(value.values())) if type(value) is dict else value[0]
    raise _GiveUp


def _folded(first: str, more: list[str]) -> Any:
    """A plain or single-quoted scalar wrapped over plain continuation lines (libyaml wraps
    long ones at the width): the lines folded with single spaces, as YAML does; _MISS when
    the lines are anything else (blank lines, comments, indicators, quotes inside)."""
    parts = [line.strip(" ") for line in more]
    if not all(parts):
        return _MISS
    text = first.rstrip(" ")
    if text[0] == "'":
        last = parts[-1]
        if not last.endswith("'"):
            return _MISS
        pieces = [text[1:], *parts[:-1], last[:-1]]
        if any(piece.replace("''", "").count("'") for piece in pieces):
            return _MISS
        return " ".join(pieces).replace("''", "'")
    if text[0] in _INDICATORS and text[0] != "-":
        return _MISS
    for part in parts:
        if part[0] in _INDICATORS or ": " in part or " #" in part or part.endswith(":"):
            return _MISS
    return _resolve(" ".join([text, *parts]))


def _tokens(text: str, tick: Callable[[], None] | None) -> Any:
    """(indent, dashes, key, colon, rest) per line, a megabyte of text at a time."""
    start, n = 0, len(text)
    while start <= n:
        end = text.find("\n", start + _CHUNK)
        if end < 0:
            end = n
        yield from _LINE.findall(text, start, end)
        start = end + 1
        if tick is not None:
            tick()


def _read(text: str, tick: Callable[[], None] | None) -> Any:  # noqa: C901 - one tight loop
    """The block structure forcelift writes, as a stack machine over tokenised lines."""
    holder: list[Any] = [None]
    stack: list[tuple[int, Any, bool]] = [(-2, None, False)]
    top_col, top, top_map = -2, None, False
    pending: tuple[Any, Any, int] | None = (holder, 0, -1)
    last_col, last_tok, last_cont, last_key = _BIG, ("", "", "", "", ""), None, None
    must_continue = False
    collecting: list[str] | None = None
    coll_col, coll_val = 0, ""
    blanks: list[str] = []
    values: dict[str, Any] = {}
    keys: dict[str, Any] = {}
    get_value, get_key = values.get, keys.get
    for tok in _tokens(text, tick):
        ind, dashes, key, sep, val = tok
        if collecting is not None:
            if not (dashes or key or val):
                collecting.append(ind)
                continue
            if len(ind) > coll_col:
                collecting.append(ind + dashes + key + sep + val)
                continue
            value = _folded(coll_val, collecting[1:])
            last_cont[last_key] = _snippet_value(collecting) if value is _MISS else value
            collecting = None
        elif not (dashes or key or val):
            blanks.append(ind)
            continue
        c = len(ind)
        if c > last_col:  # the last scalar goes on (or a comment sits under it)
            line = "".join(last_tok)
            collecting = [" " * last_col + line[last_col:], *blanks, ind + dashes + key + sep + val]
            coll_col, coll_val, last_col, must_continue = last_col, last_tok[4], _BIG, False
            blanks = []
            continue
        if must_continue:
            raise _GiveUp
        if blanks:
            blanks = []
        if not dashes and not key:
            if val[0] == "#":
                continue
            raise _GiveUp
        last_col = _BIG
        if pending is not None:
            holder_map, holder_key, holder_col = pending
            pending = None
            if c > holder_col:
                new: Any = [] if dashes else {}
                holder_map[holder_key] = new
                stack.append((c, new, not dashes))
                top_col, top, top_map = c, new, not dashes
            elif c == holder_col and dashes:
                new = []
                holder_map[holder_key] = new
                stack.append((c, new, False))
                top_col, top, top_map = c, new, False
        if dashes:
            while top_col > c:
                stack.pop()
                top_col, top, top_map = stack[-1]
            if top_map or top_col != c:
                raise _GiveUp
            seq = top
            col = c
            for _ in range(len(dashes) // 2 - 1):
                inner: list[Any] = []
                seq.append(inner)
                col += 2
                stack.append((col, inner, False))
                seq = inner
            if key:
                mapping: dict[Any, Any] = {}
                seq.append(mapping)
                col += 2
                stack.append((col, mapping, True))
                top_col, top, top_map = col, mapping, True
            else:
                if col != c:
                    top_col, top, top_map = col, seq, False
                if not val:
                    raise _GiveUp
                value = get_value(val, _MISS)
                if value is _MISS:
                    value = _scalar(val)
                    if type(value) is not list and type(value) is not dict:
                        values[val] = value
                seq.append(value)
                last_col, last_tok, last_cont, last_key = col, tok, seq, len(seq) - 1
                if value is _MULTI:
                    must_continue = True
                continue
        else:
            while top_col > c or (top_col == c and not top_map):
                stack.pop()
                top_col, top, top_map = stack[-1]
            if top_col != c or not top_map:
                raise _GiveUp
            mapping = top
            col = c
        name = get_key(key, _MISS)
        if name is _MISS:
            name = keys[key] = _key(key)
        if val:
            value = get_value(val, _MISS)
            if value is _MISS:
                value = _scalar(val)
                if type(value) is not list and type(value) is not dict:
                    values[val] = value
            mapping[name] = value
            last_col, last_tok, last_cont, last_key = col, tok, mapping, name
            if value is _MULTI:
                must_continue = True
        else:
            mapping[name] = None
            pending = (mapping, name, col)
    if collecting is not None:
        value = _folded(coll_val, collecting[1:])
        last_cont[last_key] = _snippet_value(collecting, "") if value is _MISS else value
    if must_continue or holder[0] is None:
        raise _GiveUp
    return holder[0]


def fast_load(text: str, tick: Callable[[], None] | None = None) -> Any:
    """The restricted reader alone; raises ValueError where it would give up (for tests)."""
    if "\t" in text or "\r" in text or _NOT_SIMPLE(text) is not None:
        raise ValueError("outside the fast path")
    try:
        return _read(text, tick)
    except (_GiveUp, RecursionError, IndexError):
        raise ValueError("outside the fast path") from None


def load(text: str, tick: Callable[[], None] | None = None) -> Any:
    """`text` read as `pyyaml_load(text)` reads it: the same values, the same errors."""
    try:
        return fast_load(text, tick)
    except ValueError:
        return pyyaml_load(text)
