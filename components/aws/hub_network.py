"""The landing zone's hub: shared VPC, Transit Gateway, private AWS endpoints, hybrid links to
on-premise / PSN, and zero-trust access for staff (NCSC principles 1, 5, 10, 11 and 12).

Servers in spokes reach Systems Manager through the hub's interface endpoints (resolved by
private hosted zones the spokes associate with), so no server needs internet access, a public
IP or a bastion. Staff reach published applications through AWS Verified Access, which checks
identity on every request, instead of a network VPN.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws
from pulumi_aws.ec2 import VpnConnectionTunnel1LogOptionsArgs as Tunnel1Logs
from pulumi_aws.ec2 import VpnConnectionTunnel1LogOptionsCloudwatchLogOptionsArgs as Tunnel1Cw
from pulumi_aws.ec2 import VpnConnectionTunnel2LogOptionsArgs as Tunnel2Logs
from pulumi_aws.ec2 import VpnConnectionTunnel2LogOptionsCloudwatchLogOptionsArgs as Tunnel2Cw
from pulumi_aws.ec2.outputs import VpcEndpointDnsEntry
from pulumi_aws.verifiedaccess import InstanceLoggingConfigurationAccessLogsArgs as AccessLogs
from pulumi_aws.verifiedaccess import (
    InstanceLoggingConfigurationAccessLogsCloudwatchLogsArgs as AccessLogsCw,
)

from forcelift.components.aws.common import account_facts, child, encryption_key
from forcelift.components.aws.hub_specs import (
    DeviceTrust,
    DeviceTrustSpec,
    HubNetworkArgs,
    OidcSpec,
    PublishedAppSpec,
    RemoteAccessSpec,
    TrustProviderKind,
    VpnSpec,
    required_secret_output,
    secret_output,
)
from forcelift.components.aws.tags import Tags
from forcelift.components.aws.vpc import (
    PrivateVpc,
    private_vpc,
    s3_gateway_endpoint,
    vpc_attachment,
    vpc_flow_logs,
)
from forcelift.migration.naming import make_name

__all__ = [
    "SSM_ENDPOINT_SERVICES",
    "DeviceTrust",
    "DeviceTrustSpec",
    "HubNetwork",
    "HubNetworkArgs",
    "OidcSpec",
    "PublishedAppSpec",
    "RemoteAccessSpec",
    "TrustProviderKind",
    "VpnSpec",
]

SSM_ENDPOINT_SERVICES = ("ec2messages", "ssm", "ssmmessages")
# IPsec proposals: IKEv2 only, AES-256, SHA-2, DH groups 14+ (NCSC IPsec guidance).
IKE_VERSIONS = ["ikev2"]
ENCRYPTION = ["AES256", "AES256-GCM-16"]
INTEGRITY = ["SHA2-256", "SHA2-384", "SHA2-512"]
DH_GROUPS = [14, 19, 20, 21]


def _first_entry(entries: Sequence[VpcEndpointDnsEntry] | None) -> tuple[str, str]:
    """DNS name and zone of an interface endpoint's regional entry (the first one)."""
    if not entries:
        return "", ""
    return entries[0].dns_name or "", entries[0].hosted_zone_id or ""


