"""The sheets and columns of Azure Migrate workbooks: which sheet names mean what, and the
header spellings of each column (the exports have changed their wording over the years)."""

from __future__ import annotations

from forcelift.migration.inventory.normalise import (
    Cell,
    normalise_header,
    parse_size_gib,
    split_list,
    value_text,
)
from forcelift.migration.inventory.readers.columns import Column
from forcelift.migration.inventory.readers.vendor_cells import (
    IDENTITY_ALIASES,
    SITE_ALIASES,
    optional,
    parse_addresses,
    parse_count,
    parse_memory_mib,
    parse_pct,
)

DISCOVERY_SHEET = "Discovery_Report"
ASSESSMENT_SHEET = "All_Assessed_Machines"
DISKS_SHEET = "All_Assessed_Disks"
PROPERTIES_SHEET = "Assessment_Properties"
APPLICATIONS_SHEET = "ApplicationInventory"
SQL_SHEET = "SQLServer"
DATABASES_SHEET = "OtherDatabases"

SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    DISCOVERY_SHEET: (DISCOVERY_SHEET,),
    ASSESSMENT_SHEET: (ASSESSMENT_SHEET,),
    DISKS_SHEET: (DISKS_SHEET,),
    PROPERTIES_SHEET: (PROPERTIES_SHEET, "Assessment Properties", "Properties",
                       "Assessment_Summary", "Assessment Summary", "Settings"),
    APPLICATIONS_SHEET: (APPLICATIONS_SHEET, "Application Inventory", "Software Inventory"),
    SQL_SHEET: (SQL_SHEET, "SQL Server", "SQLServers", "SQL Server Instances"),
    DATABASES_SHEET: (DATABASES_SHEET, "Other Databases"),
}  # fmt: skip
#: sheets that make a workbook an Azure Migrate one (a "Properties" sheet alone does not)
CLAIMING = (DISCOVERY_SHEET, ASSESSMENT_SHEET, DISKS_SHEET, APPLICATIONS_SHEET, SQL_SHEET,
             DATABASES_SHEET)  # fmt: skip
SHEET_KEYS = frozenset(normalise_header(a) for k in CLAIMING for a in SHEET_ALIASES[k])

MACHINE = "Machine"
OS = "Operating System"
CORES = "Cores"
MEMORY = "Memory (in MB)"
IPS = "IP Addresses"
BOOT = "Boot Type"
POWER = "Power Stats"
ENVIRONMENT = "Environment"
HOST = "VM host"
CPU_USAGE = "CPU usage(%)"
MEMORY_USAGE = "Memory usage(%)"
STORAGE = "Storage(GB)"
IDENTITY = "identity"
SITE = "site"
READINESS = "Azure VM readiness"
READINESS_ISSUES = "Azure readiness issues"
DATA_ISSUES = "Data collection issues"
RECOMMENDED_SIZE = "Recommended size"
COMPUTE_COST = "Compute monthly cost estimate"
STORAGE_COST = "Storage monthly cost estimate"
SIZING_CRITERION = "Sizing criterion"
DISK_NAMES = "Disk names"
DISK_SKUS = "Recommended disk SKUs"

MACHINE_ALIASES = (MACHINE, "Machine Name", "MachineName", "Server name", "Server", "Name")
MEMORY_ALIASES = (MEMORY, "Memory(MB)", "Memory (MB)", "Memory in MB", "Memory")
COMPUTE_COST_ALIASES = (COMPUTE_COST, "Monthly compute cost estimate", "Compute monthly cost",
                         "Monthly compute cost")  # fmt: skip
STORAGE_COST_ALIASES = (STORAGE_COST, "Monthly storage cost estimate", "Storage monthly cost",
                         "Monthly storage cost")  # fmt: skip


def _issues(value: Cell) -> tuple[str, ...]:
    return split_list(value)


DISCOVERY_COLUMNS = (
    Column(MACHINE, MACHINE_ALIASES, required=True),
    Column(ENVIRONMENT, (ENVIRONMENT,)),
    Column(OS, (OS, "Operating system name", "OS name", "OS")),
    Column(CORES, (CORES, "Number of cores"), parse_count, size="cores"),
    Column(MEMORY, MEMORY_ALIASES, parse_memory_mib, size="memory_mib"),
    Column(IPS, (IPS, "IP Address"), parse_addresses),
    Column(BOOT, (BOOT, "Firmware type")),
    Column(POWER, (POWER, "Power Status", "Power State", "Powerstate")),
    Column(IDENTITY, IDENTITY_ALIASES, value_text),
    Column(SITE, SITE_ALIASES, value_text),
)

