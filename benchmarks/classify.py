"""Benchmark: classify a synthetic estate of 100,000 servers / 20,000 applications.

Run: .venv/bin/python benchmarks/classify.py [--servers N] [--seed S] [--profile]

Builds the estate with `forcelift.migration.inventory.synth.synthesise` when it exists (falls
back to a small generator of its own), then times classification alone and JSON rendering, and
prints seconds. The target is under 5 s for classification of 100,000 servers.

On a shared machine wall time mostly measures the other processes; the script also times a
fixed calibration loop before and after and prints the CPU time expressed in loops, scaled to the
loop's time on the quiet machine, so runs under different loads can be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    Inventory,
    OperatingSystem,
    Server,
    SoftwareProduct,
)

AS_OF = dt.date(2026, 6, 1)
# CPU seconds of the calibration loop when the 2-core benchmark machine had no other load.
QUIET_LOOP_S = 0.17

_OS = (
    "Windows Server 2019",
    "Windows Server 2016",
    "Windows Server 2012 R2",
    "Windows Server 2008 R2",
    "Red Hat Enterprise Linux 8",
    "Ubuntu 22.04",
    "AIX 7.2",
)
_SOFTWARE = (
    "Microsoft SQL Server 2019",
    "Internet Information Services 10",
    "Apache Tomcat 9",
    "PostgreSQL 14",
    "Veeam Agent for Microsoft Windows",
    "Microsoft .NET Framework 4.8",
    "Niche RMS 5",
    "Milestone XProtect",
    "Microsoft Exchange Server 2016",
    "Custom app",
)


def _own_estate(servers: int, seed: int) -> Inventory:
    """A plain synthetic estate, used only if the inventory synthesiser is not available."""
    rng = random.Random(seed)
    apps = max(1, servers // 5)
    server_list = [
        Server(
            name=f"srv{i:06d}",
            os=OperatingSystem(name=rng.choice(_OS)),
            cores=rng.choice((2, 4, 8)),
            memory_mib=rng.choice((4096, 8192, 16384)),
            power_state=rng.choice(("on",) * 9 + ("off",)),
            software=tuple(SoftwareProduct(product=rng.choice(_SOFTWARE)) for _ in range(2)),
        )
        for i in range(servers)
    ]
    applications = [
        Application(
            name=f"app{j:05d}",
            servers=tuple(f"srv{i:06d}" for i in range(j * 5, min(servers, j * 5 + 5))),
            user_count=rng.choice((None, 0, 50, 500)),
        )
        for j in range(apps)
    ]
    dependencies = [
        Dependency(source=f"app{j:05d}", target=f"app{rng.randrange(apps):05d}")
        for j in range(apps)
    ]
    return Inventory(
        servers=tuple(server_list),
        applications=tuple(applications),
        dependencies=tuple(dependencies),
    )


def _calibrate() -> float:
    """CPU seconds of a fixed loop: how loaded the machine is right now."""
    started = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - started


def build(servers: int, seed: int) -> tuple[Inventory, str]:
    try:
        from forcelift.migration.inventory.synth import synthesise
    except ImportError:
        return _own_estate(servers, seed), "benchmark's own generator"
    return synthesise(servers, seed), "forcelift.migration.inventory.synth"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args(argv)

    from forcelift.cli.process import paused_collection
    from forcelift.migration.classify.catalogue import builtin_catalogue
    from forcelift.migration.classify.engine import Classifier
    from forcelift.migration.classify.render import to_json

    before = _calibrate()
    started = time.perf_counter()
    inventory, source = build(args.servers, args.seed)
    print(
        f"estate: {len(inventory.servers):,} servers, {len(inventory.applications):,} "
        f"applications, {len(inventory.dependencies):,} dependencies ({source}, "
        f"{time.perf_counter() - started:.1f} s to build)"
    )
    classifier = Classifier(builtin_catalogue(), as_of=AS_OF)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    with paused_collection():  # as the CLI does (forcelift.cli.process): the core leaves gc alone
        result = classifier.classify(inventory)
    classify_s = time.perf_counter() - started
    classify_cpu = time.process_time() - cpu
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    started = time.perf_counter()
    text = to_json(result)
    render_s = time.perf_counter() - started
    after = _calibrate()
    loop = (before + after) / 2
    print(f"decisions: {result.counts}")
    print(f"classify: {classify_s:.2f} s wall, {classify_cpu:.2f} s CPU")
    print(
        f"machine: the calibration loop took {before:.2f} s / {after:.2f} s CPU before/after "
        f"({QUIET_LOOP_S:.2f} s when this machine was quiet); classify = "
        f"{classify_cpu / loop:.1f} loops ≈ {classify_cpu / loop * QUIET_LOOP_S:.1f} s on a quiet "
        "machine"
    )
    print(f"render JSON: {render_s:.2f} s ({len(text) / 1e6:.1f} MB)")
    ok = classify_s < 5.0
    print("PASS (< 5 s)" if ok else "FAIL (>= 5 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
