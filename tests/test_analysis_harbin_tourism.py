"""Harbin's reported tourism figures: the table loads, each figure is found once, and a change inverts."""

import pandas as pd
import pytest

from helpers.analysis import harbin_tourism as ht


def test_table_loads_with_sources_and_status():
    frame = ht.load()
    assert len(frame) >= 8
    assert set(frame["status"]) == {"reported"}
    season = ht.row(frame, "Winter season 2024-25", "tourism revenue")
    assert season["unit"] == "billion yuan" and season["value"] > 0


def test_row_names_what_is_missing():
    frame = pd.DataFrame({"period": ["A", "A"], "indicator": ["x", "x"], "value": [1.0, 2.0]})
    with pytest.raises(KeyError, match="'A', 'x'"):
        ht.row(frame, "A", "x")  # two rows: not a single figure
    with pytest.raises(KeyError, match="'B'"):
        ht.row(frame, "B", "x")


def test_implied_previous_inverts_a_change():
    assert ht.implied_previous(116.6, 16.6) == pytest.approx(100.0)
    assert ht.implied_previous(50.0, -50.0) == pytest.approx(100.0)
    with pytest.raises(ValueError):
        ht.implied_previous(1.0, -100.0)
