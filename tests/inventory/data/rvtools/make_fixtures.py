"""Write the small RVTools fixtures next to this script (run once; the files are committed).

    .venv/bin/python tests/inventory/data/rvtools/make_fixtures.py

- rvtools4.xlsx: an RVTools 4.x workbook (real 94-column vInfo header with custom attributes,
  vDisk, vNetwork, vHost, vPartition, vCPU, vMemory) with a template, an SRM placeholder,
  powered-off and suspended VMs, a VM without vDisk rows, strings with thousands separators.
- rvtools3.xlsx: RVTools 3.x naming (`# CPUs`, `Provisioned MB`, `Capacity MB`), shuffled
  columns, header case/spacing differences, extra columns, no VM ID/UUID, only vInfo + vDisk.
- csv/: the per-tab CSV export (`RVTools_tabvInfo.csv`, …), UTF-8 with BOM, `;`-separated.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from forcelift.migration.inventory.export.rvtools import (
    VDISK_OWN,
    VHOST_HEADER,
    VNETWORK_OWN,
    VPARTITION_OWN,
    vinfo_header,
)

HERE = Path(__file__).parent
CUSTOM = ("AppOwner", "Application", "Backup status", "owner")
TRAILER = (
    "Datacenter", "Cluster", "Host", "Folder", "OS according to the configuration file",
    "OS according to the VMware Tools", "VM ID", "VM UUID", "VI SDK Server", "VI SDK UUID",
)  # fmt: skip

# name, power, template, srm, cpus, memory, disks MiB, in use, ip, os config, os tools, attrs
VMS: list[dict[str, Any]] = [
    dict(VM="CUSTAPP01", Powerstate="poweredOn", CPUs=4, Memory=16384, disks=[102400, 204800],
         used=153600, ip="10.10.1.11", extra_ips=["10.10.1.11", "172.16.5.11"],
         cfg="Microsoft Windows Server 2016 or later (64-bit)",
         tools="Microsoft Windows Server 2016 (64-bit)", Application="Custody",
         owner="Supt A. Patel", AppOwner="Custody Team", Folder="/Production/Custody",
         Annotation="Custody application server", Datacenter="DC-HQ", Cluster="CL-PROD-01",
         Host="esx01.force.local"),
    dict(VM="CUSTSQL01", Powerstate="poweredOn", CPUs="8", Memory="32,768",
         disks=[81920, 512000, 512000], used="600,000", ip="10.10.1.12", extra_ips=[],
         cfg="Microsoft Windows Server 2012 (64-bit)", tools="",
         Application="Custody", owner="Supt A. Patel", Folder="/Production/Custody",
         Datacenter="DC-HQ", Cluster="CL-PROD-01", Host="esx02.force.local"),
    dict(VM="ANPRBOF01", Powerstate="poweredOff", CPUs=2, Memory=8192, disks=[61440],
         used=30720, ip="", extra_ips=[], cfg="Red Hat Enterprise Linux 7 (64-bit)", tools="",
         Application="ANPR Back Office", Folder="/Production/ANPR", Datacenter="DC-HQ",
         Cluster="CL-PROD-01", Host="esx01.force.local", **{"Backup status": "Failed"}),
    dict(VM="INTELWEB01", Powerstate="suspended", CPUs=2, Memory=4096, disks=None,
         total=51200, used=20480, ip="10.10.2.5", extra_ips=["10.10.2.5", "fe80::250:56ff:fe01:1"],
         cfg="Ubuntu Linux (64-bit)", tools="Ubuntu Linux (64-bit)",
         Annotation="Intelligence portal\nApplication: Intelligence Portal",
         Folder="/Production/Intelligence", Datacenter="", Cluster="", Host="esx02.force.local"),
    dict(VM="AIXPNC01", Powerstate="poweredOn", CPUs=1, Memory=2048, disks=[40960], used=1024,
         ip="10.10.3.3", extra_ips=[], cfg="Other (64-bit)", tools="IBM AIX 7.2",
         Folder="/Legacy", Datacenter="DC-DR", Cluster="CL-DR-01", Host="esx03.force.local"),
    dict(VM="W2019-GOLD", Powerstate="poweredOff", Template=True, CPUs=2, Memory=4096,
         disks=[61440], used=0, ip="", extra_ips=[], cfg="Microsoft Windows Server 2019 (64-bit)",
         tools="", Folder="/Templates", Datacenter="DC-HQ", Cluster="CL-PROD-01",
         Host="esx01.force.local"),
    dict(VM="CUSTAPP01-DR", Powerstate="poweredOff", **{"SRM Placeholder": True}, CPUs=4,
         Memory=16384, disks=[102400], used=0, ip="", extra_ips=[],
         cfg="Microsoft Windows Server 2016 or later (64-bit)", tools="", Folder="/DR",
         Datacenter="DC-DR", Cluster="CL-DR-01", Host="esx03.force.local"),
]  # fmt: skip
HOSTS = [
    ("esx01.force.local", "DC-HQ", "CL-PROD-01"),
    ("esx02.force.local", "DC-HQ", "CL-PROD-01"),
    ("esx03.force.local", "DC-DR", "CL-DR-01"),
]


def _vinfo_row(header: list[str], vm: dict[str, Any], index: int) -> list[Any]:
    disks = vm["disks"] or []
    total = vm.get("total", sum(disks))
    values = {
        **vm,
        "Template": vm.get("Template", False),
        "SRM Placeholder": vm.get("SRM Placeholder", False),
        "DNS Name": f"{vm['VM'].lower()}.force.local" if vm["Powerstate"] == "poweredOn" else "",
        "Disks": len(disks) or 1,
        "Total disk capacity MiB": total,
        "Provisioned MiB": total + 4096,
        "In Use MiB": vm["used"],
        "Primary IP Address": vm["ip"],
        "OS according to the configuration file": vm["cfg"],
        "OS according to the VMware Tools": vm["tools"],
        "Creation date": 44927.5 + index,  # an Excel serial, as some exports hold dates
        "PowerOn": dt.datetime(2025, 3, 1, 8, 0) if vm["Powerstate"] == "poweredOn" else None,
        "VM ID": f"vm-{100 + index}",
        "VM UUID": f"4210a1b2-0000-0000-0000-{index:012d}",
        "Config status": "green",
        "Network #1": "VLAN10-Servers",
        "HW version": "vmx-19",
    }
    return [values.get(h, "") for h in header]


def _vm_tab(own: tuple[str, ...], vm: dict[str, Any], specific: dict[str, Any]) -> list[Any]:
    values = {
        **vm,
        "Template": vm.get("Template", False),
        "SRM Placeholder": vm.get("SRM Placeholder", False),
        "OS according to the configuration file": vm["cfg"],
        "OS according to the VMware Tools": vm["tools"],
        **specific,
    }
    return [values.get(h, "") for h in (*own, *CUSTOM, *TRAILER)]


def _rvtools4_tabs() -> dict[str, tuple[list[str], list[list[Any]]]]:
    header = vinfo_header(CUSTOM)
    vinfo = [_vinfo_row(header, vm, i) for i, vm in enumerate(VMS)]
    vdisk, vnetwork, vpartition, vcpu, vmemory = [], [], [], [], []
    for vm in VMS:
        for n, mib in enumerate(vm["disks"] or []):
            label = f"Hard disk {n + 1}"
            vdisk.append(_vm_tab(VDISK_OWN, vm, {"Disk": label, "Capacity MiB": mib}))
            if vm["Powerstate"] == "poweredOn":
                vpartition.append(
                    _vm_tab(VPARTITION_OWN, vm, {"Disk": f"{chr(67 + n)}:\\", "Capacity MiB": mib})
                )
        for n, ip in enumerate(vm["extra_ips"] or [""]):
            vnetwork.append(
                _vm_tab(
                    VNETWORK_OWN,
                    vm,
                    {"NIC label": f"Network adapter {n + 1}", "Adapter": "vmxnet3",
                     "IPv4 Address": ip, "Network": "VLAN10-Servers"},
                )
            )  # fmt: skip
        vcpu.append([vm["VM"], vm["Powerstate"], vm.get("Template", False), vm["CPUs"], 1])
        vmemory.append([vm["VM"], vm["Powerstate"], vm.get("Template", False), vm["Memory"]])
    vhost = [
        [{"Host": h, "Datacenter": dc, "Cluster": cl, "# CPU": 2, "# Cores": 32,
          "ESX Version": "VMware ESXi 8.0.2"}.get(c, "") for c in VHOST_HEADER]
        for h, dc, cl in HOSTS
    ]  # fmt: skip
    return {
        "vInfo": (header, vinfo),
        "vCPU": (["VM", "Powerstate", "Template", "CPUs", "Sockets"], vcpu),
        "vMemory": (["VM", "Powerstate", "Template", "Size MiB"], vmemory),
        "vDisk": ([*VDISK_OWN, *CUSTOM, *TRAILER], vdisk),
        "vPartition": ([*VPARTITION_OWN, *CUSTOM, *TRAILER], vpartition),
        "vNetwork": ([*VNETWORK_OWN, *CUSTOM, *TRAILER], vnetwork),
        "vHost": (list(VHOST_HEADER), vhost),
    }


def _write_xlsx(path: Path, tabs: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "default_date_format": "yyyy/mm/dd hh:mm"}
    )
    workbook.set_properties({"created": dt.datetime(2026, 1, 1)})
    for name, (header, rows) in tabs.items():
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, header)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
    workbook.close()


def _rvtools3_tabs() -> dict[str, tuple[list[str], list[list[Any]]]]:
    header = [
        "Powerstate", "vm", "# CPUs", " memory ", "Provisioned MB", "In Use MB", "DNS name",
        "Template", "Primary IP Address", "Cost Code", "Folder", "Annotation", "owner",
        "Datacenter", "Cluster", "Host", "OS according to the configuration file",
        "Unknown Future Column",
    ]  # fmt: skip
    rows = [
        ["poweredOn", "HRAPP01", 2, 8192, "102,400", "51,200", "hrapp01.force.local", "False",
         "10.20.0.4", "CC101", "/HR", "Duty management", "Head of HR", "DC1", "CL1", "esx1",
         "Microsoft Windows Server 2008 R2 (64-bit)", "x"],
        ["poweredOff", "HRDB01", "4", "16 GB", 409600, 0, "", "False", "", "CC101", "/HR", "",
         "Head of HR", "DC1", "CL1", "esx1", "Red Hat Enterprise Linux 6 (64-bit)", ""],
        ["poweredOn", "FINAPP01", 2, 4096, 61440, 20000, "", "True", "", "", "/Templates", "",
         "", "DC1", "CL1", "esx1", "Microsoft Windows Server 2008 R2 (64-bit)", ""],
    ]  # fmt: skip
    vdisk_header = ["VM", "Disk", "Capacity MB", "Thin", "Controller"]
    vdisk = [
        ["HRDB01", "Hard disk 1", 102400, True, "SCSI controller 0"],
        ["HRDB01", "Hard disk 2", "307,200", True, "SCSI controller 0"],
    ]
    return {"vInfo": (header, rows), "vDisk": (vdisk_header, vdisk)}


def _write_csv_set(directory: Path) -> None:
    directory.mkdir(exist_ok=True)
    tabs = _rvtools4_tabs()
    for name in ("vInfo", "vDisk", "vNetwork", "vHost"):
        header, rows = tabs[name]
        if name == "vInfo":
            rows = [r for r in rows if r[0] != "CUSTSQL01"]  # keep the CSV set small
        path = directory / f"RVTools_tab{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
    # a tab forcelift does not use: recognised as part of the export and skipped
    (directory / "RVTools_tabvSnapshot.csv").write_bytes(
        b'\xef\xbb\xbf"VM";"Powerstate";"Name";"Date / time"\r\n'
        b'"CUSTAPP01";"poweredOn";"pre-patch";"2025/01/01"\r\n'
    )


def main() -> None:
    _write_xlsx(HERE / "rvtools4.xlsx", _rvtools4_tabs())
    _write_xlsx(HERE / "rvtools3.xlsx", _rvtools3_tabs())
    _write_csv_set(HERE / "csv")


if __name__ == "__main__":
    main()
