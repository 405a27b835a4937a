"""Assessment-shaped fixtures: Azure Migrate "All_Assessed_Machines" / "All_Assessed_Disks".

Three sets of the same 24 machines, built from the documented columns
(docs/formats-azure-migrate.md and the portal's export):

- `performance`: a performance-based assessment with real-looking utilisation (95th
  percentile CPU and memory), Azure Migrate's recommended sizes and GBP monthly costs;
- `zero`: the same, but with `0.0` in every usage cell, as real exports write when the
  appliance collected nothing (Azure Migrate keeps such machines at their allocation);
- `as-is`: an as-on-premises assessment, `Not applicable` in the usage cells.

`inventory(kind)` gives the servers as the readers should produce them (per the contract in
the model), so sizing can be tested whatever the reader does; `write_workbook(kind, path)`
writes the export itself for the loader and `benchmarks/sizing_agreement.py`.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Literal

from forcelift.migration.inventory.model import (
    Application,
    AssessedDisk,
    Assessment,
    Disk,
    Inventory,
    OperatingSystem,
    Server,
    Utilisation,
)

Kind = Literal["performance", "zero", "as-is"]
KINDS: tuple[Kind, ...] = ("performance", "zero", "as-is")

MACHINE_COLUMNS = (
    "Machine",
    "VM host",
    "Operating system",
    "Boot type",
    "Cores",
    "Memory(MB)",
    "CPU usage(%)",
    "Memory usage(%)",
    "Storage(GB)",
    "Network adapters",
    "IP address",
    "Azure VM readiness",
    "Azure readiness issues",
    "Recommended size",
    "Compute monthly cost estimate GBP",
    "Storage monthly cost estimate GBP",
    "Data collection issues",
)
DISK_COLUMNS = (
    "Machine",
    "Disk name",
    "Size(GB)",
    "Recommended disk SKU",
    "Monthly storage cost",
)

# Sizes Azure Migrate recommends, with vCPUs, GiB and a UK South Linux GBP monthly cost (730 h).
_AM_SIZES = (
    ("Standard_B2s", 2, 4, 26.4),
    ("Standard_D2as_v5", 2, 8, 55.2),
    ("Standard_D2s_v5", 2, 8, 64.6),
    ("Standard_F2s_v2", 2, 4, 57.6),
    ("Standard_E2as_v5", 2, 16, 72.6),
    ("Standard_D4as_v5", 4, 16, 110.4),
    ("Standard_D4s_v5", 4, 16, 129.2),
    ("Standard_F4s_v2", 4, 8, 115.2),
    ("Standard_E4as_v5", 4, 32, 145.2),
    ("Standard_E4s_v5", 4, 32, 172.3),
    ("Standard_D8as_v5", 8, 32, 220.8),
    ("Standard_D8s_v5", 8, 32, 258.4),
    ("Standard_E8as_v5", 8, 64, 290.4),
    ("Standard_F8s_v2", 8, 16, 230.4),
    ("Standard_D16as_v5", 16, 64, 441.6),
    ("Standard_E16as_v5", 16, 128, 580.8),
    ("Standard_DS1_v2", 1, 3.5, 49.2),
)
_SHAPES = ((1, 2), (1, 4), (2, 4), (2, 8), (4, 8), (4, 16), (4, 32), (8, 32), (8, 64), (16, 64))
_HDD = {32: "S4", 64: "S6", 128: "S10", 256: "S15", 512: "S20", 1024: "S30"}
_SSD = {32: "E4", 64: "E6", 128: "E10", 256: "E15", 512: "E20", 1024: "E30"}


def _tier_size(gb: float) -> int:
    return next(t for t in sorted(_SSD) if t >= gb)


def _am_size(vcpus: float, memory: float) -> tuple[str, int, float, float]:
    """Azure Migrate's choice as documented: the cheapest size that fits the effective need."""
    fitting = [s for s in _AM_SIZES if s[1] >= vcpus and s[2] >= memory - 1e-9]
    return min(fitting, key=lambda s: (s[3], s[1], s[0]))


def _machines(seed: int = 17) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out = []
    for i in range(24):
        cores, memory = _SHAPES[i % len(_SHAPES)]
        windows = i % 3 != 0
        disks = [127.0 if windows else 64.0] + [
            float(rng.choice((100, 200, 500, 1000))) for _ in range(i % 3)
        ]
        out.append(
            {
                "name": f"FCT-{'WIN' if windows else 'LNX'}-{i + 1:02d}",
                "host": f"esx{i % 4 + 1:02d}.force.local",
                "os": "Microsoft Windows Server 2019 (64-bit)"
                if windows
                else "Red Hat Enterprise Linux 8 (64-bit)",
                "cores": cores,
                "memory_mb": int(memory * 1024),
                "cpu": round(rng.uniform(3, 75), 1),
                "mem": round(rng.uniform(20, 90), 1),
                "disks": disks,
                "ip": f"10.20.{i // 200}.{i % 200 + 10}",
                "old_os": i == 5,
            }
        )
    return out


