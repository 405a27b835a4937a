"""Ctrl-C and SIGTERM during a parallel preview: workers stop, exit 130/143 within seconds,
one line, no traceback, no orphan process, and a re-run finishes what was left."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.inventory.writer import inventory_to_yaml

FORCELIFT = [sys.executable, "-c", "from forcelift.cli.main import main; main()"]


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("estate") / "estate.yaml"
    path.write_text(inventory_to_yaml(synthesise(60, seed=7)), encoding="utf-8")
    return path


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*FORCELIFT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def _interrupt_once_previewing(
    proc: subprocess.Popen[str], sig: int, to_group: bool
) -> tuple[float, str, list[psutil.Process]]:
    """Wait for the first preview worker, let it work, send `sig`; return the seconds to exit,
    stderr and every descendant seen."""
    parent = psutil.Process(proc.pid)
    seen: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 60
    while not seen and proc.poll() is None and time.monotonic() < deadline:
        seen.update((c.pid, c) for c in parent.children(recursive=True))
        time.sleep(0.02)
    assert seen, "no preview worker process started"
    time.sleep(1.5)  # previews are running now (a landing zone takes a few seconds)
    seen.update((c.pid, c) for c in parent.children(recursive=True))
    assert proc.poll() is None, "finished before the interrupt: use a bigger estate"
    sent = time.monotonic()
    if to_group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("still running 30 s after the interrupt")
    return time.monotonic() - sent, stderr, list(seen.values())


def _survivors(processes: list[psutil.Process]) -> list[int]:
    time.sleep(0.3)
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p.pid)
                p.kill()
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.parametrize(
    ("sig", "to_group"),
    [
        (signal.SIGINT, True),  # Ctrl-C in a terminal: the whole foreground group
        (signal.SIGINT, False),
        (signal.SIGTERM, False),  # `kill PID`, a CI runner cancelling the job
        (signal.SIGTERM, True),
    ],
    ids=["sigint-group", "sigint-parent", "sigterm-parent", "sigterm-group"],
)
def test_interrupted_migrate_stops_workers_and_exits(
    estate: Path, tmp_path: Path, sig: int, to_group: bool
) -> None:
    out = tmp_path / "out"
    proc = _start(
        ["migrate", str(estate), "--cloud", "aws", "--out", str(out), "--jobs", "2", "-q"]
    )
    seconds, stderr, processes = _interrupt_once_previewing(proc, sig, to_group)
    assert proc.returncode == 128 + sig, stderr
    assert seconds < 3.0, f"took {seconds:.1f} s to exit"
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "stack preview(s) complete" in lines[0] and "re-run" in lines[0], lines[0]
    assert _survivors(processes) == [], "worker processes outlived the interrupt"
    leftovers = [p.name for p in (out / "preview").glob(".*")] if (out / "preview").is_dir() else []
    assert leftovers == [], "temporary files left behind"


def _interrupt_when_previewing_in_process(proc: subprocess.Popen[str], out: Path) -> float:
    deadline = time.monotonic() + 60
    while not (out / "preview").is_dir() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, "finished before the interrupt"
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    return sent


def test_interrupted_in_process_preview_exits_at_once(estate: Path, tmp_path: Path) -> None:
    """`--jobs 1` runs Pulumi's runtime in this process, which swallows or stalls on an
    exception raised into it: the interrupt must still end the run at once, cleanly."""
    out = tmp_path / "out"
    proc = _start(
        ["migrate", str(estate), "--cloud", "aws", "--out", str(out), "--jobs", "1", "-q"]
    )
    sent = _interrupt_when_previewing_in_process(proc, out)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("still running 30 s after the interrupt")
    assert time.monotonic() - sent < 3.0
    assert proc.returncode == 130, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "stack preview(s) complete" in lines[0], stderr
    assert [p.name for p in (out / "preview").glob(".*")] == []


def test_rerun_after_interrupt_resumes(estate: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["migrate", str(estate), "--cloud", "aws", "--out", str(out), "--jobs", "2", "-q"]
    proc = _start(args)
    _interrupt_once_previewing(proc, signal.SIGINT, True)
    assert proc.returncode == 130
    done_before = {p.name: p.stat().st_mtime_ns for p in (out / "preview").glob("*.json")}
    rerun = subprocess.run(
        [*FORCELIFT, *args, "--json"], capture_output=True, text=True, timeout=120
    )
    assert rerun.returncode in (0, 1), rerun.stderr
    summary = json.loads(rerun.stdout)
    names = [s["stack"] for s in summary["stacks"]]
    assert sorted(p.stem for p in (out / "preview").glob("*.json")) == sorted(names)
    for name, mtime in done_before.items():  # finished previews were kept, not redone
        assert (out / "preview" / name).stat().st_mtime_ns == mtime

    from forcelift.stacks.preview_stamps import stale_stacks

    assert stale_stacks(out) == {}


def test_interrupted_preview_command(estate: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [*FORCELIFT, "migrate", str(estate), "--cloud", "aws", "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    shutil.rmtree(out / "preview")
    proc = _start(["preview", str(out), "--jobs", "2"])
    seconds, stderr, processes = _interrupt_once_previewing(proc, signal.SIGINT, True)
    assert proc.returncode == 130, stderr
    assert seconds < 3.0
    assert "Traceback" not in stderr
    assert _survivors(processes) == []
