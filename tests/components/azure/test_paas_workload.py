"""Replatformed services: private, TLS 1.2+, encrypted; each part optional."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from forcelift.components.azure.paas_workload import PaasWorkload, PaasWorkloadArgs, StorageSpec
from forcelift.components.azure.tags import DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun, run_mocked


def test_web_app_is_https_only_and_vnet_integrated(paas_run: MockRun, cloud: Any) -> None:
    app = cloud.one(paas_run, "web:WebApp")
    assert app.inputs["httpsOnly"] is True
    site = app.inputs["siteConfig"]
    assert site["minTlsVersion"] == "1.2" and site["scmMinTlsVersion"] == "1.2"
    assert site["ftpsState"] == "Disabled"
    assert site["vnetRouteAllEnabled"] is True
    assert app.inputs["virtualNetworkSubnetId"].endswith("/subnets/web")
    plan = cloud.one(paas_run, "web:AppServicePlan")
    assert plan.urn in app.dependencies


def test_sql_and_postgres_are_private_and_encrypted(paas_run: MockRun, cloud: Any) -> None:
    sql = cloud.one(paas_run, "sql:Server")
    assert sql.inputs["minimalTlsVersion"] == "1.2"
    database = cloud.one(paas_run, "sql:Database")
    assert database.inputs["sku"] == {"name": "GP_Gen5_2"}
    assert database.inputs["maxSizeBytes"] == 32 * 1024**3
    tde = cloud.one(paas_run, "sql:TransparentDataEncryption")
    assert tde.inputs["state"] == "Enabled" and database.urn in tde.dependencies
    postgres = cloud.one(paas_run, "dbforpostgresql:Server")
    network = postgres.inputs["network"]
    assert network["delegatedSubnetResourceId"].endswith("/subnets/postgres")
    assert network["privateDnsZoneArmResourceId"].endswith(
        "privatelink.postgres.database.azure.com"
    )
    assert postgres.inputs["backup"]["geoRedundantBackup"] == "Enabled"


def test_storage_account_is_locked_down(paas_run: MockRun, cloud: Any) -> None:
    account = cloud.one(paas_run, "storage:StorageAccount").inputs
    assert account["allowBlobPublicAccess"] is False
    assert account["allowSharedKeyAccess"] is False
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["enableHttpsTrafficOnly"] is True
    assert account["networkRuleSet"]["defaultAction"] == "Deny"
    assert account["encryption"]["keySource"] == "Microsoft.Storage"


def test_private_endpoints_for_sql_storage_and_web_app(paas_run: MockRun, cloud: Any) -> None:
    endpoints = cloud.of(paas_run, "network:PrivateEndpoint")
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in endpoints)
    assert groups == ["blob", "sites", "sqlServer"]
    for endpoint in endpoints:
        assert endpoint.inputs["subnet"]["id"].endswith("/subnets/endpoints")
    zones = sorted(
        g.inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"]
        for g in cloud.of(paas_run, "network:PrivateDnsZoneGroup")
    )
    assert zones == [
        "/zones/privatelink.azurewebsites.net",
        "/zones/privatelink.blob.core.windows.net",
        "/zones/privatelink.database.windows.net",
    ]


def test_managed_instance_sits_in_its_own_subnet(paas_mi_run: MockRun, cloud: Any) -> None:
    instance = cloud.one(paas_mi_run, "sql:ManagedInstance")
    assert instance.inputs["subnetId"].endswith("/subnets/sqlmi")
    assert instance.inputs["minimalTlsVersion"] == "1.2"
    assert instance.inputs["publicDataEndpointEnabled"] is False
    assert cloud.of(paas_mi_run, "network:PrivateEndpoint") == []  # VNet-injected already


def test_private_services_need_an_endpoint_subnet() -> None:
    tags = Tags("a", "o", DataClassification.OFFICIAL, "cc", "1")
    with pytest.raises(ValueError, match="private_endpoint_subnet_id"):
        PaasWorkloadArgs(force="x", application="a", tags=tags, storage=StorageSpec())


def test_protect_can_be_turned_off() -> None:
    tags = Tags("files", "o", DataClassification.OFFICIAL, "cc", "1")

    def program() -> None:
        PaasWorkload(
            "files",
            PaasWorkloadArgs(
                force="x",
                application="files",
                tags=tags,
                storage=StorageSpec(),
                private_endpoint_subnet_id="/subnets/endpoints",
            ),
            protect=False,
        )
        pulumi.export("done", True)

    run = run_mocked(program, project="p", stack="s")
    (account,) = run.of_type("azure-native:storage:StorageAccount")
    assert account.protect is False
