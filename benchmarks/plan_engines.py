"""Speed and memory of the planning engines on a large synthetic estate.

Runs waves, right-sizing, cloud cost, on-premise cost, carbon and the address plan for a
synthetic estate (default 100,000 servers) and prints wall and CPU seconds per stage and the
peak RSS. The target: all engines together under 10 s and 2 GiB on the project machine.

    .venv/bin/python benchmarks/plan_engines.py [--servers 100000] [--cloud azure|aws|both]

Not a test: run it by hand and put the numbers in your note. The estate comes from
forcelift.migration.inventory.synth; decisions are assigned deterministically (60 % IAAS,
15 % PAAS, 10 % SAAS, 10 % RETAIN, 5 % RETIRE) since the classifier is a separate step.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import resource
import time
from collections.abc import Callable
from typing import Any

from forcelift.cli.process import freeze_loaded, paused_collection
from forcelift.migration.clouds import DEFAULT_REGION, Cloud
from forcelift.migration.inventory.model import Criticality, Inventory
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.plan.carbon import carbon_summary, load_coefficients, workload_carbon
from forcelift.migration.plan.cost import Pricer, cost_summary
from forcelift.migration.plan.network import (
    AddressOptions,
    onprem_ranges,
    plan_addresses,
    spoke_request,
)
from forcelift.migration.plan.onprem_cost import load_onprem_defaults, workload_onprem_cost
from forcelift.migration.plan.prices import load_prices
from forcelift.migration.plan.sizing import Sizer, assign_servers
from forcelift.migration.plan.waves import WaveOptions, move_groups, plan_waves

_HIGH = (Criticality.HIGH, Criticality.CRITICAL)
_MIX = ("IAAS",) * 12 + ("PAAS",) * 3 + ("SAAS",) * 2 + ("RETAIN",) * 2 + ("RETIRE",)


def decisions(inventory: Inventory) -> dict[str, str]:
    return {app.name: _MIX[i % len(_MIX)] for i, app in enumerate(inventory.applications)}


class Stopwatch:
    """Wall, CPU and garbage-collector seconds per stage."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float]] = []
        self.gc_seconds = 0.0
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_seconds += time.perf_counter() - self._gc_started

    def run(self, label: str, fn: Callable[[], Any]) -> Any:
        wall, cpu, collected = time.perf_counter(), time.process_time(), self.gc_seconds
        result = fn()
        self.rows.append(
            (
                label,
                time.perf_counter() - wall,
                time.process_time() - cpu,
                self.gc_seconds - collected,
            )
        )
        return result


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cloud", choices=("azure", "aws", "both"), default="azure")
    parser.add_argument(
        "--collect",
        action="store_true",
        help="keep the garbage collector running while planning (default: paused)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    inventory = synthesise(args.servers, args.seed)
    synth_seconds = time.perf_counter() - started
    freeze_loaded()  # the inventory lives for the whole run: keep the collector off it
    pause = paused_collection() if not args.collect else contextlib.nullcontext()
    with pause:
        run(args, inventory, synth_seconds)


def run(args: argparse.Namespace, inventory: Inventory, synth_seconds: float) -> None:

    watch = Stopwatch()
    decided = decisions(inventory)
    owned = assign_servers(inventory)
    members = owned.servers
    probe = time.perf_counter()
    groups = move_groups(inventory.applications, inventory.dependencies, decided)
    probe = time.perf_counter() - probe
    biggest = groups[0].server_count
    options = WaveOptions(max_servers_per_wave=max(500, biggest))
    waves = watch.run(
        f"waves (max {options.max_servers_per_wave} servers)",
        lambda: plan_waves(inventory.applications, inventory.dependencies, decided, options),
    )
    wave_of = waves.wave_of()
    coefficients = load_coefficients()
    assumptions = load_onprem_defaults()

    clouds = (Cloud.AZURE, Cloud.AWS) if args.cloud == "both" else (Cloud(args.cloud),)
    for cloud in clouds:
        region = DEFAULT_REGION[cloud]
        prices = load_prices(cloud, region)
        sizer = Sizer(cloud, prices)
        pricer = Pricer(prices)
        targets = watch.run(
            f"{cloud.value}: right-sizing",
            lambda sizer=sizer: [
                sizer.workload(
                    a.name,
                    members[a.name],
                    decided[a.name],
                    premium_disks=a.criticality in _HIGH,
                    notes=owned.notes.get(a.name, ()),
                )
                for a in inventory.applications
            ],
        )
        costs = watch.run(
            f"{cloud.value}: cloud cost",
            lambda pricer=pricer, targets=targets: cost_summary(
                [pricer.workload(t) for t in targets], wave_of
            ),
        )
        carbon = watch.run(
            f"{cloud.value}: carbon",
            lambda targets=targets, region=region: carbon_summary(
                [
                    workload_carbon(t.application, members[t.application], t, coefficients, region)
                    for t in targets
                ],
                wave_of,
            ),
        )
        spokes = [spoke_request(f"wave-{w.number}", w.server_count, cloud) for w in waves.waves]
        plan = watch.run(
            f"{cloud.value}: address plan ({len(spokes)} spokes)",
            lambda cloud=cloud, spokes=spokes: plan_addresses(
                cloud,
                spokes,
                avoid=onprem_ranges(inventory.servers),
                options=AddressOptions(supernet="10.64.0.0/10"),
            ),
        )
        print(
            f"{cloud.value}: {len(targets)} workloads, monthly pay-as-you-go "
            f"{costs.monthly.payg:,.0f} {costs.currency}, cloud {carbon.cloud.total_kgco2e:,.0f} "
            f"kgCO2e/yr vs on premise {carbon.onprem.total_kgco2e:,.0f}, "
            f"{len(plan.networks)} networks"
        )
    watch.run(
        "on-premise cost",
        lambda: [
            workload_onprem_cost(a.name, members[a.name], assumptions, coefficients)
            for a in inventory.applications
        ],
    )

    print(
        f"\nestate: {len(inventory.servers):,} servers, {len(inventory.applications):,} "
        f"applications, {len(inventory.dependencies):,} dependencies "
        f"(synthesised in {synth_seconds:.1f} s, not counted)"
    )
    print(
        f"waves: {len(waves.waves)}, move groups: {len(waves.move_groups)}, biggest {biggest} "
        f"servers (found by a probe in {probe:.1f} s, not counted)"
    )
    print(f"{'stage':<40} {'wall s':>8} {'cpu s':>8} {'gc s':>8}")
    for label, wall, cpu, collecting in watch.rows:
        print(f"{label:<40} {wall:>8.2f} {cpu:>8.2f} {collecting:>8.2f}")
    wall, cpu, collecting = (sum(r[i] for r in watch.rows) for i in (1, 2, 3))
    print(f"{'engines total':<40} {wall:>8.2f} {cpu:>8.2f} {collecting:>8.2f}")
    print(
        f"peak RSS: {peak_rss_mib():,.0f} MiB; load average: {os.getloadavg()[0]:.1f}; "
        f"garbage collector {'running' if args.collect else 'paused'} while planning"
    )


if __name__ == "__main__":
    main()
