"""Which stacks ask the engineer for which values (stacks/engineer_values.py), including the
sharing and staff-access values, and that each has a preview stand-in (stacks/config.py)."""

from __future__ import annotations

from typing import Any

import pytest

from forcelift.migration.plan.planfile import CloudPlan, CloudWorkload, Plan, StackPlan
from forcelift.migration.plan.sharing_plan import CloudSharing, HostedService, StaffAccess
from forcelift.stacks.config import ENGINEER_VALUES, NAMESPACE
from forcelift.stacks.engineer_values import engineer_values


def _cloud(plan: Plan, helpers: Any, cloud: str) -> CloudPlan:
    return helpers.only_cloud(plan, cloud).clouds[0]


def _keys(cloud: CloudPlan, stack: StackPlan) -> list[str]:
    return [v.key.removeprefix(f"{NAMESPACE}:") for v in engineer_values(cloud, stack)]


def _stack(cloud: CloudPlan, name: str) -> StackPlan:
    return next(s for s in cloud.stacks if s.name == name)


def _first(cloud: CloudPlan, test: Any) -> CloudWorkload:
    return next(w for w in cloud.workloads if test(w))


def _web(w: CloudWorkload) -> bool:
    return any(p.kind == "web_app" for p in w.paas)


def _staff(w: CloudWorkload, method: str) -> StaffAccess:
    return StaffAccess(
        application=w.application,
        stack=w.stack,
        method=method,  # type: ignore[arg-type]
        hostname="app.exampleshire.staff.police.uk",
        identity="identity",
        reason="serves web users",
    )


def _with(cloud: CloudPlan, sharing: CloudSharing) -> CloudPlan:
    return cloud.model_copy(update={"sharing": sharing})


def test_every_engineer_value_has_a_preview_stand_in() -> None:
    from forcelift.stacks import engineer_values as module

    declared = {
        v.key.removeprefix(f"{NAMESPACE}:")
        for v in vars(module).values()
        if isinstance(v, module.EngineerValue)
    } | {v.key.removeprefix(f"{NAMESPACE}:") for v in module.VPN_TUNNEL_KEYS}
    assert declared - {"onPremGatewayAddress"} <= set(ENGINEER_VALUES)
    for key in ("deviceTrustProvider", "deviceTrustTenantId", "staffEntraClientId"):
        assert key in ENGINEER_VALUES
    assert ENGINEER_VALUES["deviceTrustProvider"] == ("jamf", False)
    assert ENGINEER_VALUES["apiPublisherEmail"][0].endswith("@example.police.uk")


def test_aws_waves_hosting_a_service_on_servers_need_the_certificate(
    sample_plan: Plan, helpers: Any
) -> None:
    only = helpers.keep_workloads(helpers.only_cloud(sample_plan, "aws"), ["Intelligence Analysis"])
    cloud = _with(only.clouds[0], CloudSharing())
    server = _first(cloud, lambda w: bool(w.vms))
    stack = _stack(cloud, server.stack)
    assert "certificateArn" not in _keys(cloud, stack)
    hosted = HostedService(
        name="intel",
        application=server.application,
        stack=stack.name,
        consumers=("northshire",),
        allowed_accounts=("456789012345",),
    )
    assert "certificateArn" in _keys(_with(cloud, CloudSharing(hosted=(hosted,))), stack)
    # nobody allowed: no endpoint service is built, so no certificate is asked for
    nobody = hosted.model_copy(update={"allowed_accounts": ()})
    assert "certificateArn" not in _keys(_with(cloud, CloudSharing(hosted=(nobody,))), stack)


def test_aws_staff_access_needs_the_device_trust_values(sample_plan: Plan, helpers: Any) -> None:
    cloud = _with(_cloud(sample_plan, helpers, "aws"), CloudSharing())
    lz = _stack(cloud, cloud.landing_zone.stack)
    server = _first(cloud, lambda w: bool(w.vms))
    wave = _stack(cloud, server.stack)
    assert "deviceTrustProvider" not in _keys(cloud, lz) + _keys(cloud, wave)
    staffed = _with(cloud, CloudSharing(staff_access=(_staff(server, "verified-access"),)))
    assert _keys(staffed, lz)[-2:] == ["deviceTrustProvider", "deviceTrustTenantId"]
    assert _keys(staffed, wave)[-2:] == ["deviceTrustProvider", "deviceTrustTenantId"]


def test_azure_staff_access_and_apim_values(sample_plan: Plan, helpers: Any) -> None:
    cloud = _with(_cloud(sample_plan, helpers, "azure"), CloudSharing())
    web = _first(cloud, _web)
    stack = _stack(cloud, web.stack)
    assert _keys(cloud, stack) == ["adminPassword"]
    staffed = CloudSharing(staff_access=(_staff(web, "front-door-private-origin"),))
    assert _keys(_with(cloud, staffed), stack) == ["adminPassword", "staffEntraClientId"]
    api = HostedService(
        name="web",
        application=web.application,
        stack=stack.name,
        api=True,
        consumers=("northshire",),
    )
    both = staffed.model_copy(update={"hosted": (api,)})
    assert _keys(_with(cloud, both), stack) == [
        "adminPassword",
        "staffEntraClientId",
        "apiPublisherEmail",
    ]
    # an AWS method on Azure is not built: nothing to sign in to
    aws_method = CloudSharing(staff_access=(_staff(web, "verified-access"),))
    assert _keys(_with(cloud, aws_method), stack) == ["adminPassword"]


@pytest.mark.parametrize("cloud_name", ["azure", "aws"])
def test_sharing_stacks_need_nothing(sample_plan: Plan, helpers: Any, cloud_name: str) -> None:
    cloud = _cloud(sample_plan, helpers, cloud_name)
    sharing = StackPlan(
        name=f"exampleshire-{cloud_name}-sharing", layer="sharing", estimated_resources=4
    )
    assert engineer_values(cloud, sharing) == ()
