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
