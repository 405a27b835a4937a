"""The offline recorder: engine-style URNs, parents, protect, dependencies, duplicates, exports."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from forcelift.stacks.mock_runtime import run_mocked


class _Pair(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("forcelift:test:Pair", name, None, None)
        bucket = aws.s3.Bucket(
            f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self, protect=True)
        )
        aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
                status="Enabled"
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"bucket": bucket.id})


def test_records_graph_and_exports() -> None:
    def program() -> None:
        _Pair("state")
        ref = pulumi.StackReference("org/forcelift/lz")
        pulumi.export("hub", ref.get_output("hub_id"))

    run = run_mocked(
        program, project="p", stack="s", stack_outputs={"org/forcelift/lz": {"hub_id": "vpc-123"}}
    )
    by_name = {r.name: r for r in run.resources}
    bucket, versioning = by_name["state-bucket"], by_name["state-versioning"]
    assert bucket.urn == "urn:pulumi:s::p::forcelift:test:Pair$aws:s3/bucket:Bucket::state-bucket"
    assert bucket.parent == by_name["state"].urn
    assert bucket.protect and not versioning.protect
    assert versioning.dependencies == (bucket.urn,)
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    assert run.outputs == {"hub": "vpc-123"}
    assert run.duplicate_urns == []


def test_preview_leaves_out_aliases_and_restores_the_sdk() -> None:
    import pulumi.resource as pulumi_resource
    import pulumi.runtime.resource as pulumi_runtime_resource
    import pulumi_azure_native as azure

    originals = (pulumi_resource.collapse_alias_to_urn, pulumi_runtime_resource.prepare_aliases)

    class _Renamed(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__(
                "forcelift:test:Renamed",
                name,
                None,
                pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old-name")]),
            )
            aws.s3.Bucket(f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self))

    def program() -> None:
        azure.network.NetworkInterface(
            "nic", resource_group_name="rg", ip_configurations=[], location="uksouth"
        )
        _Renamed("renamed")

    run = run_mocked(program, project="p", stack="s")
    by_name = {r.name: r for r in run.resources}
    assert by_name["nic"].aliases == 0  # 60 API-version aliases, irrelevant offline
    assert by_name["renamed"].aliases == 0
    assert by_name["renamed-bucket"].parent == by_name["renamed"].urn
    assert by_name["nic"].inputs["location"] == "uksouth"
    # restored after the run: a real deployment sends its aliases
    assert (
        pulumi_resource.collapse_alias_to_urn,
        pulumi_runtime_resource.prepare_aliases,
    ) == originals


def test_duplicate_urns_are_recorded() -> None:
    def program() -> None:
        aws.s3.Bucket("same")
        aws.s3.Bucket("same")

    run = run_mocked(program, project="p", stack="s")
    assert run.duplicate_urns == ["urn:pulumi:s::p::aws:s3/bucket:Bucket::same"]


def test_misspelled_argument_fails() -> None:
    def program() -> None:
        aws.s3.Bucket("b", bucket_prefx="x")  # type: ignore[call-arg]

    with pytest.raises(TypeError, match="bucket_prefx"):
        run_mocked(program, project="p", stack="s")
