"""The Exampleshire builder: it reproduces the committed sample, adding an application is a data
edit, and mistakes in the data are located."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from forcelift.migration.errors import InputError

REPO = Path(__file__).resolve().parents[2]
BUILDER = REPO / "tools" / "build_exampleshire.py"
DATA = REPO / "tools" / "data" / "exampleshire"
SAMPLE = REPO / "inventories" / "exampleshire"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_exampleshire", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "exampleshire"
    shutil.copytree(DATA, copy)
    return copy


def test_builder_reproduces_the_committed_files(builder: ModuleType, tmp_path: Path) -> None:
    written = builder.build(tmp_path)
    relative = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert relative == [
        "exports/cmdb.csv",
        "exports/dependencies.csv",
        "inventory.yaml",
        "native-csv/applications.csv",
        "native-csv/dependencies.csv",
        "native-csv/force.yaml",
        "native-csv/partners.csv",
        "native-csv/servers.csv",
        "native-csv/sharing.csv",
    ]
    for name in relative:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def _readme_example() -> str:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    lines = block.group(1).splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    return "\n".join(line[indent:] for line in lines) + "\n"


def test_the_readme_example_adds_an_application(builder: ModuleType, data: Path) -> None:
    before = builder.build_inventory(builder.load_estate(data))
    (data / "applications" / "9-added.yaml").write_text(_readme_example(), encoding="utf-8")
    deps = data / "dependencies.yaml"
    text = deps.read_text(encoding="utf-8").replace(
        "applications:\n", "applications:\n  - [WEBCHAT, STM, https, 443, chats become incidents]\n"
    )
    deps.write_text(text, encoding="utf-8")
    after = builder.build_inventory(builder.load_estate(data))
    app = after.application_index()["public web chat"]
    own = ("EXS-WEBCHAT-WEB01", "EXS-WEBCHAT-WEB02", "EXS-WEBCHAT-WEB51")
    assert app.servers[:3] == own
    assert set(app.servers[3:]) == {"EXS-SQL-CL03N1", "EXS-SQL-CL03N2", "EXS-SQL-CL03N3"}
    servers = after.server_index()
    web = servers["exs-webchat-web51"]
    assert (web.datacentre, web.cores, web.memory_mib) == ("DR-DC2", 4, 8 * 1024)
    assert web.ip_addresses[0].startswith("172.16.20.")  # the DMZ zone at DR
    assert [p.product for p in web.software] == ["Internet Information Services"]
    assert web.tags["environment"] == "dr" and web.tags["backup"] == "silver"
    assert [d.target for d in after.dependencies if d.source == "Public Web Chat"] == [
        "STORM Command and Control"
    ]
    # drawn after every other server, so the rest of the estate is unchanged
    added = [s for s in after.servers if s.name.startswith("EXS-WEBCHAT-")]
    assert [s for s in after.servers if s not in added] == list(before.servers)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "line"),
    [
        (
            "applications/1-operational-policing.yaml",
            "{role: RPT, hq: 1,",
            "{role: RPT, hq: 1, ram: 4,",
            "unknown key 'ram'",
            30,
        ),
        (
            "applications/1-operational-policing.yaml",
            "    - ORACLE19\n",
            "    - ORACLE23\n",
            "unknown software 'ORACLE23'",
            18,
        ),
        (
            "applications/2-control-room.yaml",
            "os: W12",
            "os: W2K",
            "os 'W2K' is not in operating_systems of estate.yaml",
            None,
        ),
        (
            "applications/3-criminal-justice.yaml",
            "criticality: critical",
            "criticality: vital",
            "'vital' is not a valid Criticality",
            None,
        ),
        (
            "applications/1-operational-policing.yaml",
            "shares_servers_of: [SQL1]",
            "shares_servers_of: [SQL9]",
            "unknown 'SQL9'",
            None,
        ),
        (
            "dependencies.yaml",
            "[RMS, INT, https, 443,",
            "[RMS, INTX, https, 443,",
            "unknown application code in ['RMS', 'INTX']",
            7,
        ),
    ],
)
def test_mistakes_in_the_data_name_file_and_line(
    builder: ModuleType, data: Path, file: str, old: str, new: str, message: str, line: int | None
) -> None:
    _edit(data / file, old, new)
    with pytest.raises(InputError) as caught:
        builder.load_estate(data)
    (problem,) = caught.value.problems
    assert message in problem.message
    assert problem.location.file == str(data / file)
    if line is not None:
        assert problem.location.row == line
    else:
        assert problem.location.row is not None


def test_the_command_reports_a_data_mistake_with_exit_2(
    builder: ModuleType, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(data / "estate.yaml", "patch_groups:", "patch_group:")
    assert builder.main(["--data", str(data), "--out", str(tmp_path / "out")]) == 2
    assert "unknown key 'patch_group'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
