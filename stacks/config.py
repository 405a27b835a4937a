"""A stack's config: the keys every stack carries (docs/stack-contract.md), read and checked
once, every missing or bad key reported together."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from forcelift.migration.clouds import PROVIDER_CONFIG_KEY
from forcelift.migration.errors import InputError, Location, Problem

NAMESPACE = "forcelift"
REQUIRED_KEYS = ("plan", "cloud", "layer", "organization")
# The stack layers (planfile.Layer): a sharing stack, like a landing zone, has no wave.
LAYERS = ("landing-zone", "wave", "sharing")
# Values the engineer sets (never written by forcelift) and the stand-ins the offline preview
# uses: key -> (dummy value, secret?). The program asks for them only when a stack needs them.
ENGINEER_VALUES: dict[str, tuple[str, bool]] = {
    "adminPassword": ("preview-Admin-Passw0rd!", True),
    "vpnSharedKey": ("preview-vpn-shared-key", True),
    "vpnTunnel1Key": ("preview_tunnel_key_1", True),
    "vpnTunnel2Key": ("preview_tunnel_key_2", True),
    "certificateArn": (
        "arn:aws:acm:eu-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000000",
        False,
    ),
    "accountEmailDomain": ("example.police.uk", False),
    "deviceTrustProvider": ("jamf", False),
    "deviceTrustTenantId": ("preview-device-tenant", False),
    "staffEntraClientId": ("22222222-2222-2222-2222-222222222222", False),
    "apiPublisherEmail": ("api-publisher@example.police.uk", False),
}

# Defaults for shared (platform) resources, which the plan gives no owner for.
PLATFORM_OWNER = "platform-team"
PLATFORM_COST_CENTRE = "platform"


@dataclass(frozen=True)
class StackConfig:
    """The stack's config, read once and checked (keys in docs/stack-contract.md)."""

    plan_path: str
    cloud: str
    layer: str
    organization: str
    location: str
    wave: int | None = None
    on_prem_gateway: str | None = None
    platform_owner: str = PLATFORM_OWNER
    platform_cost_centre: str = PLATFORM_COST_CENTRE
    organization_root_id: str | None = None


def config_problem(stack: str, key: str, message: str, hint: str) -> Problem:
    return Problem(message, Location(file=f"Pulumi.{stack}.yaml", column=key), hint=hint)


def read_config(get: Callable[[str], str | None], stack: str) -> StackConfig:
    """Config from `get(full_key)`; every missing or bad key is reported at once."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    for key in REQUIRED_KEYS:
        value = (get(f"{NAMESPACE}:{key}") or "").strip()
        if not value:
            problems.append(
                config_problem(
                    stack,
                    f"{NAMESPACE}:{key}",
                    f"missing stack config {NAMESPACE}:{key}",
                    f"`pulumi config set {NAMESPACE}:{key} VALUE --stack {stack}` "
                    "or re-run `forcelift generate`",
                )
            )
        values[key] = value
    cloud, layer = values["cloud"], values["layer"]
    if cloud and cloud not in PROVIDER_CONFIG_KEY:
        problems.append(
            config_problem(
                stack, "forcelift:cloud", f"cloud {cloud!r} is not azure or aws", "use azure or aws"
            )
        )
    if layer and layer not in LAYERS:
        problems.append(
            config_problem(
                stack,
                "forcelift:layer",
                f"layer {layer!r} is not landing-zone, wave or sharing",
                "use landing-zone, wave or sharing",
            )
        )
    wave: int | None = None
    if layer == "wave":
        text = (get(f"{NAMESPACE}:wave") or "").strip()
        if not text.isdigit():
            problems.append(
                config_problem(
                    stack,
                    "forcelift:wave",
                    f"wave stacks need {NAMESPACE}:wave (a wave number), got {text or 'nothing'}",
                    "re-run `forcelift generate`",
                )
            )
        else:
            wave = int(text)
    location = ""
    if cloud in PROVIDER_CONFIG_KEY:
        location = (get(PROVIDER_CONFIG_KEY[cloud]) or "").strip()
        if not location:
            problems.append(
                config_problem(
                    stack,
                    PROVIDER_CONFIG_KEY[cloud],
                    f"missing stack config {PROVIDER_CONFIG_KEY[cloud]}",
                    f"`pulumi config set {PROVIDER_CONFIG_KEY[cloud]} REGION` (the plan's region)",
                )
            )
    gateway = (get(f"{NAMESPACE}:onPremGatewayAddress") or "").strip() or None
    if gateway is not None:
        try:
            ipaddress.IPv4Address(gateway)
        except ValueError:
            problems.append(
                config_problem(
                    stack,
                    "forcelift:onPremGatewayAddress",
                    f"{gateway!r} is not an IPv4 address",
                    "give the public IP of the on-premise / PSN VPN endpoint",
                )
            )
    if problems:
        raise InputError(problems)
    return StackConfig(
        plan_path=values["plan"],
        cloud=cloud,
        layer=layer,
        organization=values["organization"],
        location=location,
        wave=wave,
        on_prem_gateway=gateway,
        platform_owner=(get(f"{NAMESPACE}:platformOwner") or "").strip() or PLATFORM_OWNER,
        platform_cost_centre=(get(f"{NAMESPACE}:platformCostCentre") or "").strip()
        or PLATFORM_COST_CENTRE,
        organization_root_id=(get(f"{NAMESPACE}:organizationRootId") or "").strip() or None,
    )


def config_getter() -> Callable[[str], str | None]:
    import pulumi

    def get(full_key: str) -> str | None:
        namespace, _, key = full_key.partition(":")
        return pulumi.Config(namespace).get(key)

    return get
