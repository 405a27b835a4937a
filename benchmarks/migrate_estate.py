"""Benchmark `forcelift migrate` end to end on a synthetic estate (default 100,000 servers).

The estate is synthesised first (untimed; cached in WORK) with `forcelift inventory synth`.
Then the real CLI runs in a pseudo-terminal, so rich draws its live progress bar exactly as an
engineer sees it; the terminal output is echoed and saved to WORK/migrate.tty. The RSS of the
whole process tree (migrate and its preview workers) is sampled every half second.

Prints wall seconds, exit code, the per-stage seconds `migrate` reports, peak RSS of the
largest single process and of the tree, and what was produced (stacks, resources, findings).

    .venv/bin/python benchmarks/migrate_estate.py [--servers 100000] [--cloud azure]
        [--format native-yaml|rvtools-xlsx] [--work /tmp/fl-migrate-bench] [--jobs N]

Not a test: run it by hand on a quiet machine and put the numbers in your note.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FROZE_AT = [""]  # the line on screen at the start of the longest silence (run_in_terminal)
SUFFIX = {"native-yaml": "yaml", "rvtools-xlsx": "xlsx"}


def forcelift() -> str:
    return str(Path(sys.executable).parent / "forcelift")


def estate_file(work: Path, servers: int, seed: int, fmt: str) -> Path:
    path = work / f"estate-{servers}-seed{seed}.{SUFFIX[fmt]}"
    if not path.is_file():
        started = time.perf_counter()
        synth = [forcelift(), "inventory", "synth", "--servers", str(servers)]
        subprocess.run([*synth, "--seed", str(seed), "-o", str(path), "--format", fmt], check=True)
        print(f"synthesised {path.name} in {time.perf_counter() - started:.0f} s (untimed)")
    return path


class TreeSampler(threading.Thread):
    """Peak memory of the process tree rooted at `pid`: RSS of its largest process, and the
    tree's total PSS (forked preview workers share the parent's pages; RSS would count them
    once per process, PSS splits them)."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_tree_pss = 0
        self.peak_process = 0
        self.peak_processes = 0
        self.peak_root = (0, 0.0)  # (RSS of `migrate` itself, seconds into the run)
        self.peak_child = (0, 0.0)  # (RSS of the largest preview worker, seconds)
        self.started = time.perf_counter()
        self.timeline: list[tuple[float, int, int, int]] = []  # (s, migrate, worker, tree PSS)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            rss, pss = [], []
            now = time.perf_counter() - self.started
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                except psutil.Error:
                    continue
                rss.append(info.rss)
                pss.append(getattr(info, "pss", info.rss))
                if proc is self.root:
                    self.peak_root = max(self.peak_root, (info.rss, now))
                else:
                    self.peak_child = max(self.peak_child, (info.rss, now))
            self.peak_tree_pss = max(self.peak_tree_pss, sum(pss))
            self.timeline.append((now, rss[0] if rss else 0, max(rss[1:], default=0), sum(pss)))
            self.peak_process = max(self.peak_process, max(rss, default=0))
            self.peak_processes = max(self.peak_processes, len(procs))
            self.stopped.wait(self.interval)


def run_in_terminal(
    command: list[str], log: Path, env: dict[str, str]
) -> tuple[int, float, TreeSampler, float]:
    """Run `command` on a pseudo-terminal; tee its output to our stdout and to `log`. Also
    the longest time the terminal got no output (a frozen progress display)."""
    master, slave = os.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    longest_gap, last, previous = 0.0, time.perf_counter(), b""
    FROZE_AT[0] = ""
    with log.open("wb") as out:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            now = time.perf_counter()
            if now - last > longest_gap:
                longest_gap = now - last
                # what the terminal showed as it froze: the last line drawn before the gap
                lines = ANSI.sub("", previous.decode(errors="replace")).replace("\r", "\n")
                FROZE_AT[0] = next((t for t in reversed(lines.split("\n")) if t.strip()), "")
            last, previous = now, chunk
            out.write(chunk)
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
    code = proc.wait()
    seconds = time.perf_counter() - started
    sampler.stopped.set()
    sampler.join()
    os.close(master)
    return code, seconds, sampler, longest_gap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cloud", choices=("azure", "aws", "both"), default="azure")
    parser.add_argument("--format", choices=sorted(SUFFIX), default="native-yaml")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fl-migrate-bench"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--wave-max-servers", type=int, default=12_000)
    # No application cap by default: the figures in earlier notes were made before it existed.
    parser.add_argument("--wave-max-apps", type=int, default=1_000_000)
    parser.add_argument("--supernet", default="10.64.0.0/10")
    parser.add_argument("--keep", action="store_true", help="Re-run over the previous output.")
    parser.add_argument(
        "--rerun-override",
        action="store_true",
        help="After the first run, pin one application's target with an override and run "
        "again over the same output (the incremental re-run: stacks previewed vs reused).",
    )
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    estate = estate_file(args.work, args.servers, args.seed, args.format)
    out = args.work / "out"
    if out.exists() and not args.keep:
        shutil.rmtree(out)
    command = [
        forcelift(),
        "migrate",
        str(estate),
        "--cloud",
        args.cloud,
        "--out",
        str(out),
        "--wave-max-servers",
        str(args.wave_max_servers),
        "--wave-max-apps",
        str(args.wave_max_apps),
        "--supernet",
        args.supernet,
        "--as-of",
        "2026-11-25",
    ]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    env = {**os.environ, "COLUMNS": "120"}
    code = report(args, run_in_terminal(command, args.work / "migrate.tty", env), "first run")
    if args.rerun_override and code in (0, 1):
        overrides = write_override(out / "plan.yaml", args.work / "overrides.yaml")
        again = [*command, "--overrides", str(overrides)]
        code = report(args, run_in_terminal(again, args.work / "rerun.tty", env), "re-run")
    return 0 if code in (0, 1) else code


