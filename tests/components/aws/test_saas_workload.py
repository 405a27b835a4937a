"""SaaS: nothing deployed; the integration is recorded in the outputs."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest

from forcelift.components.aws.saas_workload import SaasWorkload, SaasWorkloadArgs
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun


def test_records_the_integration(tags: Tags, run_aws: Callable[..., MockRun]) -> None:
    def program() -> None:
        saas = SaasWorkload(
            "evidence",
            SaasWorkloadArgs(
                tags=tags,
                service_name="Axon Evidence",
                supplier="Axon",
                fqdns=("Exampleshire.evidence.com", "*.evidence.com"),
                data_classification="OFFICIAL-SENSITIVE",
            ),
        )
        pulumi.export("evidence", saas.integration)

    run = run_aws(program)
    assert [r.type for r in run.resources] == ["forcelift:aws:SaasWorkload"]
    integration = run.outputs["evidence"]
    assert integration["service"] == "Axon Evidence"
    assert integration["fqdns"] == ["*.evidence.com", "exampleshire.evidence.com"]
    assert integration["data_classification"] == "OFFICIAL-SENSITIVE"
    assert integration["tags"]["application"] == "rms"


def test_out_of_scope_classification_and_bad_fqdn(tags: Tags) -> None:
    with pytest.raises(ValueError, match="out of scope"):
        SaasWorkloadArgs(tags, "x", ("a.example.com",), data_classification="SECRET")
    with pytest.raises(ValueError, match="domain name"):
        SaasWorkloadArgs(tags, "x", ("https://a.example.com/",))
