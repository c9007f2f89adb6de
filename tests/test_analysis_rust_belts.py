"""The other-rust-belts table loads with provenance, and falls are computed from its rows."""

import pytest

from helpers import data
from helpers.analysis import rust_belts


def test_table_loads_with_known_sources():
    table = rust_belts.load()
    assert len(table) >= 10
    assert set(table["source_id"]) <= set(data.sources()["source_id"])
    assert set(table["status"]) <= {"verified", "reported", "derived", "estimate"}


def test_fall_of_ruhr_coal_employment():
    table = rust_belts.load()
    result = rust_belts.fall(table, "Ruhr", "coal mining workforce", 1955, 1980)
    first = rust_belts.value(table, "Ruhr", "coal mining workforce", 1955)
    last = rust_belts.value(table, "Ruhr", "coal mining workforce", 1980)
    assert result["lost"] == first - last
    assert result["pct_lost"] == pytest.approx(100 * (1 - last / first))
    # compounding the yearly rate over 25 years gives back the total fall
    assert (1 - result["yearly_pct"] / 100) ** 25 == pytest.approx(last / first)


def test_missing_row_is_named():
    with pytest.raises(KeyError, match="Atlantis"):
        rust_belts.value(rust_belts.load(), "Atlantis", "coal mining workforce", 1955)
