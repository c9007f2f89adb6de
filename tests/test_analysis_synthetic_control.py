"""Synthetic control on constructed data where the true weights and the true effect are known."""

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import synthetic_control as sc

YEARS = list(range(1990, 2021))
PRE = (1990, 2002)
EFFECT = -5.0


def panel(seed: int = 1, effect: float = EFFECT) -> pd.DataFrame:
    """Eight donors on independent random walks; 'T' is 0.6 × D0 + 0.4 × D1 until 2002 and that plus
    ``effect`` from 2003 on."""
    rng = np.random.default_rng(seed)
    donors = pd.DataFrame(
        rng.normal(0, 1, (len(YEARS), 8)).cumsum(axis=0) * 3, index=YEARS, columns=[f"D{i}" for i in range(8)]
    )
    treated = 0.6 * donors["D0"] + 0.4 * donors["D1"] + np.where(np.array(YEARS) >= 2003, effect, 0.0)
    return donors.assign(T=treated)


def test_recovers_weights_and_effect():
    outcomes = panel()
    result = sc.fit(outcomes, "T", [f"D{i}" for i in range(8)], PRE)
    assert result.weights["D0"] == pytest.approx(0.6, abs=1e-3)
    assert result.weights["D1"] == pytest.approx(0.4, abs=1e-3)
    assert result.weights.sum() == pytest.approx(1.0, abs=1e-9)
    assert (result.weights >= 0).all()
    assert result.pre_rmse < 1e-3
    assert result.effect(sc.Window("post", 2003, 2020)) == pytest.approx(EFFECT, abs=1e-2)
    # a window against a reference period after the break: no further change
    assert result.effect(sc.Window("later", 2012, 2020, ref=(2003, 2011))) == pytest.approx(0.0, abs=1e-2)


def test_no_effect_gives_zero_gap():
    result = sc.fit(panel(effect=0.0), "T", [f"D{i}" for i in range(8)], PRE)
    assert result.gap.abs().max() < 1e-2


def test_weights_stay_in_simplex_when_target_is_outside_hull():
    outcomes = panel()
    outcomes["T"] = outcomes[[f"D{i}" for i in range(8)]].max(axis=1) + 10  # above every donor
    result = sc.fit(outcomes, "T", [f"D{i}" for i in range(8)], PRE)
    assert (result.weights >= -1e-12).all() and result.weights.sum() == pytest.approx(1.0)
    assert result.pre_rmse > 1  # cannot be matched: the misfit shows


def test_placebo_ranks_the_true_effect_first():
    outcomes = panel(effect=-40.0)
    donors = [f"D{i}" for i in range(8)]
    test, fits = sc.placebo_test(outcomes, "T", donors, PRE, [sc.Window("post", 2003, 2020)])
    assert set(test.table.index) == {"T", *donors}
    assert test.rank("post") == (1, 9)
    assert test.p_value("post") == pytest.approx(1 / 9)
    # a placebo is never built from the treated unit
    assert all("T" not in f.weights.index for unit, f in fits.items() if unit != "T")
    gaps = sc.placebo_gaps(fits)
    assert gaps.loc[gaps["treated"], "unit"].unique().tolist() == ["T"]


def test_placebo_filter_drops_poorly_fit_units():
    outcomes = panel(effect=-40.0)
    test, _ = sc.placebo_test(outcomes, "T", [f"D{i}" for i in range(8)], PRE, [sc.Window("post", 2003, 2020)])
    kept = test.pool(max_pre_rmse_ratio=5)
    assert "T" in kept.index
    assert (kept["pre_rmse"] <= 5 * test.table.loc["T", "pre_rmse"] + 1e-12).all()


def test_with_weights_and_its_checks():
    outcomes = panel()
    equal = sc.with_weights(outcomes, "T", {"D0": 0.5, "D1": 0.5}, PRE)
    expected = outcomes["T"] - (outcomes["D0"] + outcomes["D1"]) / 2
    pd.testing.assert_series_equal(equal.gap, expected.rename("gap"), check_names=False)
    with pytest.raises(ValueError, match="sum to one"):
        sc.with_weights(outcomes, "T", {"D0": 0.5, "D1": 0.6}, PRE)


def test_missing_value_is_named():
    outcomes = panel()
    outcomes.loc[1995, "D3"] = np.nan
    with pytest.raises(ValueError, match=r"\(1995, 'D3'\)"):
        sc.fit(outcomes, "T", [f"D{i}" for i in range(8)], PRE)
    with pytest.raises(KeyError, match="Nowhere"):
        sc.fit(outcomes, "T", ["D0", "Nowhere"], PRE)


