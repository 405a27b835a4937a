"""Mistakes in resource or component arguments fail the run instead of previewing quietly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from forcelift.components.aws.iaas_workload import IaasWorkloadArgs, ServerSpec
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun


class _Broken(pulumi.ComponentResource):
    """A component written like ours, with one mistake chosen by the test."""

    def __init__(self, name: str, mistake: str) -> None:
        super().__init__("forcelift:test:Broken", name, None, None)
        opts = pulumi.ResourceOptions(parent=self)
        if mistake == "misspelled-args-field":
            aws.ec2.InstanceRootBlockDeviceArgs(encrypted=True, volume_sise=10)  # type: ignore[call-arg]
        elif mistake == "misspelled-resource-arg":
            aws.ebs.Volume(
                f"{name}-v", availability_zone="eu-west-2a", size=1, encryptd=True, opts=opts
            )  # type: ignore[call-arg]
        elif mistake == "missing-required":
            aws.ec2.Subnet(f"{name}-s", cidr_block="10.0.0.0/24", opts=opts)  # no vpc_id
        self.register_outputs({})


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        ("misspelled-args-field", "volume_sise"),
        ("misspelled-resource-arg", "encryptd"),
        ("missing-required", "vpc_id"),
    ],
)
def test_argument_mistakes_fail_the_run(
    mistake: str, message: str, run_aws: Callable[..., MockRun]
) -> None:
    with pytest.raises(TypeError, match=message):
        run_aws(lambda: _Broken("b", mistake))


def test_component_args_are_checked_too(tags: Tags) -> None:
    server = ServerSpec("app01", "t3.small", "ami-0abcdef1234567890", "eu-west-2a", 30)
    good: dict[str, Any] = {
        "tags": tags,
        "servers": (server,),
        "subnet_ids": {"eu-west-2a": "subnet-a"},
        "security_group_ids": (),
    }
    IaasWorkloadArgs(**good)
    with pytest.raises(TypeError, match="subnet_id"):
        IaasWorkloadArgs(**{**good, "subnet_id": good["subnet_ids"]})
    del good["servers"]
    with pytest.raises(TypeError, match="servers"):
        IaasWorkloadArgs(**good)


def test_tags_are_required_and_valid() -> None:
    with pytest.raises(ValueError, match="owner"):
        Tags(
            application="rms", owner=" ", data_classification="OFFICIAL", cost_centre="1", wave="1"
        )
    with pytest.raises(ValueError, match="application"):
        Tags(
            application="rms<script>",
            owner="o",
            data_classification="OFFICIAL",
            cost_centre="1",
            wave="1",
        )
    tags = Tags("rms", "o", "OFFICIAL", "CC-1", "2", extra={"criticality": "high"})
    assert list(tags.as_dict()) == sorted(tags.as_dict())
    assert tags.named("rms", "app01")["Name"] == "rms-app01"
