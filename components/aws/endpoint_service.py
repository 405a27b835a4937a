"""A service this force hosts for named partners over AWS PrivateLink (host side of sharing).

An internal Network Load Balancer in the host's spoke fronts the service; a VPC endpoint
service on it admits only the partners' accounts named in the data-sharing agreement, and every
connection must still be accepted by the host (`acceptance_required`). Nothing is reachable
from the internet, and no partner can connect without being both listed and accepted
(NCSC principles 1, 2 and 7; the SHARE guardrails check the same inputs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from forcelift.components.aws import documents
from forcelift.components.aws.common import AccountFacts, account_facts, bounded_name, child
from forcelift.components.aws.secure_bucket import SecureBucket, SecureBucketArgs
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name

__all__ = ["SharedEndpointService", "SharedEndpointServiceArgs", "TargetKind", "principal_arn"]

ACCOUNT = re.compile(r"^\d{12}$")
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
CONNECTION_EVENTS = ("Accept", "Connect", "Delete", "Reject")
LOG_PREFIX = "privatelink"
LOG_DELIVERY = "delivery.logs.amazonaws.com"


class TargetKind(StrEnum):
    INSTANCE = "instance"  # EC2 servers (IaasWorkload instance ids)
    ALB = "alb"  # the workload's internal Application Load Balancer (its ARN)
    IP = "ip"


def principal_arn(account: str) -> str:
    """The allowed-principal form of an account: its root (any IAM principal it allows)."""
    return f"arn:aws:iam::{account}:root"


@dataclass(frozen=True)
class SharedEndpointServiceArgs:
    tags: Tags
    vpc_id: pulumi.Input[str]
    subnet_ids: tuple[pulumi.Input[str], ...]
    allowed_accounts: tuple[str, ...]  # exactly the partners' accounts (12 digits), ≥ 1
    port: int = 443
    target_type: TargetKind = TargetKind.INSTANCE
    targets: tuple[pulumi.Input[str], ...] = ()  # instance ids, an ALB ARN or IPs
    certificate_arn: pulumi.Input[str] | None = None  # TLS listener when given
    # NLB access logs (TLS listeners only): to this bucket (one that admits log delivery),
    # else to a bucket of the component's own with its own key
    access_logs_bucket: str | None = None
    log_retention_days: int = 365
    protect: bool = True
    notification_topic_arn: pulumi.Input[str] | None = None  # SNS: connection events
    # the targets' security group: opened on the port to the NLB only (instance targets)
    target_security_group_id: pulumi.Input[str] | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.allowed_accounts:
            raise ValueError(
                "a shared endpoint service needs the partners' AWS accounts: with none, "
                "nobody named in the agreement could connect (and nobody else may)"
            )
        for account in self.allowed_accounts:
            if not ACCOUNT.match(account):
                raise ValueError(f"allowed account {account!r} is not a 12-digit AWS account id")
        if len(set(self.allowed_accounts)) != len(self.allowed_accounts):
            raise ValueError("allowed accounts must not repeat")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port {self.port} is out of range")
        if not self.subnet_ids:
            raise ValueError("a shared endpoint service needs at least one subnet")
        if self.target_type is TargetKind.ALB and len(self.targets) > 1:
            raise ValueError("an ALB target group takes one load balancer")


class SharedEndpointService(pulumi.ComponentResource):
    """Internal NLB + target group + listener + VPC endpoint service for named accounts."""

    def __init__(
        self, name: str, args: SharedEndpointServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:SharedEndpointService", name, None, opts)
        tags = args.tags.as_dict()
        tls = args.certificate_arn is not None
        access_logs = None
        if tls:
            bucket: pulumi.Input[str] = args.access_logs_bucket or self._log_bucket(name, args)
            access_logs = aws.lb.LoadBalancerAccessLogsArgs(
                bucket=bucket, enabled=True, prefix=f"{LOG_PREFIX}/{name}"
            )
        groups: list[pulumi.Input[str]] = []
        if args.target_security_group_id is not None:
            groups.append(self._nlb_group(name, args).id)
        nlb = aws.lb.LoadBalancer(
            f"{name}-nlb",
            name=bounded_name(name, "nlb", max_len=32),
            internal=True,
            load_balancer_type="network",
            subnets=list(args.subnet_ids),
            enable_cross_zone_load_balancing=True,
            enable_deletion_protection=True,
            security_groups=groups or None,
            # PrivateLink traffic is admitted by the endpoint service's allowed principals and
            # acceptance; the group limits what the NLB may reach.
            enforce_security_group_inbound_rules_on_private_link_traffic="off" if groups else None,
            access_logs=access_logs,
            tags=tags,
            opts=child(self),
        )
        # An ALB target only takes TCP; other targets keep TLS to the server when the NLB
        # terminates it (re-encryption, so data is never in clear inside the VPC either).
        protocol = "TLS" if tls and args.target_type is not TargetKind.ALB else "TCP"
        targets = aws.lb.TargetGroup(
            f"{name}-targets",
            name=bounded_name(name, "tg", max_len=32),
            port=args.port,
            protocol=protocol,
            target_type=args.target_type.value,
            vpc_id=args.vpc_id,
            health_check=aws.lb.TargetGroupHealthCheckArgs(protocol="TCP", port="traffic-port"),
            tags=tags,
            opts=child(self),
        )
        for index, target in enumerate(args.targets):
            aws.lb.TargetGroupAttachment(
                f"{name}-target-{index}",
                target_group_arn=targets.arn,
                target_id=target,
                port=args.port,
                opts=child(self),
            )
        listener = aws.lb.Listener(
            f"{name}-listener",
            load_balancer_arn=nlb.arn,
            port=args.port,
            protocol="TLS" if tls else "TCP",
            ssl_policy=TLS_POLICY if tls else None,
            certificate_arn=args.certificate_arn,
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=targets.arn)
            ],
            tags=tags,
            opts=child(self),
        )
        service = aws.ec2.VpcEndpointService(
            f"{name}-service",
            acceptance_required=True,
            network_load_balancer_arns=[nlb.arn],
            allowed_principals=[principal_arn(a) for a in sorted(args.allowed_accounts)],
            supported_ip_address_types=["ipv4"],
            tags=args.tags.named(name, "endpoint-service"),
            opts=child(self, depends_on=[listener]),
        )
        if args.notification_topic_arn is not None:
            aws.ec2.VpcEndpointConnectionNotification(
                f"{name}-connections",
                vpc_endpoint_service_id=service.id,
                connection_notification_arn=args.notification_topic_arn,
                connection_events=list(CONNECTION_EVENTS),
                opts=child(self),
            )
        self.service_id = service.id
        self.service_name = service.service_name
        self.load_balancer_arn = nlb.arn
        self.load_balancer_dns_name = nlb.dns_name
        self.register_outputs(
            {
                "id": service.id,
                "serviceName": service.service_name,
                "loadBalancerArn": nlb.arn,
                "port": args.port,
            }
        )

    def _nlb_group(self, name: str, args: SharedEndpointServiceArgs) -> aws.ec2.SecurityGroup:
        """The NLB's group: out to the targets' port only; the targets take it from here."""
        sg = aws.ec2.SecurityGroup(
            f"{name}-nlb-sg",
            name=make_name("aws-security-group", name, "nlb"),
            description=f"shared service NLB: port {args.port} to its targets only",
            vpc_id=args.vpc_id,
            tags=args.tags.named(name, "nlb"),
            opts=child(self),
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-nlb-out",
            security_group_id=sg.id,
            description=f"port {args.port} to the targets",
            referenced_security_group_id=args.target_security_group_id,
            ip_protocol="tcp",
            from_port=args.port,
            to_port=args.port,
            tags=args.tags.named(name, "nlb-out"),
            opts=child(self),
        )
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-targets-in",
            security_group_id=args.target_security_group_id,
            description=f"port {args.port} from the shared service NLB",
            referenced_security_group_id=sg.id,
            ip_protocol="tcp",
            from_port=args.port,
            to_port=args.port,
            tags=args.tags.named(name, "targets-in"),
            opts=child(self),
        )
        return sg

    def _log_bucket(self, name: str, args: SharedEndpointServiceArgs) -> pulumi.Output[str]:
        """A bucket for the NLB's access logs: KMS key and bucket policy admit log delivery
        from this account only (NLB access logs accept a customer-managed key)."""
        facts = account_facts(self)
        key = aws.kms.Key(
            f"{name}-logs-key",
            description=f"{name}: NLB access logs",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=facts.apply(lambda f: documents.render(_log_key_policy(f))),
            tags=args.tags.as_dict(),
            opts=child(self, protect=args.protect),
        )
        aws.kms.Alias(
            f"{name}-logs-key-alias",
            name=f"alias/forcelift/{name}-logs-key",
            target_key_id=key.key_id,
            opts=child(self),
        )
        bucket_name = make_name(
            "aws-s3-bucket",
            name,
            "access-logs",
            unique_seed=f"{pulumi.get_project()}/{pulumi.get_stack()}",
        )
        store = SecureBucket(
            f"{name}-logs",
            SecureBucketArgs(
                bucket_name=bucket_name,
                kms_key_arn=key.arn,
                tags=args.tags.as_dict(),
                extra_statements=facts.apply(lambda f: _log_delivery_statements(bucket_name, f)),
                expire_after_days=args.log_retention_days,
                protect=args.protect,
            ),
            opts=child(self),
        )
        return store.bucket.id


def _log_key_policy(facts: AccountFacts) -> documents.Document:
    policy = documents.kms_key_policy(facts.account_id, facts.partition, facts.region)
    policy["Statement"].append(
        {
            "Sid": "LogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": LOG_DELIVERY},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": facts.account_id}},
        }
    )
    return policy


def _log_delivery_statements(bucket: str, facts: AccountFacts) -> list[documents.Document]:
    """ELB log delivery's documented bucket permissions, for this account's logs only."""
    arn = f"arn:{facts.partition}:s3:::{bucket}"
    source = {
        "StringEquals": {"aws:SourceAccount": facts.account_id},
        "ArnLike": {
            "aws:SourceArn": f"arn:{facts.partition}:logs:{facts.region}:{facts.account_id}:*"
        },
    }
    return [
        {
            "Sid": "LogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": LOG_DELIVERY},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": source,
        },
        {
            "Sid": "LogDeliveryWrite",
            "Effect": "Allow",
            "Principal": {"Service": LOG_DELIVERY},
            "Action": "s3:PutObject",
            "Resource": f"{arn}/{LOG_PREFIX}/*",
            "Condition": {
                **source,
                "StringEquals": {
                    "aws:SourceAccount": facts.account_id,
                    "s3:x-amz-acl": "bucket-owner-full-control",
                },
            },
        },
    ]
