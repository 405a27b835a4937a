"""The kinds of policing system a synthetic estate is drawn from: names, typical products,
criticality, how sensitive their data is, the national services they use, and how common
they are (see synth.py)."""

from __future__ import annotations

from dataclasses import dataclass

from forcelift.migration.inventory.vocabulary import Criticality, ExternalService

_C = Criticality
_E = ExternalService


@dataclass(frozen=True)
class Family:
    """A kind of policing system: names, typical products, criticality and externals."""

    category: str
    names: tuple[str, ...]
    products: tuple[tuple[str, str, str], ...]
    criticality: tuple[Criticality, ...]  # drawn uniformly: repeat a value to weight it
    sensitive: float  # probability the data is OFFICIAL-SENSITIVE
    externals: tuple[ExternalService, ...]
    weight: int


FAMILIES: tuple[Family, ...] = (
    Family(
        "Records management",
        ("Niche RMS", "Crime Recording", "Incident Management", "Athena Connect"),
        (("Niche Technology", "Niche RMS", "4.3"), ("NEC", "Athena", "2.8")),
        (_C.CRITICAL, _C.CRITICAL, _C.HIGH),
        0.95,
        (_E.PNC, _E.PND, _E.PSN),
        6,
    ),
    Family(
        "Command and control",
        ("Command and Control", "STORM", "Resource Dispatch", "Incident Logging"),
        (("Sopra Steria", "STORM", "8.2"), ("Hexagon", "HxGN OnCall Dispatch", "9.4")),
        (_C.CRITICAL,),
        0.9,
        (_E.PNC, _E.PSN),
        4,
    ),
    Family(
        "Custody",
        ("Custody", "Custody Imaging", "Livescan Biometrics", "Detainee Healthcare"),
        (("NEC", "Custody", "6.1"), ("Idemia", "Livescan", "5.2")),
        (_C.CRITICAL, _C.HIGH),
        0.95,
        (_E.PNC, _E.PND),
        4,
    ),
    Family(
        "Case files",
        ("Case Preparation", "Digital Case File", "Court Results", "Witness Care"),
        (("Capita", "Case Management", "3.0"), ("Microsoft", "SQL Server", "2016")),
        (_C.HIGH, _C.MEDIUM),
        0.9,
        (_E.CJSM, _E.PNC),
        4,
    ),
    Family(
        "Digital evidence",
        ("Digital Evidence Management", "Body Worn Video", "Interview Recording", "Forensic Lab"),
        (
            ("NICE", "Investigate", "7.1"),
            ("Axon", "Evidence Sync", "3.2"),
            ("Cellebrite", "Pathfinder", "8.0"),
        ),
        (_C.HIGH, _C.HIGH, _C.CRITICAL),
        0.95,
        (_E.PSN, _E.INTERNET),
        5,
    ),
    Family(
        "ANPR",
        ("ANPR Back Office", "NASP Connector", "ANPR Cameras"),
        (("Civica", "ANPR BOF", "4.0"),),
        (_C.HIGH,),
        0.9,
        (_E.PSN,),
        2,
    ),
    Family(
        "Intelligence",
        ("Intelligence Management", "Covert Tasking", "Analyst Workbench", "Briefing"),
        (("i2", "Analyst's Notebook", "9.4"), ("Memex", "Patriarch", "5.0")),
        (_C.HIGH, _C.CRITICAL),
        1.0,
        (_E.PND, _E.PNC),
        4,
    ),
    Family(
        "HR and duty management",
        ("Duty Management", "HR", "Payroll", "Training Records", "Occupational Health"),
        (
            ("Crown", "Duty Planner", "4.2"),
            ("Oracle", "E-Business Suite", "12.2"),
            ("SAP", "SuccessFactors Connector", "2.0"),
        ),
        (_C.MEDIUM, _C.HIGH),
        0.6,
        (_E.M365,),
        5,
    ),
    Family(
        "Finance",
        ("Finance", "Procurement", "Fleet Management", "Property and Exhibits", "Estates"),
        (("Unit4", "ERP", "7.0"), ("Tranman", "Fleet", "10.1")),
        (_C.MEDIUM, _C.LOW),
        0.3,
        (_E.INTERNET,),
        5,
    ),
    Family(
        "E-mail and collaboration",
        ("Exchange", "SharePoint", "Teams Gateway", "Secure E-mail Gateway"),
        (("Microsoft", "Exchange Server", "2016"), ("Microsoft", "SharePoint Server", "2019")),
        (_C.HIGH,),
        0.5,
        (_E.M365, _E.NEP, _E.CJSM),
        3,
    ),
    Family(
        "File and print",
        ("File Services", "Print Services", "Scanning"),
        (("Microsoft", "Windows File Server", "2019"),),
        (_C.MEDIUM,),
        0.5,
        (),
        3,
    ),
    Family(
        "Intranet and web",
        ("Intranet", "Public Website", "Online Crime Reporting", "Single Online Home Connector"),
        (("Microsoft", "IIS", "10"), ("Drupal", "Drupal", "10")),
        (_C.MEDIUM, _C.LOW),
        0.2,
        (_E.INTERNET,),
        3,
    ),
    Family(
        "Business intelligence",
        ("BI Reporting", "Data Warehouse", "Performance Dashboards", "Demand Analytics"),
        (("Microsoft", "SQL Server Reporting Services", "2019"), ("Qlik", "Sense", "2023")),
        (_C.MEDIUM,),
        0.7,
        (),
        4,
    ),
    Family(
        "CCTV",
        ("CCTV Management", "Video Analytics", "Town Centre CCTV"),
        (("Genetec", "Security Center", "5.11"), ("Milestone", "XProtect", "2023")),
        (_C.MEDIUM, _C.HIGH),
        0.8,
        (_E.PARTNER,),
        2,
    ),
    Family(
        "Telephony and ICCS",
        ("ICCS", "Call Recording", "Contact Centre", "IVR", "101 Non-Emergency"),
        (("Frequentis", "ICCS", "3.6"), ("NICE", "Inform", "9.2"), ("Avaya", "Aura", "8.1")),
        (_C.CRITICAL, _C.HIGH),
        0.8,
        (_E.PSN,),
        3,
    ),
    Family(
        "Mobile data",
        ("Mobile Data Platform", "Pronto", "Mobile Device Management"),
        (("Airwave", "Pronto", "6.0"), ("Microsoft", "Intune Connector", "2.1")),
        (_C.HIGH,),
        0.9,
        (_E.PNC, _E.M365),
        2,
    ),
    Family(
        "Infrastructure",
        (
            "Active Directory",
            "DNS and DHCP",
            "PKI",
            "Configuration Manager",
            "Monitoring",
            "Backup",
            "Antivirus",
            "Patch Management",
            "Remote Access",
        ),
        (
            ("Microsoft", "Active Directory", "2019"),
            ("Veeam", "Backup & Replication", "12"),
            ("SolarWinds", "Orion", "2023.4"),
        ),
        (_C.HIGH, _C.CRITICAL, _C.MEDIUM),
        0.5,
        (_E.NEP, _E.PSN),
        6,
    ),
    Family(
        "Licensing and public protection",
        (
            "Firearms Licensing",
            "Lost and Found",
            "Vetting",
            "Complaints",
            "Missing Persons",
            "Sex Offender Management",
        ),
        (("Centurion", "Professional Standards", "7.0"), ("Niche Technology", "Firearms", "2.1")),
        (_C.MEDIUM, _C.HIGH, _C.LOW),
        0.9,
        (_E.PNC, _E.PND, _E.PARTNER),
        4,
    ),
)
