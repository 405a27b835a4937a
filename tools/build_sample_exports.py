"""Write the Exampleshire estate in every third-party format forcelift reads.

From inventories/exampleshire/inventory.yaml this writes, under inventories/exampleshire/exports/:

    rvtools/RVTools_export_all.xlsx     RVTools 4.x workbook of the VMware VMs
    rvtools-csv/RVTools_tab*.csv        the same as RVTools' per-tab CSV export
    physical-servers.csv                the servers RVTools cannot see (AIX, SPARC), native CSV
    azure-migrate/import.csv            Azure Migrate import template (every server)
    azure-migrate/discovery-software.xlsx  discovery report + software inventory workbook
    aws-migration-hub/import.csv        AWS Migration Hub import template (every server)

Together with exports/cmdb.csv and exports/dependencies.csv (tools/build_exampleshire.py) each
set reproduces the estate; tests/inventory/test_sample_exports.py checks they agree.

    .venv/bin/python tools/build_sample_exports.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from forcelift.migration.inventory.export.aws_migration_hub import write_aws_import_csv
from forcelift.migration.inventory.export.azure_migrate import (
    write_azure_migrate_csv,
    write_azure_migrate_workbook,
)
from forcelift.migration.inventory.export.native_csv import native_csv_files
from forcelift.migration.inventory.export.rvtools import write_rvtools_csv, write_rvtools_xlsx
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import Inventory

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inventories" / "exampleshire"


def is_vmware(server: object) -> bool:
    """VMs on the VMware clusters; physical Unix frames have no cluster in the sample."""
    return bool(getattr(server, "cluster", ""))


def build(out_dir: Path) -> list[Path]:
    inventory = load_inventory([SAMPLE / "inventory.yaml"]).inventory
    vmware = Inventory(force=inventory.force,
                       servers=tuple(s for s in inventory.servers if is_vmware(s)))
    physical = Inventory(force=inventory.force,
                         servers=tuple(s for s in inventory.servers if not is_vmware(s)))
    written = [write_rvtools_xlsx(vmware, out_dir / "rvtools" / "RVTools_export_all.xlsx")]
    written += write_rvtools_csv(vmware, out_dir / "rvtools-csv")
    servers_csv = native_csv_files(physical)["servers.csv"]
    (out_dir / "physical-servers.csv").write_text(servers_csv, encoding="utf-8")
    written.append(out_dir / "physical-servers.csv")
    (out_dir / "azure-migrate").mkdir(parents=True, exist_ok=True)
    write_azure_migrate_csv(inventory, out_dir / "azure-migrate" / "import.csv")
    write_azure_migrate_workbook(inventory, out_dir / "azure-migrate" / "discovery-software.xlsx")
    (out_dir / "aws-migration-hub").mkdir(parents=True, exist_ok=True)
    write_aws_import_csv(inventory, out_dir / "aws-migration-hub" / "import.csv")
    written += [out_dir / "azure-migrate" / "import.csv",
                out_dir / "azure-migrate" / "discovery-software.xlsx",
                out_dir / "aws-migration-hub" / "import.csv"]
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE / "exports")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
