"""The Pulumi-side stages of a full run (generate, preview), handed to the core's pipeline.

The core (forcelift.migration.pipeline) owns the run but may not import the Pulumi side; this
object is how it reaches it. Pulumi itself loads only when a stage runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forcelift.migration.plan.planfile import Plan
    from forcelift.migration.plan.regional import RegionalPlan
    from forcelift.stacks.preview import StackResult
    from forcelift.stacks.project_writer import FileOutcome


@dataclass(frozen=True)
class PulumiStages:
    """generate + preview for `forcelift migrate` (satisfies pipeline.ProjectStages)."""

    jobs: int | None = None  # parallel preview processes (default: CPU count)
    force: bool = False  # replace files in OUT that forcelift did not write
    cache: bool = True  # reuse previews whose content key is unchanged (--no-cache: False)

    def generate(self, plan: Plan | RegionalPlan, out_dir: Path) -> list[FileOutcome]:
        from importlib.metadata import version

        from forcelift.stacks.generate import render_project, stack_plan_files
        from forcelift.stacks.plan_slice import prime_plan_cache
        from forcelift.stacks.project_writer import write_project

        files = render_project(plan, version=version("forcelift"), ci=True, source="plan.yaml")
        outcomes = write_project(files, out_dir, force=self.force, vendor=True)
        # the preview need not parse them again; a regional project's stacks read its members
        for path, member in stack_plan_files(plan).items():
            prime_plan_cache(out_dir / path, member)
        return outcomes

    def preview(self, out_dir: Path, on_done: Callable[[str], None]) -> list[StackResult]:
        from forcelift.stacks.preview import preview_project

        # a re-run (after an interrupt, or a change to a few applications) previews only the
        # stacks whose content key changed and reads the others back (preview_stamps.py)
        return preview_project(out_dir, jobs=self.jobs, on_done=on_done, resume=self.cache).stacks
