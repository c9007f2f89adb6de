"""The formulas of the derived series: one named function each (``helpers.derived`` declares which series
uses which, on which inputs).

Every function takes tidy frames (province, year, value, source_id, ...) and returns rows of province, year
and value (and vintage, where each row keeps its own). Figures from different vintages are never combined.
"""

from __future__ import annotations

import pandas as pd

from helpers.demography import components
from helpers.regions import (
    AGGREGATES,
    N_PROVINCES,
    NATIONAL,
    NORTHEAST,
    NORTHEAST_LABEL,
    PERSONS_PER_WAN,
    PROVINCES_LABEL,
    YUAN_PER_YI,
)

COLUMNS = ["province", "year", "value"]


def same_vintage(frame: pd.DataFrame, areas: tuple[str, ...]) -> pd.DataFrame:
    """Rows of ``areas`` in years where all of them are present and read in the same source.

    Figures from different yearbooks (vintages) are not combined: GDP and population are revised
    after censuses, so a ratio of an old provincial figure to a revised national one would be wrong.
    """
    rows = frame[frame["province"].isin(areas)]
    by_year = rows.groupby("year").agg(n=("province", "nunique"), sources=("source_id", "nunique"))
    keep = by_year[(by_year["n"] == len(areas)) & (by_year["sources"] == 1)].index
    return rows[rows["year"].isin(keep)]


