"""Large data moves (DATA-002): a mailbox move takes the mail migration path and a SaaS move
the vendor's, never a cloud provider's data box; a plan for one cloud names only its own
device (issue 16: Data Box / Snowball suggested for mailboxes and shown for the other cloud)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forcelift.migration.classify.engine import classify
from forcelift.migration.classify.rules.data_security import DEVICE_CHOICE, offline_device
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.plan.planfile import Plan

DEVICES = ("Data Box", "Snowball")


def _large(inventory: Inventory) -> dict[str, tuple[str, str]]:
    result = classify(inventory, as_of=dt.date(2026, 11, 25))
    return {
        c.application: (c.decision.value, b)
        for c in result.classifications
        for b in c.blockers
        if "TiB" in b
    }


def test_mailbox_and_saas_moves_get_no_data_box(inventory: Inventory) -> None:
    large = _large(inventory)
    decision, text = large["Microsoft Exchange 2016"]
    assert decision == "SAAS"
    assert "mail migration" in text
    saas = [t for d, t in large.values() if d == "SAAS"]
    assert len(saas) >= 2
    assert not any(device in t for t in saas for device in DEVICES)
    built = [t for d, t in large.values() if d in ("IAAS", "PAAS")]
    assert built and all("Azure Data Box / AWS Snowball" in t for t in built)


def test_a_one_cloud_plan_names_only_its_device() -> None:
    text = f"12.8 TiB to transfer: plan {DEVICE_CHOICE} or a long seeding window"
    assert "AWS Snowball" not in offline_device(text, ("azure",))
    assert "(Azure Data Box)" in offline_device(text, ("azure",))
    assert "(AWS Snowball)" in offline_device(text, ("aws",))
    assert "(Azure Data Box / AWS Snowball)" in offline_device(text, ("azure", "aws"))


def test_the_azure_report_never_mentions_snowball(plan: Plan, report_dir: Path) -> None:
    assert [c.cloud for c in plan.clouds] == ["azure"]
    assert any("Snowball" in b for w in plan.workloads for b in w.blockers)  # in the plan data
    for name in ("index.html", "summary.md", "decisions.csv"):
        text = (report_dir / name).read_text(encoding="utf-8")
        assert "Snowball" not in text, name
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    csv = (report_dir / "decisions.csv").read_text(encoding="utf-8")
    assert "Azure Data Box" in csv or "Azure Data Box" in html
