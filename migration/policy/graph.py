"""A stack's resources indexed for rules that look across resources (links, coverage)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from forcelift.migration.policy.model import Resource


class ResourceGraph:
    """Resources by URN and type, plus who depends on whom (for 'X covers Y' checks)."""

    def __init__(
        self,
        resources: Iterable[Resource],
        config: Mapping[str, Any] | None = None,
        stack: str = "",
    ) -> None:
        self.resources = list(resources)
        self.config = dict(config or {})
        self.stack = stack
        self.by_urn = {r.urn: r for r in self.resources}
        self._by_type: dict[str, list[Resource]] = defaultdict(list)
        self._dependents: dict[str, list[Resource]] = defaultdict(list)
        for resource in self.resources:
            self._by_type[resource.type].append(resource)
            for dep in resource.dependencies:
                self._dependents[dep].append(resource)

    def of_type(self, *types: str) -> list[Resource]:
        return [r for t in types for r in self._by_type.get(t, [])]

    def dependents(self, urn: str, *types: str) -> list[Resource]:
        """Resources that depend on `urn` (optionally only of the given types)."""
        found = self._dependents.get(urn, [])
        return [r for r in found if not types or r.type in types]

    def references(self, resource: Resource, target: Resource) -> bool:
        return target.urn in resource.dependencies

    @staticmethod
    def from_preview(data: Mapping[str, Any]) -> ResourceGraph:
        """From one stack of `forcelift preview --json` output."""
        return ResourceGraph(
            (Resource.from_dict(r) for r in data.get("resources", [])),
            data.get("config", {}),
            str(data.get("stack", "")),
        )
