"""A big plan is hashed once per process: every stack's view of it (the per-wave cache folder
is named by its content) and every preview stamp share one digest."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.plan.planfile import Plan
from forcelift.stacks import plan_slice
from forcelift.stacks.preview_stamps import preview_inputs
from forcelift.stacks.project_reader import read_project


def test_views_and_stamps_of_every_stack_hash_the_plan_once(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = helpers.write_project(tmp_path, reduced_plan)
    plan = directory / "plan.yaml"
    project = read_project(directory)
    assert len(project.stacks) >= 4
    plan_slice.PLAN_CACHE.clear()
    plan_slice.cached_plan(plan)  # the full load writes the per-wave cache
    plan_slice.PLAN_CACHE.plans.clear()  # later views read the cache, as a new process would

    hashed: list[int] = []
    real = hashlib.sha256

    class Counting:
        def __init__(self, data: bytes = b"") -> None:
            self._sha = real()
            self.update(data)

        def update(self, data: bytes) -> None:
            hashed.append(len(data))
            self._sha.update(data)

        def hexdigest(self) -> str:
            return self._sha.hexdigest()

    monkeypatch.setattr(hashlib, "sha256", Counting)
    for stack in project.stacks:
        view = plan_slice.stack_view(plan, stack.cloud, stack.name)
        assert view.applications is not None  # read from the cache, not a full load
        assert preview_inputs(project, stack)["plan"]
    assert sum(hashed) < 2 * plan.stat().st_size, "the plan was hashed more than once"

    plan.write_text(plan.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    before = len(hashed)
    changed = preview_inputs(project, project.stacks[0])["plan"]
    assert changed == real(plan.read_bytes()).hexdigest()  # a changed file is hashed again
    assert len(hashed) > before
    plan_slice.PLAN_CACHE.clear()
