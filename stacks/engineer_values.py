"""The values a stack's program asks the engineer for (never written by forcelift): which
stacks need which, with the README's wording. stacks/config.py holds the preview stand-ins."""

from __future__ import annotations

from dataclasses import dataclass

from forcelift.migration.plan.planfile import CloudPlan, StackPlan

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


def engineer_values(cloud: CloudPlan, stack: StackPlan) -> tuple[EngineerValue, ...]:
    """What this stack's program asks the engineer for (stacks/*_program.py). A sharing
    stack declares endpoints and DNS only: nothing to set."""
    if stack.layer == "sharing":
        return ()
    if cloud.cloud == "azure":
        if stack.layer == "landing-zone":
            return (GATEWAY, VPN_SHARED_KEY)
        return (ADMIN_PASSWORD,)
    if stack.layer == "landing-zone":
        return (GATEWAY, ACCOUNT_EMAIL_DOMAIN, *VPN_TUNNEL_KEYS)
    web_apps = any(
        part.kind == "web_app"
        for workload in cloud.workloads
        if workload.stack == stack.name
        for part in workload.paas
    )
    return (CERTIFICATE_ARN,) if web_apps else ()