def test_splice_keeps_late_level_and_early_changes():
    early = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0]}, index=[2003, 2004, 2005, 2006])
    late = pd.DataFrame({"A": [13.0, 15.0, 16.0]}, index=[2005, 2006, 2007])
    joined, shift = sc.splice(early, late, 2005)
    assert shift["A"] == pytest.approx(10.0)
    assert joined["A"].tolist() == [11.0, 12.0, 13.0, 15.0, 16.0]
    with pytest.raises(KeyError, match="2009"):
        sc.splice(early, late, 2009)


def test_charts_of_a_fit_carry_a_dropdown_and_metadata():
    from helpers import charts

    outcomes = panel()
    donors = [f"D{i}" for i in range(8)]
    test, fits = sc.placebo_test(outcomes, "T", donors, PRE, [sc.Window("post", 2003, 2020)])
    paths = fits["T"].paths().assign(unit="T", segment=0)
    events = pd.DataFrame({"start": [2003], "label": ["2003: programme"]})
    chart = charts.comparison_chart(
        paths, events, y_title="log points", title="A finding", description="d", source="s", initial="T"
    )
    spec = chart.to_dict()
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert params and params[0]["bind"]["input"] == "select"
    assert spec["usermeta"]["dongbei"]["source"] == "s"
    with pytest.raises(ValueError, match="at most"):
        charts.comparison_chart(
            paths.assign(series=paths["series"] + paths["year"].astype(str)),
            events,
            y_title="y",
            title="t",
            description="d",
            source="s",
            initial="T",
        )
    with pytest.raises(ValueError, match="initial"):
        charts.comparison_chart(paths, events, y_title="y", title="t", description="d", source="s", initial="X")
    gaps = sc.placebo_gaps(fits).assign(segment=0)
    placebo = charts.placebo_chart(
        gaps, events, y_title="gap", title="A finding", description="d", source="s", treated_label="T"
    ).to_dict()
    assert placebo["description"] == "d"
    with pytest.raises(KeyError, match="segment"):
        charts.placebo_chart(
            gaps.drop(columns="segment"), events, y_title="g", title="t", description="d", source="s", treated_label="T"
        )


def test_p_against_counts_the_treated_unit_once():
    assert sc.p_against(-10.0, [1.0, -2.0, 3.0]) == pytest.approx(1 / 4)
    assert sc.p_against(-2.0, [1.0, -2.0, 3.0]) == pytest.approx(3 / 4)  # |−2| and |3| are as extreme
    assert sc.p_against(2.0, [1.0, 5.0, 3.0], absolute=False) == pytest.approx(3 / 4)
    assert sc.p_against(-2.0, [1.0, 5.0], absolute=False) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="no placebo"):
        sc.p_against(1.0, [np.nan])


def test_aggregate_placebos_exclude_their_members_and_rank_a_true_effect():
    donors = [f"D{i}" for i in range(8)]
    outcomes = panel(effect=-40.0)
    window = sc.Window("post", 2003, 2020)
    table = sc.aggregate_placebos(outcomes, donors, PRE, [window], size=3)
    assert len(table) == 56  # 8 choose 3
    assert {"members", "pre_rmse", "effect_post", "ratio_post"} <= set(table.columns)
    # an aggregate of donors has no effect of its own: the treated unit's large effect stands out
    effect = sc.fit(outcomes, "T", donors, PRE).effect(window)
    assert sc.p_against(effect, table["effect_post"]) == pytest.approx(1 / 57)
    # a member is never a donor to its own aggregate: an aggregate of D0, D1, D2 fit with them would be exact
    row = table.set_index("members").loc["D0 + D1 + D2"]
    assert row["pre_rmse"] > 1e-3
    with pytest.raises(ValueError, match="size"):
        sc.aggregate_placebos(outcomes, donors, PRE, [window], size=7)


