"""When did provinces' fiscal self-sufficiency fall? Year-by-year changes and their split.

Self-sufficiency is general public budget revenue ÷ general public budget expenditure (%). A fall in the
ratio of the provinces together splits exactly, in logarithms, into revenue growth minus expenditure
growth: ln(R1/E1) - ln(R0/E0) = ln(R1/R0) - ln(E1/E0). The chapter uses this to test whether one event
(the May 2016 switch from business tax to VAT) explains the fall, which it would only if the fall were
concentrated in the years around it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_COLUMNS = ("province", "year", "value")


def _wide(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = set(_COLUMNS) - set(frame.columns)
    if missing:
        raise KeyError(f"{name}: missing columns {sorted(missing)}")
    bad = frame[~(pd.to_numeric(frame["value"], errors="coerce") > 0)]
    if len(bad):
        row = bad.index[0]
        raise ValueError(
            f"{name}: row {row} ({bad.loc[row, 'province']}, {bad.loc[row, 'year']}), column 'value': "
            f"budget figures must be positive numbers, got {bad.loc[row, 'value']!r}"
        )
    return frame.pivot(index="year", columns="province", values="value").sort_index()


def yearly_changes(
    revenue: pd.DataFrame, expenditure: pd.DataFrame, provinces: list[str] | None = None
) -> pd.DataFrame:
    """For each pair of consecutive years held for every province, the number of provinces whose
    self-sufficiency fell and the change for the provinces together, split into revenue and spending.

    Columns: start, end, provinces (how many compared), fell (how many fell), ratio_start, ratio_end
    (the provinces together, %), change (points), revenue_growth and expenditure_growth (% over the
    year), log_change, log_revenue and log_expenditure (100 × natural-log changes; log_change equals
    log_revenue - log_expenditure exactly).
    """
    rev, exp = _wide(revenue, "revenue"), _wide(expenditure, "expenditure")
    if provinces is None:
        provinces = sorted(set(rev.columns) & set(exp.columns))
    years = [
        y
        for y in rev.index.intersection(exp.index)
        if rev.loc[y, provinces].notna().all() and exp.loc[y, provinces].notna().all()
    ]
    rows = []
    for a, b in zip(years, years[1:]):
        if b != a + 1:
            continue
        ratio_a = 100 * rev.loc[a, provinces] / exp.loc[a, provinces]
        ratio_b = 100 * rev.loc[b, provinces] / exp.loc[b, provinces]
        r0, r1 = rev.loc[a, provinces].sum(), rev.loc[b, provinces].sum()
        e0, e1 = exp.loc[a, provinces].sum(), exp.loc[b, provinces].sum()
        rows.append(
            {
                "start": int(a),
                "end": int(b),
                "provinces": len(provinces),
                "fell": int((ratio_b < ratio_a).sum()),
                "ratio_start": 100 * r0 / e0,
                "ratio_end": 100 * r1 / e1,
                "change": 100 * (r1 / e1 - r0 / e0),
                "revenue_growth": 100 * (r1 / r0 - 1),
                "expenditure_growth": 100 * (e1 / e0 - 1),
                "log_change": 100 * np.log((r1 / e1) / (r0 / e0)),
                "log_revenue": 100 * np.log(r1 / r0),
                "log_expenditure": 100 * np.log(e1 / e0),
            }
        )
    if not rows:
        raise ValueError("yearly_changes: no two consecutive years held for every province")
    return pd.DataFrame(rows)


def share_of_fall(changes: pd.DataFrame, start: int, end: int) -> float:
    """The share (%) of the whole period's change in the provinces' ratio that happened between the
    years ``start`` and ``end`` (both years inside the table's span)."""
    first, last = int(changes["start"].min()), int(changes["end"].max())
    if not (first <= start < end <= last):
        raise ValueError(f"share_of_fall: {start}-{end} is not inside {first}-{last}")
    total = changes["change"].sum()
    part = changes[(changes["start"] >= start) & (changes["end"] <= end)]["change"].sum()
    return float(100 * part / total)
