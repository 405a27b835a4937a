"""Args of one AWS workload: IaasWorkload (EC2 servers), PaasWorkloads (one per database; the
first also takes the web app and file store) and SaasWorkload, with what was left out."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forcelift.components.aws.iaas_workload import BackupSpec, IaasWorkloadArgs, ServerSpec
from forcelift.components.aws.paas_workload import (
    ENGINES,
    DatabaseSpec,
    DbEngine,
    FileStoreSpec,
    PaasWorkloadArgs,
    WebAppSpec,
    WebPlatform,
)
from forcelift.components.aws.saas_workload import SaasWorkloadArgs
from forcelift.components.aws.tags import Tags
from forcelift.migration.plan.planfile import CloudWorkload, PaasPlan
from forcelift.stacks.aws_common import aws_tags
from forcelift.stacks.context import StackContext, component_name, server_name
from forcelift.stacks.specs import PENDING, args_errors, workload_record, workload_tag_values

AMIS = {
    "windows": "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base",
    "linux-x86_64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "linux-arm64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
}
_GRAVITON = re.compile(r"^[a-z]+\d+[a-z]*g[a-z]*\.")  # m6g, r7gd, c7gn, t4g ...
_ENGINES = {
    "sql_server": DbEngine.SQLSERVER_SE,
    "postgresql": DbEngine.POSTGRES,
    "mysql": DbEngine.MYSQL,
    "oracle": DbEngine.ORACLE_SE2,
}
# Elastic Beanstalk platforms by the words of the plan's target (check the current names with
# `aws elasticbeanstalk list-available-solution-stacks`; see docs/preview.md).
_STACKS = (
    (("java", "tomcat"), "64bit Amazon Linux 2023 v5.6.1 running Tomcat 10 Corretto 17"),
    (("node",), "64bit Amazon Linux 2023 v6.4.1 running Node.js 20"),
    (("php",), "64bit Amazon Linux 2023 v4.4.1 running PHP 8.2"),
    (("python", "django"), "64bit Amazon Linux 2023 v4.3.1 running Python 3.11"),
)
_WINDOWS_STACK = "64bit Windows Server 2022 v2.16.1 running IIS 10.0"
_DOTNET_STACK = "64bit Amazon Linux 2023 v3.3.1 running .NET 8"
WEB_PORT = 80  # Beanstalk's proxy (nginx / IIS) listens on 80 behind the internal ALB


@dataclass(frozen=True)
class WorkloadSpec:
    application: str
    name: str
    iaas: IaasWorkloadArgs | None = None
    paas: tuple[PaasWorkloadArgs, ...] = ()
    saas: SaasWorkloadArgs | None = None
    record: Mapping[str, Any] = field(default_factory=dict)


def ami_for(os: str, instance_type: str) -> str:
    if os == "windows":
        return AMIS["windows"]
    return AMIS["linux-arm64" if _GRAVITON.match(instance_type) else "linux-x86_64"]


def _solution_stack(target: str, os: str) -> str:
    if os == "windows":
        return _WINDOWS_STACK
    words = target.lower()
    return next((s for keys, s in _STACKS if any(k in words for k in keys)), _DOTNET_STACK)


def _paas_args(
    ctx: StackContext,
    index: int,
    workload: CloudWorkload,
    tags: Tags,
    zones: tuple[str, ...],
    notes: list[str],
) -> tuple[PaasWorkloadArgs, ...]:
    """One PaasWorkload per database (the first also takes the web app and file store)."""
    base = ctx.path("workloads", index)
    databases: list[tuple[int, PaasPlan]] = []
    web: tuple[int, PaasPlan] | None = None
    files: tuple[int, PaasPlan] | None = None
    for k, part in enumerate(workload.paas):
        if part.kind in _ENGINES:
            databases.append((k, part))
        elif part.kind == "web_app" and web is None:
            web = (k, part)
        elif part.kind in ("object_storage", "file_storage") and files is None:
            files = (k, part)
            if part.kind == "file_storage":
                notes.append("file share built as an S3 file store (no EFS/FSx component)")
        else:
            notes.append(f"{part.kind} ({part.service}): a second one in one workload, not built")
    db_ports = {ENGINES[_ENGINES[p.kind]].port for _, p in databases}
    web_clients = tuple(sorted({f.source_cidr for f in workload.inbound if f.port not in db_ports}))
    out: list[PaasWorkloadArgs] = []
    web_spec = None
    if web is not None:
        k, part = web
        with args_errors(ctx, f"{base}.paas[{k}]"):
            web_spec = WebAppSpec(
                name="web",
                certificate_arn=ctx.value("certificateArn"),
                platform=WebPlatform.ELASTIC_BEANSTALK,
                solution_stack_name=_solution_stack(workload.target, part.os),
                container_port=WEB_PORT,
                desired_count=max(1, part.instances),
                client_cidrs=web_clients,
                egress_cidrs=(ctx.cloud.landing_zone.hub.cidr,),
            )
        notes.append(
            f"Elastic Beanstalk instances: the component sets no instance type; the plan says "
            f"{part.tier}"
        )
    file_spec = FileStoreSpec(name="files") if files is not None else None
    groups: list[tuple[DatabaseSpec | None, str]] = []
    for k, part in databases:
        engine = _ENGINES[part.kind]
        port = ENGINES[engine].port
        sources = {f.source_cidr for f in workload.inbound if f.port == port}
        if web is None and not workload.vms:  # the database is the whole service
            sources |= {f.source_cidr for f in workload.inbound}
        with args_errors(ctx, f"{base}.paas[{k}]"):
            groups.append(
                (
                    DatabaseSpec(
                        name=engine.value.split("-")[0],
                        engine=engine,
                        instance_class=part.tier,
                        allocated_storage_gib=max(20, math.ceil(part.storage_gib)),
                        critical=workload.critical,
                        client_cidrs=tuple(sorted(sources)),
                    ),
                    f"{base}.paas[{k}]",
                )
            )
    if not groups and (web_spec or file_spec):
        groups.append((None, f"{base}.paas"))
    for n, (database, path) in enumerate(groups):
        with args_errors(ctx, path):
            out.append(
                PaasWorkloadArgs(
                    tags=tags,
                    vpc_id=PENDING,
                    subnet_ids=tuple(PENDING for _ in zones),
                    database=database,
                    web_app=web_spec if n == 0 else None,
                    files=file_spec if n == 0 else None,
                    log_retention_days=ctx.cloud.landing_zone.log_retention_days,
                )
            )
    return tuple(out)


def workload_spec(
    ctx: StackContext, index: int, workload: CloudWorkload, zones: tuple[str, ...]
) -> WorkloadSpec:
    base = ctx.path("workloads", index)
    tags = aws_tags(workload_tag_values(workload))
    name = component_name(workload.application)
    notes: list[str] = []
    iaas = None
    if workload.vms:
        criticality = workload.tags.get("criticality", "medium")
        with args_errors(ctx, f"{base}.vms"):
            servers = tuple(
                ServerSpec(
                    name=server_name("aws", vm.server, vm.os),
                    instance_type=vm.size,
                    ami=ami_for(vm.os, vm.size),
                    availability_zone=zones[n % len(zones)],
                    root_volume_gib=vm.disks[0].size_gib,
                    data_volume_gib=tuple(d.size_gib for d in vm.disks[1:]),
                    criticality=criticality,
                )
                for n, vm in enumerate(workload.vms)
            )
            iaas = IaasWorkloadArgs(
                tags=tags,
                servers=servers,
                subnet_ids={zone: PENDING for zone in zones},
                security_group_ids=(PENDING,),
                backup=BackupSpec() if workload.backup else None,
            )
    paas = _paas_args(ctx, index, workload, tags, zones, notes)
    saas = None
    if workload.saas is not None:
        with args_errors(ctx, f"{base}.saas"):
            saas = SaasWorkloadArgs(
                tags=tags,
                service_name=workload.saas.service,
                fqdns=tuple(workload.saas.fqdns),
                data_classification=tags.data_classification,
            )
        if not workload.saas.fqdns:
            notes.append("SaaS egress FQDNs unknown (ask the supplier)")
    if not (iaas or paas or saas):
        notes.append("nothing to build: the plan gives this workload no VMs or services")
    record = workload_record(workload, {"iaas": iaas, "paas": paas, "saas": saas}, notes)
    return WorkloadSpec(workload.application, name, iaas, paas, saas, record)
