"""Least-squares lines across provinces: the one fit behind the scatter charts' prose and the explorers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


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
    return LineFit(n=len(pairs), r=float(pairs["x"].corr(pairs["y"])), slope=float(slope),
                   intercept=float(intercept), residuals=residuals)
