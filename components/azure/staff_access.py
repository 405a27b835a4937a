"""Zero-trust staff access to a wave's web applications: Front Door Premium with private origins.

Staff reach each application at its own staff host name from any managed device, without a
network VPN. Front Door Premium terminates TLS (1.2 or later, managed certificate), its WAF
blocks attacks (Prevention mode, Microsoft's default and bot rule sets), and it reaches the
application only over Private Link (the App Service's `sites` endpoint or a Private Link
service for servers), so the application keeps no public endpoint. Identity is checked at the
application: App Service authentication with Entra ID for web apps (every request needs a
signed-in user), the application's own OIDC sign-in for servers. One profile per wave stack,
shared by the wave's applications; its logs go to the landing zone's workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import cdn, frontdoor, resources, web

from forcelift.components.azure.common import AzureRegion, DiagnosticTarget, resource_name
from forcelift.components.azure.management import diagnostic_setting
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
#: (rule set, version) the WAF policy enforces; Premium is needed for managed rule sets
MANAGED_RULE_SETS = (("Microsoft_DefaultRuleSet", "2.1"), ("Microsoft_BotManagerRuleSet", "1.1"))
AUTH_SECRET_SETTING = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"


@dataclass(frozen=True)
class AppServiceAuth:
    """App Service authentication (Easy Auth) with Entra ID in front of one web app."""

    web_app_name: pulumi.Input[str] = field(compare=False)
    resource_group_name: pulumi.Input[str] = field(compare=False)
    client_id: str  # the Entra app registration staff sign in to
    tenant_id: pulumi.Input[str] = field(compare=False)

    def __post_init__(self) -> None:
        if not self.client_id.strip():
            raise ValueError("App Service authentication needs the Entra app's client id")


@dataclass(frozen=True)
class StaffApp:
    """One application behind the profile."""

    application: str
    name: str  # a slug, unique in the profile: used in resource names
    hostname: str  # the staff URL's host, e.g. "custody.exampleshire.staff.police.uk"
    origin_host: pulumi.Input[str] = field(compare=False)  # e.g. the web app's default host
    #: the Private Link target: the web app's id (group "sites") or a Private Link service id
    private_link_id: pulumi.Input[str] = field(compare=False)
    group_id: str = "sites"  # "" for a Private Link service
    #: Host header to the origin (its certificate must match); "" = origin_host
    origin_host_header: str = ""
    port: int = 443
    health_path: str = "/"
    auth: AppServiceAuth | None = None  # None: the application signs staff in itself (OIDC)

    def __post_init__(self) -> None:
        if not HOSTNAME.match(self.hostname):
            raise ValueError(f"staff access {self.name}: {self.hostname!r} is not a host name")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"staff access {self.name}: port {self.port} is outside 1..65535")


@dataclass(frozen=True)
class StaffAccessFrontDoorArgs:
    force: str
    name: str  # the profile's scope, e.g. "wave-1"
    tags: Tags
    apps: tuple[StaffApp, ...]
    location: AzureRegion = AzureRegion.UKSOUTH  # resource group and Private Link region
    log_analytics_workspace_id: pulumi.Input[str] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.apps:
            raise ValueError(f"staff access {self.name}: no applications")
        for what, values in (
            ("names", [a.name for a in self.apps]),
            ("host names", [a.hostname for a in self.apps]),
        ):
            if len(set(values)) != len(values):
                raise ValueError(f"staff access {self.name}: {what} repeat: {sorted(values)}")


def waf_policy_name(force: str, name: str) -> str:
    """Front Door WAF policy names: letters and digits only, starting with a letter."""
    return re.sub(r"[^A-Za-z0-9]", "", f"waf{force}{name}")[:128]


class StaffAccessFrontDoor(pulumi.ComponentResource):
    endpoint_host_names: dict[str, pulumi.Output[str]]
    profile_id: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: StaffAccessFrontDoorArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("forcelift:azure:StaffAccessFrontDoor", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        tags = args.tags.as_dict()
        self._tags = tags
        location = str(args.location)
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=make_name(
                "azure-resource-group", "rg", args.force, args.name, "staff-access", location
            ),
            location=location,
            tags=tags,
            opts=self._child,
        )
        self._rg = group.name
        profile = cdn.Profile(
            f"{name}-afd",
            profile_name=resource_name(260, "afd", args.force, args.name),
            resource_group_name=group.name,
            location="global",
            sku=cdn.SkuArgs(name=cdn.SkuName.PREMIUM_AZURE_FRONT_DOOR),
            origin_response_timeout_seconds=60,
            tags=tags,
            opts=self._child,
        )
        self._profile = profile.name
        waf = frontdoor.Policy(
            f"{name}-waf",
            policy_name=waf_policy_name(args.force, args.name),
            resource_group_name=group.name,
            location="global",
            sku=frontdoor.SkuArgs(name=frontdoor.SkuName.PREMIUM_AZURE_FRONT_DOOR),
            policy_settings=frontdoor.PolicySettingsArgs(
                enabled_state=frontdoor.PolicyEnabledState.ENABLED,
                mode=frontdoor.PolicyMode.PREVENTION,
                request_body_check=frontdoor.PolicyRequestBodyCheck.ENABLED,
            ),
            managed_rules=frontdoor.ManagedRuleSetListArgs(
                managed_rule_sets=[
                    frontdoor.ManagedRuleSetArgs(
                        rule_set_type=rule_set,
                        rule_set_version=version,
                        rule_set_action=frontdoor.ManagedRuleSetActionType.BLOCK,
                    )
                    for rule_set, version in MANAGED_RULE_SETS
                ]
            ),
            tags=tags,
            opts=self._child,
        )
        self.endpoint_host_names = {}
        protected: list[pulumi.Input[str]] = []
        for app in args.apps:
            protected.extend(self._app(app))
        cdn.SecurityPolicy(
            f"{name}-waf-policy",
            security_policy_name="waf",
            profile_name=profile.name,
            resource_group_name=group.name,
            parameters=cdn.SecurityPolicyWebApplicationFirewallParametersArgs(
                type="WebApplicationFirewall",
                waf_policy=cdn.ResourceReferenceArgs(id=waf.id),
                associations=[
                    cdn.SecurityPolicyWebApplicationFirewallAssociationArgs(
                        domains=[cdn.ActivatedResourceReferenceArgs(id=d) for d in protected],
                        patterns_to_match=["/*"],
                    )
                ],
            ),
            opts=self._child,
        )
        if args.log_analytics_workspace_id is not None:
            diagnostic_setting(
                name, DiagnosticTarget("afd", profile.id), args.log_analytics_workspace_id, self
            )
        self.profile_id = profile.id
        self.register_outputs(
            {"profile_id": self.profile_id, "endpoint_host_names": self.endpoint_host_names}
        )

    def _app(self, app: StaffApp) -> list[pulumi.Output[str]]:
        """Endpoint, custom domain, origin group, private origin and route of one application;
        returns the ids the WAF must cover (the endpoint and the custom domain)."""
        args, key = self._args, f"{self._name}-{app.name}"
        endpoint = cdn.AFDEndpoint(
            f"{key}-endpoint",
            endpoint_name=resource_name(46, "fde", args.force, app.name),
            location="global",
            enabled_state=cdn.EnabledState.ENABLED,
            tags=self._tags,
            opts=self._child,
            profile_name=self._profile,
            resource_group_name=self._rg,
        )
        domain = cdn.AFDCustomDomain(
            f"{key}-domain",
            custom_domain_name=resource_name(260, app.hostname.replace(".", "-")),
            host_name=app.hostname,
            tls_settings=cdn.AFDDomainHttpsParametersArgs(
                certificate_type=cdn.AfdCertificateType.MANAGED_CERTIFICATE,
                minimum_tls_version=cdn.AfdMinimumTlsVersion.TLS12,
            ),
            opts=self._child,
            profile_name=self._profile,
            resource_group_name=self._rg,
        )
        group = cdn.AFDOriginGroup(
            f"{key}-origins",
            origin_group_name=app.name,
            health_probe_settings=cdn.HealthProbeParametersArgs(
                probe_path=app.health_path,
                probe_protocol=cdn.ProbeProtocol.HTTPS,
                probe_request_type=cdn.HealthProbeRequestType.HEAD,
                probe_interval_in_seconds=60,
            ),
            load_balancing_settings=cdn.LoadBalancingSettingsParametersArgs(
                sample_size=4, successful_samples_required=3
            ),
            session_affinity_state=cdn.EnabledState.DISABLED,
            opts=self._child,
            profile_name=self._profile,
            resource_group_name=self._rg,
        )
        origin = cdn.AFDOrigin(
            f"{key}-origin",
            origin_name=app.name,
            origin_group_name=app.name,
            host_name=app.origin_host,
            origin_host_header=app.origin_host_header or app.origin_host,
            https_port=app.port,
            enforce_certificate_name_check=True,
            enabled_state=cdn.EnabledState.ENABLED,
            shared_private_link_resource=cdn.SharedPrivateLinkResourcePropertiesArgs(
                private_link=cdn.ResourceReferenceArgs(id=app.private_link_id),
                private_link_location=str(args.location),
                group_id=app.group_id or None,
                request_message=f"Front Door staff access to {app.application}",
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[group]),
            profile_name=self._profile,
            resource_group_name=self._rg,
        )
        cdn.Route(
            f"{key}-route",
            route_name=app.name,
            endpoint_name=endpoint.name,
            origin_group=cdn.ResourceReferenceArgs(id=group.id),
            custom_domains=[cdn.ActivatedResourceReferenceArgs(id=domain.id)],
            supported_protocols=[cdn.AFDEndpointProtocols.HTTP, cdn.AFDEndpointProtocols.HTTPS],
            https_redirect=cdn.HttpsRedirect.ENABLED,  # http is only ever redirected
            forwarding_protocol=cdn.ForwardingProtocol.HTTPS_ONLY,
            link_to_default_domain=cdn.LinkToDefaultDomain.DISABLED,
            patterns_to_match=["/*"],
            enabled_state=cdn.EnabledState.ENABLED,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[origin]),
            profile_name=self._profile,
            resource_group_name=self._rg,
        )
        if app.auth is not None:
            self._app_service_auth(key, app.auth)
        self.endpoint_host_names[app.name] = endpoint.host_name
        return [endpoint.id, domain.id]

    def _app_service_auth(self, key: str, auth: AppServiceAuth) -> None:
        """Every request to the web app needs an Entra ID sign-in; unauthenticated: redirect."""
        issuer = pulumi.Output.concat("https://login.microsoftonline.com/", auth.tenant_id, "/v2.0")
        web.WebAppAuthSettingsV2(
            f"{key}-auth",
            name=auth.web_app_name,
            resource_group_name=auth.resource_group_name,
            platform=web.AuthPlatformArgs(enabled=True),
            global_validation=web.GlobalValidationArgs(
                require_authentication=True,
                unauthenticated_client_action=web.UnauthenticatedClientActionV2.REDIRECT_TO_LOGIN_PAGE,
                redirect_to_provider="azureactivedirectory",
            ),
            http_settings=web.HttpSettingsArgs(
                require_https=True,
                # behind Front Door: trust X-Forwarded-Host so sign-in returns to the staff URL
                forward_proxy=web.ForwardProxyArgs(convention=web.ForwardProxyConvention.STANDARD),
            ),
            identity_providers=web.IdentityProvidersArgs(
                azure_active_directory=web.AzureActiveDirectoryArgs(
                    enabled=True,
                    registration=web.AzureActiveDirectoryRegistrationArgs(
                        client_id=auth.client_id,
                        client_secret_setting_name=AUTH_SECRET_SETTING,
                        open_id_issuer=issuer,
                    ),
                    validation=web.AzureActiveDirectoryValidationArgs(
                        allowed_audiences=[f"api://{auth.client_id}", auth.client_id]
                    ),
                )
            ),
            login=web.LoginArgs(token_store=web.TokenStoreArgs(enabled=True)),
            opts=self._child,
        )
