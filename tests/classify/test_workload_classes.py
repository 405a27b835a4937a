"""Workload-class rules fire on the class, not on a word that also means something else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forcelift.migration.classify.engine import classify
from forcelift.migration.classify.evaluate import fragment_inventory
from forcelift.migration.classify.model import Classification, Decision

AS_OF = dt.date(2026, 6, 1)


def _one(fragment: dict[str, Any]) -> Classification:
    result = classify(fragment_inventory(fragment), as_of=AS_OF).by_application()
    return result[fragment["application"]["name"].lower()]


@pytest.mark.parametrize("partners", [[], ["CJSM"]])
def test_an_ftp_server_beside_a_supplier_application_is_not_a_file_transfer_workload(
    partners: list[str],
) -> None:
    got = _one(
        {
            "application": {"name": "Records", "user_count": 2000, "products": ["Niche RMS"]},
            "servers": [{"name": "rms01", "os": "Windows Server 2019",
                         "software": ["Niche RMS", "FileZilla Server 1.7"]}],
            "depends_on": partners,
        }
    )  # fmt: skip
    assert not {"PAAS-006", "IAAS-006"} & set(got.rules), got.rules
    assert got.decision is not Decision.PAAS


def test_a_file_transfer_product_that_defines_the_workload_still_counts() -> None:
    got = _one(
        {
            "application": {"name": "Evidence Drop", "user_count": 40},
            "servers": [{"name": "ftp01", "os": "Ubuntu 22.04", "software": ["vsftpd 3.0"]}],
        }
    )
    assert "PAAS-006" in got.rules and got.decision is Decision.PAAS
