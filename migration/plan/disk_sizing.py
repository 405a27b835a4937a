"""Managed disks (Azure) and EBS volumes (AWS) for a server's source disks.

Tiers are chosen on size and, with measured utilisation, on IOPS; a disk larger than the
largest tier is split into parts. Identical disks are sized once (see `DiskSizer.disks`).
"""

from __future__ import annotations

import bisect
import math

from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import OsFamily, Server
from forcelift.migration.plan.sizing_model import DiskSizing, SizingConfig
from forcelift.migration.plan.skus import CloudCatalogue, DiskTier, DiskType


class DiskSizer:
    """Sizes one cloud's disks: disk types and IOPS thresholds indexed once."""

    def __init__(self, cloud: Cloud, catalogue: CloudCatalogue, config: SizingConfig) -> None:
        self.cloud = cloud
        self.catalogue = catalogue
        self.config = config
        self._performance = config.mode == "performance"
        self._disk_cache: dict[tuple[object, ...], tuple[DiskSizing, ...]] = {}
        names = {d.type for d in self.catalogue.disks}
        if cloud is Cloud.AZURE:
            self._standard_ssd = self.catalogue.disk_type("StandardSSD")
            self._premium_ssd = self.catalogue.disk_type("PremiumSSD")
            self._standard_hdd = (
                self.catalogue.disk_type("StandardHDD") if "StandardHDD" in names else None
            )
            kinds = (self._standard_ssd, self._premium_ssd, self._standard_hdd)
            steps = {t.iops for d in kinds if d is not None for t in d.tiers}
        else:
            self._gp3 = self.catalogue.disk_type("gp3")
            self._sc1 = self.catalogue.disk_type("sc1") if "sc1" in names else None
            steps = {self._gp3.baseline_iops or 3000}  # above the baseline IOPS are priced
            if self._sc1 is not None and self._sc1.max_iops:
                steps.add(self._sc1.max_iops)
        self._iops_steps = sorted(steps)

    def disks(self, server: Server, *, premium: bool = False) -> tuple[DiskSizing, ...]:
        """Managed disks (Azure) or EBS gp3 volumes (AWS), one or more per source disk."""
        cfg = self.config
        sources = [
            (d.name or f"disk{i + 1}", d.provisioned_gib) for i, d in enumerate(server.disks)
        ]
        if not sources:
            default = (
                cfg.os_disk_gib_windows
                if server.os.family is OsFamily.WINDOWS
                else cfg.os_disk_gib_linux
            )
            sources = [("os disk (assumed: no disk data)", default)]
        total = sum(size for _, size in sources) or 1.0
        iops_total = 0.0
        measured_iops = server.utilisation.iops if server.utilisation else None
        measured = bool(self._performance and measured_iops)
        if measured and measured_iops is not None:
            iops_total = measured_iops * cfg.comfort_factor
        out: list[DiskSizing] = []
        for index, (name, size) in enumerate(sources):
            iops = iops_total * size / total
            # HDD only for data disks, only on measured IOPS, only when the setting allows it.
            hdd = cfg.hdd_data_disks and measured and index > 0 and not premium
            # A disk's result depends on its IOPS only through which tier thresholds it
            # passes, so the key uses that position and identical disks are sized once.
            step = bisect.bisect_left(self._iops_steps, iops) if iops else 0
            key = (name, size, premium, step, hdd)
            found = self._disk_cache.get(key)
            if found is None:
                if self.cloud is Cloud.AZURE:
                    found = self._azure_disk(name, size, iops, premium, hdd)
                else:
                    found = self._aws_disk(name, size, iops, hdd)
                if iops <= self._iops_steps[-1] and len(found) == 1:  # split disks: exact
                    self._disk_cache[key] = found
            out.extend(found)
        return tuple(out)

    def _split(self, name: str, size: float, limit: float) -> list[tuple[str, float, float]]:
        parts = max(1, math.ceil(size / limit))
        if parts == 1:
            return [(name, size, size)]
        return [(f"{name} (part {n + 1}/{parts})", size, size / parts) for n in range(parts)]

    def _azure_disk(
        self, name: str, size: float, iops: float, premium: bool, hdd: bool = False
    ) -> tuple[DiskSizing, ...]:
        choice = self.config.azure_disk_type
        standard = self._standard_ssd
        premium_type = self._premium_ssd
        largest = premium_type.tiers[-1].size_gib
        out = []
        for part_name, source, part in self._split(name, size, largest):
            part_iops = iops * part / size if size else iops
            if choice == "auto":
                std_tier = smallest_tier(standard, part, 0)
                use_premium = premium or (std_tier is not None and part_iops > std_tier.iops)
                disk_type = premium_type if use_premium else standard
                hdd_tier = (
                    smallest_tier(self._standard_hdd, part, part_iops)
                    if hdd and self._standard_hdd is not None and not use_premium
                    else None
                )
                if hdd_tier is not None and self._standard_hdd is not None:
                    disk_type = self._standard_hdd
            elif choice == "StandardHDD" and self._standard_hdd is not None:
                disk_type = self._standard_hdd
            else:
                disk_type = premium_type if choice == "PremiumSSD" else standard
            tier = smallest_tier(disk_type, part, part_iops) or smallest_tier(disk_type, part, 0)
            assert tier is not None  # parts never exceed the largest tier
            out.append(
                DiskSizing(
                    name=part_name,
                    source_gib=source,
                    disk_type=disk_type.type,
                    tier=tier.tier,
                    size_gib=tier.size_gib,
                    iops=tier.iops,
                    mbps=tier.mbps,
                )
            )
        return tuple(out)

    def _aws_disk(
        self, name: str, size: float, iops: float, hdd: bool = False
    ) -> tuple[DiskSizing, ...]:
        gp3 = self._gp3
        limit = gp3.max_gib or 16384
        sc1 = self._sc1
        if hdd and sc1 is not None and size >= (sc1.min_gib or 125) and iops <= (sc1.max_iops or 0):
            # Cold HDD: large, quiet data volumes (at least 125 GiB; never a boot volume).
            return tuple(
                DiskSizing(
                    name=part_name,
                    source_gib=source,
                    disk_type=sc1.type,
                    tier="",
                    size_gib=float(max(sc1.min_gib or 125, math.ceil(part))),
                    iops=sc1.max_iops or 0,
                    mbps=sc1.baseline_mbps or 0,
                )
                for part_name, source, part in self._split(name, size, sc1.max_gib or 16384)
            )
        out = []
        for part_name, source, part in self._split(name, size, limit):
            gib = max(gp3.min_gib or 1, math.ceil(part))
            cap = min(gp3.max_iops or 16000, (gp3.iops_per_gib or 500) * gib)
            base = gp3.baseline_iops or 3000
            part_iops = iops * part / size if size else iops
            out.append(
                DiskSizing(
                    name=part_name,
                    source_gib=source,
                    disk_type=gp3.type,
                    tier="",
                    size_gib=float(gib),
                    iops=int(min(cap, max(base, math.ceil(part_iops)))),
                    mbps=gp3.baseline_mbps or 125,
                )
            )
        return tuple(out)


def smallest_tier(disk_type: DiskType, size: float, iops: float) -> DiskTier | None:
    return next((t for t in disk_type.tiers if t.size_gib >= size - 1e-9 and t.iops >= iops), None)