def _assessment(kind: Kind, m: dict[str, object]) -> Assessment:
    cores, memory = int(m["cores"]), int(m["memory_mb"]) / 1024  # type: ignore[call-overload]
    if kind == "performance":
        need_cpu = max(1, math.ceil(cores * float(m["cpu"]) / 100 * 1.3))  # type: ignore[arg-type]
        need_mem = memory * float(m["mem"]) / 100 * 1.3  # type: ignore[arg-type]
    else:
        need_cpu, need_mem = cores, memory
    name, _, _, compute = _am_size(need_cpu, need_mem)
    disks = []
    for n, gb in enumerate(m["disks"]):  # type: ignore[attr-defined]
        tier_size = _tier_size(gb)
        table = _SSD if n == 0 or kind != "performance" else _HDD
        disks.append(
            AssessedDisk(
                name=f"scsi0:{n}",
                size_gib=gb,
                recommended_type=(
                    f"Standard SSD {table[tier_size]}"
                    if table is _SSD
                    else f"Standard HDD {table[tier_size]}"
                ),
                monthly_cost=round(tier_size * (0.074 if table is _SSD else 0.041), 2),
            )
        )
    readiness, reasons = "Ready", ()
    if m["old_os"]:
        readiness, reasons = "Ready with conditions", ("Windows Server 2008 R2 is out of support",)
    return Assessment(
        source="azure-migrate",
        sizing_criterion="performance-based" if kind != "as-is" else "as-is",
        recommended_size=name,
        readiness=readiness,
        readiness_reasons=reasons,
        disks=tuple(disks),
        monthly_compute_cost=compute,
        monthly_storage_cost=round(sum(d.monthly_cost or 0 for d in disks), 2),
        currency="GBP",
    )


def inventory(kind: Kind) -> Inventory:
    """The servers the readers should give for this export (contract: cores, assessment, …)."""
    servers = []
    for m in _machines():
        util = None
        if kind == "performance":
            util = Utilisation(cpu_percent=m["cpu"], memory_percent=m["mem"])  # type: ignore[arg-type]
        elif kind == "zero":
            util = None  # readers map 0.0/0.0 to None; sizing must cope with either
        servers.append(
            Server(
                name=str(m["name"]),
                os=OperatingSystem(name=str(m["os"])),
                cores=int(m["cores"]),  # type: ignore[call-overload]
                memory_mib=int(m["memory_mb"]),  # type: ignore[call-overload]
                host=str(m["host"]),
                ip_addresses=(str(m["ip"]),),
                disks=tuple(
                    Disk(name=f"scsi0:{n}", provisioned_gib=gb)
                    for n, gb in enumerate(m["disks"])  # type: ignore[attr-defined]
                ),
                utilisation=util,
                assessment=_assessment(kind, m),
            )
        )
    app = Application(name="Assessed estate", servers=tuple(s.name for s in servers))
    return Inventory(force="Fixtureshire Police", servers=tuple(servers), applications=(app,))


def zero_cells_inventory() -> Inventory:
    """The zero set as a reader that kept the 0.0 cells would give it."""
    inv = inventory("zero")
    return inv.model_copy(
        update={
            "servers": tuple(
                s.model_copy(
                    update={"utilisation": Utilisation(cpu_percent=0.0, memory_percent=0.0)}
                )
                for s in inv.servers
            )
        }
    )


def write_workbook(kind: Kind, path: Path) -> Path:
    """The export as the portal writes it (two sheets), for the loader and the benchmark."""
    from openpyxl import Workbook

    book = Workbook()
    machines = book.active
    machines.title = "All_Assessed_Machines"
    machines.append(MACHINE_COLUMNS)
    disks = book.create_sheet("All_Assessed_Disks")
    disks.append(DISK_COLUMNS)
    inv = inventory(kind)
    for m, server in zip(_machines(), inv.servers, strict=True):
        a = server.assessment
        assert a is not None
        usage: tuple[object, object]
        if kind == "performance":
            usage = (m["cpu"], m["mem"])
        elif kind == "zero":
            usage = (0.0, 0.0)
        else:
            usage = ("Not applicable", "Not applicable")
        machines.append(
            (
                server.name,
                server.host,
                server.os.name,
                "BIOS",
                server.cores,
                server.memory_mib,
                *usage,
                round(server.provisioned_gib, 2),
                1,
                server.ip_addresses[0],
                a.readiness,
                "; ".join(a.readiness_reasons),
                a.recommended_size,
                a.monthly_compute_cost,
                a.monthly_storage_cost,
                "",
            )
        )
        for d in a.disks:
            disks.append((server.name, d.name, d.size_gib, d.recommended_type, d.monthly_cost))
    book.properties.creator = "forcelift fixtures"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
