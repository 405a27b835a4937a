"""Benchmark `forcelift plan` on a synthetic estate: read -> classify -> plan -> plan.yaml.

    .venv/bin/python benchmarks/plan_estate.py [--servers 100000] [--cloud azure]

Prints seconds per stage and the peak RSS. The estate is synthesised first (not timed) and
written as native YAML, so the read is the real reader path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cloud", choices=("azure", "aws", "both"), default="azure")
    parser.add_argument("--wave-max-servers", type=int, default=12_000)
    parser.add_argument("--supernet", default="10.64.0.0/10")
    args = parser.parse_args(argv)

    from forcelift.cli.process import freeze_loaded, paused_collection
    from forcelift.migration.pipeline import Inputs, read_and_classify
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions
    from forcelift.migration.plan.planio import plan_to_yaml

    work = Path(tempfile.mkdtemp(prefix="forcelift-plan-bench-"))
    estate = work / "estate.yaml"
    # Synthesise in a child process so its memory does not count in this one's peak RSS.
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from pathlib import Path; "
                "from forcelift.migration.inventory.synth import synthesise; "
                "from forcelift.migration.inventory.writer import inventory_to_yaml; "
                f"Path({str(estate)!r}).write_text(inventory_to_yaml(synthesise({args.servers}, "
                f"{args.seed})), encoding='utf-8')"
            ),
        ],
        check=True,
    )
    clouds = ("azure", "aws") if args.cloud == "both" else (args.cloud,)
    timings: list[tuple[str, float]] = []

    start = time.perf_counter()
    inventory, result, _ = read_and_classify(Inputs((estate,), as_of=dt.date(2026, 11, 25)))
    timings.append(("read + classify", time.perf_counter() - start))
    freeze_loaded()
    start = time.perf_counter()
    with paused_collection():
        plan = build_plan(
            PlanRequest(
                inventory,
                result,
                PlanOptions(
                    clouds=clouds, wave_max_servers=args.wave_max_servers, supernet=args.supernet
                ),
                (str(estate),),
            )
        )
    timings.append(("plan (waves, sizing, addresses, cost, carbon)", time.perf_counter() - start))
    start = time.perf_counter()
    text = plan_to_yaml(plan)
    timings.append(("write plan.yaml", time.perf_counter() - start))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"estate: {len(inventory.servers):,} servers, {len(inventory.applications):,} "
        f"applications, {len(inventory.dependencies):,} dependencies; clouds {clouds}"
    )
    print(
        f"plan: {len(plan.waves)} waves, "
        f"{sum(len(c.stacks) for c in plan.clouds)} stacks, {len(text) / 1e6:.1f} MB YAML"
    )
    for name, seconds in timings:
        print(f"  {name:48} {seconds:7.2f} s")
    print(f"  {'plan stage alone':48} {timings[1][1]:7.2f} s   (target < 10 s)")
    print(f"  peak RSS {peak:,.0f} MiB (target < 2048 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
