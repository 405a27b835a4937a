"""Servers that move as virtual machines (rehost): NICs, VMs, managed disks and backup.

VMs sit in a spoke subnet with no public IP (staff come in through Bastion), encrypt at host
(temp disk and caches too) with Trusted Launch, keep boot diagnostics for console
troubleshooting, and, for critical workloads, are backed up daily to a Recovery Services vault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
from pulumi_azure_native import compute, network, recoveryservices, resources

from forcelift.components.azure.common import (
    AzureRegion,
    as_secret,
    require_output,
    resource_name,
    zones_for,
)
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name


class OsImage(StrEnum):
    WINDOWS_SERVER_2022 = "windows-server-2022"
    UBUNTU_22_04 = "ubuntu-22.04"
    RHEL_9 = "rhel-9"


# Marketplace references (all Gen2 images, as Trusted Launch requires).
IMAGES: dict[OsImage, tuple[str, str, str]] = {
    OsImage.WINDOWS_SERVER_2022: (
        "MicrosoftWindowsServer",
        "WindowsServer",
        "2022-datacenter-azure-edition",
    ),
    OsImage.UBUNTU_22_04: ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2"),
    OsImage.RHEL_9: ("RedHat", "RHEL", "9-lvm-gen2"),
}


class DiskSku(StrEnum):
    PREMIUM_LRS = "Premium_LRS"
    PREMIUM_ZRS = "Premium_ZRS"
    PREMIUM_V2_LRS = "PremiumV2_LRS"
    STANDARD_SSD_LRS = "StandardSSD_LRS"
    STANDARD_SSD_ZRS = "StandardSSD_ZRS"
    STANDARD_HDD_LRS = "Standard_LRS"


@dataclass(frozen=True)
class DiskSpec:
    size_gib: int
    sku: DiskSku = DiskSku.PREMIUM_LRS

    def __post_init__(self) -> None:
        if not 1 <= self.size_gib <= 32767:
            raise ValueError(f"disk size {self.size_gib} GiB is outside 1-32767")


@dataclass(frozen=True)
class ServerSpec:
    name: str
    image: OsImage
    size: str
    os_disk: DiskSpec
    data_disks: tuple[DiskSpec, ...] = ()
    private_ip: str | None = None
    zone: str | None = None

    @property
    def is_windows(self) -> bool:
        return self.image is OsImage.WINDOWS_SERVER_2022


@dataclass(frozen=True)
class BackupSpec:
    """Daily backup; the time is UK local time (GMT Standard Time)."""

    daily_time: str = "01:00"
    retention_days: int = 30
    instant_restore_days: int = 2

    def __post_init__(self) -> None:
        hours, _, minutes = self.daily_time.partition(":")
        if not (hours.isdigit() and minutes in ("00", "30") and 0 <= int(hours) <= 23):
            raise ValueError(f"backup time {self.daily_time!r}: use HH:00 or HH:30")
        if not 7 <= self.retention_days <= 9999:
            raise ValueError("backup retention_days must be 7-9999")


@dataclass(frozen=True)
class IaasWorkloadArgs:
    force: str
    application: str
    tags: Tags
    subnet_id: pulumi.Input[str] = field(compare=False)
    servers: tuple[ServerSpec, ...]
    admin_password: pulumi.Output[str] = field(compare=False)
    admin_username: str = "fladmin"
    location: AzureRegion = AzureRegion.UKSOUTH
    ssh_public_key: str | None = None
    backup: BackupSpec | None = None

    def __post_init__(self) -> None:
        require_output(self.admin_password, f"{self.application}: admin_password")
        names = [s.name for s in self.servers]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.application}: server names repeat")
        zones = zones_for(self.location) or []
        for server in self.servers:
            if server.zone is not None and server.zone not in zones:
                raise ValueError(f"server {server.name}: zone {server.zone} not in {self.location}")


class IaasWorkload(pulumi.ComponentResource):
    resource_group_name: pulumi.Output[str]
    vm_ids: dict[str, pulumi.Output[str]]

    def __init__(
        self,
        name: str,
        args: IaasWorkloadArgs,
        opts: pulumi.ResourceOptions | None = None,
        protect: bool = True,
    ) -> None:
        super().__init__("forcelift:azure:IaasWorkload", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        stateful = pulumi.ResourceOptions(parent=self, protect=protect)
        tags = args.tags.as_dict()
        location = str(args.location)
        rg_name = make_name("azure-resource-group", "rg", args.force, args.application, location)
        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=rg_name, location=location, tags=tags, opts=child
        )

        self.vm_ids = {}
        vms: dict[str, tuple[str, compute.VirtualMachine]] = {}  # server -> (VM name, VM)
        for server in sorted(args.servers, key=lambda s: s.name):
            vm_kind = "azure-vm-windows" if server.is_windows else "azure-vm-linux"
            vm_name = make_name(vm_kind, server.name)
            nic = network.NetworkInterface(
                f"{name}-nic-{server.name}",
                network_interface_name=resource_name(80, "nic", vm_name),
                resource_group_name=group.name,
                location=location,
                ip_configurations=[
                    network.NetworkInterfaceIPConfigurationArgs(
                        name="ipconfig",
                        primary=True,
                        subnet=network.SubnetArgs(id=args.subnet_id),
                        private_ip_allocation_method=(
                            network.IPAllocationMethod.STATIC
                            if server.private_ip
                            else network.IPAllocationMethod.DYNAMIC
                        ),
                        private_ip_address=server.private_ip,
                    )
                ],
                tags=tags,
                opts=child,
            )
            zones = [server.zone] if server.zone else None
            data_disks = []
            for lun, spec in enumerate(server.data_disks):
                disk = compute.Disk(
                    f"{name}-disk-{server.name}-{lun}",
                    disk_name=resource_name(80, "disk", vm_name, f"data{lun}"),
                    resource_group_name=group.name,
                    location=location,
                    zones=zones,
                    sku=compute.DiskSkuArgs(name=compute.DiskStorageAccountTypes(str(spec.sku))),
                    disk_size_gb=spec.size_gib,
                    creation_data=compute.CreationDataArgs(
                        create_option=compute.DiskCreateOption.EMPTY
                    ),
                    encryption=compute.EncryptionArgs(
                        type=compute.EncryptionType.ENCRYPTION_AT_REST_WITH_PLATFORM_KEY
                    ),
                    network_access_policy=compute.NetworkAccessPolicy.DENY_ALL,
                    public_network_access=compute.PublicNetworkAccess.DISABLED,
                    tags=tags,
                    opts=stateful,
                )
                data_disks.append(
                    compute.DataDiskArgs(
                        lun=lun,
                        create_option=compute.DiskCreateOptionTypes.ATTACH,
                        managed_disk=compute.ManagedDiskParametersArgs(id=disk.id),
                        caching=compute.CachingTypes.READ_ONLY,
                    )
                )
            vm = compute.VirtualMachine(
                f"{name}-vm-{server.name}",
                vm_name=vm_name,
                resource_group_name=group.name,
                location=location,
                zones=zones,
                hardware_profile=compute.HardwareProfileArgs(vm_size=server.size),
                storage_profile=compute.StorageProfileArgs(
                    image_reference=self._image(server.image),
                    os_disk=compute.OSDiskArgs(
                        name=resource_name(80, "osdisk", vm_name),
                        create_option=compute.DiskCreateOptionTypes.FROM_IMAGE,
                        disk_size_gb=server.os_disk.size_gib,
                        caching=compute.CachingTypes.READ_WRITE,
                        managed_disk=compute.ManagedDiskParametersArgs(
                            storage_account_type=compute.StorageAccountTypes(
                                str(server.os_disk.sku)
                            )
                        ),
                    ),
                    data_disks=data_disks,
                ),
                os_profile=self._os_profile(server, vm_name, args),
                network_profile=compute.NetworkProfileArgs(
                    network_interfaces=[
                        compute.NetworkInterfaceReferenceArgs(id=nic.id, primary=True)
                    ]
                ),
                security_profile=compute.SecurityProfileArgs(
                    encryption_at_host=True,
                    security_type=compute.SecurityTypes.TRUSTED_LAUNCH,
                    uefi_settings=compute.UefiSettingsArgs(
                        secure_boot_enabled=True, v_tpm_enabled=True
                    ),
                ),
                diagnostics_profile=compute.DiagnosticsProfileArgs(
                    boot_diagnostics=compute.BootDiagnosticsArgs(enabled=True)  # managed storage
                ),
                identity=compute.VirtualMachineIdentityArgs(
                    type=compute.ResourceIdentityType.SYSTEM_ASSIGNED
                ),
                tags=tags,
                opts=child,
            )
            vms[server.name] = (vm_name, vm)
            self.vm_ids[server.name] = vm.id

        if args.backup is not None:
            self._backup(name, args, args.backup, group, rg_name, vms, stateful)

        self.resource_group_name = group.name
        self.register_outputs(
            {"resource_group_name": self.resource_group_name, "vm_ids": self.vm_ids}
        )

    @staticmethod
    def _image(image: OsImage) -> compute.ImageReferenceArgs:
        publisher, offer, sku = IMAGES[image]
        return compute.ImageReferenceArgs(
            publisher=publisher, offer=offer, sku=sku, version="latest"
        )

    @staticmethod
    def _os_profile(
        server: ServerSpec, vm_name: str, args: IaasWorkloadArgs
    ) -> compute.OSProfileArgs:
        if server.is_windows:
            return compute.OSProfileArgs(
                computer_name=make_name("azure-vm-windows", server.name),
                admin_username=args.admin_username,
                admin_password=as_secret(args.admin_password),
                windows_configuration=compute.WindowsConfigurationArgs(
                    enable_automatic_updates=True,
                    provision_vm_agent=True,
                    time_zone="GMT Standard Time",
                ),
            )
        ssh = None
        if args.ssh_public_key:
            ssh = compute.SshConfigurationArgs(
                public_keys=[
                    compute.SshPublicKeyArgs(
                        key_data=args.ssh_public_key,
                        path=f"/home/{args.admin_username}/.ssh/authorized_keys",
                    )
                ]
            )
        return compute.OSProfileArgs(
            computer_name=vm_name,
            admin_username=args.admin_username,
            admin_password=None if args.ssh_public_key else as_secret(args.admin_password),
            linux_configuration=compute.LinuxConfigurationArgs(
                disable_password_authentication=bool(args.ssh_public_key),
                provision_vm_agent=True,
                ssh=ssh,
            ),
        )

    def _backup(
        self,
        name: str,
        args: IaasWorkloadArgs,
        backup: BackupSpec,
        group: resources.ResourceGroup,
        rg_name: str,
        vms: dict[str, tuple[str, compute.VirtualMachine]],
        stateful: pulumi.ResourceOptions,
    ) -> None:
        """Vault, an Enhanced (V2) policy as Trusted Launch VMs require, one item per VM."""
        tags = args.tags.as_dict()
        location = str(args.location)
        vault_name = make_name("azure-recovery-vault", "rsv", args.force, args.application)
        vault = recoveryservices.Vault(
            f"{name}-rsv",
            vault_name=vault_name,
            resource_group_name=group.name,
            location=location,
            sku=recoveryservices.SkuArgs(name=recoveryservices.SkuName.RS0, tier="Standard"),
            identity=recoveryservices.IdentityDataArgs(
                type=recoveryservices.ResourceIdentityType.SYSTEM_ASSIGNED
            ),
            properties=recoveryservices.VaultPropertiesArgs(
                public_network_access=recoveryservices.PublicNetworkAccess.DISABLED,
                redundancy_settings=recoveryservices.VaultPropertiesRedundancySettingsArgs(
                    standard_tier_storage_redundancy=(
                        recoveryservices.StandardTierStorageRedundancy.GEO_REDUNDANT
                    ),
                    cross_region_restore=recoveryservices.CrossRegionRestore.ENABLED,
                ),
                security_settings=recoveryservices.SecuritySettingsArgs(
                    soft_delete_settings=recoveryservices.SoftDeleteSettingsArgs(
                        soft_delete_state=recoveryservices.SoftDeleteState.ALWAYS_ON,
                        soft_delete_retention_period_in_days=14,
                    ),
                    immutability_settings=recoveryservices.ImmutabilitySettingsArgs(
                        state=recoveryservices.ImmutabilityState.UNLOCKED
                    ),
                ),
            ),
            tags=tags,
            opts=stateful,
        )
        run_time = f"2024-01-01T{backup.daily_time}:00Z"
        policy = recoveryservices.ProtectionPolicy(
            f"{name}-backup-policy",
            policy_name="daily-enhanced",
            vault_name=vault.name,
            resource_group_name=group.name,
            location=location,
            properties=recoveryservices.AzureIaaSVMProtectionPolicyArgs(
                backup_management_type="AzureIaasVM",
                policy_type=recoveryservices.IAASVMPolicyType.V2,
                instant_rp_retention_range_in_days=backup.instant_restore_days,
                time_zone="GMT Standard Time",
                schedule_policy=recoveryservices.SimpleSchedulePolicyV2Args(
                    schedule_policy_type="SimpleSchedulePolicyV2",
                    schedule_run_frequency=recoveryservices.ScheduleRunType.DAILY,
                    daily_schedule=recoveryservices.DailyScheduleArgs(
                        schedule_run_times=[run_time]
                    ),
                ),
                retention_policy=recoveryservices.LongTermRetentionPolicyArgs(
                    retention_policy_type="LongTermRetentionPolicy",
                    daily_schedule=recoveryservices.DailyRetentionScheduleArgs(
                        retention_times=[run_time],
                        retention_duration=recoveryservices.RetentionDurationArgs(
                            count=backup.retention_days,
                            duration_type=recoveryservices.RetentionDurationType.DAYS,
                        ),
                    ),
                ),
            ),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        for server_name, (vm_name, vm) in sorted(vms.items()):
            container = f"iaasvmcontainerv2;{rg_name};{vm_name}"
            recoveryservices.ProtectedItem(
                f"{name}-backup-{server_name}",
                vault_name=vault.name,
                resource_group_name=group.name,
                fabric_name="Azure",
                container_name=f"iaasvmcontainer;{container}",
                protected_item_name=f"vm;{container}",
                location=location,
                properties=recoveryservices.AzureIaaSComputeVMProtectedItemArgs(
                    protected_item_type="Microsoft.Compute/virtualMachines",
                    source_resource_id=vm.id,
                    policy_id=policy.id,
                ),
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
