"""helpers.analysis.influence: leverage, Cook's distance and refits without named rows."""

import numpy as np
import pandas as pd
import pytest

from helpers.analysis.influence import influence_table, refit_without


def _data(outlier=True):
    rng = np.random.default_rng(0)
    names = [f"p{i}" for i in range(20)]
    x = pd.DataFrame({"a": rng.normal(size=20), "b": rng.normal(size=20)}, index=names)
    y = 1 + 2 * x["a"] - x["b"] + rng.normal(scale=0.1, size=20)
    if outlier:  # one far-away point that pulls the slope of a
        x.loc["p0", "a"] = 10.0
        y.loc["p0"] = -20.0
    return y, x


def test_the_far_point_has_the_highest_leverage_and_cooks_distance():
    y, x = _data()
    table = influence_table(y, x)
    assert table.index[0] == "p0"
    assert table["leverage"].idxmax() == "p0" and bool(table.loc["p0", "high_leverage"])
    # hat values sum to the number of parameters (3: constant, a, b)
    assert table["leverage"].sum() == pytest.approx(3.0)


def test_refit_without_the_outlier_recovers_the_slope():
    y, x = _data()
    assert refit_without(y, x, ["p0"]).coef["a"] == pytest.approx(2.0, abs=0.1)
    assert refit_without(y, x, ["p0"]).n == 19


def test_bad_names_and_too_few_rows_are_refused():
    y, x = _data(outlier=False)
    with pytest.raises(KeyError, match="Atlantis"):
        refit_without(y, x, ["Atlantis"])
    with pytest.raises(ValueError):
        influence_table(y.iloc[:4], x.iloc[:4])
