"""A misspelled or missing resource argument stops a run of the whole program (the mock
runtime catches both at construction; mypy catches them earlier through the typed Args)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from pulumi_azure_native import network

from forcelift.migration.plan.planfile import Plan
from forcelift.stacks.mock_runtime import run_mocked
from forcelift.stacks.program import main
from forcelift.stacks.project_reader import read_project, run_config

STACK = "exampleshire-azure-wave-1"


def _run(directory: Path) -> None:
    project = read_project(directory)
    run_mocked(
        main, project="forcelift", stack=STACK, config=run_config(project, project.stack(STACK))
    )


def test_misspelled_argument_fails(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = helpers.write_project(tmp_path, reduced_plan)
    _run(directory)  # the stack itself is fine
    monkeypatch.setattr(
        network,
        "RouteTable",
        functools.partial(network.RouteTable, disable_bgp_route_propgation=True),
    )
    with pytest.raises(TypeError, match="disable_bgp_route_propgation"):
        _run(directory)


def test_missing_required_argument_fails(
    tmp_path: Path, reduced_plan: Plan, helpers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = helpers.write_project(tmp_path, reduced_plan)
    original = network.VirtualNetworkPeering

    def without_vnet(name: str, **kwargs: Any) -> Any:
        kwargs.pop("virtual_network_name")
        return original(name, **kwargs)

    monkeypatch.setattr(network, "VirtualNetworkPeering", without_vnet)
    with pytest.raises(TypeError, match="virtual_network_name"):
        _run(directory)
