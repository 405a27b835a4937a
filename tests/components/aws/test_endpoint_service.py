"""SharedEndpointService: internal NLB + VPC endpoint service for exactly the named accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from forcelift.components.aws.endpoint_service import (
    SharedEndpointService,
    SharedEndpointServiceArgs,
    TargetKind,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:SharedEndpointService"
CERT = "arn:aws:acm:eu-west-2:123456789012:certificate/share"
TOPIC = "arn:aws:sns:eu-west-2:123456789012:share-connections"


def _args(tags: Tags, **more: Any) -> SharedEndpointServiceArgs:
    base: dict[str, Any] = {
        "tags": tags,
        "vpc_id": "vpc-1",
        "subnet_ids": ("subnet-a", "subnet-b"),
        "allowed_accounts": ("222222222222", "111111111111"),
        "port": 8443,
        "targets": ("i-1", "i-2"),
        "certificate_arn": CERT,
        "access_logs_bucket": "exampleshire-log-archive",
        "notification_topic_arn": TOPIC,
        "target_security_group_id": "sg-servers",
    }
    return SharedEndpointServiceArgs(**{**base, **more})


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    def program() -> None:
        SharedEndpointService("rocu-intel", _args(tags))
        SharedEndpointService(
            "custody",
            _args(
                tags,
                port=443,
                target_type=TargetKind.ALB,
                targets=("arn:aws:elasticloadbalancing:eu-west-2:1:loadbalancer/app/c/1",),
                certificate_arn=None,
                access_logs_bucket=None,
                notification_topic_arn=None,
                allowed_accounts=("333333333333",),
                target_security_group_id=None,
            ),
        )
        SharedEndpointService(
            "hmpps",
            _args(
                tags, access_logs_bucket=None, notification_topic_arn=None, log_retention_days=400
            ),
        )

    return run_aws(program)


def named(run: MockRun, name: str) -> Any:
    return next(r for r in run.resources if r.name == name)


def test_tree_tags_and_no_duplicates(run: MockRun, helpers: Any) -> None:
    assert run.duplicate_urns == []
    components = [r for r in run.resources if not r.custom]
    assert {r.type for r in components if not r.parent} == {COMPONENT}
    assert {r.type for r in components} == {COMPONENT, "forcelift:aws:SecureBucket"}
    for r in run.resources:
        if r.custom:
            assert r.parent in {c.urn for c in components}, r.urn
            if "tags" in r.inputs:
                assert r.inputs["tags"]["data-classification"] == "OFFICIAL-SENSITIVE"


def test_allowed_principals_are_exactly_the_accounts_and_acceptance_is_required(
    run: MockRun,
) -> None:
    services = {
        r.name: r.inputs for r in run.of_type("aws:ec2/vpcEndpointService:VpcEndpointService")
    }
    assert services["rocu-intel-service"]["acceptanceRequired"] is True
    assert services["rocu-intel-service"]["allowedPrincipals"] == [
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::222222222222:root",
    ]
    assert services["custody-service"]["allowedPrincipals"] == ["arn:aws:iam::333333333333:root"]
    assert services["custody-service"]["acceptanceRequired"] is True
    nlb = named(run, "rocu-intel-nlb")
    assert nlb.urn in named(run, "rocu-intel-service").dependencies


def test_internal_network_load_balancer_with_access_logs(run: MockRun) -> None:
    nlb = named(run, "rocu-intel-nlb").inputs
    assert (nlb["loadBalancerType"], nlb["internal"]) == ("network", True)
    assert nlb["subnets"] == ["subnet-a", "subnet-b"]
    assert nlb["accessLogs"] == {
        "bucket": "exampleshire-log-archive",
        "enabled": True,
        "prefix": "privatelink/rocu-intel",
    }
    assert "accessLogs" not in named(run, "custody-nlb").inputs  # TCP: NLBs log TLS only


def test_own_access_log_bucket_admits_log_delivery_only(run: MockRun, helpers: Any) -> None:
    nlb = named(run, "hmpps-nlb")
    bucket = named(run, "hmpps-logs-bucket")
    assert nlb.inputs["accessLogs"]["bucket"].startswith("hmpps-logs-bucket")  # its id
    assert bucket.inputs["bucket"].startswith("hmpps-access-logs-")
    assert bucket.urn in nlb.dependencies and bucket.protect
    key = named(run, "hmpps-logs-key")
    assert key.inputs["enableKeyRotation"] is True and key.protect
    delivery = [s for s in helpers.policy_of(key)["Statement"] if s["Sid"] == "LogDelivery"]
    assert delivery[0]["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert delivery[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    policy = helpers.policy_of(named(run, "hmpps-logs-policy"))
    sids = [s["Sid"] for s in policy["Statement"]]
    assert sids == ["DenyInsecureTransport", "LogDeliveryAclCheck", "LogDeliveryWrite"]
    write = policy["Statement"][2]
    assert write["Resource"] == f"arn:aws:s3:::{bucket.inputs['bucket']}/privatelink/*"
    assert write["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    (sse,) = helpers.dependents(
        run,
        bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == (
        "aws:kms"
    )
    lifecycle = named(run, "hmpps-logs-lifecycle").inputs
    assert lifecycle["rules"][0]["expiration"]["days"] == 400


def test_tls_listener_when_a_certificate_is_given(run: MockRun) -> None:
    tls = named(run, "rocu-intel-listener").inputs
    assert (tls["protocol"], tls["port"], tls["certificateArn"]) == ("TLS", 8443, CERT)
    assert tls["sslPolicy"].startswith("ELBSecurityPolicy-TLS13-1-2")
    tcp = named(run, "custody-listener").inputs
    assert (tcp["protocol"], tcp["port"]) == ("TCP", 443)
    assert named(run, "rocu-intel-targets").inputs["protocol"] == "TLS"
    alb_targets = named(run, "custody-targets").inputs
    assert (alb_targets["targetType"], alb_targets["protocol"]) == ("alb", "TCP")
    attachments = sorted(
        r.inputs["targetId"]
        for r in run.of_type("aws:lb/targetGroupAttachment:TargetGroupAttachment")
        if r.name.startswith("rocu-intel")
    )
    assert attachments == ["i-1", "i-2"]


def test_connection_notifications_are_optional(run: MockRun) -> None:
    (note,) = run.of_type(
        "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification"
    )
    assert note.name == "rocu-intel-connections"
    assert note.inputs["connectionNotificationArn"] == TOPIC
    assert note.inputs["connectionEvents"] == ["Accept", "Connect", "Delete", "Reject"]


def test_resource_count(run: MockRun) -> None:
    counts = {
        name: sum(1 for r in run.resources if r.custom and r.name.startswith(f"{name}-"))
        for name in ("rocu-intel", "custody", "hmpps")
    }
    # NLB (+ SG and 2 rules), target group, 2 attachments, listener, service, notification;
    # hmpps: no notification, + key, alias and a SecureBucket's 7 resources
    assert counts == {"rocu-intel": 10, "custody": 5, "hmpps": 18}


def test_targets_take_the_port_from_the_nlb_only(run: MockRun) -> None:
    group = named(run, "rocu-intel-nlb-sg")
    nlb = named(run, "rocu-intel-nlb").inputs
    assert nlb["enforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] == "off"
    assert group.urn in named(run, "rocu-intel-nlb").dependencies
    rule = named(run, "rocu-intel-targets-in").inputs
    assert (rule["securityGroupId"], rule["fromPort"], rule["toPort"]) == ("sg-servers", 8443, 8443)
    assert "cidrIpv4" not in rule
    out = named(run, "rocu-intel-nlb-out").inputs
    assert (out["referencedSecurityGroupId"], out["fromPort"]) == ("sg-servers", 8443)
    assert "securityGroups" not in named(run, "custody-nlb").inputs


@pytest.mark.parametrize(
    ("accounts", "message"),
    [((), "partners' AWS accounts"), (("12345",), "12-digit"), (("1" * 12, "1" * 12), "repeat")],
)
def test_refuses_bad_allowed_accounts(tags: Tags, accounts: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _args(tags, allowed_accounts=accounts)
