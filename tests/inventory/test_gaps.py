"""Issues 11 and 17: gaps in real exports, the same way in every reader.

Per reader: a blank and an unreadable size cell (read unsized, warning naming the cell, exact
counts, `--strict` exit 2); sentinel cells; duplicate names with distinct and with the same
identity. Plus the shared cell parser's properties and the Azure Migrate assessment columns.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import AssessedDisk, Utilisation
from forcelift.migration.inventory.normalise import (
    SENTINELS,
    is_missing,
    parse_cell,
    parse_float,
    parse_int,
    parse_percent,
    parse_size_mib,
)


def run_cli(*args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from forcelift.cli.main import cli

    return CliRunner().invoke(cli, list(args))


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    workbook.close()
    return path


def _unsized(result) -> list[tuple[int | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(w.location.row, w.location.column) for w in result.warnings if w.code == "unsized"]


# -------------------------------------------------------------- one fixture per reader

_RV_HEADER = ["VM", "Powerstate", "Template", "CPUs", "Memory", "VM UUID", "VI SDK Server"]


def _rvtools(tmp_path: Path) -> Path:
    return _xlsx(
        tmp_path / "RVTools.xlsx",
        {
            "vInfo": [
                _RV_HEADER,
                ["ok1", "poweredOn", False, 2, 4096, "u-1", "vc1"],
                ["blank", "poweredOn", False, None, 4096, "u-2", "vc1"],
                ["bad", "poweredOn", False, "lots", 4096, "u-3", "vc1"],
                ["tmpl", "poweredOff", True, 2, 4096, "u-4", "vc1"],
            ]
        },
    )


def _rvtools_csv(tmp_path: Path) -> Path:
    folder = tmp_path / "rv"
    folder.mkdir()
    (folder / "RVTools_tabvInfo.csv").write_text(
        ",".join(_RV_HEADER)
        + "\nok1,poweredOn,False,2,4096,u-1,vc1\nblank,poweredOn,False,,4096,u-2,vc1\n"
        "bad,poweredOn,False,lots,4096,u-3,vc1\ntmpl,poweredOff,True,2,4096,u-4,vc1\n"
    )
    return folder / "RVTools_tabvInfo.csv"


def _azure_csv(tmp_path: Path) -> Path:
    path = tmp_path / "import.csv"
    path.write_text(
        "*Server name,*Cores,*Memory (In MB),*OS name\n"
        "ok1,2,4096,Windows\nblank,,4096,Windows\nbad,lots,4096,Windows\n"
    )
    return path


def _azure_workbook(tmp_path: Path) -> Path:
    return _xlsx(
        tmp_path / "assessment.xlsx",
        {
            "All_Assessed_Machines": [
                ["Machine", "Cores", "Memory(MB)", "CPU usage(%)"],
                ["ok1", 2, 4096, 10],
                ["blank", None, 4096, 10],
                ["bad", "lots", 4096, 10],
            ]
        },
    )


def _discovery_workbook(tmp_path: Path) -> Path:
    return _xlsx(
        tmp_path / "discovery.xlsx",
        {
            "Discovery_Report": [
                ["Machine Name", "Operating System", "Cores", "Memory (in MB)"],
                ["ok1", "Windows", 2, 4096],
                ["blank", "Windows", None, 4096],
                ["bad", "Windows", "lots", 4096],
            ]
        },
    )


def _aws(tmp_path: Path) -> Path:
    path = tmp_path / "aws.csv"
    path.write_text(
        "HostName,CPU.NumberOfLogicalCores,RAM.TotalSizeInMB\n"
        "ok1,2,4096\nblank,,4096\nbad,lots,4096\n"
    )
    return path


def _native_csv(tmp_path: Path) -> Path:
    path = tmp_path / "servers.csv"
    path.write_text("name,cores,memory_mib\nok1,2,4096\nblank,,4096\nbad,lots,4096\n")
    return path


def _native_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "inv.yaml"
    path.write_text(
        "servers:\n"
        "  - name: ok1\n    cores: 2\n    memory_mib: 4096\n"
        "  - name: blank\n    memory_mib: 4096\n"
        "  - name: bad\n    cores: lots\n    memory_mib: 4096\n"
    )
    return path


#: reader fixture, where the blank and bad CPU cells are (row/line, column), skipped rows
READERS = {
    "rvtools-xlsx": (_rvtools, [(3, "CPUs"), (4, "CPUs")], {"template": 1}),
    "rvtools-csv": (_rvtools_csv, [(3, "CPUs"), (4, "CPUs")], {"template": 1}),
    "azure-csv": (_azure_csv, [(3, "*Cores"), (4, "*Cores")], {}),
    "azure-assessment": (_azure_workbook, [(3, "Cores"), (4, "Cores")], {}),
    "azure-discovery": (_discovery_workbook, [(3, "Cores"), (4, "Cores")], {}),
    "aws": (_aws, [(3, "CPU.NumberOfLogicalCores"), (4, "CPU.NumberOfLogicalCores")], {}),
    "native-csv": (_native_csv, [(3, "cores"), (4, "cores")], {}),
    "native-yaml": (_native_yaml, [(None, "servers[1].cores"), (None, "servers[2].cores")], {}),
}


@pytest.mark.parametrize("reader", READERS)
def test_blank_and_unreadable_cpu_cells_are_read_unsized_with_warnings(
    reader: str, tmp_path: Path
) -> None:
    make, places, skipped = READERS[reader]
    path = make(tmp_path)
    result = load_inventory([path])
    servers = {s.name: s for s in result.inventory.servers}
    assert sorted(servers) == ["bad", "blank", "ok1"]  # nothing dropped
    assert servers["ok1"].sized and servers["ok1"].cores == 2
    for name in ("blank", "bad"):
        assert servers[name].cores is None and servers[name].memory_mib == 4096
        assert not servers[name].sized and servers[name].unsized_reason
    assert _unsized(result) == places
    warnings = [w for w in result.warnings if w.code == "unsized"]
    assert "is blank" in warnings[0].message or "is not given" in warnings[0].message
    assert "is unreadable" in warnings[1].message and "lots" in warnings[1].message
    assert all("CPU count unknown" in w.message for w in warnings)
    if reader == "native-yaml":  # a text file: lines, not rows
        assert [w.location.line for w in warnings] == [5, 8]  # the item, then the cell
        assert "line 8, column 'servers[2].cores'" in str(warnings[1])
    else:
        assert f"row {places[1][0]}, column '{places[1][1]}': warning" in str(warnings[1])
    (count,) = result.counts
    assert (count.rows, count.servers, count.skipped) == (3 + sum(skipped.values()), 3, skipped)
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    assert [(p.location.row, p.location.column) for p in err.value.problems] == places
    assert all(p.severity.value == "error" for p in err.value.problems)


@pytest.mark.parametrize("reader", READERS)
def test_strict_exits_2_through_the_cli(reader: str, tmp_path: Path) -> None:
    path = READERS[reader][0](tmp_path)
    relaxed = run_cli("inventory", "show", "--json", str(path))
    assert relaxed.exit_code == 0, relaxed.output
    summary = json.loads(relaxed.output)
    assert summary["servers"]["count"] == 3 and summary["servers"]["unsized"] == 2
    assert summary["servers"]["unsized_servers"] == ["bad", "blank"]
    assert summary["servers"]["cores"] == 2  # unsized servers add nothing
    skipped = sum(summary["rows"]["skipped"].values())
    assert summary["rows"]["read"] == summary["servers"]["count"] + skipped  # counts add up
    strict = run_cli("inventory", "validate", "--strict", str(path))
    assert strict.exit_code == 2
    assert "error: " in strict.output and "--strict is on" in strict.output
    assert "Traceback" not in strict.output
    for command in (["classify", "run"], ["plan", "run", "-o", str(tmp_path / "p.yaml")]):
        result = run_cli(*command, "--strict", str(path))
        assert result.exit_code == 2, (command, result.output)


def test_rvtools_memory_read_back_as_infinity_is_a_gap_not_a_crash(tmp_path: Path) -> None:
    # the largest double, written to xlsx, reads back as inf (found by the vInfo fuzz test)
    rows = [_RV_HEADER, ["web01", "poweredOn", False, 2, 1.7976931348623155e308, "", ""]]
    result = load_inventory([_xlsx(tmp_path / "a.xlsx", {"vInfo": rows})])
    (server,) = result.inventory.servers
    assert (server.cores, server.memory_mib) == (2, None)
    assert _unsized(result) == [(2, "Memory")]


def test_rvtools_blank_cpu_is_filled_from_the_vcpu_tab(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "RVTools.xlsx",
        {
            "vInfo": [_RV_HEADER, ["a", "poweredOn", False, None, 4096, "u-1", "vc1"]],
            "vCPU": [["VM", "Powerstate", "Template", "CPUs"], ["a", "poweredOn", False, 6]],
        },
    )
    result = load_inventory([path])
    (server,) = result.inventory.servers
    assert (server.cores, server.unsized_reason) == (6, "")
    (warning,) = [w for w in result.warnings if w.code == "unsized"]
    assert "taken from the vCPU tab (6)" in warning.message
    assert (warning.location.sheet, warning.location.row) == ("vInfo", 2)


def test_another_source_sizes_an_unsized_server(tmp_path: Path) -> None:
    other = tmp_path / "cmdb.csv"
    other.write_text("name,cores,memory_mib\nblank,4,4096\n")
    inventory = load_inventory([_native_csv(tmp_path), other]).inventory
    blank = next(s for s in inventory.servers if s.name == "blank")
    assert (blank.cores, blank.sized, blank.unsized_reason) == (4, True, "")


def test_row_without_a_name_is_still_an_error(tmp_path: Path) -> None:
    path = tmp_path / "servers.csv"
    path.write_text("name,cores,memory_mib\nN/A,2,4096\n")
    with pytest.raises(InputError) as err:
        load_inventory([path])
    (problem,) = err.value.problems
    assert (problem.location.row, problem.location.column) == (2, "name")
    assert "'N/A': no value" in problem.message


# --------------------------------------------------------------------------- sentinels

_AS_IS = [
    ["Machine", "Azure VM readiness", "Cores", "Memory(MB)", "CPU usage(%)", "Memory usage(%)",
     "Storage(GB)", "Recommended size"],
    ["web01", "Not ready", 2, 4096, "Not applicable", "Not applicable", "Not available", "N/A"],
    ["web02", "Ready", 4, 8192, "n/a", " NOT  APPLICABLE ", 120, "Standard_D4s_v5"],
    ["web03", "Ready with conditions", "-", 8192, 15, 40, "--", "Standard_D2s_v5"],
]  # fmt: skip


def test_sentinels_are_no_value_in_every_typed_column(tmp_path: Path) -> None:
    result = load_inventory([_xlsx(tmp_path / "as-is.xlsx", {"All_Assessed_Machines": _AS_IS})])
    web01, web02, web03 = result.inventory.servers
    assert (web01.utilisation, web01.disks) == (None, ())
    assert web01.assessment is not None
    assert web01.assessment.readiness == "Not ready"  # readiness text stays text
    assert web01.assessment.recommended_size == ""
    assert (web02.utilisation, web02.disks[0].provisioned_gib) == (None, 120)
    assert web03.utilisation == Utilisation(cpu_percent=15, memory_percent=40)
    assert web03.assessment.readiness == "Ready with conditions"
    # the required Cores cell "-" is a warning, the optional ones are silent
    assert _unsized(result) == [(4, "Cores")]
    assert "'-' (no value)" in next(w.message for w in result.warnings if w.code == "unsized")


@pytest.mark.parametrize(
    "reader,content",
    [
        ("servers.csv", "name,cores,memory_mib,cpu_percent\na,2,4096,Unknown\n"),
        (
            "import.csv",
            "*Server name,*Cores,*Memory (In MB),*OS name,CPU utilization percentage\n"
            "a,2,4096,Windows,#N/A\n",
        ),
        (
            "aws.csv",
            "HostName,CPU.NumberOfLogicalCores,RAM.TotalSizeInMB,CPU.UsagePct.Max\na,2,4096,null\n",
        ),
    ],
)
def test_sentinel_utilisation_is_silently_missing(
    reader: str, content: str, tmp_path: Path
) -> None:
    path = tmp_path / reader
    path.write_text(content)
    result = load_inventory([path])
    (server,) = result.inventory.servers
    assert server.utilisation is None
    assert not [w for w in result.warnings if w.location.row == 2]


def test_zero_cpu_and_memory_is_missing_performance_data(tmp_path: Path) -> None:
    path = tmp_path / "import.csv"
    path.write_text(
        "*Server name,*Cores,*Memory (In MB),*OS name,CPU utilization percentage,"
        "Memory utilization percentage\na,2,4096,Windows,0,0\nb,2,4096,Windows,0,35\n"
    )
    result = load_inventory([path])
    a, b = result.inventory.servers
    assert a.utilisation is None
    assert b.utilisation == Utilisation(cpu_percent=0, memory_percent=35)  # really idle CPU
    (note,) = [p for p in result.warnings if p.code == "no-performance-data"]
    assert note.location.row == 2


_SPELLINGS = st.sampled_from(
    ["Not applicable", "Not available", "NA", "N/A", "Unknown", "-", "None", "Not ready", "n/a",
     "", "#N/A", "null", "--", "NaN", "not  APPLICABLE"]
)  # fmt: skip
_PADDING = st.sampled_from(["", " ", "  ", "\t", "\u00a0"])


@given(word=_SPELLINGS, left=_PADDING, right=_PADDING, upper=st.booleans())
def test_sentinel_spellings_always_mean_no_value(
    word: str, left: str, right: str, upper: bool
) -> None:
    cell = left + (word.upper() if upper else word.lower()) + right
    assert is_missing(cell)
    for parse in (parse_int, parse_float, parse_percent, parse_size_mib):
        assert parse_cell(cell, parse) is None


@given(st.text(max_size=30) | st.floats() | st.integers() | st.none() | st.booleans())
def test_the_shared_cell_parser_raises_only_value_error(value: object) -> None:
    for parse in (parse_int, parse_float, parse_percent, parse_size_mib):
        # ValueError is the documented failure: readers turn it into a located InputError
        with contextlib.suppress(ValueError):
            parse_cell(value, parse)  # type: ignore[arg-type]


def test_sentinel_first_characters_cover_every_spelling() -> None:
    """is_missing rules a value out by its first character: no character outside that set may
    casefold to the start of a sentinel, or `N/A` spelt with it would be read as a value."""
    import sys

    from forcelift.migration.inventory import normalise

    heads = {s[0] for s in SENTINELS if s}
    starts = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).casefold()[:1] in heads}
    assert starts <= normalise._SENTINEL_HEADS
    assert is_missing(" N/A") and is_missing("\u00a0none") and is_missing("NOT READY")
    assert not is_missing("node01") and not is_missing("4210-aaaa") and not is_missing("n")


def test_sentinel_list_is_documented() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "inventory.md").read_text(encoding="utf-8")
    for word in ("Not applicable", "N/A", "#N/A", "Not ready", "null", "--"):
        assert f"`{word}`" in doc
    assert len(SENTINELS) >= 20


# ---------------------------------------------------------------- duplicate names


def test_rvtools_same_name_in_two_vcenters_is_two_servers(tmp_path: Path) -> None:
    rows = [
        _RV_HEADER,
        ["web01", "poweredOn", False, 2, 4096, "4210-aaaa", "vc-north.force.local"],
        ["web01", "poweredOn", False, 4, 8192, "4210-bbbb", "vc-south.force.local"],
    ]
    result = load_inventory([_xlsx(tmp_path / "a.xlsx", {"vInfo": rows})])
    names = {s.name: s for s in result.inventory.servers}
    assert sorted(names) == ["web01", "web01@vc-south"]
    assert (names["web01"].site, names["web01@vc-south"].identity) == (
        "vc-north.force.local",
        "4210-bbbb",
    )
    (warning,) = [w for w in result.warnings if w.code == "duplicate-name"]
    assert warning.location.row == 3 and "sheet vInfo, row 2" in warning.message
    # stable under row reordering: the same machine keeps the plain name
    swapped = [rows[0], rows[2], rows[1]]
    again = load_inventory([_xlsx(tmp_path / "b.xlsx", {"vInfo": swapped})]).inventory
    assert {s.name: s.identity for s in again.servers} == {
        "web01": "4210-aaaa",
        "web01@vc-south": "4210-bbbb",
    }
    with pytest.raises(InputError):
        load_inventory([tmp_path / "a.xlsx"], strict=True)


def test_same_identity_is_still_a_duplicate(tmp_path: Path) -> None:
    rows = [
        _RV_HEADER,
        ["web01", "poweredOn", False, 2, 4096, "4210-aaaa", "vc1"],
        ["WEB01", "poweredOn", False, 2, 4096, "4210-aaaa", "vc1"],
    ]
    with pytest.raises(InputError) as err:
        load_inventory([_xlsx(tmp_path / "a.xlsx", {"vInfo": rows})])
    (problem,) = err.value.problems
    assert problem.code == "duplicate" and problem.location.row == 3


def test_assessment_duplicates_by_site_and_id(tmp_path: Path) -> None:
    sheet = [
        ["Machine", "Machine ID", "Site name", "Cores", "Memory(MB)", "Recommended size"],
        ["app01", "m-2", "SiteB", 2, 4096, "Standard_D2s_v5"],
        ["app01", "m-1", "SiteA", 4, 8192, "Standard_D4s_v5"],
    ]
    result = load_inventory([_xlsx(tmp_path / "a.xlsx", {"All_Assessed_Machines": sheet})])
    names = {s.name: s for s in result.inventory.servers}
    assert sorted(names) == ["app01", "app01@SiteB"]
    assert names["app01"].assessment.recommended_size == "Standard_D4s_v5"  # SiteA sorts first
    assert len([w for w in result.warnings if w.code == "duplicate-name"]) == 1


@pytest.mark.parametrize(
    "name,content",
    [
        (
            "import.csv",
            "*Server name,*Cores,*Memory (In MB),*OS name,Machine ID,Business application name\n"
            "web01,2,4096,Windows,id-1,Intranet\nweb01,2,4096,Windows,id-2,Payroll\n",
        ),
        (
            "aws.csv",
            "HostName,ExternalId,CPU.NumberOfLogicalCores,RAM.TotalSizeInMB,Applications\n"
            "web01,id-1,2,4096,Intranet\nweb01,id-2,2,4096,Payroll\n",
        ),
        ("servers.csv", "name,id,cores,memory_mib\nweb01,id-1,2,4096\nweb01,id-2,2,4096\n"),
    ],
)
def test_duplicate_names_with_ids_in_csv_readers(name: str, content: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(content)
    result = load_inventory([path])
    assert sorted(s.name for s in result.inventory.servers) == ["web01", "web01@id-2"]
    apps = {a.name: a.servers for a in result.inventory.applications}
    if "Payroll" in apps:  # membership follows the row, not the name
        assert apps == {"Intranet": ("web01",), "Payroll": ("web01@id-2",)}
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    assert [p.code for p in err.value.problems] == ["duplicate-name"]


def _bounded(key):  # type: ignore[no-untyped-def]
    """server_key that fails the test instead of looping forever on a name it cannot split."""
    calls = []

    def bounded(name: str) -> str:
        calls.append(name)
        assert len(calls) < 1000, "disambiguate keeps proposing names with a taken key"
        return key(name)

    return bounded


def test_dotted_and_ip_names_told_apart_get_keys_of_their_own(tmp_path: Path) -> None:
    from forcelift.migration.errors import Location, ProblemCollector
    from forcelift.migration.inventory.gaps import disambiguate
    from forcelift.migration.inventory.identity import server_key
    from forcelift.migration.inventory.model import Server

    servers = [
        Server(name="web01.a.local", site="vc1"),
        Server(name="web01.b.local", site="vc2"),
        Server(name="10.0.0.1", site="vc1"),
        Server(name="10.0.0.1", site="vc2"),
        Server(name="10.0.0.2", site="vc1"),
        Server(name="10.0.0.2", site="vc2"),
    ]
    origins = [Location(row=i) for i in range(len(servers))]
    renames = disambiguate(servers, origins, _bounded(server_key), ProblemCollector())
    assert renames == {1: "web01.b.local@vc2", 3: "10.0.0.1@vc2", 5: "10.0.0.2@vc2"}
    names = [renames.get(i, s.name) for i, s in enumerate(servers)]
    assert len({server_key(n) for n in names}) == len(names)  # no two merge again

    path = tmp_path / "servers.csv"
    path.write_text("name,cores,memory mib,vcenter\nweb01.a.local,2,4096,vc1\n"
                    "web01.b.local,2,4096,vc2\n")  # fmt: skip
    result = load_inventory([path])
    assert sorted(s.name for s in result.inventory.servers) == [
        "web01.a.local",
        "web01.b.local@vc2",
    ]


def test_duplicate_machines_do_not_depend_on_row_order() -> None:
    import itertools

    from forcelift.migration.errors import Location, ProblemCollector
    from forcelift.migration.inventory.gaps import disambiguate
    from forcelift.migration.inventory.identity import server_key
    from forcelift.migration.inventory.model import Server

    rows = [
        Server(name="x", identity="id-1", site="s"),
        Server(name="x", site="s"),  # nothing but the site: the same machine as one of them
        Server(name="x", identity="id-2", site="s"),
    ]
    seen = set()
    for order in itertools.permutations(rows):
        origins = [Location(row=i) for i in range(len(order))]
        renames = disambiguate(order, origins, server_key, ProblemCollector())
        seen.add(tuple(sorted((order[i].identity, name) for i, name in renames.items())))
    # id-2 is the other machine however the rows come; told apart by its id, not `x@s`
    assert seen == {(("id-2", "x@id-2"),)}


# ---------------------------------------------------------------- assessment columns


def test_assessment_workbook_gives_the_tools_own_recommendation(tmp_path: Path) -> None:
    machines = [
        ["Machine", "Azure VM readiness", "Azure readiness issues", "Data collection issues",
         "Recommended size", "Compute monthly cost estimate GBP",
         "Storage monthly cost estimate GBP", "Cores", "Memory(MB)", "CPU usage(%)",
         "Memory usage(%)", "Storage(GB)"],
        ["sql01", "Conditionally ready", "Unsupported OS; Disk count exceeds", "",
         "Standard_E8s_v5", 452.1, "£61.40", 8, 32768, 42.5, 71, 600],
        ["app01", "Ready", "", "No data for percentage of CPU cores utilized", "Standard_D2s_v5",
         100, 10, 2, 4096, 0, 30, 100],
        ["old01", "Ready", "", "", "Standard_B2s", 30, 5, 2, 4096, 0, 0, 64],
    ]  # fmt: skip
    disks = [
        ["Machine", "Disk name", "Azure disk readiness", "Recommended disk size SKU",
         "Recommended disk type", "Monthly cost estimate GBP", "Source disk size(GB)",
         "Target disk size(GB)"],
        ["sql01", "scsi0:0", "Ready", "P10", "Premium SSD", 17.92, 100, 128],
        ["sql01", "scsi0:1", "Ready", "S30", "Standard HDD", 40.0, 500, 1024],
    ]  # fmt: skip
    properties = [["Property", "Value"], ["Sizing criterion", "Performance-based"]]
    path = _xlsx(
        tmp_path / "assessment.xlsx",
        {"All_Assessed_Machines": machines, "All_Assessed_Disks": disks,
         "Assessment_Properties": properties},
    )  # fmt: skip
    result = load_inventory([path])
    servers = {s.name: s for s in result.inventory.servers}
    sql = servers["sql01"].assessment
    assert sql is not None and sql.source == "azure-migrate"
    assert (sql.recommended_size, sql.readiness, sql.sizing_criterion) == (
        "Standard_E8s_v5",
        "Ready with conditions",
        "performance-based",
    )
    assert sql.readiness_reasons == ("Unsupported OS", "Disk count exceeds")
    assert (sql.monthly_compute_cost, sql.monthly_storage_cost, sql.currency) == (
        452.1,
        61.4,
        "GBP",
    )
    assert sql.disks == (
        AssessedDisk(name="scsi0:0", size_gib=128, recommended_type="Premium SSD P10",
                     monthly_cost=17.92),
        AssessedDisk(name="scsi0:1", size_gib=1024, recommended_type="Standard HDD S30",
                     monthly_cost=40.0),
    )  # fmt: skip
    # per-disk detail from the disks sheet, not one total disk
    assert [(d.name, d.provisioned_gib) for d in servers["sql01"].disks] == [
        ("scsi0:0", 100),
        ("scsi0:1", 500),
    ]
    app = servers["app01"]
    assert app.utilisation == Utilisation(memory_percent=30)  # "no data for … CPU"
    assert app.assessment.utilisation_missing
    assert app.assessment.data_collection_issues == (
        "No data for percentage of CPU cores utilized",
    )
    old = servers["old01"]
    assert old.utilisation is None and old.assessment.utilisation_missing  # 0 / 0


def test_aws_recommended_instance_type(tmp_path: Path) -> None:
    path = tmp_path / "aws.csv"
    path.write_text(
        "HostName,CPU.NumberOfLogicalCores,RAM.TotalSizeInMB,EC2RecommendationsInstanceType\n"
        "a,2,4096,m5.large\nb,2,4096,\n"
    )
    a, b = load_inventory([path]).inventory.servers
    assert a.assessment is not None
    assert (a.assessment.source, a.assessment.recommended_size) == (
        "aws-migration-hub",
        "m5.large",
    )
    assert b.assessment is None


def test_aws_sentinel_ids_are_no_identity(tmp_path: Path) -> None:
    """`N/A` in SMBIOSID is no machine id: the VM keeps no identity from it."""
    path = tmp_path / "aws.csv"
    path.write_text(
        "HostName,CPU.NumberOfLogicalCores,RAM.TotalSizeInMB,SMBIOSID\n"
        "a,2,4096,N/A\nb,2,4096,4c4c4544-0042-3510-8052-b7c04f4a3132\n"
    )
    a, b = load_inventory([path]).inventory.servers
    assert a.identity != "N/A" and "n/a" not in a.identity.lower()
    assert b.identity == "4c4c4544-0042-3510-8052-b7c04f4a3132"


@pytest.mark.parametrize("name", ["azure-csv", "azure-assessment", "aws", "rvtools-xlsx"])
def test_duplicate_names_are_told_apart_once_per_source(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readers that name servers in later records disambiguate before adding them; loading
    must not run the whole pass again over every server (it did, for CSV, AWS, workbook)."""
    from forcelift.migration.inventory.readers import base

    calls: list[int] = []
    real = base.disambiguate

    def counting(*args: Any, **kwargs: Any) -> dict[int, str]:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(base, "disambiguate", counting)
    load_inventory([READERS[name][0](tmp_path)])
    assert len(calls) == 1
