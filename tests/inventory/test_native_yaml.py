"""Native YAML: validation errors point at the line; convert round-trips exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import (
    Application,
    Criticality,
    Dependency,
    Disk,
    Inventory,
    OperatingSystem,
    PowerState,
    SecurityClassification,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.inventory.writer import inventory_to_yaml

GOOD = """\
schema_version: "1.0"
force: Testshire Police
servers:
  - name: web01
    cores: 2
    memory_mib: 4096
    power_state: on
  - name: db01
    cores: 4
    memory_mib: 16384
applications:
  - name: Intranet
    servers: [web01, db01]
"""


def test_bare_on_reads_as_powered_on(write) -> None:
    inv = load_inventory([write("inv.yaml", GOOD)]).inventory
    assert inv.servers[0].power_state is PowerState.ON
    assert inv.force == "Testshire Police"


def test_validation_errors_name_line_and_field(write) -> None:
    bad = GOOD.replace("cores: 4", "cores: -4").replace("memory_mib: 4096", "memory_mib: lots")
    path = write("inv.yaml", bad)
    result = load_inventory([path])  # read unsized, with warnings naming the line
    web01, db01 = result.inventory.servers
    assert (web01.memory_mib, db01.cores) == (None, None)
    assert db01.unsized_reason == "servers[1].cores is unreadable (-4 is not a usable size) in " \
        "inv.yaml line 9"
    with pytest.raises(InputError) as err:
        load_inventory([path], strict=True)
    lines = sorted((p.location.line, p.location.column) for p in err.value.problems)
    assert lines == [(6, "servers[0].memory_mib"), (9, "servers[1].cores")]
    assert all(p.location.row is None for p in err.value.problems)
    assert "line 9, column 'servers[1].cores': error" in str(err.value)
    assert "row" not in str(err.value)


def test_model_errors_say_line_not_row(write) -> None:
    bad = GOOD.replace("power_state: on", "power_state: sideways")
    with pytest.raises(InputError) as err:
        load_inventory([write("inv.yaml", bad)])
    (problem,) = err.value.problems
    assert problem.location.line == 7 and problem.location.row is None
    assert ", line 7, " in str(problem) and "row" not in str(problem)


def test_unsupported_schema_version(write) -> None:
    with pytest.raises(InputError, match=r"schema_version '9\.0' is not supported"):
        load_inventory([write("inv.yaml", GOOD.replace('"1.0"', '"9.0"'))])


def test_yaml_syntax_error_has_line(write) -> None:
    with pytest.raises(InputError) as err:
        load_inventory([write("inv.yaml", GOOD + "  - name: [unclosed\n")])
    assert err.value.problems[0].location.line is not None


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
free_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    server_names = draw(st.lists(names, min_size=1, max_size=6, unique_by=str.lower))
    servers = tuple(
        Server(
            name=n,
            fqdn=draw(free_text),
            ip_addresses=tuple(draw(st.lists(st.ip_addresses(v=4).map(str), max_size=2))),
            os=OperatingSystem(
                name=draw(st.sampled_from(["", "Windows Server 2019", "RHEL 8", "AIX 7.2"]))
            ),
            cores=draw(st.integers(1, 128)),
            memory_mib=draw(st.integers(1, 2_000_000)),
            disks=tuple(
                Disk(
                    provisioned_gib=draw(st.floats(0, 1e5, allow_nan=False)),
                    used_gib=draw(st.none() | st.floats(0, 1e5, allow_nan=False)),
                )
                for _ in range(draw(st.integers(0, 3)))
            ),
            power_state=draw(st.sampled_from(list(PowerState))),
            annotation=draw(free_text),
            utilisation=draw(
                st.none()
                | st.builds(Utilisation, cpu_percent=st.floats(0, 100), memory_percent=st.none())
            ),
            software=tuple(
                draw(
                    st.lists(
                        st.builds(
                            SoftwareProduct, vendor=free_text, product=names, version=free_text
                        ),
                        max_size=2,
                    )
                )
            ),
            tags=draw(st.dictionaries(names, free_text, max_size=2)),
        )
        for n in server_names
    )
    app_names = draw(st.lists(names, min_size=1, max_size=4, unique_by=str.lower))
    apps = tuple(
        Application(
            name=a,
            owner=draw(free_text),
            criticality=draw(st.sampled_from(list(Criticality))),
            classification=draw(st.sampled_from(list(SecurityClassification))),
            servers=tuple(draw(st.lists(st.sampled_from(server_names), max_size=3, unique=True))),
            user_count=draw(st.none() | st.integers(0, 10_000)),
            end_of_support=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1))),
            notes=draw(free_text),
        )
        for a in app_names
    )
    deps = tuple(
        Dependency(
            source=draw(st.sampled_from(app_names)),
            target=draw(st.sampled_from(app_names)),
            port=draw(st.none() | st.integers(0, 65535)),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    # every server claimed, so nothing is derived and the round trip must be exact
    first = apps[0]
    apps = (
        first.model_copy(update={"servers": tuple(dict.fromkeys((*first.servers, *server_names)))}),
        *apps[1:],
    )
    unique_deps = tuple({(d.source, d.target, d.port): d for d in deps}.values())
    return Inventory(
        force=draw(free_text), servers=servers, applications=apps, dependencies=unique_deps
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(inventories())
def test_convert_round_trip_is_identical(tmp_path_factory, inventory: Inventory) -> None:
    path = tmp_path_factory.mktemp("rt") / "inv.yaml"
    path.write_text(inventory_to_yaml(inventory), encoding="utf-8")
    read_back = load_inventory([path]).inventory
    assert read_back == inventory
    assert inventory_to_yaml(read_back) == inventory_to_yaml(inventory)


def test_derived_workload_never_takes_an_existing_name(write) -> None:
    text = GOOD.replace("servers: [web01, db01]", "servers: [db01]").replace(
        "name: Intranet", "name: web01"
    )
    inv = load_inventory([write("inv.yaml", text)]).inventory
    assert [a.name for a in inv.applications] == ["web01", "web01 (unmapped servers)"]
    assert inv.applications[1].servers == ("web01",)


def test_duplicate_server_in_yaml_names_its_line(write) -> None:
    text = GOOD.replace("  - name: db01", "  - name: WEB01")
    with pytest.raises(InputError) as err:
        load_inventory([write("inv.yaml", text)])
    problem = next(p for p in err.value.problems if "duplicate server name" in p.message)
    assert problem.location.line == 8 and "'WEB01'" in problem.message


@pytest.mark.parametrize("chunk", [1, 10**9])
def test_chunked_validation_gives_the_same_inventory_and_error_lines(
    write, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The reader validates servers a chunk at a time (progress keeps drawing at 100k): the
    inventory and the error locations are those of one whole validation."""
    from forcelift.migration import chunked

    monkeypatch.setattr(chunked, "CHUNK", chunk)
    inv = load_inventory([write("inv.yaml", GOOD)]).inventory
    assert [s.name for s in inv.servers] == ["web01", "db01"]
    assert inv.applications[0].servers == ("web01", "db01")
    with pytest.raises(InputError) as err:
        load_inventory([write("bad.yaml", GOOD.replace("power_state: on", "power_state: x"))])
    (problem,) = err.value.problems
    assert problem.location.line == 7 and problem.location.column == "power_state"
    assert problem.message.startswith("servers[0].power_state: unknown power state 'x'")
