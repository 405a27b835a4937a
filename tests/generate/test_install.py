"""A generated project installs with no package index serving forcelift: requirements.txt
points at the wheel `generate` vendors into the project, and that wheel alone, installed
into a fresh virtualenv, provides the stack program the project's __main__.py imports.

Offline: `--no-index`, and `--no-deps` because the Pulumi SDKs are not wheels on this disk;
the third-party packages come from this test's own venv on PYTHONPATH (a plain path entry,
so this venv's editable forcelift hook is not loaded and cannot stand in for the wheel).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.stacks.vendor import build_wheel

from .conftest import PLAN

QUIET = ("-q", "--disable-pip-version-check")
REQUIREMENTS = ("-r", "requirements.txt")


def _requirement_lines(project: Path) -> list[str]:
    text = (project / "requirements.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_generated_project_installs_from_its_vendored_wheel(tmp_path: Path) -> None:
    project = tmp_path / "project"
    result = CliRunner().invoke(cli, ["generate", str(PLAN), "-o", str(project)])
    assert result.exit_code == 0, result.output
    (requirement,) = _requirement_lines(project)
    assert requirement.startswith("./vendor/forcelift-") and requirement.endswith("[pulumi]")
    wheel = project / requirement.removeprefix("./").removesuffix("[pulumi]")
    assert wheel.is_file()
    assert "vendor/" not in (project / ".gitignore").read_text(encoding="utf-8")
    with zipfile.ZipFile(wheel) as archive:
        assert "forcelift/stacks/program.py" in archive.namelist()
        assert "forcelift/stacks/templates/README.md.j2" in archive.namelist()

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", *QUIET, *REQUIREMENTS],
        cwd=project,  # README step 1 and the pipelines run it here
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert install.returncode == 0, install.stderr

    main_py = (project / "__main__.py").read_text(encoding="utf-8")
    imports = [
        (node.module, alias.name)
        for node in ast.walk(ast.parse(main_py))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
    assert imports == [("forcelift.stacks.program", "main")]
    probe = (
        "import importlib, sys\n"
        f"module = importlib.import_module({imports[0][0]!r})\n"
        f"assert callable(getattr(module, {imports[0][1]!r}))\n"
        "print(module.__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]  # third-party packages only
    ran = subprocess.run(
        [str(python), "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert Path(ran.stdout.strip()).is_relative_to(venv), "forcelift did not come from the wheel"


def test_vendored_wheel_is_deterministic_and_a_rerun_keeps_it(tmp_path: Path) -> None:
    assert build_wheel() == build_wheel()
    project = tmp_path / "project"
    assert CliRunner().invoke(cli, ["generate", str(PLAN), "-o", str(project)]).exit_code == 0
    (wheel,) = (project / "vendor").glob("*.whl")
    before = wheel.stat().st_mtime_ns
    again = CliRunner().invoke(cli, ["generate", str(PLAN), "-o", str(project), "--check"])
    assert again.exit_code == 0, again.output
    assert wheel.stat().st_mtime_ns == before


def test_forcelift_requirement_option_writes_no_wheel(tmp_path: Path) -> None:
    project = tmp_path / "project"
    given = "forcelift[pulumi] @ git+https://example.invalid/force/forcelift@v0.1.0"
    result = CliRunner().invoke(
        cli, ["generate", str(PLAN), "-o", str(project), "--forcelift-requirement", given]
    )
    assert result.exit_code == 0, result.output
    assert _requirement_lines(project) == [given]
    assert not (project / "vendor").exists()


def test_an_earlier_forcelifts_wheel_is_reported_stale_and_kept(tmp_path: Path) -> None:
    import json

    project = tmp_path / "project"
    assert CliRunner().invoke(cli, ["generate", str(PLAN), "-o", str(project)]).exit_code == 0
    old = project / "vendor" / "forcelift-0.0.1-py3-none-any.whl"
    old.write_bytes(b"an older wheel")
    again = CliRunner().invoke(
        cli, ["generate", str(PLAN), "-o", str(project), "--check", "--format", "json"]
    )
    assert again.exit_code == 0, again.output  # nothing to write: stale is not a change
    status = {f["path"]: f["status"] for f in json.loads(again.stdout)["files"]}
    assert status["vendor/forcelift-0.0.1-py3-none-any.whl"] == "stale"
    (current,) = (p for p in status if p.startswith("vendor/") and "0.0.1" not in p)
    assert status[current] == "unchanged"
    assert old.read_bytes() == b"an older wheel"
