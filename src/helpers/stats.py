"""Least-squares fits across provinces: the line behind the scatter charts' prose and the explorers, and
regressions with controls (statsmodels, robust standard errors) where a line alone would be confounded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant


@dataclass(frozen=True)
class LineFit:
    """y ≈ intercept + slope × x over the provinces that have both values."""

    n: int
    r: float
    slope: float
    intercept: float
    residuals: pd.Series  # y minus the line, indexed like the inputs (by province)

    def predict(self, x):
        return self.intercept + self.slope * x

    def below(self, names) -> list[str]:
        """Those of ``names`` that lie below the line (in the order given)."""
        return [name for name in names if name in self.residuals.index and self.residuals[name] < 0]


def line_fit(x: pd.Series, y: pd.Series) -> LineFit:
    """Least-squares line of ``y`` on ``x``, aligned on their index (e.g. province); pairs with a gap are dropped.

    Raises ``ValueError`` when fewer than three pairs remain or either side does not vary.
    """
    pairs = pd.concat([x.rename("x"), y.rename("y")], axis=1, join="inner").dropna()
    if len(pairs) < 3 or pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        raise ValueError(f"a line needs at least three pairs that vary; got {len(pairs)}")
    slope, intercept = np.polyfit(pairs["x"], pairs["y"], 1)
    residuals = pairs["y"] - (intercept + slope * pairs["x"])
    return LineFit(
        n=len(pairs),
        r=float(pairs["x"].corr(pairs["y"])),
        slope=float(slope),
        intercept=float(intercept),
        residuals=residuals,
    )


@dataclass(frozen=True)
class Regression:
    """Ordinary least squares of y on several x, with heteroskedasticity-robust (HC1) standard errors."""

    n: int
    coef: pd.Series  # by regressor, "const" first
    se: pd.Series
    p: pd.Series
    r2: float
    residuals: pd.Series  # by the inputs' index (e.g. province)

    def below(self, names) -> list[str]:
        """Those of ``names`` whose outcome lies below the fitted value (in the order given)."""
        return [name for name in names if name in self.residuals.index and self.residuals[name] < 0]


def regression(y: pd.Series, x: pd.DataFrame) -> Regression:
    """OLS of ``y`` on the columns of ``x`` plus a constant, aligned on their index; rows with a gap dropped.

    Standard errors are HC1 (robust to unequal variances across provinces), computed by statsmodels.
    Raises ``ValueError`` with fewer than ``len(x.columns) + 3`` complete rows.
    """
    rows = x.join(y.rename("_y"), how="inner").dropna()
    if len(rows) < len(x.columns) + 3:
        raise ValueError(
            f"a regression on {len(x.columns)} variable(s) needs at least {len(x.columns) + 3} "
            f"complete rows; got {len(rows)}"
        )
    fit = OLS(rows["_y"], add_constant(rows[list(x.columns)], has_constant="add")).fit(cov_type="HC1")
    return Regression(
        n=int(fit.nobs), coef=fit.params, se=fit.bse, p=fit.pvalues, r2=float(fit.rsquared), residuals=fit.resid
    )


def before_after(frame: pd.DataFrame, province: str, year: int, window: int = 5) -> dict | None:
    """Average yearly change of a series in the ``window`` years up to ``year`` and the ``window`` years
    after it (published values only; the change between consecutive published years, per year).

    Returns ``{"before": ..., "after": ..., "n_before": ..., "n_after": ...}`` or None if either side
    has fewer than two values.
    """
    rows = frame[frame["province"] == province].dropna(subset=["value"]).set_index("year")["value"].sort_index()

    def slope(part: pd.Series) -> float | None:
        if len(part) < 2:
            return None
        return float((part.iloc[-1] - part.iloc[0]) / (part.index[-1] - part.index[0]))

    before = slope(rows[(rows.index >= year - window) & (rows.index <= year)])
    after = slope(rows[(rows.index >= year) & (rows.index <= year + window)])
    if before is None or after is None:
        return None
    return {
        "before": before,
        "after": after,
        "n_before": int(((rows.index >= year - window) & (rows.index <= year)).sum()),
        "n_after": int(((rows.index >= year) & (rows.index <= year + window)).sum()),
    }