def northeast_total(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows for 'Northeast': the sum of the three provinces in years where all three come from one source
    (one vintage); other years are left out, never patched from another source."""
    ne = same_vintage(frame, NORTHEAST)
    return ne.groupby("year", as_index=False)["value"].sum().assign(province=NORTHEAST_LABEL)


def share_of_national(frame: pd.DataFrame) -> pd.DataFrame:
    rows = same_vintage(frame, (*NORTHEAST, NATIONAL))
    total = northeast_total(rows)
    national = rows[rows["province"] == NATIONAL][["year", "value"]].rename(columns={"value": "national"})
    merged = total.merge(national, on="year", how="inner")
    return merged.assign(value=100 * merged["value"] / merged["national"])[["province", "year", "value"]]


def single_source_years(frame: pd.DataFrame, n: int = N_PROVINCES) -> set[int]:
    """Years in which all ``n`` provinces are present and every figure comes from one source."""
    provinces = frame[frame["province"] != NATIONAL]
    by_year = provinces.groupby("year").agg(k=("province", "nunique"), sources=("source_id", "nunique"))
    return set(by_year[(by_year["k"] == n) & (by_year["sources"] == 1)].index)


def complete_years(frame: pd.DataFrame, n: int = N_PROVINCES) -> set[int]:
    """Years in which all ``n`` provinces have a figure, whatever its source."""
    provinces = frame[frame["province"] != NATIONAL]
    counts = provinces.groupby("year")["province"].nunique()
    return set(counts[counts == n].index)


def northeast_over_national(frame: pd.DataFrame) -> pd.DataFrame:
    """100 × the three provinces' sum ÷ the national figure of the same file, years with both."""
    total = northeast_total(frame)
    national = frame[frame["province"] == NATIONAL][["year", "value"]].rename(columns={"value": "national"})
    merged = total.merge(national, on="year", how="inner")
    return merged.assign(value=100 * merged["value"] / merged["national"])[["province", "year", "value"]]


def shares_of_provinces(frame: pd.DataFrame, any_source: bool = False) -> pd.DataFrame:
    """Each province's (and the Northeast's) % of the 31 provinces' sum.

    Single-source years only, unless ``any_source``: then every year with all 31 figures.
    """
    years = complete_years(frame) if any_source else single_source_years(frame)
    rows = frame[(frame["province"] != NATIONAL) & frame["year"].isin(years)]
    total = rows.groupby("year")["value"].transform("sum")
    shares = rows.assign(value=100 * rows["value"] / total)[["province", "year", "value"]]
    ne = shares[shares["province"].isin(NORTHEAST)].groupby("year", as_index=False)["value"].sum()
    return pd.concat([shares, ne.assign(province=NORTHEAST_LABEL)], ignore_index=True)


def mean_population(pop: pd.DataFrame) -> pd.DataFrame:
    """Average of each year's opening and closing year-end population, single-source years only."""
    years = single_source_years(pop)
    p = pop[(pop["province"] != NATIONAL) & pop["year"].isin(years)].set_index(["province", "year"])["value"]
    opening = p.rename(lambda y: y + 1, level="year")
    mean = ((p + opening) / 2).dropna().rename("value").reset_index()
    return mean.assign(source_id="mean", unit="10,000 persons")


def sum_of(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """a + b for the province-years present in both (one source label, so single-source checks pass)."""
    merged = a.merge(b, on=["province", "year"], suffixes=("_a", "_b"))
    return merged.assign(value=merged["value_a"] + merged["value_b"], source_id="sum")[
        ["province", "year", "value", "source_id"]
    ]


def per_capita(gdp: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """GDP ÷ average of the year's opening and closing population, for single-source years only."""
    gdp_years = single_source_years(gdp)
    pop_years = single_source_years(pop)
    years = sorted(y for y in gdp_years if y in pop_years and y - 1 in pop_years)
    g = gdp[(gdp["province"] != NATIONAL) & gdp["year"].isin(years)].set_index(["province", "year"])["value"]
    mean_pop = mean_population(pop).set_index(["province", "year"])["value"].reindex(g.index)
    value = g * YUAN_PER_YI / (mean_pop * PERSONS_PER_WAN)
    out = value.rename("value").reset_index()
    # The 31 provinces together, as the national yardstick in the same vintage.
    total = g.groupby("year").sum() * YUAN_PER_YI / (mean_pop.groupby("year").sum() * PERSONS_PER_WAN)
    agg = total.rename("value").reset_index().assign(province=PROVINCES_LABEL)
    ne = g.index.get_level_values("province").isin(NORTHEAST)
    ne_total = g[ne].groupby("year").sum() * YUAN_PER_YI / (mean_pop[ne].groupby("year").sum() * PERSONS_PER_WAN)
    ne_rows = ne_total.rename("value").reset_index().assign(province=NORTHEAST_LABEL)
    return pd.concat([out, agg, ne_rows], ignore_index=True)[["province", "year", "value"]]


def relative_to_aggregate(frame: pd.DataFrame, aggregate: str = PROVINCES_LABEL) -> pd.DataFrame:
    base = frame[frame["province"] == aggregate][["year", "value"]].rename(columns={"value": "base"})
    merged = frame[frame["province"] != aggregate].merge(base, on="year")
    return merged.assign(value=100 * merged["value"] / merged["base"])[["province", "year", "value"]]


def ratio(part: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """100 × part ÷ whole for the province-years present in both."""
    merged = part.merge(whole, on=["province", "year"], suffixes=("_part", "_whole"))
    return merged.assign(value=100 * merged["value_part"] / merged["value_whole"])[["province", "year", "value"]]


def ratio_of_sums(num: pd.DataFrame, den: pd.DataFrame, factor: float = 100) -> pd.DataFrame:
    """factor × num ÷ den for each province, the Northeast and the 31 provinces together.

    Only years in which all 31 figures of each series come from one source, so that the aggregates
    (sum of numerators ÷ sum of denominators, not an average of ratios) add like with like.
    """
    years = sorted(single_source_years(num) & single_source_years(den))
    n = num[(num["province"] != NATIONAL) & num["year"].isin(years)].set_index(["province", "year"])["value"]
    d = den[(den["province"] != NATIONAL) & den["year"].isin(years)].set_index(["province", "year"])["value"]
    d = d.reindex(n.index)
    ne = n.index.get_level_values("province").isin(NORTHEAST)
    parts = [
        (factor * n / d).rename("value").reset_index(),
        (factor * n.groupby("year").sum() / d.groupby("year").sum())
        .rename("value")
        .reset_index()
        .assign(province=PROVINCES_LABEL),
        (factor * n[ne].groupby("year").sum() / d[ne].groupby("year").sum())
        .rename("value")
        .reset_index()
        .assign(province=NORTHEAST_LABEL),
    ]
    return pd.concat(parts, ignore_index=True)[["province", "year", "value"]]


def dependency(old: pd.DataFrame, young: pd.DataFrame) -> pd.DataFrame:
    merged = old.merge(young, on=["province", "year"], suffixes=("_old", "_young"))
    working = 100 - merged["value_young"] - merged["value_old"]
    return merged.assign(value=100 * merged["value_old"] / working)[["province", "year", "value"]]


EDITION_ORDER = ("nbs_portal_2025", "nbs_portal_2021", "yearbook", "first_release")


def latest_edition(frame: pd.DataFrame, order: tuple[str, ...] = EDITION_ORDER) -> pd.DataFrame:
    """For each province-year, the row of the most recent edition held (``order``, newest first).

    Rows keep their ``vintage``, so a chart of the result draws each change of edition as a break.
    """
    rank = frame["vintage"].map({v: i for i, v in enumerate(order)})
    if rank.isna().any():
        unknown = sorted(frame.loc[rank.isna(), "vintage"].unique())
        raise KeyError(f"no place in the edition order for vintage(s) {unknown}")
    best = frame.assign(_rank=rank).sort_values("_rank").drop_duplicates(["province", "year"])
    return best.drop(columns="_rank").sort_values(["province", "year"])


def province_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank of each province among the 31 (1 = highest; ties share the better rank), only in years where all
    31 are present. National and aggregate rows (China, Northeast, 31 provinces) are not ranked."""
    provinces = frame[~frame["province"].isin(AGGREGATES)]
    complete = provinces.groupby("year")["province"].transform("nunique") == N_PROVINCES
    ranked = provinces[complete].copy()
    ranked["value"] = ranked.groupby("year")["value"].rank(ascending=False, method="min")
    return ranked[COLUMNS]


# ---- the formulas named in helpers.derived (inputs in the order declared there) ---------------------
def index_minus_100(index: pd.DataFrame) -> pd.DataFrame:
    """Growth in % from an index with the preceding year = 100."""
    return index.assign(value=(index["value"] - 100).round(6))[COLUMNS]


def latest_edition_minus_100(index_all: pd.DataFrame) -> pd.DataFrame:
    """``index_minus_100`` of the most recent edition held for each province-year, keeping its vintage."""
    latest = latest_edition(index_all)
    return latest.assign(value=(latest["value"] - 100).round(6))[[*COLUMNS, "vintage"]]


def per_capita_relative(gdp: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """Computed GDP per capita in % of the 31 provinces' together."""
    return relative_to_aggregate(per_capita(gdp, pop))


def per_capita_rank(gdp: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """Rank of computed GDP per capita among the 31 provinces."""
    return province_ranks(per_capita(gdp, pop))


def share_in_sample(sample: pd.DataFrame, subgroup: pd.DataFrame) -> pd.DataFrame:
    """100 × a subgroup's count ÷ the sample's count, same province and year."""
    return ratio(subgroup, sample)


def share_of_sum(part: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """100 × part ÷ (part + other), as ``ratio_of_sums`` (provinces, the Northeast, the 31 together)."""
    return ratio_of_sums(part, sum_of(part, other))


def per_mean_population(amount: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """An amount in 100 million yuan per person of the year's average population (yuan per person)."""
    return ratio_of_sums(amount, mean_population(pop), factor=PERSONS_PER_WAN)


def natural_increase(pop: pd.DataFrame, rate: pd.DataFrame) -> pd.DataFrame:
    """Births minus deaths, from the natural growth rate and the average population."""
    return components(pop, rate).rename(columns={"natural": "value"})[COLUMNS]


def net_migration_residual(pop: pd.DataFrame, rate: pd.DataFrame) -> pd.DataFrame:
    """The change of population that natural increase does not explain."""
    return components(pop, rate).rename(columns={"migration": "value"})[COLUMNS]
