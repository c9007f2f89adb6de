"""Which provinces carry a cross-province regression: leverage, Cook's distance and refits without them.

A fit across 31 provinces can rest on two or three unusual ones (Beijing, Shanghai and Tianjin are far
richer and more private than the rest). :func:`influence_table` gives each province's leverage (how far
its regressors sit from the others'; the hat value) and Cook's distance (how much all fitted values move
when it is left out); :func:`refit_without` re-estimates without named provinces, so a chapter can say
what survives.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
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
