"""What the Azure and AWS programs share on the way from the plan to component args.

Both programs build every component's args first (pure; run-time values are `PENDING`
placeholders), then declare. The tag values, the workload record, the wave's place in the plan
and the stack references are the same logic for both clouds; each cloud's `Tags` type only
differs in how it holds them, so the values travel as :class:`TagValues`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pulumi

from forcelift.migration.plan.planfile import CloudWorkload
from forcelift.stacks.context import StackContext, highest_criticality

PENDING = "<pending>"  # stands for a value only known at run time; replaced before use
REQUIRED_TAGS = ("application", "owner", "data-classification", "cost-centre", "wave")

Spec = TypeVar("Spec")


@contextlib.contextmanager
def args_errors(ctx: StackContext, path: str) -> Iterator[None]:
    """A component's args refused a value: report it at its place in the plan."""
    try:
        yield
    except ValueError as exc:
        raise ctx.error(path, str(exc)) from None


@dataclass(frozen=True)
class TagValues:
    """The five required tags and the sorted extra ones, before a cloud's `Tags` checks them."""

    application: str
    owner: str
    data_classification: str
    cost_centre: str
    wave: str
    extra: tuple[tuple[str, str], ...] = ()


def platform_tag_values(
    ctx: StackContext, application: str, wave: str, classification: str, criticality: str
) -> TagValues:
    """Tags of shared resources (hub, spoke): the plan gives them no owner, config may."""
    return TagValues(
        application=application,
        owner=ctx.config.platform_owner,
        data_classification=classification,
        cost_centre=ctx.config.platform_cost_centre,
        wave=wave,
        extra=(("criticality", criticality), ("forcelift-stack", ctx.stack.name)),
    )


def workload_tag_values(workload: CloudWorkload) -> TagValues:
    """The plan's tags: the five required ones, plus criticality, forcelift-stack and more."""
    tags = dict(workload.tags)
    return TagValues(
        application=tags["application"],
        owner=tags["owner"],
        data_classification=tags["data-classification"],
        cost_centre=tags["cost-centre"],
        wave=tags["wave"],
        extra=tuple(sorted((k, v) for k, v in tags.items() if k not in REQUIRED_TAGS)),
    )


def wave_tag_values(ctx: StackContext, workloads: list[CloudWorkload]) -> TagValues:
    """The wave network's tags: the most sensitive classification, the highest criticality."""
    sensitive = any(w.tags.get("data-classification") == "OFFICIAL-SENSITIVE" for w in workloads)
    return platform_tag_values(
        ctx,
        f"wave-{ctx.stack.wave}-network",
        str(ctx.stack.wave),
        "OFFICIAL-SENSITIVE" if sensitive else "OFFICIAL",
        highest_criticality(w.tags.get("criticality", "") for w in workloads),
    )


def wave_index(ctx: StackContext) -> int:
    """Where this wave stack's wave sits in the plan's `waves` (for paths in errors)."""
    return next(i for i, w in enumerate(ctx.cloud.waves) if w.number == ctx.stack.wave)


def on_premise_ranges(ctx: StackContext) -> list[str]:
    """On-premise and PSN ranges the hub routes to the VPN, sorted and without repeats."""
    connectivity = ctx.cloud.landing_zone.connectivity
    return sorted(set(connectivity.on_premise_ranges) | set(connectivity.psn_ranges))


def workload_record(
    workload: CloudWorkload, built: Mapping[str, object], notes: list[str]
) -> dict[str, Any]:
    """The `workloads` stack output of one workload: what was built from it and why not."""
    return {
        "decision": workload.decision,
        "target": workload.target,
        "components": [kind for kind, args in built.items() if args],
        "vms": len(workload.vms),
        "notes": [*workload.notes, *notes],
    }


def landing_zone_reference(ctx: StackContext) -> pulumi.StackReference:
    """The landing zone's stack outputs, for a wave stack."""
    return pulumi.StackReference(ctx.reference_name(ctx.cloud.landing_zone.stack))


def first_part_reference(ctx: StackContext) -> pulumi.StackReference:
    """The outputs of the split wave's first part (it owns the spoke), for a later part."""
    first = ctx.first_part()
    assert first is not None
    return pulumi.StackReference(ctx.reference_name(first))


@dataclass(frozen=True)
class Layer(Generic[Spec]):
    """One layer of a cloud program: args from the plan (every check), then declarations."""

    spec: Callable[[StackContext], Spec]
    declare: Callable[[StackContext, Spec], None]

    def build(self, ctx: StackContext) -> None:
        self.declare(ctx, self.spec(ctx))


def source_references(ctx: StackContext) -> dict[str, pulumi.StackReference]:
    """One stack reference per host wave stack this sharing stack reads (its
    `sharedServices` output), made once each: two services of one host share it."""
    return {name: pulumi.StackReference(ctx.reference_name(name)) for name in ctx.source_stacks()}


def build_stack(
    ctx: StackContext,
    landing_zone: Layer[Any],
    wave: Layer[Any],
    sharing: Layer[Any] | None = None,
) -> None:
    """Declare this stack's components; every check runs before the first declaration.

    `sharing` is the cloud program's sharing layer (`SHARING`); a program without one stops
    a sharing stack with an InputError rather than declaring nothing."""
    layer = ctx.stack.layer
    if layer == "sharing":
        if sharing is None:
            index = next(i for i, s in enumerate(ctx.cloud.stacks) if s.name == ctx.stack.name)
            raise ctx.error(
                ctx.path("stacks", index, "layer"),
                f"the {ctx.config.cloud} program has no sharing layer yet, so "
                f"{ctx.stack.name} cannot be built",
                "deploy the landing zone and waves; upgrade forcelift for the sharing stack",
            )
        sharing.build(ctx)
        return
    (landing_zone if layer == "landing-zone" else wave).build(ctx)
