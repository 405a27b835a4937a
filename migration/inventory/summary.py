"""The numbers `forcelift inventory show` prints: size of the estate and what runs on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from forcelift.migration.inventory.model import DependencyKind, Inventory

if TYPE_CHECKING:
    from forcelift.migration.inventory.load import SourceCount


def _counts(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def summarise(inventory: Inventory, counts: Sequence[SourceCount] = ()) -> dict[str, Any]:
    """A JSON-ready summary; ordering is stable (by count, then name) for clean diffs.

    `counts` (from the loader) adds, per source, the rows read, the servers they gave and the
    rows skipped by reason, so the numbers add up to the export's rows.
    """
    servers = inventory.servers
    unsized = [s for s in servers if not s.sized]
    skipped: Counter[str] = Counter()
    for count in counts:
        skipped.update(count.skipped)
    provisioned = sum(s.provisioned_gib for s in servers)
    used = sum(s.used_gib or 0.0 for s in servers)
    externals = Counter(
        (d.service.value if d.service else d.target)
        for d in inventory.dependencies
        if d.kind is DependencyKind.EXTERNAL
    )
    return {
        "force": inventory.force,
        "servers": {
            "count": len(servers),
            "unsized": len(unsized),
            "unsized_servers": sorted(s.name for s in unsized)[:20],
            "cores": sum(s.cores or 0 for s in servers),
            "memory_gib": round(sum(s.memory_mib or 0 for s in servers) / 1024, 1),
            "with_assessment": sum(1 for s in servers if s.assessment is not None),
            "storage_provisioned_tib": round(provisioned / 1024, 2),
            "storage_used_tib": round(used / 1024, 2),
            "with_utilisation": sum(1 for s in servers if s.utilisation is not None),
            "power_state": _counts(Counter(s.power_state.value for s in servers)),
            "os_family": _counts(Counter(s.os.family.value for s in servers)),
            "os": _counts(Counter((s.os.name or "unknown") for s in servers)),
        },
        "rows": {
            "read": sum(c.rows for c in counts),
            "skipped": _counts(skipped),
            "sources": [
                {
                    "file": c.file,
                    "format": c.format,
                    "rows": c.rows,
                    "servers": c.servers,
                    "skipped": dict(c.skipped),
                }
                for c in counts
                if c.rows
            ],
        },
        "applications": {
            "count": len(inventory.applications),
            "classification": _counts(
                Counter(a.classification.value for a in inventory.applications)
            ),
            "criticality": _counts(Counter(a.criticality.value for a in inventory.applications)),
        },
        "dependencies": {
            "count": len(inventory.dependencies),
            "between_applications": sum(
                1 for d in inventory.dependencies if d.kind is DependencyKind.APPLICATION
            ),
            "external": _counts(externals),
        },
    }
