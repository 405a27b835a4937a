"""Shipped planning data (SKUs, prices, coefficients) and user overrides of it.

The data lives in YAML next to the code so it can be reviewed and refreshed without touching
logic; every figure carries where it came from and when. Overrides are plain mappings (from a
config file or the CLI) merged over the defaults and validated by the same models, so a typo
in an override is a clear error rather than a silently ignored key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.inventory.pydantic_errors import format_loc

DATA_PACKAGE = "forcelift.migration.plan"

M = TypeVar("M", bound=BaseModel)


class Frozen(BaseModel):
    """Base of every planning model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(Frozen):
    """Where a figure comes from and when it was taken."""

    source: str
    taken: dt.date
    method: str = "transcribed"  # "transcribed" from published pages, or "api" when refreshed
    note: str = ""


_IMMUTABLE = (str, int, float, bool, tuple, frozenset, type(None), Enum)
_SPECS: dict[type[BaseModel], tuple[tuple[str, ...], dict[str, Any], frozenset[str]]] = {}


def _spec(cls: type[BaseModel]) -> tuple[tuple[str, ...], dict[str, Any], frozenset[str]]:
    defaults = {}
    for name, info in cls.model_fields.items():
        if not info.is_required():
            value = info.get_default(call_default_factory=True)
            if not isinstance(value, _IMMUTABLE):
                raise TypeError(f"{cls.__name__}.{name} has a mutable default")
            defaults[name] = value
    names = tuple(cls.model_fields)
    spec = _SPECS[cls] = (names, defaults, frozenset(names))
    return spec


def trusted(cls: type[M], /, **values: Any) -> M:
    """A model from values this package computed and typed itself, built without validation.

    Validation costs about four times the construction, and the engines build hundreds of
    thousands of results on a 100,000-server estate. Only for values whose types the caller
    guarantees; tests re-validate every kind of result built this way
    (tests/plan/test_trusted.py), so a wrong type fails a test rather than a plan. Defaults
    are filled in (they are immutable) and fields keep their declared order, so dumps match
    validated models byte for byte; unknown or missing fields are programming errors.
    """
    names, defaults, allowed = _SPECS.get(cls) or _spec(cls)
    data = values  # every field, in declared order: the common, fast case
    if tuple(values) != names:
        if not values.keys() <= allowed:
            raise TypeError(f"{cls.__name__}: unknown fields {sorted(values.keys() - allowed)}")
        try:
            data = {name: values[name] if name in values else defaults[name] for name in names}
        except KeyError as missing:
            raise TypeError(f"{cls.__name__}: missing field {missing}") from None
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", data)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def read_data(name: str) -> Any:
    """Parse one YAML file shipped in `migration/plan/data/`."""
    text = resources.files(DATA_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def validate(model: type[M], data: Any, where: str) -> M:
    """Build a model from data, turning validation errors into located InputErrors."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                f"{format_loc(tuple(err['loc'])) or 'value'}: {err['msg']}",
                Location(file=where),
                hint="check the name and type of the value against the documented defaults",
            )
            for err in exc.errors(include_url=False)
        ]
        raise InputError(problems) from None


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides win; nested mappings merge key by key; lists and scalars are replaced."""
    merged = dict(base)
    for key, value in overrides.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def with_overrides(model: M, overrides: Mapping[str, Any] | None, where: str = "overrides") -> M:
    """A copy of `model` with user overrides applied and validated (unknown keys refused)."""
    if not overrides:
        return model
    data = deep_merge(model.model_dump(mode="python"), overrides)
    return validate(type(model), data, where)
