"""The consumer side of a shared or partner service: a private endpoint and its private DNS name.

The endpoint sits in the consumer's own spoke, so traffic to the partner never leaves the
Microsoft backbone, and staff reach it by the plan's name (`<name>.share.<force>.internal`):
a private DNS zone of exactly that name, with its apex A record on the endpoint's address and
linked to the consumer's VNet. A host force's service (its subscription on the allow list) is
approved automatically; a partner's own service is requested manually, with a message that
names the agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_azure_native import network, privatedns, resources

from forcelift.components.azure.common import AzureRegion, resource_name
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

DNS_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class PartnerEndpointArgs:
    force: str
    name: str  # the ConsumedService name (a slug): used in resource names
    tags: Tags
    subnet_id: pulumi.Input[str] = field(compare=False)  # the consumer spoke's endpoint subnet
    #: the Private Link service's resource id or alias (an alias for a partner's own service)
    service: pulumi.Input[str] = field(compare=False)
    dns_name: str  # private name in the consumer, e.g. "custody.share.exampleshire.internal"
    virtual_network_id: pulumi.Input[str] = field(compare=False)  # where the name resolves
    manual_approval: bool = False  # True: the provider approves the connection by hand
    request_message: str = ""  # shown to the provider (the agreement reference)
    location: AzureRegion = AzureRegion.UKSOUTH

    def __post_init__(self) -> None:
        if not DNS_NAME.match(self.dns_name):
            raise ValueError(f"partner endpoint {self.name}: {self.dns_name!r} is not a DNS name")
        if len(self.request_message) > 140:
            raise ValueError(f"partner endpoint {self.name}: request message over 140 characters")


def _first_ip(result: Any) -> str | None:
    """The private IP of the endpoint's network interface (None until Azure has assigned it)."""
    for config in getattr(result, "ip_configurations", None) or []:
        address = getattr(config, "private_ip_address", None)
        if address:
            return str(address)
    return None


class PartnerEndpoint(pulumi.ComponentResource):
    endpoint_id: pulumi.Output[str]
    private_ip: pulumi.Output[str | None]
    dns_name: str

    def __init__(
        self, name: str, args: PartnerEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:azure:PartnerEndpoint", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = args.tags.as_dict()
        location = str(args.location)
        rg_name = make_name(
            "azure-resource-group", "rg", args.force, "consume", args.name, location
        )
        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=rg_name, location=location, tags=tags, opts=child
        )
        nic_name = resource_name(80, "nic", "pe", args.force, args.name)
        connection = network.PrivateLinkServiceConnectionArgs(
            name=args.name,
            private_link_service_id=args.service,
            request_message=args.request_message or None,
        )
        endpoint = network.PrivateEndpoint(
            f"{name}-pe",
            private_endpoint_name=resource_name(64, "pe", args.force, args.name),
            resource_group_name=group.name,
            location=location,
            subnet=network.SubnetArgs(id=args.subnet_id),
            custom_network_interface_name=nic_name,
            private_link_service_connections=None if args.manual_approval else [connection],
            manual_private_link_service_connections=[connection] if args.manual_approval else None,
            tags=tags,
            opts=child,
        )
        nic = network.get_network_interface_output(
            network_interface_name=nic_name,
            resource_group_name=rg_name,
            opts=pulumi.InvokeOutputOptions(parent=self, depends_on=[endpoint]),
        )
        self.private_ip = nic.apply(_first_ip)
        zone = privatedns.PrivateZone(
            f"{name}-zone",
            private_zone_name=args.dns_name,
            resource_group_name=group.name,
            location="global",
            tags=tags,
            opts=child,
        )
        privatedns.PrivateRecordSet(
            f"{name}-a",
            private_zone_name=zone.name,
            resource_group_name=group.name,
            record_type="A",
            relative_record_set_name="@",
            ttl=300,
            a_records=[privatedns.ARecordArgs(ipv4_address=self.private_ip)],
            opts=child,
        )
        privatedns.VirtualNetworkLink(
            f"{name}-link",
            virtual_network_link_name=resource_name(80, "link", args.force, args.name),
            private_zone_name=zone.name,
            resource_group_name=group.name,
            location="global",
            registration_enabled=False,
            virtual_network=privatedns.SubResourceArgs(id=args.virtual_network_id),
            tags=tags,
            opts=child,
        )
        self.endpoint_id = endpoint.id
        self.dns_name = args.dns_name
        self.register_outputs(
            {
                "endpoint_id": self.endpoint_id,
                "private_ip": self.private_ip,
                "dns_name": args.dns_name,
            }
        )
