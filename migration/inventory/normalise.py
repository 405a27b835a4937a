"""Liberal parsing of the values real exports contain, strict reporting of what does not parse.

Every function here takes a raw cell (str, int, float, bool, date or None) and returns a typed
value or raises :class:`ValueError` with a message that reads well after "column X: ".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from forcelift.migration.inventory.vocabulary import (
    NOT_READY,
    READINESS_UNKNOWN,
    READY,
    READY_WITH_CONDITIONS,
    Criticality,
    ExternalService,
    OsFamily,
    PowerState,
    SecurityClassification,
)

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
T = TypeVar("T")

_SPACE = re.compile(r"[\s_]+")
_NON_WORD = re.compile(r"[^a-z0-9#%]+")


def normalise_header(header: object) -> str:
    """Fold a column header so `*Server Name`, ` server_name ` and `ServerName` compare equal."""
    text = str(header or "").strip().lstrip("*").strip().lower()
    text = text.replace("\ufeff", "")
    return _NON_WORD.sub("", text)


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: What discovery and assessment tools write in a cell instead of a value. Compared after
#: casefolding and removing all whitespace, so `Not  Applicable`, ` n/a ` and `NOT READY` match.
#: Listed in docs/inventory.md; keep the two in step.
SENTINELS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "\u2013",  # en dash
        "\u2014",  # em dash
        "?",
        "na",
        "n/a",
        "n.a.",
        "n.a",
        "#n/a",
        "none",
        "null",
        "nil",
        "nan",
        "unknown",
        "notapplicable",
        "notavailable",
        "notready",
        "notcollected",
        "notfound",
        "notset",
        "nodata",
        "(blank)",
        "(none)",
        "(null)",
        "<none>",
        "<null>",
    }
)


def sentinel_key(value: str) -> str:
    """How a text cell is compared with :data:`SENTINELS`."""
    return "".join(value.split()).casefold()


#: First characters a sentinel can start with, before casefolding (tests check this against
#: every Unicode character): a value starting otherwise is no sentinel, with no copying.
_SENTINEL_HEADS = frozenset(c for s in SENTINELS if s for c in (s[0], s[0].upper()))


def is_missing(value: Cell) -> bool:
    """Blank, NaN, or a sentinel such as `Not applicable`: the cell holds no value.

    The one test every reader applies before parsing a cell; set lookups, not a regex,
    because it runs on every typed cell of 100k-row exports: most values (`4`, a UUID,
    `Windows`) are ruled out by their first character without building the folded key.
    """
    if value is None:
        return True
    if type(value) is str:
        if value in SENTINELS:
            return True
        head = value[:1]
        if head not in _SENTINEL_HEADS and not head.isspace():
            return False
        return sentinel_key(value) in SENTINELS
    return type(value) is float and value != value


def value_text(value: Cell) -> str:
    """Text of a column where sentinels mean "no value" (ids, sizes as written). Columns read
    with plain :func:`text` keep every word as written (a folder may well be called `-`)."""
    return text(value)


def parse_cell(value: Cell, parse: Callable[[Cell], T]) -> T | None:
    """The shared cell parser: None for a missing value (see :func:`is_missing`), else
    `parse(value)`, which raises :class:`ValueError` for an unreadable one."""
    if is_missing(value):
        return None
    return parse(value)


def parse_readiness(value: str) -> str:
    """An assessment's readiness wording -> Ready | Ready with conditions | Not ready | Unknown
    ("Conditionally ready", "NOT  READY", "Readiness unknown"); other wording as written."""
    key = normalise_header(value)
    if not key:
        return ""
    if "notready" in key:
        return NOT_READY
    if "condition" in key:
        return READY_WITH_CONDITIONS
    if "unknown" in key:
        return READINESS_UNKNOWN
    if key.startswith("ready"):
        return READY
    return value.strip()


def text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_NUMBER = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d{1,3}(?:[,\u00a0 ]\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)"
    r"\s*(?P<unit>[a-zA-Z%/ ]*)\s*$"
)
# "8,5" (one comma, one or two digits after it) is a decimal comma; "8,192" is thousands.
_DECIMAL_COMMA = re.compile(r"^\s*([-+]?\d+),(\d{1,2})(\s*[a-zA-Z%]*\s*)$")

# Sizes in exports say MB/GB but mean binary units (a "16 GB" VM has 16,384 MiB), so the
# decimal spellings are read as their binary counterparts. Factors convert to MiB.
_BYTES: dict[str, float] = {
    "b": 1 / 1024**2,
    "bytes": 1 / 1024**2,
    "kb": 1 / 1024,
    "kib": 1 / 1024,
    "k": 1 / 1024,
    "mb": 1.0,
    "mib": 1.0,
    "m": 1.0,
    "gb": 1024.0,
    "gib": 1024.0,
    "g": 1024.0,
    "tb": 1024.0**2,
    "tib": 1024.0**2,
    "t": 1024.0**2,
}


def _split_number(value: Cell) -> tuple[float, str]:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a number, got {value!r}")
        return float(value), ""
    raw = _DECIMAL_COMMA.sub(r"\1.\2\3", text(value))
    match = _NUMBER.match(raw)
    if not match:
        raise ValueError(f"expected a number, got {text(value)!r}")
    num = re.sub(r"[,\u00a0 ]", "", match["num"])
    return float(num), match["unit"].strip().lower().replace(" ", "")


def parse_float(value: Cell) -> float:
    """A plain number: accepts thousands separators ("8,192") and a trailing "%"."""
    number, unit = _split_number(value)
    if unit not in ("", "%"):
        raise ValueError(f"unexpected unit {unit!r} in {text(value)!r}")
    return number


def parse_int(value: Cell) -> int:
    number = parse_float(value)
    if not number.is_integer():
        raise ValueError(f"expected a whole number, got {text(value)!r}")
    return int(number)


def parse_percent(value: Cell) -> float:
    number, unit = _split_number(value)
    if unit not in ("", "%"):
        raise ValueError(f"expected a percentage, got {text(value)!r}")
    if not 0 <= number <= 100:
        raise ValueError(f"percentage {number:g} is outside 0–100")
    return number


def parse_size_mib(value: Cell, default_unit: str = "mib") -> float:
    """A size in MiB; a unit in the cell ("16 GB", "512MB") wins over the column's unit."""
    number, unit = _split_number(value)
    factor = _BYTES.get(unit or default_unit)
    if factor is None:
        raise ValueError(f"unknown size unit {unit!r} in {text(value)!r}")
    if number < 0:
        raise ValueError(f"size cannot be negative: {text(value)!r}")
    return number * factor


