"""`forcelift verify --aws` against moto: bad resources are flagged, good ones pass."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.migration.live.aws_clients import AwsClients
from forcelift.migration.live.aws_verify import INSTANCE, AccountReader, LiveScan, verify
from forcelift.migration.policy.model import Resource

AMI = "ami-12c6146b"  # any id: the test server runs without its AMI catalogue
REQUIRED = {
    "application": "rms",
    "owner": "head-of-ict",
    "data-classification": "OFFICIAL-SENSITIVE",
    "cost-centre": "cc-101",
    "wave": "1",
}


def _tags(stack: str, **extra: str) -> list[dict[str, str]]:
    return [
        {"Key": k, "Value": v} for k, v in {**REQUIRED, "forcelift-stack": stack, **extra}.items()
    ]


def _spec(kind: str, stack: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": _tags(stack)}]


def _verify(aws: Any, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["verify", "--aws", "--endpoint-url", aws.endpoint, "--format", "json", *args]
    )


def _by_rule(result: Result) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        found.setdefault(finding["rule"], set()).add(finding["urn"])
    return found


def _bucket(s3: Any, name: str, stack: str, region: str = "eu-west-2") -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tags(stack)})


def test_bad_resources_are_flagged(aws: Any) -> None:
    ec2, s3 = aws.client("ec2"), aws.client("s3")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=_spec("vpc", "bad"))["Vpc"]
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.1.1.0/24")["Subnet"]
    sg = ec2.create_security_group(
        GroupName="ssh-open",
        Description="open ssh",
        VpcId=vpc["VpcId"],
        TagSpecifications=_spec("security-group", "bad"),
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
            {
                "IpProtocol": "icmp",
                "FromPort": -1,
                "ToPort": -1,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
        ],
    )
    instance = ec2.run_instances(
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"], "AssociatePublicIpAddress": True}
        ],
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "Encrypted": False}}
        ],
        TagSpecifications=_spec("instance", "bad"),
    )["Instances"][0]["InstanceId"]
    volume = ec2.create_volume(
        AvailabilityZone="eu-west-2a",
        Size=1,
        Encrypted=False,
        TagSpecifications=_spec("volume", "bad"),
    )["VolumeId"]
    _bucket(s3, f"fl-bad-{aws.id}", "bad")
    # Out of the UK: an instance and a bucket in Ireland, tagged for the same stack.
    away = aws.client("ec2", "eu-west-1").run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, TagSpecifications=_spec("instance", "bad")
    )["Instances"][0]["InstanceId"]
    _bucket(aws.client("s3", "eu-west-1"), f"fl-away-{aws.id}", "bad", "eu-west-1")
    db = aws.client("rds").create_db_instance(
        DBInstanceIdentifier="bad-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword="not-a-real-secret-1",
        AllocatedStorage=20,
        StorageEncrypted=False,
        PubliclyAccessible=True,
        Tags=_tags("bad"),
    )["DBInstance"]["DBInstanceArn"]
    key = aws.client("kms").create_key(
        Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in _tags("bad")]
    )["KeyMetadata"]["Arn"]
    aws.client("logs").create_log_group(logGroupName="/bad/app", tags={"forcelift-stack": "bad"})
    # Another stack's open group must not show up under --stack bad.
    ec2.create_security_group(
        GroupName="other", Description="x", TagSpecifications=_spec("security-group", "other")
    )

    result = _verify(aws, "--stack", "bad", "--scan-region", "eu-west-1")
    assert result.exit_code == 1, result.output
    found = _by_rule(result)
    arn = f"arn:aws:ec2:eu-west-2:{aws.id}"
    bucket = f"arn:aws:s3:::fl-bad-{aws.id}"
    assert found["FL-ENC-003"] == {f"{arn}:instance/{instance}"}
    assert found["FL-NET-002"] == {f"{arn}:instance/{instance}"}
    assert found["FL-ENC-004"] == {f"{arn}:volume/{volume}", f"{arn}:ebs-encryption-by-default"}
    assert found["FL-NET-004"] == {f"{arn}:security-group/{sg}"}
    assert found["FL-ENC-006"] == {bucket}
    assert found["FL-NET-007"] == {bucket, f"arn:aws:s3:::account/{aws.id}/public-access-block"}
    assert found["FL-TLS-002"] == {bucket}
    assert found["FL-LOG-002"] == {f"{arn}:vpc/{vpc['VpcId']}"}
    assert found["FL-LOG-003"] == {"stack:bad"}
    assert found["FL-ENC-005"] == found["FL-NET-006"] == {db}
    assert found["FL-ENC-007"] == {key}
    log_group = f"arn:aws:logs:eu-west-2:{aws.id}:log-group:/bad/app"
    assert found["FL-ENC-008"] == {log_group}
    assert log_group in found["FL-TAG-001"]  # tagged, but without the required tags
    assert found["FL-RES-002"] == {
        f"arn:aws:ec2:eu-west-1:{aws.id}:instance/{away}",
        f"arn:aws:s3:::fl-away-{aws.id}",
    }
    data = json.loads(result.stdout)
    assert data["regions_scanned"] == ["eu-west-2", "eu-west-1"]
    messages = [f["message"] for f in data["findings"] if f["rule"] == "FL-NET-004"]
    assert messages == ["ingress from anywhere to port(s) 22"]  # ICMP is not a port
    assert data["blocking"] == len(
        [f for f in data["findings"] if f["severity"] in ("high", "critical")]
    )

    table = CliRunner().invoke(
        cli,
        ["verify", "--aws", "--endpoint-url", aws.endpoint, "--stack", "bad", "--no-region-scan"],
    )
    assert table.exit_code == 1
    assert "CRITICAL FL-NET-004 ingress from anywhere to port(s) 22" in table.stdout
    assert "fix: Restrict ingress CIDRs" in table.stdout
    # Buckets are listed account-wide, so the Irish bucket is still found; the Irish instance
    # is not, as no other region was scanned.
    assert f"fl-away-{aws.id} is in eu-west-1, outside the UK" in table.stdout
    assert away not in table.stdout


def _good_estate(aws: Any, stack: str) -> dict[str, str]:
    ec2, s3, kms = aws.client("ec2"), aws.client("s3"), aws.client("kms")
    key = kms.create_key(Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in _tags(stack)])[
        "KeyMetadata"
    ]
    kms.enable_key_rotation(KeyId=key["KeyId"])
    bucket = f"fl-good-{aws.id}"
    _bucket(s3, bucket, stack)
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key["Arn"],
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        ),
    )
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16", TagSpecifications=_spec("vpc", stack))["Vpc"]
    ec2.create_flow_logs(
        ResourceIds=[vpc["VpcId"]],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{bucket}",
    )
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.2.1.0/24")["Subnet"]
    sg = ec2.create_security_group(
        GroupName="https-internal",
        Description="https from the force network",
        VpcId=vpc["VpcId"],
        TagSpecifications=_spec("security-group", stack),
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            }
        ],
    )
    ec2.run_instances(
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet["SubnetId"],
        SecurityGroupIds=[sg],
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "Encrypted": True}}
        ],
        TagSpecifications=_spec("instance", stack),
    )
    ec2.enable_ebs_encryption_by_default()
    aws.client("s3control").put_public_access_block(
        AccountId=aws.id,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    cloudtrail = aws.client("cloudtrail")
    cloudtrail.create_trail(
        Name="org-audit", S3BucketName=bucket, IsMultiRegionTrail=True, EnableLogFileValidation=True
    )
    cloudtrail.start_logging(Name="org-audit")
    aws.client("logs").create_log_group(
        logGroupName="/forcelift/good",
        kmsKeyId=key["Arn"],
        tags={"forcelift-stack": stack, **REQUIRED},
    )
    return {"bucket": bucket, "key": key["Arn"]}


def test_good_resources_pass(aws: Any, tmp_path: Any) -> None:
    _good_estate(aws, "good")
    graph = tmp_path / "graph.json"
    result = CliRunner().invoke(
        cli,
        [
            *("verify", "--aws", "--endpoint-url", aws.endpoint, "--stack", "good"),
            *("--no-region-scan", "--dump-graph", str(graph)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "No guardrail findings." in result.stdout
    types = {r["type"] for r in json.loads(graph.read_text())["resources"]}
    # Everything the guardrails need was read, not silently skipped.
    assert {
        "aws:ec2/instance:Instance",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/flowLog:FlowLog",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:cloudtrail/trail:Trail",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ebs/encryptionByDefault:EncryptionByDefault",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    } <= types

    # Whole account: the default VPC has no flow log, and a user's access key is long-lived.
    iam = aws.client("iam")
    iam.create_user(UserName="legacy-admin")
    key_id = iam.create_access_key(UserName="legacy-admin")["AccessKey"]["AccessKeyId"]
    everything = _verify(aws, "--no-region-scan")
    assert everything.exit_code == 1
    found = _by_rule(everything)
    assert found["FL-IAM-001"] == {f"arn:aws:iam::{aws.id}:user/legacy-admin#{key_id}"}
    assert any(":vpc/" in urn for urn in found["FL-LOG-002"])


def test_stopped_trail_and_non_uk_region_are_reported(aws: Any) -> None:
    s3 = aws.client("s3", "eu-west-1")
    s3.create_bucket(
        Bucket=f"fl-trail-{aws.id}", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    aws.client("cloudtrail", "eu-west-1").create_trail(
        Name="quiet",
        S3BucketName=f"fl-trail-{aws.id}",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    result = _verify(aws, "--region", "eu-west-1", "--stack", "none", "--no-region-scan")
    assert result.exit_code == 1
    messages = {(f["rule"], f["message"]) for f in json.loads(result.stdout)["findings"]}
    assert ("FL-LOG-003", "trail is not logging") in messages
    assert ("FL-RES-002", "stack region 'eu-west-1' is not eu-west-2") in messages


def test_backup_selection_covers_critical_instance() -> None:
    """moto does not implement ListBackupSelections, so the reader is tested with a Stubber."""
    import boto3
    from botocore.stub import Stubber

    clients = AwsClients(region="eu-west-2")
    backup = boto3.client(
        "backup", region_name="eu-west-2", aws_access_key_id="x", aws_secret_access_key="x"
    )
    clients._cache[("backup", "eu-west-2")] = backup
    with Stubber(backup) as stub:
        stub.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanId": "plan-1"}]})
        stub.add_response(
            "list_backup_selections",
            {"BackupSelectionsList": [{"SelectionId": "sel-1"}]},
            {"BackupPlanId": "plan-1"},
        )
        stub.add_response(
            "get_backup_selection",
            {
                "BackupSelection": {
                    "SelectionName": "critical",
                    "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                    "ListOfTags": [
                        {
                            "ConditionType": "STRINGEQUALS",
                            "ConditionKey": "criticality",
                            "ConditionValue": "critical",
                        }
                    ],
                }
            },
            {"BackupPlanId": "plan-1", "SelectionId": "sel-1"},
        )
        selections = AccountReader(clients, "eu-west-2", "123456789012", None).backup_selections()
    assert [s.inputs["selectionTags"] for s in selections] == [
        [{"type": "STRINGEQUALS", "key": "criticality", "value": "critical"}]
    ]
    critical = Resource(
        "arn:aws:ec2:eu-west-2:123456789012:instance/i-1",
        INSTANCE,
        "i-1",
        {
            "region": "eu-west-2",
            "rootBlockDevice": {"encrypted": True},
            "tags": {**REQUIRED, "criticality": "critical"},
        },
    )
    scan = LiveScan("123456789012", "eu-west-2", None, (critical,), (), ("eu-west-2",))
    assert "FL-BAK-001" in {f.rule_id for f in verify(scan)}
    covered = LiveScan(
        "123456789012", "eu-west-2", None, (critical, *selections), (), ("eu-west-2",)
    )
    assert "FL-BAK-001" not in {f.rule_id for f in verify(covered)}


def test_verify_needs_a_cloud_flag() -> None:
    result = CliRunner().invoke(cli, ["verify"])
    assert result.exit_code == 2
    assert "pass --aws" in result.output


def test_the_state_bucket_from_backend_init_passes_the_same_guardrails(aws: Any) -> None:
    from forcelift.migration.live.aws_backend import init_state_backend

    state = init_state_backend(f"fl-state-{aws.id}", endpoint_url=aws.endpoint)
    result = _verify(aws, "--no-region-scan")
    found = _by_rule(result)
    bucket = f"arn:aws:s3:::fl-state-{aws.id}"
    for rule in ("FL-ENC-006", "FL-NET-007", "FL-TLS-002"):
        assert bucket not in found.get(rule, set()), rule
    assert state.kms_key_arn not in found.get("FL-ENC-007", set())
    assert bucket in found["FL-TAG-001"]  # the one thing left to the operator: tags
