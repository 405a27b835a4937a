"""A service this force shares privately with named partners: internal LB + Private Link service.

The service stays on private addresses in the host's spoke. An internal Standard load balancer
fronts it and a Private Link service publishes that frontend; only the subscriptions named in
the data-sharing agreement may see the service or have their private endpoints approved
automatically. An empty allow list (or "*") is refused: "everyone" is never a consumer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import authorization, network, resources

from forcelift.components.azure.common import AzureRegion, DiagnosticTarget, resource_name
from forcelift.components.azure.management import diagnostic_setting
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

SUBSCRIPTION_ID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
FRONTEND = "frontend"
BACKEND = "backend"
PROBE = "probe"


def check_subscriptions(subscriptions: tuple[str, ...], what: str) -> None:
    """A non-empty list of subscription GUIDs without repeats; never "*"."""
    if not subscriptions:
        raise ValueError(
            f"{what}: no allowed subscriptions; a Private Link service is shared only with "
            "the partners named in its agreement (give their subscription ids)"
        )
    for subscription in subscriptions:
        if subscription.strip() == "*":
            raise ValueError(f"{what}: '*' would share the service with every subscription")
        if not SUBSCRIPTION_ID.match(subscription):
            raise ValueError(f"{what}: {subscription!r} is not a subscription id (a GUID)")
    if len({s.lower() for s in subscriptions}) != len(subscriptions):
        raise ValueError(f"{what}: allowed subscriptions repeat: {sorted(subscriptions)}")


def check_port(port: int, what: str) -> None:
    if not 1 <= port <= 65535:
        raise ValueError(f"{what}: port {port} is outside 1..65535")


@dataclass(frozen=True)
class SharedServiceArgs:
    force: str
    name: str  # the HostedService name (a slug): used in resource names
    application: str
    tags: Tags
    #: the spoke subnet for the load balancer frontend and the Private Link NAT addresses; it
    #: needs private link service network policies disabled
    subnet_id: pulumi.Input[str] = field(compare=False)
    allowed_subscriptions: tuple[str, ...]
    port: int = 443
    backend_port: int | None = None  # None: the same as `port`
    #: backend servers by private IP (IP-based pool); empty: NICs join `backend_pool_id` later
    backend_ips: tuple[pulumi.Input[str], ...] = field(default=(), compare=False)
    virtual_network_id: pulumi.Input[str] | None = field(default=None, compare=False)
    frontend_ip: str = ""  # a static frontend address in the subnet; "" = dynamic
    location: AzureRegion = AzureRegion.UKSOUTH
    #: the landing zone's Log Analytics workspace: the load balancer's logs and metrics go there
    log_analytics_workspace_id: pulumi.Input[str] | None = field(default=None, compare=False)
    #: Front Door's private origin for staff access, not a partner service: no subscription
    #: sees it or is approved automatically (role-based visibility only); Front Door's
    #: connection request is approved by hand
    front_door_origin: bool = False

    def __post_init__(self) -> None:
        if self.front_door_origin:
            if self.allowed_subscriptions:
                raise ValueError(
                    f"shared service {self.name}: a Front Door origin allows no subscriptions"
                )
        else:
            check_subscriptions(self.allowed_subscriptions, f"shared service {self.name}")
        check_port(self.port, f"shared service {self.name}")
        if self.backend_port is not None:
            check_port(self.backend_port, f"shared service {self.name} backend")
        if self.backend_ips and self.virtual_network_id is None:
            raise ValueError(f"shared service {self.name}: backend_ips need the virtual_network_id")


class SharedService(pulumi.ComponentResource):
    service_id: pulumi.Output[str]
    alias: pulumi.Output[str]
    backend_pool_id: pulumi.Output[str]
    frontend_ip: pulumi.Output[str | None]  # the load balancer's private address
    port: int

    def __init__(
        self, name: str, args: SharedServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:azure:SharedService", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = args.tags.as_dict()
        location = str(args.location)
        rg_name = make_name("azure-resource-group", "rg", args.force, "share", args.name, location)
        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=rg_name, location=location, tags=tags, opts=child
        )
        lb_name = resource_name(80, "lbi", args.force, args.name)
        subscription = authorization.get_client_config_output(
            opts=pulumi.InvokeOptions(parent=self)
        ).subscription_id
        lb_id = pulumi.Output.concat(
            "/subscriptions/",
            subscription,
            f"/resourceGroups/{rg_name}/providers/Microsoft.Network/loadBalancers/{lb_name}",
        )

        def part(kind: str, part_name: str) -> pulumi.Output[str]:
            return lb_id.apply(lambda i: f"{i}/{kind}/{part_name}")

        frontend_id = part("frontendIPConfigurations", FRONTEND)
        backend_id = part("backendAddressPools", BACKEND)
        lb = network.LoadBalancer(
            f"{name}-lb",
            load_balancer_name=lb_name,
            resource_group_name=group.name,
            location=location,
            sku=network.LoadBalancerSkuArgs(
                name=network.LoadBalancerSkuName.STANDARD,
                tier=network.LoadBalancerSkuTier.REGIONAL,
            ),
            frontend_ip_configurations=[
                network.FrontendIPConfigurationArgs(
                    name=FRONTEND,
                    subnet=network.SubnetArgs(id=args.subnet_id),
                    private_ip_allocation_method=(
                        network.IPAllocationMethod.STATIC
                        if args.frontend_ip
                        else network.IPAllocationMethod.DYNAMIC
                    ),
                    private_ip_address=args.frontend_ip or None,
                )
            ],
            backend_address_pools=[
                network.BackendAddressPoolArgs(
                    name=BACKEND,
                    load_balancer_backend_addresses=[
                        network.LoadBalancerBackendAddressArgs(
                            name=f"backend-{i}",
                            ip_address=ip,
                            virtual_network=network.SubResourceArgs(id=args.virtual_network_id),
                        )
                        for i, ip in enumerate(args.backend_ips)
                    ]
                    or None,
                )
            ],
            probes=[
                network.ProbeArgs(
                    name=PROBE,
                    protocol=network.ProbeProtocol.TCP,
                    port=args.backend_port or args.port,
                    interval_in_seconds=15,
                    number_of_probes=2,
                )
            ],
            load_balancing_rules=[
                network.LoadBalancingRuleArgs(
                    name=f"tcp-{args.port}",
                    protocol=network.TransportProtocol.TCP,
                    frontend_port=args.port,
                    backend_port=args.backend_port or args.port,
                    frontend_ip_configuration=network.SubResourceArgs(id=frontend_id),
                    backend_address_pool=network.SubResourceArgs(id=backend_id),
                    probe=network.SubResourceArgs(id=part("probes", PROBE)),
                    disable_outbound_snat=True,
                    enable_tcp_reset=True,
                    idle_timeout_in_minutes=4,
                )
            ],
            tags=tags,
            opts=child,
        )
        allowed = list(args.allowed_subscriptions)
        service = network.PrivateLinkService(
            f"{name}-pls",
            service_name=resource_name(80, "pls", args.force, args.name),
            resource_group_name=group.name,
            location=location,
            load_balancer_frontend_ip_configurations=[
                network.FrontendIPConfigurationArgs(id=frontend_id)
            ],
            ip_configurations=[
                network.PrivateLinkServiceIpConfigurationArgs(
                    name="nat",
                    primary=True,
                    subnet=network.SubnetArgs(id=args.subnet_id),
                    private_ip_allocation_method=network.IPAllocationMethod.DYNAMIC,
                )
            ],
            visibility=(
                None
                if args.front_door_origin
                else network.PrivateLinkServicePropertiesVisibilityArgs(subscriptions=allowed)
            ),
            auto_approval=(
                None
                if args.front_door_origin
                else network.PrivateLinkServicePropertiesAutoApprovalArgs(subscriptions=allowed)
            ),
            enable_proxy_protocol=False,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[lb]),
        )
        if args.log_analytics_workspace_id is not None:
            diagnostic_setting(
                name, DiagnosticTarget("lb", lb.id), args.log_analytics_workspace_id, self
            )
        self.service_id = service.id
        self.alias = service.alias
        self.backend_pool_id = backend_id
        self.frontend_ip = lb.frontend_ip_configurations.apply(
            lambda configs: (configs[0].private_ip_address if configs else None) or None
        )
        self.port = args.port
        self.register_outputs(
            {"id": self.service_id, "alias": self.alias, "backend_pool_id": self.backend_pool_id}
        )
