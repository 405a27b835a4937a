"""AWS values every part of the AWS program reads: tags and per-zone subnets."""

from __future__ import annotations

from typing import Any

from forcelift.components.aws.network_specs import SubnetSpec
from forcelift.components.aws.tags import Tags
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import TagValues, args_errors


def aws_tags(values: TagValues) -> Tags:
    """The AWS `Tags` of the shared tag values (extra tags as a mapping)."""
    return Tags(
        application=values.application,
        owner=values.owner,
        data_classification=values.data_classification,
        cost_centre=values.cost_centre,
        wave=values.wave,
        extra=dict(values.extra),
    )


def zone_subnets(
    ctx: StackContext, subnets: Any, names: tuple[str, ...], path: str
) -> tuple[SubnetSpec, ...]:
    """One subnet per zone: the first of `names` the network has (components take one set)."""
    for name in names:
        found = [s for s in subnets if s.name == name and s.zone]
        if found:
            with args_errors(ctx, path):
                return tuple(
                    SubnetSpec(s.zone, s.cidr) for s in sorted(found, key=lambda s: s.zone)
                )
    raise ctx.error(path, f"no per-zone subnets named {' or '.join(names)}")
