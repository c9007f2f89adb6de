"""Other rust belts: the dated figures on the Ruhr, the British coalfields and Pittsburgh that the revival
chapter sets beside the Northeast, and how far each series fell between two dated years."""

from __future__ import annotations

import os

import pandas as pd

from helpers import data

RESOURCE = "other_rust_belts"


def load(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The validated table (region, country, indicator, year, value, unit, source_id, status, note)."""
    return data._read(RESOURCE, data._dir(data_dir))


def value(frame: pd.DataFrame, region: str, indicator: str, year: int) -> float:
    """One figure; ``KeyError`` naming what was asked for if the table has no such row."""
    rows = frame[(frame["region"] == region) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    if len(rows) != 1:
        raise KeyError(f"{RESOURCE}.csv has no single row for {region!r}, {indicator!r}, {year}")
    return float(rows["value"].iloc[0])


def fall(frame: pd.DataFrame, region: str, indicator: str, start: int, end: int) -> dict:
    """How far a series fell from ``start`` to ``end``: both values, the number lost, the % lost and the
    average yearly rate of decline (compound, %)."""
    first, last = value(frame, region, indicator, start), value(frame, region, indicator, end)
    if end <= start or first <= 0:
        raise ValueError(f"fall needs start < end and a positive first value; got {start}-{end}, {first}")
    return {
        "region": region,
        "indicator": indicator,
        "start": start,
        "end": end,
        "first": first,
        "last": last,
        "lost": first - last,
        "pct_lost": 100 * (1 - last / first),
        "yearly_pct": 100 * (1 - (last / first) ** (1 / (end - start))),
    }