ASSESSMENT_COLUMNS = (
    Column(MACHINE, MACHINE_ALIASES, required=True),
    Column(HOST, (HOST, "Host")),
    Column(OS, (OS, "Operating System")),
    Column(BOOT, (BOOT,)),
    Column(CORES, (CORES, "Number of cores"), parse_count, size="cores"),
    Column(MEMORY, MEMORY_ALIASES, parse_memory_mib, size="memory_mib"),
    Column(CPU_USAGE, (CPU_USAGE, "CPU usage (%)", "CPU usage", "CPU Utilization (in %)"),
           optional(parse_pct)),
    Column(MEMORY_USAGE, (MEMORY_USAGE, "Memory usage (%)", "Memory usage",
                          "Memory Utilization (in %)"), optional(parse_pct)),
    Column(
        STORAGE,
        (STORAGE, "Storage (GB)", "Storage", "Storage in GB", "Storage (in GB)"),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(IPS, ("IP address", IPS), parse_addresses),
    Column(IDENTITY, IDENTITY_ALIASES, value_text),
    Column(SITE, SITE_ALIASES, value_text),
    # the tool's own answer, kept as Server.assessment; readiness words are real values here
    Column(READINESS, (READINESS, "Azure readiness", "Readiness", "Azure VM Readiness",
                       "Suitability"), literal=True),
    Column(READINESS_ISSUES, (READINESS_ISSUES, "Readiness issues", "Suitability issues",
                              "Suitability explanation", "Migration issues",
                              "Azure VM readiness issues"), _issues, literal=True),
    Column(DATA_ISSUES, (DATA_ISSUES, "Data collection issue"), _issues, literal=True),
    Column(RECOMMENDED_SIZE, (RECOMMENDED_SIZE, "Azure VM size", "Recommended VM size",
                              "Recommended VM Size", "Azure VM Size (recommended)"), value_text),
    Column(SIZING_CRITERION, (SIZING_CRITERION, "Sizing criteria")),
    Column(DISK_NAMES, (DISK_NAMES, "Disk Names"), _issues),
    Column(DISK_SKUS, (DISK_SKUS, "Recommended Disk SKUs", "Recommended disk SKU"), _issues),
)  # fmt: skip

DISK_COLUMNS = (
    Column(MACHINE, MACHINE_ALIASES, required=True),
    Column("Disk name", ("Disk name", "Disk", "Disk ID")),
    Column("Recommended disk type", ("Recommended disk type", "Disk type"), value_text),
    Column(
        "Recommended disk size SKU",
        ("Recommended disk size SKU", "Recommended disk SKU", "Recommended disk size"),
        value_text,
    ),
    Column(
        "Source disk size",
        (
            "Source disk size(GB)",
            "Source disk size (GB)",
            "Source disk size",
            "Disk size(GB)",
            "Disk size (GB)",
        ),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(
        "Target disk size",
        ("Target disk size(GB)", "Target disk size (GB)", "Target disk size"),
        optional(lambda value: parse_size_gib(value)),
    ),
    Column(IDENTITY, IDENTITY_ALIASES, value_text),
)

SOFTWARE_MACHINE = Column("MachineName", MACHINE_ALIASES, required=True)
APPLICATION_COLUMNS = (
    SOFTWARE_MACHINE,
    Column("Application", ("Application", "Application Name", "Name", "Software"), required=True),
    Column("Version", ("Version",)),
    Column("Provider", ("Provider", "Publisher", "Vendor")),
)
SQL_COLUMNS = (
    SOFTWARE_MACHINE,
    Column("Instance Name", ("Instance Name", "Instance")),
    Column("Edition", ("Edition",)),
    Column("Service Pack", ("Service Pack",)),
    Column("Version", ("Version",)),
)
DATABASE_COLUMNS = (
    SOFTWARE_MACHINE,
    Column("Database Type", ("Database Type", "Type", "Database"), required=True),
    Column("Version", ("Version",)),
)
