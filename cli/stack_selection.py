"""`--stack`, `--cloud`, `--layer` and `--shard I/N`: which stacks of a generated project a
command works on (`preview` and `policy check` take the same, so a CI shard's guardrails
judge exactly the stacks it previewed)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from forcelift.stacks.shards import LAYERS, Shard, parse_shard

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Selection:
    stack: str | None = None
    cloud: str | None = None
    layer: str | None = None
    shard: Shard | None = None

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond --stack narrows the project's stacks."""
        return (self.cloud, self.layer, self.shard) != (None, None, None)

    def describe(self) -> str:
        parts = [
            f"cloud {self.cloud}" if self.cloud else "",
            f"layer {self.layer}" if self.layer else "",
        ]
        if self.shard:
            parts.append(f"shard {self.shard}")
        return ", ".join(p for p in parts if p) or "all stacks"

    def names(self, directory: Path) -> list[str] | None:
        """The stacks selected in the project DIR; None when nothing narrows them (all)."""
        if self.stack is not None:
            return [self.stack]
        if not self.narrowed:
            return None
        from forcelift.stacks.shards import shard_stacks

        return shard_stacks(directory, cloud=self.cloud, layer=self.layer, shard=self.shard)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def stack_selection(verb: str, stack_help: str) -> Callable[[F], F]:
    """The four options, gathered into one `selection: Selection` argument."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def with_selection(
            *args: Any,
            stack: str | None,
            cloud: str | None,
            layer: str | None,
            shard: Shard | None,
            **kwargs: Any,
        ) -> Any:
            if stack is not None and (cloud, layer, shard) != (None, None, None):
                raise click.UsageError(
                    "--stack cannot be combined with --cloud, --layer or --shard"
                )
            return func(*args, selection=Selection(stack, cloud, layer, shard), **kwargs)

        wrapped: Any = with_selection
        for option in reversed(
            (
                click.option("--stack", default=None, help=stack_help),
                click.option(
                    "--cloud",
                    type=click.Choice(["azure", "aws"]),
                    default=None,
                    help=f"{verb} only this cloud's stacks.",
                ),
                click.option(
                    "--layer",
                    type=click.Choice(LAYERS),
                    default=None,
                    help=f"{verb} only the stacks of this layer.",
                ),
                click.option(
                    "--shard",
                    metavar="I/N",
                    callback=_shard,
                    default=None,
                    help=f"{verb} only shard I of N of the selected stacks (balanced by "
                    "estimated resources; a split wave's parts stay together).",
                ),
            )
        ):
            wrapped = option(wrapped)
        return wrapped  # type: ignore[no-any-return]

    return decorate
