"""A misspelled or missing argument stops the run instead of deploying something else."""

from __future__ import annotations

import pulumi_azure_native.network as network
import pytest

from forcelift.components.azure.saas_workload import SaasWorkload, SaasWorkloadArgs
from forcelift.components.azure.tags import DataClassification, Tags
from forcelift.stacks.mock_runtime import run_mocked


def _run(program) -> None:
    run_mocked(program, project="p", stack="s")


def test_misspelled_resource_argument_fails_the_run() -> None:
    def program() -> None:
        network.VirtualNetwork("v", resource_group_name="rg", adress_space=None)  # type: ignore[call-overload]

    with pytest.raises(TypeError, match="adress_space"):
        _run(program)


def test_misspelled_args_class_argument_fails_the_run() -> None:
    def program() -> None:
        network.NetworkSecurityGroup(
            "n",
            resource_group_name="rg",
            security_rules=[
                network.SecurityRuleArgs(  # type: ignore[call-arg]
                    acess="Allow", direction="Inbound", protocol="*"
                )
            ],
        )

    with pytest.raises(TypeError, match="acess"):
        _run(program)


def test_missing_required_argument_fails_the_run() -> None:
    def program() -> None:
        network.VirtualNetwork("v", location="uksouth")

    with pytest.raises(TypeError, match="resource_group_name"):
        _run(program)


def test_misspelled_component_argument_fails_the_run() -> None:
    def program() -> None:
        tags = Tags("a", "o", DataClassification.OFFICIAL, "cc", "1")
        SaasWorkload(
            "s",
            SaasWorkloadArgs(  # type: ignore[call-arg]
                application="a",
                service="s",
                fqnds=("a.example",),
                data_classification=DataClassification.OFFICIAL,
                tags=tags,
            ),
        )

    with pytest.raises(TypeError, match="fqnds"):
        _run(program)