def parse_size_gib(value: Cell, default_unit: str = "gib") -> float:
    return parse_size_mib(value, default_unit) / 1024


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f", ""}


def parse_bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"expected true/false, got {text(value)!r}")


_POWER = {
    "poweredon": PowerState.ON,
    "on": PowerState.ON,
    "running": PowerState.ON,
    "poweron": PowerState.ON,
    "started": PowerState.ON,
    "up": PowerState.ON,
    "poweredoff": PowerState.OFF,
    "off": PowerState.OFF,
    "stopped": PowerState.OFF,
    "poweroff": PowerState.OFF,
    "shutdown": PowerState.OFF,
    "deallocated": PowerState.OFF,
    "suspended": PowerState.SUSPENDED,
    "paused": PowerState.SUSPENDED,
    "": PowerState.UNKNOWN,
    "unknown": PowerState.UNKNOWN,
}


def _spelling(table: Mapping[str, T], value: Cell, what: str, expected: str) -> T:
    """Look a cell up with case, spaces and punctuation dropped: the tools spell words apart."""
    key = _NON_WORD.sub("", text(value).lower())
    if key in table:
        return table[key]
    raise ValueError(f"unknown {what} {text(value)!r} (expected {expected})")


def parse_power_state(value: Cell) -> PowerState:
    return _spelling(_POWER, value, "power state", "poweredOn/poweredOff/suspended")


_OS_PATTERNS: tuple[tuple[re.Pattern[str], OsFamily], ...] = (
    (re.compile(r"windows|win\d|microsoft", re.I), OsFamily.WINDOWS),
    (
        re.compile(r"\baix\b|solaris|sunos|hp-?ux|\bunix\b|freebsd|openbsd|tru64", re.I),
        OsFamily.UNIX,
    ),
    (
        re.compile(r"z/os|os/390|mvs|z/vm|as/?400|\bos/400\b|\bibm i\b|mainframe", re.I),
        OsFamily.MAINFRAME,
    ),
    (
        re.compile(
            r"linux|red ?hat|rhel|centos|ubuntu|debian|suse|sles|oracle ?linux|rocky|alma|fedora|"
            r"amazon|photon|coreos|mint",
            re.I,
        ),
        OsFamily.LINUX,
    ),
    (
        re.compile(
            r"appliance|esxi|vmware|netscaler|f5|big-?ip|palo ?alto|fortios|junos|cisco", re.I
        ),
        OsFamily.APPLIANCE,
    ),
    (re.compile(r"other", re.I), OsFamily.OTHER),
)


def os_family(name: str, explicit: str = "") -> OsFamily:
    """Infer the OS family from a free-text OS name, as the various tools spell it."""
    if explicit:
        key = explicit.strip().lower()
        for family in OsFamily:
            if family.value == key:
                return family
        name = f"{explicit} {name}"
    for pattern, family in _OS_PATTERNS:
        if pattern.search(name):
            return family
    return OsFamily.UNKNOWN


