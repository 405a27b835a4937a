"""AWS values every part of the AWS program reads: tags, per-zone subnets and the Verified
Access trust the landing zone attaches."""

from __future__ import annotations

from typing import Any

from forcelift.components.aws.hub_specs import DeviceTrust, DeviceTrustSpec, RemoteAccessSpec
from forcelift.components.aws.network_specs import SubnetSpec
from forcelift.components.aws.tags import Tags
from forcelift.migration.errors import InputError
from forcelift.stacks.config import NAMESPACE, config_problem
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


DEVICE_TRUST_KEY = "deviceTrustProvider"  # jamf | crowdstrike | jumpcloud (engineer value)
DEVICE_TENANT_KEY = "deviceTrustTenantId"  # the device-management tenant (engineer value)


def staff_access_planned(ctx: StackContext) -> bool:
    """Whether the plan publishes any application to staff through Verified Access."""
    return any(a.method == "verified-access" for a in ctx.cloud.sharing.staff_access)


def remote_access_spec(ctx: StackContext) -> RemoteAccessSpec | None:
    """The landing zone's Verified Access trust: the user provider, and (when staff access is
    planned) the device provider from the engineer's values. The landing zone attaches it and
    the waves' staff groups read the same spec, so their Cedar policies name exactly the
    reference names attached to the instance."""
    if ctx.cloud.landing_zone.remote_access != "aws-verified-access":
        return None
    if not staff_access_planned(ctx):
        return RemoteAccessSpec()
    text = ctx.value(DEVICE_TRUST_KEY).lower()
    try:
        kind = DeviceTrust(text)
    except ValueError:
        raise InputError(
            config_problem(
                ctx.stack_name,
                f"{NAMESPACE}:{DEVICE_TRUST_KEY}",
                f"{text!r} is not a Verified Access device trust provider",
                f"use one of {', '.join(d.value for d in DeviceTrust)}",
            )
        ) from None
    with args_errors(ctx, ctx.path("landing_zone", "remote_access")):
        return RemoteAccessSpec(
            device=DeviceTrustSpec(kind=kind, tenant_id=ctx.value(DEVICE_TENANT_KEY))
        )
