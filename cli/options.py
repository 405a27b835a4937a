"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from forcelift.migration.inventory.readers import BY_NAME

FORMAT_NAMES = tuple(BY_NAME)


def inventory_inputs(func: Callable[..., Any]) -> Callable[..., Any]:
    """PATH… plus --format and --group-by, the inputs of every command that reads inventory."""
    func = click.option(
        "--group-by",
        type=click.Choice(["vm", "folder", "annotation"]),
        default="vm",
        show_default=True,
        help="How servers no application claims become workloads.",
    )(func)
    func = click.option(
        "--format",
        "forced_format",
        type=click.Choice(FORMAT_NAMES),
        default=None,
        help="Read every PATH as this format instead of detecting it from content.",
    )(func)
    return click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(func)
