"""Args of one Azure workload: IaasWorkload (VMs and disks), PaasWorkload (App Service, SQL
Database or Managed Instance, PostgreSQL, storage) and SaasWorkload, with what was left out."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forcelift.components.azure.iaas_workload import (
    BackupSpec,
    DiskSku,
    DiskSpec,
    IaasWorkloadArgs,
    OsImage,
    ServerSpec,
)
from forcelift.components.azure.paas_workload import (
    AppServiceSpec,
    PaasWorkloadArgs,
    PostgresSpec,
    PostgresTier,
    SqlDatabaseSpec,
    SqlManagedInstanceSpec,
    StorageRedundancy,
    StorageSpec,
)
from forcelift.components.azure.saas_workload import SaasWorkloadArgs
from forcelift.components.azure.tags import Tags
from forcelift.migration.plan.planfile import CloudWorkload, VmPlan
from forcelift.stacks.azure_common import azure_tags, region_of, zone_redundant
from forcelift.stacks.azure_subnets import is_managed_instance
from forcelift.stacks.context import StackContext, component_name
from forcelift.stacks.specs import PENDING, args_errors, workload_record, workload_tag_values

ADMIN_LOGIN = "fladmin"
POSTGRES_STORAGE_GIB = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
_DISK_SKUS = {
    "premiumssd": DiskSku.PREMIUM_LRS,
    "standardssd": DiskSku.STANDARD_SSD_LRS,
    "standardhdd": DiskSku.STANDARD_HDD_LRS,
    "premiumv2": DiskSku.PREMIUM_V2_LRS,
    "premiumssdv2": DiskSku.PREMIUM_V2_LRS,
}
_IMAGES = {"windows": OsImage.WINDOWS_SERVER_2022, "linux": OsImage.UBUNTU_22_04}
# App Service runtime by the words of the plan's target (Linux plans; see docs/preview.md).
_RUNTIMES = (
    (("java", "tomcat"), "TOMCAT|10.1-java17"),
    (("node",), "NODE|20-lts"),
    (("php",), "PHP|8.2"),
    (("python", "django"), "PYTHON|3.12"),
)
_DEFAULT_RUNTIME = "DOTNETCORE|8.0"
_SQL_MI_TIER = re.compile(r"^(GP|BC)_(Gen5|G8IM|G8IH)_(\d+)$")


@dataclass(frozen=True)
class WorkloadSpec:
    application: str
    name: str
    iaas: IaasWorkloadArgs | None = None
    paas: PaasWorkloadArgs | None = None
    saas: SaasWorkloadArgs | None = None
    record: Mapping[str, Any] = field(default_factory=dict)


def _disk(vm: VmPlan, index: int) -> DiskSpec:
    disk = vm.disks[index]
    sku = _DISK_SKUS[disk.type.replace("_", "").replace(" ", "").lower()]
    if index == 0 and sku is DiskSku.PREMIUM_V2_LRS:
        sku = DiskSku.PREMIUM_LRS  # Premium SSD v2 cannot be an OS disk
    return DiskSpec(size_gib=disk.size_gib, sku=sku)


def _runtime(target: str) -> str:
    words = target.lower()
    return next(
        (runtime for keys, runtime in _RUNTIMES if any(k in words for k in keys)),
        _DEFAULT_RUNTIME,
    )


def _paas_args(
    ctx: StackContext, index: int, workload: CloudWorkload, tags: Tags, notes: list[str]
) -> PaasWorkloadArgs | None:
    base = ctx.path("workloads", index)
    parts: dict[str, Any] = {}
    for k, part in enumerate(workload.paas):
        path = f"{base}.paas[{k}]"
        with args_errors(ctx, path):
            if part.kind == "web_app" and "app_service" not in parts:
                parts["app_service"] = AppServiceSpec(
                    integration_subnet_id=PENDING,
                    sku=part.tier,
                    linux_fx_version=_runtime(workload.target),
                )
                if part.os == "windows":
                    notes.append(
                        f"web app on a Linux App Service plan ({_runtime(workload.target)}): "
                        "the component has no Windows plans; check the application runs there"
                    )
                if part.instances > 1:
                    notes.append(
                        f"App Service plan {part.tier} created with its default instance count; "
                        f"scale out to {part.instances} instances"
                    )
            elif is_managed_instance(part) and "sql_managed_instance" not in parts:
                match = _SQL_MI_TIER.match(part.tier)
                if not match:
                    raise ctx.error(f"{path}.tier", f"{part.tier!r} is not a SQL MI tier")
                parts["sql_managed_instance"] = SqlManagedInstanceSpec(
                    subnet_id=PENDING,
                    admin_login=ADMIN_LOGIN,
                    admin_password=ctx.secret("adminPassword"),
                    sku=f"{match.group(1)}_{match.group(2)}",
                    v_cores=int(match.group(3)),
                    storage_gib=max(32, math.ceil(part.storage_gib / 32) * 32),
                    license_included=not ctx.plan.options.hybrid_benefit_sql,
                )
            elif part.kind == "sql_server" and "sql_database" not in parts:
                parts["sql_database"] = SqlDatabaseSpec(
                    admin_login=ADMIN_LOGIN,
                    admin_password=ctx.secret("adminPassword"),
                    sku=part.tier,
                    max_size_gib=max(32, math.ceil(part.storage_gib)),
                    zone_redundant=workload.critical and zone_redundant(ctx),
                )
            elif part.kind == "postgresql" and "postgres" not in parts:
                storage = next((s for s in POSTGRES_STORAGE_GIB if s >= part.storage_gib), None)
                if storage is None:
                    raise ctx.error(f"{path}.storage_gib", "too large for a flexible server")
                parts["postgres"] = PostgresSpec(
                    delegated_subnet_id=PENDING,
                    private_dns_zone_id=PENDING,
                    admin_login=ADMIN_LOGIN,
                    admin_password=ctx.secret("adminPassword"),
                    sku=part.tier,
                    tier=_postgres_tier(ctx, part.tier, f"{path}.tier"),
                    storage_gib=storage,
                    high_availability=workload.critical and zone_redundant(ctx),
                )
            elif part.kind in ("object_storage", "file_storage") and "storage" not in parts:
                parts["storage"] = StorageSpec(
                    redundancy=StorageRedundancy.STANDARD_ZRS
                    if zone_redundant(ctx)
                    else StorageRedundancy.STANDARD_GRS
                )
            else:
                notes.append(
                    f"{part.kind} ({part.service}) not built: no Azure component for it, or a "
                    "second one of its kind in one workload"
                )
    if not parts:
        return None
    needs_endpoint = {"app_service", "sql_database", "storage"} & set(parts)
    application = f"{workload.application} paas" if workload.vms else workload.application
    with args_errors(ctx, f"{base}.paas"):
        return PaasWorkloadArgs(
            force=ctx.slug,
            application=application,
            tags=tags,
            location=region_of(ctx),
            private_endpoint_subnet_id=PENDING if needs_endpoint else None,
            **parts,
        )


def _postgres_tier(ctx: StackContext, sku: str, path: str) -> PostgresTier:
    family = sku.removeprefix("Standard_")[:1]
    tiers = {
        "B": PostgresTier.BURSTABLE,
        "D": PostgresTier.GENERAL_PURPOSE,
        "E": PostgresTier.MEMORY_OPTIMIZED,
    }
    if not sku.startswith("Standard_") or family not in tiers:
        raise ctx.error(path, f"{sku!r} is not a PostgreSQL flexible server SKU")
    return tiers[family]


def workload_spec(ctx: StackContext, index: int, workload: CloudWorkload) -> WorkloadSpec:
    base = ctx.path("workloads", index)
    tags = azure_tags(workload_tag_values(workload))
    notes: list[str] = []
    iaas = None
    if workload.vms:
        with args_errors(ctx, f"{base}.vms"):
            servers = tuple(
                ServerSpec(
                    name=vm.server,
                    image=_IMAGES[vm.os],
                    size=vm.size,
                    os_disk=_disk(vm, 0),
                    data_disks=tuple(_disk(vm, d) for d in range(1, len(vm.disks))),
                )
                for vm in workload.vms
            )
            iaas = IaasWorkloadArgs(
                force=ctx.slug,
                application=workload.application,
                tags=tags,
                subnet_id=PENDING,
                servers=servers,
                admin_password=ctx.secret("adminPassword"),
                location=region_of(ctx),
                backup=BackupSpec() if workload.backup else None,
            )
    paas = _paas_args(ctx, index, workload, tags, notes)
    saas = None
    if workload.saas is not None:
        if workload.saas.fqdns:
            with args_errors(ctx, f"{base}.saas"):
                saas = SaasWorkloadArgs(
                    application=workload.application,
                    service=workload.saas.service,
                    fqdns=tuple(workload.saas.fqdns),
                    data_classification=tags.data_classification,
                    tags=tags,
                )
        else:
            notes.append(
                "SaaS egress FQDNs unknown (ask the supplier): no firewall rule, no record"
            )
    if not (iaas or paas or saas) and workload.decision != "SAAS":
        notes.append("nothing to build: the plan gives this workload no VMs or services")
    name = component_name(workload.application)
    record = workload_record(workload, {"iaas": iaas, "paas": paas, "saas": saas}, notes)
    return WorkloadSpec(workload.application, name, iaas, paas, saas, record)