class HubNetwork(pulumi.ComponentResource):
    """Hub VPC, Transit Gateway with explicit route tables, flow logs, SSM and S3 endpoints,
    Site-to-Site VPNs and AWS Verified Access."""

    def __init__(
        self, name: str, args: HubNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:HubNetwork", name, None, opts)
        # Declared in this order (the preview graph and its goldens follow it): VPC, Transit
        # Gateway and its routes, RAM share, logs, endpoints, VPNs, Verified Access.
        region = account_facts(self).apply(lambda f: f.region)
        network = private_vpc(self, name, args.cidr, args.subnets, args.tags, "hub")
        tgw, tgw_tables = self._transit_gateway(name, args, network)
        if args.share_with_principals:
            self._share(name, tgw, args, args.tags.as_dict())
        log_key, network_logs = self._logs(name, args, network)
        zone_ids = self._endpoints(name, args, network, region)
        vpn_ids = {
            spec.name: self._vpn(name, spec, tgw.id, tgw_tables, network_logs.arn, args.tags)
            for spec in args.vpns
        }
        access_group_id: pulumi.Output[str] | None = None
        self.verified_access_instance_id: pulumi.Output[str] | None = None
        if args.remote_access is not None:
            access_group_id = self._verified_access(
                name, args.remote_access, network_logs.name, args.tags
            )

        self.vpc_id = network.vpc.id
        self.transit_gateway_id = tgw.id
        self.transit_gateway_arn = tgw.arn  # what a RAM share of the TGW names
        self.log_key_arn = log_key.arn
        self.tgw_route_table_ids = {k: t.id for k, t in tgw_tables.items()}
        self.endpoint_zone_ids = zone_ids
        self.subnet_ids = {zone: s.id for zone, s in sorted(network.subnets.items())}
        self.register_outputs(
            {
                "vpc_id": network.vpc.id,
                "subnet_ids": self.subnet_ids,
                "transit_gateway_id": tgw.id,
                "tgw_route_table_ids": self.tgw_route_table_ids,
                "endpoint_zone_ids": zone_ids,
                "vpn_connection_ids": vpn_ids,
                "verified_access_group_id": access_group_id,
                "verified_access_instance_id": self.verified_access_instance_id,
                "log_key_arn": log_key.arn,
            }
        )

    def _transit_gateway(
        self, name: str, args: HubNetworkArgs, network: PrivateVpc
    ) -> tuple[aws.ec2transitgateway.TransitGateway, dict[str, aws.ec2transitgateway.RouteTable]]:
        """The TGW with explicit route tables, the hub's attachment and the hub's routes to
        the estate through it."""
        tgw = aws.ec2transitgateway.TransitGateway(
            f"{name}-tgw",
            description=f"{name} transit gateway",
            amazon_side_asn=args.amazon_side_asn,
            default_route_table_association="disable",
            default_route_table_propagation="disable",
            auto_accept_shared_attachments="enable" if args.share_with_principals else "disable",
            dns_support="enable",
            vpn_ecmp_support="enable",
            tags=args.tags.named(name, "tgw"),
            opts=child(self),
        )
        # "shared": hub and VPN attachments (see everything); "spokes": spokes see the hub and
        # on-premise but never each other.
        tgw_tables = {
            table: aws.ec2transitgateway.RouteTable(
                f"{name}-tgw-rt-{table}",
                transit_gateway_id=tgw.id,
                tags=args.tags.named(name, "tgw", table),
                opts=child(self),
            )
            for table in ("shared", "spokes")
        }
        hub_attachment = vpc_attachment(self, name, tgw.id, network, args.tags, "hub")
        self._attach(name, "hub", hub_attachment.id, tgw_tables)
        for cidr in sorted(args.routed_cidrs):
            aws.ec2.Route(
                f"{name}-route-{cidr.replace('/', '_')}",
                route_table_id=network.route_table.id,
                destination_cidr_block=cidr,
                transit_gateway_id=tgw.id,
                opts=child(self, depends_on=[hub_attachment]),
            )
        return tgw, tgw_tables

    def _logs(
        self, name: str, args: HubNetworkArgs, network: PrivateVpc
    ) -> tuple[aws.kms.Key, aws.cloudwatch.LogGroup]:
        """The network logs' key, the VPC's flow logs and the log group VPNs and Verified
        Access write to."""
        log_key = encryption_key(
            f"{name}-log-key",
            self,
            description=f"{name}: network logs",
            tags=args.tags.as_dict(),
            protect=args.protect,
            cloudwatch_logs=True,
        )
        vpc_flow_logs(self, name, network, args, log_key.arn)
        network_logs = aws.cloudwatch.LogGroup(
            f"{name}-network-logs",
            name=f"/forcelift/network/{name}",
            kms_key_id=log_key.arn,
            retention_in_days=args.log_retention_days,
            tags=args.tags.as_dict(),
            opts=child(self, protect=args.protect),
        )
        return log_key, network_logs

    def _attach(
        self,
        name: str,
        label: str,
        attachment_id: pulumi.Input[str],
        tables: dict[str, aws.ec2transitgateway.RouteTable],
    ) -> None:
        """Associate with the shared table; propagate into both (hub and VPN are shared)."""
        aws.ec2transitgateway.RouteTableAssociation(
            f"{name}-tgw-{label}-association",
            transit_gateway_attachment_id=attachment_id,
            transit_gateway_route_table_id=tables["shared"].id,
            opts=child(self),
        )
        for table, rt in tables.items():
            aws.ec2transitgateway.RouteTablePropagation(
                f"{name}-tgw-{label}-propagation-{table}",
                transit_gateway_attachment_id=attachment_id,
                transit_gateway_route_table_id=rt.id,
                opts=child(self),
            )

    def _share(
        self,
        name: str,
        tgw: aws.ec2transitgateway.TransitGateway,
        args: HubNetworkArgs,
        tags: dict[str, str],
    ) -> None:
        """Share the TGW with workload accounts so their spokes can attach (RAM)."""
        share = aws.ram.ResourceShare(
            f"{name}-tgw-share",
            name=f"{name}-transit-gateway",
            allow_external_principals=False,
            tags=tags,
            opts=child(self),
        )
        aws.ram.ResourceAssociation(
            f"{name}-tgw-share-tgw",
            resource_arn=tgw.arn,
            resource_share_arn=share.arn,
            opts=child(self),
        )
        for index, principal in enumerate(sorted(args.share_with_principals)):
            aws.ram.PrincipalAssociation(
                f"{name}-tgw-share-principal-{index}",
                principal=principal,
                resource_share_arn=share.arn,
                opts=child(self),
            )

    def _endpoints(
        self,
        name: str,
        args: HubNetworkArgs,
        network: PrivateVpc,
        region: pulumi.Output[str],
    ) -> dict[str, pulumi.Output[str]]:
        """SSM interface endpoints with private hosted zones (shareable with spokes) and an
        S3 gateway endpoint; only HTTPS from the hub and the listed client ranges."""
        sg = aws.ec2.SecurityGroup(
            f"{name}-endpoints-sg",
            name=make_name("aws-security-group", name, "endpoints"),
            description="HTTPS to AWS service endpoints from the estate",
            vpc_id=network.vpc.id,
            tags=args.tags.named(name, "endpoints"),
            opts=child(self),
        )
        for index, cidr in enumerate(sorted({args.cidr, *args.endpoint_client_cidrs})):
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-endpoints-https-{index}",
                security_group_id=sg.id,
                description=f"HTTPS from {cidr}",
                cidr_ipv4=cidr,
                ip_protocol="tcp",
                from_port=443,
                to_port=443,
                tags=args.tags.named(name, "endpoints", f"https-{index}"),
                opts=child(self),
            )
        zone_ids: dict[str, pulumi.Output[str]] = {}
        for service in SSM_ENDPOINT_SERVICES:
            endpoint = aws.ec2.VpcEndpoint(
                f"{name}-endpoint-{service}",
                vpc_id=network.vpc.id,
                service_name=pulumi.Output.concat("com.amazonaws.", region, f".{service}"),
                vpc_endpoint_type="Interface",
                subnet_ids=network.subnet_ids,
                security_group_ids=[sg.id],
                private_dns_enabled=False,
                tags=args.tags.named(name, service),
                opts=child(self),
            )
            zone = aws.route53.Zone(
                f"{name}-zone-{service}",
                name=pulumi.Output.concat(f"{service}.", region, ".amazonaws.com"),
                comment=f"Private DNS for the {service} endpoint in the hub",
                vpcs=[aws.route53.ZoneVpcArgs(vpc_id=network.vpc.id)],
                tags=args.tags.named(name, "zone", service),
                opts=child(self, ignore_changes=["vpcs"]),
            )
            entry = endpoint.dns_entries.apply(_first_entry)
            aws.route53.Record(
                f"{name}-record-{service}",
                zone_id=zone.zone_id,
                name=zone.name,
                type="A",
                aliases=[
                    aws.route53.RecordAliasArgs(
                        name=entry.apply(lambda e: e[0]),
                        zone_id=entry.apply(lambda e: e[1]),
                        evaluate_target_health=True,
                    )
                ],
                opts=child(self),
            )
            zone_ids[service] = zone.zone_id
        s3_gateway_endpoint(self, name, network, region, args.tags)
        return zone_ids

    def _vpn(
        self,
        name: str,
        spec: VpnSpec,
        tgw_id: pulumi.Output[str],
        tables: dict[str, aws.ec2transitgateway.RouteTable],
        log_group_arn: pulumi.Output[str],
        tags: Tags,
    ) -> pulumi.Output[str]:
        label = f"vpn-{spec.name}"
        gateway = aws.ec2.CustomerGateway(
            f"{name}-{label}-cgw",
            bgp_asn=str(spec.bgp_asn),
            ip_address=spec.customer_gateway_ip,
            type="ipsec.1",
            tags=tags.named(name, spec.name),
            opts=child(self),
        )
        tunnel1_logs = Tunnel1Logs(
            cloudwatch_log_options=Tunnel1Cw(
                log_enabled=True, log_group_arn=log_group_arn, log_output_format="json"
            )
        )
        tunnel2_logs = Tunnel2Logs(
            cloudwatch_log_options=Tunnel2Cw(
                log_enabled=True, log_group_arn=log_group_arn, log_output_format="json"
            )
        )
        vpn = aws.ec2.VpnConnection(
            f"{name}-{label}",
            customer_gateway_id=gateway.id,
            transit_gateway_id=tgw_id,
            type="ipsec.1",
            static_routes_only=bool(spec.static_routes),
            tunnel1_preshared_key=secret_output(spec.tunnel1_preshared_key, "tunnel 1 key"),
            tunnel2_preshared_key=secret_output(spec.tunnel2_preshared_key, "tunnel 2 key"),
            tunnel1_ike_versions=IKE_VERSIONS,
            tunnel2_ike_versions=IKE_VERSIONS,
            tunnel1_phase1_encryption_algorithms=ENCRYPTION,
            tunnel2_phase1_encryption_algorithms=ENCRYPTION,
            tunnel1_phase2_encryption_algorithms=ENCRYPTION,
            tunnel2_phase2_encryption_algorithms=ENCRYPTION,
            tunnel1_phase1_integrity_algorithms=INTEGRITY,
            tunnel2_phase1_integrity_algorithms=INTEGRITY,
            tunnel1_phase2_integrity_algorithms=INTEGRITY,
            tunnel2_phase2_integrity_algorithms=INTEGRITY,
            tunnel1_phase1_dh_group_numbers=DH_GROUPS,
            tunnel2_phase1_dh_group_numbers=DH_GROUPS,
            tunnel1_phase2_dh_group_numbers=DH_GROUPS,
            tunnel2_phase2_dh_group_numbers=DH_GROUPS,
            tunnel1_log_options=tunnel1_logs,
            tunnel2_log_options=tunnel2_logs,
            tags=tags.named(name, spec.name),
            opts=child(self),
        )
        attachment_id = vpn.transit_gateway_attachment_id
        self._attach(name, label, attachment_id, tables)
        for cidr in sorted(spec.static_routes):
            for table, rt in tables.items():
                aws.ec2transitgateway.Route(
                    f"{name}-{label}-route-{table}-{cidr.replace('/', '_')}",
                    destination_cidr_block=cidr,
                    transit_gateway_attachment_id=attachment_id,
                    transit_gateway_route_table_id=rt.id,
                    opts=child(self),
                )
        return vpn.id

    def _device_trust(
        self,
        name: str,
        spec: DeviceTrustSpec,
        instance: aws.verifiedaccess.Instance,
        user_attachment: pulumi.Resource,
        tags: Tags,
    ) -> aws.verifiedaccess.InstanceTrustProviderAttachment:
        """The device trust provider (managed, low-risk devices) on the same instance; the
        staff groups' Cedar policies read it under its reference name. Attached after the
        user provider: an instance takes one attachment change at a time."""
        provider = aws.verifiedaccess.TrustProvider(
            f"{name}-device-trust-provider",
            description=f"{name}: staff devices ({spec.kind.value})",
            trust_provider_type="device",
            device_trust_provider_type=spec.kind.value,
            policy_reference_name=spec.policy_reference_name,
            device_options=aws.verifiedaccess.TrustProviderDeviceOptionsArgs(
                tenant_id=spec.tenant_id
            ),
            tags=tags.as_dict(),
            opts=child(self),
        )
        return aws.verifiedaccess.InstanceTrustProviderAttachment(
            f"{name}-device-trust-provider-attachment",
            verifiedaccess_instance_id=instance.id,
            verifiedaccess_trust_provider_id=provider.id,
            opts=child(self, depends_on=[user_attachment]),
        )

    def _verified_access(
        self, name: str, spec: RemoteAccessSpec, log_group_name: pulumi.Output[str], tags: Tags
    ) -> pulumi.Output[str]:
        instance = aws.verifiedaccess.Instance(
            f"{name}-verified-access",
            description=f"{name}: zero-trust access for staff",
            tags=tags.as_dict(),
            opts=child(self),
        )
        self.verified_access_instance_id = instance.id  # staff endpoints of the waves use it
        oidc = None
        if spec.oidc is not None:
            oidc = aws.verifiedaccess.TrustProviderOidcOptionsArgs(
                issuer=spec.oidc.issuer,
                authorization_endpoint=spec.oidc.authorization_endpoint,
                token_endpoint=spec.oidc.token_endpoint,
                user_info_endpoint=spec.oidc.user_info_endpoint,
                client_id=spec.oidc.client_id,
                client_secret=required_secret_output(spec.oidc.client_secret, "OIDC client secret"),
                scope=spec.oidc.scope,
            )
        provider = aws.verifiedaccess.TrustProvider(
            f"{name}-trust-provider",
            description=f"{name}: staff identity",
            trust_provider_type="user",
            user_trust_provider_type=spec.trust_provider.value,
            policy_reference_name=spec.policy_reference_name,
            oidc_options=oidc,
            tags=tags.as_dict(),
            opts=child(self),
        )
        attachment = aws.verifiedaccess.InstanceTrustProviderAttachment(
            f"{name}-trust-provider-attachment",
            verifiedaccess_instance_id=instance.id,
            verifiedaccess_trust_provider_id=provider.id,
            opts=child(self),
        )
        attachments = [attachment]
        if spec.device is not None:
            attachments.append(self._device_trust(name, spec.device, instance, attachment, tags))
        aws.verifiedaccess.InstanceLoggingConfiguration(
            f"{name}-verified-access-logging",
            verifiedaccess_instance_id=instance.id,
            access_logs=AccessLogs(
                cloudwatch_logs=AccessLogsCw(enabled=True, log_group=log_group_name),
                include_trust_context=True,
            ),
            opts=child(self),
        )
        group = aws.verifiedaccess.Group(
            f"{name}-access-group",
            verifiedaccess_instance_id=instance.id,
            description=f"{name}: staff applications",
            policy_document=spec.policy(),
            tags=tags.as_dict(),
            opts=child(self, depends_on=attachments),
        )
        for app in spec.applications:
            aws.verifiedaccess.Endpoint(
                f"{name}-app-{app.name}",
                description=f"{app.name} for staff",
                verified_access_group_id=group.id,
                attachment_type="vpc",
                endpoint_type="load-balancer",
                application_domain=app.application_domain,
                domain_certificate_arn=app.domain_certificate_arn,
                endpoint_domain_prefix=app.endpoint_domain_prefix,
                security_group_ids=list(app.security_group_ids),
                load_balancer_options=aws.verifiedaccess.EndpointLoadBalancerOptionsArgs(
                    load_balancer_arn=app.load_balancer_arn,
                    port=app.port,
                    protocol="https",
                    subnet_ids=list(app.subnet_ids),
                ),
                tags=tags.as_dict(),
                opts=child(self),
            )
        return group.id
