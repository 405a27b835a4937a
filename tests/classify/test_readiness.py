"""Assessment readiness becomes blockers and reasons, never a silent rehost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forcelift.migration.classify.engine import classify
from forcelift.migration.classify.evaluate import fragment_inventory
from forcelift.migration.classify.model import Classification, Confidence, Decision, Effort
from forcelift.migration.classify.rules.readiness import readiness_key

AS_OF = dt.date(2026, 6, 1)


def _server(name: str, readiness: str, reasons: list[str], source: str = "azure-migrate") -> Any:
    return {
        "name": name,
        "os": "Windows Server 2019",
        "assessment": {"source": source, "readiness": readiness, "readiness_reasons": reasons},
    }


def _classified(*servers: Any, app: dict[str, Any] | None = None) -> Classification:
    fragment = {"application": app or {"name": "Fleet Bookings"}, "servers": list(servers)}
    result = classify(fragment_inventory(fragment), as_of=AS_OF)
    return next(
        c for c in result.classifications if c.application == fragment["application"]["name"]
    )


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Not ready", "notready"),
        ("  NOT   Ready ", "notready"),
        ("not-ready", "notready"),
        ("Ready with conditions", "readywithconditions"),
        ("Ready", "ready"),
        ("", ""),
    ],
)
def test_readiness_key_ignores_case_spacing_and_punctuation(value: str, key: str) -> None:
    assert readiness_key(value) == key


def test_not_ready_server_is_a_blocker_naming_server_and_reasons() -> None:
    c = _classified(
        _server("fb1", "not  READY", ["Unsupported boot type", "Disk count exceeds 64"]),
        _server("fb2", "Ready", []),
    )
    assert c.decision is Decision.IAAS
    assert "READY-001" in c.rules
    blocker = next(b for b in c.blockers if "fb1" in b)
    assert "Unsupported boot type" in blocker and "Disk count exceeds 64" in blocker
    assert "Azure Migrate" in blocker
    assert not any("fb2" in b for b in c.blockers)


def test_not_ready_lowers_confidence_and_raises_effort_against_the_same_workload_ready() -> None:
    app = {"name": "Fin", "products": ["Civica Financials"]}
    ready = _classified(_server("fb1", "Ready", []), app=app)
    not_ready = _classified(_server("fb1", "Not ready", ["Unsupported OS"]), app=app)
    assert ready.decision is not_ready.decision is Decision.IAAS
    assert not ready.blockers
    assert (ready.confidence, not_ready.confidence) == (Confidence.HIGH, Confidence.MEDIUM)
    assert (ready.effort, not_ready.effort) == (Effort.S, Effort.M)


def test_each_not_ready_server_is_its_own_blocker_and_tool_is_named() -> None:
    c = _classified(
        _server("a1", "Not ready", ["Unsupported OS"], source="aws-migration-hub"),
        _server("a2", "Not ready", []),
    )
    ready_blockers = [b for b in c.blockers if "not ready" in b]
    assert len(ready_blockers) == 2
    assert any("a1" in b and "AWS Migration Hub" in b for b in ready_blockers)
    assert any("a2" in b and "no reason given" in b for b in ready_blockers)


def test_ready_with_conditions_is_a_reason_not_a_blocker() -> None:
    c = _classified(_server("fb1", "Ready With Conditions", ["Disk larger than 4 TB"]))
    assert "READY-002" in c.rules and "READY-001" not in c.rules
    assert any("Disk larger than 4 TB" in r and "fb1" in r for r in c.reasons)
    assert not any("Disk larger than 4 TB" in b for b in c.blockers)


@pytest.mark.parametrize("readiness", ["Ready", "Unknown", ""])
def test_other_readiness_values_add_nothing(readiness: str) -> None:
    c = _classified(_server("fb1", readiness, ["something"]))
    assert not {"READY-001", "READY-002"} & set(c.rules)


def test_workload_replaced_by_saas_carries_no_vm_readiness_blocker() -> None:
    server = _server("m1", "Not ready", ["Unsupported boot type"])
    server["software"] = ["Microsoft Exchange Server 2016"]
    c = _classified(server, app={"name": "Mail"})
    assert c.decision is Decision.SAAS
    assert "READY-001" not in c.rules and not any("m1" in b for b in c.blockers)
