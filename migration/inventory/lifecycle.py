"""End-of-support dates of common server operating systems (vendor lifecycle pages).

Used for warnings now and by the classifier later. Dates are the end of the vendor's standard
or extended support for the release; ESU / ELS paid extensions are noted, not assumed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from forcelift.migration.inventory.model import OperatingSystem

# (pattern over "name version", end of support). First match wins: list specific before general.
# Sources: Microsoft Lifecycle (learn.microsoft.com/lifecycle), Red Hat Enterprise Linux Life
# Cycle, Ubuntu release cycle, SUSE product support lifecycle, CentOS project; taken 2026-11.
OS_END_OF_SUPPORT: tuple[tuple[str, dt.date], ...] = (
    (r"windows.*2000", dt.date(2010, 7, 13)),
    (r"windows.*2003", dt.date(2015, 7, 14)),
    (r"windows.*2008", dt.date(2020, 1, 14)),
    (r"windows.*2012", dt.date(2023, 10, 10)),
    (r"windows.*2016", dt.date(2027, 1, 12)),
    (r"windows.*2019", dt.date(2029, 1, 9)),
    (r"windows.*2022", dt.date(2031, 10, 14)),
    (r"windows.*2025", dt.date(2034, 10, 10)),
    (r"windows (xp|7|8)\b", dt.date(2023, 1, 10)),
    (r"(red ?hat|rhel).*\b5\b", dt.date(2017, 3, 31)),
    (r"(red ?hat|rhel).*\b6\b", dt.date(2020, 11, 30)),
    (r"(red ?hat|rhel).*\b7\b", dt.date(2024, 6, 30)),
    (r"(red ?hat|rhel).*\b8\b", dt.date(2029, 5, 31)),
    (r"(red ?hat|rhel).*\b9\b", dt.date(2032, 5, 31)),
    (r"centos.*\b[5-8]\b", dt.date(2024, 6, 30)),
    (r"ubuntu.*1[0-6]\.04", dt.date(2021, 4, 30)),
    (r"ubuntu.*18\.04", dt.date(2023, 5, 31)),
    (r"ubuntu.*20\.04", dt.date(2025, 5, 31)),
    (r"ubuntu.*22\.04", dt.date(2027, 6, 30)),
    (r"ubuntu.*24\.04", dt.date(2029, 6, 30)),
    (r"(suse|sles).*\b11\b", dt.date(2019, 3, 31)),
    (r"(suse|sles).*\b12\b", dt.date(2024, 10, 31)),
    (r"(suse|sles).*\b15\b", dt.date(2031, 7, 31)),
    (r"debian.*\b([6-9]|10)\b", dt.date(2024, 6, 30)),
    (r"oracle linux.*\b[5-7]\b", dt.date(2024, 12, 31)),
)

_COMPILED = tuple((re.compile(p, re.I), d) for p, d in OS_END_OF_SUPPORT)
_MINOR = re.compile(r"\b(\d+)\.\d+(?:\.\d+)*\b")


def _major_versions(label: str) -> str:
    """'RHEL 8.6' -> 'RHEL 8' so a minor version never matches another release's pattern.

    Ubuntu's YY.MM releases keep their dot (20.04 is the release, not 20 minor 04).
    """
    if re.search(r"ubuntu", label, re.I):
        return label
    return _MINOR.sub(r"\1", label)


def os_end_of_support(os: OperatingSystem) -> dt.date | None:
    """The known end-of-support date for this OS, or None when we do not know it."""
    return _end_of_support(os.name, os.version)


@functools.lru_cache(maxsize=4096)
def _end_of_support(name: str, version: str) -> dt.date | None:
    # Estates repeat a few dozen OS names thousands of times: match each once.
    label = _major_versions(f"{name} {version}")
    for pattern, date in _COMPILED:
        if pattern.search(label):
            return date
    return None


def is_out_of_support(os: OperatingSystem, as_of: dt.date) -> bool:
    end = os_end_of_support(os)
    return end is not None and end < as_of
