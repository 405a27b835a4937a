"""A SaaS integration: no resources, a record in the outputs, an egress entry for the hub."""

from __future__ import annotations

import pytest

from forcelift.components.azure.common import EgressDestination
from forcelift.components.azure.saas_workload import SaasWorkloadArgs
from forcelift.components.azure.tags import DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun


def test_integration_is_recorded_in_outputs(saas_run: MockRun) -> None:
    assert [r.type for r in saas_run.resources] == ["forcelift:azure:SaasWorkload"]
    record = saas_run.outputs["saas_email"]
    assert record["service"] == "Microsoft 365"
    assert record["fqdns"] == ["login.microsoftonline.com", "outlook.office365.com"]
    assert record["data_classification"] == "OFFICIAL-SENSITIVE"
    assert record["tags"]["cost-centre"] == "CC-ICT-042"


def test_egress_entry_for_the_hub_firewall() -> None:
    tags = Tags("email", "o", DataClassification.OFFICIAL, "cc", "1")
    args = SaasWorkloadArgs(
        "email", "Microsoft 365", ("a.example",), DataClassification.OFFICIAL, tags
    )
    assert args.egress() == EgressDestination("email", ("a.example",), 443)
    with pytest.raises(ValueError, match="FQDNs"):
        SaasWorkloadArgs("email", "M365", (), DataClassification.OFFICIAL, tags)
