"""Workload-class rules fire on the class, not on a word that also means something else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forcelift.migration.classify.catalogue import builtin_catalogue
from forcelift.migration.classify.engine import classify
from forcelift.migration.classify.evaluate import fragment_inventory
from forcelift.migration.classify.model import Classification, Decision

AS_OF = dt.date(2026, 6, 1)


def _one(fragment: dict[str, Any]) -> Classification:
    result = classify(fragment_inventory(fragment), as_of=AS_OF).by_application()
    return result[fragment["application"]["name"].lower()]


def _monitoring(notes: str) -> dict[str, Any]:
    return {
        "application": {"name": "App Dashboards", "user_count": 20, "notes": notes},
        "servers": [{"name": "graf01", "os": "Ubuntu 22.04", "software": ["Grafana 10.2"]}],
    }


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


@pytest.mark.parametrize(
    "notes",
    [
        "We will switch the alerts to Azure Monitor after the move",
        "Dashboards are kept in the git repository",
        "Sits behind the corporate web proxies",
    ],
)
def test_a_monitoring_tool_is_not_retained_for_a_verb_or_a_git_repository(notes: str) -> None:
    got = _one(_monitoring(notes))
    assert "RETAIN-001" not in got.rules, got.reasons
    assert got.decision is not Decision.RETAIN


@pytest.mark.parametrize("notes", ["Polls the core switches by SNMP", "Watches the UPSs"])
def test_a_monitoring_tool_that_polls_devices_stays(notes: str) -> None:
    got = _one(_monitoring(notes))
    assert "RETAIN-001" in got.rules and got.decision is Decision.RETAIN


def test_a_backup_tool_with_repositories_stays() -> None:
    got = _one(
        {
            "application": {"name": "Backup", "notes": "hardened Linux repositories on site"},
            "servers": [{"name": "b1", "os": "Windows Server 2019",
                         "software": ["Veeam Backup & Replication 12"]}],
        }
    )  # fmt: skip
    assert "RETAIN-001" in got.rules and got.decision is Decision.RETAIN


def _web(description: str) -> dict[str, Any]:
    return {
        "application": {"name": "Shift Swap", "user_count": 200, "description": description},
        "servers": [
            {"name": "ss01", "os": "Windows Server 2019",
             "software": ["IIS 10.0", "Microsoft .NET Framework 4.8"]},
            {"name": "ss02", "os": "Windows Server 2019",
             "software": ["Microsoft SQL Server 2019"]},
        ],
    }  # fmt: skip


def test_browser_local_storage_is_not_server_disk() -> None:
    got = _one(_web("In-house web app; drafts are cached in browser local storage"))
    assert "IAAS-005" not in got.rules and got.decision is Decision.PAAS


def test_files_on_the_servers_local_disk_need_a_vm() -> None:
    got = _one(_web("In-house web app; uploads are kept on local disk"))
    assert "IAAS-005" in got.rules and got.decision is Decision.IAAS


def test_the_dropbox_product_name_is_not_a_file_drop() -> None:
    got = _one(
        {
            "application": {"name": "Dropbox Business sync", "user_count": 200},
            "servers": [{"name": "db01", "os": "Windows Server 2019"}],
        }
    )
    assert "PAAS-006" not in got.rules


def test_the_version_after_the_name_beats_a_year_later_in_it() -> None:
    entry = builtin_catalogue().match("", "Apache Tomcat 6 for Windows Server 2008")
    assert entry is not None and entry.id == "apache-tomcat-legacy"
    entry = builtin_catalogue().match("", "Microsoft SQL Server (64-bit) 2016")
    assert entry is not None and entry.id == "microsoft-sql-server"


def test_a_pipeline_script_is_not_a_script_on_the_box() -> None:
    got = _one(_web("In-house web app, deployed by the pipeline with deploy.ps1"))
    assert "IAAS-005" not in got.rules and got.decision is Decision.PAAS
    got = _one(_web(r"In-house web app; a scheduled task runs D:\Jobs\nightly.ps1"))
    assert "IAAS-005" in got.rules and got.decision is Decision.IAAS


def test_a_generic_helpdesk_name_is_not_solarwinds_web_help_desk() -> None:
    assert builtin_catalogue().match_name("IT Web Helpdesk") is None
    entry = builtin_catalogue().match("SolarWinds", "Web Help Desk")
    assert entry is not None and entry.id == "solarwinds-web-help-desk"