_CRIT = {
    "low": Criticality.LOW,
    "l": Criticality.LOW,
    "4": Criticality.LOW,
    "tier4": Criticality.LOW,
    "minor": Criticality.LOW,
    "medium": Criticality.MEDIUM,
    "m": Criticality.MEDIUM,
    "moderate": Criticality.MEDIUM,
    "3": Criticality.MEDIUM,
    "tier3": Criticality.MEDIUM,
    "normal": Criticality.MEDIUM,
    "high": Criticality.HIGH,
    "h": Criticality.HIGH,
    "2": Criticality.HIGH,
    "tier2": Criticality.HIGH,
    "important": Criticality.HIGH,
    "businesscritical": Criticality.HIGH,
    "critical": Criticality.CRITICAL,
    "c": Criticality.CRITICAL,
    "1": Criticality.CRITICAL,
    "tier1": Criticality.CRITICAL,
    "missioncritical": Criticality.CRITICAL,
    "tier0": Criticality.CRITICAL,
    "0": Criticality.CRITICAL,
}


def parse_criticality(value: Cell) -> Criticality:
    return _spelling(_CRIT, value, "business criticality", "low/medium/high/critical")


_OUT_OF_SCOPE = re.compile(r"\b(secret|top ?secret|restricted|confidential)\b", re.I)


def parse_classification(value: object) -> SecurityClassification:
    """OFFICIAL or OFFICIAL-SENSITIVE; SECRET and above are out of scope and rejected."""
    raw = str(value or "").strip()
    key = re.sub(r"[\s_\-:]+", "", raw.upper())
    if key in ("", "OFFICIAL", "O"):
        return SecurityClassification.OFFICIAL
    if key in ("OFFICIALSENSITIVE", "OS", "OFFSENS"):
        return SecurityClassification.OFFICIAL_SENSITIVE
    if key.startswith("OFFICIALSENSITIVE"):  # caveats such as OFFICIAL-SENSITIVE: PERSONAL
        return SecurityClassification.OFFICIAL_SENSITIVE
    if _OUT_OF_SCOPE.search(raw):
        raise ValueError(
            f"classification {raw!r} is out of scope: forcelift handles OFFICIAL and "
            "OFFICIAL-SENSITIVE only (SECRET and above need an accredited environment)"
        )
    raise ValueError(
        f"unknown security classification {raw!r} (expected OFFICIAL or OFFICIAL-SENSITIVE)"
    )


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %Y",
    "%B %Y",
    "%Y-%m",
    "%m/%Y",
)


def parse_date(value: Cell) -> dt.date:
    """ISO, UK day-first dates, month-year, and Excel serial numbers."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 200000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"not a date: {value!r}")
    raw = text(value)
    candidate = raw.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", raw) else raw
    if re.fullmatch(r"\d{4}", candidate):
        return dt.date(int(candidate), 12, 31)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d+(\.\d+)?", candidate):
        return parse_date(float(candidate))
    raise ValueError(f"not a date: {raw!r} (use YYYY-MM-DD)")


_LIST_SPLIT = re.compile(r"\s*[|;\n]\s*")


def split_list(value: Cell, extra_separators: str = "") -> tuple[str, ...]:
    """Cells holding several values: separated by `|`, `;` or new lines (and optionally more)."""
    raw = text(value)
    if not raw:
        return ()
    pattern = (
        _LIST_SPLIT
        if not extra_separators
        else re.compile(r"\s*[|;\n" + re.escape(extra_separators) + r"]\s*")
    )
    return tuple(part for part in pattern.split(raw) if part)


_SERVICE_ALIASES: dict[str, ExternalService] = {
    "pnc": ExternalService.PNC,
    "policenationalcomputer": ExternalService.PNC,
    "pnd": ExternalService.PND,
    "policenationaldatabase": ExternalService.PND,
    "leds": ExternalService.LEDS,
    "lawenforcementdataservice": ExternalService.LEDS,
    "psn": ExternalService.PSN,
    "psnp": ExternalService.PSN,
    "psnforpolicing": ExternalService.PSN,
    "publicservicesnetwork": ExternalService.PSN,
    "nep": ExternalService.NEP,
    "nationalenablingprogrammes": ExternalService.NEP,
    "m365": ExternalService.M365,
    "microsoft365": ExternalService.M365,
    "office365": ExternalService.M365,
    "o365": ExternalService.M365,
    "cjsm": ExternalService.CJSM,
    "partner": ExternalService.PARTNER,
    "internet": ExternalService.INTERNET,
}


def external_service(name: str) -> ExternalService | None:
    """Recognise a national service from a dependency target's name, if it is one."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    if key in _SERVICE_ALIASES:
        return _SERVICE_ALIASES[key]
    for alias, service in _SERVICE_ALIASES.items():
        if len(alias) >= 3 and key.startswith(alias):
            return service
    return None


def first_present(row: dict[str, Cell], keys: Iterable[str]) -> Cell:
    for key in keys:
        value = row.get(key)
        if not is_blank(value):
            return value
    return None