def write_override(plan: Path, target: Path) -> Path:
    """Pin the first moving workload's target (same decision, so its wave stays put)."""
    application = decision = candidate = ""
    with plan.open(encoding="utf-8") as fh:  # streamed: the first workloads are near the top
        for line in fh:
            if line.startswith("- application: "):
                candidate = line.split(": ", 1)[1].strip()
            elif candidate and line.startswith("  decision: "):
                found = line.split(": ", 1)[1].strip()
                if found in ("SAAS", "PAAS", "IAAS"):
                    application, decision = candidate, found
                    break
                candidate = ""
    target.write_text(
        "overrides:\n"
        f"  - application: {application}\n"
        f"    decision: {decision}\n"
        "    target: {azure: Pinned by the benchmark, aws: Pinned by the benchmark}\n"
        "    reason: benchmark re-run after one override\n"
        "    by: benchmarks/migrate_estate.py\n"
        "    date: 2026-11-25\n",
        encoding="utf-8",
    )
    print(f"override: {application} ({decision}) -> {target}")
    return target


def report(args: argparse.Namespace, run: tuple[int, float, TreeSampler, float], label: str) -> int:
    code, seconds, sampler, longest_gap = run
    log = args.work / ("migrate.tty" if label == "first run" else "rerun.tty")

    text = ANSI.sub("", log.read_bytes().decode("utf-8", "replace")).replace("\r", "\n")
    took = re.findall(r"^Took .*$", text, flags=re.M)
    produced = [
        line
        for line in text.splitlines()
        if line.startswith(("Decisions:", "Stacks:", "Guardrails:", "Project files:"))
    ]
    mib = 1024 * 1024
    print()
    print(
        f"forcelift migrate ({label}), {args.servers:,} servers ({args.format}), "
        f"--cloud {args.cloud}"
    )
    print(f"  exit code            {code}")
    print(f"  wall                 {seconds:,.0f} s ({seconds / 60:.1f} min)")
    print(f"  peak RSS (largest)   {sampler.peak_process / mib:,.0f} MiB")
    print(f"  peak PSS (tree)      {sampler.peak_tree_pss / mib:,.0f} MiB")
    for role, (peak, at) in (("migrate", sampler.peak_root), ("worker", sampler.peak_child)):
        print(f"  peak RSS {role:<11} {peak / mib:,.0f} MiB at {at:,.0f} s")
    memory = log.with_suffix(".memory.tsv")
    memory.write_text(
        "seconds\tmigrate_rss_mib\tlargest_worker_rss_mib\ttree_pss_mib\n"
        + "".join(
            f"{t:.1f}\t{a / mib:.0f}\t{b / mib:.0f}\t{c / mib:.0f}\n"
            for t, a, b, c in sampler.timeline
        ),
        encoding="utf-8",
    )
    print(f"  memory over time     {memory}")
    print(f"  processes (max)      {sampler.peak_processes}")
    print(f"  longest silence      {longest_gap:.1f} s (no terminal output: progress froze)")
    print(f"  silent after         {FROZE_AT[0].strip()[:100]!r}")
    for line in took[-1:] + produced:
        print(f"  {line}")
    print(f"  progress output      {log} ({log.stat().st_size:,} bytes)")
    return code


if __name__ == "__main__":
    sys.exit(main())
