"""Each bad-input category: exit 2, a message naming file and row, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli

DATA = Path(__file__).parent / "data"


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args))


SERVERS = "name,cores,memory_mib\nweb01,2,4096\ndb01,4,8192\n"
APPS = "application,servers\nIntranet,web01 | db01\n"


def _assert_input_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)


def test_duplicate_server_names(write) -> None:
    path = write("servers.csv", SERVERS + "WEB01,2,2048\n")
    _assert_input_error(
        run_cli("inventory", "validate", str(path)),
        "servers.csv",
        "row 4",
        "duplicate server name 'WEB01'",
        "row 2",
    )


def test_dangling_dependency_reference(write) -> None:
    paths = [
        write("servers.csv", SERVERS),
        write("apps.csv", APPS),
        write("deps.csv", "source,target\nIntranet,Payroll\nHR,Intranet\n"),
    ]
    result = run_cli("inventory", "validate", *map(str, paths))
    _assert_input_error(
        result,
        "deps.csv, row 2",
        "unknown application 'Payroll'",
        "deps.csv, row 3",
        "unknown application 'HR'",
    )


def test_dangling_server_reference(write) -> None:
    paths = [
        write("servers.csv", SERVERS),
        write("apps.csv", "application,servers\nIntranet,web01 | web99\n"),
    ]
    _assert_input_error(
        run_cli("inventory", "validate", *map(str, paths)), "apps.csv, row 2", "web99"
    )


def test_dependency_cycles_are_allowed_and_reported(write) -> None:
    paths = [
        write("servers.csv", SERVERS),
        write("apps.csv", "application,servers\nRMS,web01\nIntel,db01\n"),
        write("deps.csv", "source,target\nRMS,Intel\nIntel,RMS\n"),
    ]
    result = run_cli("inventory", "validate", *map(str, paths))
    assert result.exit_code == 0, result.output
    assert "dependency cycle between Intel, RMS" in result.output


@pytest.mark.parametrize(
    ("fixture", "message"),
    [("password-protected.xlsx", "password-protected"), ("corrupt.xlsx", "cannot open workbook")],
)
def test_unreadable_workbooks(fixture: str, message: str) -> None:
    result = run_cli("inventory", "validate", str(DATA / "bad" / fixture))
    _assert_input_error(result, fixture, message)


def test_blank_rows_and_unit_suffixes_are_fine(write) -> None:
    path = write("servers.csv", "name;cores;memory_mib\n\n;;\nweb01;2;8,192\n\nweb02;2;16 GB\n")
    result = run_cli("inventory", "show", "--json", str(path))
    assert result.exit_code == 0, result.output
    assert '"memory_gib": 24.0' in result.output


def test_unrecognised_and_missing_files(write, tmp_path: Path) -> None:
    path = write("notes.csv", "colour,flavour\nred,sweet\n")
    _assert_input_error(
        run_cli("inventory", "validate", str(path)),
        "notes.csv",
        "cannot tell which inventory format",
    )
    _assert_input_error(
        run_cli("inventory", "validate", str(tmp_path / "nope.csv")), "nope.csv", "no such file"
    )
    _assert_input_error(
        run_cli("inventory", "validate", str(write("empty.csv", ""))), "empty.csv", "empty"
    )


def test_binary_file_posing_as_csv(write) -> None:
    path = write("servers.csv", b"\x00\x01\x02garbage\x00" * 20)
    _assert_input_error(
        run_cli("inventory", "validate", str(path)), "servers.csv", "not a text CSV"
    )


def test_all_errors_from_all_files_reported_together(write) -> None:
    a = write("a/servers.csv", "name,cores,memory_mib\nx,zero,1\n")
    b = write("b/servers.csv", "name,cores,memory_mib\ny,1,-5\n")
    result = run_cli("inventory", "validate", "--strict", str(a), str(b))
    _assert_input_error(result, "a/servers.csv, row 2", "b/servers.csv, row 2", "2 errors")
    # without --strict both servers are read, unsized, with one warning each
    result = run_cli("inventory", "validate", str(a), str(b))
    assert result.exit_code == 0 and result.output.count("warning: ") >= 2


def test_convert_refuses_to_overwrite(write, tmp_path: Path) -> None:
    src = write("servers.csv", SERVERS)
    out = tmp_path / "out.yaml"
    out.write_text("precious")
    _assert_input_error(
        run_cli("inventory", "convert", str(src), "-o", str(out)),
        "refusing to overwrite",
        "--force",
    )
    assert out.read_text() == "precious"
    result = run_cli("inventory", "convert", str(src), "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("schema_version: '1.0'")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.yaml")]
