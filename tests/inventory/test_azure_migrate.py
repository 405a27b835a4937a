"""Azure Migrate: the import CSV template and the discovery / assessment / software workbooks.

Golden files are under data/azure_migrate/expected; regenerate them with
FORCELIFT_UPDATE_GOLDEN=1 and review the diff. Workbook fixtures come from
data/azure_migrate/make_workbooks.py.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.export.azure_migrate import (
    azure_migrate_csv_text,
    write_azure_migrate_csv,
    write_azure_migrate_workbook,
)
from forcelift.migration.inventory.load import detect_format, load_inventory
from forcelift.migration.inventory.model import (
    Application,
    Assessment,
    Disk,
    Inventory,
    OperatingSystem,
    OsFamily,
    PowerState,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.inventory.normalise import is_missing
from forcelift.migration.inventory.readers import READERS, Source, azure_migrate_csv
from forcelift.migration.inventory.writer import inventory_to_yaml

DATA = Path(__file__).parent / "data" / "azure_migrate"
TEMPLATE = DATA / "import_template.csv"
VARIANT = DATA / "import_variant_cp1252.csv"
DISCOVERY = DATA / "discovery_report.xlsx"
ASSESSMENT = DATA / "assessment_export.xlsx"
SOFTWARE = DATA / "software_inventory.xlsx"

HEADER = "*Server name,*Cores,*Memory (In MB),*OS name"


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = xlsxwriter.Workbook(path)
    for name, rows in sheets.items():
        ws = workbook.add_worksheet(name)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
    workbook.close()
    return path


# -- golden files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture", [TEMPLATE, VARIANT, DISCOVERY, ASSESSMENT], ids=lambda p: p.name
)
def test_golden(fixture: Path) -> None:
    actual = inventory_to_yaml(load_inventory([fixture]).inventory)
    golden = DATA / "expected" / f"{fixture.stem}.yaml"
    if os.environ.get("FORCELIFT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


# -- import CSV -------------------------------------------------------------------------------


def test_template_maps_every_documented_column() -> None:
    sql, app, anpr = load_inventory([TEMPLATE]).inventory.servers
    assert (sql.name, sql.fqdn) == ("CUS-SQL01", "CUS-SQL01.exampleshire.police.uk")
    assert sql.ip_addresses == ("10.20.1.10", "10.20.1.11")
    assert (sql.cores, sql.memory_mib) == (8, 32768)
    assert (sql.os.family, sql.os.version) == (OsFamily.WINDOWS, "10.0.17763")
    assert [(d.name, d.provisioned_gib) for d in sql.disks] == [("Disk 1", 100), ("Disk 2", 500)]
    # IOPS: per-disk read + write ops (120 + 80 + 300 + 150); network: (3.5 + 1.5) MB/s × 8.
    assert sql.utilisation == Utilisation(
        cpu_percent=42.5, memory_percent=71, iops=650, network_mbps=40
    )
    assert sql.tags == {"boot_type": "UEFI", "os_architecture": "x64"}
    assert app.utilisation == Utilisation(
        cpu_percent=18, memory_percent=45, iops=35, network_mbps=16
    )
    assert anpr.utilisation is None and anpr.disks[0].provisioned_gib == 40


def test_variant_case_spacing_semicolons_cp1252_units() -> None:
    result = load_inventory([VARIANT])
    sql, app, anpr = result.inventory.servers
    assert (sql.name, sql.memory_mib, sql.cores) == ("CUS-SQL01", 32768, 8)  # "32,768"
    assert sql.utilisation == Utilisation(cpu_percent=42.5, memory_percent=71)  # "42,5", "71 %"
    assert [d.provisioned_gib for d in sql.disks] == [100, 500]  # "500 GB"
    assert app.memory_mib == 16384  # "16 GB"
    assert app.utilisation == Utilisation(memory_percent=45)  # CPU "N/A" is absent, not an error
    assert anpr.disks[0].provisioned_gib == 1024  # "1 TB"
    assert (sql.datacentre, anpr.datacentre) == ("Headquarters", "Western Division")
    custody, anpr_app = result.inventory.applications
    assert (custody.name, custody.owner) == ("Custody", "Insp. Zoë Hughes")  # cp1252 decoded
    assert custody.servers == ("CUS-SQL01", "CUS-APP01")
    assert anpr_app.servers == ("ANPR-GW01",)


def test_application_columns_become_software_evidence(write) -> None:
    path = write(
        "import.csv",
        f"{HEADER},Application 1 name,Application 1 version,Application 2 name\n"
        "web01,2,4096,Windows Server 2019,IIS,10.0,Sophos Endpoint\n",
    )
    (server,) = load_inventory([path]).inventory.servers
    assert server.software == (
        SoftwareProduct(product="IIS", version="10.0"),
        SoftwareProduct(product="Sophos Endpoint"),
    )


def test_total_disk_ops_are_used_when_no_per_disk_ops(write) -> None:
    path = write(
        "import.csv",
        f"{HEADER},Total disks read ops (operations per second),Total disks write ops\n"
        "web01,2,4096,Windows,100,50.5\n",
    )
    (server,) = load_inventory([path]).inventory.servers
    assert server.utilisation == Utilisation(iops=150.5)


def test_missing_mandatory_column_is_named(write) -> None:
    path = write("import.csv", "*Server name,*Cores,*OS name\nweb01,2,Windows\n")
    with pytest.raises(InputError) as err:
        load_inventory([path], forced_format="azure-migrate-csv")
    (problem,) = err.value.problems
    assert "Memory (In MB)" in problem.message and "not found" in problem.message
    assert problem.location.file and problem.location.file.endswith("import.csv")


def test_every_bad_cell_is_reported_with_row_and_column(write) -> None:
    path = write(
        "import.csv",
        f"{HEADER},CPU utilization percentage,Disk 1 size (In GB)\n"
        "web01,two,4096,Windows,10,100\n"
        "web02,2,lots,Windows,150,100\n"
        "web03,2,4096,,10,-5\n"
        "web04,0,4096,Windows,,\n",
    )
    with pytest.raises(InputError) as err:
        load_inventory([path])
    # unreadable or zero sizes (rows 2, 3, 5) are warnings now (unsized servers, issue 11)
    assert [(p.location.row, p.location.column) for p in err.value.problems] == [
        (3, "CPU utilization percentage"),
        (4, "Disk 1 size (In GB)"),
    ]
    assert "percentage 150 is outside" in err.value.problems[0].message
    assert all(
        p.location.file and p.location.file.endswith("import.csv") for p in err.value.problems
    )


def test_blank_os_name_is_a_warning_not_an_error(write) -> None:
    result = load_inventory([write("import.csv", f"{HEADER}\nweb01,2,4096,\n")])
    assert result.inventory.servers[0].os.family is OsFamily.UNKNOWN
    (warning,) = [w for w in result.warnings if "OS name is empty" in w.message]
    assert (warning.location.row, warning.location.column) == (2, "*OS name")


def test_more_rows_than_azure_accepts_is_a_warning(write, monkeypatch) -> None:
    monkeypatch.setattr(azure_migrate_csv, "ROW_LIMIT", 2)
    rows = "".join(f"web{i},2,4096,Windows\n" for i in range(3))
    result = load_inventory([write("import.csv", f"{HEADER}\n{rows}")])
    assert len(result.inventory.servers) == 3
    assert any("at most 2 per file" in w.message for w in result.warnings)


# -- workbooks --------------------------------------------------------------------------------


def test_discovery_report_with_software_sheets() -> None:
    result = load_inventory([DISCOVERY])
    sql, app, old = result.inventory.servers
    assert (sql.name, sql.cores, sql.memory_mib, sql.power_state) == (
        "CUS-SQL01",
        8,
        32768,
        PowerState.ON,
    )
    assert old.power_state is PowerState.OFF and old.tags["environment"] == "Hyper-V"
    assert (
        SoftwareProduct(
            vendor="Microsoft",
            product="SQL Server",
            version="15.0.4360.2",
            edition="Enterprise Edition",
        )
        in sql.software
    )
    assert SoftwareProduct(product="PostgreSQL", version="13.4") in app.software
    assert (
        SoftwareProduct(vendor="Niche Technology", product="NICHE Custody Interface", version="4.8")
        in app.software
    )
    unknown = [w for w in result.warnings if "HR-APP09" in w.message]
    assert unknown and unknown[0].location.sheet == "ApplicationInventory"


def test_assessment_export_gives_utilisation_storage_and_host() -> None:
    sql, app = load_inventory([ASSESSMENT]).inventory.servers
    assert sql.utilisation == Utilisation(cpu_percent=42.5, memory_percent=71)
    assert [d.provisioned_gib for d in sql.disks] == [600]
    assert sql.host == "esx-hq-04.exampleshire.police.uk"
    assert app.utilisation == Utilisation(cpu_percent=18.25)  # memory usage "NA"
    assert is_missing("Not available")  # the one no-value test the readers apply
    assert app.disks[0].provisioned_gib == 80  # "80 GB"


def test_software_workbook_attaches_to_servers_from_a_csv() -> None:
    for paths in ([TEMPLATE, SOFTWARE], [SOFTWARE, TEMPLATE]):
        result = load_inventory(paths)
        servers = {s.name: s for s in result.inventory.servers}
        assert servers["CUS-SQL01"].software == (
            SoftwareProduct(
                vendor="Veeam", product="Veeam Agent for Microsoft Windows", version="6.1"
            ),
            SoftwareProduct(
                vendor="Microsoft",
                product="SQL Server",
                version="13.0.5026.0",
                edition="Standard Edition",
            ),
        )
        assert servers["CUS-APP01"].software[0].product == "NICHE Custody Interface"
        assert servers["ANPR-GW01"].software == ()
        assert [w.location.row for w in result.warnings if "HR-APP09" in w.message] == [4]


def test_discovery_and_assessment_sheets_in_one_workbook_are_joined(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "both.xlsx",
        {
            "Discovery_Report": [
                ["Machine Name", "Operating System", "Cores", "Memory (in MB)"],
                ["web01", "Windows Server 2019", 2, 4096],
            ],
            "All_Assessed_Machines": [
                ["Machine", "Cores", "Memory(MB)", "CPU usage(%)", "Storage(GB)"],
                ["WEB01", 4, 4096, 30, 120],
                ["web02", 2, 2048, 10, 60],
            ],
        },
    )
    result = load_inventory([path])
    web01, web02 = result.inventory.servers
    assert (web01.cores, web01.utilisation, web01.provisioned_gib) == (
        2,
        Utilisation(cpu_percent=30),
        120,
    )
    assert web02.memory_mib == 2048
    (conflict,) = [w for w in result.warnings if w.code == "conflict"]
    assert "Cores is 2" in conflict.message and conflict.location.sheet == "All_Assessed_Machines"


def test_workbook_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "bad.xlsx",
        {
            "Discovery_Report": [
                ["Machine Name", "Cores", "Memory (in MB)"],
                ["web01", "two", 4096],
                ["web02", 2, None],
            ],
            "SQLServer": [["Instance Name", "Version"], ["MSSQLSERVER", "15.0"]],
        },
    )
    with pytest.raises(InputError) as err:
        load_inventory([path])
    found = [
        (p.location.sheet, p.location.row, p.location.column, p.severity.value)
        for p in err.value.problems
    ]
    # the unreadable and blank sizes are warnings (unsized servers); --strict makes them errors
    assert found == [("SQLServer", 1, None, "error")]
    assert "MachineName" in err.value.problems[0].message
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    found = [(p.location.sheet, p.location.row, p.location.column) for p in err.value.problems]
    assert sorted(found, key=str) == [
        ("Discovery_Report", 2, "Cores"),
        ("Discovery_Report", 3, "Memory (in MB)"),
        ("SQLServer", 1, None),
    ]


def test_workbook_missing_cores_column_is_named(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "bad.xlsx",
        {"All_Assessed_Machines": [["Machine", "Memory(MB)"], ["web01", 4096]]},
    )
    with pytest.raises(InputError) as err:
        load_inventory([path])
    assert "'Cores" in str(err.value) and "All_Assessed_Machines" in str(err.value)


# -- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (TEMPLATE, "azure-migrate-csv"),
        (VARIANT, "azure-migrate-csv"),
        (DISCOVERY, "azure-migrate-workbook"),
        (ASSESSMENT, "azure-migrate-workbook"),
        (SOFTWARE, "azure-migrate-workbook"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_each_fixture_is_detected_as_exactly_its_own_format(fixture: Path, expected: str) -> None:
    assert [spec.name for spec in READERS if spec.detect(Source(fixture))] == [expected]
    spec = detect_format(Source(fixture))
    assert spec is not None and spec.name == expected


def test_native_and_rvtools_files_are_not_claimed(write, tmp_path: Path) -> None:
    from forcelift.migration.inventory.readers import azure_migrate_workbook

    native = write("servers.csv", "name,cores,memory_mib,os_name\nweb01,2,4096,Windows\n")
    native_named = write(
        "servers2.csv", "server name,cores,memory,os name,power state\nweb01,2,4096,Windows,on\n"
    )
    rvtools_csv = write(
        "RVTools_tabvInfo.csv",
        "VM,Powerstate,CPUs,Memory,Provisioned MiB,OS according to the configuration file\n"
        "web01,poweredOn,2,4096,40960,Microsoft Windows Server 2019 (64-bit)\n",
    )
    rvtools_xlsx = _xlsx(
        tmp_path / "rvtools.xlsx",
        {"vInfo": [["VM", "CPUs", "Memory"], ["web01", 2, 4096]], "vDisk": [["VM", "Disk"]]},
    )
    unrelated = _xlsx(tmp_path / "other.xlsx", {"Sheet1": [["Machine", "Cores"], ["a", 1]]})
    for path in (native, native_named, rvtools_csv, rvtools_xlsx, unrelated):
        assert not azure_migrate_csv.detect(Source(path)), path
        assert not azure_migrate_workbook.detect(Source(path)), path
    with pytest.raises(InputError, match="cannot tell which inventory format"):
        load_inventory([unrelated])


# -- writers and round trip -------------------------------------------------------------------


def _estate() -> Inventory:
    return Inventory(
        servers=(
            Server(
                name="RMS-APP01",
                ip_addresses=("10.1.0.5", "10.1.0.6"),
                os=OperatingSystem(name="Windows Server 2016", version="1607"),
                cores=4,
                memory_mib=8192,
                disks=(
                    Disk(name="C", provisioned_gib=100, used_gib=40),
                    Disk(provisioned_gib=499.5),
                ),
                power_state=PowerState.ON,
                utilisation=Utilisation(
                    cpu_percent=35.5, memory_percent=61.3, iops=250, network_mbps=12.5
                ),
                software=(
                    SoftwareProduct(
                        vendor="Microsoft", product="SQL Server", version="15.0", edition="Standard"
                    ),
                    SoftwareProduct(vendor="Microsoft", product="IIS", version="10"),
                    SoftwareProduct(product="MySQL", version="8.0"),
                ),
                tags={"boot_type": "UEFI"},
            ),
            Server(
                name="RMS-DB01",
                os=OperatingSystem(name="Red Hat Enterprise Linux 8"),
                cores=8,
                memory_mib=16384,
                disks=tuple(Disk(provisioned_gib=10 * (i + 1)) for i in range(10)),
                power_state=PowerState.OFF,
            ),
            Server(name="=SUM(1)", cores=1, memory_mib=512),
        ),
        applications=(
            Application(
                name="Records Management", owner="Head of Crime", servers=("RMS-APP01", "RMS-DB01")
            ),
        ),
    )


def test_csv_round_trip_keeps_the_servers(tmp_path: Path) -> None:
    estate = _estate()
    path = tmp_path / "azure.csv"
    write_azure_migrate_csv(estate, path)
    assert path.read_text().startswith("*Server name,IP addresses,*Cores,*Memory (In MB),*OS name")
    result = load_inventory([path])
    assert result.sources == [(str(path), "azure-migrate-csv")]
    back = result.inventory
    for before, after in zip(estate.servers, back.servers, strict=True):
        assert (after.name, after.cores, after.memory_mib) == (
            before.name,
            before.cores,
            before.memory_mib,
        )
        assert (after.os.name, after.os.version) == (before.os.name, before.os.version)
        assert after.ip_addresses == before.ip_addresses
        assert after.utilisation == before.utilisation
        assert after.provisioned_gib == pytest.approx(before.provisioned_gib, abs=len(before.disks))
    app01, db01, _ = back.servers
    assert [d.provisioned_gib for d in app01.disks] == [100, 500]  # rounded up to whole GB
    assert len(db01.disks) == 8 and db01.disks[-1].provisioned_gib == 80 + 90 + 100  # folded
    (app,) = back.applications[:1]
    assert (app.name, app.owner, app.servers) == (
        "Records Management",
        "Head of Crime",
        ("RMS-APP01", "RMS-DB01"),
    )


def test_workbook_round_trip_keeps_servers_and_software(tmp_path: Path) -> None:
    estate = _estate()
    path = tmp_path / "azure.xlsx"
    write_azure_migrate_workbook(estate, path)
    back = load_inventory([path]).inventory
    for before, after in zip(estate.servers, back.servers, strict=True):
        assert (after.name, after.cores, after.memory_mib, after.os.name) == (
            before.name,
            before.cores,
            before.memory_mib,
            before.os.name,
        )
        assert after.power_state == before.power_state
        assert set(after.software) == set(before.software)
    assert back.servers[0].tags["boot_type"] == "UEFI"


def test_writers_are_deterministic(tmp_path: Path) -> None:
    estate = _estate()
    for name in ("a.xlsx", "b.xlsx"):
        write_azure_migrate_workbook(estate, tmp_path / name)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert azure_migrate_csv_text(estate) == azure_migrate_csv_text(estate)


def test_writer_refuses_to_overwrite_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "azure.csv"
    path.write_text("keep me")
    with pytest.raises(InputError, match="refusing to overwrite"):
        write_azure_migrate_csv(_estate(), path, force=False)
    assert path.read_text() == "keep me"


# -- malformed input never escapes as anything but InputError ---------------------------------

_MANDATORY = ["*Server name", "*Cores", "*Memory (In MB)", "*OS name"]
_OPTIONAL = [
    "IP addresses",
    "CPU utilization percentage",
    "Memory utilization percentage",
    "Network In throughput",
    "Disk 1 size (In GB)",
    "Disk 2 read ops (operations per second)",
    "Total disks write ops (operations per second)",
    "Application 1 name",
    "Business application name",
    "Business owner",
    "Boot type",
]
_CELLS = st.one_of(
    st.sampled_from(
        ["", "8", "8,192", "16 GB", "-1", "0", "1e9", "N/A", "35,5", "101", "1 TB", "nan", "web01"]
    ),
    st.text(max_size=10),
)


@st.composite
def _csv_bytes(draw: st.DrawFn) -> bytes:
    """Mostly-plausible import files: the mandatory headers (rarely one dropped), some optional
    ones, shuffled and respelt, with cells that are often numbers, units, junk or blank."""
    mandatory = [h for h in _MANDATORY if draw(st.integers(0, 9))]
    optional = draw(st.lists(st.sampled_from(_OPTIONAL), unique=True, max_size=5))
    header = draw(st.permutations([*mandatory, *optional]))
    header = [
        draw(st.sampled_from([h, h.lower(), h.upper().lstrip("*"), f" {h} "])) for h in header
    ]
    rows = draw(
        st.lists(
            st.lists(_CELLS, min_size=max(0, len(header) - 1), max_size=len(header) + 1), max_size=5
        )
    )
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.replace('"', "", draw(st.integers(0, 3)))  # break the quoting
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=_csv_bytes(), forced=st.booleans())
def test_malformed_csv_only_ever_raises_input_error(content: bytes, forced: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.csv"
        path.write_bytes(content)
        try:
            load_inventory([path], forced_format="azure-migrate-csv" if forced else None)
        except InputError as exc:
            assert not [p for p in exc.problems if p.message.startswith("could not read as")]


_SHEET_CELLS = st.one_of(
    st.none(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    _CELLS,
)


@st.composite
def _workbook_sheets(draw: st.DrawFn) -> dict[str, list[list[object]]]:
    """Azure Migrate sheets with plausible headers (some dropped) and arbitrary cells."""
    headers = {
        "Discovery_Report": [
            "Machine Name",
            "Operating System",
            "Cores",
            "Memory (in MB)",
            "Power Stats",
        ],
        "All_Assessed_Machines": ["Machine", "Cores", "Memory(MB)", "CPU usage(%)", "Storage(GB)"],
        "ApplicationInventory": ["MachineName", "Application", "Version", "Provider"],
        "SQLServer": ["MachineName", "Edition", "Version"],
        "OtherDatabases": ["MachineName", "Database Type", "Version"],
    }
    sheets = {}
    for name in draw(st.lists(st.sampled_from(sorted(headers)), min_size=1, unique=True)):
        header = [h for h in headers[name] if draw(st.integers(0, 5))]
        rows = draw(st.lists(st.lists(_SHEET_CELLS, max_size=len(header) + 1), max_size=4))
        sheets[name] = [header, *rows]
    return sheets


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=_workbook_sheets())
def test_malformed_workbook_only_ever_raises_input_error(
    sheets: dict[str, list[list[object]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "azure.xlsx"
        workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
        for name, rows in sheets.items():
            ws = workbook.add_worksheet(name)
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    if value is not None:
                        ws.write(i, j, value)
        workbook.close()
        try:
            load_inventory([path])
        except InputError as exc:
            assert not [p for p in exc.problems if p.message.startswith("could not read as")]


def test_assessment_sheet_spelt_otherwise_still_keeps_the_sizing_criterion(tmp_path: Path) -> None:
    """The machine's assessed-sheet row is known by the sheet's kind, not by its spelling: an
    "All Assessed Machines" sheet with nothing but sizes still carries the workbook's criterion
    (it was dropped when the real name was compared with the standard one)."""
    path = _xlsx(
        tmp_path / "spelt.xlsx",
        {
            "All Assessed Machines": [["Machine", "Cores", "Memory(MB)"], ["web01", 2, 4096]],
            "Assessment Properties": [["Property", "Value"], ["Sizing criterion", "As-is"]],
        },
    )
    (web01,) = load_inventory([path]).inventory.servers
    assert web01.assessment is not None
    assert web01.assessment.sizing_criterion == "as-is"


def test_workbook_tells_same_named_machines_apart_by_fqdn(tmp_path: Path) -> None:
    """The shared identity rule (gaps.distinct): without machine ids or sites, different FQDNs
    are different machines, kept apart as everywhere else (they were a duplicate-row error)."""
    header = ["Machine Name", "Operating System", "Cores", "Memory (in MB)"]
    path = _xlsx(
        tmp_path / "fqdn.xlsx",
        {
            "Discovery_Report": [
                header,
                ["web01.a.local", "Windows Server 2019", 2, 4096],
                ["web01.b.local", "Windows Server 2019", 4, 8192],
            ],
            "All_Assessed_Machines": [
                ["Machine", "Cores", "Memory(MB)", "CPU usage(%)"],
                ["web01.b.local", 4, 8192, 30],
                ["web01.a.local", 2, 4096, 10],
            ],
        },
    )
    result = load_inventory([path])
    by_fqdn = {s.fqdn: s for s in result.inventory.servers}
    assert set(by_fqdn) == {"web01.a.local", "web01.b.local"}
    # each assessment row joined its own machine, not the first of the name
    assert by_fqdn["web01.a.local"].utilisation == Utilisation(cpu_percent=10)
    assert by_fqdn["web01.b.local"].utilisation == Utilisation(cpu_percent=30)
    assert {s.name for s in result.inventory.servers} == {"web01", "web01@b"}
    assert not [w for w in result.warnings if w.code == "conflict"]


def test_workbook_same_fqdn_twice_is_still_a_duplicate_row(tmp_path: Path) -> None:
    header = ["Machine Name", "Operating System", "Cores", "Memory (in MB)"]
    path = _xlsx(
        tmp_path / "twice.xlsx",
        {"Discovery_Report": [header, ["web01.a.local", "Linux", 2, 4096],
                              ["WEB01.a.local", "Linux", 2, 4096]]},
    )  # fmt: skip
    with pytest.raises(InputError, match="duplicate machine"):
        load_inventory([path])


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Conditionally ready", "Ready with conditions"),
        ("  NOT   Ready ", "Not ready"),
        ("not-ready", "Not ready"),
        ("Readiness unknown", "Unknown"),
        ("Ready for Azure", "Ready"),
        ("Pending review", "Pending review"),
        ("", ""),
    ],
)
def test_readiness_is_normalised_once_by_the_model_whatever_the_source(
    written: str, normalised: str
) -> None:
    """A native YAML assessment is normalised like an Azure Migrate one, so the classifier
    can trust the four words (a hand-written 'Conditionally ready' was no condition before)."""
    assessment = Assessment(source="azure-migrate", readiness=written)
    assert assessment.readiness == normalised
