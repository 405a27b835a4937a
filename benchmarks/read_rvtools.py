"""Benchmark: read a 100,000-VM RVTools workbook into the validated model.

    .venv/bin/python benchmarks/read_rvtools.py [--servers 100000] [--runs 3] [--skip-pandas]

Creates (once; cached in benchmarks/data/, which git ignores) a synthetic RVTools 4.x workbook
with `forcelift inventory synth`'s generator and writer, then measures, each in its own
subprocess so peak RSS (ru_maxrss of the child) belongs to one measurement only:

1. forcelift: `load_inventory([file])` — detection, the RVTools reader (vInfo, vDisk,
   vNetwork, vHost), merge, derived workloads, validation and advisory warnings;
2. calamine iter_rows: a bare python-calamine pass over every row of vInfo, vDisk and
   vNetwork with `CalamineSheet.iter_rows()` (the streaming API forcelift uses), each row
   counted and dropped; the baseline the acceptance criterion refers to;
3. calamine to_python: the same sheets with `to_python()` (whole sheet as a list of lists),
   for context;
4. pandas: `pandas.read_excel(path, sheet_name="vInfo", engine="openpyxl")` (vInfo only).

Times are wall-clock seconds including the library imports, best of --runs; CPU seconds
(user + system of the child) are shown too, because wall time on a shared machine is noisy.
Acceptance: forcelift within 1.5x of the bare calamine pass in time and in peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHEETS = ("vInfo", "vDisk", "vNetwork")
LIMIT = 1.5


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while 100k acyclic models are built, then file them as old.

    The process's owner decides this (the core leaves the collector alone): with it on, the
    collector rescans the growing heap every few thousand allocations, and objects left in the
    youngest generation would be scanned again as they age; `freeze()` + `unfreeze()` moves
    them straight into the oldest generation (skipped if something else froze objects, since
    `unfreeze` would release them).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _child(kind: str, path: str) -> dict[str, float]:
    """Run one measurement in this (fresh) process and return its numbers."""
    start = time.perf_counter()
    rows = 0
    if kind == "forcelift":
        from forcelift.migration.inventory.load import load_inventory

        with collector_paused():
            result = load_inventory([path])
        rows = len(result.inventory.servers)  # VMs; the parent reports the sheets' rows
    elif kind.startswith("calamine"):
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(path)
        for name in SHEETS:
            sheet = workbook.get_sheet_by_name(name)
            if kind == "calamine-iter_rows":
                for _ in sheet.iter_rows():
                    rows += 1
            else:
                rows += len(sheet.to_python())
            del sheet
        rows -= len(SHEETS)  # header rows
        workbook.close()
    elif kind == "pandas":
        import pandas

        rows = len(pandas.read_excel(path, sheet_name="vInfo", engine="openpyxl"))
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rows": rows,
        "rss_mib": usage.ru_maxrss / 1024,  # KiB on Linux
    }


def _measure(kind: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _workbook(servers: int, seed: int, data: Path) -> Path:
    path = data / f"rvtools-{servers}-seed{seed}.xlsx"
    if path.exists():
        print(f"using cached {path}")
        return path
    from forcelift.migration.inventory.export.rvtools import write_rvtools_xlsx
    from forcelift.migration.inventory.synth import synthesise

    print(f"creating {path} (once; xlsxwriter needs a few minutes at 100k servers)")
    start = time.perf_counter()
    with collector_paused():
        estate = synthesise(servers, seed)
    made = time.perf_counter()
    write_rvtools_xlsx(estate, path)
    print(
        f"  synthesise: {made - start:.1f} s, write: {time.perf_counter() - made:.1f} s, "
        f"{path.stat().st_size / 2**20:.0f} MiB"
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="best of N (interleaved)")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress when piped
    args.data.mkdir(parents=True, exist_ok=True)
    path = _workbook(args.servers, args.seed, args.data)
    kinds = ["calamine-iter_rows", "forcelift", "calamine-to_python"]
    best: dict[str, dict[str, float]] = {}
    for run in range(args.runs):
        for kind in kinds:
            numbers = _measure(kind, path)
            print(
                f"  run {run + 1} {kind}: {numbers['seconds']:.2f} s, {numbers['rss_mib']:.0f} MiB"
            )
            if kind not in best or numbers["seconds"] < best[kind]["seconds"]:
                best[kind] = numbers
    if not args.skip_pandas:
        best["pandas"] = _measure("pandas", path)

    base = best["calamine-iter_rows"]
    vms = best["forcelift"]["rows"]
    best["forcelift"]["rows"] = base["rows"]  # it reads the same sheets' rows
    print()
    print(f"{path.name} ({path.stat().st_size / 2**20:.0f} MiB): {vms:,.0f} VMs read and validated")
    head = f"{'measurement':<22}{'seconds':>9}{'cpu s':>8}{'rows':>10}{'rows/s':>10}"
    print(head + f"{'peak RSS MiB':>14}{'time x':>8}{'RSS x':>7}")
    for kind, n in best.items():
        print(
            f"{kind:<22}{n['seconds']:>9.2f}{n['cpu']:>8.2f}{n['rows']:>10,.0f}"
            f"{n['rows'] / n['seconds']:>10,.0f}{n['rss_mib']:>14,.0f}"
            f"{n['seconds'] / base['seconds']:>8.2f}{n['rss_mib'] / base['rss_mib']:>7.2f}"
        )
    ours = best["forcelift"]
    time_ratio = ours["seconds"] / base["seconds"]
    rss_ratio = ours["rss_mib"] / base["rss_mib"]
    verdict = "PASS" if time_ratio <= LIMIT and rss_ratio <= LIMIT else "FAIL"
    print(
        f"\nforcelift vs bare calamine iter_rows: time {time_ratio:.2f}x "
        f"(CPU {ours['cpu'] / base['cpu']:.2f}x), peak RSS {rss_ratio:.2f}x "
        f"(limit {LIMIT}x each): {verdict}"
    )
    print("rows: data rows of vInfo + vDisk + vNetwork (pandas: vInfo only)")


if __name__ == "__main__":
    main()
