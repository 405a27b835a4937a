"""Synthetic estates: deterministic, valid, policing-shaped, and written by the synth command."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.inventory import inventory
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import (
    DependencyKind,
    ExternalService,
    OsFamily,
    PowerState,
    SecurityClassification,
)
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.inventory.writer import inventory_to_yaml


def test_same_seed_same_estate_different_seed_differs() -> None:
    first = inventory_to_yaml(synthesise(40, seed=7))
    assert first == inventory_to_yaml(synthesise(40, seed=7))
    assert first != inventory_to_yaml(synthesise(40, seed=8))


@pytest.mark.parametrize("count", [1, 2, 17, 250])
def test_exact_server_count_and_every_server_claimed_once(count: int) -> None:
    estate = synthesise(count, seed=3)
    names = [s.name for s in estate.servers]
    assert len(names) == count == len(set(names))
    claimed = [name for app in estate.applications for name in app.servers]
    assert sorted(claimed) == sorted(names)


def test_rejects_no_servers() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        synthesise(0, seed=1)


def test_distributions_look_like_a_police_estate() -> None:
    estate = synthesise(3000, seed=5)
    servers = estate.servers
    n = len(servers)
    families = Counter(s.os.family for s in servers)
    assert 0.60 < families[OsFamily.WINDOWS] / n < 0.80
    assert 0.18 < families[OsFamily.LINUX] / n < 0.35
    assert 0 < families[OsFamily.UNIX] / n < 0.03  # a few AIX / Solaris
    old = sum(1 for s in servers if "2008" in s.os.name or "2012" in s.os.name)
    assert 0.08 < old / n < 0.25
    off = sum(1 for s in servers if s.power_state is PowerState.OFF)
    assert 0.03 < off / n < 0.08
    with_util = sum(1 for s in servers if s.utilisation is not None)
    assert 0.75 < with_util / n < 0.85
    assert 4 < n / len(estate.applications) < 6
    classes = Counter(a.classification for a in estate.applications)
    assert (
        classes[SecurityClassification.OFFICIAL]
        and classes[SecurityClassification.OFFICIAL_SENSITIVE]
    )
    assert len({a.criticality for a in estate.applications}) == 4
    assert all(a.products for a in estate.applications)
    services = {d.service for d in estate.dependencies if d.kind is DependencyKind.EXTERNAL}
    assert {ExternalService.PNC, ExternalService.PSN, ExternalService.M365} <= services
    assert any(d.kind is DependencyKind.APPLICATION for d in estate.dependencies)
    names = " ".join(a.name for a in estate.applications)
    for system in ("Custody", "Command and Control", "ANPR", "Duty Management", "ICCS"):
        assert system in names


def test_small_estate_loads_cleanly_through_native_yaml(tmp_path: Path) -> None:
    estate = synthesise(80, seed=2)
    path = tmp_path / "estate.yaml"
    path.write_text(inventory_to_yaml(estate), encoding="utf-8")
    assert load_inventory([path]).inventory == estate


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("estate.xlsx", "rvtools-xlsx"), ("estate.yaml", "native-yaml"), ("rvtools", "rvtools-csv")],
)
def test_synth_command_writes_each_format_and_refuses_to_overwrite(
    tmp_path: Path, name: str, fmt: str
) -> None:
    out = tmp_path / name
    runner = CliRunner()
    args = ["synth", "--servers", "25", "--seed", "4", "-o", str(out)]
    result = runner.invoke(inventory, args)
    assert result.exit_code == 0, result.output
    assert f"({fmt}): 25 servers" in result.output
    assert len(load_inventory([out]).inventory.servers) == 25
    again = runner.invoke(inventory, args)
    assert again.exit_code == 2
    assert "refusing to overwrite" in again.output
    forced = runner.invoke(inventory, [*args, "--force", "--format", fmt])
    assert forced.exit_code == 0, forced.output


def test_synth_command_needs_a_format_it_can_tell(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        inventory, ["synth", "--servers", "3", "--seed", "1", "-o", str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert "--format" in result.output
