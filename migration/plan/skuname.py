"""What a VM size's name says: its family, and its shape when the catalogue does not know it.

Assessment tools recommend sizes forcelift's catalogue may not hold (`Standard_D4as_v4`,
`m5.xlarge`); comparing with them needs the family and, roughly, the vCPUs and memory. Both
clouds name sizes by rule (Azure: series letter, vCPUs, feature letters, version; AWS: family,
then a size word), so the rule gives the family exactly and the shape approximately.
"""

from __future__ import annotations

import re

from forcelift.migration.plan.skus import CloudCatalogue

_AZURE = re.compile(r"^standard_([a-z]+?)(\d+)(?:-\d+)?([a-z]*)(?:_v(\d+))?$", re.I)
_AWS = re.compile(r"^([a-z][a-z0-9-]*?)\.(nano|micro|small|medium|large|(\d*)xlarge)$", re.I)
_AZURE_GIB_PER_VCPU = {"d": 4.0, "e": 8.0, "f": 2.0, "a": 2.0, "m": 28.0}
_AWS_GIB_PER_VCPU = {"m": 4.0, "r": 8.0, "c": 2.0, "x": 16.0}
_AWS_VCPUS = {"nano": 2, "micro": 2, "small": 2, "medium": 1, "large": 2}


def family_of(name: str) -> str:
    """'Standard_D4s_v5' -> 'Dsv5', 'Standard_B2ms' -> 'B', 'm6i.xlarge' -> 'm6i'."""
    text = name.strip()
    m = _AZURE.match(text)
    if m:
        series, _, features, version = m.groups()
        series = series.upper()
        if series == "B":
            return "B" + (f"v{version}" if version else "")
        return f"{series}{features.lower()}{f'v{version}' if version else ''}"
    m = _AWS.match(text)
    if m:
        return m.group(1).lower()
    return text.lower()


def shape_of(name: str, catalogue: CloudCatalogue | None = None) -> tuple[int, float, bool] | None:
    """(vCPUs, memory GiB, exact): from the catalogue when it has the size, else by naming rule."""
    if catalogue is not None:
        for size in catalogue.sizes():
            if size.name.lower() == name.strip().lower():
                return size.vcpus, size.memory_gib, True
    text = name.strip()
    m = _AZURE.match(text)
    if m:
        series, digits, features, _ = m.groups()
        vcpus = int(digits)
        per = _AZURE_GIB_PER_VCPU.get(series[0].lower())
        if per is None:
            return None
        if "l" in features.lower():
            per = 2.0
        if series.upper() == "DS" or (series.upper() == "D" and not m.group(4)):
            per = 3.5  # D/DS v1-v2: 3.5 GiB per vCPU
        return vcpus, vcpus * per, False
    m = _AWS.match(text)
    if m:
        family, word, multiple = m.group(1), m.group(2).lower(), m.group(3)
        if word.endswith("xlarge"):
            vcpus = 4 * (int(multiple) if multiple else 1)
        else:
            vcpus = _AWS_VCPUS[word]
        per = _AWS_GIB_PER_VCPU.get(family[0].lower())
        if per is None:
            return None
        return vcpus, vcpus * per, False
    return None
