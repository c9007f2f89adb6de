"""Ranks of provinces within each year.

The same ranking as :func:`helpers.formulas.province_ranks` (1 = highest, ties share the better rank, the
aggregates of :mod:`helpers.regions` left out), returned as a year x province table for a chapter, and
strict: a year without all provinces is an error here, where the derived series skip it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.regions import AGGREGATES, N_PROVINCES


def province_ranks(
    frame: pd.DataFrame, *, exclude: Sequence[str] = AGGREGATES, ascending: bool = False, n: int | None = N_PROVINCES
) -> pd.DataFrame:
    """Rank of each province among the others in each year: a year × province table.

    ``frame`` is tidy (province, year, value). Rows for ``exclude`` (the aggregates) are dropped; with
    ``n`` set, a year is ranked only if exactly ``n`` provinces are present (a rank among fewer is a
    different statistic), otherwise ``ValueError`` names the incomplete years.
    """
    missing = {"province", "year", "value"} - set(frame.columns)
    if missing:
        raise KeyError(f"province_ranks needs columns {sorted(missing)}")
    provinces = frame[~frame["province"].isin(list(exclude))]
    if provinces.duplicated(["province", "year"]).any():
        raise ValueError("province_ranks: duplicate province-years")
    if n is not None:
        counts = provinces.groupby("year")["province"].nunique()
        short = counts[counts != n]
        if not short.empty:
            raise ValueError(
                f"province_ranks: years without {n} provinces: " + ", ".join(f"{y} ({c})" for y, c in short.items())
            )
    ranked = provinces.assign(rank=provinces.groupby("year")["value"].rank(ascending=ascending, method="min"))
    return ranked.pivot(index="year", columns="province", values="rank").astype(int)
