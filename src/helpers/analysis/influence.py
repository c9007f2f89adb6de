"""Which provinces carry a cross-province regression: leverage, Cook's distance and refits without them.

A fit across 31 provinces can rest on two or three unusual ones (Beijing, Shanghai and Tianjin are far
richer and more private than the rest). :func:`influence_table` gives each province's leverage (how far
its regressors sit from the others'; the hat value) and Cook's distance (how much all fitted values move
when it is left out); :func:`refit_without` re-estimates without named provinces, so a chapter can say
what survives. :func:`leave_one_out_intervals` asks whether a named province lies outside what the fit
on all the others predicts for it (a 95% prediction interval), and :func:`correlation_interval` puts a
Fisher-z confidence interval on a correlation across few provinces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.outliers_influence import OLSInfluence
from statsmodels.tools.tools import add_constant

from helpers.stats import Regression, regression


def _rows(y: pd.Series, x: pd.DataFrame) -> pd.DataFrame:
    rows = x.join(y.rename("_y"), how="inner").dropna()
    if len(rows) < len(x.columns) + 3:
        raise ValueError(f"influence needs at least {len(x.columns) + 3} complete rows; got {len(rows)}")
    return rows


def influence_table(y: pd.Series, x: pd.DataFrame) -> pd.DataFrame:
    """Per row of the OLS of ``y`` on ``x`` (plus a constant): ``leverage`` (hat value), ``cooks_d``,
    ``residual`` and ``high_leverage`` (leverage above twice the mean, 2k/n, the usual rule of thumb),
    sorted by Cook's distance, largest first. Rows with a gap are dropped, as in :func:`helpers.stats.regression`.
    """
    rows = _rows(y, x)
    fit = OLS(rows["_y"], add_constant(rows[list(x.columns)], has_constant="add")).fit()
    infl = OLSInfluence(fit)
    k, n = fit.df_model + 1, fit.nobs
    table = pd.DataFrame(
        {"leverage": infl.hat_matrix_diag, "cooks_d": infl.cooks_distance[0], "residual": fit.resid}, index=rows.index
    )
    table["high_leverage"] = table["leverage"] > 2 * k / n
    return table.sort_values("cooks_d", ascending=False)


def refit_without(y: pd.Series, x: pd.DataFrame, drop: Sequence[str]) -> Regression:
    """:func:`helpers.stats.regression` (HC1 errors) without the rows named in ``drop``.

    Raises ``KeyError`` naming any of ``drop`` that is not among the rows.
    """
    absent = [name for name in drop if name not in x.index]
    if absent:
        raise KeyError(f"not in the regression's rows: {', '.join(absent)}")
    keep = ~x.index.isin(list(drop))
    return regression(y[y.index.isin(x.index[keep])], x[keep])


def leave_one_out_intervals(y: pd.Series, x: pd.DataFrame, names: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """For each of ``names``: refit the OLS of ``y`` on ``x`` (plus a constant) without that row, predict the
    row from its own ``x``, and give the prediction interval for a new observation at ``level``
    (statsmodels ``get_prediction``; classical errors, t distribution).

    Columns: ``actual``, ``predicted``, ``lower``, ``upper``, ``shortfall`` (predicted minus actual) and
    ``outside`` (True when the actual value lies outside the interval). Leaving the row out keeps it from
    pulling the fit towards itself. Raises ``KeyError`` for a name not among the complete rows.
    """
    rows = _rows(y, x)
    absent = [name for name in names if name not in rows.index]
    if absent:
        raise KeyError(f"not in the regression's rows: {', '.join(absent)}")
    cols = list(x.columns)
    out = []
    for name in names:
        rest = rows.drop(index=name)
        fit = OLS(rest["_y"], add_constant(rest[cols], has_constant="add")).fit()
        point = pd.DataFrame([[1.0, *rows.loc[name, cols]]], columns=["const", *cols])
        frame = fit.get_prediction(point).summary_frame(alpha=1 - level)
        actual, predicted = float(rows.loc[name, "_y"]), float(frame["mean"].iloc[0])
        lower, upper = float(frame["obs_ci_lower"].iloc[0]), float(frame["obs_ci_upper"].iloc[0])
        out.append(
            {
                "actual": actual,
                "predicted": predicted,
                "lower": lower,
                "upper": upper,
                "shortfall": predicted - actual,
                "outside": not (lower <= actual <= upper),
            }
        )
    return pd.DataFrame(out, index=list(names))


def correlation_interval(x: pd.Series, y: pd.Series, level: float = 0.95) -> dict:
    """Pearson correlation of ``x`` and ``y`` (aligned on their index, pairs with a gap dropped) with a
    Fisher-z confidence interval at ``level``: ``{"r", "lower", "upper", "n"}``.

    The interval is approximate (it assumes roughly bivariate-normal data) and wide for small n: with 12
    pairs a correlation of 0.5 is compatible with anything from about -0.1 to 0.8. Raises ``ValueError``
    with fewer than four pairs (the standard error is 1/sqrt(n - 3)).
    """
    pairs = pd.concat([x.rename("x"), y.rename("y")], axis=1, join="inner").dropna()
    n = len(pairs)
    if n < 4:
        raise ValueError(f"a correlation interval needs at least four pairs; got {n}")
    r = float(pairs["x"].corr(pairs["y"]))
    z, half = np.arctanh(r), norm.ppf(0.5 + level / 2) / np.sqrt(n - 3)
    return {"r": r, "lower": float(np.tanh(z - half)), "upper": float(np.tanh(z + half)), "n": n}
