"""Harbin's ice-and-snow tourism as the city reported it: holiday and season figures of visits and spending.

The figures are the city's own big-data estimates, quoted through Xinhua; they count trips (residents of the
province included) and visitors' spending, not value added. ``implied_previous`` backs out the year-earlier
figure from a reported year-on-year change, which is how the 2023-24 season is read from the 2024-25 report.
"""

from __future__ import annotations

import os

import pandas as pd

from helpers import data

RESOURCE = "harbin_tourism"


def load(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The validated table (period, start, end, indicator, value, unit, change_pct, source_id, status, note)."""
    return data._read(RESOURCE, data._dir(data_dir))


def row(frame: pd.DataFrame, period: str, indicator: str) -> pd.Series:
    """One reported figure; ``KeyError`` naming what was asked for if the table has no such row."""
    rows = frame[(frame["period"] == period) & (frame["indicator"] == indicator)]
    if len(rows) != 1:
        raise KeyError(f"{RESOURCE}.csv has no single row for {period!r}, {indicator!r}")
    return rows.iloc[0]


def implied_previous(value: float, change_pct: float) -> float:
    """The year-earlier figure a reported change implies: value / (1 + change/100)."""
    if change_pct <= -100:
        raise ValueError(f"a change of {change_pct}% leaves nothing to divide by")
    return value / (1 + change_pct / 100)
