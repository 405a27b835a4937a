"""Security properties every Azure component must keep, checked on each component's run.

What a resource type accepts (tags, location) is read from the SDK class itself, so a new
resource type added to a component is checked without touching these tests.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from forcelift.components.azure.common import ALLOWED_LOCATIONS
from forcelift.components.azure.tags import REQUIRED_TAG_KEYS
from forcelift.migration.naming import check_name
from forcelift.stacks.mock_runtime import MockRun

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # the wire form's mark on a secret value
# Kinds Azure only offers as global resources (private DNS; Front Door's profile, endpoint and
# WAF policy: staff access at the edge, origins reached over Private Link in the UK region).
GLOBAL_TYPES = {
    "azure-native:privatedns:PrivateZone",
    "azure-native:privatedns:VirtualNetworkLink",
    "azure-native:cdn:Profile",
    "azure-native:cdn:AFDEndpoint",
    "azure-native:frontdoor:Policy",
}
STATEFUL_TYPES = {
    "azure-native:keyvault:Vault",
    "azure-native:storage:StorageAccount",
    "azure-native:sql:Server",
    "azure-native:sql:Database",
    "azure-native:sql:ManagedInstance",
    "azure-native:dbforpostgresql:Server",
    "azure-native:recoveryservices:Vault",
    "azure-native:compute:Disk",
    "azure-native:operationalinsights:Workspace",
}
NAME_RULES: dict[str, tuple[str, str]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "azure-resource-group"),
    "azure-native:network:VirtualNetwork": ("virtualNetworkName", "azure-vnet"),
    "azure-native:network:NetworkSecurityGroup": ("networkSecurityGroupName", "azure-nsg"),
    "azure-native:storage:StorageAccount": ("accountName", "azure-storage-account"),
    "azure-native:keyvault:Vault": ("vaultName", "azure-key-vault"),
    "azure-native:web:WebApp": ("name", "azure-web-app"),
    "azure-native:sql:Server": ("serverName", "azure-sql-server"),
    "azure-native:sql:ManagedInstance": ("managedInstanceName", "azure-sql-server"),
    "azure-native:dbforpostgresql:Server": ("serverName", "azure-postgres-server"),
    "azure-native:operationalinsights:Workspace": ("workspaceName", "azure-log-analytics"),
    "azure-native:recoveryservices:Vault": ("vaultName", "azure-recovery-vault"),
    "azure-native:management:ManagementGroup": ("groupId", "azure-management-group"),
}
# Kinds without a rule in naming.RULES: (input key, Azure's maximum length).
NAME_LENGTHS: dict[str, tuple[str, int]] = {
    "azure-native:network:AzureFirewall": ("azureFirewallName", 56),
    "azure-native:network:PrivateEndpoint": ("privateEndpointName", 64),
    "azure-native:web:AppServicePlan": ("name", 60),
    "azure-native:network:NetworkInterface": ("networkInterfaceName", 80),
    "azure-native:compute:Disk": ("diskName", 80),
    "azure-native:authorization:PolicyAssignment": ("policyAssignmentName", 24),
}


@functools.cache
def _parameters(type_token: str) -> frozenset[str]:
    """Constructor parameters of the SDK class behind an `azure-native:module:Class` token."""
    _, module, cls = type_token.split(":")
    resource = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    return frozenset(inspect.signature(resource._internal_init).parameters)


def _walk(value: Any, path: str = "", secret: bool = False) -> list[tuple[str, Any, bool]]:
    """(path, leaf value, whether the leaf or an enclosing value is secret)."""
    if isinstance(value, Mapping) and SECRET_SIG in value:
        return _walk(value["value"], path, True)
    if isinstance(value, Mapping):
        return [leaf for k, v in value.items() for leaf in _walk(v, f"{path}.{k}", secret)]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _walk(v, f"{path}[{i}]", secret)]
    return [(path, value, secret)]


def test_no_duplicate_urns(any_run: MockRun) -> None:
    assert any_run.duplicate_urns == []
    assert len({r.urn for r in any_run.resources}) == len(any_run.resources)


def test_one_component_owns_every_resource(any_run: MockRun, cloud: Any) -> None:
    components = [r for r in any_run.resources if not r.custom]
    assert components and all(c.type.startswith("forcelift:azure:") for c in components)
    assert all(c.parent == "" for c in components)  # the components are at the stack root
    component_urns = {c.urn for c in components}
    assert all(r.parent in component_urns for r in cloud.all(any_run))


def test_every_located_resource_is_in_a_uk_region(any_run: MockRun, cloud: Any) -> None:
    for resource in cloud.all(any_run):
        if "location" not in _parameters(resource.type):
            continue
        location = resource.inputs.get("location")
        if resource.type in GLOBAL_TYPES:
            assert location == "global", resource.urn
        else:
            assert location in ALLOWED_LOCATIONS, (resource.urn, location)


def test_every_taggable_resource_carries_the_required_tags(any_run: MockRun, cloud: Any) -> None:
    checked = 0
    for resource in cloud.all(any_run):
        if "tags" not in _parameters(resource.type):
            continue
        tags = resource.inputs.get("tags") or {}
        missing = [key for key in REQUIRED_TAG_KEYS if not tags.get(key)]
        assert not missing, (resource.urn, missing)
        checked += 1
    has_taggable = any("tags" in _parameters(r.type) for r in cloud.all(any_run))
    assert checked or not has_taggable


def test_stateful_resources_are_protected(any_run: MockRun, cloud: Any) -> None:
    for resource in cloud.all(any_run):
        if resource.type in STATEFUL_TYPES:
            assert resource.protect, resource.urn


def test_names_follow_azure_naming_rules(any_run: MockRun, cloud: Any) -> None:
    for resource in cloud.all(any_run):
        if resource.type in NAME_RULES:
            key, kind = NAME_RULES[resource.type]
            name = resource.inputs.get(key)
            assert name, f"{resource.urn}: no explicit {key} (Azure would get a random name)"
            assert check_name(kind, name) is None, (resource.urn, name, check_name(kind, name))
        if resource.type in NAME_LENGTHS:
            key, limit = NAME_LENGTHS[resource.type]
            assert 0 < len(resource.inputs.get(key, "")) <= limit, resource.urn
        if resource.type == "azure-native:compute:VirtualMachine":
            profile = resource.inputs["osProfile"]
            kind = "azure-vm-windows" if "windowsConfiguration" in profile else "azure-vm-linux"
            assert check_name(kind, profile["computerName"]) is None, resource.urn
            assert check_name(kind, resource.inputs["vmName"]) is None, resource.urn


def test_no_nic_has_a_public_ip(any_run: MockRun, cloud: Any) -> None:
    for nic in cloud.of(any_run, "network:NetworkInterface"):
        for config in nic.inputs.get("ipConfigurations", []):
            assert "publicIPAddress" not in config, nic.urn


def test_public_ips_only_front_the_firewall_bastion_and_gateway(
    any_run: MockRun, cloud: Any
) -> None:
    public_ips = {r.urn for r in cloud.of(any_run, "network:PublicIPAddress")}
    users = {
        r.type
        for r in any_run.resources
        if public_ips & set(r.dependencies) and r.urn not in public_ips
    }
    assert users <= {
        "azure-native:network:AzureFirewall",
        "azure-native:network:BastionHost",
        "azure-native:network:VirtualNetworkGateway",
        "azure-native:monitor:DiagnosticSetting",
    }


def test_secrets_stay_secret(any_run: MockRun) -> None:
    """Passwords and shared keys reach the engine marked secret, never as plain strings."""
    for resource in any_run.resources:
        for path, value, secret in _walk(dict(resource.inputs)):
            leaf = path.rsplit(".", 1)[-1].lower()
            if "password" in leaf or leaf == "sharedkey":
                assert value is None or secret, (resource.urn, path)


def _tls_1_2_or_later(value: Any) -> bool:
    """'1.2' (SQL, web) or 'TLS1_2' (storage) or later."""
    return str(value).upper().removeprefix("TLS").replace("_", ".") in ("1.2", "1.3")


ENCRYPTION_AND_TLS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "azure-native:compute:Disk": lambda i: i["encryption"]["type"].startswith("EncryptionAtRest"),
    "azure-native:compute:VirtualMachine": lambda i: i["securityProfile"]["encryptionAtHost"],
    "azure-native:storage:StorageAccount": lambda i: (
        i["encryption"]["requireInfrastructureEncryption"]
        and all(s["enabled"] for s in i["encryption"]["services"].values())
        and _tls_1_2_or_later(i["minimumTlsVersion"])
        and i["enableHttpsTrafficOnly"]
        and i["allowBlobPublicAccess"] is False
    ),
    "azure-native:sql:Server": lambda i: _tls_1_2_or_later(i["minimalTlsVersion"]),
    "azure-native:sql:ManagedInstance": lambda i: _tls_1_2_or_later(i["minimalTlsVersion"]),
    "azure-native:dbforpostgresql:Server": lambda i: bool(i["dataEncryption"]["type"]),
    "azure-native:web:WebApp": lambda i: (
        i["httpsOnly"] and _tls_1_2_or_later(i["siteConfig"]["minTlsVersion"])
    ),
}


def test_data_is_encrypted_and_tls_is_at_least_1_2(any_run: MockRun, cloud: Any) -> None:
    for resource in cloud.all(any_run):
        check = ENCRYPTION_AND_TLS.get(resource.type)
        if check is not None:
            assert check(resource.inputs), resource.urn
    databases = {r.name for r in cloud.of(any_run, "sql:Database")}
    encrypted = {
        r.name.removesuffix("-tde")
        for r in cloud.of(any_run, "sql:TransparentDataEncryption")
        if r.inputs["state"] == "Enabled"
    }
    assert databases <= encrypted
    for server in cloud.of(any_run, "dbforpostgresql:Server"):
        settings = {
            r.inputs["configurationName"]: r.inputs["value"]
            for r in cloud.of(any_run, "dbforpostgresql:Configuration")
            if server.urn in r.dependencies
        }
        assert settings == {"require_secure_transport": "on", "ssl_min_protocol_version": "TLSv1.2"}


def test_nothing_stateful_is_publicly_reachable(any_run: MockRun, cloud: Any) -> None:
    for resource in cloud.all(any_run):
        inputs = resource.inputs
        if resource.type == "azure-native:keyvault:Vault":
            assert inputs["properties"]["publicNetworkAccess"] == "Disabled"
        if resource.type in {
            "azure-native:storage:StorageAccount",
            "azure-native:sql:Server",
            "azure-native:web:WebApp",
        }:
            assert inputs["publicNetworkAccess"] == "Disabled", resource.urn
        if resource.type == "azure-native:dbforpostgresql:Server":
            assert inputs["network"]["publicNetworkAccess"] == "Disabled"
        if resource.type == "azure-native:sql:ManagedInstance":
            assert inputs["publicDataEndpointEnabled"] is False
        if resource.type == "azure-native:recoveryservices:Vault":
            assert inputs["properties"]["publicNetworkAccess"] == "Disabled"


def test_every_nsg_ends_with_deny_all(any_run: MockRun, cloud: Any) -> None:
    for nsg in cloud.of(any_run, "network:NetworkSecurityGroup"):
        rules = sorted(nsg.inputs["securityRules"], key=lambda r: r["priority"])
        last = rules[-1]
        assert (last["access"], last["priority"], last["direction"]) == ("Deny", 4096, "Inbound")
        assert last["sourceAddressPrefix"] == last["destinationAddressPrefix"] == "*"
        assert last["protocol"] == "*" and last["destinationPortRange"] == "*"
        assert all(r["access"] == "Allow" for r in rules[:-1])
        assert all(r.get("sourceAddressPrefix") not in ("*", "Internet") for r in rules[:-1])
