"""Graduates' pay and where they work: the talent chapter's tables.

Reads the validated ``graduate_pay_cities`` table (MyCOS survey of the 2010 bachelor's cohort, 18
cities, reported) and ranks the northeastern cities in it.
"""

from __future__ import annotations

import pandas as pd

from helpers import data

NORTHEAST = ("Liaoning", "Jilin", "Heilongjiang")


def graduate_pay(data_dir=None) -> pd.DataFrame:
    """Monthly income of 2010 graduates by city, highest first, with a rank (1 = highest) and the gap
    to the highest-paying city in per cent (negative = below)."""
    frame = data._read("graduate_pay_cities", data._dir(data_dir))
    frame = frame.sort_values("value", ascending=False, ignore_index=True)
    frame["rank"] = frame["value"].rank(ascending=False, method="min").astype(int)
    frame["vs_top"] = 100 * (frame["value"] / frame["value"].max() - 1)
    frame["northeast"] = frame["province"].isin(NORTHEAST)
    return frame


def retention_reports(data_dir=None) -> pd.DataFrame:
    """Provincial employment-report figures on graduates employed in their province of study, with the
    share recomputed from the two counts (``share_recomputed``, %) beside the printed one."""
    frame = data._read("graduate_retention", data._dir(data_dir))
    bad = frame[frame["stayed_in_province"] > frame["graduates"]]
    if not bad.empty:
        line = int(bad.index[0]) + 2
        raise data.DataError(f"graduate_retention.csv, line {line}: 'stayed_in_province' exceeds 'graduates'")
    return frame.assign(share_recomputed=100 * frame["stayed_in_province"] / frame["graduates"])


def college_stock(data_dir=None) -> pd.DataFrame:
    """Residents with a university education (大专及以上) per 100,000, by province, at the 2010 and 2020
    censuses (``college_educated_per100k``), with the change, each census's figure as a per-cent share of
    the national one (``vs_china_2010``, ``vs_china_2020``) and the 2020 rank among the 31 provinces
    (1 = most). The 2010 column is missing where no 2010 figure is held; ``China`` is the national row."""
    frame = data._read("college_educated_per100k", data._dir(data_dir))
    wide = frame.pivot(index="province", columns="year", values="value").rename(columns=lambda y: f"y{y}")
    wide = wide.reindex(columns=["y2010", "y2020"])
    china = wide.loc["China"]
    wide["change"] = wide["y2020"] - wide["y2010"]
    for year in (2010, 2020):
        wide[f"vs_china_{year}"] = 100 * wide[f"y{year}"] / china[f"y{year}"]
    provinces = wide.drop(index="China")
    wide["rank_2020"] = provinces["y2020"].rank(ascending=False, method="min")
    return wide


def weighted_share(stock: pd.Series, population: pd.Series) -> float:
    """The share (%) of residents with a university education in a group of provinces: the per-100,000
    figures weighted by each province's census count (the provinces of ``stock`` must all have a count)."""
    missing = set(stock.index) - set(population.dropna().index)
    if missing:
        raise ValueError(f"no census count for {sorted(missing)}")
    pop = population.reindex(stock.index)
    return float((stock * pop).sum() / pop.sum() / 1000)
