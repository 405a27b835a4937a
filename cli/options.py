"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from forcelift.migration.inventory.readers import BY_NAME

FORMAT_NAMES = tuple(BY_NAME)


def inventory_inputs(func: Callable[..., Any]) -> Callable[..., Any]:
    """PATH… plus --format, --group-by and --strict, the inputs of every command that reads
    inventory (the command receives `strict` and passes it to the loader)."""
    func = click.option(
        "--strict",
        is_flag=True,
        help="Treat gaps in the export as errors (exit 2): rows read unsized because CPU or "
        "memory is blank or unreadable, duplicate names told apart, missing required values.",
    )(func)
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


class DefaultGroup(click.Group):
    """A group whose first argument is a subcommand only when it names one; otherwise every
    argument goes to `default_command` (`forcelift plan inv/` = `forcelift plan run inv/`)."""

    default_command = "run"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in ctx.help_option_names:
            return super().parse_args(ctx, args)
        if not args or args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)
