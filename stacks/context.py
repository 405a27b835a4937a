"""The shared stack context: what one stack's program needs (checked plan, its entry, its
config) and the naming helpers every cloud program uses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.naming import make_name
from forcelift.migration.plan.planfile import CloudPlan, CloudWorkload, Plan, StackPlan
from forcelift.migration.plan.sharing_plan import ConsumedService, HostedService, StaffAccess
from forcelift.stacks.config import NAMESPACE, StackConfig, config_problem

CRITICALITY_ORDER = ("low", "medium", "high", "critical")

_Entry = TypeVar("_Entry")


def _placed(
    entries: tuple[_Entry, ...], places: tuple[int, ...] | None
) -> list[tuple[int, _Entry]]:
    """Entries with their places in the whole plan (their own places when not sliced)."""
    return list(zip(places if places is not None else range(len(entries)), entries, strict=True))


@dataclass(frozen=True)
class StackContext:
    """Everything one stack's program needs: the checked plan, its entry and its config."""

    plan: Plan
    cloud_index: int
    stack: StackPlan
    config: StackConfig
    project: str
    stack_name: str
    plan_file: str = "plan.yaml"
    secrets: Callable[[str], Any] | None = field(default=None, compare=False)
    values: Callable[[str], str | None] | None = field(default=None, compare=False)
    indices: tuple[int, ...] | None = None  # places of cloud.workloads in the whole plan
    applications: tuple[str, ...] | None = None  # every application of the cloud
    #: places of sharing.hosted / sharing.staff_access in the whole plan (wave slices)
    hosted_places: tuple[int, ...] | None = None
    staff_places: tuple[int, ...] | None = None

    @property
    def cloud(self) -> CloudPlan:
        return self.plan.clouds[self.cloud_index]

    @property
    def slug(self) -> str:
        return self.plan.force.slug

    def path(self, *parts: str | int) -> str:
        """A path inside the plan, e.g. clouds[0].workloads[5].vms[0].size."""
        out = f"clouds[{self.cloud_index}]"
        for part in parts:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def problem(self, path: str, message: str, hint: str | None = None) -> Problem:
        return Problem(
            f"{path}: {message}",
            Location(file=self.plan_file, column=path),
            hint=hint or "re-create the plan with `forcelift plan` (do not edit it by hand)",
        )

    def error(self, path: str, message: str, hint: str | None = None) -> InputError:
        return InputError(self.problem(path, message, hint))

    def reference_name(self, stack: str) -> str:
        return f"{self.config.organization}/{self.project}/{stack}"

    def workloads(self) -> list[tuple[int, CloudWorkload]]:
        """(index in the whole plan's cloud, workload) of the workloads this context holds."""
        return _placed(self.cloud.workloads, self.indices)

    def hosted(self) -> list[tuple[int, HostedService]]:
        """(index in the whole plan's `sharing.hosted`, service) of the entries held here."""
        return _placed(self.cloud.sharing.hosted, self.hosted_places)

    def staff_access(self) -> list[tuple[int, StaffAccess]]:
        """(index in the whole plan's `sharing.staff_access`, entry) of the entries held here
        (-1 for a slice's per-method placeholders: no stack owns them)."""
        return _placed(self.cloud.sharing.staff_access, self.staff_places)

    def all_applications(self) -> list[tuple[int, str]]:
        if self.applications is not None:
            return list(enumerate(self.applications))
        return [(i, w.application) for i, w in enumerate(self.cloud.workloads)]

    def wave_workloads(self) -> list[tuple[int, CloudWorkload]]:
        """(index in the cloud plan, workload) of every workload in this stack's wave."""
        return [(i, w) for i, w in self.workloads() if w.wave == self.stack.wave]

    def stack_workloads(self) -> list[tuple[int, CloudWorkload]]:
        return [(i, w) for i, w in self.wave_workloads() if w.stack == self.stack.name]

    def consumed(self) -> list[tuple[int, ConsumedService]]:
        """(index in `sharing.consumed`, service) of the services this sharing stack reaches."""
        services = self.cloud.sharing.consumed
        return [(i, c) for i, c in enumerate(services) if c.stack == self.stack.name]

    def source_stacks(self) -> list[str]:
        """The hosts' wave stacks this sharing stack reads (sorted, each once)."""
        return sorted({c.source_stack for _, c in self.consumed() if c.source_stack})

    def first_part(self) -> str | None:
        """The stack that owns this wave's spoke, when it is not this one (split waves)."""
        wave = next((w for w in self.cloud.waves if w.number == self.stack.wave), None)
        if wave is None or not wave.stacks or wave.stacks[0] == self.stack.name:
            return None
        return wave.stacks[0]

    def secret(self, key: str) -> Any:
        """A secret config value as a secret Output; missing -> InputError naming the key."""
        value = self.secrets(key) if self.secrets is not None else None
        if value is None:
            raise InputError(
                config_problem(
                    self.stack_name,
                    f"{NAMESPACE}:{key}",
                    f"missing secret {NAMESPACE}:{key} (this stack needs it)",
                    f"`pulumi config set --secret {NAMESPACE}:{key} --stack {self.stack_name}`",
                )
            )
        return value

    def optional_secret(self, key: str) -> Any:
        return self.secrets(key) if self.secrets is not None else None

    def value(self, key: str) -> str:
        """A plain config value the engineer sets (e.g. certificateArn); missing -> InputError."""
        text = ((self.values(f"{NAMESPACE}:{key}") if self.values else None) or "").strip()
        if not text:
            raise InputError(
                config_problem(
                    self.stack_name,
                    f"{NAMESPACE}:{key}",
                    f"missing stack config {NAMESPACE}:{key} (this stack needs it)",
                    f"`pulumi config set {NAMESPACE}:{key} VALUE --stack {self.stack_name}`",
                )
            )
        return text


def sharing_stack_name(force: str, cloud: str) -> str:
    """The force's sharing stack on a cloud (docs/stack-contract.md)."""
    return f"{force}-{cloud}-sharing"


def slug(text: str, max_len: int = 40) -> str:
    """A lower-case slug for component and server names (stable hash when shortened)."""
    name = make_name("aws-rds-instance", text) if text.strip() else ""
    if len(name) <= max_len:
        return name
    digest = hashlib.sha256(text.encode()).hexdigest()[:5]
    return f"{name[: max_len - 6].rstrip('-')}-{digest}"


def component_name(application: str) -> str:
    """Pulumi name of an application's components: unique per cloud (checked)."""
    return slug(application, 40)


def entry(mapping: Any, key: str) -> Any:
    """One value of a dict-valued Output (e.g. a stack reference's map); None when absent."""
    return mapping.apply(lambda values: (values or {}).get(key))


def highest_criticality(values: Iterable[str]) -> str:
    ranked = [v for v in values if v in CRITICALITY_ORDER]
    return max(ranked, key=CRITICALITY_ORDER.index) if ranked else "medium"


def server_name(cloud: str, server: str, os: str) -> str:
    """The VM name the components use (Azure: make_name rules; AWS: a lower-case slug)."""
    if cloud == "azure":
        return make_name("azure-vm-windows" if os == "windows" else "azure-vm-linux", server)
    return slug(server, 63)
