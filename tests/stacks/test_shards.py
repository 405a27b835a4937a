"""Sharded previews: every stack in exactly one shard, the same shards every time, balanced
within the heaviest stack's weight, a split wave's parts in one shard."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcelift.migration.plan.planio import load_plan
from forcelift.stacks.generate import render_project
from forcelift.stacks.project_writer import write_project
from forcelift.stacks.shards import (
    MAX_SHARDS,
    Shard,
    parse_shard,
    partition,
    partition_units,
    shard_count,
    shard_stacks,
    units,
)

SMALLSHIRE = Path(__file__).resolve().parents[1] / "generate" / "data" / "smallshire-plan.yaml"

weights = st.dictionaries(
    st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=8),
    st.integers(min_value=0, max_value=5_000),
    max_size=60,
)
counts = st.integers(min_value=1, max_value=12)


@given(weights, counts)
def test_every_item_is_in_exactly_one_shard(items: dict[str, int], count: int) -> None:
    shards = partition(items, count)
    assert len(shards) == count
    placed = [name for shard in shards for name in shard]
    assert sorted(placed) == sorted(items)
    assert all(list(shard) == sorted(shard) for shard in shards)


@given(weights, counts, st.randoms(use_true_random=False))
def test_the_partition_is_deterministic_whatever_the_order(
    items: dict[str, int], count: int, rng: random.Random
) -> None:
    names = list(items)
    rng.shuffle(names)
    shuffled = {name: items[name] for name in names}
    assert partition(shuffled, count) == partition(items, count)


@given(weights, counts)
def test_shards_are_balanced_within_the_heaviest_item(items: dict[str, int], count: int) -> None:
    loads = [sum(items[n] for n in shard) for shard in partition(items, count)]
    heaviest = max(items.values(), default=0)
    assert max(loads) - min(loads) <= heaviest


def test_heaviest_first_onto_the_lightest_ties_by_name_and_index() -> None:
    assert partition({"b": 5, "a": 5, "c": 4, "d": 1}, 2) == [("a", "c"), ("b", "d")]
    assert partition({"x": 3}, 3) == [("x",), (), ()]
    with pytest.raises(ValueError):
        partition({"x": 1}, 0)


@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=30),
    st.data(),
)
def test_units_are_the_connected_stacks(parents: list[int], data: st.DataObject) -> None:
    names = [f"s{i:02}" for i in range(len(parents))]
    # Each stack may read one earlier stack (a later part reads the first part).
    deps = {
        names[i]: [names[p % i]] if i and data.draw(st.booleans()) else []
        for i, p in enumerate(parents)
    }
    found = units(names, deps)
    assert sorted(n for unit in found for n in unit) == names
    where = {n: i for i, unit in enumerate(found) for n in unit}
    for name, reads in deps.items():
        assert all(where[name] == where[d] for d in reads)
    count = data.draw(counts)
    shards = partition_units(found, dict.fromkeys(names, 7), count)
    assert sorted(n for s in shards for n in s) == names
    for unit in found:  # a unit never straddles two shards
        assert sum(1 for s in shards if set(unit) & set(s)) == 1


def test_dependencies_outside_the_selection_do_not_join_units() -> None:
    names = ["w1", "w2-1", "w2-2"]
    deps = {"w1": ["lz"], "w2-1": ["lz"], "w2-2": ["lz", "w2-1"]}
    assert units(names, deps) == [("w1",), ("w2-1", "w2-2")]


@pytest.mark.parametrize(
    ("text", "shard"), [("1/1", Shard(1, 1)), ("3/5", Shard(3, 5)), (" 2 / 2 ", Shard(2, 2))]
)
def test_parse_shard(text: str, shard: Shard) -> None:
    assert parse_shard(text) == shard
    assert str(shard) == f"{shard.index}/{shard.count}"


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "0/0", "-1/2", "2", "a/b", "1/2/3", ""])
def test_parse_shard_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_shard(text)


def test_shard_count_from_the_plans_size() -> None:
    assert shard_count(0, 0) == 1
    assert shard_count(500, 3) == 1
    assert shard_count(60_000, 400) == 3  # 20,000 estimated resources a job
    assert shard_count(60_000, 2) == 2  # never more shards than units
    assert shard_count(10**9, 5_000) == MAX_SHARDS
    assert shard_count(1_000, 10, budget=100) == 10


@pytest.fixture(scope="module")
def smallshire(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("shards")
    files = render_project(load_plan(SMALLSHIRE), version="0.0.0", requirement="forcelift")
    write_project(files, directory, vendor=False)
    return directory


def test_project_shards_cover_one_clouds_waves_and_keep_parts_together(smallshire: Path) -> None:
    waves = shard_stacks(smallshire, cloud="aws", layer="wave")
    assert waves == [
        "smallshire-aws-wave-1-1",
        "smallshire-aws-wave-1-2",
        "smallshire-aws-wave-2-1",
        "smallshire-aws-wave-2-2",
        "smallshire-aws-wave-3-1",
        "smallshire-aws-wave-3-2",
        "smallshire-aws-wave-3-3",
    ]
    shards = [
        shard_stacks(smallshire, cloud="aws", layer="wave", shard=Shard(i, 3)) for i in (1, 2, 3)
    ]
    # Estimated resources: wave 3 = 44+61+50, wave 2 = 64+75, wave 1 = 54+36; Azure 31, 88, 59.
    assert shards == [waves[4:], waves[2:4], waves[:2]]
    assert shard_stacks(smallshire, cloud="aws", layer="wave", shard=Shard(1, 1)) == waves
    two = [shard_stacks(smallshire, cloud="azure", layer="wave", shard=Shard(i, 2)) for i in (1, 2)]
    assert two == [
        ["smallshire-azure-wave-2"],
        ["smallshire-azure-wave-1", "smallshire-azure-wave-3"],
    ]
    assert shard_stacks(smallshire, cloud="azure", layer="landing-zone") == [
        "smallshire-azure-landing-zone"
    ]
    assert shard_stacks(smallshire, layer="sharing") == []
