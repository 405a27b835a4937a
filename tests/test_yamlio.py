"""migration.yamlio: the fast YAML route writes PyYAML's bytes and reads PyYAML's values."""

from __future__ import annotations

import datetime as dt
import glob
import math
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcelift.migration import yamlio

ROOT = Path(__file__).resolve().parents[1]

#: strings that look like other YAML 1.1 scalars, or need quoting, or wrap
TRICKY = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", "NULL", "Null", "",
    "0o17", "0x1F", "017", "1_000", "1:20", "190:20:30", "-1:20", "1.5", ".5", "1e3", "1.0e+3",
    ".inf", "-.Inf", ".NaN", "2026-01-01", "2026-01-01 10:00:00", "2026-1-1T1:02:03Z", " lead",
    "trail ", "a: b", "a:b", "#x", "a #x", "a#x", "- x", "-x", "-", "?", "? x", ": x", "[a]",
    "{a}", "a, b", "&a", "*a", "!x", "|", ">", "'q'", '"d"', "it's", "%x", "@x", "`x", "<<",
    "=", "a\nb", "a\n\nb\n", "x\n\n", " x\ny", "tab\there", "\x01", "é", "Ünïcödé ✓", "---",
    "...", "a  b", "a - b", "a: ", "a:", "x" * 120, ("word " * 30).strip(),
    "long " * 25 + "'quoted'", "a'b" * 40, "trailing space line \nnext",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.sampled_from(TRICKY),
    st.text(max_size=30),
    st.text(alphabet="ab :#-'\"\n.01yesno", max_size=140),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ._/()-]{0,110}", fullmatch=True),
)
keys = st.one_of(
    st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True),
    st.sampled_from(["yes", "on", "1", "null", "a b", "é", "x:y", "'k'", "-k", ""]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=40,
)
roots = st.one_of(
    st.dictionaries(keys, documents, min_size=1, max_size=6),
    st.lists(documents, min_size=1, max_size=6),
)


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (True is not 1, 1.0 is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roots)
def test_dump_is_byte_identical_to_pyyaml(data: Any) -> None:
    assert yamlio.dump(data) == yamlio.pyyaml_dump(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roots)
def test_fast_reader_reads_what_pyyaml_reads(data: Any) -> None:
    text = yamlio.pyyaml_dump(data)
    expected = yamlio.pyyaml_load(text)
    assert same(yamlio.load(text), expected)
    try:
        fast = yamlio.fast_load(text)
    except ValueError:
        return  # gave up: load() used PyYAML, checked above
    assert same(fast, expected)


@pytest.mark.parametrize("value", TRICKY)
@pytest.mark.parametrize("shape", ["map", "seq", "nested", "key"])
def test_tricky_scalars_both_ways(value: str, shape: str) -> None:
    data: Any = {
        "map": {"name": value, "after": 1},
        "seq": [value, "after"],
        "nested": {"a": [{"b": value, "c": [value]}], "d": {"e": value}},
        "key": {value: 1, "z": [value]},
    }[shape]
    text = yamlio.dump(data)
    assert text == yamlio.pyyaml_dump(data)
    assert same(yamlio.load(text), yamlio.pyyaml_load(text))
    assert same(yamlio.load(text), data)


def test_fast_path_takes_forcelift_output() -> None:
    """The plan-shaped data forcelift writes stays on the fast path (no silent fallback)."""
    data = {
        "schema_version": "1.0",
        "as_of": "2026-11-25",
        "servers": [
            {
                "name": f"HQPLAPP{i:05d}",
                "cores": 2,
                "memory_gib": 8.0,
                "power_state": "on",
                "ips": ["10.0.0.1"],
                "tags": {},
                "notes": ("a long reason that wraps over the width of a line " * 3).strip(),
            }
            for i in range(50)
        ],
    }
    text = yamlio.dump(data)
    assert "'on'" in text and "\n    a line" in text  # quoted, and wrapped by libyaml
    assert yamlio.fast_load(text) == data


YAML_11 = """\
# a comment
a: yes
b: 017
bb: 0o17
c: 1_000
d: 1:20
e: 2026-01-01
f: ~
g: 0x1F
h: 2001-12-14t21:59:43.10-05:00
i: -.inf
j: 'quoted: yes'
k: "dq \\u00e9 \\x41"
l: [ ]
m:
- - 1
  - 2
- x: 1
  y:
  - z
n: |
  literal
   kept
o: >-
  folded
  text
p: plain that
  goes on
q:
r: 'single
  wrapped ''x'''
"""


