"""PaaS: private encrypted RDS forcing TLS, Fargate behind an internal TLS 1.2+ ALB (or
Elastic Beanstalk), and a locked-down file bucket."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from forcelift.components.aws.paas_workload import (
    ENGINES,
    DatabaseSpec,
    DbEngine,
    FileStoreSpec,
    PaasWorkload,
    PaasWorkloadArgs,
    WebAppSpec,
    WebPlatform,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:PaasWorkload"
CERT = "arn:aws:acm:eu-west-2:123456789012:certificate/case"
SUBNETS = ("subnet-a", "subnet-b")


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    args = PaasWorkloadArgs(
        tags=tags,
        vpc_id="vpc-spoke",
        subnet_ids=SUBNETS,
        database=DatabaseSpec(
            "casedb",
            DbEngine.POSTGRES,
            "db.m6g.large",
            100,
            critical=True,
            client_cidrs=("10.200.0.0/24",),
        ),
        web_app=WebAppSpec(
            "case",
            CERT,
            image="123456789012.dkr.ecr.eu-west-2.amazonaws.com/case:1.4",
            client_cidrs=("10.0.0.0/8",),
            egress_cidrs=("10.0.0.0/22",),
        ),
        files=FileStoreSpec("docs", expire_after_days=2555),
    )
    return run_aws(lambda: PaasWorkload("case", args))


@pytest.fixture(scope="module")
def beanstalk(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    args = PaasWorkloadArgs(
        tags=tags,
        vpc_id="vpc-spoke",
        subnet_ids=SUBNETS,
        database=DatabaseSpec("dmsdb", DbEngine.MYSQL, "db.t4g.medium", 20),
        web_app=WebAppSpec(
            "dms",
            CERT,
            platform=WebPlatform.ELASTIC_BEANSTALK,
            solution_stack_name="64bit Amazon Linux 2023 v6.1.0 running Node.js 20",
        ),
    )
    return run_aws(lambda: PaasWorkload("dms", args))


def test_secure_properties(
    run: MockRun, beanstalk: MockRun, assert_secure: Callable[[MockRun, str], None]
) -> None:
    assert_secure(run, COMPONENT)
    assert_secure(beanstalk, COMPONENT)


def test_database(run: MockRun) -> None:
    (db,) = run.of_type("aws:rds/instance:Instance")
    inputs = db.inputs
    assert (inputs["engine"], inputs["engineVersion"]) == ("postgres", "16")
    assert inputs["multiAz"] is True and inputs["storageEncrypted"] is True
    assert inputs["publiclyAccessible"] is False and inputs["deletionProtection"] is True
    assert inputs["backupRetentionPeriod"] >= 7 and inputs["manageMasterUserPassword"] is True
    assert "password" not in inputs
    (params,) = run.of_type("aws:rds/parameterGroup:ParameterGroup")
    assert params.inputs["family"] == "postgres16"
    assert params.inputs["parameters"] == [
        {"name": "rds.force_ssl", "value": "1", "applyMethod": "pending-reboot"}
    ]
    (subnets,) = run.of_type("aws:rds/subnetGroup:SubnetGroup")
    assert subnets.inputs["subnetIds"] == list(SUBNETS)
    assert params.urn in db.dependencies and subnets.urn in db.dependencies


def test_flows_are_security_group_references(run: MockRun) -> None:
    groups = {r.inputs["name"]: r for r in run.of_type("aws:ec2/securityGroup:SecurityGroup")}
    assert set(groups) == {"case-alb", "case-app", "case-db"}
    ingress = {
        r.name: r.inputs
        for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    }
    assert ingress["case-alb-from-client-0"]["cidrIpv4"] == "10.0.0.0/8"
    assert ingress["case-app-from-alb"]["referencedSecurityGroupId"].startswith("case-sg-alb")
    assert ingress["case-db-from-app"]["fromPort"] == 5432
    assert ingress["case-db-from-client-0"]["cidrIpv4"] == "10.200.0.0/24"


def test_fargate_behind_internal_tls_alb(run: MockRun) -> None:
    (service,) = run.of_type("aws:ecs/service:Service")
    assert service.inputs["launchType"] == "FARGATE"
    assert service.inputs["networkConfiguration"]["subnets"] == list(SUBNETS)
    (listener,) = run.of_type("aws:lb/listener:Listener")
    assert listener.inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert listener.inputs["certificateArn"] == CERT and listener.inputs["port"] == 443
    assert listener.urn in service.dependencies
    (alb,) = run.of_type("aws:lb/loadBalancer:LoadBalancer")
    assert alb.inputs["internal"] is True and len(alb.inputs["name"]) <= 32
    (task,) = run.of_type("aws:ecs/taskDefinition:TaskDefinition")
    (container,) = json.loads(task.inputs["containerDefinitions"])
    assert container["logConfiguration"]["options"]["awslogs-region"] == "eu-west-2"
    assert task.inputs["requiresCompatibilities"] == ["FARGATE"]


def test_file_bucket(run: MockRun) -> None:
    (bucket,) = run.of_type("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"].startswith("case-docs-") and bucket.protect
    (lifecycle,) = run.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert lifecycle.inputs["rules"][0]["expiration"]["days"] == 2555


def test_beanstalk_alternative(beanstalk: MockRun) -> None:
    assert beanstalk.of_type("aws:ecs/service:Service") == []
    assert beanstalk.of_type("aws:s3/bucket:Bucket") == []
    (env,) = beanstalk.of_type("aws:elasticbeanstalk/environment:Environment")
    settings = {(s["namespace"], s["name"]): s["value"] for s in env.inputs["settings"]}
    assert settings[("aws:ec2:vpc", "ELBScheme")] == "internal"
    assert settings[("aws:ec2:vpc", "AssociatePublicIpAddress")] == "false"
    assert settings[("aws:autoscaling:launchconfiguration", "DisableIMDSv1")] == "true"
    assert settings[("aws:elbv2:listener:443", "SSLPolicy")].startswith(
        "ELBSecurityPolicy-TLS13-1-2"
    )
    assert settings[("aws:elbv2:listener:default", "ListenerEnabled")] == "false"
    (db,) = beanstalk.of_type("aws:rds/instance:Instance")
    assert db.inputs["multiAz"] is False  # not critical
    (params,) = beanstalk.of_type("aws:rds/parameterGroup:ParameterGroup")
    assert params.inputs["family"] == "mysql8.0"
    assert params.inputs["parameters"][0]["name"] == "require_secure_transport"


def test_engine_profiles() -> None:
    assert ENGINES[DbEngine.SQLSERVER_SE].family(DbEngine.SQLSERVER_SE, "16.00") == (
        "sqlserver-se-16.0"
    )
    assert ENGINES[DbEngine.SQLSERVER_SE].ssl_parameter == ("rds.force_ssl", "1")
    assert ENGINES[DbEngine.ORACLE_SE2].ssl_parameter is None  # TLS via option group
    with pytest.raises(ValueError, match="7 days"):
        DatabaseSpec("x", DbEngine.POSTGRES, "db.t4g.micro", 20, backup_retention_days=1)
    with pytest.raises(ValueError, match="anywhere"):
        WebAppSpec("x", CERT, image="i", client_cidrs=("0.0.0.0/0",))
    with pytest.raises(ValueError, match="image"):
        WebAppSpec("x", CERT)
