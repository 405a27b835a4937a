"""Build a sample force's estate (inventories/<force>) from its data files (tools/data/<force>).

Exampleshire Police is a fictional county force; Northmoor Constabulary and Eastdale Police are
its smaller fictional neighbours, built the same way. A force's applications, their servers, its
dependencies and its partners are data files written by hand, as a force's CMDB would hold them
(see tools/data/exampleshire/README.md for how to add one); this module expands them. Only the
details a CMDB does not care about (which ESXi host a VM sits on, its IP in its subnet, disk
usage, utilisation, patch group) come from a seeded random generator, so running it rewrites
every file byte for byte:

    .venv/bin/python tools/build_exampleshire.py                  # rewrite inventories/exampleshire
    .venv/bin/python tools/build_exampleshire.py --force northmoor  # inventories/northmoor
    .venv/bin/python tools/build_exampleshire.py --out DIR        # write the same files elsewhere

Files written (all derived from one Inventory):
    inventory.yaml                 native YAML (forcelift's canonical form)
    native-csv/*.csv, force.yaml   the same estate as native CSV   } unless estate.yaml
    exports/cmdb.csv               CMDB-style export, one row ...  } says `exports: false`
    exports/dependencies.csv       dependency export               }
The RVTools / Azure Migrate / AWS exports under exports/ are produced from inventory.yaml by
tools/build_sample_exports.py and are not touched here.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.export.native_csv import native_csv_files
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    Disk,
    Inventory,
    OperatingSystem,
    PowerState,
    Server,
    Utilisation,
)
from forcelift.migration.inventory.sharing import find_partner, partner_lookup
from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules below, run or loaded

from exampleshire_cmdb import cmdb_csv, dependencies_csv
from exampleshire_data import DATA, App, Estate, Layout, Role, load_estate
from sample_sharing import sharing_csv_files

REPO = Path(__file__).resolve().parent.parent
FORCES = ("exampleshire", "northmoor", "eastdale")  # the sample forces, tools/data/<force>

_SYSTEM_DISKS = {True: ("C:", 100), False: ("/", 60)}  # by whether the OS is Windows


@dataclass
class _Allocator:
    """Next free address per subnet and a round-robin host per cluster, seeded."""

    rng: random.Random
    next_host: dict[str, int] = field(default_factory=dict)

    def ip(self, prefix: str) -> str:
        octets = prefix.split(".")
        key = prefix
        number = self.next_host.get(key, 11)
        while number > 250:  # spill into the next /24
            octets[2] = str(int(octets[2]) + 1)
            key = ".".join(octets)
            number = self.next_host.get(key, 11)
        self.next_host[key] = number + 1 + self.rng.randint(0, 2)
        return f"{key}.{number}"

    def host(self, hosts: Sequence[str]) -> str:
        return hosts[self.rng.randrange(len(hosts))]


def _names(app: App, role: Role, prefix: str) -> Iterator[tuple[str, str]]:
    """(server name, site) for every server of a role: HQ numbered 01.., DR 51.."""
    if role.names:
        sites = ["HQ"] * role.hq + ["DR"] * role.dr
        yield from zip(role.names, sites, strict=True)
        return
    for n in range(1, role.hq + 1):
        yield f"{prefix}-{app.code}-{role.role}{n:02d}", "HQ"
    for n in range(51, 51 + role.dr):
        yield f"{prefix}-{app.code}-{role.role}{n:02d}", "DR"


def _hosts(layout: Layout, site: str, label: str) -> tuple[str, tuple[str, ...]]:
    """A cluster's name and its hosts, `<hosts>01..<hosts><count>.<domain>`."""
    spec = layout.clusters[site][label]
    hosts = tuple(f"{spec['hosts']}{n:02d}.{layout.domain}" for n in range(1, spec["count"] + 1))
    return spec.get("cluster", ""), hosts


def _disks(role: Role, windows: bool, rng: random.Random) -> tuple[Disk, ...]:
    disks = []
    for name, size in (_SYSTEM_DISKS[windows], *role.disks):
        share = rng.uniform(0.35, 0.65) if name in ("C:", "/") else rng.uniform(0.3, 0.85)
        disks.append(Disk(name=name, provisioned_gib=size, used_gib=round(size * share, 1)))
    return tuple(disks)


def _utilisation(ranges: dict[str, list[float]], rng: random.Random) -> Utilisation:
    """Utilisation drawn from a profile's [low, high] ranges (`loads` in estate.yaml)."""
    return Utilisation(
        cpu_percent=round(rng.uniform(*ranges["cpu"]), 1),
        memory_percent=round(rng.uniform(*ranges["memory"]), 1),
        iops=float(round(rng.uniform(*ranges["iops"]))),
        network_mbps=round(rng.uniform(0.5, 40.0), 1) if rng.random() < 0.5 else None,
    )