def test_yaml_11_values_match_pyyaml() -> None:
    expected = yaml.load(YAML_11, Loader=yaml.CSafeLoader)
    assert expected["a"] is True and expected["b"] == 15 and expected["bb"] == "0o17"
    assert expected["c"] == 1000 and expected["d"] == 80
    assert expected["e"] == dt.date(2026, 1, 1)
    assert same(yamlio.load(YAML_11), expected)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",  # merge keys
        "a: !!str 1\n",  # tags
        "a: {x: 1, y: [1, 2]}\n",  # flow
        "---\na: 1\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: 1\r\nb: 2\r\n",
        "? complex\n: value\n",
        "a: 1 # trailing comment\n",
        "-   a: 1\n    b: 2\n",
        "a:\n  b\n",
        "\ufeffa: 1\n",
    ],
)
def test_outside_the_fast_path_pyyaml_reads_it(text: str) -> None:
    with pytest.raises(ValueError):
        yamlio.fast_load(text)
    assert same(yamlio.load(text), yaml.load(text, Loader=yaml.CSafeLoader))


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n b: 2\n",
        "a: [1, 2\n",
        "a: 'open\n",
        "a:\n  - 1\n  b: 2\n",
        "- a\nb: 1\n",
        "a: b: c\n",
        "a: 1\n- b\n",
        "a: @x\n",
        "a: x\x07\n",
        "a:\n\tb: 1\n",
    ],
)
def test_errors_are_pyyamls_with_the_same_line(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.load(text, Loader=yaml.CSafeLoader)
    with pytest.raises(yaml.YAMLError) as got:
        yamlio.load(text)
    assert str(got.value) == str(expected.value)
    mark = getattr(expected.value, "problem_mark", None)
    assert mark is None or got.value.problem_mark.line == mark.line  # type: ignore[attr-defined]


def test_repository_yaml_files_read_the_same() -> None:
    files = sorted(glob.glob(str(ROOT / "inventories/**/*.yaml"), recursive=True))
    files += sorted(glob.glob(str(ROOT / "tests/golden/**/*.yaml"), recursive=True))
    assert len(files) > 10
    fast = 0
    for name in files:
        text = Path(name).read_text(encoding="utf-8")
        expected = yaml.load(text, Loader=yaml.CSafeLoader)
        assert same(yamlio.load(text), expected), name
        try:
            yamlio.fast_load(text)
            fast += 1
        except ValueError:
            pass
        assert yamlio.dump(expected) == yamlio.pyyaml_dump(expected), name
    assert fast >= 5


def test_unknown_types_go_to_pyyaml_whole() -> None:
    data = {"when": dt.date(2026, 1, 1), "t": (1, 2), "s": [{"x": dt.datetime(2026, 1, 1, 9)}]}
    assert yamlio.dump(data) == yamlio.pyyaml_dump(data)
    with pytest.raises(yaml.representer.RepresenterError):
        yamlio.pyyaml_dump({"o": object()})
    with pytest.raises(yaml.representer.RepresenterError):
        yamlio.dump({"o": object()})
    assert yamlio.dump({"when": dt.date(2026, 1, 1)}) == "when: 2026-01-01\n"


def test_tick_is_called_and_threads_keep_running() -> None:
    """A progress hook is called while a large document is written and read, and another
    thread (rich's refresh) is never starved for long."""
    data = {"servers": [{"name": f"s{i}", "cores": i, "tags": ["a", "b"]} for i in range(60_000)]}
    ticks: list[float] = []
    gaps: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        text = yamlio.dump(data, tick=lambda: ticks.append(time.perf_counter()))
        written = len(ticks)
        assert yamlio.load(text, tick=lambda: ticks.append(time.perf_counter())) == data
    finally:
        stop.set()
        watcher.join()
    assert written >= 2 and len(ticks) > written
    assert max(gaps) < 1.0


def test_plan_chunked_dump_and_validation_are_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    """planio dumps and validates a few items at a time: the same Plan, bytes and errors."""
    from forcelift.migration import chunked as chunking
    from forcelift.migration.errors import InputError
    from forcelift.migration.plan import planio
    from forcelift.migration.plan.planfile import Plan

    golden = ROOT / "tests/golden/plan/exampleshire-azure.yaml"
    text = golden.read_text(encoding="utf-8")
    monkeypatch.setattr(chunking, "CHUNK", 3)
    ticks: list[int] = []
    plan = planio.load_plan(golden, tick=lambda: ticks.append(1))
    assert ticks and plan == Plan.model_validate(yaml.load(text, Loader=yaml.CSafeLoader))
    assert planio.dump_model(plan) == plan.model_dump(mode="json")
    assert planio.plan_to_yaml(plan) == planio.HEADER + yamlio.pyyaml_dump(
        plan.model_dump(mode="json")
    )

    data = yamlio.load(text)
    data["workloads"][7]["decision"] = "teleport"
    with pytest.raises(InputError) as chunked:
        planio.plan_from_data(data)
    monkeypatch.setattr(chunking, "CHUNK", 10**9)
    with pytest.raises(InputError) as whole:
        planio.plan_from_data(data)
    assert "workloads[7]" in str(chunked.value) or "workloads.7" in str(chunked.value)
    assert str(chunked.value) == str(whole.value)
