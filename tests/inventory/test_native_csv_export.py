"""The native CSV writer: what it writes reads back as the inventory that was written."""

from __future__ import annotations

import datetime as dt
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.export.native_csv import (
    APPLICATIONS_FILE,
    DEPENDENCIES_FILE,
    FORCE_FILE,
    SERVERS_FILE,
    format_number,
    native_csv_files,
    write_native_csv,
)
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import (
    Application,
    Criticality,
    Dependency,
    DependencyKind,
    Disk,
    ExternalService,
    Inventory,
    OperatingSystem,
    OsFamily,
    PowerState,
    SecurityClassification,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.inventory.normalise import external_service, is_missing


def _read_back(inventory: Inventory, directory: Path) -> Inventory:
    write_native_csv(inventory, directory)
    return load_inventory([directory]).inventory


def _tricky() -> Inventory:
    """Values that exercise quoting, optional parts and number formatting."""
    return Inventory(
        force="Exampleshire Police",
        servers=(
            Server(
                name="EXS-APP01",
                fqdn="exs-app01.exampleshire.police.uk",
                ip_addresses=("10.20.0.5", "10.20.1.5"),
                os=OperatingSystem(name="Microsoft Windows Server 2019 Standard", version="1809"),
                cores=4,
                memory_mib=12288,
                disks=(
                    Disk(name="C:", provisioned_gib=100, used_gib=40.25),
                    Disk(provisioned_gib=0.5),
                    Disk(name="data=archive", provisioned_gib=2048, used_gib=0),
                ),
                power_state=PowerState.ON,
                host="esx01",
                cluster="GEN",
                datacentre="HQ-DC1",
                folder="Ops/RMS",
                annotation='RMS app server, "primary"\nsecond line; with ; and | inside',
                utilisation=Utilisation(cpu_percent=12.5, iops=0.00001),
                software=(
                    SoftwareProduct(vendor="Microsoft", product="SQL Server", version="2019"),
                    SoftwareProduct(product="In-house tool", edition="Gold"),
                ),
                tags={"environment": "production", "empty": "", "key:with:colon": "a=b"},
            ),
            Server(
                name="EXS-APP02",
                os=OperatingSystem(family=OsFamily.APPLIANCE, name="Something"),
                cores=1,
                memory_mib=1,
                power_state=PowerState.OFF,
            ),
        ),
        applications=(
            Application(
                name="Niche RMS",
                owner="Head of Information Management",
                description='Records, with commas, and "quotes"',
                category="records-management",
                criticality=Criticality.CRITICAL,
                classification=SecurityClassification.OFFICIAL_SENSITIVE,
                products=(SoftwareProduct(vendor="Niche Technology", product="Niche RMS"),),
                servers=("EXS-APP01", "EXS-APP02"),
                user_count=3200,
                rto_hours=0.25,
                rpo_hours=1e-05,
                end_of_support=dt.date(2030, 1, 31),
                cost_centre="CC-2100",
                notes="Requires USB licence dongle",
            ),
            Application(name="Intelligence", servers=("EXS-APP01",)),
        ),
        dependencies=(
            Dependency(source="Niche RMS", target="Intelligence", protocol="tcp", port=1521),
            Dependency(source="Intelligence", target="Niche RMS"),
            Dependency(
                source="Niche RMS",
                target="PNC",
                kind=DependencyKind.EXTERNAL,
                service=ExternalService.PNC,
                protocol="tcp",
                port=1414,
                description="over PSN",
            ),
            Dependency(source="Intelligence", target="Courts", kind=DependencyKind.EXTERNAL),
        ),
    )


def test_round_trip_of_tricky_values(tmp_path: Path) -> None:
    inventory = _tricky()
    assert _read_back(inventory, tmp_path) == inventory


def test_files_and_cells_are_spelled_as_documented() -> None:
    files = native_csv_files(_tricky())
    assert set(files) == {SERVERS_FILE, APPLICATIONS_FILE, DEPENDENCIES_FILE, FORCE_FILE}
    servers = files[SERVERS_FILE].splitlines()
    assert servers[0].startswith("name,fqdn,ip_addresses,os_family,os_name,os_version,cores,")
    assert "10.20.0.5 | 10.20.1.5" in files[SERVERS_FILE]
    assert "C:=100/40.25 | 0.5 | data=archive=2048/0" in files[SERVERS_FILE]
    assert "Microsoft:SQL Server:2019 | :In-house tool::Gold" in files[SERVERS_FILE]
    assert "environment=production | empty= | key:with:colon=a=b" in files[SERVERS_FILE]
    assert ",0.00001," in files[SERVERS_FILE]  # no exponent: the reader takes none
    apps = files[APPLICATIONS_FILE]
    assert "critical,OFFICIAL-SENSITIVE,Niche Technology:Niche RMS,EXS-APP01 | EXS-APP02" in apps
    assert ",3200,0.25,0.00001,2030-01-31,CC-2100," in apps
    deps = files[DEPENDENCIES_FILE].splitlines()
    assert deps[0] == "source,target,kind,service,protocol,port,description"
    assert "Niche RMS,PNC,external,PNC,tcp,1414,over PSN" in deps
    assert files[FORCE_FILE] == "schema_version: '1.0'\nforce: Exampleshire Police\n"


def test_no_force_file_without_a_force(tmp_path: Path) -> None:
    inventory = _tricky().model_copy(update={"force": ""})
    written = write_native_csv(inventory, tmp_path)
    assert sorted(p.name for p in written) == [APPLICATIONS_FILE, DEPENDENCIES_FILE, SERVERS_FILE]
    assert load_inventory([tmp_path]).inventory == inventory


def test_output_is_deterministic() -> None:
    assert native_csv_files(_tricky()) == native_csv_files(_tricky())


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    write_native_csv(_tricky(), tmp_path)
    with pytest.raises(InputError, match="refusing to overwrite"):
        write_native_csv(_tricky(), tmp_path)
    smaller = Inventory(force="Other Police")
    write_native_csv(smaller, tmp_path, force=True)
    assert load_inventory([tmp_path]).inventory == smaller


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"ip_addresses": ("10.0.0.1|10.0.0.2",)}, "IP address"),
        ({"tags": {"a=b": "c"}}, "tag name"),
        ({"tags": {"owner": "x; y"}}, "tag 'owner'"),
        ({"software": (SoftwareProduct(vendor="A:B", product="C"),)}, "product vendor"),
        ({"software": (SoftwareProduct(vendor="A", product=" "),)}, "no product name"),
        ({"disks": (Disk(name="a|b", provisioned_gib=1),)}, "disk name"),
        ({"utilisation": Utilisation()}, "utilisation is present but empty"),
    ],
)
def test_unwritable_values_are_reported_and_nothing_is_written(
    tmp_path: Path, update: dict[str, object], message: str
) -> None:
    server = _tricky().servers[0].model_copy(update=update)
    inventory = _tricky().model_copy(update={"servers": (server, _tricky().servers[1])})
    with pytest.raises(InputError, match=message) as raised:
        write_native_csv(inventory, tmp_path)
    problem = raised.value.problems[0]
    assert "EXS-APP01" in problem.message
    assert problem.location.file == SERVERS_FILE and problem.location.row == 2
    assert not list(tmp_path.iterdir())


