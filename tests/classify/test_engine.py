"""Precedence, conflicts, coupling, lifecycle dates, determinism and the sample estate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.classify.engine import Classifier, classify, explain
from forcelift.migration.classify.evaluate import fragment_inventory
from forcelift.migration.classify.model import Confidence, Decision, Effort, Strategy
from forcelift.migration.classify.render import to_json
from forcelift.migration.inventory.load import load_inventory

AS_OF = dt.date(2026, 6, 1)
EXAMPLESHIRE = Path(__file__).parents[2] / "inventories" / "exampleshire" / "inventory.yaml"


def _one(fragment: dict[str, Any], as_of: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    result = classify(fragment_inventory(fragment), as_of=as_of).by_application()
    return result[fragment["application"]["name"].lower()]


def test_hardware_beats_saas_and_the_disagreement_is_reported() -> None:
    got = _one(
        {
            "application": {"name": "Station CCTV", "products": ["NICE Investigate"],
                            "notes": "cameras record to NVRs on site"},
            "servers": [{"name": "c1", "os": "Windows Server 2019"}],
        }
    )  # fmt: skip
    assert got.decision is Decision.RETAIN
    assert any(c.startswith("SAAS-") for c in got.conflicts)
    assert got.confidence is Confidence.MEDIUM  # high, one conflict


def test_final_retirement_silences_disagreement() -> None:
    got = _one(
        {
            "application": {"name": "Old Mail", "user_count": 0},
            "servers": [
                {"name": "m1", "os": "Windows Server 2008 R2", "power": "off",
                 "software": ["Microsoft Exchange Server 2010"]}
            ],
        }
    )  # fmt: skip
    assert got.decision is Decision.RETIRE and not got.conflicts
    assert got.confidence is Confidence.HIGH and got.effort is Effort.S


def test_unsupported_os_is_replaced_by_saas_not_lifted() -> None:
    got = _one(
        {
            "application": {"name": "Payroll", "products": ["MHR iTrent"]},
            "servers": [{"name": "s1", "os": "Solaris 10"}],
        }
    )
    assert got.decision is Decision.SAAS and not got.conflicts
    aix = _one({"application": {"name": "Files"}, "servers": [{"name": "a1", "os": "AIX 7.2"}]})
    assert aix.decision is Decision.RETAIN and aix.strategy is Strategy.RETAIN
    assert "OS not offered by either cloud" in aix.blockers[0]


def test_paas_web_app_gets_a_blocker_when_its_database_stays() -> None:
    fragment = {
        "application": {"name": "Front", "description": "in-house web app"},
        "applications": [{"name": "Back DB", "category": "database", "servers": ["db1"]}],
        "servers": [
            {"name": "w1", "os": "Windows Server 2019",
             "software": ["Internet Information Services 10"]},
            {"name": "db1", "os": "HP-UX 11i v3"},
        ],
        "dependencies": [{"source": "Front", "target": "Back DB"}],
    }  # fmt: skip
    got = _one(fragment)
    assert got.decision is Decision.PAAS
    assert "its database Back DB stays on-premise" in got.blockers[0]
    assert got.conflicts and got.confidence is Confidence.MEDIUM


@pytest.mark.parametrize(
    ("as_of", "words"),
    [
        (dt.date(2026, 6, 1), "free on Azure VMs"),
        (dt.date(2026, 11, 1), "extended security updates ended 13 October 2026"),
    ],
)
def test_windows_2012_esu_path_depends_on_the_date(as_of: dt.date, words: str) -> None:
    got = _one(
        {
            "application": {"name": "Fin", "products": ["Civica Financials"]},
            "servers": [{"name": "f1", "os": "Windows Server 2012 R2"}],
        },
        as_of,
    )
    assert got.decision is Decision.IAAS
    assert any(words in b for b in got.blockers), got.blockers


def test_psn_blocker_wording_for_landing_zone_and_saas() -> None:
    rms = _one(
        {
            "application": {"name": "RMS", "products": ["Niche RMS"]},
            "servers": [{"name": "r1", "os": "Windows Server 2019"}],
            "depends_on": ["PNC", "PND"],
        }
    )
    assert "needs PSN for Policing connectivity from the landing zone (PNC, PND)" in rms.blockers
    mail = _one(
        {
            "application": {"name": "Mail"},
            "servers": [{"name": "m1", "os": "Windows Server 2016",
                         "software": ["Microsoft Exchange Server 2016"]}],
            "depends_on": ["PSN"],
        }
    )  # fmt: skip
    assert any(b.startswith("the SaaS supplier must connect to PSN") for b in mail.blockers)


def test_json_is_deterministic_whatever_the_input_order() -> None:
    fragment = {
        "application": {"name": "A"},
        "applications": [{"name": "b", "servers": ["s2"]}, {"name": "C", "servers": ["s3"]}],
        "servers": [
            {"name": "s1", "os": "Windows Server 2019"},
            {"name": "s2", "os": "Ubuntu 22.04", "software": ["PostgreSQL 14"]},
            {"name": "s3", "os": "AIX 7.2"},
        ],
    }
    inventory = fragment_inventory(fragment)
    reordered = inventory.model_copy(
        update={"applications": tuple(reversed(inventory.applications)),
                "servers": tuple(reversed(inventory.servers))}
    )  # fmt: skip
    first = to_json(classify(inventory, as_of=AS_OF))
    assert first == to_json(classify(inventory, as_of=AS_OF))
    assert first == to_json(classify(reordered, as_of=AS_OF))
    assert '"as_of": "2026-06-01"' in first


def test_explain_returns_none_for_unknown_application() -> None:
    inventory = fragment_inventory(
        {"application": {"name": "A"}, "servers": [{"name": "s1", "os": "Windows Server 2019"}]}
    )
    assert explain(inventory, "nope", as_of=AS_OF) is None
    outcome = explain(inventory, "a", as_of=AS_OF)
    assert outcome is not None
    assert len(outcome.evaluations) == len(Classifier(as_of=AS_OF).rules)


@pytest.mark.skipif(not EXAMPLESHIRE.exists(), reason="sample estate not present")
def test_every_exampleshire_application_gets_a_reasoned_decision() -> None:
    inventory = load_inventory([EXAMPLESHIRE], as_of=AS_OF).inventory
    result = classify(inventory, as_of=AS_OF)
    assert len(result.classifications) == len(inventory.applications)
    assert all(c.reasons and c.rules for c in result.classifications)
    assert sum(result.counts.values()) == len(inventory.applications)
    assert all(result.counts[d.value] > 0 for d in Decision)


def test_also_accept_counts_for_accepting_agreement_only(tmp_path: Path) -> None:
    from forcelift.migration.classify.evaluate import evaluate, load_labels

    labels = tmp_path / "labels.yaml"
    labels.write_text(
        "as_of: 2026-06-01\n"
        "cases:\n"
        "  - id: web\n"
        "    expected: IAAS\n"
        "    also_accept: [paas]\n"
        "    why: either\n"
        "    application: {name: Site, description: in-house web application}\n"
        "    servers: [{name: w1, os: Windows Server 2019, software: [IIS 10.0]}]\n"
        "  - id: strict\n"
        "    expected: SAAS\n"
        "    why: not PaaS\n"
        "    application: {name: Site 2, description: in-house web application}\n"
        "    servers: [{name: w2, os: Windows Server 2019, software: [IIS 10.0]}]\n"
    )
    cases, as_of = load_labels(labels)
    assert cases[0].also_accept == frozenset({Decision.PAAS})
    report = evaluate(cases, as_of=as_of or AS_OF)
    assert (report.agreed, report.accepted, report.total) == (0, 1, 2)
    assert [d.accepted for d in report.disagreements] == [True, False]
    assert [d.case.id for d in report.rejected] == ["strict"]
    data = report.to_dict()
    assert data["accepting_agreement"] == 0.5 and data["disagreements"][0]["accepted"] is True


def test_also_accept_must_name_decisions(tmp_path: Path) -> None:
    from forcelift.migration.classify.evaluate import load_labels
    from forcelift.migration.errors import InputError

    labels = tmp_path / "labels.yaml"
    labels.write_text(
        "cases:\n"
        "  - id: bad\n"
        "    expected: PAAS\n"
        "    also_accept: [MAYBE]\n"
        "    application: {name: X}\n"
    )
    with pytest.raises(InputError, match="also_accept"):
        load_labels(labels)
