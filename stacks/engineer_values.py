"""The values a stack's program asks the engineer for (never written by forcelift): which
stacks need which, with the README's wording. stacks/config.py holds the preview stand-ins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forcelift.migration.plan.planfile import CloudPlan, CloudWorkload, StackPlan

GATEWAY_KEY = "forcelift:onPremGatewayAddress"


@dataclass(frozen=True)
class EngineerValue:
    """A config value forcelift never writes: the engineer sets it before `pulumi up`."""

    key: str
    what: str
    secret: bool = True
    placeholder: str = ""

    def command(self, stack: str) -> str:
        if self.secret:  # no value on the command line: pulumi prompts, history stays clean
            return f"pulumi config set --secret {self.key} --stack {stack}"
        return f"pulumi config set {self.key} {self.placeholder} --stack {stack}"


GATEWAY = EngineerValue(
    GATEWAY_KEY,
    "public IP of the force's on-premise / PSN VPN endpoint (leave unset to build no VPN yet)",
    secret=False,
    placeholder="<public-ip>",
)
VPN_SHARED_KEY = EngineerValue(
    "forcelift:vpnSharedKey",
    "pre-shared key of the site-to-site VPN to the on-premise / PSN gateway",
)
ADMIN_PASSWORD = EngineerValue(
    "forcelift:adminPassword",
    "administrator password for the stack's Azure VMs, Azure SQL and PostgreSQL "
    "(12-123 characters with three of: lower case, upper case, digit, symbol)",
)
VPN_TUNNEL_KEYS = (
    EngineerValue(
        "forcelift:vpnTunnel1Key",
        "pre-shared key of the first AWS Site-to-Site VPN tunnel (8-64 characters: letters, "
        "digits, '.' and '_'; not starting with 0; unset, AWS makes one up)",
    ),
    EngineerValue(
        "forcelift:vpnTunnel2Key",
        "pre-shared key of the second AWS Site-to-Site VPN tunnel (same rules)",
    ),
)
ACCOUNT_EMAIL_DOMAIN = EngineerValue(
    "forcelift:accountEmailDomain",
    "mail domain the force controls, for the e-mail addresses of the AWS accounts the landing "
    "zone creates (aws-<slug>-<account>@<domain>)",
    secret=False,
    placeholder="<mail-domain>",
)
CERTIFICATE_ARN = EngineerValue(
    "forcelift:certificateArn",
    "ARN of the ACM certificate (in the stack's region) for the web apps' HTTPS listeners",
    secret=False,
    placeholder="<acm-certificate-arn>",
)
DEVICE_TRUST = EngineerValue(
    "forcelift:deviceTrustProvider",
    "device-management service staff devices are enrolled in, Verified Access's device trust "
    "provider: jamf, crowdstrike or jumpcloud (the same on the landing zone and every wave "
    "with staff access: the staff policy reads it)",
    secret=False,
    placeholder="<jamf|crowdstrike|jumpcloud>",
)
DEVICE_TENANT = EngineerValue(
    "forcelift:deviceTrustTenantId",
    "tenant (application) id of that device-management service, for the device trust provider",
    secret=False,
    placeholder="<device-tenant-id>",
)
STAFF_ENTRA_CLIENT = EngineerValue(
    "forcelift:staffEntraClientId",
    "client id of the Entra ID app registration staff sign in to (App Service authentication "
    "behind Front Door); until it is set, deploying the stack stops and names this key",
    secret=False,
    placeholder="<entra-client-id>",
)
API_PUBLISHER_EMAIL = EngineerValue(
    "forcelift:apiPublisherEmail",
    "mailbox API Management sends its notices to (the agency API's publisher)",
    secret=False,
    placeholder="<publisher-email>",
)
# Optional on any stack; the program has defaults (shown in the README).
OPTIONAL_VALUES = (
    ("forcelift:platformOwner", "owner tag of shared platform resources", "platform-team"),
    ("forcelift:platformCostCentre", "cost-centre tag of shared platform resources", "platform"),
    (
        "forcelift:organizationRootId",
        "AWS landing zone: root id (r-…) of an existing AWS Organization to build into",
        "a new organization",
    ),
)


ByStack = Mapping[str, Mapping[str, CloudWorkload]]


def workloads_by_stack(cloud: CloudPlan) -> dict[str, dict[str, CloudWorkload]]:
    """The cloud's workloads by stack, then application: made once per cloud by a caller
    that asks about every stack (hundreds of stacks over 100,000 servers' workloads)."""
    index: dict[str, dict[str, CloudWorkload]] = {}
    for workload in cloud.workloads:
        index.setdefault(workload.stack, {})[workload.application] = workload
    return index


def _has_web_app(workload: CloudWorkload | None) -> bool:
    return workload is not None and any(p.kind == "web_app" for p in workload.paas)


def _azure_wave(
    cloud: CloudPlan, stack: StackPlan, workloads: Mapping[str, CloudWorkload]
) -> tuple[EngineerValue, ...]:
    """Admin password; the Entra client id when staff reach a web app of the stack through
    Front Door (App Service authentication); the APIM publisher when it hosts an agency API."""
    sharing = cloud.sharing
    staff = any(
        a.stack == stack.name
        and a.method == "front-door-private-origin"
        and _has_web_app(workloads.get(a.application))
        for a in sharing.staff_access
    )
    api = any(h.stack == stack.name and h.api for h in sharing.hosted)
    return (
        ADMIN_PASSWORD,
        *((STAFF_ENTRA_CLIENT,) if staff else ()),
        *((API_PUBLISHER_EMAIL,) if api else ()),
    )


def _aws_wave(
    cloud: CloudPlan, stack: StackPlan, workloads: Mapping[str, CloudWorkload]
) -> tuple[EngineerValue, ...]:
    """The certificate for web apps and for services shared from servers (TLS at the NLB);
    the device trust values when staff reach an application of the stack (its policy)."""
    sharing = cloud.sharing
    web_apps = any(_has_web_app(w) for w in workloads.values())
    shared_servers = any(
        h.stack == stack.name
        and h.allowed_accounts
        and h.application in workloads
        and workloads[h.application].vms
        for h in sharing.hosted
    )
    staff = any(
        a.stack == stack.name
        and a.method == "verified-access"
        and a.application in workloads
        and (workloads[a.application].vms or _has_web_app(workloads[a.application]))
        for a in sharing.staff_access
    )
    return (
        *((CERTIFICATE_ARN,) if web_apps or shared_servers else ()),
        *((DEVICE_TRUST, DEVICE_TENANT) if staff else ()),
    )


def engineer_values(
    cloud: CloudPlan, stack: StackPlan, by_stack: ByStack | None = None
) -> tuple[EngineerValue, ...]:
    """What this stack's program asks the engineer for (stacks/*_program.py). A sharing
    stack declares endpoints and DNS only: nothing to set."""
    if stack.layer == "sharing":
        return ()
    if cloud.cloud == "azure":
        if stack.layer == "landing-zone":
            return (GATEWAY, VPN_SHARED_KEY)
        return _azure_wave(cloud, stack, _own(cloud, stack, by_stack))
    if stack.layer == "landing-zone":
        staff = cloud.landing_zone.remote_access == "aws-verified-access" and any(
            a.method == "verified-access" for a in cloud.sharing.staff_access
        )
        return (
            GATEWAY,
            ACCOUNT_EMAIL_DOMAIN,
            *VPN_TUNNEL_KEYS,
            *((DEVICE_TRUST, DEVICE_TENANT) if staff else ()),
        )
    return _aws_wave(cloud, stack, _own(cloud, stack, by_stack))


def _own(
    cloud: CloudPlan, stack: StackPlan, by_stack: ByStack | None
) -> Mapping[str, CloudWorkload]:
    """The stack's workloads by application (from `by_stack` when the caller made it)."""
    return (by_stack if by_stack is not None else workloads_by_stack(cloud)).get(stack.name, {})
