"""Log Analytics, Key Vault and diagnostic settings of the landing zone."""

from __future__ import annotations

from typing import Any

import pytest

from forcelift.components.azure.management import ManagementArgs
from forcelift.stacks.mock_runtime import MockRun


def test_key_vault_is_rbac_purge_protected_and_private(
    landing_zone_run: MockRun, cloud: Any
) -> None:
    vault = cloud.one(landing_zone_run, "keyvault:Vault")
    props = vault.inputs["properties"]
    assert props["enableRbacAuthorization"] is True
    assert props["enablePurgeProtection"] is True
    assert props["enableSoftDelete"] is True
    assert props["publicNetworkAccess"] == "Disabled"
    assert props["networkAcls"]["defaultAction"] == "Deny"
    assert props["tenantId"] == "11111111-1111-1111-1111-111111111111"  # from getClientConfig
    assert vault.protect
    endpoint = cloud.one(landing_zone_run, "network:PrivateEndpoint")
    (connection,) = endpoint.inputs["privateLinkServiceConnections"]
    assert connection["groupIds"] == ["vault"] and vault.urn in endpoint.dependencies


def test_workspace_retention_comes_from_args(landing_zone_run: MockRun, cloud: Any) -> None:
    workspace = cloud.one(landing_zone_run, "operationalinsights:Workspace")
    assert workspace.inputs["retentionInDays"] == 180
    assert workspace.inputs["sku"] == {"name": "PerGB2018"}


def test_diagnostics_cover_what_the_landing_zone_creates(
    landing_zone_run: MockRun, cloud: Any
) -> None:
    workspace = cloud.one(landing_zone_run, "operationalinsights:Workspace")
    settings = cloud.of(landing_zone_run, "monitor:DiagnosticSetting")
    covered = {
        dep.rsplit("::", 1)[1]
        for s in settings
        for dep in s.dependencies
        if dep != workspace.urn or s.name.endswith("log-analytics")
    }
    assert {"hub-firewall", "hub-vnet", "hub-bastion", "mgmt-kv", "mgmt-law"} <= covered
    for setting in settings:
        assert workspace.urn in setting.dependencies
        assert setting.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
        assert setting.inputs["metrics"] == [{"category": "AllMetrics", "enabled": True}]


def test_management_args_check_retention() -> None:
    with pytest.raises(ValueError, match="30-730"):
        ManagementArgs(
            force="x",
            tags=None,  # type: ignore[arg-type]
            management_resource_group="rg",
            security_resource_group="rg",
            log_retention_days=7,
        )
