"""Small mock-runtime runs of each Azure component, shared by the property tests.

Each run is built once per session (the mock runtime costs about 23 ms per resource) and
inspected by many tests. Inputs are small on purpose: one or two of everything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pulumi
import pytest

from forcelift.components.azure.common import EgressDestination, FlowRule
from forcelift.components.azure.tags import DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun, RecordedResource, run_mocked

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how the wire form marks a secret value
PROJECT = "forcelift"
LZ_STACK = "exampleshire-azure-landing-zone"
WAVE_STACK = "exampleshire-azure-wave-1"
SECRETS = {
    "forcelift:psnSharedKey": "psn-key-from-config",
    "forcelift:adminPassword": "admin-password-from-config",
    "forcelift:sqlPassword": "sql-password-from-config",
}

LZ_TAGS = Tags(
    application="landing-zone",
    owner="platform-team",
    data_classification=DataClassification.OFFICIAL_SENSITIVE,
    cost_centre="CC-ICT-001",
    wave="0",
)
APP_TAGS = Tags(
    application="intranet",
    owner="digital-services",
    data_classification=DataClassification.OFFICIAL_SENSITIVE,
    cost_centre="CC-ICT-042",
    wave="1",
)
SAAS = (
    EgressDestination("microsoft-365", ("login.microsoftonline.com", "outlook.office365.com")),
    EgressDestination("niche-rms-cloud", ("api.niche.example",)),
)
HUB_OUTPUTS = {
    "hub_vnet_id": "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/"
    "virtualNetworks/vnet-exampleshire-hub-uksouth",
    "hub_vnet_name": "vnet-exampleshire-hub-uksouth",
    "hub_resource_group": "rg-exampleshire-connectivity-uksouth",
    "firewall_private_ip": "10.100.0.4",
    "private_endpoint_zone_blob": "/zones/privatelink.blob.core.windows.net",
}


def _secret(key: str) -> pulumi.Output[str]:
    return pulumi.Config("forcelift").require_secret(key)


def _run(program, stack: str = WAVE_STACK) -> MockRun:
    return run_mocked(
        program,
        project=PROJECT,
        stack=stack,
        config={"azure-native:location": "uksouth", **SECRETS},
        stack_outputs={f"organization/{PROJECT}/{LZ_STACK}": HUB_OUTPUTS},
    )


@pytest.fixture(scope="session")
def management_groups_run() -> MockRun:
    from forcelift.components.azure.management_groups import (
        ManagementGroups,
        ManagementGroupsArgs,
    )

    def program() -> None:
        ManagementGroups(
            "mg", ManagementGroupsArgs(force="exampleshire", display_name="Exampleshire Police")
        )

    return _run(program, LZ_STACK)


@pytest.fixture(scope="session")
def landing_zone_run() -> MockRun:
    """Hub network and management together, as the landing zone stack builds them."""
    from forcelift.components.azure.hub_network import HubNetwork, HubNetworkArgs, OnPremiseSite
    from forcelift.components.azure.management import Management, ManagementArgs

    def program() -> None:
        hub = HubNetwork(
            "hub",
            HubNetworkArgs(
                force="exampleshire",
                tags=LZ_TAGS,
                address_space="10.100.0.0/22",
                firewall_subnet="10.100.0.0/26",
                bastion_subnet="10.100.0.64/26",
                gateway_subnet="10.100.0.128/27",
                management_subnet="10.100.1.0/24",
                egress_source_cidrs=("10.100.0.0/16",),
                egress_allow_list=SAAS,
                on_premise_sites=(
                    OnPremiseSite(
                        name="psn",
                        gateway_address="203.0.113.10",
                        address_spaces=("172.16.0.0/16",),
                        shared_key=_secret("psnSharedKey"),
                    ),
                ),
            ),
        )
        Management(
            "mgmt",
            ManagementArgs(
                force="exampleshire",
                tags=LZ_TAGS,
                management_resource_group=hub.resource_group_names["management"],
                security_resource_group=hub.resource_group_names["security"],
                log_retention_days=180,
                diagnostic_targets=hub.diagnostic_targets,
                private_endpoint_subnet_id=hub.subnet_ids["management"],
                key_vault_dns_zone_id=hub.private_dns_zone_ids["privatelink.vaultcore.azure.net"],
                unique_seed="exampleshire-azure",
            ),
        )
        pulumi.export("firewall_private_ip", hub.firewall_private_ip)

    return _run(program, LZ_STACK)


@pytest.fixture(scope="session")
def spoke_run() -> MockRun:
    """A wave spoke that takes the hub's details from the landing zone's stack outputs."""
    from forcelift.components.azure.spoke_network import (
        SpokeNetwork,
        SpokeNetworkArgs,
        SpokeSubnet,
        SubnetPurpose,
    )

    def program() -> None:
        lz = pulumi.StackReference(f"organization/{PROJECT}/{LZ_STACK}")
        SpokeNetwork(
            "wave1",
            SpokeNetworkArgs(
                force="exampleshire",
                name="wave-1",
                tags=APP_TAGS,
                address_space="10.101.0.0/24",
                subnets=(
                    SpokeSubnet(
                        "app",
                        "10.101.0.0/26",
                        inbound=(
                            FlowRule("bastion-rdp", "10.100.0.64/26", "10.101.0.0/26", (3389,)),
                            FlowRule("web-from-hq", "172.16.0.0/16", "10.101.0.0/26", (443, 80)),
                        ),
                        private_link_service=True,
                    ),
                    SpokeSubnet("endpoints", "10.101.0.64/27", SubnetPurpose.PRIVATE_ENDPOINTS),
                    SpokeSubnet("web-integration", "10.101.0.96/27", SubnetPurpose.APP_SERVICE),
                ),
                hub_vnet_id=lz.get_output("hub_vnet_id"),
                hub_vnet_name=lz.get_output("hub_vnet_name"),
                hub_resource_group=lz.get_output("hub_resource_group"),
                firewall_private_ip=lz.get_output("firewall_private_ip"),
            ),
        )

    return _run(program)


@pytest.fixture(scope="session")
def iaas_run() -> MockRun:
    from forcelift.components.azure.iaas_workload import (
        BackupSpec,
        DiskSku,
        DiskSpec,
        IaasWorkload,
        IaasWorkloadArgs,
        OsImage,
        ServerSpec,
    )

    def program() -> None:
        IaasWorkload(
            "intranet",
            IaasWorkloadArgs(
                force="exampleshire",
                application="intranet",
                tags=APP_TAGS,
                subnet_id="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
                "virtualNetworks/vnet/subnets/snet-app",
                servers=(
                    ServerSpec(
                        name="EXSH-INTRANET-WEB-01",
                        image=OsImage.WINDOWS_SERVER_2022,
                        size="Standard_D2s_v5",
                        os_disk=DiskSpec(128),
                        data_disks=(DiskSpec(256, DiskSku.STANDARD_SSD_LRS),),
                        zone="1",
                    ),
                    ServerSpec(
                        name="exsh-intranet-db-01",
                        image=OsImage.UBUNTU_22_04,
                        size="Standard_E4s_v5",
                        os_disk=DiskSpec(64, DiskSku.STANDARD_SSD_LRS),
                        private_ip="10.101.0.10",
                    ),
                ),
                admin_password=_secret("adminPassword"),
                backup=BackupSpec(),
            ),
        )

    return _run(program)


@pytest.fixture(scope="session")
def paas_run() -> MockRun:
    from forcelift.components.azure.paas_workload import (
        AppServiceSpec,
        PaasWorkload,
        PaasWorkloadArgs,
        PostgresSpec,
        SqlDatabaseSpec,
        StorageSpec,
    )

    def program() -> None:
        subnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
        PaasWorkload(
            "records",
            PaasWorkloadArgs(
                force="exampleshire",
                application="records",
                tags=APP_TAGS,
                app_service=AppServiceSpec(integration_subnet_id=f"{subnet}/subnets/web"),
                sql_database=SqlDatabaseSpec("sqladmin", _secret("sqlPassword")),
                postgres=PostgresSpec(
                    delegated_subnet_id=f"{subnet}/subnets/postgres",
                    private_dns_zone_id="/zones/privatelink.postgres.database.azure.com",
                    admin_login="pgadmin",
                    admin_password=_secret("sqlPassword"),
                ),
                storage=StorageSpec(),
                private_endpoint_subnet_id=f"{subnet}/subnets/endpoints",
                private_dns_zone_ids={
                    "privatelink.azurewebsites.net": "/zones/privatelink.azurewebsites.net",
                    "privatelink.database.windows.net": "/zones/privatelink.database.windows.net",
                    "privatelink.blob.core.windows.net": "/zones/privatelink.blob.core.windows.net",
                },
                unique_seed="exampleshire-azure",
            ),
        )

    return _run(program)


@pytest.fixture(scope="session")
def paas_mi_run() -> MockRun:
    from forcelift.components.azure.paas_workload import (
        PaasWorkload,
        PaasWorkloadArgs,
        SqlManagedInstanceSpec,
    )

    def program() -> None:
        PaasWorkload(
            "finance",
            PaasWorkloadArgs(
                force="exampleshire",
                application="finance",
                tags=APP_TAGS,
                sql_managed_instance=SqlManagedInstanceSpec(
                    subnet_id="/subscriptions/s/virtualNetworks/v/subnets/sqlmi",
                    admin_login="sqladmin",
                    admin_password=_secret("sqlPassword"),
                ),
            ),
        )

    return _run(program)


@pytest.fixture(scope="session")
def saas_run() -> MockRun:
    from forcelift.components.azure.saas_workload import SaasWorkload, SaasWorkloadArgs

    def program() -> None:
        saas = SaasWorkload(
            "m365",
            SaasWorkloadArgs(
                application="email",
                service="Microsoft 365",
                fqdns=("outlook.office365.com", "login.microsoftonline.com"),
                data_classification=DataClassification.OFFICIAL_SENSITIVE,
                tags=APP_TAGS,
            ),
        )
        pulumi.export("saas_email", saas.integration)

    return _run(program)


SUBNET_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
WORKSPACE_ID = (
    "/subscriptions/s/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log"
)
PARTNER = "0a1b2c3d-0000-4000-8000-000000000001"
TENANT = "7b1d2f3a-0000-4000-8000-00000000000a"
SHARING_TAGS = Tags(
    "sharing", "platform-team", DataClassification.OFFICIAL_SENSITIVE, "CC-ICT-001", "sharing"
)


@pytest.fixture(scope="session")
def shared_service_run() -> MockRun:
    from forcelift.components.azure.shared_service import SharedService, SharedServiceArgs

    def program() -> None:
        SharedService(
            "custody-records",
            SharedServiceArgs(
                force="exampleshire",
                name="custody-records",
                application="custody",
                tags=APP_TAGS,
                subnet_id=f"{SUBNET_ID}/subnets/snet-workload",
                allowed_subscriptions=(PARTNER,),
                port=8443,
                backend_ips=("10.101.0.10",),
                virtual_network_id=SUBNET_ID,
                log_analytics_workspace_id=WORKSPACE_ID,
            ),
        )

    return _run(program)


@pytest.fixture(scope="session")
def partner_endpoint_run() -> MockRun:
    from forcelift.components.azure.partner_endpoint import PartnerEndpoint, PartnerEndpointArgs

    def program() -> None:
        PartnerEndpoint(
            "rocu-intel",
            PartnerEndpointArgs(
                force="exampleshire",
                name="rocu-intel",
                tags=SHARING_TAGS,
                subnet_id=f"{SUBNET_ID}/subnets/snet-management",
                service="/subscriptions/h/resourceGroups/rg/providers/Microsoft.Network/"
                "privateLinkServices/pls-northmoor-rocu",
                dns_name="rocu-intel.share.exampleshire.internal",
                virtual_network_id=SUBNET_ID,
            ),
        )

    return _run(program, "exampleshire-azure-sharing")


@pytest.fixture(scope="session")
def agency_api_run() -> MockRun:
    from forcelift.components.azure.agency_api import (
        AgencyApiGateway,
        AgencyApiGatewayArgs,
        ApiAuth,
        OAuthSpec,
    )

    def program() -> None:
        AgencyApiGateway(
            "cases-api",
            AgencyApiGatewayArgs(
                force="exampleshire",
                name="cases-api",
                application="cases",
                tags=APP_TAGS,
                subnet_id=f"{SUBNET_ID}/subnets/snet-api-management",
                backend_url="https://10.101.0.10:443",
                publisher_email="platform@exampleshire.police.uk",
                publisher_name="Exampleshire Police",
                auth=ApiAuth.OAUTH,
                oauth=OAuthSpec(tenant_id=TENANT, audience="api://exampleshire-cases-api"),
                log_analytics_workspace_id=WORKSPACE_ID,
            ),
        )

    return _run(program)


@pytest.fixture(scope="session")
def staff_access_run() -> MockRun:
    from forcelift.components.azure.staff_access import (
        AppServiceAuth,
        StaffAccessFrontDoor,
        StaffAccessFrontDoorArgs,
        StaffApp,
    )

    def program() -> None:
        StaffAccessFrontDoor(
            "wave-1-staff-access",
            StaffAccessFrontDoorArgs(
                force="exampleshire",
                name="wave-1",
                tags=APP_TAGS,
                apps=(
                    StaffApp(
                        application="Records",
                        name="records",
                        hostname="records.exampleshire.staff.police.uk",
                        origin_host="app-records.azurewebsites.net",
                        private_link_id="/subscriptions/s/resourceGroups/rg-app/providers/"
                        "Microsoft.Web/sites/app-records",
                        auth=AppServiceAuth(
                            web_app_name="app-records",
                            resource_group_name="rg-app",
                            client_id="5c6d7e8f-0000-4000-8000-00000000000b",
                            tenant_id=TENANT,
                        ),
                    ),
                ),
                log_analytics_workspace_id=WORKSPACE_ID,
            ),
        )

    return _run(program)


RUNS = (
    "management_groups_run",
    "landing_zone_run",
    "spoke_run",
    "iaas_run",
    "paas_run",
    "paas_mi_run",
    "saas_run",
    "shared_service_run",
    "partner_endpoint_run",
    "agency_api_run",
    "staff_access_run",
)


@pytest.fixture(params=RUNS)
def any_run(request: pytest.FixtureRequest) -> MockRun:
    """Each component run in turn: properties that must hold for every component."""
    return request.getfixturevalue(request.param)


class Cloud:
    """The recorded azure-native resources of a run, with secret wrappers removed from inputs."""

    @staticmethod
    def is_secret(value: Any) -> bool:
        return isinstance(value, Mapping) and SECRET_SIG in value

    @staticmethod
    def plain(value: Any) -> Any:
        if Cloud.is_secret(value):
            return Cloud.plain(value["value"])
        if isinstance(value, Mapping):
            return {k: Cloud.plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [Cloud.plain(v) for v in value]
        return value

    @staticmethod
    def all(run: MockRun) -> list[RecordedResource]:
        return [
            dataclasses.replace(r, inputs=Cloud.plain(r.inputs))
            for r in run.resources
            if r.type.startswith("azure-native:")
        ]

    @staticmethod
    def of(run: MockRun, short_type: str) -> list[RecordedResource]:
        """Resources of one type, e.g. `network:Subnet`."""
        return [r for r in Cloud.all(run) if r.type == f"azure-native:{short_type}"]

    @staticmethod
    def one(run: MockRun, short_type: str) -> RecordedResource:
        (resource,) = Cloud.of(run, short_type)
        return resource


@pytest.fixture
def cloud() -> type[Cloud]:
    return Cloud