def test_aggregate_placebos_match_the_frame_estimator():
    """The array path inside aggregate_placebos gives what fit() gives for the same averaged unit, including a
    window against its own reference period and a donor missing outside the fit years."""
    donors = [f"D{i}" for i in range(7)]
    outcomes = panel(seed=5)
    outcomes.loc[2019, "D6"] = np.nan  # outside the fit: the synthetic path has no value where D6 has weight
    windows = [sc.Window("post", 2003, 2020), sc.Window("late", 2012, 2020, ref=(2003, 2011))]
    table = sc.aggregate_placebos(outcomes, donors, PRE, windows, size=2).set_index("members")
    for members in [("D0", "D1"), ("D2", "D5"), ("D4", "D6")]:
        label = " + ".join(members)
        frame = outcomes[donors].assign(**{label: outcomes[list(members)].mean(axis=1, skipna=False)})
        expected = sc.fit(frame, label, [d for d in donors if d not in members], PRE)
        row = table.loc[label]
        assert row["pre_rmse"] == pytest.approx(expected.pre_rmse, rel=1e-9, abs=1e-12)
        for window in windows:
            assert row[f"effect_{window.name}"] == pytest.approx(expected.effect(window), rel=1e-9, abs=1e-12)
            ratio = expected.rmse(window.start, window.end) / expected.pre_rmse
            assert row[f"ratio_{window.name}"] == pytest.approx(ratio, rel=1e-9, abs=1e-12)
    missing = outcomes.copy()
    missing.loc[1995, "D3"] = np.nan  # inside the fit years: refused, naming the year and unit
    with pytest.raises(ValueError, match="D3"):
        sc.aggregate_placebos(missing, donors, PRE, windows, size=2)


def test_aggregates_are_smoother_than_single_placebos():
    """Independent random walks: an average of three moves less than one, so its gaps are smaller."""
    donors = [f"D{i}" for i in range(8)]
    outcomes = panel(seed=3, effect=0.0)
    window = sc.Window("post", 2003, 2020)
    singles, _ = sc.placebo_test(outcomes, "D0", donors[1:], PRE, [window])
    aggregates = sc.aggregate_placebos(outcomes, donors, PRE, [window], size=3)
    assert aggregates["effect_post"].abs().median() < singles.table["effect_post"].abs().median()


def test_sensitivity_reports_each_specification_with_its_own_pool():
    donors = tuple(f"D{i}" for i in range(8))
    outcomes = panel(effect=-40.0)
    windows = (sc.Window("post", 2003, 2020),)
    specs = [
        sc.Specification("all donors", outcomes, donors, PRE, windows),
        sc.Specification("no D0", outcomes, donors[1:], PRE, windows),
        sc.Specification("short fit", outcomes, donors, (1995, 2002), windows),
    ]
    table = sc.sensitivity("T", specs)
    assert table["specification"].tolist() == ["all donors", "no D0", "short fit"]
    assert table["donors"].tolist() == [8, 7, 8]
    assert "D0" not in table.loc[1, "weights"] and "D0 0.60" in table.loc[0, "weights"]
    assert table.loc[0, "effect_post"] == pytest.approx(EFFECT * 8, abs=0.1)
    assert table.loc[0, "p_post"] == pytest.approx(1 / 9) and table.loc[0, "p_ratio_post"] == pytest.approx(1 / 9)
    assert table.loc[2, "pre_period"] == "1995–2002"
    assert (table["ratio_post"] > 1).all()


def test_detectable_size_is_the_p_value_threshold():
    values = [
        -1.0,
        2.0,
        -3.0,
        4.0,
        5.0,
        -6.0,
        7.0,
        8.0,
        -9.0,
        10.0,
        11.0,
        -12.0,
        13.0,
        14.0,
        15.0,
        -16.0,
        17.0,
        18.0,
        19.0,
        20.0,
    ]
    threshold = sc.detectable_size(values, alpha=0.1)
    # 20 placebos: p = (1 + k) / 21 < 0.1 allows k = 1 placebo as large, so the change must exceed the second largest.
    assert threshold == pytest.approx(19.0)
    assert sc.p_against(threshold + 1e-6, values) < 0.1 <= sc.p_against(threshold, values)
    assert sc.detectable_size(values, alpha=0.2) == pytest.approx(17.0)  # (1 + 3) / 21 < 0.2
    with pytest.raises(ValueError, match="cannot give"):
        sc.detectable_size([1.0, 2.0, 3.0], alpha=0.1)


def test_consistent_effects_inverts_the_test():
    values = [float(v) for v in range(1, 21)]  # threshold 19 at alpha 0.1
    low, high = sc.consistent_effects(-23.0, values, alpha=0.1)
    assert (low, high) == (pytest.approx(-42.0), pytest.approx(-4.0))
    # An effect inside the interval leaves an error the placebos reach; one outside does not.
    assert sc.p_against(-23.0 - (-10.0), values) >= 0.1 and sc.p_against(-23.0 - 0.0, values) < 0.1


