"""Rehosted servers: NIC without public IP, encrypted disks, Trusted Launch, backup."""

from __future__ import annotations

from typing import Any

import pytest

from forcelift.components.azure.iaas_workload import (
    BackupSpec,
    DiskSpec,
    IaasWorkloadArgs,
    OsImage,
    ServerSpec,
)
from forcelift.stacks.mock_runtime import MockRun


def _vms(run: MockRun, cloud: Any) -> dict[str, Any]:
    return {v.name.removeprefix("intranet-vm-"): v for v in cloud.of(run, "compute:VirtualMachine")}


def test_windows_computer_name_fits_15_characters(iaas_run: MockRun, cloud: Any) -> None:
    windows = _vms(iaas_run, cloud)["EXSH-INTRANET-WEB-01"].inputs
    name = windows["osProfile"]["computerName"]
    assert len(name) <= 15 and name.startswith("EXSH-INTR")
    assert windows["storageProfile"]["imageReference"] == {
        "publisher": "MicrosoftWindowsServer",
        "offer": "WindowsServer",
        "sku": "2022-datacenter-azure-edition",
        "version": "latest",
    }
    linux = _vms(iaas_run, cloud)["exsh-intranet-db-01"].inputs
    assert linux["osProfile"]["computerName"] == "exsh-intranet-db-01"
    assert linux["storageProfile"]["imageReference"]["offer"] == "0001-com-ubuntu-server-jammy"


def test_vms_are_hardened(iaas_run: MockRun, cloud: Any) -> None:
    for vm in _vms(iaas_run, cloud).values():
        security = vm.inputs["securityProfile"]
        assert security["encryptionAtHost"] is True
        assert security["securityType"] == "TrustedLaunch"
        assert security["uefiSettings"] == {"secureBootEnabled": True, "vTpmEnabled": True}
        assert vm.inputs["diagnosticsProfile"] == {"bootDiagnostics": {"enabled": True}}
        assert "storageUri" not in vm.inputs["diagnosticsProfile"]["bootDiagnostics"]


def test_sizes_and_disks_come_from_args(iaas_run: MockRun, cloud: Any) -> None:
    web = _vms(iaas_run, cloud)["EXSH-INTRANET-WEB-01"].inputs
    assert web["hardwareProfile"] == {"vmSize": "Standard_D2s_v5"}
    os_disk = web["storageProfile"]["osDisk"]
    assert os_disk["diskSizeGB"] == 128 and os_disk["managedDisk"]["storageAccountType"] == (
        "Premium_LRS"
    )
    (disk,) = cloud.of(iaas_run, "compute:Disk")
    assert disk.inputs["diskSizeGB"] == 256 and disk.inputs["sku"] == {"name": "StandardSSD_LRS"}
    assert disk.inputs["networkAccessPolicy"] == "DenyAll"
    assert disk.inputs["zones"] == ["1"]  # with its VM
    (attached,) = web["storageProfile"]["dataDisks"]
    assert attached["createOption"] == "Attach" and attached["lun"] == 0


def test_static_ip_when_the_plan_gives_one(iaas_run: MockRun, cloud: Any) -> None:
    configs = {
        n.name: n.inputs["ipConfigurations"][0]
        for n in cloud.of(iaas_run, "network:NetworkInterface")
    }
    db = configs["intranet-nic-exsh-intranet-db-01"]
    assert db["privateIPAllocationMethod"] == "Static"
    assert db["privateIPAddress"] == "10.101.0.10"
    assert configs["intranet-nic-EXSH-INTRANET-WEB-01"]["privateIPAllocationMethod"] == "Dynamic"


def test_every_vm_is_backed_up_with_an_enhanced_policy(iaas_run: MockRun, cloud: Any) -> None:
    vault = cloud.one(iaas_run, "recoveryservices:Vault")
    assert vault.protect
    soft_delete = vault.inputs["properties"]["securitySettings"]["softDeleteSettings"]
    assert soft_delete["softDeleteState"] == "AlwaysON"
    policy = cloud.one(iaas_run, "recoveryservices:ProtectionPolicy")
    assert policy.inputs["properties"]["policyType"] == "V2"  # Trusted Launch needs Enhanced
    retention = policy.inputs["properties"]["retentionPolicy"]["dailySchedule"]
    assert retention["retentionDuration"] == {"count": 30, "durationType": "Days"}
    items = cloud.of(iaas_run, "recoveryservices:ProtectedItem")
    protected_vms = {dep for item in items for dep in item.dependencies if "VirtualMachine" in dep}
    assert protected_vms == {vm.urn for vm in _vms(iaas_run, cloud).values()}
    for item in items:
        assert policy.urn in item.dependencies
        assert item.inputs["protectedItemName"].startswith("vm;iaasvmcontainerv2;")


def test_literal_admin_password_is_refused() -> None:
    password: Any = "Password1!"
    with pytest.raises(TypeError, match="require_secret"):
        IaasWorkloadArgs(
            force="x",
            application="a",
            tags=None,  # type: ignore[arg-type]
            subnet_id="s",
            servers=(),
            admin_password=password,
        )


def test_zones_must_exist_in_the_region() -> None:
    from forcelift.components.azure.common import AzureRegion

    server = ServerSpec("a", OsImage.RHEL_9, "Standard_D2s_v5", DiskSpec(64), zone="1")
    with pytest.raises(ValueError, match="zone 1 not in ukwest"):
        IaasWorkloadArgs(
            force="x",
            application="a",
            tags=None,  # type: ignore[arg-type]
            subnet_id="s",
            servers=(server,),
            admin_password=object(),  # type: ignore[arg-type]
            location=AzureRegion.UKWEST,
        )
    with pytest.raises(ValueError, match="HH:00"):
        BackupSpec(daily_time="1am")


def test_password_is_made_secret_even_from_a_plain_output(cloud: Any) -> None:
    import pulumi

    from forcelift.components.azure.iaas_workload import IaasWorkload
    from forcelift.components.azure.tags import DataClassification, Tags
    from forcelift.stacks.mock_runtime import run_mocked

    def program() -> None:
        IaasWorkload(
            "app",
            IaasWorkloadArgs(
                force="x",
                application="app",
                tags=Tags("app", "o", DataClassification.OFFICIAL, "cc", "1"),
                subnet_id="/subnets/app",
                servers=(ServerSpec("app01", OsImage.RHEL_9, "Standard_B2s", DiskSpec(64)),),
                admin_password=pulumi.Output.from_input("not-marked-secret"),
            ),
        )

    run = run_mocked(program, project="p", stack="s")
    (vm,) = run.of_type("azure-native:compute:VirtualMachine")
    assert cloud.is_secret(vm.inputs["osProfile"])
    assert cloud.plain(vm.inputs["osProfile"])["adminPassword"] == "not-marked-secret"
