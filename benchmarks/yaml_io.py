"""Benchmark forcelift's YAML reading and writing at scale, beside json of the same data.

Synthesises an estate with `forcelift inventory synth` and makes its plan with `forcelift plan`
(both untimed, cached in WORK), then times in this one process:

- native inventory YAML read: the YAML parse (migration.yamlio.load) and the whole reader
  (migration/inventory/readers/native_yaml.read: parse + validation);
- plan write: migration.yamlio.dump of the plan data, and plan_to_yaml (model dump + YAML);
- plan read: migration.yamlio.load of plan.yaml, and load_plan (YAML + validation);

each beside json.loads / json.dumps of the same data, with the ratio, the longest stretch another
thread waited for the interpreter (what a progress display's refresh thread would see) and the
process's peak RSS. `--pyyaml` also times the old route (PyYAML with libyaml) for comparison.

    .venv/bin/python benchmarks/yaml_io.py [--servers 100000] [--work /tmp/fl-yaml-bench] [--pyyaml]

Not a test: run it by hand on a quiet machine and put the numbers in your note.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forcelift.migration import yamlio
from forcelift.migration.errors import ProblemCollector
from forcelift.migration.inventory.readers import native_yaml
from forcelift.migration.inventory.readers.base import Source
from forcelift.migration.plan import planio


def forcelift() -> str:
    return str(Path(sys.executable).parent / "forcelift")


def cached(path: Path, command: list[str]) -> Path:
    if not path.is_file():
        started = time.perf_counter()
        subprocess.run(command, check=True)
        print(f"made {path.name} in {time.perf_counter() - started:.0f} s (untimed)")
    return path


class Stalls(threading.Thread):
    """The longest gap between wake-ups of a thread that asks to sleep 10 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.longest = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        last = time.perf_counter()
        while not self.stopped.is_set():
            time.sleep(0.01)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now


def timed(label: str, work: Callable[[], Any]) -> tuple[Any, float]:
    watcher = Stalls()
    watcher.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    watcher.stopped.set()
    watcher.join()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<44} {seconds:8.2f} s   stall {watcher.longest:5.2f} s   peak {rss:,.0f} MiB")
    return result, seconds


def ratio(name: str, seconds: float, baseline: float) -> None:
    print(f"  -> {name}: {seconds / baseline:.1f}x json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fl-yaml-bench"))
    parser.add_argument("--pyyaml", action="store_true", help="Also time PyYAML (slow).")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    n = args.servers
    estate_path, plan_path = args.work / f"estate-{n}.yaml", args.work / f"plan-{n}.yaml"
    synth = ["inventory", "synth", "--servers", str(n), "--seed", str(args.seed)]
    estate = cached(estate_path, [forcelift(), *synth, "-o", str(estate_path)])
    make_plan = ["plan", str(estate), "--cloud", "azure", "--wave-max-servers", "12000"]
    options = ["--supernet", "10.64.0.0/10", "--as-of", "2026-11-25", "-q"]
    plan_file = cached(plan_path, [forcelift(), *make_plan, *options, "-o", str(plan_path)])
    print(f"{n:,} servers: {estate.stat().st_size / 2**20:.0f} MiB inventory, "
          f"{plan_file.stat().st_size / 2**20:.0f} MiB plan")  # fmt: skip

    print("native inventory YAML read")
    text = estate.read_text(encoding="utf-8")
    data, fast = timed("yamlio.load", lambda: yamlio.load(text))
    if args.pyyaml:
        timed("PyYAML CSafeLoader (the old route)", lambda: yamlio.pyyaml_load(text))
    as_json = json.dumps(data, default=str)
    _, base = timed("json.loads of the same data", lambda: json.loads(as_json))
    ratio("yamlio.load", fast, base)
    del as_json, data
    problems = ProblemCollector()
    source = Source(path=estate, display=estate.name)
    timed("native_yaml.read (parse + validate)", lambda: native_yaml.read(source, problems))
    del text

    print("plan write")
    plan = planio.load_plan(plan_file)
    data, _ = timed("planio.dump_model (chunked model_dump)", lambda: planio.dump_model(plan))
    out, fast = timed("yamlio.dump", lambda: yamlio.dump(data))
    if args.pyyaml:
        old, _ = timed("PyYAML CSafeDumper (the old route)", lambda: yamlio.pyyaml_dump(data))
        print(f"  byte-identical to PyYAML: {old == out}")
        del old
    _, base = timed("json.dumps of the same data", lambda: json.dumps(data))
    ratio("yamlio.dump", fast, base)
    written, _ = timed("plan_to_yaml (model dump + YAML)", lambda: planio.plan_to_yaml(plan))
    print(f"  same as the cached plan.yaml: {written == plan_file.read_text(encoding='utf-8')}")
    del out, written

    print("plan read")
    text = plan_file.read_text(encoding="utf-8")
    _, fast = timed("yamlio.load", lambda: yamlio.load(text))
    if args.pyyaml:
        timed("PyYAML CSafeLoader (the old route)", lambda: yamlio.pyyaml_load(text))
    as_json = json.dumps(data)
    _, base = timed("json.loads of the same data", lambda: json.loads(as_json))
    ratio("yamlio.load", fast, base)
    timed("load_plan (YAML + chunked validation)", lambda: planio.load_plan(plan_file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
