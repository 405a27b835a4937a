"""Options shared by several commands, defined once, and the one DefaultGroup.

The convention (docs/migrate.md, "Command-line conventions"): `--format` is always the output
format and `--json` is the same as `--format json`; the inventories' format is
`--input-format`. Commands parse with these blocks, call the core, and print. The planning
options, one long block shared by `plan` and `migrate`, are in cli/plan_options.py.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from forcelift.migration.inventory.readers import BY_NAME

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_NAMES = tuple(BY_NAME)
_FORMAT_MOVED = "format_moved"  # the hidden --format of commands with no output format


def _input_format_was_meant(value: str) -> str:
    return (
        f"{value!r} is an inventory format, and --format is the output format: "
        f"read the inputs as {value} with --input-format {value}"
    )


def _refuse_moved_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        raise click.BadParameter(
            _input_format_was_meant(value)
            if value in FORMAT_NAMES
            else "this command has no output format; the inputs' format is --input-format",
            ctx,
            param,
        )


def _has_format(func: Callable[..., Any]) -> bool:
    params = getattr(func, "__click_params__", [])
    return any("--format" in getattr(p, "opts", ()) for p in params)


def inventory_inputs(func: F) -> F:
    """PATH… plus --input-format, --group-by and --strict, the inputs of every command that
    reads inventory (the command receives `strict` and passes it to the loader)."""
    if not _has_format(func):
        # `--format rvtools` meant the input format before issue 15: say so, do not guess
        func = click.option(
            "--format",
            _FORMAT_MOVED,
            hidden=True,
            expose_value=False,
            callback=_refuse_moved_format,
        )(func)
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
        "--input-format",
        "input_format",
        type=click.Choice(FORMAT_NAMES),
        default=None,
        help="Read every PATH as this format instead of detecting it from content.",
    )(func)
    return click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(func)


class _OutputChoice(click.Choice):  # type: ignore[type-arg]
    """An output format; an inventory format name gets a hint towards --input-format."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in FORMAT_NAMES and value not in self.choices:
            self.fail(_input_format_was_meant(value), param, ctx)
        return super().convert(value, param, ctx)


def output_option(
    help: str,
    *,
    dest: str = "output",
    file_okay: bool = True,
    dir_okay: bool = True,
    required: bool = False,
) -> Callable[[F], F]:
    """`-o/--output PATH`, declared once so every command that writes spells "where to" the
    same way; an optional one is None when not given (the command picks the place)."""
    return click.option(
        "-o",
        "--output",
        dest,
        type=click.Path(path_type=Path, file_okay=file_okay, dir_okay=dir_okay),
        help=help,
        **({"required": True} if required else {"default": None}),
    )


def output_format(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """`--format CHOICE` (the command receives `output_format`) and `--json`, its documented
    alias for `--format json` (where json is a choice; --json wins over another --format)."""
    chosen = default or choices[0]

    def decorate(func: F) -> F:
        target: Callable[..., Any] = func
        if "json" in choices:

            @functools.wraps(func)
            def with_alias(*args: Any, as_json: bool = False, **kwargs: Any) -> Any:
                if as_json:
                    kwargs["output_format"] = "json"
                return func(*args, **kwargs)

            target = click.option(
                "--json", "as_json", is_flag=True, help="The same as --format json."
            )(with_alias)
        params = getattr(target, "__click_params__", [])
        params[:] = [p for p in params if p.name != _FORMAT_MOVED]
        target = click.option(
            "--format",
            "output_format",
            type=_OutputChoice(choices),
            default=chosen,
            show_default=True,
            help="Output format.",
        )(target)
        return target  # type: ignore[return-value]

    return decorate


def classify_inputs(func: F) -> F:
    """What the classifier reads besides the inventory: overrides, catalogue, rule selection
    and the lifecycle date (shared by `classify`, `plan` and `migrate`)."""
    for option in reversed(
        (
            click.option(
                "--overrides",
                type=click.Path(path_type=Path, dir_okay=False),
                help="YAML file of architects' pinned decisions (see docs/classify.md).",
            ),
            click.option(
                "--catalogue",
                "catalogue_file",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Extra product catalogue YAML extending or overriding the built-in one.",
            ),
            click.option(
                "--rules",
                "rules_file",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Rule selection YAML: `exclude:` the rule ids not to run (docs/rules.md).",
            ),
            click.option(
                "--as-of",
                type=click.DateTime(formats=["%Y-%m-%d"]),
                default=None,
                metavar="DATE",
                help="Date for lifecycle checks (YYYY-MM-DD); default today. Recorded in "
                "the output.",
            ),
        )
    ):
        func = option(func)
    return func


def core_inputs(func: F) -> F:
    """PATH… with :func:`inventory_inputs` and :func:`classify_inputs`, handed to the command
    as one `inputs: Inputs` (the core's value) instead of eight parameters. `inputs.as_of` is
    None when --as-of is not given (the core then takes today; `classify --evaluate` the
    labelled set's date)."""

    @functools.wraps(func)
    def with_inputs(
        *args: Any,
        paths: Sequence[Path],
        input_format: str | None,
        group_by: str,
        strict: bool,
        overrides: Path | None,
        catalogue_file: Path | None,
        rules_file: Path | None,
        as_of: dt.datetime | None,
        **kwargs: Any,
    ) -> Any:
        from forcelift.migration.inventory.workloads import GroupBy
        from forcelift.migration.pipeline import Inputs

        inputs = Inputs(
            paths=tuple(paths),
            forced_format=input_format,
            group_by=GroupBy(group_by),
            overrides=overrides,
            catalogue=catalogue_file,
            as_of=as_of.date() if as_of is not None else None,
            strict=strict,
            rules=rules_file,
        )
        return func(*args, inputs=inputs, **kwargs)

    return inventory_inputs(classify_inputs(with_inputs))  # type: ignore[return-value]


waiver_date = click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date for waiver expiry (default: today).",
)
"""--as-of where it dates the guardrail waivers (`policy check`, `deploy`)."""


class DefaultGroup(click.Group):
    """A group whose first argument is a subcommand only when it names one; otherwise every
    argument goes to `default_command` (`forcelift plan inv/` = `forcelift plan run inv/`;
    name a file `./explain` if it is really called explain). Its help lists the default
    command's options, since they are the ones typed after the group's name."""

    default_command = "run"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in ctx.help_option_names:
            return super().parse_args(ctx, args)
        if not args or args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        default = self.commands[self.default_command]
        formatter.write_usage(ctx.command_path, " ".join(default.collect_usage_pieces(ctx)))
        for name in self.list_commands(ctx):
            if name == self.default_command:
                continue
            pieces = " ".join(self.commands[name].collect_usage_pieces(ctx))
            formatter.write_usage(ctx.command_path, f"{name} {pieces}", prefix="   or: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        default = self.commands[self.default_command]
        rows = [
            r
            for p in default.get_params(ctx)
            if isinstance(p, click.Option) and (r := p.get_help_record(ctx))
        ]
        with formatter.section("Options"):
            formatter.write_dl(rows)
        self.format_commands(ctx, formatter)
