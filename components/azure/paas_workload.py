"""Workloads that move to platform services (replatform): web app, SQL, PostgreSQL, storage.

Nothing here has a public endpoint: the web app, SQL server and storage account are reached
through private endpoints in the spoke, PostgreSQL and SQL Managed Instance are injected into
delegated subnets. Every service enforces TLS 1.2 or later and encrypts data at rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
from pulumi_azure_native import dbforpostgresql, network, resources, sql, storage, web

from forcelift.components.azure.common import (
    AzureRegion,
    DiagnosticTarget,
    as_secret,
    require_output,
    resource_name,
)
from forcelift.components.azure.management import diagnostic_setting
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

PRIVATE_DNS_ZONE = {
    "sites": "privatelink.azurewebsites.net",
    "sqlServer": "privatelink.database.windows.net",
    "blob": "privatelink.blob.core.windows.net",
}


@dataclass(frozen=True)
class AppServiceSpec:
    integration_subnet_id: pulumi.Input[str] = field(compare=False)
    sku: str = "P1v3"
    linux_fx_version: str = "DOTNETCORE|8.0"
    public_network_access: bool = False


@dataclass(frozen=True)
class SqlDatabaseSpec:
    admin_login: str
    admin_password: pulumi.Output[str] = field(compare=False)
    sku: str = "GP_Gen5_2"
    max_size_gib: int = 32
    zone_redundant: bool = False

    def __post_init__(self) -> None:
        require_output(self.admin_password, "SQL admin_password")


@dataclass(frozen=True)
class SqlManagedInstanceSpec:
    """SQL Managed Instance: needs its own subnet delegated to Microsoft.Sql/managedInstances."""

    subnet_id: pulumi.Input[str] = field(compare=False)
    admin_login: str
    admin_password: pulumi.Output[str] = field(compare=False)
    sku: str = "GP_Gen5"
    v_cores: int = 4
    storage_gib: int = 256
    license_included: bool = True

    def __post_init__(self) -> None:
        require_output(self.admin_password, "SQL MI admin_password")


class PostgresTier(StrEnum):
    BURSTABLE = "Burstable"
    GENERAL_PURPOSE = "GeneralPurpose"
    MEMORY_OPTIMIZED = "MemoryOptimized"


@dataclass(frozen=True)
class PostgresSpec:
    """PostgreSQL flexible server with private access (a subnet delegated to it)."""

    delegated_subnet_id: pulumi.Input[str] = field(compare=False)
    private_dns_zone_id: pulumi.Input[str] = field(compare=False)
    admin_login: str
    admin_password: pulumi.Output[str] = field(compare=False)
    sku: str = "Standard_D2ds_v5"
    tier: PostgresTier = PostgresTier.GENERAL_PURPOSE
    version: str = "16"
    storage_gib: int = 128
    high_availability: bool = False
    backup_retention_days: int = 14

    def __post_init__(self) -> None:
        require_output(self.admin_password, "PostgreSQL admin_password")


class StorageRedundancy(StrEnum):
    STANDARD_LRS = "Standard_LRS"
    STANDARD_ZRS = "Standard_ZRS"
    STANDARD_GRS = "Standard_GRS"
    STANDARD_GZRS = "Standard_GZRS"


@dataclass(frozen=True)
class StorageSpec:
    redundancy: StorageRedundancy = StorageRedundancy.STANDARD_ZRS


@dataclass(frozen=True)
class PaasWorkloadArgs:
    force: str
    application: str
    tags: Tags
    location: AzureRegion = AzureRegion.UKSOUTH
    app_service: AppServiceSpec | None = None
    sql_database: SqlDatabaseSpec | None = None
    sql_managed_instance: SqlManagedInstanceSpec | None = None
    postgres: PostgresSpec | None = None
    storage: StorageSpec | None = None
    private_endpoint_subnet_id: pulumi.Input[str] | None = field(default=None, compare=False)
    private_dns_zone_ids: Mapping[str, pulumi.Input[str]] = field(
        default_factory=dict, compare=False
    )
    unique_seed: str = ""
    #: the landing zone's Log Analytics workspace: web apps and databases send their logs there
    log_analytics_workspace_id: pulumi.Input[str] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        needs_endpoint = self.app_service or self.sql_database or self.storage
        if needs_endpoint and self.private_endpoint_subnet_id is None:
            raise ValueError(
                f"{self.application}: web app, SQL database and storage are private; "
                "give private_endpoint_subnet_id"
            )


class PaasWorkload(pulumi.ComponentResource):
    resource_group_name: pulumi.Output[str]
    endpoints: dict[str, pulumi.Output[str]]
    #: the web app, when there is one (staff access puts Front Door and Entra sign-in on it)
    web_app_id: pulumi.Output[str] | None = None
    web_app_name: str | None = None

    def __init__(
        self,
        name: str,
        args: PaasWorkloadArgs,
        opts: pulumi.ResourceOptions | None = None,
        protect: bool = True,
    ) -> None:
        super().__init__("forcelift:azure:PaasWorkload", name, None, opts)
        self._name = name
        self._args = args
        self._tags = args.tags.as_dict()
        self._location = str(args.location)
        self._stateful = pulumi.ResourceOptions(parent=self, protect=protect)
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=make_name(
                "azure-resource-group", "rg", args.force, args.application, self._location
            ),
            location=self._location,
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._rg = group.name
        self.endpoints = {}
        self._diagnostic_targets: list[DiagnosticTarget] = []
        if args.app_service is not None:
            self._web_app(args.app_service)
        if args.sql_database is not None:
            self._sql_database(args.sql_database)
        if args.sql_managed_instance is not None:
            self._sql_managed_instance(args.sql_managed_instance)
        if args.postgres is not None:
            self._postgres(args.postgres)
        if args.storage is not None:
            self._storage(args.storage)
        if args.log_analytics_workspace_id is not None:
            for target in self._diagnostic_targets:
                diagnostic_setting(self._name, target, args.log_analytics_workspace_id, self)
        self.resource_group_name = group.name
        self.register_outputs(
            {"resource_group_name": self.resource_group_name, "endpoints": self.endpoints}
        )

    def _seed(self) -> str:
        return self._args.unique_seed or self._args.force

    def _private_endpoint(
        self, key: str, target_name: str, target_id: pulumi.Input[str], group_id: str
    ) -> None:
        """A private endpoint in the spoke, registered in the hub's private DNS zone."""
        assert self._args.private_endpoint_subnet_id is not None
        endpoint = network.PrivateEndpoint(
            f"{self._name}-pe-{key}",
            private_endpoint_name=resource_name(64, "pe", target_name),
            resource_group_name=self._rg,
            location=self._location,
            subnet=network.SubnetArgs(id=self._args.private_endpoint_subnet_id),
            private_link_service_connections=[
                network.PrivateLinkServiceConnectionArgs(
                    name=group_id, private_link_service_id=target_id, group_ids=[group_id]
                )
            ],
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        zone_id = self._args.private_dns_zone_ids.get(PRIVATE_DNS_ZONE[group_id])
        if zone_id is not None:
            network.PrivateDnsZoneGroup(
                f"{self._name}-pe-{key}-dns",
                private_dns_zone_group_name="default",
                private_endpoint_name=endpoint.name,
                resource_group_name=self._rg,
                private_dns_zone_configs=[
                    network.PrivateDnsZoneConfigArgs(name=group_id, private_dns_zone_id=zone_id)
                ],
                opts=pulumi.ResourceOptions(parent=self),
            )

    def _web_app(self, spec: AppServiceSpec) -> None:
        args = self._args
        plan = web.AppServicePlan(
            f"{self._name}-plan",
            name=resource_name(60, "asp", args.force, args.application),
            resource_group_name=self._rg,
            location=self._location,
            kind="linux",
            reserved=True,
            sku=web.SkuDescriptionArgs(name=spec.sku),
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        app_name = make_name(
            "azure-web-app", "app", args.force, args.application, unique_seed=self._seed()
        )
        app = web.WebApp(
            f"{self._name}-app",
            name=app_name,
            resource_group_name=self._rg,
            location=self._location,
            server_farm_id=plan.id,
            kind="app,linux",
            https_only=True,
            client_affinity_enabled=False,
            public_network_access="Enabled" if spec.public_network_access else "Disabled",
            virtual_network_subnet_id=spec.integration_subnet_id,
            identity=web.ManagedServiceIdentityArgs(
                type=web.ManagedServiceIdentityType.SYSTEM_ASSIGNED
            ),
            site_config=web.SiteConfigArgs(
                linux_fx_version=spec.linux_fx_version,
                min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
                scm_min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
                ftps_state=web.FtpsState.DISABLED,
                http20_enabled=True,
                always_on=True,
                remote_debugging_enabled=False,
                vnet_route_all_enabled=True,  # egress through the spoke, so the firewall sees it
            ),
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._private_endpoint("app", app_name, app.id, "sites")
        self.web_app_id, self.web_app_name = app.id, app_name
        self._diagnostic_targets.append(DiagnosticTarget("app", app.id))
        self.endpoints["web_app"] = app.default_host_name

    def _sql_database(self, spec: SqlDatabaseSpec) -> None:
        args = self._args
        server_name = make_name(
            "azure-sql-server", "sql", args.force, args.application, unique_seed=self._seed()
        )
        server = sql.Server(
            f"{self._name}-sql",
            server_name=server_name,
            resource_group_name=self._rg,
            location=self._location,
            version="12.0",
            administrator_login=spec.admin_login,
            administrator_login_password=as_secret(spec.admin_password),
            minimal_tls_version=sql.MinimalTlsVersion.MINIMAL_TLS_VERSION_1_2,
            public_network_access=sql.ServerNetworkAccessFlag.DISABLED,
            identity=sql.ResourceIdentityArgs(type=sql.IdentityType.SYSTEM_ASSIGNED),
            tags=self._tags,
            opts=self._stateful,
        )
        database = sql.Database(
            f"{self._name}-sqldb",
            database_name=make_name("azure-sql-server", args.application),
            server_name=server.name,
            resource_group_name=self._rg,
            location=self._location,
            sku=sql.SkuArgs(name=spec.sku),
            max_size_bytes=spec.max_size_gib * 1024**3,
            zone_redundant=spec.zone_redundant,
            requested_backup_storage_redundancy=sql.BackupStorageRedundancy.GEO,
            tags=self._tags,
            opts=self._stateful,
        )
        sql.TransparentDataEncryption(
            f"{self._name}-sqldb-tde",
            tde_name="current",
            database_name=database.name,
            server_name=server.name,
            resource_group_name=self._rg,
            state=sql.TransparentDataEncryptionState.ENABLED,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._private_endpoint("sql", server_name, server.id, "sqlServer")
        self._diagnostic_targets.append(DiagnosticTarget("sql", server.id))
        self.endpoints["sql_server"] = server.fully_qualified_domain_name

    def _sql_managed_instance(self, spec: SqlManagedInstanceSpec) -> None:
        args = self._args
        instance = sql.ManagedInstance(
            f"{self._name}-sqlmi",
            managed_instance_name=make_name(
                "azure-sql-server",
                "sqlmi",
                args.force,
                args.application,
                unique_seed=self._seed(),
            ),
            resource_group_name=self._rg,
            location=self._location,
            subnet_id=spec.subnet_id,
            sku=sql.SkuArgs(name=spec.sku),
            v_cores=spec.v_cores,
            storage_size_in_gb=spec.storage_gib,
            license_type=(
                sql.ManagedInstanceLicenseType.LICENSE_INCLUDED
                if spec.license_included
                else sql.ManagedInstanceLicenseType.BASE_PRICE
            ),
            administrator_login=spec.admin_login,
            administrator_login_password=as_secret(spec.admin_password),
            minimal_tls_version=sql.MinimalTlsVersion.MINIMAL_TLS_VERSION_1_2,
            public_data_endpoint_enabled=False,
            requested_backup_storage_redundancy=sql.BackupStorageRedundancy.GEO,
            identity=sql.ResourceIdentityArgs(type=sql.IdentityType.SYSTEM_ASSIGNED),
            tags=self._tags,
            opts=self._stateful,
        )
        self.endpoints["sql_managed_instance"] = instance.fully_qualified_domain_name

    def _postgres(self, spec: PostgresSpec) -> None:
        args = self._args
        server = dbforpostgresql.Server(
            f"{self._name}-psql",
            server_name=make_name(
                "azure-postgres-server",
                "psql",
                args.force,
                args.application,
                unique_seed=self._seed(),
            ),
            resource_group_name=self._rg,
            location=self._location,
            version=spec.version,
            create_mode=dbforpostgresql.CreateMode.CREATE,
            administrator_login=spec.admin_login,
            administrator_login_password=as_secret(spec.admin_password),
            sku=dbforpostgresql.SkuArgs(
                name=spec.sku, tier=dbforpostgresql.SkuTier(str(spec.tier))
            ),
            storage=dbforpostgresql.StorageArgs(
                storage_size_gb=spec.storage_gib,
                auto_grow=dbforpostgresql.StorageAutogrow.ENABLED,
            ),
            network=dbforpostgresql.NetworkArgs(
                delegated_subnet_resource_id=spec.delegated_subnet_id,
                private_dns_zone_arm_resource_id=spec.private_dns_zone_id,
                public_network_access=dbforpostgresql.ServerPublicNetworkAccessState.DISABLED,
            ),
            backup=dbforpostgresql.BackupArgs(
                backup_retention_days=spec.backup_retention_days,
                geo_redundant_backup=dbforpostgresql.GeographicallyRedundantBackup.ENABLED,
            ),
            high_availability=dbforpostgresql.HighAvailabilityArgs(
                mode=(
                    dbforpostgresql.PostgreSqlFlexibleServerHighAvailabilityMode.ZONE_REDUNDANT
                    if spec.high_availability
                    else dbforpostgresql.PostgreSqlFlexibleServerHighAvailabilityMode.DISABLED
                )
            ),
            data_encryption=dbforpostgresql.DataEncryptionArgs(
                type=dbforpostgresql.DataEncryptionType.SYSTEM_ASSIGNED
            ),
            tags=self._tags,
            opts=self._stateful,
        )
        self._diagnostic_targets.append(DiagnosticTarget("psql", server.id))
        # TLS: these are the service defaults, pinned so a portal change shows up as drift.
        for setting, value in (
            ("require_secure_transport", "on"),
            ("ssl_min_protocol_version", "TLSv1.2"),
        ):
            dbforpostgresql.Configuration(
                f"{self._name}-psql-{setting.replace('_', '-')}",
                configuration_name=setting,
                server_name=server.name,
                resource_group_name=self._rg,
                value=value,
                source="user-override",
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.endpoints["postgres"] = server.fully_qualified_domain_name

    def _storage(self, spec: StorageSpec) -> None:
        args = self._args
        account_name = make_name(
            "azure-storage-account", "st", args.force, args.application, unique_seed=self._seed()
        )
        enabled = storage.EncryptionServiceArgs(enabled=True, key_type=storage.KeyType.ACCOUNT)
        account = storage.StorageAccount(
            f"{self._name}-st",
            account_name=account_name,
            resource_group_name=self._rg,
            location=self._location,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=storage.SkuName(str(spec.redundancy))),
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            allow_cross_tenant_replication=False,
            default_to_o_auth_authentication=True,
            enable_https_traffic_only=True,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            public_network_access=storage.PublicNetworkAccess.DISABLED,
            network_rule_set=storage.NetworkRuleSetArgs(
                default_action=storage.DefaultAction.DENY, bypass=storage.Bypass.AZURE_SERVICES
            ),
            encryption=storage.EncryptionArgs(
                key_source=storage.KeySource.MICROSOFT_STORAGE,
                require_infrastructure_encryption=True,
                services=storage.EncryptionServicesArgs(
                    blob=enabled, file=enabled, queue=enabled, table=enabled
                ),
            ),
            tags=self._tags,
            opts=self._stateful,
        )
        self._private_endpoint("blob", account_name, account.id, "blob")
        self.endpoints["storage_blob"] = account.primary_endpoints.apply(
            lambda endpoints: endpoints.blob if endpoints else ""
        )
