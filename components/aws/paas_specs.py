"""Typed args of the AWS re-platformed workload: database engines and their profiles, the web
app, the file store and the workload's own args (checked on construction)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pulumi

from forcelift.components.aws.network_specs import check_private_ingress
from forcelift.components.aws.tags import Tags


class DbEngine(StrEnum):
    SQLSERVER_SE = "sqlserver-se"
    POSTGRES = "postgres"
    MYSQL = "mysql"
    ORACLE_SE2 = "oracle-se2"


@dataclass(frozen=True)
class EngineProfile:
    default_version: str
    port: int
    license_model: str | None
    ssl_parameter: tuple[str, str] | None  # parameter name and value that force TLS
    log_exports: tuple[str, ...]
    iam_auth: bool

    def family(self, engine: DbEngine, version: str) -> str:
        parts = version.split(".")
        if engine is DbEngine.POSTGRES:
            return f"postgres{parts[0]}"
        if engine is DbEngine.MYSQL:
            return f"mysql{'.'.join(parts[:2])}"
        if engine is DbEngine.SQLSERVER_SE:
            return f"sqlserver-se-{int(parts[0])}.0"
        return f"oracle-se2-{parts[0]}"


ENGINES: dict[DbEngine, EngineProfile] = {
    DbEngine.POSTGRES: EngineProfile(
        "16", 5432, None, ("rds.force_ssl", "1"), ("postgresql", "upgrade"), True
    ),
    DbEngine.MYSQL: EngineProfile(
        "8.0", 3306, None, ("require_secure_transport", "1"), ("error", "slowquery"), True
    ),
    DbEngine.SQLSERVER_SE: EngineProfile(
        "16.00", 1433, "license-included", ("rds.force_ssl", "1"), ("agent", "error"), False
    ),
    # Oracle forces TLS through the SSL option of an option group, not a parameter.
    DbEngine.ORACLE_SE2: EngineProfile(
        "19", 1521, "license-included", None, ("alert", "audit", "listener"), False
    ),
}


@dataclass(frozen=True)
class DatabaseSpec:
    name: str
    engine: DbEngine
    instance_class: str
    allocated_storage_gib: int
    critical: bool = False
    engine_version: str | None = None  # major version; None takes the engine's default
    backup_retention_days: int = 14
    max_allocated_storage_gib: int | None = None
    client_cidrs: tuple[str, ...] = ()  # besides the web app (e.g. on-premise reporting)

    def __post_init__(self) -> None:
        if self.backup_retention_days < 7:
            raise ValueError(f"database {self.name!r}: keep backups for at least 7 days")
        if not 20 <= self.allocated_storage_gib <= 65536:
            raise ValueError(f"database {self.name!r}: storage must be 20-65536 GiB")
        for cidr in self.client_cidrs:
            check_private_ingress(cidr, f"database {self.name!r} client")

    @property
    def profile(self) -> EngineProfile:
        return ENGINES[self.engine]

    @property
    def version(self) -> str:
        return self.engine_version or self.profile.default_version


class WebPlatform(StrEnum):
    ECS_FARGATE = "ecs-fargate"
    ELASTIC_BEANSTALK = "elastic-beanstalk"


@dataclass(frozen=True)
class WebAppSpec:
    name: str
    certificate_arn: str  # ACM certificate for the internal HTTPS listener
    platform: WebPlatform = WebPlatform.ECS_FARGATE
    image: str = ""  # container image (ECS Fargate)
    solution_stack_name: str = ""  # Beanstalk platform (Elastic Beanstalk)
    container_port: int = 8080
    cpu: int = 512
    memory_mib: int = 1024
    desired_count: int = 2
    client_cidrs: tuple[str, ...] = ()  # who may reach the ALB on 443
    egress_cidrs: tuple[str, ...] = ()  # HTTPS out (e.g. the hub's endpoint range)
    health_check_path: str = "/"

    def __post_init__(self) -> None:
        if self.platform is WebPlatform.ECS_FARGATE and not self.image:
            raise ValueError(f"web app {self.name!r}: ECS Fargate needs an image")
        if self.platform is WebPlatform.ELASTIC_BEANSTALK and not self.solution_stack_name:
            raise ValueError(f"web app {self.name!r}: Elastic Beanstalk needs a solution stack")
        if not self.certificate_arn.startswith("arn:"):
            raise ValueError(f"web app {self.name!r}: certificate_arn must be an ACM ARN")
        for cidr in self.client_cidrs:
            check_private_ingress(cidr, f"web app {self.name!r} client")


@dataclass(frozen=True)
class FileStoreSpec:
    name: str
    expire_after_days: int | None = None


@dataclass(frozen=True)
class PaasWorkloadArgs:
    tags: Tags
    vpc_id: pulumi.Input[str]
    subnet_ids: tuple[pulumi.Input[str], ...]  # private subnets of the spoke, one per zone
    database: DatabaseSpec | None = None
    web_app: WebAppSpec | None = None
    files: FileStoreSpec | None = None
    kms_key_arn: pulumi.Input[str] | None = None  # None: the workload gets its own key
    log_retention_days: int = 365
    protect: bool = True

    def __post_init__(self) -> None:
        if self.database is not None and len(self.subnet_ids) < 2:
            raise ValueError("a DB subnet group needs subnets in at least two zones")