def test_weighted_characteristic_uses_the_twins_weights():
    years = [2000, 2001]
    outcomes = pd.DataFrame({"T": [2.0, 2.0], "A": [1.0, 1.0], "B": [4.0, 4.0]}, index=years)
    twin = sc.with_weights(outcomes, "T", {"A": 2 / 3, "B": 1 / 3}, (2000, 2001))
    assert sc.weighted_characteristic(twin, {"A": 30.0, "B": 60.0, "C": 99.0}) == pytest.approx(40.0)
    # A donor with no weight needs no value; one with weight does.
    zero = sc.with_weights(outcomes, "T", {"A": 1.0, "B": 0.0}, (2000, 2001))
    assert sc.weighted_characteristic(zero, {"A": 30.0}) == pytest.approx(30.0)
    with pytest.raises(ValueError, match="B"):
        sc.weighted_characteristic(twin, {"A": 30.0})


def test_chain_volumes_forward_and_back():
    index = pd.DataFrame(
        {"A": [110.0, 105.0, 120.0, 90.0], "B": [100.0, 100.0, 100.0, np.nan]}, index=[2005, 2006, 2007, 2008]
    )
    base = pd.Series({"A": 200.0, "B": 50.0, "C": 1.0})
    volumes = sc.chain_volumes(base, index, 2006)
    assert list(volumes.columns) == ["A", "B"]
    assert volumes.loc[2006, "A"] == pytest.approx(200.0)
    assert volumes.loc[2007, "A"] == pytest.approx(240.0)
    assert volumes.loc[2008, "A"] == pytest.approx(216.0)
    assert volumes.loc[2005, "A"] == pytest.approx(200.0 / 1.05)  # 2006's index links 2005 to 2006
    assert volumes.loc[2007, "B"] == pytest.approx(50.0) and np.isnan(volumes.loc[2008, "B"])
    with pytest.raises(KeyError):
        sc.chain_volumes(base, index, 2010)


def test_predictor_pulls_the_weights_toward_a_matching_characteristic():
    # Two donors track the treated unit's path equally well (D8 duplicates D0), but only D8 shares its
    # characteristic: with the predictor, the weight moves from D0 to D8; with weight 0, the plain fit.
    outcomes = panel()
    outcomes["D8"] = outcomes["D0"]
    donors = [f"D{i}" for i in range(9)]
    share = pd.Series({**{d: 30.0 for d in donors}, "D8": 50.0, "T": 50.0 * 0.6 + 30.0 * 0.4})
    matched = sc.fit(outcomes, "T", donors, PRE, share, 10.0)
    assert matched.weights["D8"] == pytest.approx(0.6, abs=1e-3) and matched.weights["D0"] < 1e-3
    assert matched.pre_rmse < 1e-3  # the path is still matched: the predictor chose among equal fits
    plain = sc.fit(outcomes, "T", donors, PRE)
    ignored = sc.fit(outcomes, "T", donors, PRE, share, 0.0)
    assert np.allclose(ignored.weights.reindex(donors), plain.weights.reindex(donors), atol=1e-6)
    # the placebo test passes the predictor to every fit; a missing value is named
    test, fits = sc.placebo_test(outcomes, "T", donors, PRE, [sc.Window("post", 2003, 2020)], share, 10.0)
    assert fits["T"].weights["D8"] == pytest.approx(0.6, abs=1e-3)
    with pytest.raises(KeyError, match="D3"):
        sc.fit(outcomes, "T", donors, PRE, share.drop("D3"))
    with pytest.raises(ValueError, match="non-negative"):
        sc.fit(outcomes, "T", donors, PRE, share, -1.0)


def test_predictor_trades_path_fit_for_the_characteristic():
    # When no donor mix matches both, a heavier predictor weight matches the characteristic more closely and
    # the path less closely.
    outcomes = panel()
    donors = [f"D{i}" for i in range(8)]
    share = pd.Series({**{d: 30.0 for d in donors}, "D7": 60.0, "T": 45.0})
    fits = [sc.fit(outcomes, "T", donors, PRE, share, w) for w in (0.0, 0.5, 50.0)]
    misses = [abs(sc.weighted_characteristic(f, share) - 45.0) for f in fits]
    assert misses[0] > misses[1] > misses[2] and misses[2] < 0.5
    assert fits[0].pre_rmse < fits[1].pre_rmse < fits[2].pre_rmse
