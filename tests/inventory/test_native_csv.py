"""Native CSV set: encodings, delimiters, aliases, per-server CMDB rows, and exact errors."""

from __future__ import annotations

import pytest

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import (
    Criticality,
    DependencyKind,
    ExternalService,
    OsFamily,
    PowerState,
    SecurityClassification,
)

SERVERS = (
    "name,fqdn,ip_addresses,os_name,os_version,cores,memory_mib,disks,power_state,"
    "cpu_percent,software\n"
    'RMS-APP01,rms-app01.x.police.uk,10.1.0.5 | 10.1.0.6,Windows Server 2016,,4,"8,192",'
    "C=100/40 | D=500/320,poweredOn,35,Microsoft:IIS:10\n"
    "\n"
    "RMS-DB01,,10.1.0.7,Red Hat Enterprise Linux 8,,8,16 GB,200,poweredOff,,\n"
)
APPS = (
    "Application,Owner,Business Criticality,Security Classification,Products,Server\n"
    "Records Management,Head of Crime,Tier 1,OFFICIAL-SENSITIVE,Niche Technology:Niche RMS:4.8,"
    "RMS-APP01\n"
    "Records Management,Head of Crime,Tier 1,OFFICIAL-SENSITIVE,,RMS-DB01\n"
)
DEPS = "source,target,protocol,port\nRecords Management,PNC,tcp,443\n"


def test_reads_a_complete_native_set(write) -> None:
    paths = [write("servers.csv", SERVERS), write("apps.csv", APPS), write("deps.csv", DEPS)]
    inv = load_inventory(paths).inventory
    app01, db01 = inv.servers
    assert (app01.cores, app01.memory_mib, app01.power_state) == (4, 8192, PowerState.ON)
    assert app01.ip_addresses == ("10.1.0.5", "10.1.0.6")
    assert [(d.name, d.provisioned_gib, d.used_gib) for d in app01.disks] == [
        ("C", 100, 40),
        ("D", 500, 320),
    ]
    assert app01.utilisation is not None and app01.utilisation.cpu_percent == 35
    assert app01.software[0].product == "IIS"
    assert db01.memory_mib == 16384 and db01.os.family is OsFamily.LINUX
    (app,) = inv.applications
    assert app.servers == ("RMS-APP01", "RMS-DB01")
    assert app.criticality is Criticality.CRITICAL
    assert app.classification is SecurityClassification.OFFICIAL_SENSITIVE
    (dep,) = inv.dependencies
    assert dep.kind is DependencyKind.EXTERNAL and dep.service is ExternalService.PNC


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_encodings_and_delimiters(write, encoding: str, delimiter: str) -> None:
    content = (
        f"name{delimiter}cores{delimiter}memory_gib{delimiter}annotation\n"
        f"café-01{delimiter}2{delimiter}4{delimiter}Owner: Mr O’Brien – HQ\n"
    )
    inv = load_inventory([write("servers.csv", content, encoding)]).inventory
    (server,) = inv.servers
    assert server.name == "café-01"
    assert server.memory_mib == 4096
    assert server.annotation == "Owner: Mr O’Brien – HQ"


def test_conflicting_rows_of_one_application_are_errors(write) -> None:
    apps = "application,criticality,server\nCustody,critical,a\nCustody,low,b\n"
    with pytest.raises(InputError) as err:
        load_inventory([write("apps.csv", apps)])
    text = str(err.value)
    assert "apps.csv" in text and "row 3" in text and "criticality" in text


def test_every_bad_cell_is_reported_with_row_and_column(write) -> None:
    servers = "name,cores,memory_mib\na,two,4096\nb,2,lots\n,2,4096\n"
    path = write("servers.csv", servers)
    with pytest.raises(InputError) as err:
        load_inventory([path])
    # a row without a name stays an error; unreadable sizes are warnings unless --strict
    assert [(p.location.row, p.location.column) for p in err.value.problems] == [(4, "name")]
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    problems = err.value.problems
    assert [(p.location.row, p.location.column) for p in problems] == [
        (2, "cores"),
        (3, "memory_mib"),
        (4, "name"),
    ]
    assert all(p.location.file and p.location.file.endswith("servers.csv") for p in problems)


def test_missing_required_column_names_it(write) -> None:
    with pytest.raises(InputError) as err:
        load_inventory([write("servers.csv", "name,cores\na,2\n")])
    assert "memory_mib" in str(err.value)


def test_secret_classification_is_rejected(write) -> None:
    apps = "application,classification,server\nSpecial Branch,SECRET,a\n"
    with pytest.raises(InputError) as err:
        load_inventory([write("apps.csv", apps)])
    assert "out of scope" in str(err.value) and "row 2" in str(err.value)
