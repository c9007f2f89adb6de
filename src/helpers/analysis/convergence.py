"""Is a region's relative fall more than convergence? Rich provinces tend to grow more slowly than poor ones,
so a province that started rich loses relative ground even if nothing is wrong with it. This module sets
each province's change in relative GDP per person against the line the *other* provinces trace on their
starting level, and against the provinces that started nearest to it: the part of the fall that the line
does not predict (the gap) is what a planned-economy legacy, or anything else particular to the region,
would have to explain.

Changes are in log points (100 × the natural log of end ÷ start), so a fall from 150% to 100% of the
average and one from 75% to 50% count the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from helpers.stats import line_fit, regression


def _levels(relative: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    missing = [year for year in (start, end) if year not in relative.index]
    if missing:
        raise ValueError(f"no values for {', '.join(map(str, missing))}")
    both = relative.loc[[start, end]].T.dropna()
    both.columns = ["start", "end"]
    if (both <= 0).any().any():
        raise ValueError("relative levels must be positive to take logs")
    return both


def convergence_gaps(
    relative: pd.DataFrame, start: int, end: int, group: Sequence[str], exclude: Sequence[str] = ()
) -> pd.DataFrame:
    """Each province's change in relative GDP per person, and what convergence predicts for it.

    ``relative`` is wide: one row a year, one column a province (or aggregate), values relative to the
    average (any positive scale, e.g. per cent). The line of change (log points) on the starting level (log)
    is fitted over the provinces that are neither in ``group`` nor in ``exclude``; every province (the
    group included) then gets ``predicted`` (the line at its start) and ``gap`` (actual − predicted, log
    points). Returns columns ``start``, ``end``, ``change``, ``predicted``, ``gap``, ``fitted_on`` (bool),
    with the line's ``slope``, ``intercept``, ``n``, ``r`` and ``resid_sd`` (the standard deviation of the
    fitted provinces' gaps, n − 2 degrees of freedom: how far from the line a province typically lies) in
    ``.attrs``, plus ``slope_se`` (the slope's classical standard error) and ``start_min``/``start_max`` (the
    range of the fitted provinces' starting levels, so a reader can see when a prediction is projected
    beyond the data). Column ``predicted_se`` is the standard error of the line's own value at each
    province's start (resid_sd × √(1/n + (x − x̄)² / Σ(x − x̄)²)): the uncertainty of the prediction, not of
    a province's scatter around it.
    Raises ``ValueError`` if a year is missing, a level is not positive, a group member has no values,
    or fewer than three provinces remain to fit the line.
    """
    levels = _levels(relative, start, end)
    absent = [g for g in group if g not in levels.index]
    if absent:
        raise ValueError(f"no values in both years for {', '.join(absent)}")
    change = 100 * np.log(levels["end"] / levels["start"])
    log_start = np.log(levels["start"])
    pool = [p for p in levels.index if p not in set(group) | set(exclude)]
    fit = line_fit(log_start[pool], change[pool])
    out = levels.assign(change=change, predicted=fit.predict(log_start))
    out["gap"] = out["change"] - out["predicted"]
    out["fitted_on"] = out.index.isin(pool)
    resid_sd = float(np.sqrt((fit.residuals**2).sum() / (fit.n - 2))) if fit.n > 2 else float("nan")
    x = log_start[pool]
    sxx = float(((x - x.mean()) ** 2).sum())
    out["predicted_se"] = resid_sd * np.sqrt(1 / fit.n + (log_start - x.mean()) ** 2 / sxx)
    out.attrs.update(
        slope=fit.slope,
        intercept=fit.intercept,
        n=fit.n,
        r=fit.r,
        resid_sd=resid_sd,
        slope_se=resid_sd / float(np.sqrt(sxx)),
        start_min=float(levels.loc[pool, "start"].min()),
        start_max=float(levels.loc[pool, "start"].max()),
    )
    return out


def nearest_peers(relative: pd.DataFrame, start: int, end: int, province: str, pool: Sequence[str], k: int = 3):
    """The ``k`` provinces of ``pool`` whose starting level was closest to ``province``'s (in logs), with
    each one's change (log points); returns (peers frame sorted by distance, the peers' mean change).
    Raises ``ValueError`` if ``province`` has no values or the pool holds fewer than ``k`` provinces."""
    levels = _levels(relative, start, end)
    if province not in levels.index:
        raise ValueError(f"no values in both years for {province}")
    candidates = levels.loc[[p for p in pool if p in levels.index and p != province]]
    if len(candidates) < k:
        raise ValueError(f"the pool has {len(candidates)} provinces with values, fewer than {k}")
    distance = (np.log(candidates["start"]) - np.log(levels.loc[province, "start"])).abs()
    peers = candidates.assign(
        change=100 * np.log(candidates["end"] / candidates["start"]), distance=distance
    ).nsmallest(k, "distance")
    return peers, float(peers["change"].mean())


def convergence_by_phase(
    relative: pd.DataFrame, years: Sequence[int], group: Sequence[str], exclude: Sequence[str] = ()
) -> dict[tuple[int, int], pd.DataFrame]:
    """:func:`convergence_gaps` for each phase between consecutive ``years``: ``(1979, 1990, 2008)`` gives the
    phases 1979-1990 and 1990-2008, each with its own line (provinces can converge in one phase and draw
    apart in the next, which a single line over the whole span averages away). Returns a dict keyed by
    (start, end). Raises ``ValueError`` if fewer than two years are given or they are not increasing (and
    whatever :func:`convergence_gaps` raises for a phase)."""
    years = list(years)
    if len(years) < 2 or any(b <= a for a, b in zip(years, years[1:])):
        raise ValueError(f"phases need at least two increasing years, got {years}")
    return {(a, b): convergence_gaps(relative, a, b, group=group, exclude=exclude) for a, b in zip(years, years[1:])}


def placebo_groups(
    relative: pd.DataFrame,
    start: int,
    end: int,
    members: Sequence[str],
    group: Sequence[str],
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """Is a group's shortfall unusual among groups of the same size? A permutation (placebo) test for
    :func:`convergence_gaps`.

    The statistic is the mean gap of ``members`` (e.g. the three provinces of a region), each measured against
    the line fitted without ``group`` (the members and any aggregate of them) and ``exclude``. Every
    combination of ``len(members)`` provinces from that fit pool is treated the same way: the line is refitted
    without it, and its members' mean gap recorded. Comparing the group with groups of its own size, not with
    single provinces, keeps the scatter comparable (a mean of three varies less than one province), and
    refitting without each placebo keeps it from pulling the line towards itself.

    Returns one row per combination (``members`` as "A + B + C", ``mean_gap`` in log points), with
    ``actual`` (the group's mean gap), ``n`` (combinations), ``as_low`` (how many have a mean gap at or below
    ``actual``) and ``p`` ((1 + as_low) / (1 + n), one-sided: the chance of a shortfall at least this large
    among groups of this size) in ``.attrs``. Raises ``ValueError`` if a member has no values, a member is
    not in ``group``, or fewer than three provinces would remain to fit a placebo's line.
    """
    members = list(members)
    stray = [m for m in members if m not in set(group)]
    if stray:
        raise ValueError(f"members must be in group (left out of the line): {', '.join(stray)}")
    gaps = convergence_gaps(relative, start, end, group=group, exclude=exclude)
    actual = float(gaps.loc[members, "gap"].mean())
    pool = list(gaps.index[gaps["fitted_on"]])
    size = len(members)
    if len(pool) - size < 3:
        raise ValueError(f"{len(pool)} provinces in the pool leave fewer than three to fit a line without {size}")
    x = np.log(gaps.loc[pool, "start"].to_numpy(float))
    y = gaps.loc[pool, "change"].to_numpy(float)
    rows = []
    for combo in combinations(range(len(pool)), size):
        keep = np.ones(len(pool), dtype=bool)
        keep[list(combo)] = False
        slope, intercept = np.polyfit(x[keep], y[keep], 1)
        resid = y[list(combo)] - (intercept + slope * x[list(combo)])
        rows.append({"members": " + ".join(pool[i] for i in combo), "mean_gap": float(resid.mean())})
    out = pd.DataFrame(rows)
    as_low = int((out["mean_gap"] <= actual).sum())
    out.attrs.update(actual=actual, n=len(out), as_low=as_low, p=(1 + as_low) / (1 + len(out)))
    return out


def convergence_gaps_controlled(
    relative: pd.DataFrame,
    start: int,
    end: int,
    group: Sequence[str],
    controls: pd.DataFrame,
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """:func:`convergence_gaps` with other starting conditions held constant.

    The change (log points) is regressed on the log starting level *and* the columns of ``controls`` (one row
    per province or aggregate, e.g. industry's share of output in the start year, in its own units) over the
    provinces that are neither in ``group`` nor in ``exclude`` and have every value; every province with every
    value then gets ``predicted`` and ``gap`` (actual − predicted, log points), as in :func:`convergence_gaps`.
    Returns columns ``start``, ``end``, ``change``, ``predicted``, ``gap``, ``fitted_on`` and the controls, with
    ``n``, ``r2``, ``resid_sd`` (n − k − 1 degrees of freedom) and ``coef`` and ``se`` (dicts by regressor:
    ``const``, ``log_start`` and each control, in log points per unit; standard errors robust to unequal
    variances, HC1) in ``.attrs``. Raises ``ValueError`` if a year is missing, a level is not positive, a group
    member has no level or no control value, or too few provinces remain for the regression.
    """
    levels = _levels(relative, start, end)
    frame = levels.join(controls, how="left")
    absent = [g for g in group if g not in frame.index or frame.loc[g, list(controls.columns)].isna().any()]
    if absent:
        raise ValueError(f"no level or control value for {', '.join(absent)}")
    frame["change"] = 100 * np.log(frame["end"] / frame["start"])
    frame["log_start"] = np.log(frame["start"])
    regressors = ["log_start", *controls.columns]
    complete = frame.dropna(subset=regressors)
    pool = [p for p in complete.index if p not in set(group) | set(exclude)]
    fit = regression(complete.loc[pool, "change"], complete.loc[pool, regressors])
    predicted = fit.coef["const"] + sum(fit.coef[c] * complete[c] for c in regressors)
    out = complete[["start", "end", "change", *controls.columns]].assign(predicted=predicted)
    out["gap"] = out["change"] - out["predicted"]
    out["fitted_on"] = out.index.isin(pool)
    dof = fit.n - len(regressors) - 1
    resid_sd = float(np.sqrt((fit.residuals**2).sum() / dof)) if dof > 0 else float("nan")
    out.attrs.update(n=fit.n, r2=fit.r2, resid_sd=resid_sd, coef=dict(fit.coef), se=dict(fit.se))
    return out
