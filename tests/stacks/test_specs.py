"""What both cloud programs share (stacks/specs.py): tag values, the workload record, the layer
dispatch. The programs' own behaviour is pinned by the preview goldens; these pin the pieces."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from forcelift.components.aws.tags import Tags as AwsTags
from forcelift.components.azure.tags import DataClassification
from forcelift.migration.plan.planfile import CloudWorkload
from forcelift.stacks.aws_common import aws_tags
from forcelift.stacks.azure_common import azure_tags
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import (
    Layer,
    args_errors,
    build_stack,
    workload_record,
    workload_tag_values,
)

TAGS = {
    "wave": "2",
    "owner": "Digital",
    "criticality": "high",
    "application": "Niche RMS",
    "cost-centre": "CC-1",
    "data-classification": "OFFICIAL-SENSITIVE",
    "forcelift-stack": "x-wave-2",
}


def _workload(**fields: Any) -> CloudWorkload:
    base = {"tags": TAGS, "decision": "IAAS", "target": "VMs", "vms": [1, 2], "notes": ["n"]}
    return cast(CloudWorkload, SimpleNamespace(**{**base, **fields}))


def test_tag_values_keep_required_tags_out_of_the_sorted_extras() -> None:
    values = workload_tag_values(_workload())
    assert values.extra == (("criticality", "high"), ("forcelift-stack", "x-wave-2"))
    assert (values.application, values.wave) == ("Niche RMS", "2")


def test_both_clouds_tag_alike() -> None:
    values = workload_tag_values(_workload())
    azure, aws = azure_tags(values), aws_tags(values)
    assert azure.data_classification is DataClassification.OFFICIAL_SENSITIVE
    assert isinstance(aws, AwsTags)
    assert azure.as_dict() == aws.as_dict() == dict(sorted(TAGS.items()))


def test_record_lists_only_what_was_built_in_order() -> None:
    record = workload_record(_workload(), {"iaas": object(), "paas": (), "saas": None}, ["m"])
    assert record == {
        "decision": "IAAS",
        "target": "VMs",
        "components": ["iaas"],
        "vms": 2,
        "notes": ["n", "m"],
    }


@pytest.mark.parametrize(("layer", "expected"), [("landing-zone", "lz"), ("wave", "wave")])
def test_build_stack_runs_the_layer_of_the_stack(layer: str, expected: str) -> None:
    ctx = cast(StackContext, SimpleNamespace(stack=SimpleNamespace(layer=layer)))
    declared: list[tuple[str, str]] = []

    def declare(_ctx: StackContext, spec: str) -> None:
        declared.append(("declared", spec))

    build_stack(ctx, Layer(lambda _c: "lz", declare), Layer(lambda _c: "wave", declare))
    assert declared == [("declared", expected)]


def test_args_errors_name_the_plan_path() -> None:
    class Ctx:
        def error(self, path: str, message: str) -> Exception:
            return LookupError(f"{path}: {message}")

    ctx = cast(StackContext, Ctx())
    with (
        pytest.raises(LookupError, match=r"^workloads\[3\]\.vms: too big$"),
        args_errors(ctx, "workloads[3].vms"),
    ):
        raise ValueError("too big")
