"""Cell parsing: liberal on what real exports contain, strict on what does not parse."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcelift.migration.inventory.model import (
    Criticality,
    ExternalService,
    OsFamily,
    PowerState,
    SecurityClassification,
)
from forcelift.migration.inventory.normalise import (
    external_service,
    normalise_header,
    os_family,
    parse_classification,
    parse_criticality,
    parse_date,
    parse_int,
    parse_percent,
    parse_power_state,
    parse_size_gib,
    parse_size_mib,
    split_list,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("*Server Name", "servername"),
        (" server_name ", "servername"),
        ("ServerName", "servername"),
        ("Memory (In MB)", "memoryinmb"),
        ("\ufeffVM", "vm"),
        ("# CPUs", "#cpus"),
        ("CPU.UsagePct.Avg", "cpuusagepctavg"),
    ],
)
def test_headers_fold_to_one_key(raw: str, folded: str) -> None:
    assert normalise_header(raw) == folded


@pytest.mark.parametrize(
    ("raw", "mib"),
    [
        ("8,192", 8192),
        ("16 GB", 16384),
        ("16GiB", 16384),
        ("512 MB", 512),
        (4096, 4096),
        (4096.0, 4096),
        ("1 024", 1024),
        ("2 TB", 2 * 1024 * 1024),
        ("1.5 GB", 1536),
    ],
)
def test_sizes_accept_separators_and_units(raw: object, mib: float) -> None:
    assert parse_size_mib(raw) == mib  # type: ignore[arg-type]


def test_size_default_unit_applies_only_without_suffix() -> None:
    assert parse_size_gib("100") == 100
    assert parse_size_gib("100", default_unit="mib") == pytest.approx(100 / 1024)
    assert parse_size_gib("1 TB") == 1024


@pytest.mark.parametrize("raw", ["lots", "16 parsecs", "-4 GB", "", "1,2,3,4"])
def test_bad_sizes_raise_value_error(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_size_mib(raw)


def test_decimal_comma_and_thousands() -> None:
    assert parse_percent("12,5 %") == 12.5
    assert parse_int("1,234") == 1234
    with pytest.raises(ValueError, match="whole number"):
        parse_int("2.5")
    with pytest.raises(ValueError, match="outside"):
        parse_percent("150")


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        ("poweredOn", PowerState.ON),
        ("poweredOff", PowerState.OFF),
        ("suspended", PowerState.SUSPENDED),
        ("Running", PowerState.ON),
        ("", PowerState.UNKNOWN),
    ],
)
def test_power_states(raw: str, state: PowerState) -> None:
    assert parse_power_state(raw) is state


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Microsoft Windows Server 2012 (64-bit)", OsFamily.WINDOWS),
        ("Red Hat Enterprise Linux 7 (64-bit)", OsFamily.LINUX),
        ("Ubuntu Linux (64-bit)", OsFamily.LINUX),
        ("IBM AIX 7.2", OsFamily.UNIX),
        ("Oracle Solaris 11 (64-bit)", OsFamily.UNIX),
        ("HP-UX 11i v3", OsFamily.UNIX),
        ("z/OS 2.4", OsFamily.MAINFRAME),
        ("", OsFamily.UNKNOWN),
    ],
)
def test_os_family(name: str, family: OsFamily) -> None:
    assert os_family(name) is family


def test_classification_in_scope_and_rejected_above() -> None:
    assert parse_classification("official") is SecurityClassification.OFFICIAL
    assert parse_classification("OFFICIAL SENSITIVE") is SecurityClassification.OFFICIAL_SENSITIVE
    assert (
        parse_classification("OFFICIAL-SENSITIVE: PERSONAL")
        is SecurityClassification.OFFICIAL_SENSITIVE
    )
    for raw in ("SECRET", "Top Secret", "RESTRICTED"):
        with pytest.raises(ValueError, match="out of scope"):
            parse_classification(raw)
    with pytest.raises(ValueError, match="unknown security classification"):
        parse_classification("PUBLIC-ISH")


def test_criticality_aliases() -> None:
    assert parse_criticality("Tier 1") is Criticality.CRITICAL
    assert parse_criticality("Mission Critical") is Criticality.CRITICAL
    assert parse_criticality("low") is Criticality.LOW
    with pytest.raises(ValueError):
        parse_criticality("whenever")


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2026-01-31", dt.date(2026, 1, 31)),
        ("31/01/2026", dt.date(2026, 1, 31)),
        (45322, dt.date(2024, 1, 31)),
        ("Jan 2026", dt.date(2026, 1, 1)),
        ("2026-01-31T10:00:00", dt.date(2026, 1, 31)),
    ],
)
def test_dates(raw: object, date: dt.date) -> None:
    assert parse_date(raw) == date  # type: ignore[arg-type]


def test_lists_and_services() -> None:
    assert split_list("a | b;c\nd") == ("a", "b", "c", "d")
    assert split_list("") == ()
    assert external_service("Police National Computer") is ExternalService.PNC
    assert external_service("PSN for Policing") is ExternalService.PSN
    assert external_service("Microsoft 365") is ExternalService.M365
    assert external_service("Records Management") is None


@given(st.text(max_size=30))
def test_parsers_raise_only_value_error(raw: str) -> None:
    for parse in (
        parse_size_mib,
        parse_int,
        parse_percent,
        parse_date,
        parse_power_state,
        parse_criticality,
        parse_classification,
    ):
        with contextlib.suppress(ValueError):
            parse(raw)


@pytest.mark.parametrize(
    ("name", "version", "end"),
    [
        ("Red Hat Enterprise Linux", "8.6", dt.date(2029, 5, 31)),
        ("Red Hat Enterprise Linux 7.9", "", dt.date(2024, 6, 30)),
        ("Red Hat Enterprise Linux", "9.5", dt.date(2032, 5, 31)),
        ("Microsoft Windows Server 2012 R2 (64-bit)", "", dt.date(2023, 10, 10)),
        ("Ubuntu", "20.04", dt.date(2025, 5, 31)),
        ("Plan 9", "", None),
    ],
)
def test_os_end_of_support_matches_major_version(
    name: str, version: str, end: dt.date | None
) -> None:
    from forcelift.migration.inventory.lifecycle import os_end_of_support
    from forcelift.migration.inventory.model import OperatingSystem

    assert os_end_of_support(OperatingSystem(name=name, version=version)) == end