def test_application_dependency_with_a_service_is_refused() -> None:
    dep = Dependency(source="Niche RMS", target="Intelligence", service=ExternalService.PNC)
    with pytest.raises(InputError, match="reads back as external"):
        native_csv_files(Inventory(dependencies=(dep,)))


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (0, "0"), (4, "4"), (4.0, "4"), (0.25, "0.25"), (1e-05, "0.00001"),
     (1e16, "10000000000000000"), (123.456, "123.456")],
)  # fmt: skip
def test_format_number(value: float | int | None, text: str) -> None:
    assert format_number(value) == text


# --------------------------------------------------------------------------- property

# ASCII printable plus a few non-ASCII letters and symbols a force's data really holds.
_ALPHABET = string.ascii_letters + string.digits + string.punctuation + " éßŁЖ中€£"


def _text(exclude: str = "", max_size: int = 12, min_size: int = 0) -> st.SearchStrategy[str]:
    alphabet = "".join(c for c in _ALPHABET if c not in exclude)
    strategy = st.text(alphabet=alphabet, min_size=min_size, max_size=max_size).map(str.strip)
    return strategy.filter(lambda s: len(s) >= min_size)


# A list cell holding nothing but a sentinel (`N/A`, `-`) reads as empty (docs/inventory.md)
_ITEM = _text("|;", min_size=1).filter(lambda s: not is_missing(s))  # one item of a list cell
_PART = _text("|;:")  # one part of vendor:product:version:edition
_NOTE = st.lists(_text(max_size=20), max_size=3).map(lambda lines: "\n".join(lines).strip())
_SIZE = st.integers(0, 10**7).map(lambda n: n / 1000)  # GiB kept to 0.001
_FLOAT = st.floats(min_value=0, max_value=1e9, allow_nan=False)
_PERCENT = st.floats(min_value=0, max_value=100, allow_nan=False)

_products = st.builds(
    SoftwareProduct,
    vendor=_PART,
    product=_text("|;:", min_size=1).filter(lambda s: not is_missing(s)),
    version=_PART,
    edition=_PART,
)
_utilisation = st.builds(
    Utilisation,
    cpu_percent=st.none() | _PERCENT,
    memory_percent=st.none() | _PERCENT,
    iops=st.none() | _FLOAT,
    network_mbps=st.none() | _FLOAT,
).filter(
    # CPU and memory both 0 % read back as missing data (gaps.zero_utilisation), by design
    lambda u: any(v is not None for v in u.model_dump().values())
    and not (u.cpu_percent == 0 and u.memory_percent == 0)
)


