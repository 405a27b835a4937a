"""Every format the sample estate is exported in reads back to the same servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcelift.migration.inventory.load import load_inventory

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventories" / "exampleshire"
EXPORTS = SAMPLE / "exports"
CMDB = [EXPORTS / "cmdb.csv", EXPORTS / "dependencies.csv"]

SOURCES = {
    "native-yaml": [SAMPLE / "inventory.yaml"],
    "native-csv": [SAMPLE / "native-csv"],
    "rvtools-xlsx": [EXPORTS / "rvtools" / "RVTools_export_all.xlsx",
                     EXPORTS / "physical-servers.csv", *CMDB],
    "rvtools-csv": [EXPORTS / "rvtools-csv", EXPORTS / "physical-servers.csv", *CMDB],
    "azure-migrate-csv": [EXPORTS / "azure-migrate" / "import.csv", *CMDB],
    "azure-migrate-csv+workbook": [EXPORTS / "azure-migrate" / "import.csv",
                                   EXPORTS / "azure-migrate" / "discovery-software.xlsx", *CMDB],
    "aws-migration-hub": [EXPORTS / "aws-migration-hub" / "import.csv", *CMDB],
}


def _servers(paths: list[Path]) -> set[tuple[str, int, int]]:
    inventory = load_inventory(paths).inventory
    return {(s.name.lower(), s.cores, s.memory_mib) for s in inventory.servers}


@pytest.fixture(scope="module")
def reference() -> set[tuple[str, int, int]]:
    return _servers(SOURCES["native-yaml"])


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_same_servers_from_every_format(name: str, reference: set[tuple[str, int, int]]) -> None:
    servers = _servers(SOURCES[name])
    assert len(reference) >= 250
    assert servers == reference, (sorted(servers - reference)[:5], sorted(reference - servers)[:5])


@pytest.mark.parametrize("name", ["rvtools-xlsx", "azure-migrate-csv", "aws-migration-hub"])
def test_exports_with_the_cmdb_give_the_same_applications(name: str) -> None:
    expected = load_inventory(SOURCES["native-yaml"]).inventory
    got = load_inventory(SOURCES[name]).inventory
    assert {a.name for a in got.applications} == {a.name for a in expected.applications}
    assert len(got.dependencies) == len(expected.dependencies)


def test_exports_are_reproducible(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_sample_exports",
                                                  ROOT / "tools" / "build_sample_exports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.build(tmp_path):
        committed = EXPORTS / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), committed


def test_unsized_servers_with_utilisation_export_without_crashing(tmp_path: Path) -> None:
    """An unsized server (no memory, no cores) with utilisation: the RVTools and AWS writers
    multiplied None by the memory percentage (TypeError) and summed None into host totals."""
    from forcelift.migration.inventory.export.aws_migration_hub import write_aws_import_csv
    from forcelift.migration.inventory.export.rvtools import write_rvtools_xlsx
    from forcelift.migration.inventory.model import Inventory, PowerState, Server, Utilisation

    unsized = Server(
        name="ghost01",
        host="esx01",
        power_state=PowerState.ON,
        utilisation=Utilisation(cpu_percent=20, memory_percent=40),
        unsized_reason="CPUs is blank",
    )
    sized = Server(name="web01", host="esx01", cores=2, memory_mib=4096)
    inventory = Inventory(force="Testshire", servers=(unsized, sized))
    write_rvtools_xlsx(inventory, tmp_path / "rv.xlsx")
    write_aws_import_csv(inventory, tmp_path / "aws.csv")
    assert "ghost01" in (tmp_path / "aws.csv").read_text()
    assert (tmp_path / "rv.xlsx").stat().st_size > 0
