"""Every command that writes, given an output path it cannot write: one line naming the path,
exit 2 (never 1, which CI reads as guardrail findings), no traceback, nothing half-written.

The meta-test walks every click command and fails when one takes an output path but has no
entry in WRITERS, so a new writing command cannot skip this check.
"""

from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.cli.output import user_path
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

# Parameters that name where a command writes (by click parameter name).
OUTPUT_PARAMS = {"output", "out_dir", "json_file", "dump_graph"}

# command path -> argv with {OUT} for the output path; {ESTATE}, {PLAN}, {PROJECT} are fixtures.
WRITERS: dict[str, list[str]] = {
    "migrate": ["migrate", "{ESTATE}", "--cloud", "aws", "--out", "{OUT}", "-q"],
    "plan run": ["plan", "{ESTATE}", "--cloud", "aws", "-o", "{OUT}.yaml"],
    "classify run": ["classify", "{ESTATE}", "-o", "{OUT}.json", "-q"],
    "generate": ["generate", "{PLAN}", "-o", "{OUT}"],
    "report": ["report", "{PROJECT}", "-o", "{OUT}", "--no-inventory"],
    "policy check": ["policy", "check", "{PROJECT}", "-o", "{OUT}.sarif", "--format", "sarif"],
    "policy pack": ["policy", "pack", "-o", "{OUT}"],
    "inventory convert": ["inventory", "convert", "{ESTATE}", "-o", "{OUT}.yaml"],
    "inventory synth": ["inventory", "synth", "--servers", "5", "--seed", "1", "-o", "{OUT}.yaml"],
    "prices refresh": ["prices", "refresh", "--aws", "-o", "{OUT}.yaml"],
    "preview": ["preview", "{PROJECT}", "--json", "{OUT}.json"],
    "verify": ["verify", "--aws", "--no-region-scan", "--dump-graph", "{OUT}.json"],
}


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path + " ")
        else:
            yield path, command


def test_every_writing_command_is_covered() -> None:
    writing = {
        path
        for path, command in _commands(cli)
        if any(p.name in OUTPUT_PARAMS and isinstance(p.type, click.Path) for p in command.params)
    }
    assert writing == set(WRITERS), "a command writes files but has no unwritable-path test"


FORCELIFT = (sys.executable, "-c", "from forcelift.cli.main import main; main()")
QUIET = ("-q", "--as-of", "2026-11-25")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("inputs")
    estate = base / "estate.yaml"
    estate.write_text(inventory_to_yaml(synthesise(20, seed=3)), encoding="utf-8")
    project = base / "project"
    done = subprocess.run(
        [*FORCELIFT, "migrate", str(estate), "--cloud", "aws", "--out", str(project), *QUIET],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    return {"ESTATE": estate, "PLAN": project / "plan.yaml", "PROJECT": project}


def _bad_paths(tmp_path: Path) -> dict[str, Path]:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    paths = {"parent-is-a-file": blocker / "out" / "target"}
    if Path("/proc").is_dir():
        paths["missing-mount"] = Path("/proc/forcelift-no-such-mount/target")  # ENOENT
    if Path("/sys").is_dir():
        paths["read-only"] = Path("/sys/forcelift-read-only/target")  # EACCES/EPERM, even as root
    return paths


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_unwritable_output_is_one_line_and_exit_2(
    command: str, inputs: dict[str, Path], tmp_path: Path
) -> None:
    for case, bad in _bad_paths(tmp_path).items():
        values = {k: str(v) for k, v in inputs.items()} | {"OUT": str(bad)}
        argv = [arg.format(**values) for arg in WRITERS[command]]
        result = CliRunner().invoke(cli, argv)
        where = f"{command} ({case}): {result.output}"
        assert result.exit_code == 2, where
        assert result.exception is None or isinstance(result.exception, SystemExit), where
        assert "Traceback" not in result.output, where
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, where
        assert str(bad.parent) in errors[0], where  # names the path the user gave
        assert not bad.exists() and not Path(str(bad) + ".yaml").exists()


def test_oserror_path_is_the_users_not_the_temp_file(tmp_path: Path) -> None:
    temp = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".plan.yaml.ab12cd_9"))
    assert user_path(temp) == str(tmp_path / "plan.yaml")


def test_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("complete: old\n", encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", dst)

    monkeypatch.setattr("os.replace", full_disk)
    with pytest.raises(OSError):
        write_atomic(target, "complete: new\n" * 1000, force=True)
    assert target.read_text(encoding="utf-8") == "complete: old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]
