"""An agency API: API Management in internal VNet mode in front of one shared application.

Partner agencies call the API over private connectivity only: the gateway, portal and
management endpoints have private addresses in the host's spoke and are on no public DNS.
Every call must present either a client certificate the gateway validates (chain, dates,
revocation) or an Entra ID token it validates (`validate-jwt`); calls and errors are logged to
the landing zone's Log Analytics workspace. TLS below 1.2 and 3DES are switched off.

`publicNetworkAccess` is left unset on purpose: Azure refuses "Disabled" when the service is
created and for VNet-injected services without a private endpoint; internal mode is what keeps
the gateway private.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from xml.sax.saxutils import quoteattr

import pulumi
from pulumi_azure_native import apimanagement, resources

from forcelift.components.azure.common import AzureRegion, DiagnosticTarget, resource_name
from forcelift.components.azure.management import diagnostic_setting
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

_GATEWAY = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security"
#: old protocols and ciphers off, on the client side and the backend side
SECURITY_PROPERTIES = {
    f"{_GATEWAY}.Protocols.Tls10": "False",
    f"{_GATEWAY}.Protocols.Tls11": "False",
    f"{_GATEWAY}.Protocols.Ssl30": "False",
    f"{_GATEWAY}.Backend.Protocols.Tls10": "False",
    f"{_GATEWAY}.Backend.Protocols.Tls11": "False",
    f"{_GATEWAY}.Backend.Protocols.Ssl30": "False",
    f"{_GATEWAY}.Ciphers.TripleDes168": "False",
}
LOGGER_ID = "azuremonitor"  # the id Azure Monitor's logger and diagnostic must have


class ApiAuth(StrEnum):
    CLIENT_CERTIFICATE = "client-certificate"
    OAUTH = "oauth"


class ApimSku(StrEnum):
    """The tiers that support VNet injection (internal mode)."""

    DEVELOPER = "Developer"  # no SLA: test and small partner APIs
    PREMIUM = "Premium"


@dataclass(frozen=True)
class OAuthSpec:
    """Entra ID tokens: the tenant that issues them and the audience (the API's app id URI)."""

    tenant_id: pulumi.Input[str] = field(compare=False)  # e.g. the client config's tenant
    audience: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.tenant_id, str) and not self.tenant_id.strip():
            raise ValueError("OAuth needs the issuing tenant id")
        if not self.audience.strip():
            raise ValueError("OAuth needs the API's audience (its app id URI)")


@dataclass(frozen=True)
class AgencyApiGatewayArgs:
    force: str
    name: str  # the HostedService name (a slug): the API's id and path
    application: str
    tags: Tags
    subnet_id: pulumi.Input[str] = field(compare=False)  # a subnet for API Management only
    backend_url: pulumi.Input[str] = field(compare=False)  # the application's private URL
    publisher_email: str
    publisher_name: str
    auth: ApiAuth = ApiAuth.CLIENT_CERTIFICATE
    oauth: OAuthSpec | None = None
    #: client-certificate thumbprints the API accepts; empty: any certificate with a valid chain
    client_thumbprints: tuple[str, ...] = ()
    sku: ApimSku = ApimSku.DEVELOPER
    capacity: int = 1
    location: AzureRegion = AzureRegion.UKSOUTH
    log_analytics_workspace_id: pulumi.Input[str] | None = field(default=None, compare=False)
    unique_seed: str = ""

    def __post_init__(self) -> None:
        if self.auth is ApiAuth.OAUTH and self.oauth is None:
            raise ValueError(f"agency API {self.name}: OAuth needs `oauth` (tenant, audience)")
        if self.auth is ApiAuth.CLIENT_CERTIFICATE and self.oauth is not None:
            raise ValueError(f"agency API {self.name}: `oauth` given for client certificates")
        if "@" not in self.publisher_email:
            raise ValueError(f"agency API {self.name}: publisher_email must be an e-mail address")
        if self.sku is ApimSku.DEVELOPER and self.capacity != 1:
            raise ValueError(f"agency API {self.name}: the Developer tier has one unit")
        if self.capacity < 1:
            raise ValueError(f"agency API {self.name}: capacity must be at least 1")


def auth_policy(args: AgencyApiGatewayArgs, tenant_id: str = "") -> str:
    """The API's inbound policy: reject any call without a valid certificate or token."""
    if args.auth is ApiAuth.OAUTH:
        assert args.oauth is not None
        issuer = f"https://login.microsoftonline.com/{tenant_id}"
        check = (
            '<validate-jwt header-name="Authorization" failed-validation-httpcode="401" '
            'require-scheme="Bearer" require-expiration-time="true" '
            'require-signed-tokens="true">'
            f"<openid-config url={quoteattr(issuer + '/v2.0/.well-known/openid-configuration')} />"
            f"<audiences><audience>{args.oauth.audience}</audience></audiences>"
            f"<issuers><issuer>{issuer}/v2.0</issuer></issuers>"
            "</validate-jwt>"
        )
    else:
        identities = "".join(
            f"<identity thumbprint={quoteattr(t.upper())} />" for t in args.client_thumbprints
        )
        check = (
            '<validate-client-certificate validate-revocation="true" validate-trust="true" '
            'validate-not-before="true" validate-not-after="true" ignore-error="false">'
            f"<identities>{identities}</identities></validate-client-certificate>"
            if identities
            else '<validate-client-certificate validate-revocation="true" '
            'validate-trust="true" validate-not-before="true" validate-not-after="true" '
            'ignore-error="false" />'
        )
    return (
        f"<policies><inbound><base />{check}</inbound><backend><base /></backend>"
        "<outbound><base /></outbound><on-error><base /></on-error></policies>"
    )


