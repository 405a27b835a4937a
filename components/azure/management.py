"""Platform logging and key management: Log Analytics, Key Vault, diagnostic settings.

Every resource the landing zone creates sends its logs and metrics to one workspace, so an
incident can be investigated from one place. The Key Vault holds platform secrets; it is
reachable only through a private endpoint, authorises with Azure RBAC, and cannot be purged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
from pulumi_azure_native import authorization, keyvault, monitor, network, operationalinsights

from forcelift.components.azure.common import AzureRegion, DiagnosticTarget, resource_name
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name


class KeyVaultSku(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"


@dataclass(frozen=True)
class ManagementArgs:
    force: str
    tags: Tags
    management_resource_group: pulumi.Input[str] = field(compare=False)
    security_resource_group: pulumi.Input[str] = field(compare=False)
    location: AzureRegion = AzureRegion.UKSOUTH
    log_retention_days: int = 90
    diagnostic_targets: tuple[DiagnosticTarget, ...] = ()
    key_vault_sku: KeyVaultSku = KeyVaultSku.STANDARD
    private_endpoint_subnet_id: pulumi.Input[str] | None = field(default=None, compare=False)
    key_vault_dns_zone_id: pulumi.Input[str] | None = field(default=None, compare=False)
    unique_seed: str = ""

    def __post_init__(self) -> None:
        if not 30 <= self.log_retention_days <= 730:
            raise ValueError("log_retention_days must be 30-730 (Log Analytics limits)")
        names = [t.name for t in self.diagnostic_targets]
        if len(set(names)) != len(names):
            raise ValueError(f"diagnostic target names repeat: {sorted(names)}")


def diagnostic_setting(
    name: str,
    target: DiagnosticTarget,
    workspace_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> monitor.DiagnosticSetting:
    """All logs and all metrics of one resource to the workspace."""
    return monitor.DiagnosticSetting(
        f"{name}-diag-{target.name}",
        name="to-log-analytics",
        resource_uri=target.resource_id,
        workspace_id=workspace_id,
        log_analytics_destination_type="Dedicated",
        logs=[monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
        metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)],
        opts=pulumi.ResourceOptions(parent=parent),
    )


class Management(pulumi.ComponentResource):
    workspace_id: pulumi.Output[str]
    key_vault_id: pulumi.Output[str]
    key_vault_name: str

    def __init__(
        self,
        name: str,
        args: ManagementArgs,
        opts: pulumi.ResourceOptions | None = None,
        protect: bool = True,
    ) -> None:
        super().__init__("forcelift:azure:Management", name, None, opts)
        tags = args.tags.as_dict()
        location = str(args.location)
        stateful = pulumi.ResourceOptions(parent=self, protect=protect)

        workspace = operationalinsights.Workspace(
            f"{name}-law",
            workspace_name=make_name("azure-log-analytics", "log", args.force, location),
            resource_group_name=args.management_resource_group,
            location=location,
            sku=operationalinsights.WorkspaceSkuArgs(
                name=operationalinsights.WorkspaceSkuNameEnum.PER_GB2018
            ),
            retention_in_days=args.log_retention_days,
            tags=tags,
            opts=stateful,
        )

        tenant_id = authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=self)
        ).tenant_id
        self.key_vault_name = make_name(
            "azure-key-vault", "kv", args.force, "platform", unique_seed=args.unique_seed
        )
        vault = keyvault.Vault(
            f"{name}-kv",
            vault_name=self.key_vault_name,
            resource_group_name=args.security_resource_group,
            location=location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=tenant_id,
                sku=keyvault.SkuArgs(
                    family=keyvault.SkuFamily.A, name=keyvault.SkuName(str(args.key_vault_sku))
                ),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=90,
                enable_purge_protection=True,
                public_network_access=keyvault.PublicNetworkAccess.DISABLED,
                network_acls=keyvault.NetworkRuleSetArgs(
                    default_action=keyvault.NetworkRuleAction.DENY,
                    bypass=keyvault.NetworkRuleBypassOptions.AZURE_SERVICES,
                ),
            ),
            tags=tags,
            opts=stateful,
        )

        if args.private_endpoint_subnet_id is not None:
            endpoint = network.PrivateEndpoint(
                f"{name}-kv-pe",
                private_endpoint_name=resource_name(64, "pe", self.key_vault_name),
                resource_group_name=args.security_resource_group,
                location=location,
                subnet=network.SubnetArgs(id=args.private_endpoint_subnet_id),
                private_link_service_connections=[
                    network.PrivateLinkServiceConnectionArgs(
                        name="vault",
                        private_link_service_id=vault.id,
                        group_ids=["vault"],
                    )
                ],
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            if args.key_vault_dns_zone_id is not None:
                network.PrivateDnsZoneGroup(
                    f"{name}-kv-pe-dns",
                    private_dns_zone_group_name="default",
                    private_endpoint_name=endpoint.name,
                    resource_group_name=args.security_resource_group,
                    private_dns_zone_configs=[
                        network.PrivateDnsZoneConfigArgs(
                            name="vault", private_dns_zone_id=args.key_vault_dns_zone_id
                        )
                    ],
                    opts=pulumi.ResourceOptions(parent=self),
                )

        targets = (
            *args.diagnostic_targets,
            DiagnosticTarget("key-vault", vault.id),
            DiagnosticTarget("log-analytics", workspace.id),
        )
        for target in targets:
            diagnostic_setting(name, target, workspace.id, self)

        self.workspace_id = workspace.id
        self.key_vault_id = vault.id
        self.register_outputs(
            {
                "workspace_id": self.workspace_id,
                "key_vault_id": self.key_vault_id,
                "key_vault_name": self.key_vault_name,
            }
        )