# Strategies are built once (building them per draw is slow); names are set per draw.
_servers = st.builds(
    Server,
    name=st.just("placeholder"),
    fqdn=_text(),
    ip_addresses=st.lists(_ITEM, max_size=3).map(tuple),
    os=st.builds(OperatingSystem, family=st.sampled_from(OsFamily), name=_text(), version=_text()),
    cores=st.integers(1, 512),
    memory_mib=st.integers(1, 2**40),
    disks=st.lists(
        st.builds(
            Disk,
            name=_text("|;"),
            provisioned_gib=_SIZE,
            used_gib=st.none() | _SIZE,
        ),
        max_size=3,
    ).map(tuple),
    power_state=st.sampled_from(PowerState),
    host=_text(),
    cluster=_text(),
    datacentre=_text(),
    folder=_text(),
    annotation=_NOTE,
    utilisation=st.none() | _utilisation,
    software=st.lists(_products, max_size=2).map(tuple),
    tags=st.dictionaries(_text("|;=", min_size=1), _text("|;"), max_size=3),
)


_applications = st.builds(
    Application,
    name=st.just("placeholder"),
    owner=_text(),
    description=_NOTE,
    category=_text(),
    criticality=st.sampled_from(Criticality),
    classification=st.sampled_from(SecurityClassification),
    products=st.lists(_products, max_size=2).map(tuple),
    user_count=st.none() | st.integers(0, 10**6),
    rto_hours=st.none() | _FLOAT,
    rpo_hours=st.none() | _FLOAT,
    end_of_support=st.none()
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    cost_centre=_text(),
    notes=_NOTE,
)
_server_names = st.lists(
    _text("|;.", min_size=1).filter(lambda s: not is_missing(s)),  # `N/A` is no name
    max_size=4,
    unique_by=server_key,
)
_app_names = st.lists(_ITEM, max_size=4, unique_by=lambda n: n.lower())
_dependency_details = st.tuples(
    st.booleans(),
    _ITEM,
    st.none() | st.sampled_from(ExternalService),
    _text(),
    st.none() | st.integers(0, 65535),
    _NOTE,
)


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    """Small consistent inventories: every server claimed, every reference resolvable."""
    server_names = draw(_server_names)
    app_names = draw(_app_names)
    if server_names and not app_names:
        app_names = ["Application"]
    claims: dict[str, list[str]] = {name: [] for name in app_names}
    for server in server_names:
        claims[app_names[draw(st.integers(0, len(app_names) - 1))]].append(server)
    applications = tuple(
        draw(_applications).model_copy(update={"name": name, "servers": tuple(claims[name])})
        for name in app_names
    )
    dependencies: dict[tuple[str, str, str, int | None], Dependency] = {}
    for _ in range(draw(st.integers(0, 4)) if app_names else 0):
        external, target, service, protocol, port, description = draw(_dependency_details)
        source = app_names[draw(st.integers(0, len(app_names) - 1))]
        if not external:
            target = app_names[draw(st.integers(0, len(app_names) - 1))]
            service = None
        elif service is None:  # loading names the service when it recognises the target
            service = external_service(target)
        dep = Dependency(
            source=source,
            target=target,
            kind=DependencyKind.EXTERNAL if external else DependencyKind.APPLICATION,
            service=service,
            protocol=protocol,
            port=port,
            description=description,
        )
        dependencies.setdefault((source.lower(), target.lower(), protocol.lower(), port), dep)
    return Inventory(
        force=draw(_text()),
        servers=tuple(draw(_servers).model_copy(update={"name": n}) for n in server_names),
        applications=applications,
        dependencies=tuple(dependencies.values()),
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_native_inventory_survives_csv_round_trip(inventory: Inventory) -> None:
    with tempfile.TemporaryDirectory() as directory:
        assert _read_back(inventory, Path(directory)) == inventory


# --------------------------------------------------------------------------- documentation


def test_the_documented_csv_example_loads(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "formats-native.md").read_text()
    example = page.split("### Example", 1)[1].split("## Writing native CSV", 1)[0]
    blocks = [b.split("```", 1)[0] for b in example.split("```csv\n")[1:]]
    assert len(blocks) == 3
    paths = []
    for name, block in zip(("servers.csv", "cmdb.csv", "dependencies.csv"), blocks, strict=True):
        paths.append(tmp_path / name)
        paths[-1].write_text(block, encoding="utf-8")
    inventory = load_inventory(paths).inventory
    servers = inventory.server_index()
    assert servers["exs-cus-app01"].memory_mib == 32768
    assert servers["exs-cus-sql01"].memory_mib == 65536
    assert [d.used_gib for d in servers["exs-cus-sql01"].disks] == [41, 310, 90]
    assert servers["exs-rms-app01"].ip_addresses == ("10.20.20.11", "10.20.21.11")
    apps = inventory.application_index()
    assert apps["custody"].servers == ("EXS-CUS-APP01", "EXS-CUS-SQL01")
    assert len(apps["custody"].products) == 2
    assert apps["custody"].end_of_support == dt.date(2030, 1, 8)
    rms = apps["niche rms"]
    assert (rms.criticality, rms.classification, rms.user_count) == (
        Criticality.CRITICAL,
        SecurityClassification.OFFICIAL_SENSITIVE,
        3200,
    )
    services = {d.target: d.service for d in inventory.dependencies}
    assert services == {
        "Niche RMS": None,
        "PNC": ExternalService.PNC,
        "PSN for Policing": ExternalService.PSN,
    }
