"""Read a user's YAML file keeping line numbers, so every problem names file, line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forcelift.migration.errors import InputError, Location, Problem

Loc = tuple[int | str, ...]


class YamlDocument:
    """Parsed data plus the composed node tree it came from."""

    def __init__(self, display: str, data: Any, root: yaml.Node | None) -> None:
        self.display = display
        self.data = data
        self.root = root

    def line(self, loc: Loc) -> int | None:
        """The line of the node at `loc` (or of its nearest existing parent), 1-based."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if part < len(node.value) else None
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def location(self, loc: Loc, field: str | None = None) -> Location:
        return Location(file=self.display, row=self.line(loc), column=field)


def read_yaml(path: Path, display: str | None = None) -> YamlDocument:
    """Parse a YAML file; unreadable or invalid YAML is an InputError with its line."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("no such file", Location(file=shown)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", Location(file=shown)) from exc
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            Location(file=shown, row=mark.line + 1 if mark else None),
        ) from exc
    return YamlDocument(shown, data, root)


def described_as(text: str) -> Callable[[Loc], str]:
    """A `describe` for :func:`validation_problems` that names every error's item the same."""
    return lambda _loc: text


def validation_problems(
    exc: ValidationError, doc: YamlDocument, prefix: Loc, describe: Callable[[Loc], str]
) -> list[Problem]:
    """Pydantic errors of the item at `prefix`, each located at its own line and field."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        field = ".".join(str(p) for p in loc) if loc else None
        problems.append(
            Problem(f"{describe(loc)}: {message}", doc.location((*prefix, *loc), field))
        )
    return problems
