"""Currency: the recorded rate, --fx-rate, converted snapshots, and plans in pounds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.plan.currency import VAT_NOTE, conversion, convert_snapshot, factor
from forcelift.migration.plan.prices import load_prices

SAMPLE = Path(__file__).parents[2] / "inventories" / "exampleshire"


def test_the_shipped_gbp_rate_is_dated_and_sourced() -> None:
    conv = conversion("gbp")
    assert conv.currency == "GBP" and conv.rate == 0.8202
    text = conv.text()
    assert text.startswith("converted from USD at 0.8202 GBP/USD, rate of 2023-03-31")
    assert "HMRC" in text
    assert conversion("USD").rate == 1 and not conversion("USD").converted


def test_a_currency_without_a_recorded_rate_needs_fx_rate() -> None:
    with pytest.raises(InputError) as err:
        conversion("EUR")
    assert "--fx-rate" in (err.value.problems[0].hint or "")
    given = conversion("EUR", 0.92)
    assert given.rate == 0.92 and "--fx-rate" in given.text()
    with pytest.raises(InputError, match="unknown currency"):
        conversion("JPY")


def test_converting_a_snapshot_scales_money_but_not_fractions() -> None:
    usd = load_prices(Cloud.AZURE, "uksouth")
    gbp = convert_snapshot(usd, conversion("GBP", 0.5))
    assert gbp.snapshot.currency == "GBP"
    assert gbp.tables["vm"].prices["Standard_D2s_v5"] == pytest.approx(
        usd.tables["vm"].prices["Standard_D2s_v5"] * 0.5
    )
    assert gbp.tables["vm"].unit.startswith("GBP")
    assert gbp.tables["vm_commitment"] == usd.tables["vm_commitment"]
    assert "converted from USD at 0.5" in (gbp.tables["vm"].method or "")
    assert factor("GBP", conversion("GBP")) == 1.0
    assert factor("GBP", conversion("USD")) == pytest.approx(1 / 0.8202)


def _plan(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / f"plan-{'-'.join(args) or 'default'}.yaml"
    result = CliRunner().invoke(
        cli, ["plan", str(SAMPLE), "--as-of", "2026-11-25", "-o", str(out), "-q", *args]
    )
    assert result.exit_code == 0, result.output
    return yaml.safe_load(out.read_text())


def test_plans_are_in_pounds_by_default_and_say_how(tmp_path: Path) -> None:
    gbp = _plan(tmp_path)
    usd = _plan(tmp_path, "--currency", "USD")
    assert gbp["pricing"]["currency"] == "GBP" and gbp["pricing"]["vat_included"] is False
    assert gbp["pricing"]["vat_note"] == VAT_NOTE and "section 33" in VAT_NOTE
    assert "0.8202 GBP/USD" in gbp["clouds"][0]["price_snapshot"]
    assert gbp["clouds"][0]["cost"]["currency"] == "GBP"
    ratio = gbp["onprem"]["cost"]["annual"] / usd["onprem"]["cost"]["annual"]
    assert ratio == pytest.approx(0.8202, rel=1e-4)
    cloud = (
        gbp["clouds"][0]["cost"]["monthly"]["payg"] / usd["clouds"][0]["cost"]["monthly"]["payg"]
    )
    assert cloud == pytest.approx(0.8202, rel=1e-3)
    sources = {s["table"]: s for s in gbp["clouds"][0]["price_sources"]}
    assert sources["vm"]["unit"].startswith("GBP") and sources["vm"]["taken"]
    assert "converted from USD" in sources["vm"]["method"]
    assert "converted" not in sources["vm_commitment"]["method"]
    euro = _plan(tmp_path, "--currency", "EUR", "--fx-rate", "0.9")
    assert euro["pricing"]["rate"] == 0.9 and euro["clouds"][0]["cost"]["currency"] == "EUR"
