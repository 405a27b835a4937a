"""Live reads of compute and network: instances and volumes, security groups, VPCs and flow
logs, and what exists in other regions."""

from __future__ import annotations

from typing import Any

from forcelift.migration.live.aws_live_rules import (
    FLOW_LOG,
    INSTANCE,
    SECURITY_GROUP,
    VOLUME,
    VPC,
)
from forcelift.migration.live.aws_reading import (
    _LIVE_STATES,
    ReaderBase,
    _pages,
    _tags,
    _wanted,
    _with_tags,
)
from forcelift.migration.policy.model import Resource


class ComputeReads(ReaderBase):
    def _ec2(
        self,
        kind: str,
        type_: str,
        ident: str,
        inputs: dict[str, Any],
        described: dict[str, Any] | None = None,
    ) -> Resource:
        """An EC2 resource named by its id, with the tags of what described it (if given)."""
        tags = _tags(described.get("Tags")) if described is not None else {}
        return Resource(self.arn("ec2", f"{kind}/{ident}"), type_, ident, _with_tags(inputs, tags))

    # -- compute and storage
    def instances_and_volumes(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        reservations = _pages(
            ec2,
            "describe_instances",
            "Reservations",
            Filters=self.ec2_filters([{"Name": "instance-state-name", "Values": _LIVE_STATES}]),
        )
        instances = [i for r in reservations for i in r.get("Instances", [])]
        volumes = {v["VolumeId"]: v for v in _pages(ec2, "describe_volumes", "Volumes")}
        out: list[Resource] = []
        for inst in sorted(instances, key=lambda i: i["InstanceId"]):
            root_name = inst.get("RootDeviceName")
            root: dict[str, Any] = {}
            extra: list[dict[str, Any]] = []
            for mapping in inst.get("BlockDeviceMappings", []):
                vol = volumes.get(mapping.get("Ebs", {}).get("VolumeId", ""), {})
                device = {
                    "deviceName": mapping.get("DeviceName"),
                    "encrypted": bool(vol.get("Encrypted")),
                    "volumeId": vol.get("VolumeId"),
                    "volumeSize": vol.get("Size"),
                    "volumeType": vol.get("VolumeType"),
                }
                if vol.get("KmsKeyId"):
                    device["kmsKeyId"] = vol["KmsKeyId"]
                if mapping.get("DeviceName") == root_name:
                    root = {k: v for k, v in device.items() if k != "deviceName"}
                else:
                    extra.append(device)
            inputs: dict[str, Any] = {
                "region": self.region,
                "ami": inst.get("ImageId"),
                "instanceType": inst.get("InstanceType"),
                "subnetId": inst.get("SubnetId"),
                "associatePublicIpAddress": bool(inst.get("PublicIpAddress")),
                "vpcSecurityGroupIds": sorted(g["GroupId"] for g in inst.get("SecurityGroups", [])),
                "rootBlockDevice": root,
                "ebsBlockDevices": extra,
                "metadataOptions": {
                    "httpTokens": inst.get("MetadataOptions", {}).get("HttpTokens")
                },
            }
            if inst.get("PublicIpAddress"):
                inputs["publicIp"] = inst["PublicIpAddress"]
            out.append(self._ec2("instance", INSTANCE, inst["InstanceId"], inputs, inst))
        # Attached volumes are judged with their instance (rootBlockDevice / ebsBlockDevices).
        for vol in sorted(volumes.values(), key=lambda v: v["VolumeId"]):
            if vol.get("Attachments"):
                continue
            tags = _tags(vol.get("Tags"))
            if not _wanted(tags, self.stack):
                continue
            inputs = {
                "region": self.region,
                "availabilityZone": vol.get("AvailabilityZone"),
                "encrypted": bool(vol.get("Encrypted")),
                "size": vol.get("Size"),
                "type": vol.get("VolumeType"),
            }
            if vol.get("KmsKeyId"):
                inputs["kmsKeyId"] = vol["KmsKeyId"]
            out.append(self._ec2("volume", VOLUME, vol["VolumeId"], inputs, vol))
        return out

    # -- network
    def security_groups(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        groups = _pages(
            ec2, "describe_security_groups", "SecurityGroups", Filters=self.ec2_filters()
        )
        out = []
        for group in sorted(groups, key=lambda g: g["GroupId"]):
            ingress = []
            for perm in group.get("IpPermissions", []):
                protocol = str(perm.get("IpProtocol", "-1"))
                if protocol in ("icmp", "icmpv6", "1", "58"):
                    continue  # ICMP type/code are not ports
                ingress.append(
                    {
                        "protocol": protocol,
                        "fromPort": int(perm.get("FromPort", 0)),
                        "toPort": int(perm.get("ToPort", 0)),
                        "cidrBlocks": sorted(r["CidrIp"] for r in perm.get("IpRanges", [])),
                        "ipv6CidrBlocks": sorted(r["CidrIpv6"] for r in perm.get("Ipv6Ranges", [])),
                        "securityGroups": sorted(
                            p["GroupId"] for p in perm.get("UserIdGroupPairs", []) if "GroupId" in p
                        ),
                        "prefixListIds": sorted(
                            p["PrefixListId"] for p in perm.get("PrefixListIds", [])
                        ),
                    }
                )
            inputs = {
                "region": self.region,
                "name": group.get("GroupName"),
                "description": group.get("Description"),
                "vpcId": group.get("VpcId"),
                "ingress": ingress,
            }
            out.append(self._ec2("security-group", SECURITY_GROUP, group["GroupId"], inputs, group))
        return out

    def vpcs_and_flow_logs(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        vpcs = _pages(ec2, "describe_vpcs", "Vpcs", Filters=self.ec2_filters())
        urns = {v["VpcId"]: self.arn("ec2", f"vpc/{v['VpcId']}") for v in vpcs}
        out = []
        for vpc in sorted(vpcs, key=lambda v: v["VpcId"]):
            inputs = {
                "region": self.region,
                "cidrBlock": vpc.get("CidrBlock"),
                "isDefault": bool(vpc.get("IsDefault")),
            }
            out.append(self._ec2("vpc", VPC, vpc["VpcId"], inputs, vpc))
        for log in sorted(
            _pages(ec2, "describe_flow_logs", "FlowLogs"), key=lambda f: f["FlowLogId"]
        ):
            vpc_urn = urns.get(str(log.get("ResourceId")))
            if vpc_urn is None or log.get("FlowLogStatus", "ACTIVE") != "ACTIVE":
                continue
            inputs = {
                "region": self.region,
                "vpcId": log["ResourceId"],
                "trafficType": log.get("TrafficType"),
                "logDestinationType": log.get("LogDestinationType"),
                "logDestination": log.get("LogDestination") or log.get("LogGroupName"),
            }
            out.append(
                Resource(
                    self.arn("ec2", f"vpc-flow-log/{log['FlowLogId']}"),
                    FLOW_LOG,
                    log["FlowLogId"],
                    inputs,
                    dependencies=(vpc_urn,),
                )
            )
        return out

    # -- data

    def elsewhere(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        out = []
        reservations = _pages(
            ec2,
            "describe_instances",
            "Reservations",
            Filters=self.ec2_filters([{"Name": "instance-state-name", "Values": _LIVE_STATES}]),
        )
        for inst in sorted(
            (i for r in reservations for i in r.get("Instances", [])), key=lambda i: i["InstanceId"]
        ):
            out.append(self._ec2("instance", INSTANCE, inst["InstanceId"], {"region": self.region}))
        vpcs = _pages(
            ec2,
            "describe_vpcs",
            "Vpcs",
            Filters=self.ec2_filters([{"Name": "is-default", "Values": ["false"]}]),
        )
        for vpc in sorted(vpcs, key=lambda v: v["VpcId"]):
            out.append(self._ec2("vpc", VPC, vpc["VpcId"], {"region": self.region}))
        return out
