"""Dump and validate pydantic models with long lists a chunk of items at a time.

One `model_validate` or `model_dump` of a 100,000-server inventory or plan holds the
interpreter for seconds, and a progress display cannot redraw meanwhile. These do the long
lists a few hundred items per call, letting other threads run (and calling `tick`) between
chunks; the results are the same as one call's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, get_args, get_origin

from pydantic import BaseModel

Tick = Callable[[], None] | None
#: list items per pydantic call
CHUNK = 500


def pause(tick: Tick) -> None:
    """Between chunks: let other threads (the progress display) run, and tell the caller."""
    time.sleep(0)
    if tick is not None:
        tick()


def model_items(annotation: Any) -> type[BaseModel] | None:
    """The model of a `tuple[Model, ...]` field, else None."""
    args = get_args(annotation)
    if get_origin(annotation) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def dump_model(model: BaseModel, tick: Tick = None) -> dict[str, Any]:
    """`model.model_dump(mode="json")`, long tuples of models a chunk at a time."""
    out: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            out[name] = dump_model(value, tick)
        elif model_items(field.annotation) is not None and len(value) > CHUNK:
            items: list[Any] = []
            for start in range(0, len(value), CHUNK):
                items.extend(item.model_dump(mode="json") for item in value[start : start + CHUNK])
                pause(tick)
            out[name] = items
        elif model_items(field.annotation) is not None:
            out[name] = [dump_model(item, tick) for item in value]
        else:
            out[name] = model.model_dump(mode="json", include={name})[name]
    return out


def prevalidated(model: type[BaseModel], data: Any, tick: Tick) -> Any:
    """`data` with its long lists of model data validated a chunk at a time (the items become
    model instances, which the final validation of the whole takes as they are)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for name, field in model.model_fields.items():
        value = data.get(name)
        item_model = model_items(field.annotation)
        if item_model is not None and isinstance(value, list):
            if len(value) > CHUNK:
                items: list[Any] = []
                for start in range(0, len(value), CHUNK):
                    items.extend(item_model.model_validate(x) for x in value[start : start + CHUNK])
                    pause(tick)
                out[name] = items
            else:
                out[name] = [prevalidated(item_model, item, tick) for item in value]
        elif isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            out[name] = prevalidated(field.annotation, value, tick)
    return out
