"""Shared fixtures for the planning engines: a small estate that shows every rule once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.plan.prices import PriceSnapshot, load_prices

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
REGENERATE = os.environ.get("FORCELIFT_REGENERATE_GOLDEN") == "1"


def load_smallshire() -> Inventory:
    return Inventory.model_validate(yaml.safe_load((DATA / "smallshire.yaml").read_text()))


@pytest.fixture(scope="session")
def smallshire() -> Inventory:
    return load_smallshire()


@pytest.fixture(scope="session")
def decisions() -> dict[str, str]:
    return yaml.safe_load((DATA / "smallshire-decisions.yaml").read_text())


@pytest.fixture(scope="session")
def azure_prices() -> PriceSnapshot:
    return load_prices(Cloud.AZURE, "uksouth")


@pytest.fixture(scope="session")
def aws_prices() -> PriceSnapshot:
    return load_prices(Cloud.AWS, "eu-west-2")


def check_golden(name: str, data: object) -> None:
    """Compare with tests/plan/data/golden/<name>; FORCELIFT_REGENERATE_GOLDEN=1 rewrites it."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path = GOLDEN / name
    if REGENERATE or not path.exists():
        path.write_text(text)
        if not REGENERATE:
            pytest.fail(f"golden file {path} was missing and has been written: review it")
    assert text == path.read_text(), f"{name} differs: review, then regenerate if intended"
