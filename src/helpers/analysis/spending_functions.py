"""What do provincial budgets spend on? Three functions of local budget expenditure, compared across provinces.

The book holds local general public budget expenditure in total and on three functions (education; science
and technology; agriculture, forestry and water) for the 31 provinces. For one year this module gives each
function's share of the province's budget spending (%) and its amount per resident (yuan), the same ratios
for the Northeast and the 31 provinces together (ratios of sums), each province's rank among the 31, and an
exact randomisation test for the three northeastern provinces: among all groups of three provinces, how many
have an average as low (or as high) as theirs. With three provinces out of 31 a t-test's standard error
would rest on three values; the randomisation test needs no distributional assumption and says only how
unusual the group is among the provinces themselves, not why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd

YUAN_PER_YI = 1e8  # budget figures are in 100 million yuan (亿元)
PERSONS_PER_WAN = 1e4  # population in 10,000 persons (万人)


def _one_year(frame: pd.DataFrame, year: int, name: str, provinces: Sequence[str]) -> pd.Series:
    missing = {"province", "year", "value"} - set(frame.columns)
    if missing:
        raise KeyError(f"{name}: missing columns {sorted(missing)}")
    part = frame[(frame["year"] == year) & frame["province"].isin(provinces)].set_index("province")["value"]
    absent = [p for p in provinces if p not in part.index]
    if absent:
        raise ValueError(f"{name}: no value for {', '.join(absent)} in {year}")
    return part.reindex(list(provinces)).astype(float)


def function_table(
    functions: Mapping[str, pd.DataFrame],
    total: pd.DataFrame,
    population: pd.DataFrame,
    year: int,
    provinces: Sequence[str],
    groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One row per province (and per group in ``groups``, as ratios of sums), for one year.

    Columns, for each function ``f``: ``f_share`` (100 × spending on f ÷ total budget spending),
    ``f_per_resident`` (yuan per year-end resident), ``f_share_rank`` and ``f_per_resident_rank``
    (1 = highest among ``provinces``; empty for groups); and ``total_per_resident``. All frames are tidy
    (``province``, ``year``, ``value``): budgets in 100 million yuan, population in 10,000 persons.
    """
    provinces = list(provinces)
    tot = _one_year(total, year, "total", provinces)
    pop = _one_year(population, year, "population", provinces)
    amounts = {f: _one_year(frame, year, f, provinces) for f, frame in functions.items()}
    for f, amount in amounts.items():
        over = amount[amount > tot]
        if len(over):
            raise ValueError(f"{f}: spending above the total in {year} for {', '.join(over.index)}")
    rows = {}
    for label, members in [(p, [p]) for p in provinces] + list((groups or {}).items()):
        members = list(members)
        row = {"total_per_resident": tot[members].sum() * YUAN_PER_YI / (pop[members].sum() * PERSONS_PER_WAN)}
        for f, amount in amounts.items():
            row[f"{f}_share"] = 100 * amount[members].sum() / tot[members].sum()
            row[f"{f}_per_resident"] = amount[members].sum() * YUAN_PER_YI / (pop[members].sum() * PERSONS_PER_WAN)
        rows[label] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    for f in amounts:
        for col in (f"{f}_share", f"{f}_per_resident"):
            out[f"{col}_rank"] = out.loc[provinces, col].rank(ascending=False, method="min").astype("Int64")
    out.index.name = "province"
    return out


@dataclass(frozen=True)
class GroupTest:
    """Exact randomisation test of a group's mean against every group of the same size."""

    observed: float  # the group's mean of the provinces' values
    n_groups: int  # how many groups of that size the provinces allow
    p_low: float  # share of groups whose mean is at or below the observed one
    p_high: float  # share of groups whose mean is at or above the observed one
    others_median: float  # median of the provinces outside the group

    @property
    def p_two_sided(self) -> float:
        return min(1.0, 2 * min(self.p_low, self.p_high))


def group_test(values: pd.Series, group: Sequence[str]) -> GroupTest:
    """Compare the mean of ``values`` over ``group`` with the means of all groups of the same size.

    ``values`` is indexed by province (one value each, no gaps). The test enumerates every group: with 31
    provinces and a group of three there are 4,495.
    """
    group = list(group)
    if values.isna().any():
        raise ValueError(f"no value for {', '.join(values.index[values.isna()])}")
    absent = [g for g in group if g not in values.index]
    if absent:
        raise KeyError(f"not among the values: {', '.join(absent)}")
    x = values.to_numpy(dtype=float)
    k = len(group)
    means = np.fromiter((x[list(c)].mean() for c in combinations(range(len(x)), k)), float, comb(len(x), k))
    observed = float(values[group].mean())
    tol = 1e-9 * max(1.0, abs(observed))
    return GroupTest(
        observed=observed,
        n_groups=len(means),
        p_low=float((means <= observed + tol).mean()),
        p_high=float((means >= observed - tol).mean()),
        others_median=float(values.drop(group).median()),
    )
