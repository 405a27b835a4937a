"""The restricted reader behind migration.yamlio.load: forcelift's own block YAML, read line by
line by a stack machine over regex-tokenised lines, with PyYAML's YAML 1.1 resolver and
constructors for every plain scalar. It raises GiveUp wherever it cannot be sure; the caller
then lets PyYAML read the whole document (its values, its errors and their lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GiveUp(Exception):
    """The fast path cannot be sure: let PyYAML do the whole document."""


_RESOLVER = Resolver()
RESOLVED_FIRST = frozenset(k for k in Resolver.yaml_implicit_resolvers if k)
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


def resolve(text: str) -> Any:
    """The value of a one-line plain scalar, exactly as PyYAML's resolver and constructor
    give it (YAML 1.1: yes/no/on/off, 0o17, 1_000, 1:20, 2026-01-01, ~ ...)."""
    if text[0] in RESOLVED_FIRST:
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        if tag != _STR:
            build = _BUILD.get(tag)
            if build is None:
                raise GiveUp
            value = build(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
        else:
            value = text
    else:
        value = text
    return value


#: tabs, CR, NEL, U+2028/9, BOMs and what YAML cannot hold (the fast path takes none of them)
NOT_SIMPLE = re.compile(
    "[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
).search
INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


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
                    raise GiveUp from None
                if type(value) is not str:
                    raise GiveUp
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
        raise GiveUp  # `-  x`: valid, but not what forcelift writes
    if first in INDICATORS:
        if first == "'" or first == '"':
            found = _single_quoted(text) if first == "'" else _double_quoted(text)
            if found is None:
                return _MULTI
            if found[1] != len(text):
                raise GiveUp
            return found[0]
        if first in "|>":
            return _MULTI
        if text == "[]":
            return []
        if text == "{}":
            return {}
        if first != "-" or len(text) < 2 or text[1] == " ":
            raise GiveUp  # flow collections, anchors, aliases, tags, reserved indicators
    if ": " in text or " #" in text or text.endswith(":"):
        raise GiveUp
    return resolve(text)


def _key(raw: str) -> Any:
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'")
    text = raw.rstrip(" ")
    if " #" in text or len(text) > 1000:
        raise GiveUp
    return resolve(text)


def _snippet_value(lines: list[str], end: str = "\n") -> Any:
    """A multi-line scalar read by PyYAML alone (its key/item line, left of it blanked)."""
    try:
        value = yaml.load("\n".join(lines) + end, Loader=LOADER)
    except yaml.YAMLError:
        raise GiveUp from None
    if type(value) in (dict, list) and len(value) == 1:
        return next(iter(value.values())) if type(value) is dict else value[0]
    raise GiveUp


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
    if text[0] in INDICATORS and text[0] != "-":
        return _MISS
    for part in parts:
        if part[0] in INDICATORS or ": " in part or " #" in part or part.endswith(":"):
            return _MISS
    return resolve(" ".join([text, *parts]))


def _tokens(text: str, tick: Callable[[], None] | None) -> Any:
    """(indent, dashes, key, colon, rest) per line, a megabyte of text at a time (no C call
    holds the interpreter for long); characters the fast path does not take make it give up."""
    start, n = 0, len(text)
    while start <= n:
        end = text.find("\n", start + _CHUNK)
        if end < 0:
            end = n
        if NOT_SIMPLE(text, start, end) is not None:
            raise GiveUp
        yield from _LINE.findall(text, start, end)
        start = end + 1
        if tick is not None:
            tick()


def read(text: str, tick: Callable[[], None] | None) -> Any:
    """The block structure forcelift writes, as a stack machine over tokenised lines."""
    holder: list[Any] = [None]
    stack: list[tuple[int, Any, bool]] = [(-2, None, False)]
    top: Any = None
    top_col, top_map = -2, False
    pending: tuple[Any, Any, int] | None = (holder, 0, -1)
    last_cont: Any = None
    last_key: Any = None
    last_col, last_tok = _BIG, ("", "", "", "", "")
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
            raise GiveUp
        if blanks:
            blanks = []
        if not dashes and not key:
            if val[0] == "#":
                continue
            raise GiveUp
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
                raise GiveUp
            seq = top
            col = c
            for _ in range(len(dashes) // 2 - 1):
                inner: list[Any] = []
                seq.append(inner)
                col += 2
                stack.append((col, inner, False))
                seq = inner
            if key:
                mapping: Any = {}
                seq.append(mapping)
                col += 2
                stack.append((col, mapping, True))
                top_col, top, top_map = col, mapping, True
            else:
                if col != c:
                    top_col, top, top_map = col, seq, False
                if not val:
                    raise GiveUp
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
                raise GiveUp
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
        raise GiveUp
    return holder[0]
