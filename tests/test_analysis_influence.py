"""helpers.analysis.influence: leverage, Cook's distance and refits without named rows."""

import numpy as np
import pandas as pd
import pytest

from helpers.analysis.influence import correlation_interval, influence_table, leave_one_out_intervals, refit_without


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


def test_a_point_off_the_line_falls_outside_its_leave_one_out_interval_and_others_do_not():
    y, x = _data(outlier=False)
    y.loc["p5"] = y.loc["p5"] - 3.0  # thirty noise standard deviations below the plane
    table = leave_one_out_intervals(y, x, ["p5", "p6"])
    assert bool(table.loc["p5", "outside"]) and table.loc["p5", "shortfall"] == pytest.approx(3.0, abs=0.3)
    assert not bool(table.loc["p6", "outside"])
    assert (table["lower"] < table["predicted"]).all() and (table["predicted"] < table["upper"]).all()
    # a wider level gives a wider interval
    wide = leave_one_out_intervals(y, x, ["p6"], level=0.99)
    assert wide.loc["p6", "upper"] - wide.loc["p6", "lower"] > table.loc["p6", "upper"] - table.loc["p6", "lower"]
    with pytest.raises(KeyError, match="Atlantis"):
        leave_one_out_intervals(y, x, ["Atlantis"])


def test_fisher_interval_matches_the_formula_and_contains_r():
    rng = np.random.default_rng(1)
    a = pd.Series(rng.normal(size=12))
    b = pd.Series(0.5 * a + rng.normal(size=12))
    out = correlation_interval(a, b)
    r = a.corr(b)
    half = 1.959963984540054 / np.sqrt(9)
    assert out["n"] == 12 and out["r"] == pytest.approx(r)
    assert out["lower"] == pytest.approx(np.tanh(np.arctanh(r) - half))
    assert out["upper"] == pytest.approx(np.tanh(np.arctanh(r) + half))
    assert out["lower"] < r < out["upper"]
    with pytest.raises(ValueError):
        correlation_interval(a.iloc[:3], b.iloc[:3])
