"""What every reader shares: the source it reads and the fragment of inventory it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from forcelift.migration.errors import InputError, Location, Problem, ProblemCollector
from forcelift.migration.inventory.gaps import disambiguate
from forcelift.migration.inventory.identity import server_key
from forcelift.migration.inventory.model import Application, Dependency, Server, SoftwareProduct
from forcelift.migration.inventory.normalise import normalise_header
from forcelift.migration.inventory.sharing import Partner, SharingFlow
from forcelift.migration.inventory.tabular import Table, Workbook, read_csv_table, sniff_file_kind


@dataclass
class Source:
    """One input file, with cheap content probes used by format detection."""

    path: Path
    display: str = ""

    def __post_init__(self) -> None:
        self.display = self.display or str(self.path)

    @cached_property
    def kind(self) -> str:
        return sniff_file_kind(self.path)

    @cached_property
    def csv_keys(self) -> frozenset[str]:
        """Folded header names of a CSV file (empty for other kinds or unreadable files)."""
        if self.kind != "csv":
            return frozenset()
        try:
            return frozenset(read_csv_table(self.path, self.display, head_only=True).keys)
        except Exception:
            return frozenset()

    @cached_property
    def open_error(self) -> InputError | None:
        """Why a workbook cannot be opened at all (encrypted, corrupt), else None."""
        if self.kind not in ("xlsx", "ole"):
            return None
        try:
            Workbook(self.path, self.display).close()
        except InputError as exc:
            return exc
        return None

    @cached_property
    def sheet_keys(self) -> frozenset[str]:
        """Folded sheet names of a workbook (empty for other kinds or unreadable files)."""
        if self.kind != "xlsx":
            return frozenset()
        try:
            wb = Workbook(self.path, self.display)
        except Exception:
            return frozenset()
        names = frozenset(normalise_header(n) for n in wb.sheet_names)
        wb.close()
        return names

    def csv_table(self) -> Table:
        return read_csv_table(self.path, self.display)

    def workbook(self) -> Workbook:
        return Workbook(self.path, self.display)

    def location(self, **kwargs: object) -> Location:
        return Location(file=self.display, **kwargs)  # type: ignore[arg-type]


@dataclass
class Fragment:
    """The part of an inventory one source contributes, with where each record came from."""

    source: str
    format: str
    servers: list[Server] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: where each record came from, aligned with servers / applications / dependencies
    server_origins: list[Location] = field(default_factory=list)
    application_origins: list[Location] = field(default_factory=list)
    dependency_origins: list[Location] = field(default_factory=list)
    #: software evidence for servers described elsewhere (e.g. an Azure Migrate software
    #: inventory export): server name -> products, added to that server when merging
    software: dict[str, list[SoftwareProduct]] = field(default_factory=dict)
    software_origins: dict[str, Location] = field(default_factory=dict)
    #: partner organisations and sharing flows (native formats), with where each came from
    partners: list[Partner] = field(default_factory=list)
    partner_origins: list[Location] = field(default_factory=list)
    sharing: list[SharingFlow] = field(default_factory=list)
    sharing_origins: list[Location] = field(default_factory=list)
    force: str = ""
    has_application_data: bool = False
    #: rows read but not turned into servers, by reason ("template", "no identity", …), so
    #: the summary's counts add up to the export's rows
    skipped: dict[str, int] = field(default_factory=dict)
    #: machine rows the source holds (servers read + rows skipped); 0 when not counted
    rows: int = 0
    #: where a renamed duplicate came from -> its new name (see gaps.disambiguate)
    renamed: dict[Location, str] = field(default_factory=dict)
    #: duplicate names told apart already (readers that name servers in later records do it
    #: before adding those; loading does it for the others)
    disambiguated: bool = False

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count

    def disambiguate(self, problems: ProblemCollector) -> dict[Location, str]:
        """Keep same-named, differently identified machines apart, once per fragment."""
        if self.disambiguated:
            return self.renamed
        self.disambiguated = True
        renames = disambiguate(self.servers, self.server_origins, server_key, problems)
        for index, name in renames.items():
            self.servers[index] = self.servers[index].model_copy(update={"name": name})
            self.renamed[self.server_origins[index]] = name
        return self.renamed

    def name_at(self, name: str, where: Location) -> str:
        """The server's name after disambiguation, for records that named it by row."""
        return self.renamed.get(where, name)

    def add_server(self, server: Server, where: Location) -> None:
        self.servers.append(server)
        self.server_origins.append(where)

    def add_application(self, app: Application, where: Location) -> None:
        self.applications.append(app)
        self.application_origins.append(where)
        self.has_application_data = True

    def add_dependency(self, dep: Dependency, where: Location) -> None:
        self.dependencies.append(dep)
        self.dependency_origins.append(where)

    def add_partner(self, partner: Partner, where: Location) -> None:
        self.partners.append(partner)
        self.partner_origins.append(where)

    def add_flow(self, flow: SharingFlow, where: Location) -> None:
        self.sharing.append(flow)
        self.sharing_origins.append(where)

    def add_software(self, server_name: str, product: SoftwareProduct, where: Location) -> None:
        self.software.setdefault(server_name, []).append(product)
        self.software_origins.setdefault(server_name, where)


@dataclass(frozen=True)
class ReaderSpec:
    """A registered reader: its format name, a content probe, and the read function."""

    name: str
    description: str
    detect: Callable[[Source], bool]
    read: Callable[[Source, ProblemCollector], Fragment]
    #: files read together with another file of this format (e.g. RVTools_tabvDisk.csv beside
    #: RVTools_tabvInfo.csv); loading skips them when their main file is among the inputs.
    is_companion: Callable[[Source], bool] | None = None
