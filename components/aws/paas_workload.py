"""Re-platformed workloads: managed database, containerised or Beanstalk web app, file store.

Each part is optional. The database is encrypted, private, Multi-AZ when the workload is
critical, protected from deletion and forces TLS where the engine has a parameter for it; the
web app runs in private subnets behind an internal ALB that accepts only TLS 1.2+; files go to
a private, KMS-encrypted, TLS-only bucket (NCSC principles 1, 2, 3 and 11).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import (
    account_facts,
    bounded_name,
    child,
    instance_profile,
    key_or_new,
    service_role,
)
from forcelift.components.aws.paas_specs import (
    ENGINES,
    DatabaseSpec,
    DbEngine,
    EngineProfile,
    FileStoreSpec,
    PaasWorkloadArgs,
    WebAppSpec,
    WebPlatform,
)
from forcelift.components.aws.secure_bucket import SecureBucket, SecureBucketArgs
from forcelift.migration.naming import make_name

__all__ = [
    "ENGINES",
    "DatabaseSpec",
    "DbEngine",
    "EngineProfile",
    "FileStoreSpec",
    "PaasWorkload",
    "PaasWorkloadArgs",
    "WebAppSpec",
    "WebPlatform",
]

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
DB_ADMIN_USER = "dbadmin"
_IN = aws.vpc.SecurityGroupIngressRule
_OUT = aws.vpc.SecurityGroupEgressRule


class PaasWorkload(pulumi.ComponentResource):
    """RDS, ECS Fargate behind an internal ALB (or Elastic Beanstalk), and an S3 file store."""

    def __init__(
        self, name: str, args: PaasWorkloadArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:PaasWorkload", name, None, opts)
        self._args = args
        self._name = name
        tags = args.tags.as_dict()
        key_arn = key_or_new(
            self, name, args, f"{name}: database, logs and files", cloudwatch_logs=True
        )
        self._key_arn = key_arn
        # The web app's internal ALB and its group: what an endpoint service or a Verified
        # Access endpoint puts in front of it (None without a web app).
        self.alb_arn: pulumi.Output[str] | None = None
        self.alb_security_group_id: pulumi.Output[str] | None = None

        app_sg = alb_sg = None
        if args.web_app is not None:
            alb_sg = self._group("alb", f"HTTPS to {args.web_app.name}")
            self.alb_security_group_id = alb_sg.id
            app_sg = self._group("app", f"{args.web_app.name} instances or tasks")
        outputs: dict[str, pulumi.Input[str]] = {}
        if args.database is not None:
            outputs["database_endpoint"] = self._database(args.database, app_sg)
        if args.web_app is not None:
            assert alb_sg is not None and app_sg is not None
            outputs["web_app_url"] = self._web_app(args.web_app, alb_sg, app_sg)
        if args.files is not None:
            store = SecureBucket(
                f"{name}-files-{args.files.name}",
                SecureBucketArgs(
                    bucket_name=make_name(
                        "aws-s3-bucket",
                        name,
                        args.files.name,
                        unique_seed=f"{pulumi.get_project()}/{pulumi.get_stack()}",
                    ),
                    kms_key_arn=key_arn,
                    tags=tags,
                    expire_after_days=args.files.expire_after_days,
                    protect=args.protect,
                ),
                opts=child(self),
            )
            outputs["files_bucket"] = store.bucket.id
        self.outputs = outputs
        self.register_outputs(dict(outputs))

    # -- security groups -------------------------------------------------------------------

    def _group(self, role: str, description: str) -> aws.ec2.SecurityGroup:
        return aws.ec2.SecurityGroup(
            f"{self._name}-sg-{role}",
            name=make_name("aws-security-group", self._name, role),
            description=description,
            vpc_id=self._args.vpc_id,
            tags=self._args.tags.named(self._name, role),
            opts=child(self),
        )

    def _allow(
        self,
        rule_type: type[aws.vpc.SecurityGroupIngressRule] | type[aws.vpc.SecurityGroupEgressRule],
        label: str,
        group: aws.ec2.SecurityGroup,
        port: int,
        *,
        cidr: str | None = None,
        peer: aws.ec2.SecurityGroup | None = None,
    ) -> None:
        """One TCP port in (from `peer` or `cidr`) or out (to them), by `rule_type`."""
        rule_type(
            f"{self._name}-{label}",
            security_group_id=group.id,
            description=label,
            cidr_ipv4=cidr,
            referenced_security_group_id=peer.id if peer is not None else None,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            tags=self._args.tags.named(self._name, label),
            opts=child(self),
        )

    # -- database --------------------------------------------------------------------------

    def _database(
        self, spec: DatabaseSpec, app_sg: aws.ec2.SecurityGroup | None
    ) -> pulumi.Output[str]:
        name, args, profile = self._name, self._args, spec.profile
        tags = args.tags.as_dict()
        db_sg = self._group("db", f"{spec.name} database")
        if app_sg is not None:
            self._allow(_IN, "db-from-app", db_sg, profile.port, peer=app_sg)
            self._allow(_OUT, "app-to-db", app_sg, profile.port, peer=db_sg)
        for index, cidr in enumerate(sorted(spec.client_cidrs)):
            self._allow(_IN, f"db-from-client-{index}", db_sg, profile.port, cidr=cidr)
        identifier = make_name("aws-rds-instance", name, spec.name)
        subnet_group = aws.rds.SubnetGroup(
            f"{name}-db-subnets",
            name=make_name("aws-rds-instance", name, spec.name, "subnets"),
            description=f"{spec.name} private subnets",
            subnet_ids=list(args.subnet_ids),
            tags=tags,
            opts=child(self),
        )
        parameter_group_name: pulumi.Input[str] | None = None
        if profile.ssl_parameter is not None:
            parameter, value = profile.ssl_parameter
            group = aws.rds.ParameterGroup(
                f"{name}-db-parameters",
                name=make_name("aws-rds-instance", name, spec.name, "tls"),
                family=profile.family(spec.engine, spec.version),
                description=f"{spec.name}: TLS required",
                parameters=[
                    aws.rds.ParameterGroupParameterArgs(
                        name=parameter, value=value, apply_method="pending-reboot"
                    )
                ],
                tags=tags,
                opts=child(self),
            )
            parameter_group_name = group.name
        instance = aws.rds.Instance(
            f"{name}-db",
            identifier=identifier,
            engine=spec.engine.value,
            engine_version=spec.version,
            license_model=profile.license_model,
            instance_class=spec.instance_class,
            allocated_storage=spec.allocated_storage_gib,
            max_allocated_storage=spec.max_allocated_storage_gib,
            storage_type="gp3",
            storage_encrypted=True,
            kms_key_id=self._key_arn,
            multi_az=spec.critical,
            publicly_accessible=False,
            deletion_protection=True,
            backup_retention_period=spec.backup_retention_days,
            copy_tags_to_snapshot=True,
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{identifier[:54].rstrip('-')}-final",
            auto_minor_version_upgrade=True,
            port=profile.port,
            username=DB_ADMIN_USER,
            manage_master_user_password=True,
            master_user_secret_kms_key_id=self._key_arn,
            iam_database_authentication_enabled=profile.iam_auth,
            enabled_cloudwatch_logs_exports=list(profile.log_exports),
            ca_cert_identifier="rds-ca-rsa2048-g1",
            db_subnet_group_name=subnet_group.name,
            parameter_group_name=parameter_group_name,
            vpc_security_group_ids=[db_sg.id],
            tags=args.tags.as_dict(criticality="critical" if spec.critical else "standard"),
            opts=child(self, protect=args.protect),
        )
        return instance.address

    # -- web app ---------------------------------------------------------------------------

    def _web_app(
        self, spec: WebAppSpec, alb_sg: aws.ec2.SecurityGroup, app_sg: aws.ec2.SecurityGroup
    ) -> pulumi.Output[str]:
        for index, cidr in enumerate(sorted(spec.client_cidrs)):
            self._allow(_IN, f"alb-from-client-{index}", alb_sg, 443, cidr=cidr)
        self._allow(_OUT, "alb-to-app", alb_sg, spec.container_port, peer=app_sg)
        self._allow(_IN, "app-from-alb", app_sg, spec.container_port, peer=alb_sg)
        for index, cidr in enumerate(sorted(spec.egress_cidrs)):
            self._allow(_OUT, f"app-https-out-{index}", app_sg, 443, cidr=cidr)
        if spec.platform is WebPlatform.ELASTIC_BEANSTALK:
            return self._beanstalk(spec, alb_sg, app_sg)
        return self._fargate(spec, alb_sg, app_sg)

    def _fargate(
        self, spec: WebAppSpec, alb_sg: aws.ec2.SecurityGroup, app_sg: aws.ec2.SecurityGroup
    ) -> pulumi.Output[str]:
        name, args = self._name, self._args
        tags = args.tags.as_dict()
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            name=make_name("aws-ecs-cluster", name),
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            tags=tags,
            opts=child(self),
        )
        logs = aws.cloudwatch.LogGroup(
            f"{name}-app-logs",
            name=f"/forcelift/ecs/{name}/{spec.name}",
            kms_key_id=self._key_arn,
            retention_in_days=args.log_retention_days,
            tags=tags,
            opts=child(self, protect=args.protect),
        )
        execution_role = service_role(
            f"{name}-task-execution-role",
            self,
            role_name=f"{name}-{spec.name}-execution",
            service="ecs-tasks.amazonaws.com",
            managed_policies=("service-role/AmazonECSTaskExecutionRolePolicy",),
            tags=tags,
        )
        task_role = service_role(
            f"{name}-task-role",
            self,
            role_name=f"{name}-{spec.name}-task",
            service="ecs-tasks.amazonaws.com",
            tags=tags,
        )
        region = account_facts(self).apply(lambda f: f.region)
        containers = pulumi.Output.all(logs.name, region).apply(
            lambda v: json.dumps(
                [
                    {
                        "name": spec.name,
                        "image": spec.image,
                        "essential": True,
                        "portMappings": [{"containerPort": spec.container_port, "protocol": "tcp"}],
                        "logConfiguration": {
                            "logDriver": "awslogs",
                            "options": {
                                "awslogs-group": v[0],
                                "awslogs-region": v[1],
                                "awslogs-stream-prefix": spec.name,
                            },
                        },
                    }
                ],
                sort_keys=True,
            )
        )
        task = aws.ecs.TaskDefinition(
            f"{name}-task",
            family=make_name("aws-ecs-cluster", name, spec.name),
            cpu=str(spec.cpu),
            memory=str(spec.memory_mib),
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                operating_system_family="LINUX", cpu_architecture="X86_64"
            ),
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=containers,
            tags=tags,
            opts=child(self),
        )
        alb, target_group, listener = self._load_balancer(spec, alb_sg, target_type="ip")
        self.alb_arn = alb.arn
        aws.ecs.Service(
            f"{name}-service",
            name=make_name("aws-ecs-cluster", spec.name),
            cluster=cluster.arn,
            task_definition=task.arn,
            desired_count=spec.desired_count,
            launch_type="FARGATE",
            platform_version="LATEST",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=list(args.subnet_ids),
                security_groups=[app_sg.id],
                assign_public_ip=False,
            ),
            load_balancers=[
                aws.ecs.ServiceLoadBalancerArgs(
                    target_group_arn=target_group.arn,
                    container_name=spec.name,
                    container_port=spec.container_port,
                )
            ],
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(
                enable=True, rollback=True
            ),
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            tags=tags,
            opts=child(self, depends_on=[listener]),
        )
        return alb.dns_name.apply(lambda dns: f"https://{dns}")

    def _load_balancer(
        self, spec: WebAppSpec, alb_sg: aws.ec2.SecurityGroup, *, target_type: str
    ) -> tuple[aws.lb.LoadBalancer, aws.lb.TargetGroup, aws.lb.Listener]:
        name, args = self._name, self._args
        tags = args.tags.as_dict()
        alb = aws.lb.LoadBalancer(
            f"{name}-alb",
            name=bounded_name(name, spec.name, max_len=32),
            internal=True,
            load_balancer_type="application",
            security_groups=[alb_sg.id],
            subnets=list(args.subnet_ids),
            drop_invalid_header_fields=True,
            tags=tags,
            opts=child(self),
        )
        target_group = aws.lb.TargetGroup(
            f"{name}-targets",
            name=bounded_name(name, spec.name, "tg", max_len=32),
            port=spec.container_port,
            protocol="HTTP",
            target_type=target_type,
            vpc_id=args.vpc_id,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                path=spec.health_check_path, protocol="HTTP", matcher="200-399"
            ),
            tags=tags,
            opts=child(self),
        )
        listener = aws.lb.Listener(
            f"{name}-https",
            load_balancer_arn=alb.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=spec.certificate_arn,
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)
            ],
            tags=tags,
            opts=child(self),
        )
        return alb, target_group, listener

    def _beanstalk(
        self, spec: WebAppSpec, alb_sg: aws.ec2.SecurityGroup, app_sg: aws.ec2.SecurityGroup
    ) -> pulumi.Output[str]:
        name, args = self._name, self._args
        tags = args.tags.as_dict()
        service = service_role(
            f"{name}-beanstalk-service-role",
            self,
            role_name=f"{name}-{spec.name}-beanstalk",
            service="elasticbeanstalk.amazonaws.com",
            managed_policies=(
                "AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
                "service-role/AWSElasticBeanstalkEnhancedHealth",
            ),
            tags=tags,
        )
        _, profile = instance_profile(
            f"{name}-beanstalk-instance",
            self,
            role_name=f"{name}-{spec.name}-instance",
            profile_name=make_name("aws-iam-role", name, spec.name, "instance"),
            managed_policies=("AWSElasticBeanstalkWebTier", "AmazonSSMManagedInstanceCore"),
            tags=tags,
        )
        application = aws.elasticbeanstalk.Application(
            f"{name}-beanstalk-app",
            name=make_name("aws-ecs-cluster", name, spec.name),
            description=f"{spec.name}",
            tags=tags,
            opts=child(self),
        )
        subnets = pulumi.Output.all(*args.subnet_ids).apply(lambda ids: ",".join(map(str, ids)))
        plain: list[tuple[str, str, pulumi.Input[str]]] = [
            ("aws:ec2:vpc", "VPCId", args.vpc_id),
            ("aws:ec2:vpc", "Subnets", subnets),
            ("aws:ec2:vpc", "ELBSubnets", subnets),
            ("aws:ec2:vpc", "ELBScheme", "internal"),
            ("aws:ec2:vpc", "AssociatePublicIpAddress", "false"),
            ("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced"),
            ("aws:elasticbeanstalk:environment", "LoadBalancerType", "application"),
            ("aws:elasticbeanstalk:environment", "ServiceRole", service.arn),
            ("aws:autoscaling:launchconfiguration", "IamInstanceProfile", profile.name),
            ("aws:autoscaling:launchconfiguration", "SecurityGroups", app_sg.id),
            ("aws:autoscaling:launchconfiguration", "DisableIMDSv1", "true"),
            ("aws:autoscaling:launchconfiguration", "RootVolumeType", "gp3"),
            ("aws:autoscaling:asg", "MinSize", str(spec.desired_count)),
            ("aws:autoscaling:asg", "MaxSize", str(spec.desired_count * 2)),
            ("aws:elbv2:loadbalancer", "SecurityGroups", alb_sg.id),
            ("aws:elbv2:loadbalancer", "ManagedSecurityGroup", alb_sg.id),
            ("aws:elbv2:listener:default", "ListenerEnabled", "false"),
            ("aws:elbv2:listener:443", "Protocol", "HTTPS"),
            ("aws:elbv2:listener:443", "SSLCertificateArns", spec.certificate_arn),
            ("aws:elbv2:listener:443", "SSLPolicy", TLS_POLICY),
            ("aws:elasticbeanstalk:environment:process:default", "Port", str(spec.container_port)),
            ("aws:elasticbeanstalk:environment:process:default", "Protocol", "HTTP"),
            (
                "aws:elasticbeanstalk:environment:process:default",
                "HealthCheckPath",
                spec.health_check_path,
            ),
            ("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "true"),
            (
                "aws:elasticbeanstalk:cloudwatch:logs",
                "RetentionInDays",
                str(args.log_retention_days),
            ),
            ("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled", "true"),
            ("aws:elasticbeanstalk:managedactions", "PreferredStartTime", "Sun:02:00"),
            ("aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel", "minor"),
        ]
        environment = aws.elasticbeanstalk.Environment(
            f"{name}-beanstalk-env",
            name=bounded_name(name, spec.name, max_len=40),
            application=application.name,
            solution_stack_name=spec.solution_stack_name,
            tier="WebServer",
            settings=[
                aws.elasticbeanstalk.EnvironmentSettingArgs(namespace=ns, name=key, value=value)
                for ns, key, value in plain
            ],
            tags=tags,
            opts=child(self),
        )
        # Elastic Beanstalk makes the ALB; the environment names it (an ALB's name is its ARN).
        self.alb_arn = environment.load_balancers.apply(lambda arns: arns[0])
        return environment.endpoint_url.apply(lambda url: f"https://{url}")
