"""A group of provinces' share of the 31 provinces' total, computed within one edition (vintage) at a time.

Used for the Northeast's share of China's output and of its people over the long run: each edition of the
statistics gives its own line, and a year enters only when all 31 provinces have a figure in that edition,
so a share is never built from figures of different vintages or from an incomplete sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

PROVINCE_COUNT = 31


def group_share(frame: pd.DataFrame, members: Sequence[str], provinces: Sequence[str]) -> pd.DataFrame:
    """Percentage share of ``members`` in the sum over ``provinces``, per year and vintage.

    ``frame`` is a tidy series (``province``, ``year``, ``value``, and ``vintage`` if it holds several
    editions); rows for other areas (``China``, aggregates) are ignored. Returns ``vintage``, ``year`` and
    ``value`` (per cent), only for year-vintage pairs where every one of ``provinces`` has a value.
    Raises ``ValueError`` if a member is not among ``provinces`` or no year is complete.
    """
    provinces = list(provinces)
    stray = [m for m in members if m not in provinces]
    if stray:
        raise ValueError(f"members not among the provinces summed: {', '.join(stray)}")
    rows = frame[frame["province"].isin(provinces)].dropna(subset=["value"])
    if "vintage" not in rows:
        rows = rows.assign(vintage="single")
    dupes = rows.duplicated(["vintage", "year", "province"])
    if dupes.any():
        first = rows[dupes].iloc[0]
        raise ValueError(f"two values for {first['province']} in {first['year']} ({first['vintage']})")
    grouped = rows.groupby(["vintage", "year"])
    complete = grouped["province"].nunique() == len(provinces)
    total = grouped["value"].sum()[complete]
    part = rows[rows["province"].isin(list(members))].groupby(["vintage", "year"])["value"].sum()
    share = (100 * part.reindex(total.index) / total).rename("value").reset_index()
    if share.empty:
        raise ValueError("no year has a value for every province")
    return share


def group_ratio(
    numerator: pd.DataFrame, denominator: pd.DataFrame, members: Sequence[str], scale: float = 100.0
) -> pd.Series:
    """``scale`` × (sum of ``numerator`` over ``members``) ÷ (sum of ``denominator`` over ``members``), by year.

    For example private jobs per 100 residents of a group of provinces. A year enters only if every member
    has both values. Both frames are tidy (``province``, ``year``, ``value``) in the same unit.
    Raises ``ValueError`` if no year is complete.
    """
    members = list(members)
    num = numerator[numerator["province"].isin(members)].pivot_table(index="year", columns="province", values="value")
    den = denominator[denominator["province"].isin(members)].pivot_table(
        index="year", columns="province", values="value"
    )
    years = num.index.intersection(den.index)
    num, den = num.reindex(index=years, columns=members), den.reindex(index=years, columns=members)
    complete = num.notna().all(axis=1) & den.notna().all(axis=1)
    if not complete.any():
        raise ValueError(f"no year has both values for all of {', '.join(members)}")
    return (scale * num[complete].sum(axis=1) / den[complete].sum(axis=1)).rename("value")
