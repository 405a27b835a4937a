"""Applications named on server rows (a "Business application" column), gathered while the
rows are read and added once the fragment's server names are final."""

from __future__ import annotations

from dataclasses import dataclass, field

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.model import Application
from forcelift.migration.inventory.readers.base import Fragment


@dataclass
class ApplicationGroups:
    """Applications named on server rows, gathered in first-seen order."""

    servers: dict[str, list[str]] = field(default_factory=dict)
    member_origins: dict[str, list[Location]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, server: str, where: Location) -> None:
        key = name.strip().lower()
        self.names.setdefault(key, name.strip())
        self.origins.setdefault(key, where)
        members = self.servers.setdefault(key, [])
        if server not in members:
            members.append(server)
            self.member_origins.setdefault(key, []).append(where)

    def set_owner(self, name: str, owner: str, where: Location, problems: ProblemCollector) -> None:
        key = name.strip().lower()
        current = self.owners.get(key)
        if current is None:
            self.owners[key] = owner
        elif current != owner:
            problems.warning(
                f"application {name!r} has owner {owner!r} here but {current!r} earlier; "
                f"keeping {current!r}",
                where,
                code="conflict",
            )

    def add_to(self, fragment: Fragment) -> None:
        """Add the applications, naming servers as the fragment finally calls them (after
        duplicate names were told apart)."""
        for key, name in self.names.items():
            origins = self.member_origins.get(key, [])
            members = [
                fragment.name_at(server, origins[i]) if i < len(origins) else server
                for i, server in enumerate(self.servers[key])
            ]
            app = Application(
                name=name,
                owner=self.owners.get(key, ""),
                servers=tuple(dict.fromkeys(members)),
                notes=self.notes.get(key, ""),
            )
            fragment.add_application(app, self.origins[key])
