"""Deterministic synthetic police estates, for scale work, benchmarks and demos.

`synthesise(servers, seed)` builds an estate shaped like a UK force's: a Windows-heavy mix with
some Server 2008/2012 left, a Linux quarter, a handful of AIX/Solaris boxes, about one
application per five servers with policing names, OFFICIAL / OFFICIAL-SENSITIVE data,
dependencies between applications and on PNC, PND, PSN, NEP and Microsoft 365. Everything
comes from one `random.Random(seed)`: the same seed gives the same estate, byte for byte.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from forcelift.migration.inventory.model import (
    Criticality,
    DependencyKind,
    ExternalService,
    Inventory,
    OperatingSystem,
    OsFamily,
    PowerState,
    SecurityClassification,
    SoftwareProduct,
)
from forcelift.migration.inventory.synth_families import FAMILIES, Family

DEFAULT_FORCE = "Synthshire Constabulary"
DOMAIN = "synthshire.police.uk"

T = TypeVar("T")


class _Weighted(Generic[T]):
    """A weighted choice that costs one random number and a bisect (random.choices is slower)."""

    def __init__(self, items: Sequence[tuple[T, int]]) -> None:
        self.values = tuple(v for v, _ in items)
        self.cumulative = tuple(itertools.accumulate(w for _, w in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _os(name: str, family: OsFamily) -> OperatingSystem:
    return OperatingSystem(family=family, name=name)


_W, _L = OsFamily.WINDOWS, OsFamily.LINUX
# Guest OS names as RVTools reports them; weights in thousandths of the estate.
_OPERATING_SYSTEMS: _Weighted[OperatingSystem] = _Weighted(
    (
        (_os("Microsoft Windows Server 2008 R2 (64-bit)", _W), 40),
        (_os("Microsoft Windows Server 2012 (64-bit)", _W), 60),
        (_os("Microsoft Windows Server 2012 R2 (64-bit)", _W), 70),
        (_os("Microsoft Windows Server 2016 (64-bit)", _W), 220),
        (_os("Microsoft Windows Server 2019 (64-bit)", _W), 200),
        (_os("Microsoft Windows Server 2022 (64-bit)", _W), 100),
        (_os("Red Hat Enterprise Linux 7 (64-bit)", _L), 80),
        (_os("Red Hat Enterprise Linux 8 (64-bit)", _L), 70),
        (_os("Red Hat Enterprise Linux 9 (64-bit)", _L), 20),
        (_os("CentOS 7 (64-bit)", _L), 30),
        (_os("Ubuntu Linux (64-bit)", _L), 40),
        (_os("SUSE Linux Enterprise 12 (64-bit)", _L), 10),
        (_os("SUSE Linux Enterprise 15 (64-bit)", _L), 10),
        (_os("Other 3.x or later Linux (64-bit)", _L), 10),
        (_os("Oracle Solaris 11 (64-bit)", OsFamily.UNIX), 6),
        (_os("IBM AIX 7.2", OsFamily.UNIX), 4),
        (_os("VMware Photon OS (64-bit)", OsFamily.APPLIANCE), 20),
        (_os("Other (64-bit)", OsFamily.OTHER), 10),
    )
)
_OS_LETTER = {_W: "W", _L: "L", OsFamily.UNIX: "U", OsFamily.APPLIANCE: "A"}
_CORES = _Weighted(((1, 5), (2, 35), (4, 35), (8, 17), (16, 6), (32, 2)))
_DATA_DISKS = _Weighted(((0, 30), (1, 40), (2, 20), (3, 7), (4, 3)))
_ENVIRONMENTS = _Weighted(
    ((("Production", "P"), 70), (("Test", "T"), 15), (("Development", "D"), 10), (("DR", "R"), 5))
)
_FAMILY_CHOICE = _Weighted(tuple((f, f.weight) for f in FAMILIES))
_ROLES = ("WEB", "APP", "SQL", "APP", "SVC", "FIL", "RPT", "INT")
_GIB_PER_CORE = (2, 4, 4, 8)
_WINDOWS_OS_DISK = (60, 80, 100, 127)
_LINUX_OS_DISK = (40, 50, 80)
_DATA_DISK_GIB = (50, 100, 200, 250, 500, 1000, 2000)
_APP_SIZES = (1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 15)  # mean 5 servers per application
_SITES = (("HQ", "DC-HQ"), ("DR", "DC-DR"))
_VMS_PER_HOST = 25
_HOSTS_PER_CLUSTER = 16
_FIRST = tuple(f"{c}." for c in "ABCDEFGHJKLMNPRSTW")
_LAST = (
    "Patel", "Smith", "Jones", "Khan", "Williams", "Brown", "Taylor", "Davies", "Evans", "Thomas",
    "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke", "Ahmed", "Murphy",
    "Kaur", "Edwards", "Lewis", "Okafor",
)  # fmt: skip
_TITLES = ("Supt", "Ch Insp", "Insp", "Head of", "Ms", "Mr", "Dr", "Ch Supt")
_PROTOCOLS = (
    *(("https", 443),) * 3,
    ("tcp", 1433),
    ("smb", 445),
    ("tcp", 1521),
    ("ldaps", 636),
    ("http", 80),
    ("tcp", 8443),
)
_RTO = {
    Criticality.CRITICAL: (1.0, 0.25),
    Criticality.HIGH: (4.0, 1.0),
    Criticality.MEDIUM: (24.0, 4.0),
    Criticality.LOW: (72.0, 24.0),
}
_SERVICE_PORT = {
    ExternalService.M365: ("https", 443),
    ExternalService.PSN: ("ipsec", 500),
    ExternalService.CJSM: ("smtp", 25),
}
_EOS_FROM = dt.date(2022, 1, 1)
_DISK_NAMES = tuple(f"Hard disk {n}" for n in range(1, 9))
_SQL_SERVER = SoftwareProduct(vendor="Microsoft", product="SQL Server", version="2016")
_ORACLE = SoftwareProduct(vendor="Oracle", product="Database", version="19c")


def _ip(index: int) -> str:
    subnet = index // 200
    return f"10.{16 + subnet // 256}.{subnet % 256}.{10 + index % 200}"


def _backup_ip(index: int) -> str:
    subnet = index // 250
    return f"172.{16 + subnet // 256 % 16}.{subnet % 256}.{2 + index % 250}"


class _Estate:
    """The generator's state: one random stream, counters, and what has been built so far."""

    def __init__(self, servers: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.width = max(5, len(str(servers)))
        self.servers: list[dict[str, Any]] = []
        self.applications: list[dict[str, Any]] = []
        self.dependencies: list[dict[str, Any]] = []
        self.family_counts: dict[str, int] = {}
        hosts = max(1, -(-servers // _VMS_PER_HOST))
        self.hosts = [
            (
                f"esx{h + 1:04d}.{DOMAIN}",
                f"CL-{_SITES[h % 2][0]}-{h // 2 // _HOSTS_PER_CLUSTER + 1:02d}",
                _SITES[h % 2][1],
                _SITES[h % 2][0],
            )
            for h in range(hosts)
        ]

    def app_name(self, family: Family) -> str:
        n = self.family_counts.get(family.category, 0)
        self.family_counts[family.category] = n + 1
        base = family.names[n % len(family.names)]
        round_ = n // len(family.names)
        return base if round_ == 0 else f"{base} {round_ + 1:03d}"

    def owner(self) -> str:
        rng = self.rng
        return f"{rng.choice(_TITLES)} {rng.choice(_FIRST)} {rng.choice(_LAST)}"

    def server(self, app: str, category: str, role: str, env: tuple[str, str]) -> str:
        """Add one server (as a plain dict: the inventory is validated in one pass at the end)."""
        rng = self.rng
        random_ = rng.random
        index = len(self.servers)
        os = _OPERATING_SYSTEMS.pick(rng)
        cores = _CORES.pick(rng)
        windows = os.family is _W
        os_disks = _WINDOWS_OS_DISK if windows else _LINUX_OS_DISK
        sizes = [os_disks[int(random_() * len(os_disks))]]
        for _ in range(_DATA_DISKS.pick(rng)):
            sizes.append(_DATA_DISK_GIB[int(random_() * 7)])
        roll = random_()
        host, cluster, datacentre, site = self.hosts[int(random_() * len(self.hosts))]
        name = f"{site}{env[1]}{_OS_LETTER.get(os.family, 'X')}{role}{index + 1:0{self.width}d}"
        server: dict[str, Any] = {
            "name": name,
            "fqdn": f"{name.lower()}.{DOMAIN}",
            "ip_addresses": (_ip(index), _backup_ip(index)) if random_() < 0.1 else (_ip(index),),
            "os": os,
            "cores": cores,
            "memory_mib": max(2, cores * _GIB_PER_CORE[int(random_() * 4)]) * 1024,
            "disks": [
                {
                    "name": _DISK_NAMES[n],
                    "provisioned_gib": size,
                    "used_gib": round(size * (0.15 + 0.75 * random_()), 1),
                }
                for n, size in enumerate(sizes)
            ],
            "power_state": _ON if roll < 0.945 else _OFF if roll < 0.995 else _SUSPENDED,
            "host": host,
            "cluster": cluster,
            "datacentre": datacentre,
            "folder": f"/{env[0]}/{category}",
        }
        if random_() < 0.6:
            server["annotation"] = f"{role.lower()} server for {app}"
        if random_() < 0.8:
            server["utilisation"] = {
                "cpu_percent": round(rng.triangular(1, 95, 12), 1),
                "memory_percent": round(rng.triangular(10, 99, 60), 1),
                "iops": round(rng.expovariate(1 / 120), 1),
                "network_mbps": round(rng.expovariate(1 / 6), 2),
            }
        if role == "SQL":
            server["software"] = (_SQL_SERVER if windows else _ORACLE,)
        self.servers.append(server)
        return name

    def application(self, family: Family, size: int) -> str:
        rng = self.rng
        name = self.app_name(family)
        env = _ENVIRONMENTS.pick(rng)
        roles = [_ROLES[(i if size > 2 else i + 1) % len(_ROLES)] for i in range(size)]
        hosted = tuple(self.server(name, family.category, role, env) for role in roles)
        criticality = rng.choice(family.criticality)
        rto, rpo = _RTO[criticality]
        vendor, product, version = rng.choice(family.products)
        products = [SoftwareProduct(vendor=vendor, product=product, version=version)]
        if "SQL" in roles and product != "SQL Server":
            products.append(_SQL_SERVER)
        app: dict[str, Any] = {
            "name": name,
            "owner": self.owner(),
            "description": f"{family.category}: {name}",
            "category": family.category,
            "criticality": criticality,
            "classification": (
                SecurityClassification.OFFICIAL_SENSITIVE
                if rng.random() < family.sensitive
                else SecurityClassification.OFFICIAL
            ),
            "products": tuple(products),
            "servers": hosted,
            "user_count": rng.choice((5, 20, 50, 150, 400, 1200, 3500)),
            "rto_hours": rto,
            "rpo_hours": rpo,
            "cost_centre": f"CC{rng.randrange(100, 1000)}",
        }
        if rng.random() < 0.2:
            app["end_of_support"] = _EOS_FROM + dt.timedelta(days=rng.randrange(9 * 365))
        self.applications.append(app)
        return name

    def depend(self, app: str, family: Family) -> None:
        rng = self.rng
        count = len(self.applications) - 1  # earlier applications only: no cycles
        targets: dict[str, None] = {}
        if count > 0 and rng.random() < 0.65:
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                # a third of the edges go to the first, shared services (directory, e-mail…)
                pick = rng.randrange(min(count, 12)) if rng.random() < 0.3 else rng.randrange(count)
                targets.setdefault(self.applications[pick]["name"])
        for target in targets:
            protocol, port = rng.choice(_PROTOCOLS)
            self.dependencies.append(
                {"source": app, "target": target, "protocol": protocol, "port": port}
            )
        for service in family.externals:
            if rng.random() < 0.7:
                protocol, port = _SERVICE_PORT.get(service, ("https", 443))
                self.dependencies.append(
                    {
                        "source": app,
                        "target": service.value,
                        "kind": DependencyKind.EXTERNAL,
                        "service": service,
                        "protocol": protocol,
                        "port": port,
                    }
                )


_ON, _OFF, _SUSPENDED = PowerState.ON, PowerState.OFF, PowerState.SUSPENDED


def synthesise(servers: int, seed: int, force: str = DEFAULT_FORCE) -> Inventory:
    """A valid synthetic estate of exactly `servers` servers, identical for the same seed."""
    if servers < 1:
        raise ValueError("servers must be at least 1")
    estate = _Estate(servers, seed)
    rng = estate.rng
    # Small estates still get the systems every force runs, one of each family first.
    core = iter(FAMILIES)
    while len(estate.servers) < servers:
        family = next(core, None) or _FAMILY_CHOICE.pick(rng)
        size = min(rng.choice(_APP_SIZES), servers - len(estate.servers))
        app = estate.application(family, size)
        estate.depend(app, family)
    return Inventory.model_validate(
        {
            "force": force,
            "servers": estate.servers,
            "applications": estate.applications,
            "dependencies": estate.dependencies,
        }
    )
