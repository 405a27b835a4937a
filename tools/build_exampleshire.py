"""Build the Exampleshire Police sample estate (inventories/exampleshire) from the tables below.

Exampleshire Police is a fictional county force. The applications, their servers and their
dependencies are written out by hand, as a force's CMDB would hold them; only the details a
CMDB does not care about (which ESXi host a VM sits on, its IP in its subnet, disk usage,
utilisation) come from a seeded random generator, so running this script rewrites every file
byte for byte:

    .venv/bin/python tools/build_exampleshire.py            # rewrite inventories/exampleshire
    .venv/bin/python tools/build_exampleshire.py --out DIR  # write the same files elsewhere

Files written (all derived from one Inventory):
    inventory.yaml                 native YAML (forcelift's canonical form)
    native-csv/*.csv, force.yaml   the same estate as native CSV
    exports/cmdb.csv               CMDB-style export, one row per application-server pair
    exports/dependencies.csv       dependency export
The RVTools / Azure Migrate / AWS exports under exports/ are produced from inventory.yaml by
other tools and are not touched here.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forcelift.migration.inventory.export.native_csv import format_number, native_csv_files
from forcelift.migration.inventory.model import (
    Application,
    Criticality,
    Dependency,
    DependencyKind,
    Disk,
    ExternalService,
    Inventory,
    OperatingSystem,
    PowerState,
    SecurityClassification,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.inventory.readers.native_csv import format_products
from forcelift.migration.inventory.writer import inventory_to_yaml, write_atomic

FORCE = "Exampleshire Police"
DOMAIN = "exampleshire.police.uk"
SEED = 1829  # the year the Metropolitan Police was founded; any fixed number will do
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "inventories" / "exampleshire"

# short aliases keep the tables below readable (OFS = OFFICIAL-SENSITIVE)
C, H, M, L = Criticality.CRITICAL, Criticality.HIGH, Criticality.MEDIUM, Criticality.LOW
OFC, OFS = SecurityClassification.OFFICIAL, SecurityClassification.OFFICIAL_SENSITIVE

# --------------------------------------------------------------------------- operating systems

OPERATING_SYSTEMS: dict[str, tuple[str, str]] = {
    "W08": ("Microsoft Windows Server 2008 R2 Enterprise", "6.1.7601"),
    "W12": ("Microsoft Windows Server 2012 R2 Standard", "6.3.9600"),
    "W16": ("Microsoft Windows Server 2016 Standard", "10.0.14393"),
    "W19": ("Microsoft Windows Server 2019 Standard", "10.0.17763"),
    "W19D": ("Microsoft Windows Server 2019 Datacenter", "10.0.17763"),
    "W22": ("Microsoft Windows Server 2022 Standard", "10.0.20348"),
    "RHEL7": ("Red Hat Enterprise Linux 7", "7.9"),
    "RHEL8": ("Red Hat Enterprise Linux 8", "8.8"),
    "UBU20": ("Ubuntu 20.04 LTS", "20.04"),
    "AIX": ("IBM AIX 7.2", "7.2 TL5"),
    "SOL": ("Oracle Solaris 11", "11.4"),
    "ADC": ("Citrix ADC (NetScaler) VPX appliance", "13.1"),
    "ISE": ("Cisco ISE virtual appliance", "3.1"),
    "ICS": ("Ivanti Connect Secure virtual appliance", "22.7"),
    "EPMM": ("Ivanti EPMM virtual appliance", "11.10"),
    "AVAYA": ("Avaya Aura System Platform appliance", "8.1"),
}
_NO_METRICS = {"AIX", "SOL", "ADC", "ISE", "ICS", "EPMM", "AVAYA"}  # no VMware Tools data


def _is_windows(os_key: str) -> bool:
    return os_key.startswith("W")


# --------------------------------------------------------------------------- software products


def P(spec: str) -> SoftwareProduct:
    """`vendor:product:version[:edition]` -> SoftwareProduct (the native CSV spelling)."""
    vendor, product, version, edition = [*spec.split(":"), "", ""][:4]
    return SoftwareProduct(vendor=vendor, product=product, version=version, edition=edition)


SQL2012 = "Microsoft:SQL Server:2012 SP4:Standard"
SQL2016 = "Microsoft:SQL Server:2016 SP3:Enterprise"
SQL2016STD = "Microsoft:SQL Server:2016 SP3:Standard"
SQL2019 = "Microsoft:SQL Server:2019 CU25:Enterprise"
SQL2019STD = "Microsoft:SQL Server:2019 CU25:Standard"
IIS85 = "Microsoft:Internet Information Services:8.5"
IIS10 = "Microsoft:Internet Information Services:10.0"
DOTNET = "Microsoft:.NET Framework:4.8"
ORACLE19 = "Oracle:Database:19c:Enterprise Edition"
ORACLE11 = "Oracle:Database:11.2.0.4:Enterprise Edition"
TOMCAT85 = "Apache Software Foundation:Tomcat:8.5.99"
TOMCAT9 = "Apache Software Foundation:Tomcat:9.0.85"
JAVA8 = "Oracle:Java SE Runtime Environment:8u401"
JAVA11 = "Eclipse Adoptium:Temurin JDK:11.0.22"
POSTGRES = "PostgreSQL Global Development Group:PostgreSQL:13.14"
MYSQL = "Oracle:MySQL Community Server:5.7.44"
VDA = "Citrix:Virtual Delivery Agent:2203 LTSR CU4"

# --------------------------------------------------------------------------- estate layout

DATACENTRES = {"HQ": "HQ-DC1", "DR": "DR-DC2"}
# (site, cluster label) -> (cluster, host names)
CLUSTERS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("HQ", "gen"): ("HQ-GEN-CL01", tuple(f"hq-esx-g{n:02d}.{DOMAIN}" for n in range(1, 11))),
    ("HQ", "sql"): ("HQ-SQL-CL01", tuple(f"hq-esx-s{n:02d}.{DOMAIN}" for n in range(1, 5))),
    ("HQ", "vdi"): ("HQ-VDI-CL01", tuple(f"hq-esx-v{n:02d}.{DOMAIN}" for n in range(1, 7))),
    ("HQ", "dmz"): ("HQ-DMZ-CL01", tuple(f"hq-esx-d{n:02d}.{DOMAIN}" for n in range(1, 3))),
    ("HQ", "ops"): ("HQ-OPS-CL01", tuple(f"hq-esx-o{n:02d}.{DOMAIN}" for n in range(1, 4))),
    ("HQ", "power"): ("", (f"hq-p9-frame01.{DOMAIN}",)),
    ("HQ", "sparc"): ("", (f"hq-sparc-t8-01.{DOMAIN}",)),
    ("DR", "gen"): ("DR-GEN-CL01", tuple(f"dr-esx-g{n:02d}.{DOMAIN}" for n in range(1, 7))),
    ("DR", "sql"): ("DR-SQL-CL01", tuple(f"dr-esx-s{n:02d}.{DOMAIN}" for n in range(1, 3))),
    ("DR", "vdi"): ("DR-VDI-CL01", tuple(f"dr-esx-v{n:02d}.{DOMAIN}" for n in range(1, 4))),
    ("DR", "dmz"): ("DR-DMZ-CL01", (f"dr-esx-d01.{DOMAIN}",)),
    ("DR", "ops"): ("DR-OPS-CL01", tuple(f"dr-esx-o{n:02d}.{DOMAIN}" for n in range(1, 3))),
}
# network zone -> cluster label and first three octets per site (HQ, DR)
ZONES: dict[str, tuple[str, str, str]] = {
    "infra": ("gen", "10.20.10", "10.21.10"),
    "app": ("gen", "10.20.20", "10.21.20"),
    "data": ("sql", "10.20.30", "10.21.30"),
    "vdi": ("vdi", "10.20.40", "10.21.40"),
    "mgmt": ("gen", "10.20.50", "10.21.50"),
    "ops": ("ops", "10.20.60", "10.21.60"),
    "dmz": ("dmz", "172.16.10", "172.16.20"),
    "power": ("power", "10.20.70", "10.21.70"),
    "sparc": ("sparc", "10.20.70", "10.21.70"),
}


@dataclass(frozen=True)
class Role:
    """A group of like servers of one application: `hq` at HQ-DC1, `dr` at DR-DC2."""

    role: str  # the part of the server name after the application code, e.g. APP, SQL
    hq: int
    dr: int = 0
    os: str = "W19"
    cores: int = 4
    memory_gib: int = 16
    disks: tuple[tuple[str, int], ...] = ()  # data disks after the system disk
    zone: str = "app"
    load: str = "app"  # utilisation profile: web, app, db, vdi, file, infra, idle
    software: tuple[str, ...] = ()
    label: str = "application server"
    environment: str = "production"
    off: bool = False  # every server of this role is powered off
    dr_off: bool = False  # the DR servers are cold standby (powered off)
    names: tuple[str, ...] = ()  # explicit server names, overriding the numbering


@dataclass(frozen=True)
class App:
    code: str
    name: str
    category: str
    owner: str
    criticality: Criticality
    classification: SecurityClassification
    products: tuple[str, ...]
    users: int | None
    rto: float | None
    rpo: float | None
    cost_centre: str
    area: str  # vCenter folder
    description: str
    roles: tuple[Role, ...] = ()
    shares: tuple[str, ...] = ()  # codes of applications whose servers this one also uses
    eos: dt.date | None = None
    notes: str = ""


def R(role: str, hq: int, dr: int = 0, **kw: object) -> Role:
    return Role(role, hq, dr, **kw)  # type: ignore[arg-type]


D = dt.date

# --------------------------------------------------------------------------- the applications
# Order: operational policing, control room, criminal justice, corporate, productivity and
# collaboration, data platforms, infrastructure and security, legacy. Each entry reads:
#   App(code, name, category, owner, criticality, classification, products, users, RTO hours,
#       RPO hours, cost centre, vCenter folder, description, roles, shares=, eos=, notes=)
# The tables are kept hand-aligned, so ruff format leaves them alone.

# fmt: off
APPS: tuple[App, ...] = (
    # ---- operational policing
    App(
        "RMS", "Niche RMS", "records-management", "Head of Information Management", C, OFS,
        ("Niche Technology:Niche RMS:5.2", ORACLE19), 3200, 4, 0.25, "CC-2100",
        "Operational Policing",
        "Force records management: occurrences, crime, nominals, intelligence, safeguarding.",
        (
            R("APP", 4, 2, os="W16", cores=8, memory_gib=32, disks=(("D:", 200),)),
            R("WEB", 2, 1, os="W16", cores=4, memory_gib=16, load="web", software=(IIS10,),
              label="web and mobile services"),
            R("DB", 2, 1, os="RHEL8", cores=16, memory_gib=128, zone="data", load="db",
              disks=(("/u01", 200), ("/u02", 2048), ("/u03", 500)), software=(ORACLE19,),
              label="Oracle database server (Data Guard)"),
            R("RPT", 1, os="W16", cores=4, memory_gib=16, label="report server"),
            R("TST", 2, os="W16", cores=4, memory_gib=16, environment="test",
              label="test and training server"),
        ),
        notes="PNC/PND/LEDS interfaces go through the Integration Hub; Oracle Data Guard "
        "replicates to DR-DC2; supplier remote support over PSN for Policing.",
    ),
    App(
        "INT", "Integration Hub", "integration", "Head of Digital Services", H, OFS,
        ("Microsoft:BizTalk Server:2016:Enterprise",), 12, 4, 0.5, "CC-3200",
        "Operational Policing",
        "Message broker between force systems and national services (PNC, PND, LEDS, "
        "Common Platform, Single Online Home).",
        (R("APP", 2, 1, os="W16", cores=8, memory_gib=32, software=(DOTNET,),
           label="BizTalk server"),),
        shares=("SQL1",),
        notes="PNC interface uses IBM MQ over the PSN for Policing gateway.",
    ),
    App(
        "INTEL", "Intelligence Analysis", "intelligence", "Head of Intelligence", H, OFS,
        ("N. Harris Computer Corporation:i2 iBase:9.0",
         "N. Harris Computer Corporation:i2 Analyst's Notebook:9.4"), 140, 8, 1, "CC-2400",
        "Operational Policing",
        "Analytical intelligence database and link charting for the force intelligence bureau.",
        (R("APP", 2, os="W16", cores=8, memory_gib=32, label="iBase application server"),),
        shares=("SQL1",),
    ),
    App(
        "ANPR", "ANPR Back Office (BOF)", "anpr", "Head of Roads Policing", H, OFS,
        (":ANPR Back Office Facility:3.4", SQL2016), 180, 4, 1, "CC-2600",
        "Operational Policing",
        "Local ANPR back office: camera reads, hotlists, alerts to the control room.",
        (
            R("APP", 2, 1, os="W16", cores=8, memory_gib=32, dr_off=True),
            R("SQL", 2, os="W16", cores=8, memory_gib=64, zone="data", load="db",
              disks=(("D:", 4096), ("L:", 500)), software=(SQL2016,), label="SQL Server node"),
            R("ING", 2, os="W16", cores=4, memory_gib=16, label="camera ingest server"),
        ),
        notes="Fixed-site cameras on BT Redcare links; reads forwarded to the National ANPR "
        "Service (NAS); local BOF to be decommissioned once the NAS management server is live.",
    ),
    App(
        "PRONTO", "Mobile Data (Pronto)", "mobile-data", "Head of Operational Support", H, OFS,
        ("Motorola Solutions:Pronto:5.6",), 2400, 4, 1, "CC-2100", "Operational Policing",
        "Officer mobile app: digital notebook, PNC checks, crime and stop-search on the street.",
        (
            R("APP", 2, 1, os="W19", cores=8, memory_gib=32),
            R("API", 2, os="W19", cores=4, memory_gib=16, zone="dmz", load="web",
              software=(IIS10,), label="mobile API gateway"),
        ),
        shares=("SQL3",),
    ),
    App(
        "MDM", "Mobile Device Management", "mobile-device-management",
        "Head of ICT Infrastructure", H, OFC,
        ("Ivanti:Endpoint Manager Mobile:11.10",), 2600, 8, 4, "CC-3100", "Infrastructure",
        "Manages 2,600 officer smartphones and tablets (formerly MobileIron Core).",
        (
            R("CORE", 2, os="EPMM", cores=4, memory_gib=16, zone="infra",
              label="EPMM core appliance"),
            R("SEN", 2, os="EPMM", cores=2, memory_gib=8, zone="dmz", label="Sentry gateway"),
        ),
    ),
    App(
        "GIS", "GIS (ArcGIS Enterprise)", "gis", "Head of Business Intelligence", M, OFC,
        ("Esri:ArcGIS Enterprise:10.9.1",), 300, 24, 24, "CC-3400", "Operational Policing",
        "Mapping services for command and control, crime mapping and analysts.",
        (
            R("SRV", 2, os="W19", cores=8, memory_gib=32, label="ArcGIS Server"),
            R("PTL", 1, os="W19", cores=4, memory_gib=16, load="web", label="Portal for ArcGIS"),
            R("DS", 1, os="W19", cores=4, memory_gib=16, disks=(("D:", 500),),
              label="ArcGIS Data Store"),
        ),
        shares=("PG",),
        notes="Ordnance Survey AddressBase Premium and MasterMap loaded monthly.",
    ),
    App(
        "GAZ", "Address Gazetteer Service", "gis", "Head of Business Intelligence", M, OFC,
        ("Exampleshire Police:Gazetteer API:2.3", TOMCAT85, JAVA8), 0, 24, 24, "CC-3400",
        "Operational Policing",
        "In-house Java address lookup (AddressBase) used by STORM, Niche and Pronto.",
        (R("APP", 2, os="RHEL7", cores=2, memory_gib=8, load="web", software=(TOMCAT85, JAVA8),
           label="Tomcat server"),),
        shares=("PG",),
        eos=D(2024, 3, 31),
        notes="Tomcat 8.5 is out of support; no users of its own, called by other systems.",
    ),
    App(
        "HOLMES", "HOLMES 2 and Casualty Bureau", "major-investigation",
        "Head of Major Crime", H, OFS,
        ("Unisys:HOLMES 2:16.2", "Unisys:Casweb:16.2"), 250, 8, 1, "CC-2700",
        "Operational Policing",
        "Major incident room system and casualty bureau for major enquiries.",
        (R("APP", 2, os="W16", cores=8, memory_gib=32, disks=(("D:", 500),)),),
        shares=("SQL1",),
        notes="Mutual aid with neighbouring forces' incident rooms over PSN for Policing.",
    ),
    # ---- control room
    App(
        "STM", "STORM Command and Control", "command-and-control",
        "Head of Contact Management", C, OFS,
        ("Sopra Steria:STORM:6.1", SQL2016, "Cadcorp:SIS:9.1"), 450, 0.5, 0, "CC-2200",
        "Control Room",
        "Computer-aided dispatch for 999 and 101 incidents and resource deployment.",
        (
            R("APP", 2, 2, os="W16", cores=8, memory_gib=32, zone="ops"),
            R("SQL", 2, 1, os="W16", cores=8, memory_gib=64, zone="ops", load="db",
              disks=(("D:", 500), ("L:", 200)), software=(SQL2016,),
              label="SQL Server node (Always On)"),
            R("GIS", 1, os="W16", cores=4, memory_gib=16, zone="ops", label="Cadcorp map server"),
            R("GW", 2, os="W16", cores=4, memory_gib=16, zone="ops",
              label="interface gateway (ICCS, Pronto, ANPR)"),
            R("TRN", 1, os="W16", cores=4, memory_gib=16, zone="ops", environment="training",
              label="training server"),
        ),
        notes="Runs in the segregated control-room network; CTI link to ICCS for caller line "
        "identity; any outage invokes the paper fallback procedure.",
    ),
    App(
        "ICCS", "ICCS (Integrated Communications Control System)", "telephony",
        "Force Control Room Manager", C, OFS,
        ("Frequentis:3020 LifeX ICCS:4.2",), 220, 0.25, 0, "CC-2200", "Control Room",
        "Control-room voice: 999 and 101 calls and Airwave radio talk groups on one console.",
        (R("SRV", 2, 2, os="W12", cores=4, memory_gib=16, zone="ops", label="ICCS server"),),
        notes="Radio console hardware in both control rooms; Airwave (and later ESN) gateways "
        "on dedicated circuits; ISDN30 lines to BT for 999 call delivery. Vendor-certified on "
        "Windows Server 2012 R2 only.",
    ),
    App(
        "TEL", "Contact Centre Telephony", "telephony", "Head of Contact Management", H, OFC,
        ("Avaya:Aura Communication Manager:8.1", "Avaya:Aura Contact Center:7.1"), 600, 4, 1,
        "CC-2200", "Control Room",
        "Force switchboard, 101 contact centre queues and station telephony.",
        (
            R("CM", 2, 1, os="AVAYA", cores=4, memory_gib=8, zone="ops",
              label="Communication Manager"),
            R("SM", 1, 1, os="AVAYA", cores=4, memory_gib=8, zone="ops", label="Session Manager"),
            R("ACC", 2, os="W16", cores=4, memory_gib=16, zone="ops",
              label="Contact Center server"),
        ),
        notes="ISDN30 lines to BT; G450 media gateways in 14 stations; SIP trunk to Skype for "
        "Business.",
    ),
    App(
        "REC", "Voice and Radio Recording", "telephony", "Force Control Room Manager", H, OFS,
        ("NICE:Engage Platform:6.6",), 40, 4, 0.25, "CC-2200", "Control Room",
        "Recording of 999/101 calls and radio traffic for evidence and quality review.",
        (R("APP", 2, 1, os="W16", cores=8, memory_gib=16, disks=(("D:", 2048),), zone="ops",
           label="recording server"),),
        shares=("SQL2",),
        notes="Recording taps on the ISDN30 trunks and ICCS radio audio; requires USB licence "
        "dongle on EXS-REC-APP01.",
    ),
    # ---- criminal justice
    App(
        "CUS", "Custody", "custody", "Head of Custody", C, OFS,
        ("NEC Software Solutions:CONNECT Custody:4.3", SQL2019), 900, 1, 0.25, "CC-2300",
        "Criminal Justice",
        "Custody records for four custody suites: detention, risk assessment, PACE clocks.",
        (
            R("APP", 2, 1, os="W19", cores=8, memory_gib=32),
            R("WEB", 2, os="W19", cores=4, memory_gib=16, load="web", software=(IIS10,),
              label="web server"),
            R("SQL", 2, 1, os="W19", cores=8, memory_gib=64, zone="data", load="db",
              disks=(("D:", 500), ("L:", 200)), software=(SQL2019,),
              label="SQL Server node (Always On)"),
        ),
        notes="Livescan fingerprint terminals and custody-suite CCTV in each suite; PNC "
        "updated on arrest and charge.",
    ),
    App(
        "CCTV", "Custody Suite CCTV", "cctv", "Head of Custody", H, OFS,
        ("Milestone Systems:XProtect Corporate:2022 R3",), 120, 8, 1, "CC-2300",
        "Criminal Justice",
        "Video management for cameras in cells, corridors and booking-in areas.",
        (
            R("MGT", 1, os="W19", cores=4, memory_gib=16, label="management server"),
            R("ARC", 2, os="W19", cores=8, memory_gib=16, disks=(("D:", 16384),), load="file",
              label="archive recording server"),
        ),
        notes="Local CCTV NVRs in each custody suite (Exampleton, Northbridge, Westmoor, "
        "Eastport) record first; the archive servers hold 90 days.",
    ),
    App(
        "PSC", "Public Space CCTV", "cctv", "Head of Local Policing", M, OFC,
        ("Genetec:Security Center:5.10",), 35, 24, 4, "CC-2100", "Operational Policing",
        "Town-centre CCTV run with Exampleshire County Council.",
        (
            R("DIR", 1, os="W19", cores=4, memory_gib=16, label="directory server"),
            R("ARC", 2, os="W19", cores=8, memory_gib=16, disks=(("D:", 12288),), load="file",
              label="archiver"),
        ),
        notes="Camera fibre links and local NVRs in the council's monitoring centre; video "
        "wall hardware in the town-centre control room.",
    ),
    App(
        "CPP", "Case File Builder", "case-preparation", "Head of Criminal Justice", H, OFS,
        ("Exampleshire Police:Case File Builder:3.2", IIS10, DOTNET), 1400, 8, 1, "CC-2300",
        "Criminal Justice",
        "In-house .NET case preparation: builds digital case files and sends them to the CPS.",
        (R("WEB", 2, 1, os="W19", cores=4, memory_gib=16, load="web", software=(IIS10, DOTNET),
           label="IIS web server"),),
        shares=("SQL3",),
    ),
    App(
        "DEMS", "Digital Evidence Management", "digital-evidence",
        "Head of Criminal Justice", H, OFS,
        ("NICE:Investigate:7.2",), 1100, 8, 1, "CC-2500", "Criminal Justice",
        "Collects, stores and shares digital evidence (CCTV, images, BWV, interviews).",
        (
            R("APP", 2, os="W19", cores=8, memory_gib=32),
            R("WEB", 2, os="W19", cores=4, memory_gib=16, load="web", software=(IIS10,),
              label="web server"),
            R("STO", 3, os="W19", cores=4, memory_gib=16, disks=(("D:", 20480),), load="file",
              label="evidence store"),
            R("PUB", 1, os="W19", cores=4, memory_gib=8, zone="dmz", load="web",
              software=(IIS10,), label="public evidence upload portal"),
        ),
        shares=("SQL3",),
        notes="Evidence store holds about 60 TB; the supplier also offers a hosted version.",
    ),
    App(
        "BWV", "Body Worn Video", "digital-evidence", "Head of Operational Support", M, OFS,
        ("Motorola Solutions:VideoManager:16.4",), 1600, 24, 4, "CC-2100",
        "Operational Policing",
        "Body-worn camera management: docking, upload, review and sharing to DEMS.",
        (
            R("APP", 2, os="W19", cores=8, memory_gib=32, disks=(("D:", 8192),)),
            R("EDG", 2, os="W19", cores=4, memory_gib=8, label="upload edge server"),
        ),
        notes="USB docking stations in 14 stations upload to the on-premise VideoManager.",
    ),
    App(
        "DIR", "Digital Interview Recording", "interview-recording", "Head of Custody", H, OFS,
        ("Indico Systems:Indico DIR:5.3",), 500, 8, 1, "CC-2300", "Criminal Justice",
        "Suspect and witness interview recording (PACE and ABE).",
        (R("STR", 2, 1, os="W16", cores=8, memory_gib=16, disks=(("D:", 8192),),
           label="streaming server"),),
        notes="Fixed recorders in 22 interview rooms and 12 portable kits are hardware "
        "appliances on the custody network.",
    ),
    App(
        "DFU", "Digital Forensics Lab", "digital-forensics", "Head of Digital Forensics", H, OFS,
        ("Cellebrite:Physical Analyzer:7.69", "Magnet Forensics:AXIOM:7.9"), 25, 24, 24,
        "CC-2500", "Operational Policing",
        "Mobile phone and computer extraction and analysis for investigations.",
        (
            R("PRC", 4, os="W19", cores=32, memory_gib=128, disks=(("D:", 4096),), load="vdi",
              label="processing workstation server"),
            R("STO", 1, os="W19", cores=4, memory_gib=16, disks=(("D:", 40960),), load="file",
              label="case store"),
        ),
        notes="Requires USB licence dongles on the processing servers; isolated lab network; "
        "CAID hash sets updated monthly.",
    ),
    App(
        "PROP", "Property and Exhibits", "property", "Head of Property Services", M, OFS,
        ("PDMS:Property Management System:6.1",), 2200, 24, 4, "CC-2300", "Criminal Justice",
        "Found, seized and detained property and exhibits: chain of custody to disposal.",
        (R("WEB", 2, os="W16", cores=4, memory_gib=16, load="web", software=(IIS10,),
           label="web server"),),
        shares=("SQL1",),
        notes="Barcode label printers in the property stores are USB-attached to store PCs.",
    ),
    App(
        "LOST", "Lost and Found Portal", "property", "Head of Property Services", L, OFC,
        ("Exampleshire Police:Lost Property Portal:1.8", TOMCAT9, JAVA11), 30, 72, 24,
        "CC-2300", "Criminal Justice",
        "Public web form for reporting lost and found items (Java on Tomcat).",
        (R("WEB", 2, os="RHEL8", cores=2, memory_gib=8, zone="dmz", load="web",
           software=(TOMCAT9, JAVA11), label="Tomcat server"),),
        shares=("PG",),
    ),
    App(
        "CTO", "Central Ticket Office", "road-safety", "Head of Roads Policing", M, OFS,
        ("Exampleshire Police:Ticket Office:4.1", IIS10, DOTNET), 45, 48, 24, "CC-2600",
        "Criminal Justice",
        "Fixed penalty and camera-enforcement processing.",
        (R("APP", 1, os="W16", cores=4, memory_gib=16, software=(IIS10, DOTNET)),),
        shares=("SQL3",),
    ),
    App(
        "FIRE", "Firearms Licensing", "firearms-licensing", "Head of Licensing", M, OFS,
        ("Exampleshire Police:Firearms Licensing Casework:2.4", IIS85, DOTNET), 45, 72, 24,
        "CC-4500", "Criminal Justice",
        "Casework for firearm and shotgun certificates alongside the national NFLMS.",
        (R("WEB", 1, os="W12", cores=2, memory_gib=8, load="web", software=(IIS85, DOTNET),
           label="IIS web server"),),
        shares=("SQLL",),
        notes="Built in-house in 2014; runs on Windows Server 2012 R2 and SQL Server 2012.",
    ),
    # ---- corporate services
    App(
        "DMS", "Duty Management", "duty-management", "Head of Resource Management", H, OFC,
        ("Crown:Duty Management System:9.3",), 3900, 8, 4, "CC-4100", "Corporate Services",
        "Rosters, leave, overtime and skills for all officers and staff.",
        (
            R("APP", 2, 1, os="W16", cores=4, memory_gib=16),
            R("WEB", 2, os="W16", cores=4, memory_gib=8, load="web", software=(IIS10,),
              label="self-service web server"),
        ),
        shares=("SQL2",),
    ),
    App(
        "HR", "HR and Payroll", "hr", "Head of People Services", H, OFS,
        ("MHR:iTrent:10.36",), 4200, 24, 4, "CC-4100", "Corporate Services",
        "Personnel records, payroll, pensions interface and employee self-service.",
        (
            R("APP", 2, os="W19", cores=8, memory_gib=32),
            R("WEB", 2, os="W19", cores=4, memory_gib=16, load="web", software=(IIS10,),
              label="self-service web server"),
        ),
        shares=("SQL2",),
        notes="Monthly payroll run; BACS submission through the bank's bureau; HMRC RTI.",
    ),
    App(
        "FIN", "Finance (Unit4 ERP)", "finance", "Chief Finance Officer", H, OFC,
        ("Unit4:ERP:Milestone 7",), 350, 24, 4, "CC-4200", "Corporate Services",
        "General ledger, purchasing, accounts payable and receivable, budgets.",
        (
            R("APP", 2, os="W19", cores=8, memory_gib=32),
            R("WEB", 1, os="W19", cores=4, memory_gib=16, load="web", software=(IIS10,),
              label="web server"),
        ),
        shares=("SQL2",),
    ),
    App(
        "EBS", "Police Pensions (Oracle EBS)", "finance", "Chief Finance Officer", M, OFS,
        ("Oracle:E-Business Suite:12.1.3", ORACLE11), 18, 72, 24, "CC-4200",
        "Corporate Services",
        "Police pension calculations and payments; being moved to an outsourced administrator.",
        (
            R("APP", 1, os="AIX", cores=4, memory_gib=32, zone="power", load="app",
              disks=(("/u01", 300),), label="EBS application tier (LPAR)"),
            R("DB", 1, os="AIX", cores=8, memory_gib=64, zone="power", load="db",
              disks=(("/u01", 200), ("/u02", 1024)), software=(ORACLE11,),
              label="Oracle database (LPAR)"),
        ),
        eos=D(2021, 12, 31),
        notes="IBM Power9 LPARs; Oracle premier support for EBS 12.1 has ended.",
    ),
    App(
        "FLT", "Fleet Management", "fleet", "Head of Estates and Fleet", M, OFC,
        ("Chevin Fleet Solutions:FleetWave:2023",), 60, 72, 24, "CC-4300", "Corporate Services",
        "Vehicle fleet: servicing, defects, fuel and telematics data for 700 vehicles.",
        (R("APP", 1, os="W16", cores=4, memory_gib=16),),
        shares=("SQL1",),
    ),
    App(
        "PSD", "Professional Standards (Centurion)", "professional-standards",
        "Head of Professional Standards", M, OFS,
        ("WPC Software:Centurion:8.3",), 45, 72, 24, "CC-4400", "Corporate Services",
        "Complaints, conduct and misconduct case management.",
        (R("APP", 1, os="W16", cores=4, memory_gib=16),),
        shares=("SQL1",),
    ),
    App(
        "VET", "Vetting (Core-Vet)", "vetting", "Force Vetting Manager", M, OFS,
        ("WPC Software:Core-Vet:5.1",), 20, 72, 24, "CC-4400", "Corporate Services",
        "Police and non-police personnel vetting, clearances and aftercare.",
        (R("APP", 1, os="W16", cores=4, memory_gib=8),),
        shares=("SQL1",),
    ),
    App(
        "LMS", "Learning Management (Moodle)", "training", "Head of Learning and Development",
        L, OFC, ("Moodle:Moodle:3.11.18", MYSQL, "PHP Group:PHP:7.4"), 4100, 72, 24, "CC-4100",
        "Corporate Services",
        "E-learning and training records for officers and staff.",
        (
            R("WEB", 2, os="UBU20", cores=4, memory_gib=8, load="web", label="Apache/PHP server"),
            R("DB", 1, os="UBU20", cores=4, memory_gib=16, zone="data", load="db",
              disks=(("/var/lib/mysql", 200),), software=(MYSQL,), label="MySQL server"),
        ),
        eos=D(2023, 5, 8),
        notes="Moodle 3.11 and MySQL 5.7 are both past end of support.",
    ),
    App(
        "ISM", "Ivanti Service Manager", "service-desk", "Service Desk Manager", M, OFC,
        ("Ivanti:Service Manager:2022.3",), 4300, 24, 4, "CC-3100", "Infrastructure",
        "IT service desk: incidents, requests, changes and CMDB (the source of this export).",
        (
            R("APP", 2, os="W19", cores=4, memory_gib=16),
            R("WEB", 1, os="W19", cores=4, memory_gib=8, load="web", software=(IIS10,),
              label="self-service portal"),
        ),
        shares=("SQL3",),
    ),
    # ---- productivity and collaboration
    App(
        "EXC", "Microsoft Exchange 2016", "email", "Head of ICT Infrastructure", H, OFS,
        ("Microsoft:Exchange Server:2016 CU23",), 4300, 4, 1, "CC-3100", "Infrastructure",
        "On-premise mailboxes in hybrid with Exchange Online in the NEP tenant.",
        (
            R("MBX", 4, 2, os="W16", cores=16, memory_gib=64,
              disks=(("D:", 2048), ("E:", 2048), ("L:", 500)), load="db",
              label="mailbox server (DAG member)"),
            R("EDG", 2, os="W16", cores=4, memory_gib=16, zone="dmz", load="web",
              label="Edge Transport server"),
        ),
        eos=D(2025, 10, 14),
        notes="Mailbox moves to Exchange Online under way; pnn.police.uk mail routed via "
        "PSN for Policing and CJSM.",
    ),
    App(
        "SPS", "SharePoint 2016", "collaboration", "Head of Information Management", M, OFS,
        ("Microsoft:SharePoint Server:2016",), 3800, 24, 4, "CC-3200", "Infrastructure",
        "Departmental sites, document libraries and workflows.",
        (
            R("WFE", 2, os="W16", cores=4, memory_gib=24, load="web", software=(IIS10,),
              label="web front end"),
            R("APP", 2, os="W16", cores=4, memory_gib=24, label="application and search server"),
        ),
        shares=("SQL1",),
        eos=D(2026, 7, 14),
    ),
    App(
        "SP13", "SharePoint 2013 Team Sites", "collaboration", "Head of Information Management",
        L, OFC, ("Microsoft:SharePoint Server:2013",), 150, 72, 24, "CC-3200", "Legacy",
        "Legacy team sites not yet moved to SharePoint 2016.",
        (R("APP", 2, os="W12", cores=4, memory_gib=16, load="web", software=(IIS85,),
           label="SharePoint server"),),
        shares=("SQLL",),
        eos=D(2023, 4, 11),
    ),
    App(
        "INTRA", "Force Intranet", "intranet", "Head of Corporate Communications", M, OFC,
        ("Exampleshire Police:The Beat Intranet:5.0", IIS10, DOTNET), 4300, 24, 24, "CC-3200",
        "Corporate Services",
        "In-house .NET intranet: news, policies, directory and forms.",
        (R("WEB", 3, 1, os="W19", cores=4, memory_gib=8, load="web", software=(IIS10, DOTNET),
           label="IIS web server"),),
        shares=("SQL3",),
    ),
    App(
        "FS", "File Services", "file-share", "Head of ICT Infrastructure", H, OFS,
        ("Microsoft:DFS Namespaces and Replication:2019",), 4300, 8, 4, "CC-3100",
        "Infrastructure",
        "Home drives, departmental shares and roaming profiles (DFS namespace).",
        (R("FS", 6, 2, os="W19", cores=4, memory_gib=16, disks=(("E:", 6144),), zone="infra",
           load="file", label="file server"),),
    ),
    App(
        "SFB", "Skype for Business", "collaboration", "Head of ICT Infrastructure", M, OFC,
        ("Microsoft:Skype for Business Server:2015 CU13",), 4000, 24, 24, "CC-3100",
        "Infrastructure",
        "Instant messaging, presence and conferencing; being replaced by Teams (NEP).",
        (
            R("FE", 3, os="W16", cores=8, memory_gib=32, label="front end server"),
            R("EDG", 2, os="W16", cores=4, memory_gib=16, zone="dmz", label="edge server"),
            R("MED", 1, os="W16", cores=4, memory_gib=8, label="mediation server"),
        ),
        shares=("SQL1",),
        eos=D(2025, 10, 14),
    ),
    App(
        "CTX", "Citrix Virtual Apps and Desktops", "virtual-desktop",
        "Head of ICT Infrastructure", H, OFS,
        ("Citrix:Virtual Apps and Desktops:7 2203 LTSR",), 2600, 4, 24, "CC-3100",
        "Infrastructure",
        "Published desktops and applications for stations, agile working and partners.",
        (
            R("DDC", 2, 1, os="W19", cores=4, memory_gib=16, zone="infra",
              label="delivery controller"),
            R("SF", 2, os="W19", cores=4, memory_gib=8, zone="infra", load="web",
              label="StoreFront server"),
            R("LIC", 1, os="W19", cores=2, memory_gib=4, zone="infra", load="infra",
              label="licence server"),
            R("PVS", 2, os="W19", cores=8, memory_gib=32, zone="infra", load="file",
              label="Provisioning Services server"),
            R("VDA", 12, 4, os="W19D", cores=8, memory_gib=48, zone="vdi", load="vdi",
              software=(VDA,), dr_off=True, label="session host"),
            R("ADC", 2, os="ADC", cores=4, memory_gib=8, zone="dmz", label="Citrix ADC"),
        ),
        notes="DR session hosts are cold standby, powered on when DR is invoked.",
    ),
    App(
        "PRN", "Print Services", "print", "Head of ICT Infrastructure", M, OFC,
        ("PaperCut Software:PaperCut MF:22.1",), 4300, 24, 24, "CC-3100", "Infrastructure",
        "Follow-me printing for 350 multifunction devices.",
        (
            R("PRN", 2, os="W19", cores=4, memory_gib=8, zone="infra", load="infra",
              label="print server"),
            R("PC", 1, os="W19", cores=4, memory_gib=8, zone="infra", label="PaperCut server"),
        ),
    ),
    # ---- data platforms and reporting
    App(
        "SQL1", "SQL Server Shared Cluster 1", "database", "Head of ICT Infrastructure", H, OFS,
        (SQL2016,), None, 4, 0.25, "CC-3100", "Data Platforms",
        "Shared SQL Server 2016 failover cluster for departmental applications.",
        (R("CL01N", 2, 1, os="W16", cores=16, memory_gib=128, zone="data", load="db",
           disks=(("D:", 2048), ("L:", 500), ("T:", 200)), software=(SQL2016,),
           label="SQL Server cluster node",
           names=("EXS-SQL-CL01N1", "EXS-SQL-CL01N2", "EXS-SQL-CL01N3")),),
        eos=D(2026, 7, 14),
    ),
    App(
        "SQL2", "SQL Server Shared Cluster 2", "database", "Head of ICT Infrastructure", H, OFS,
        (SQL2019,), None, 4, 0.25, "CC-3100", "Data Platforms",
        "Shared SQL Server 2019 Always On cluster for corporate and infrastructure systems.",
        (R("CL02N", 2, 1, os="W19", cores=16, memory_gib=128, zone="data", load="db",
           disks=(("D:", 2048), ("L:", 500), ("T:", 200)), software=(SQL2019,),
           label="SQL Server cluster node",
           names=("EXS-SQL-CL02N1", "EXS-SQL-CL02N2", "EXS-SQL-CL02N3")),),
        eos=D(2030, 1, 8),
    ),
    App(
        "SQL3", "SQL Server Shared Cluster 3", "database", "Head of ICT Infrastructure", H, OFS,
        (SQL2019,), None, 4, 0.25, "CC-3100", "Data Platforms",
        "Shared SQL Server 2019 Always On cluster for web and mobile applications.",
        (R("CL03N", 2, 1, os="W19", cores=8, memory_gib=96, zone="data", load="db",
           disks=(("D:", 1024), ("L:", 300), ("T:", 100)), software=(SQL2019,),
           label="SQL Server cluster node",
           names=("EXS-SQL-CL03N1", "EXS-SQL-CL03N2", "EXS-SQL-CL03N3")),),
        eos=D(2030, 1, 8),
    ),
    App(
        "SQLL", "SQL Server 2012 Legacy Instance", "database", "Head of ICT Infrastructure", M,
        OFC, (SQL2012,), None, 24, 24, "CC-3100", "Data Platforms",
        "Stand-alone SQL Server 2012 kept for applications not yet upgraded.",
        (R("LEG", 1, os="W12", cores=4, memory_gib=32, zone="data", load="db",
           disks=(("D:", 500), ("L:", 100)), software=(SQL2012,), label="SQL Server",
           names=("EXS-SQL-LEG01",)),),
        eos=D(2022, 7, 12),
    ),
    App(
        "PG", "PostgreSQL Platform", "database", "Head of ICT Infrastructure", M, OFC,
        (POSTGRES,), None, 24, 1, "CC-3100", "Data Platforms",
        "Shared PostgreSQL 13 with a streaming replica at DR-DC2.",
        (R("DB", 2, 1, os="RHEL8", cores=8, memory_gib=32, zone="data", load="db",
           disks=(("/var/lib/pgsql", 500),), software=(POSTGRES,), label="PostgreSQL server"),),
        eos=D(2025, 11, 13),
    ),
    App(
        "SSRS", "SQL Server Reporting Services", "bi", "Head of Business Intelligence", M, OFS,
        ("Microsoft:SQL Server Reporting Services:2016",), 600, 24, 24, "CC-3400",
        "Data Platforms",
        "Operational and management reports over RMS, custody and command and control data.",
        (R("RS", 2, os="W16", cores=4, memory_gib=16, load="web", label="report server"),),
        shares=("SQL1",),
    ),
    App(
        "PBI", "Power BI Report Server", "bi", "Head of Business Intelligence", M, OFS,
        ("Microsoft:Power BI Report Server:January 2024",), 450, 24, 24, "CC-3400",
        "Data Platforms",
        "Performance dashboards for chief officers and district commanders.",
        (R("RS", 2, os="W22", cores=8, memory_gib=32, load="web", label="report server"),),
    ),
    App(
        "DWH", "Performance Data Warehouse", "bi", "Head of Business Intelligence", M, OFS,
        ("Microsoft:SQL Server:2019 CU25:Enterprise",
         "Microsoft:SQL Server Integration Services:2019"), 60, 48, 24, "CC-3400",
        "Data Platforms",
        "Nightly warehouse of crime, incident, custody and workforce data for reporting.",
        (
            R("DB", 1, os="W22", cores=16, memory_gib=256, zone="data", load="db",
              disks=(("D:", 4096), ("L:", 500), ("T:", 500)), software=(SQL2019,),
              label="warehouse SQL Server"),
            R("ETL", 1, os="W22", cores=8, memory_gib=32, label="SSIS server"),
        ),
    ),
    App(
        "ATL", "Jira and Confluence", "development", "Head of Digital Services", L, OFC,
        ("Atlassian:Jira Software Server:8.20", "Atlassian:Confluence Server:7.13"), 220, 72,
        24, "CC-3200", "Corporate Services",
        "Issue tracking and documentation for ICT and change teams.",
        (
            R("JIRA", 1, os="RHEL8", cores=4, memory_gib=16, software=(JAVA11,),
              label="Jira server"),
            R("CONF", 1, os="RHEL8", cores=4, memory_gib=16, software=(JAVA11,),
              label="Confluence server"),
        ),
        shares=("PG",),
        eos=D(2024, 2, 15),
        notes="Atlassian Server licences ended support in February 2024.",
    ),
    App(
        "DEV", "Development and Test Platform", "development", "Head of Digital Services", L,
        OFC, ("Microsoft:Visual Studio Team Foundation Server:2018",), 25, 168, 72, "CC-3200",
        "Test and Development",
        "Build server and test environments for in-house .NET and Java applications.",
        (
            R("TFS", 1, os="W16", cores=4, memory_gib=16, label="TFS build server"),
            R("WEB", 2, os="W19", cores=2, memory_gib=8, environment="test", load="web",
              software=(IIS10, DOTNET), label="test web server"),
            R("OLD", 2, os="W12", cores=2, memory_gib=8, environment="test", off=True,
              label="retired test server"),
        ),
    ),
    # ---- infrastructure and security
    App(
        "AD", "Active Directory", "identity", "Head of ICT Infrastructure", C, OFS,
        ("Microsoft:Active Directory Domain Services:2016 functional level",), 4300, 1, 0.25,
        "CC-3100", "Infrastructure",
        "Domain controllers for exampleshire.police.uk; also the force's internal DNS.",
        (R("DC", 4, 2, os="W19", cores=4, memory_gib=16, zone="infra", load="infra",
           label="domain controller and DNS server"),),
    ),
    App(
        "DHCP", "DNS and DHCP", "network-services", "Head of ICT Infrastructure", H, OFC,
        ("Microsoft:DHCP Server:2019", "Microsoft:DNS Server:2019"), 4300, 4, 4, "CC-3100",
        "Infrastructure",
        "Address allocation for 180 site subnets; DNS is hosted on the domain controllers.",
        (R("DHCP", 1, 1, os="W19", cores=2, memory_gib=8, zone="infra", load="infra",
           label="DHCP failover server"),),
        shares=("AD",),
    ),
    App(
        "PKI", "Public Key Infrastructure", "pki", "Head of Cyber Security", H, OFC,
        ("Microsoft:Active Directory Certificate Services:2016",), 4300, 24, 24, "CC-3300",
        "Infrastructure",
        "Certificate authorities for devices, users, Wi-Fi, VPN and web servers.",
        (
            R("ROOT", 1, os="W16", cores=2, memory_gib=4, zone="mgmt", load="idle", off=True,
              label="offline root CA"),
            R("ISS", 1, 1, os="W16", cores=2, memory_gib=8, zone="infra", load="infra",
              label="issuing CA"),
            R("OCSP", 1, os="W16", cores=2, memory_gib=4, zone="infra", load="infra",
              label="online responder"),
        ),
        notes="Offline root CA is powered off and its disks kept in a safe; issuing CAs keep "
        "keys in network HSMs (Entrust nShield Connect) in each data centre.",
    ),
    App(
        "ADFS", "Identity Federation", "identity", "Head of Cyber Security", H, OFS,
        ("Microsoft:Active Directory Federation Services:2019", "Microsoft:Entra Connect:2.3"),
        4300, 4, 1, "CC-3300", "Infrastructure",
        "AD FS sign-in for partner services and Entra Connect sync to the NEP Microsoft 365 "
        "tenant.",
        (
            R("FS", 2, os="W19", cores=4, memory_gib=8, zone="infra", label="AD FS server"),
            R("WAP", 2, os="W19", cores=2, memory_gib=8, zone="dmz", load="web",
              label="Web Application Proxy"),
            R("SYNC", 1, 1, os="W19", cores=4, memory_gib=16, zone="infra", load="infra",
              label="Entra Connect sync server (DR is staging mode)"),
        ),
    ),
    App(
        "SCCM", "Configuration Manager", "device-management", "Head of ICT Infrastructure", M,
        OFC, ("Microsoft:Configuration Manager:2303",), 40, 72, 24, "CC-3100", "Infrastructure",
        "Desktop builds, software deployment and patching for 4,500 devices.",
        (
            R("PSS", 1, os="W19", cores=8, memory_gib=32, zone="mgmt", label="primary site server"),
            R("DP", 3, 1, os="W19", cores=4, memory_gib=8, disks=(("D:", 2048),), zone="mgmt",
              load="file", label="distribution point"),
            R("SUP", 1, os="W19", cores=4, memory_gib=16, zone="mgmt",
              label="software update point (WSUS)"),
        ),
        shares=("SQL2",),
    ),
    App(
        "SCOM", "Operations Manager", "monitoring", "Head of ICT Infrastructure", M, OFC,
        ("Microsoft:System Center Operations Manager:2019",), 30, 72, 24, "CC-3100",
        "Infrastructure",
        "Server and application monitoring and alerting.",
        (R("MS", 2, os="W19", cores=4, memory_gib=16, zone="mgmt", label="management server"),),
        shares=("SQL2",),
    ),
    App(
        "SWI", "Network Monitoring", "monitoring", "Head of ICT Infrastructure", M, OFC,
        ("SolarWinds:Orion Platform:2023.4", SQL2019STD), 25, 72, 24, "CC-3100",
        "Infrastructure",
        "Network performance, NetFlow and configuration backups for 600 network devices.",
        (
            R("POL", 2, os="W19", cores=4, memory_gib=16, zone="mgmt", label="polling engine"),
            R("SQL", 1, os="W19", cores=4, memory_gib=32, zone="mgmt", load="db",
              disks=(("D:", 500),), software=(SQL2019STD,), label="Orion database server"),
        ),
    ),
    App(
        "BKP", "Veeam Backup", "backup", "Head of ICT Infrastructure", H, OFS,
        ("Veeam:Backup & Replication:12.1",), 10, 24, 24, "CC-3100", "Infrastructure",
        "Backup of all virtual machines, with hardened repositories and tape for offsite copies.",
        (
            R("VBR", 1, os="W19", cores=8, memory_gib=32, zone="mgmt", label="backup server"),
            R("PRX", 4, 2, os="W19", cores=8, memory_gib=16, zone="mgmt", load="file",
              label="backup proxy"),
            R("REPO", 2, 2, os="UBU20", cores=8, memory_gib=64,
              disks=(("/backups", 40960),), zone="mgmt", load="file",
              label="hardened Linux repository"),
            R("TAPE", 1, os="W19", cores=4, memory_gib=16, zone="mgmt", load="file",
              label="tape server"),
        ),
        notes="LTO-8 tape library attached over SAS to EXS-BKP-TAPE01; tapes collected "
        "weekly for offsite storage.",
    ),
    App(
        "SIEM", "Security Monitoring (Splunk)", "security", "Head of Cyber Security", H, OFS,
        ("Splunk:Splunk Enterprise:9.1",), 12, 8, 1, "CC-3300", "Security",
        "Security event collection and correlation; forwards to the NEP National Monitoring "
        "Centre.",
        (
            R("IDX", 3, os="RHEL8", cores=16, memory_gib=64, disks=(("/opt/splunk", 8192),),
              zone="mgmt", load="db", label="indexer"),
            R("SH", 1, os="RHEL8", cores=16, memory_gib=64, zone="mgmt", label="search head"),
            R("HF", 2, os="RHEL8", cores=4, memory_gib=16, zone="mgmt",
              label="heavy forwarder"),
        ),
    ),
    App(
        "PAM", "Privileged Access (CyberArk)", "security", "Head of Cyber Security", H, OFC,
        ("CyberArk:Privileged Access Manager Self-Hosted:13.2",), 60, 4, 1, "CC-3300",
        "Security",
        "Vaulted administrator credentials and recorded privileged sessions.",
        (
            R("VLT", 1, 1, os="W19", cores=4, memory_gib=16, zone="mgmt", load="infra",
              label="digital vault"),
            R("PVWA", 2, os="W19", cores=4, memory_gib=8, zone="mgmt", load="web",
              label="web access server"),
            R("PSM", 2, os="W19", cores=8, memory_gib=16, zone="mgmt",
              label="privileged session manager"),
        ),
    ),
    App(
        "NAC", "Network Access Control", "network", "Head of ICT Infrastructure", H, OFC,
        ("Cisco:Identity Services Engine:3.1",), 4300, 4, 24, "CC-3100", "Infrastructure",
        "802.1X for wired and Wi-Fi access; RADIUS for VPN.",
        (R("ISE", 2, 1, os="ISE", cores=8, memory_gib=32, zone="infra", label="ISE node"),),
    ),
    App(
        "VPN", "Remote Access VPN", "network", "Head of ICT Infrastructure", H, OFC,
        ("Ivanti:Connect Secure:22.7",), 3000, 4, 24, "CC-3100", "Infrastructure",
        "Always-on VPN for laptops working off the force network.",
        (R("ICS", 2, 1, os="ICS", cores=4, memory_gib=8, zone="dmz", label="VPN appliance"),),
    ),
    App(
        "PXY", "Web Proxy", "network", "Head of Cyber Security", M, OFC,
        ("Forcepoint:Web Security:8.5.5",), 4300, 8, 24, "CC-3300", "Security",
        "Outbound web filtering and TLS inspection.",
        (R("PXY", 2, os="W16", cores=4, memory_gib=16, zone="dmz", load="web",
           label="proxy server"),),
    ),
    App(
        "AV", "Anti-Malware Console", "security", "Head of Cyber Security", M, OFC,
        ("Sophos:Enterprise Console:5.5.2",), 8, 24, 24, "CC-3300", "Security",
        "Management console for server anti-malware; replacement by Defender planned.",
        (R("MGT", 1, os="W12", cores=4, memory_gib=8, zone="mgmt", load="infra",
           label="console server"),),
        eos=D(2023, 7, 20),
    ),
    App(
        "DOOR", "Building Access Control", "physical-security", "Head of Estates and Fleet", M,
        OFC, ("Paxton:Net2 Pro:6.07",), 15, 24, 24, "CC-4300", "Corporate Services",
        "Door access for 28 police buildings.",
        (R("APP", 1, os="W16", cores=2, memory_gib=8, zone="infra", load="infra"),),
        notes="Door controllers on an RS485 serial bus; USB desktop card enrolment readers.",
    ),
    # ---- legacy
    App(
        "CIS", "Crime Information System Archive", "archive", "Head of Information Management",
        L, OFS, (":Crime Information System:4.7", ORACLE11), 10, 168, 168, "CC-2100", "Legacy",
        "Read-only archive of the pre-Niche crime and intelligence system, kept under MoPI.",
        (
            R("DB", 1, os="SOL", cores=8, memory_gib=32, zone="sparc", load="idle",
              disks=(("/u01", 200), ("/u02", 1024)), software=(ORACLE11,),
              label="Oracle database (SPARC T8)"),
            R("WEB", 1, os="W08", cores=2, memory_gib=4, load="idle", label="archive viewer"),
        ),
        notes="Read-only since the Niche go-live in 2014; Oracle 11g on Solaris 11 SPARC; "
        "records must be kept until their MoPI review dates.",
    ),
    App(
        "CCA", "Legacy Command and Control Archive", "archive", "Head of Contact Management",
        L, OFS, (":Command and Control Incident Archive:2.1",), 0, None, None, "CC-2200",
        "Legacy",
        "Incident logs from the command and control system replaced by STORM in 2016.",
        (R("APP", 2, os="W08", cores=2, memory_gib=8, disks=(("D:", 300),), off=True,
           load="idle", label="archive server"),),
        notes="No users since the data was loaded into the warehouse in 2021; candidate "
        "for decommissioning.",
    ),
    App(
        "SP10", "Legacy Intranet (SharePoint 2010)", "intranet",
        "Head of Corporate Communications", L, OFC, ("Microsoft:SharePoint Server:2010",), 0,
        None, None, "CC-3200", "Legacy",
        "The previous intranet, replaced by The Beat in 2019.",
        (R("APP", 3, os="W08", cores=4, memory_gib=16, off=True, load="idle",
           label="SharePoint server"),),
        eos=D(2021, 4, 13),
        notes="Powered off since 2020; content archived to file services.",
    ),
    App(
        "NOTES", "Lotus Notes Archive", "email", "Head of Information Management", L, OFC,
        ("IBM:Lotus Domino:8.5.3",), 0, None, None, "CC-2100", "Legacy",
        "Mail and database archive from the Lotus Notes era.",
        (R("DOM", 2, os="W08", cores=2, memory_gib=8, disks=(("D:", 500),), off=True,
           load="idle", label="Domino server"),),
        eos=D(2018, 9, 30),
    ),
    App(
        "DMS7", "Duty Management (legacy v7)", "duty-management",
        "Head of Resource Management", L, OFC, ("Crown:Duty Management System:7.2",), 0, None,
        None, "CC-4100", "Legacy",
        "Previous duty management version, replaced by version 9 in 2022.",
        (R("APP", 2, os="W08", cores=2, memory_gib=8, off=True, load="idle"),),
        notes="Kept for audit of historic overtime claims; to be decommissioned.",
    ),
)

# fmt: on

# --------------------------------------------------------------------------- dependencies
# (source code, target code, protocol, port, description)
# fmt: off
APP_DEPENDENCIES: tuple[tuple[str, str, str, int | None, str], ...] = (
    ("RMS", "INT", "https", 443, "PNC, PND, LEDS and court transactions via the hub"),
    ("INT", "RMS", "https", 443, "PNC results and court results written back to RMS"),
    ("RMS", "INTEL", "https", 443, "intelligence submissions referred to the analysts"),
    ("INTEL", "RMS", "tcp", 1521, "iBase imports nominals and intelligence from RMS (Oracle)"),
    ("RMS", "GAZ", "https", 443, "address lookup"),
    ("RMS", "AD", "ldaps", 636, "user authentication"),
    ("RMS", "EXC", "smtp", 25, "task and workflow notifications"),
    ("RMS", "CIS", "https", 443, "link-out to historic records"),
    ("INT", "SQL1", "tcp", 1433, "BizTalk message box databases"),
    ("INTEL", "SQL1", "tcp", 1433, "iBase databases"),
    ("ANPR", "STM", "tcp", None, "ANPR alerts to the control room"),
    ("PRONTO", "STM", "https", 443, "mobile incident dispatch and status updates"),
    ("PRONTO", "RMS", "https", 443, "crime, stop search and intelligence from devices"),
    ("PRONTO", "INT", "https", 443, "PNC checks from devices"),
    ("PRONTO", "MDM", "https", 443, "device compliance checks"),
    ("PRONTO", "SQL3", "tcp", 1433, "Pronto databases"),
    ("PRONTO", "GAZ", "https", 443, "address lookup"),
    ("GIS", "PG", "tcp", 5432, "enterprise geodatabase"),
    ("GAZ", "PG", "tcp", 5432, "AddressBase tables"),
    ("HOLMES", "SQL1", "tcp", 1433, "HOLMES databases"),
    ("HOLMES", "AD", "ldap", 389, "user authentication"),
    ("STM", "ICCS", "tcp", None, "CTI link: caller line identity and call association"),
    ("ICCS", "STM", "tcp", None, "incident number and resource status to consoles"),
    ("STM", "RMS", "https", 443, "incidents create occurrences in RMS"),
    ("STM", "GAZ", "https", 443, "address and location lookup"),
    ("STM", "GIS", "https", 443, "map layers"),
    ("STM", "DMS", "https", 443, "officer availability and skills"),
    ("STM", "INT", "https", 443, "PNC vehicle and person checks"),
    ("TEL", "ICCS", "sip", 5060, "101 and switchboard calls transferred to the control room"),
    ("REC", "TEL", "tcp", None, "recording of contact-centre trunks"),
    ("REC", "ICCS", "tcp", None, "recording of radio and 999 audio"),
    ("REC", "SQL2", "tcp", 1433, "recording metadata database"),
    ("CUS", "RMS", "https", 443, "custody records linked to occurrences and nominals"),
    ("CUS", "INT", "https", 443, "PNC arrest and charge updates"),
    ("CCTV", "AD", "ldap", 389, "operator authentication"),
    ("CPP", "RMS", "https", 443, "case file data from RMS"),
    ("CPP", "DEMS", "https", 443, "evidence bundles for case files"),
    ("CPP", "SQL3", "tcp", 1433, "case file database"),
    ("DEMS", "RMS", "https", 443, "evidence linked to occurrences"),
    ("DEMS", "SQL3", "tcp", 1433, "evidence catalogue database"),
    ("DEMS", "AD", "ldaps", 636, "user authentication"),
    ("BWV", "DEMS", "https", 443, "footage shared into evidence management"),
    ("BWV", "AD", "ldap", 389, "user authentication"),
    ("DIR", "CUS", "https", 443, "detainee and interview metadata from custody"),
    ("DIR", "DEMS", "https", 443, "interview recordings uploaded to the evidence store"),
    ("DFU", "DEMS", "https", 443, "extraction reports exported to evidence management"),
    ("PROP", "RMS", "https", 443, "property linked to occurrences"),
    ("PROP", "SQL1", "tcp", 1433, "property database"),
    ("LOST", "PROP", "https", 443, "public reports create found-property records"),
    ("LOST", "PG", "tcp", 5432, "portal database"),
    ("CTO", "SQL3", "tcp", 1433, "ticket office database"),
    ("FIRE", "SQLL", "tcp", 1433, "casework database"),
    ("FIRE", "RMS", "https", 443, "firearms markers on nominals"),
    ("DMS", "SQL2", "tcp", 1433, "duty management database"),
    ("DMS", "HR", "sftp", 22, "staff records in, overtime and allowances out (nightly)"),
    ("HR", "SQL2", "tcp", 1433, "iTrent database"),
    ("HR", "FIN", "sftp", 22, "payroll journals"),
    ("FIN", "SQL2", "tcp", 1433, "Unit4 database"),
    ("EBS", "FIN", "sftp", 22, "pension payments journal"),
    ("FLT", "SQL1", "tcp", 1433, "FleetWave database"),
    ("PSD", "SQL1", "tcp", 1433, "Centurion database"),
    ("PSD", "HR", "https", 443, "officer and staff records"),
    ("VET", "SQL1", "tcp", 1433, "Core-Vet database"),
    ("VET", "HR", "https", 443, "new starters for vetting"),
    ("LMS", "AD", "ldaps", 636, "user authentication"),
    ("ISM", "SQL3", "tcp", 1433, "service management database"),
    ("ISM", "EXC", "smtp", 25, "ticket notifications"),
    ("ISM", "AD", "ldap", 389, "user and device import"),
    ("EXC", "AD", "ldap", 389, "directory and authentication"),
    ("SPS", "SQL1", "tcp", 1433, "content and service databases"),
    ("SPS", "AD", "ldap", 389, "user profiles and authentication"),
    ("SP13", "SQLL", "tcp", 1433, "content databases"),
    ("INTRA", "SQL3", "tcp", 1433, "intranet database"),
    ("INTRA", "SPS", "https", 443, "embedded team sites and documents"),
    ("FS", "AD", "ldap", 389, "share permissions"),
    ("SFB", "AD", "ldap", 389, "directory and authentication"),
    ("SFB", "SQL1", "tcp", 1433, "monitoring and archiving databases"),
    ("SFB", "TEL", "sip", 5061, "SIP trunk to the Avaya platform"),
    ("SFB", "EXC", "https", 443, "unified messaging and calendar"),
    ("CTX", "AD", "ldap", 389, "user authentication"),
    ("CTX", "FS", "smb", 445, "user profiles and home drives"),
    ("CTX", "SQL2", "tcp", 1433, "site configuration database"),
    ("PRN", "AD", "ldap", 389, "user and printer directory"),
    ("SSRS", "SQL1", "tcp", 1433, "report server databases"),
    ("SSRS", "RMS", "tcp", 1521, "operational reports read the RMS reporting replica"),
    ("PBI", "DWH", "tcp", 1433, "warehouse models"),
    ("DWH", "RMS", "tcp", 1521, "nightly crime and occurrence extract"),
    ("DWH", "STM", "tcp", 1433, "nightly incident extract"),
    ("DWH", "CUS", "tcp", 1433, "nightly custody extract"),
    ("DWH", "SQL2", "tcp", 1433, "duty management and HR extracts"),
    ("ATL", "PG", "tcp", 5432, "Jira and Confluence databases"),
    ("ATL", "AD", "ldap", 389, "user directory"),
    ("DEV", "ATL", "https", 443, "issue tracking"),
    ("DHCP", "AD", "dns", 53, "dynamic DNS registration"),
    ("PKI", "AD", "ldap", 389, "certificate templates and publication"),
    ("ADFS", "AD", "ldap", 389, "authentication"),
    ("MDM", "AD", "ldaps", 636, "user directory"),
    ("MDM", "PKI", "https", 443, "device certificates (SCEP)"),
    ("SCCM", "SQL2", "tcp", 1433, "site database"),
    ("SCCM", "AD", "ldap", 389, "device and user discovery"),
    ("SCOM", "SQL2", "tcp", 1433, "operational and warehouse databases"),
    ("BKP", "AD", "ldap", 389, "service accounts"),
    ("SIEM", "AD", "ldap", 389, "analyst authentication"),
    ("PAM", "AD", "ldaps", 636, "account reconciliation"),
    ("NAC", "AD", "ldap", 389, "802.1X user and machine authentication"),
    ("NAC", "PKI", "https", 443, "certificate revocation checks"),
    ("VPN", "ADFS", "https", 443, "SAML sign-in"),
    ("VPN", "NAC", "radius", 1812, "device posture and RADIUS"),
    ("PXY", "AD", "ldap", 389, "user-based filtering"),
    ("AV", "AD", "ldap", 389, "computer discovery"),
)

# (source code, target name, service, protocol, port, description)
EXTERNAL_DEPENDENCIES: tuple[tuple[str, str, ExternalService, str, int | None, str], ...] = (
    ("INT", "PNC", ExternalService.PNC, "tcp", 1414,
     "PNC transactions over IBM MQ via the PSN for Policing gateway"),
    ("INT", "PND", ExternalService.PND, "https", 443, "nightly PND data submission"),
    ("INT", "LEDS", ExternalService.LEDS, "https", 443,
     "LEDS person and vehicle services replacing PNC transactions"),
    ("INT", "PSN for Policing", ExternalService.PSN, "tcp", None,
     "gateway to national services"),
    ("INT", "HMCTS Common Platform", ExternalService.PARTNER, "https", 443,
     "court results and listings"),
    ("INT", "Single Online Home", ExternalService.OTHER, "https", 443,
     "online crime and incident reports from the public"),
    ("INTEL", "PND", ExternalService.PND, "https", 443, "analyst searches"),
    ("RMS", "ViSOR", ExternalService.OTHER, "https", 443,
     "public protection cases shared with the national ViSOR"),
    ("STM", "PNC", ExternalService.PNC, "tcp", 1414, "vehicle and person checks"),
    ("CUS", "PNC", ExternalService.PNC, "tcp", 1414, "arrest and charge updates"),
    ("CUS", "IDENT1 (Home Office Biometrics)", ExternalService.OTHER, "https", 443,
     "Livescan fingerprint submissions"),
    ("ANPR", "PNC", ExternalService.PNC, "tcp", 1414, "PNC hotlists"),
    ("ANPR", "National ANPR Service", ExternalService.OTHER, "https", 443,
     "camera reads forwarded to NAS"),
    ("FIRE", "PNC", ExternalService.PNC, "tcp", 1414, "certificate holder checks"),
    ("FIRE", "NFLMS", ExternalService.OTHER, "https", 443,
     "national firearms licensing register"),
    ("CPP", "CJSM", ExternalService.CJSM, "smtp", 25, "case files to the CPS by secure email"),
    ("CPP", "CPS Two-Way Interface", ExternalService.PARTNER, "https", 443,
     "case files and results exchanged with the CPS"),
    ("DFU", "CAID", ExternalService.OTHER, "https", 443, "child abuse image database hash sets"),
    ("HOLMES", "PSN for Policing", ExternalService.PSN, "https", 443,
     "mutual aid with other forces' incident rooms"),
    ("ICCS", "Airwave", ExternalService.OTHER, "tcp", None,
     "radio talk groups over dedicated circuits"),
    ("ICCS", "BT 999 Emergency Call Handling", ExternalService.OTHER, "isdn", None,
     "999 calls over ISDN30"),
    ("TEL", "BT 999 Emergency Call Handling", ExternalService.OTHER, "isdn", None,
     "PSTN trunks over ISDN30"),
    ("PSC", "Exampleshire County Council CCTV Partnership", ExternalService.PARTNER, "tcp",
     None, "shared cameras and monitoring centre"),
    ("CTO", "PentiP", ExternalService.OTHER, "https", 443, "national fixed penalty processing"),
    ("CTO", "DVLA", ExternalService.PARTNER, "https", 443, "vehicle keeper enquiries"),
    ("HR", "HMRC RTI", ExternalService.PARTNER, "https", 443, "payroll real-time information"),
    ("HR", "BACS Bureau", ExternalService.PARTNER, "sftp", 22, "salary payment files"),
    ("FLT", "Vehicle Telematics Provider", ExternalService.INTERNET, "https", 443,
     "telematics data feed"),
    ("EXC", "Microsoft 365 (NEP tenant)", ExternalService.M365, "https", 443,
     "Exchange hybrid with Exchange Online"),
    ("EXC", "PSN for Policing", ExternalService.PSN, "smtp", 25, "pnn.police.uk mail routing"),
    ("EXC", "CJSM", ExternalService.CJSM, "smtp", 25, "secure email to criminal justice partners"),
    ("ADFS", "Microsoft 365 (NEP tenant)", ExternalService.M365, "https", 443,
     "identity sync and federated sign-in"),
    ("SFB", "Microsoft 365 (NEP tenant)", ExternalService.M365, "https", 443,
     "hybrid with Teams during migration"),
    ("SIEM", "NEP National Monitoring Centre", ExternalService.NEP, "tcp", 6514,
     "security events forwarded over syslog/TLS"),
    ("PXY", "Internet", ExternalService.INTERNET, "https", 443, "outbound web access"),
    ("VPN", "Internet", ExternalService.INTERNET, "https", 443, "remote users connect in"),
    ("LOST", "Internet", ExternalService.INTERNET, "https", 443, "public web form"),
    ("DEMS", "Internet", ExternalService.INTERNET, "https", 443,
     "public evidence upload portal"),
    ("MDM", "Internet", ExternalService.INTERNET, "https", 443, "devices on mobile networks"),
)

# fmt: on

# --------------------------------------------------------------------------- generation

_LOAD = {  # cpu % range, memory % range, iops range
    "web": ((4, 25), (30, 60), (20, 200)),
    "app": ((8, 45), (40, 75), (50, 600)),
    "db": ((15, 65), (70, 95), (800, 6000)),
    "vdi": ((30, 75), (55, 85), (200, 1200)),
    "file": ((3, 18), (25, 55), (200, 1800)),
    "infra": ((2, 15), (25, 55), (10, 150)),
    "idle": ((0.3, 3), (10, 30), (1, 20)),
}
_BACKUP = {C: "gold", H: "gold", M: "silver", L: "bronze"}
_PATCH_GROUPS = ("A", "B", "C", "D")


@dataclass
class _Allocator:
    """Next free address per subnet and a round-robin host per cluster, seeded."""

    rng: random.Random
    next_host: dict[str, int] = field(default_factory=dict)

    def ip(self, prefix: str) -> str:
        octets = prefix.split(".")
        key = prefix
        number = self.next_host.get(key, 11)
        while number > 250:  # spill into the next /24
            octets[2] = str(int(octets[2]) + 1)
            key = ".".join(octets)
            number = self.next_host.get(key, 11)
        self.next_host[key] = number + 1 + self.rng.randint(0, 2)
        return f"{key}.{number}"

    def host(self, hosts: Sequence[str]) -> str:
        return hosts[self.rng.randrange(len(hosts))]


def _names(app: App, role: Role) -> Iterator[tuple[str, str]]:
    """(server name, site) for every server of a role: HQ numbered 01.., DR 51.."""
    if role.names:
        sites = ["HQ"] * role.hq + ["DR"] * role.dr
        yield from zip(role.names, sites, strict=True)
        return
    for n in range(1, role.hq + 1):
        yield f"EXS-{app.code}-{role.role}{n:02d}", "HQ"
    for n in range(51, 51 + role.dr):
        yield f"EXS-{app.code}-{role.role}{n:02d}", "DR"


def _disks(role: Role, rng: random.Random) -> tuple[Disk, ...]:
    windows = _is_windows(role.os)
    system = ("C:", 100) if windows else ("/", 60)
    disks = []
    for name, size in (system, *role.disks):
        share = rng.uniform(0.35, 0.65) if name in ("C:", "/") else rng.uniform(0.3, 0.85)
        disks.append(Disk(name=name, provisioned_gib=size, used_gib=round(size * share, 1)))
    return tuple(disks)


def _utilisation(role: Role, rng: random.Random) -> Utilisation:
    (cpu_lo, cpu_hi), (mem_lo, mem_hi), (io_lo, io_hi) = _LOAD[role.load]
    return Utilisation(
        cpu_percent=round(rng.uniform(cpu_lo, cpu_hi), 1),
        memory_percent=round(rng.uniform(mem_lo, mem_hi), 1),
        iops=float(round(rng.uniform(io_lo, io_hi))),
        network_mbps=round(rng.uniform(0.5, 40.0), 1) if rng.random() < 0.5 else None,
    )


def _server(app: App, role: Role, name: str, site: str, alloc: _Allocator) -> Server:
    rng = alloc.rng
    os_name, os_version = OPERATING_SYSTEMS[role.os]
    cluster_label, hq_prefix, dr_prefix = ZONES[role.zone]
    cluster, hosts = CLUSTERS[(site, cluster_label)]
    powered_off = role.off or (site == "DR" and role.dr_off)
    environment = role.environment if site == "HQ" or role.environment != "production" else "dr"
    has_metrics = (
        not powered_off and role.os not in _NO_METRICS and rng.random() >= 0.02  # gaps happen
    )
    area = "Test and Development" if role.environment != "production" else app.area
    return Server(
        name=name,
        fqdn=f"{name.lower()}.{DOMAIN}",
        ip_addresses=(alloc.ip(hq_prefix if site == "HQ" else dr_prefix),),
        os=OperatingSystem(name=os_name, version=os_version),
        cores=role.cores,
        memory_mib=role.memory_gib * 1024,
        disks=_disks(role, rng),
        power_state=PowerState.OFF if powered_off else PowerState.ON,
        host=alloc.host(hosts),
        cluster=cluster,
        datacentre=DATACENTRES[site],
        folder=f"{area}/{app.name}",
        annotation=f"{app.name} {role.label}\nApplication: {app.name}\nOwner: {app.owner}",
        utilisation=_utilisation(role, rng) if has_metrics else None,
        software=tuple(P(s) for s in role.software),
        tags={
            "environment": environment,
            "backup": "none" if role.off else _BACKUP[app.criticality],
            "patch-group": _PATCH_GROUPS[rng.randrange(len(_PATCH_GROUPS))],
        },
    )


def build_inventory() -> Inventory:
    """The whole estate as one Inventory; the same every run."""
    alloc = _Allocator(random.Random(SEED))
    servers: dict[str, Server] = {}
    own: dict[str, list[str]] = {}
    for app in APPS:
        own[app.code] = []
        for role in app.roles:
            for name, site in _names(app, role):
                if name in servers:
                    raise ValueError(f"server {name} defined twice")
                servers[name] = _server(app, role, name, site, alloc)
                own[app.code].append(name)
    by_code = {app.code: app for app in APPS}
    applications = []
    for app in APPS:
        shared = [n for code in app.shares for n in own[code]]
        applications.append(
            Application(
                name=app.name,
                owner=app.owner,
                description=app.description,
                category=app.category,
                criticality=app.criticality,
                classification=app.classification,
                products=tuple(P(p) for p in app.products),
                servers=(*own[app.code], *shared),
                user_count=app.users,
                rto_hours=app.rto,
                rpo_hours=app.rpo,
                end_of_support=app.eos,
                cost_centre=app.cost_centre,
                notes=app.notes,
            )
        )
    dependencies = [
        Dependency(
            source=by_code[src].name,
            target=by_code[dst].name,
            protocol=protocol,
            port=port,
            description=description,
        )
        for src, dst, protocol, port, description in APP_DEPENDENCIES
    ]
    dependencies += [
        Dependency(
            source=by_code[src].name,
            target=target,
            kind=DependencyKind.EXTERNAL,
            service=service,
            protocol=protocol,
            port=port,
            description=description,
        )
        for src, target, service, protocol, port, description in EXTERNAL_DEPENDENCIES
    ]
    return Inventory(
        force=FORCE,
        servers=tuple(servers[name] for name in sorted(servers)),
        applications=tuple(applications),
        dependencies=tuple(dependencies),
    )


# --------------------------------------------------------------------------- CMDB-style exports

CMDB_HEADER = (
    "Application",
    "Server",
    "Owner",
    "Business Criticality",
    "Security Classification",
    "Category",
    "Products",
    "Users",
    "RTO",
    "RPO",
    "Cost Centre",
    "End of Support",
    "Description",
    "Notes",
)
DEPENDENCY_EXPORT_HEADER = (
    "Source",
    "Target",
    "Kind",
    "External Service",
    "Protocol",
    "Port",
    "Description",
)


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as spreadsheet exports write it
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def cmdb_csv(inventory: Inventory) -> str:
    """One row per application-server pair, application attributes repeated on every row."""
    rows = []
    for app in inventory.applications:
        users = "" if app.user_count is None else f"{app.user_count:,}"
        eos = app.end_of_support.strftime("%d/%m/%Y") if app.end_of_support else ""
        for server in app.servers:
            rows.append(
                [
                    app.name,
                    server,
                    app.owner,
                    app.criticality.value.title(),
                    app.classification.value,
                    app.category,
                    format_products(app.products),
                    users,
                    format_number(app.rto_hours),
                    format_number(app.rpo_hours),
                    app.cost_centre,
                    eos,
                    app.description,
                    app.notes,
                ]
            )
    return _csv(CMDB_HEADER, rows)


def dependencies_csv(inventory: Inventory) -> str:
    rows = [
        [
            d.source,
            d.target,
            d.kind.value.title(),
            d.service.value if d.service else "",
            d.protocol,
            format_number(d.port),
            d.description,
        ]
        for d in inventory.dependencies
    ]
    return _csv(DEPENDENCY_EXPORT_HEADER, rows)


def sample_files(inventory: Inventory) -> dict[str, str]:
    """Relative path -> content of every file this script owns."""
    files = {"inventory.yaml": inventory_to_yaml(inventory)}
    files.update({f"native-csv/{n}": c for n, c in native_csv_files(inventory).items()})
    files["exports/cmdb.csv"] = cmdb_csv(inventory)
    files["exports/dependencies.csv"] = dependencies_csv(inventory)
    return files


def build(out_dir: Path) -> list[Path]:
    """Write the sample files under `out_dir` (created if needed); return the paths written."""
    written = []
    for relative, content in sample_files(build_inventory()).items():
        path = Path(out_dir) / relative
        write_atomic(path, content, force=True)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