def service_name(args: AgencyApiGatewayArgs) -> str:
    """Globally unique (it is the gateway's host name): a short hash of the seed."""
    seed = args.unique_seed or args.force
    digest = hashlib.sha256(f"{seed}/{args.name}".encode()).hexdigest()[:5]
    return resource_name(44, "apim", args.force, args.name) + f"-{digest}"


class AgencyApiGateway(pulumi.ComponentResource):
    gateway_url: pulumi.Output[str]
    service_id: pulumi.Output[str]
    private_ip: pulumi.Output[str | None]  # the gateway's address in the subnet

    def __init__(
        self, name: str, args: AgencyApiGatewayArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:azure:AgencyApiGateway", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = args.tags.as_dict()
        location = str(args.location)
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=make_name(
                "azure-resource-group", "rg", args.force, "api", args.name, location
            ),
            location=location,
            tags=tags,
            opts=child,
        )
        apim_name = service_name(args)
        hostnames = None
        if args.auth is ApiAuth.CLIENT_CERTIFICATE:  # the gateway must ask for the certificate
            hostnames = [
                apimanagement.HostnameConfigurationArgs(
                    type=apimanagement.HostnameType.PROXY,
                    host_name=f"{apim_name}.azure-api.net",
                    certificate_source=apimanagement.CertificateSource.BUILT_IN,
                    default_ssl_binding=True,
                    negotiate_client_certificate=True,
                )
            ]
        service = apimanagement.ApiManagementService(
            f"{name}-apim",
            service_name=apim_name,
            resource_group_name=group.name,
            location=location,
            sku=apimanagement.ApiManagementServiceSkuPropertiesArgs(
                name=apimanagement.SkuType(str(args.sku)), capacity=args.capacity
            ),
            publisher_email=args.publisher_email,
            publisher_name=args.publisher_name,
            virtual_network_type=apimanagement.VirtualNetworkType.INTERNAL,
            virtual_network_configuration=apimanagement.VirtualNetworkConfigurationArgs(
                subnet_resource_id=args.subnet_id
            ),
            hostname_configurations=hostnames,
            custom_properties=SECURITY_PROPERTIES,
            identity=apimanagement.ApiManagementServiceIdentityArgs(
                type=apimanagement.ApimIdentityType.SYSTEM_ASSIGNED
            ),
            tags=tags,
            opts=child,
        )
        api = apimanagement.Api(
            f"{name}-api",
            api_id=args.name,
            service_name=service.name,
            resource_group_name=group.name,
            display_name=f"{args.application} ({args.name})",
            path=args.name,
            protocols=[apimanagement.Protocol.HTTPS],
            service_url=args.backend_url,
            subscription_required=True,
            opts=child,
        )
        apimanagement.ApiPolicy(
            f"{name}-api-policy",
            api_id=args.name,
            policy_id="policy",
            service_name=service.name,
            resource_group_name=group.name,
            format=apimanagement.PolicyContentFormat.RAWXML,
            value=(
                pulumi.Output.from_input(args.oauth.tenant_id).apply(
                    lambda tenant: auth_policy(args, tenant)
                )
                if args.oauth is not None
                else auth_policy(args)
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[api]),
        )
        if args.log_analytics_workspace_id is not None:
            logger = apimanagement.Logger(
                f"{name}-logger",
                logger_id=LOGGER_ID,
                logger_type=apimanagement.LoggerType.AZURE_MONITOR,
                is_buffered=True,
                service_name=service.name,
                resource_group_name=group.name,
                opts=child,
            )
            apimanagement.Diagnostic(
                f"{name}-diagnostic",
                diagnostic_id=LOGGER_ID,
                logger_id=logger.id,
                service_name=service.name,
                resource_group_name=group.name,
                always_log=apimanagement.AlwaysLog.ALL_ERRORS,
                log_client_ip=True,
                verbosity=apimanagement.Verbosity.INFORMATION,
                sampling=apimanagement.SamplingSettingsArgs(
                    sampling_type=apimanagement.SamplingType.FIXED, percentage=100
                ),
                opts=child,
            )
            diagnostic_setting(
                name, DiagnosticTarget("apim", service.id), args.log_analytics_workspace_id, self
            )
        self.service_id = service.id
        self.gateway_url = service.gateway_url
        self.private_ip = service.private_ip_addresses.apply(lambda ips: ips[0] if ips else None)
        self.register_outputs({"service_id": self.service_id, "gateway_url": self.gateway_url})