def _server(
    layout: Layout, app: App, role: Role, name: str, site: str, alloc: _Allocator
) -> Server:
    """One server; the order of the random draws is part of the committed sample."""
    rng = alloc.rng
    system = layout.operating_systems[role.os]
    zone = layout.zones[role.zone]
    cluster, hosts = _hosts(layout, site, zone["cluster"])
    powered_off = role.powered_off or (site == "DR" and role.dr_powered_off)
    environment = role.environment if site == "HQ" or role.environment != "production" else "dr"
    has_metrics = (
        not powered_off and system.get("metrics", True) and rng.random() >= 0.02  # gaps happen
    )
    area = "Test and Development" if role.environment != "production" else app.folder
    return Server(
        name=name,
        fqdn=f"{name.lower()}.{layout.domain}",
        ip_addresses=(alloc.ip(zone[site]),),
        os=OperatingSystem(name=system["name"], version=system["version"]),
        cores=role.cores,
        memory_mib=role.memory_gib * 1024,
        disks=_disks(role, system.get("windows", False), rng),
        power_state=PowerState.OFF if powered_off else PowerState.ON,
        host=alloc.host(hosts),
        cluster=cluster,
        datacentre=layout.datacentres[site],
        folder=f"{area}/{app.name}",
        annotation=f"{app.name} {role.label}\nApplication: {app.name}\nOwner: {app.owner}",
        utilisation=_utilisation(layout.loads[role.load], rng) if has_metrics else None,
        software=role.software,
        tags={
            "environment": environment,
            "backup": "none" if role.powered_off else layout.backup[app.criticality.value],
            "patch-group": layout.patch_groups[rng.randrange(len(layout.patch_groups))],
        },
    )


def build_inventory(estate: Estate | None = None) -> Inventory:
    """The whole estate as one Inventory; the same every run."""
    estate = estate or load_estate()
    layout = estate.layout
    alloc = _Allocator(random.Random(layout.seed))
    servers: dict[str, Server] = {}
    own: dict[str, list[str]] = {}
    for app in estate.apps:
        own[app.code] = []
        for role in app.servers:
            for name, site in _names(app, role, layout.server_prefix):
                if name in servers:
                    raise InputError(f"server {name} defined twice ({app.code}-{role.role})")
                servers[name] = _server(layout, app, role, name, site, alloc)
                own[app.code].append(name)
    by_code = {app.code: app for app in estate.apps}
    applications = [
        Application(
            name=app.name,
            owner=app.owner,
            description=app.description,
            category=app.category,
            criticality=app.criticality,
            classification=app.classification,
            products=app.products,
            servers=(*own[app.code], *(n for code in app.shares_servers_of for n in own[code])),
            user_count=app.users,
            rto_hours=app.rto_hours,
            rpo_hours=app.rpo_hours,
            end_of_support=app.end_of_support,
            cost_centre=app.cost_centre,
            notes=app.notes,
        )
        for app in estate.apps
    ]
    partners = partner_lookup(estate.sharing.partners)
    dependencies = []
    for link in estate.links:
        partner = find_partner(partners, link.target) if link.service else None
        dependencies.append(
            Dependency(
                source=by_code[link.source].name,
                target=link.target if link.service else by_code[link.target].name,
                kind=DependencyKind.EXTERNAL if link.service else DependencyKind.APPLICATION,
                service=link.service,
                protocol=link.protocol,
                port=link.port,
                description=link.description,
                partner=partner.name if partner else "",  # as the readers resolve it
            )
        )
    return Inventory(
        force=layout.force,
        servers=tuple(servers[name] for name in sorted(servers)),
        applications=tuple(applications),
        dependencies=tuple(dependencies),
        partners=estate.sharing.partners,
        sharing=estate.sharing.flows,
    )


def sample_files(inventory: Inventory, exports: bool = True) -> dict[str, str]:
    """Relative path -> content of every file this script owns."""
    files = {"inventory.yaml": inventory_to_yaml(inventory)}
    if not exports:
        return files
    files.update({f"native-csv/{n}": c for n, c in native_csv_files(inventory).items()})
    sharing = sharing_csv_files(inventory.partners, inventory.sharing)
    files.update({f"native-csv/{n}": c for n, c in sharing.items()})
    files["exports/cmdb.csv"] = cmdb_csv(inventory)
    files["exports/dependencies.csv"] = dependencies_csv(inventory)
    return files


def build(out_dir: Path, data: Path = DATA) -> list[Path]:
    """Write the sample files under `out_dir` (created if needed); return the paths written."""
    written = []
    estate = load_estate(data)
    for relative, content in sample_files(build_inventory(estate), estate.layout.exports).items():
        path = Path(out_dir) / relative
        write_atomic(path, content, force=True)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--force", choices=FORCES, default="exampleshire", help="sample force")
    parser.add_argument("--out", type=Path, help="output directory (inventories/<force>)")
    parser.add_argument("--data", type=Path, help="estate data directory (tools/data/<force>)")
    args = parser.parse_args(argv)
    data = args.data or DATA.parent / args.force
    try:
        written = build(args.out or REPO / "inventories" / args.force, data)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
