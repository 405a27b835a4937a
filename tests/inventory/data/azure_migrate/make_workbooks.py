"""Regenerate the Azure Migrate workbook fixtures (run by hand; the .xlsx files are committed).

They are written with xlsxwriter directly, not with forcelift's exporter, so reader tests do
not depend on the writer. Headers follow the sheets Azure Migrate exports; the assessment and
software workbooks add the header variants and extra columns real exports show.

    .venv/bin/python tests/inventory/data/azure_migrate/make_workbooks.py
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
Sheet = tuple[str, Sequence[str], Sequence[Sequence[object]]]

DISCOVERY = (
    "Discovery_Report",
    (
        "Machine Name",
        "Environment",
        "Software Inventory Count",
        "SQL Discovery Server Count",
        "Is SQL Service Present",
        "Web Applications Count",
        "Operating System",
        "Cores",
        "Memory (in MB)",
        "Total Disks",
        "IP Addresses",
        "MAC Addresses",
        "Total Network Adapters",
        "Boot Type",
        "Power Stats",
        "First Discovery Time",
        "Last Updated Time",
        "Machine ID",
    ),
    (
        (
            "CUS-SQL01",
            "VMware",
            3,
            1,
            "Yes",
            0,
            "Microsoft Windows Server 2019 Datacenter",
            8,
            32768,
            2,
            "10.20.1.10, 10.20.1.11",
            "00:50:56:a1:00:01",
            2,
            "EFI",
            "On",
            "2025-03-01 09:12:44",
            "2025-03-14 22:01:05",
            "8b0c5c0e-0d5d-4d56-9b32-5f1b7d7c0a01",
        ),
        (
            "CUS-APP01",
            "VMware",
            1,
            0,
            "No",
            1,
            "Red Hat Enterprise Linux 8 (64-bit)",
            4,
            16384,
            1,
            "10.20.1.20",
            "00:50:56:a1:00:02",
            1,
            "BIOS",
            "On",
            "2025-03-01 09:12:44",
            "2025-03-14 22:01:05",
            "8b0c5c0e-0d5d-4d56-9b32-5f1b7d7c0a02",
        ),
        (
            "FIN-OLD01",
            "Hyper-V",
            0,
            0,
            "No",
            0,
            "Windows Server 2012 R2 Standard",
            2,
            8192,
            1,
            "10.40.0.9",
            "",
            1,
            "BIOS",
            "Off",
            "2025-03-01 09:12:44",
            "2025-03-02 10:00:00",
            "8b0c5c0e-0d5d-4d56-9b32-5f1b7d7c0a03",
        ),
    ),
)
APPLICATIONS = (
    "ApplicationInventory",
    ("MachineName", "Application", "Version", "Provider"),
    (
        ("CUS-SQL01", "Microsoft SQL Server Management Studio", "19.3", "Microsoft Corporation"),
        ("CUS-SQL01", "Veeam Agent for Microsoft Windows", "6.1.0.349", "Veeam Software Group"),
        ("CUS-APP01", "NICHE Custody Interface", "4.8", "Niche Technology"),
        ("HR-APP09", "Oracle Java SE 8", "8.0.391", "Oracle Corporation"),
    ),
)
SQL = (
    "SQLServer",
    ("MachineName", "Instance Name", "Edition", "Service Pack", "Version"),
    (("CUS-SQL01", "MSSQLSERVER", "Enterprise Edition", "RTM", "15.0.4360.2"),),
)
DATABASES = (
    "OtherDatabases",
    ("MachineName", "Database Type", "Version"),
    (("CUS-APP01", "PostgreSQL", "13.4"),),
)

ASSESSMENT = (
    "All_Assessed_Machines",
    (
        "Machine",
        "VM host",
        "Azure VM readiness",
        "Azure readiness issues",
        "Data collection issues",
        "Recommended size",
        "Compute monthly cost USD",
        "Storage monthly cost USD",
        "Operating system",
        "Boot type",
        "Cores",
        "Memory(MB)",
        "CPU usage(%)",
        "Memory usage(%)",
        "Storage(GB)",
        "Network adapters",
        "IP address",
        "Comments",
    ),
    (
        (
            "CUS-SQL01",
            "esx-hq-04.exampleshire.police.uk",
            "Ready",
            "",
            "",
            "Standard_E8s_v5",
            452.1,
            61.4,
            "Microsoft Windows Server 2019 Datacenter",
            "UEFI",
            8,
            32768,
            42.5,
            71,
            600,
            2,
            "10.20.1.10",
            "",
        ),
        (
            "CUS-APP01",
            "esx-hq-02.exampleshire.police.uk",
            "Ready",
            "",
            "",
            "Standard_D4s_v5",
            140.2,
            9.6,
            "Red Hat Enterprise Linux 8",
            "BIOS",
            4,
            16384,
            18.25,
            "NA",
            "80 GB",
            1,
            "10.20.1.20",
            "agent missing",
        ),
    ),
)
SUMMARY = ("Assessment_Summary", ("Property", "Value"), (("Target location", "UK South"),))

SOFTWARE_VARIANT = (
    (
        "Application Inventory",
        ("Machine Name", "application", "VERSION", "Provider", "Install date"),
        (
            (
                "cus-sql01.exampleshire.police.uk",
                "Veeam Agent for Microsoft Windows",
                "6.1",
                "Veeam",
                "2024-01-02",
            ),
            ("CUS-APP01", "NICHE Custody Interface", "4.8", "Niche Technology", ""),
            ("HR-APP09", "Oracle Java SE 8", "8.0.391", "Oracle Corporation", ""),
        ),
    ),
    (
        "SQLServer",
        ("MachineName", "Instance Name", "Edition", "Service Pack", "Version", "Port"),
        (("CUS-SQL01", "CUSTODY", "Standard Edition", "SP1", "13.0.5026.0", 1433),),
    ),
)


def write(path: Path, sheets: Sequence[Sheet]) -> None:
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": dt.datetime(2025, 3, 14)})
    for name, header, rows in sheets:
        ws = workbook.add_worksheet(name)
        ws.write_row(0, 0, header)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    if value:
                        ws.write_string(i, j, value)
                else:
                    ws.write_number(i, j, value)
    workbook.close()


def main() -> None:
    write(HERE / "discovery_report.xlsx", [DISCOVERY, APPLICATIONS, SQL, DATABASES])
    write(HERE / "assessment_export.xlsx", [SUMMARY, ASSESSMENT])
    write(HERE / "software_inventory.xlsx", SOFTWARE_VARIANT)


if __name__ == "__main__":
    main()
