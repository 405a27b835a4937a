"""AWS Migration Hub / Application Discovery Service import CSV: reader, writer, round trip.

Golden files are under data/aws_migration_hub/expected; regenerate them with
FORCELIFT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.export.aws_migration_hub import (
    HEADER,
    aws_import_csv_text,
    write_aws_import_csv,
)
from forcelift.migration.inventory.load import detect_format, load_inventory
from forcelift.migration.inventory.model import (
    Application,
    Disk,
    Inventory,
    OperatingSystem,
    Server,
    Utilisation,
)
from forcelift.migration.inventory.readers import READERS, Source, aws_migration_hub
from forcelift.migration.inventory.readers.aws_migration_hub import parse_tags
from forcelift.migration.inventory.writer import inventory_to_yaml

DATA = Path(__file__).parent / "data" / "aws_migration_hub"
TEMPLATE = DATA / "import_template.csv"
VARIANT = DATA / "import_variant_cp1252.csv"


@pytest.mark.parametrize("fixture", [TEMPLATE, VARIANT], ids=lambda p: p.name)
def test_golden(fixture: Path) -> None:
    actual = inventory_to_yaml(load_inventory([fixture]).inventory)
    golden = DATA / "expected" / f"{fixture.stem}.yaml"
    if os.environ.get("FORCELIFT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_template_mapping() -> None:
    result = load_inventory([TEMPLATE])
    sql, app, anpr, old = result.inventory.servers
    # Name: VMware.VMName, else the short HostName (FQDN kept), else ExternalId.
    assert (sql.name, sql.fqdn) == ("CUS-SQL01", "cus-sql01.exampleshire.police.uk")
    assert (anpr.name, anpr.fqdn) == ("anpr-gw01", "anpr-gw01.exampleshire.police.uk")
    assert old.name == "CMDB-2001"
    # Cores: logical cores, else NumberOfCores (a total), else NumberOfProcessors.
    assert [s.cores for s in (sql, app, anpr, old)] == [16, 4, 2, 2]
    assert sql.ip_addresses == ("10.20.1.10", "10.20.1.11")
    # Peak values: CPU.UsagePct.Max, RAM.UsedSizeInMB.Max / total, Max disk ops, Max network KB/s.
    assert sql.utilisation == Utilisation(
        cpu_percent=55.34, memory_percent=75, iops=1083 + 535, network_mbps=(4000 + 1000) * 0.008
    )
    # Averages when there is no maximum.
    assert app.utilisation is not None
    assert app.utilisation.model_dump() == {
        "cpu_percent": 12,
        "memory_percent": 25,
        "iops": 30,
        "network_mbps": pytest.approx(1.2),
    }
    assert sql.tags == {"zone": "hq", "critical": "yes", "wave": "1"}
    assert anpr.tags == {"owner": "Roads Policing", "wave": "2"}
    # More memory used than installed: a warning, capped at 100 %.
    assert old.utilisation == Utilisation(cpu_percent=70, memory_percent=100)
    (capped,) = [w for w in result.warnings if "more than the total" in w.message]
    assert (capped.location.row, capped.location.column) == (5, "RAM.UsedSizeInMB.Max")


def test_applications_column_yields_workloads_with_waves() -> None:
    apps = {a.name: a for a in load_inventory([TEMPLATE]).inventory.applications}
    assert apps["Custody"].servers == ("CUS-SQL01", "CUS-APP01")
    assert apps["Custody"].notes == "wave: 1"
    assert apps["Intelligence"].servers == ("CUS-SQL01",)
    assert (apps["ANPR"].servers, apps["ANPR"].notes) == (("anpr-gw01",), "wave: 2")
    # The server in no application gets a derived workload of its own.
    assert apps["CMDB-2001"].servers == ("CMDB-2001",)


def test_servers_of_one_application_in_several_waves(write) -> None:
    content = (
        "HostName,RAM.TotalSizeInMB,CPU.NumberOfLogicalCores,Applications,ApplicationWave\n"
        "a,1024,1,Payroll,10\nb,1024,1,Payroll,2\nc,1024,1,Payroll,2\n"
    )
    (app,) = load_inventory([write("aws.csv", content)]).inventory.applications
    assert app.notes == "waves: 2, 10"


def test_variant_case_semicolons_cp1252_units_extra_columns() -> None:
    sql, app, anpr = load_inventory([VARIANT]).inventory.servers
    assert (sql.name, sql.cores, sql.memory_mib) == ("cus-sql01", 16, 32768)  # "32,768"
    assert sql.utilisation == Utilisation(cpu_percent=55.34, memory_percent=75)  # "55,34", "24 GB"
    assert sql.tags == {"zone": "hq", "critical": "yes", "wave": "1"}  # "|"-separated tags
    assert (app.memory_mib, app.utilisation) == (16384, None)  # "16 GB", CPU "n/a"
    assert anpr.tags["owner"] == "Roads Policing"  # name=value


@pytest.mark.parametrize(
    ("cell", "tags"),
    [
        ("zone:1, critical:yes", {"zone": "1", "critical": "yes"}),
        ("zone:3, critical:no, zone:1", {"zone": "3, 1", "critical": "no"}),
        ("owner:Smith, ICT; env=prod", {"owner": "Smith, ICT", "env": "prod"}),
        ("url:https://intranet:8443/x", {"url": "https://intranet:8443/x"}),
        ("", {}),
    ],
)
def test_tags(cell: str, tags: dict[str, str]) -> None:
    assert parse_tags(cell) == tags


@pytest.mark.parametrize("cell", ["critical", ":yes", "a:1, :2"])
def test_tags_without_a_name_are_errors(cell: str) -> None:
    with pytest.raises(ValueError, match="has no name"):
        parse_tags(cell)


def test_row_without_identifier_is_an_error(write) -> None:
    content = (
        "ExternalId,HostName,VMware.MoRefId,VMware.VCenterId,VMware.VMName,RAM.TotalSizeInMB,"
        "CPU.NumberOfLogicalCores\n"
        "id-1,,,,,1024,1\n"
        ",,,,orphan,1024,1\n"
        ",,vm-7,,half-pair,1024,1\n"
        ",,vm-8,vc-1,pair,1024,1\n"
    )
    with pytest.raises(InputError) as err:
        load_inventory([write("aws.csv", content)])
    problems = err.value.problems
    assert [(p.location.row, p.location.column) for p in problems] == [
        (3, None),
        (4, "VMware.MoRefId"),
    ]
    assert "no identifier" in problems[0].message and "ExternalId" in problems[0].message
    assert "without VMware.VCenterId" in problems[1].message
    assert all(p.location.file and p.location.file.endswith("aws.csv") for p in problems)


def test_row_without_memory_is_unsized_with_a_warning_and_strict_makes_it_an_error(
    write,
) -> None:
    content = "HostName,RAM.TotalSizeInMB,CPU.NumberOfCores\nweb01,,2\nweb02,lots,2\nweb03,2048,2\n"
    path = write("aws.csv", content)
    result = load_inventory([path])
    web01, web02, web03 = result.inventory.servers
    assert (web01.memory_mib, web02.memory_mib, web03.memory_mib) == (None, None, 2048)
    assert web01.unsized_reason == "RAM.TotalSizeInMB is blank in aws.csv row 2"
    found = [(p.location.row, p.location.column) for p in result.warnings if p.code == "unsized"]
    assert found == [(2, "RAM.TotalSizeInMB"), (3, "RAM.TotalSizeInMB")]
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    found = [(p.location.row, p.location.column) for p in err.value.problems]
    assert found == [(2, "RAM.TotalSizeInMB"), (3, "RAM.TotalSizeInMB")]
    assert "expected a number, got 'lots'" in err.value.problems[1].message


def test_missing_memory_column_is_named(write) -> None:
    content = "HostName,CPU.NumberOfCores,CPU.UsagePct.Max\nweb01,2,50\n"
    with pytest.raises(InputError) as err:
        load_inventory([write("aws.csv", content)])
    (problem,) = err.value.problems
    assert "RAM.TotalSizeInMB" in problem.message and "not found" in problem.message


def test_bad_numbers_and_missing_cpu_count(write) -> None:
    content = (
        "HostName,RAM.TotalSizeInMB,CPU.NumberOfLogicalCores,CPU.UsagePct.Max,Tags\n"
        "web01,1024,two,50,\n"
        "web02,1024,2,150,\n"
        "web03,1024,,,\n"
        "web04,1024,0,,\n"
        "web05,1024,1,,orphan\n"
    )
    path = write("aws.csv", content)
    with pytest.raises(InputError) as err:
        load_inventory([path])
    # a bad percentage and a bad tag are still errors; CPU counts that give no value are not
    assert [(p.location.row, p.location.column) for p in err.value.problems] == [
        (3, "CPU.UsagePct.Max"),
        (6, "Tags"),
    ]
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    assert [(p.location.row, p.location.column) for p in err.value.problems] == [
        (2, "CPU.NumberOfLogicalCores"),
        (3, "CPU.UsagePct.Max"),
        (4, "CPU.NumberOfLogicalCores"),
        (5, "CPU.NumberOfLogicalCores"),
        (6, "Tags"),
    ]
    assert "CPU.NumberOfLogicalCores is blank" in err.value.problems[2].message


# -- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", [TEMPLATE, VARIANT], ids=lambda p: p.name)
def test_each_fixture_is_detected_as_exactly_its_own_format(fixture: Path) -> None:
    assert [spec.name for spec in READERS if spec.detect(Source(fixture))] == ["aws-migration-hub"]
    spec = detect_format(Source(fixture))
    assert spec is not None and spec.name == "aws-migration-hub"


def test_other_csvs_are_not_claimed(write) -> None:
    others = [
        write("servers.csv", "name,cores,memory_mib,os_name,os_version\nweb01,2,4096,Windows,\n"),
        write("azure.csv", "*Server name,*Cores,*Memory (In MB),*OS name,OS version,MAC address\n"),
        write("RVTools_tabvInfo.csv", "VM,Powerstate,CPUs,Memory,DNS Name,Primary IP Address\n"),
        write("apps.csv", "Application,Owner,Server\nIntranet,ICT,web01\n"),
    ]
    for path in others:
        assert not aws_migration_hub.detect(Source(path)), path


# -- writer and round trip --------------------------------------------------------------------


def _estate() -> Inventory:
    return Inventory(
        servers=(
            Server(
                name="RMS-APP01",
                fqdn="rms-app01.exampleshire.police.uk",
                ip_addresses=("10.1.0.5", "10.1.0.6"),
                os=OperatingSystem(name="Windows Server 2016", version="1607"),
                cores=4,
                memory_mib=8192,
                disks=(Disk(provisioned_gib=100),),
                utilisation=Utilisation(
                    cpu_percent=35.5, memory_percent=61.37, iops=250, network_mbps=12.5
                ),
                tags={"wave": "2", "owner": "Smith, ICT", "bad": "a, b:c"},
            ),
            Server(name="RMS-DB01", cores=8, memory_mib=16384),
            Server(name="10.9.8.7", cores=1, memory_mib=512),
        ),
        applications=(
            Application(name="Records Management", servers=("RMS-APP01", "RMS-DB01")),
            Application(name="Reporting", servers=("RMS-DB01",)),
        ),
    )


def test_round_trip_keeps_servers_applications_and_waves(tmp_path: Path) -> None:
    estate = _estate()
    path = tmp_path / "aws.csv"
    write_aws_import_csv(estate, path)
    assert path.read_text().splitlines()[0] == ",".join(HEADER)
    result = load_inventory([path])
    assert result.sources == [(str(path), "aws-migration-hub")]
    back = result.inventory
    for before, after in zip(estate.servers, back.servers, strict=True):
        assert (after.name, after.cores, after.memory_mib) == (
            before.name,
            before.cores,
            before.memory_mib,
        )
        assert (after.os.name, after.os.version, after.ip_addresses) == (
            before.os.name,
            before.os.version,
            before.ip_addresses,
        )
        assert after.disks == ()  # the template has no disk sizes
        if before.utilisation is None:
            assert after.utilisation is None
        else:
            assert after.utilisation is not None
            for field in ("cpu_percent", "memory_percent", "iops", "network_mbps"):
                assert getattr(after.utilisation, field) == pytest.approx(
                    getattr(before.utilisation, field), abs=0.01
                ), field
    app01 = back.servers[0]
    assert app01.fqdn == "rms-app01.exampleshire.police.uk"
    # Tags the cell cannot carry back unchanged are left out; the wave has its own column.
    assert app01.tags == {"owner": "Smith, ICT", "wave": "2"}
    apps = {a.name: a for a in back.applications}
    assert apps["Records Management"].servers == ("RMS-APP01", "RMS-DB01")
    assert apps["Records Management"].notes == "wave: 2"
    assert apps["Reporting"].servers == ("RMS-DB01",)


def test_writer_rejects_application_names_the_column_cannot_hold() -> None:
    estate = _estate().model_copy(
        update={"applications": (Application(name="Finance, HR", servers=("RMS-DB01",)),)}
    )
    with pytest.raises(InputError, match="Finance, HR"):
        aws_import_csv_text(estate)


# -- malformed input never escapes as anything but InputError ---------------------------------

_IDENTIFIERS = [
    "ExternalId",
    "IPAddress",
    "MACAddress",
    "HostName",
    "VMware.MoRefId",
    "VMware.VCenterId",
]
_OTHERS = [
    "VMware.VMName",
    "RAM.TotalSizeInMB",
    "RAM.UsedSizeInMB.Avg",
    "RAM.UsedSizeInMB.Max",
    "CPU.NumberOfProcessors",
    "CPU.NumberOfCores",
    "CPU.NumberOfLogicalCores",
    "CPU.UsagePct.Max",
    "DiskReadsOpsPerSecond.Max",
    "NetworkWritesPerSecondInKB.Avg",
    "Applications",
    "ApplicationWave",
    "Tags",
]
_CELLS = st.one_of(
    st.sampled_from(
        ["", "8", "8,192", "16 GB", "-1", "0", "N/A", "55,3", "101", "a:b", ":x", "x, y", "web01"]
    ),
    st.text(max_size=10),
)


@st.composite
def _csv_bytes(draw: st.DrawFn) -> bytes:
    header = [
        *draw(st.lists(st.sampled_from(_IDENTIFIERS), unique=True, max_size=3)),
        *draw(st.lists(st.sampled_from(_OTHERS), unique=True, min_size=1, max_size=8)),
    ]
    header = [
        draw(st.sampled_from([h, h.lower(), h.upper(), f" {h} "]))
        for h in draw(st.permutations(header))
    ]
    rows = draw(
        st.lists(
            st.lists(_CELLS, min_size=max(0, len(header) - 1), max_size=len(header) + 1), max_size=5
        )
    )
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ";"]))).writerows([header, *rows])
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.replace('"', "", draw(st.integers(0, 3)))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=_csv_bytes(), forced=st.booleans())
def test_malformed_csv_only_ever_raises_input_error(content: bytes, forced: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "aws.csv"
        path.write_bytes(content)
        try:
            load_inventory([path], forced_format="aws-migration-hub" if forced else None)
        except InputError as exc:
            assert not [p for p in exc.problems if p.message.startswith("could not read as")]
