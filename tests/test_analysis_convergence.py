"""helpers.analysis.convergence on constructed data: a province on the others' convergence line has no gap,
one that fell further has a negative gap of the size built in, and bad input is refused."""

import numpy as np
import pandas as pd
import pytest

from helpers.analysis.convergence import convergence_gaps, nearest_peers


def _relative(starts: dict[str, float], slope: float = -0.5, extra: dict[str, float] | None = None):
    """Relative levels in 2000 and 2010 where change (log points) = slope × 100 × log(start/100) + extra."""
    extra = extra or {}
    end = {p: s * np.exp((slope * 100 * np.log(s / 100) + extra.get(p, 0.0)) / 100) for p, s in starts.items()}
    return pd.DataFrame([starts, end], index=[2000, 2010])


STARTS = {"A": 60.0, "B": 80.0, "C": 100.0, "D": 120.0, "E": 150.0, "X": 170.0}


def test_a_province_on_the_line_has_no_gap_and_the_slope_is_recovered():
    gaps = convergence_gaps(_relative(STARTS), 2000, 2010, group=["X"])
    assert gaps.attrs["slope"] == pytest.approx(-50)
    assert gaps.attrs["n"] == 5
    assert gaps["gap"].abs().max() == pytest.approx(0, abs=1e-9)
    assert not gaps.loc["X", "fitted_on"] and gaps.loc["A", "fitted_on"]


def test_a_province_that_fell_further_than_convergence_shows_the_gap_built_in():
    gaps = convergence_gaps(_relative(STARTS, extra={"X": -20.0}), 2000, 2010, group=["X"])
    assert gaps.loc["X", "gap"] == pytest.approx(-20)
    # the others are untouched: the group is left out of the fit
    assert gaps.drop("X")["gap"].abs().max() == pytest.approx(0, abs=1e-9)
    assert gaps.attrs["resid_sd"] == pytest.approx(0, abs=1e-9)


def test_the_spread_around_the_line_is_the_fitted_provinces_residual_sd():
    extra = {"A": 3.0, "B": -3.0, "C": 3.0, "D": -3.0, "E": 0.0}
    gaps = convergence_gaps(_relative(STARTS, extra={**extra, "X": -30.0}), 2000, 2010, group=["X"])
    fitted = gaps[gaps["fitted_on"]]["gap"]
    assert gaps.attrs["resid_sd"] == pytest.approx((fitted**2).sum() ** 0.5 / (len(fitted) - 2) ** 0.5)
    assert gaps.loc["X", "gap"] < -5 * gaps.attrs["resid_sd"]


def test_excluded_provinces_do_not_move_the_line():
    rel = _relative({**STARTS, "M": 300.0}, extra={"M": 80.0})
    with_m = convergence_gaps(rel, 2000, 2010, group=["X"])
    without_m = convergence_gaps(rel, 2000, 2010, group=["X"], exclude=["M"])
    assert without_m.attrs["slope"] == pytest.approx(-50)
    assert with_m.attrs["slope"] != pytest.approx(-50)


def test_nearest_peers_are_the_closest_starts_in_logs():
    rel = _relative(STARTS, extra={"E": -10.0, "D": -10.0})
    peers, mean_change = nearest_peers(rel, 2000, 2010, "X", pool=["A", "B", "C", "D", "E"], k=2)
    assert list(peers.index) == ["E", "D"]
    assert mean_change == pytest.approx(peers["change"].mean())
    assert mean_change < 0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda rel: convergence_gaps(rel, 1999, 2010, group=["X"]), "no values for 1999"),
        (lambda rel: convergence_gaps(rel, 2000, 2010, group=["Z"]), "no values in both years for Z"),
        (lambda rel: convergence_gaps(rel, 2000, 2010, group=["A", "B", "C", "D"]), "at least three"),
        (lambda rel: nearest_peers(rel, 2000, 2010, "X", pool=["A"], k=2), "fewer than 2"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call(_relative(STARTS))


def test_non_positive_levels_are_refused():
    rel = _relative(STARTS)
    rel.loc[2010, "A"] = 0.0
    with pytest.raises(ValueError, match="positive"):
        convergence_gaps(rel, 2000, 2010, group=["X"])


def test_the_prediction_se_matches_ols_and_grows_beyond_the_data():
    extra = {"A": 4.0, "B": -2.0, "C": -3.0, "D": 5.0, "E": -4.0}
    gaps = convergence_gaps(_relative(STARTS, extra={**extra, "X": -10.0}), 2000, 2010, group=["X"])
    fitted = gaps[gaps["fitted_on"]]
    x, y = np.log(fitted["start"]), fitted["change"]
    n = len(x)
    slope, intercept = np.polyfit(x, y, 1)
    s = np.sqrt(((y - intercept - slope * x) ** 2).sum() / (n - 2))
    sxx = ((x - x.mean()) ** 2).sum()
    assert gaps.attrs["slope_se"] == pytest.approx(s / np.sqrt(sxx))
    x0 = np.log(170.0)
    assert gaps.loc["X", "predicted_se"] == pytest.approx(s * np.sqrt(1 / n + (x0 - x.mean()) ** 2 / sxx))
    # smallest near the fitted provinces' mean start, larger for X, which starts beyond all of them
    assert gaps.loc["X", "predicted_se"] > fitted["predicted_se"].max()
    assert gaps.attrs["start_max"] == pytest.approx(150.0) and gaps.attrs["start_min"] == pytest.approx(60.0)


def _two_phases(starts: dict[str, float], slopes: tuple[float, float], extra: dict[str, tuple[float, float]]):
    """Levels in 2000, 2010 and 2020: in each phase change = slope × 100 × log(level/100) + that phase's extra."""
    rows, level = [dict(starts)], dict(starts)
    for phase, slope in enumerate(slopes):
        level = {
            p: v * np.exp((slope * 100 * np.log(v / 100) + extra.get(p, (0.0, 0.0))[phase]) / 100)
            for p, v in level.items()
        }
        rows.append(dict(level))
    return pd.DataFrame(rows, index=[2000, 2010, 2020])


def test_each_phase_gets_its_own_line_and_its_own_gap():
    from helpers.analysis.convergence import convergence_by_phase

    rel = _two_phases(STARTS, slopes=(-0.4, 0.3), extra={"X": (0.0, -25.0)})
    phases = convergence_by_phase(rel, (2000, 2010, 2020), group=["X"])
    assert list(phases) == [(2000, 2010), (2010, 2020)]
    first, second = phases[(2000, 2010)], phases[(2010, 2020)]
    # convergence in the first phase, divergence in the second: opposite slopes, each recovered
    assert first.attrs["slope"] == pytest.approx(-40)
    assert second.attrs["slope"] == pytest.approx(30)
    # the region is on the line in the first phase and below it by the built-in amount in the second
    assert first.loc["X", "gap"] == pytest.approx(0, abs=1e-9)
    assert second.loc["X", "gap"] == pytest.approx(-25)
    # a single line over the whole span is neither slope
    whole = convergence_gaps(rel, 2000, 2020, group=["X"])
    assert whole.attrs["slope"] != pytest.approx(-40) and whole.attrs["slope"] != pytest.approx(30)


@pytest.mark.parametrize("years", [(2000,), (2010, 2000), (2000, 2000, 2020)])
def test_phases_need_increasing_years(years):
    from helpers.analysis.convergence import convergence_by_phase

    with pytest.raises(ValueError):
        convergence_by_phase(_two_phases(STARTS, (-0.4, 0.3), {}), years, group=["X"])


def test_placebo_groups_rank_a_group_that_fell_further_than_every_group_of_its_size():
    from helpers.analysis.convergence import placebo_groups

    starts = {"A": 60.0, "B": 70.0, "C": 80.0, "D": 90.0, "E": 100.0, "F": 110.0, "G": 130.0, "X": 150.0, "Y": 170.0}
    extra = {"A": 2.0, "B": -2.0, "C": 1.0, "D": -1.0, "E": 0.0, "F": 2.0, "G": -2.0, "X": -20.0, "Y": -30.0}
    test = placebo_groups(_relative(starts, extra=extra), 2000, 2010, members=["X", "Y"], group=["X", "Y"])
    assert test.attrs["n"] == 21  # 7 provinces in the pool, taken two at a time
    assert test.attrs["actual"] == pytest.approx(-25, abs=2)
    assert test.attrs["as_low"] == 0 and test.attrs["p"] == pytest.approx(1 / 22)
    assert test["mean_gap"].min() > -5


def test_placebo_groups_find_nothing_unusual_in_a_group_on_the_line():
    from helpers.analysis.convergence import placebo_groups

    starts = {"A": 60.0, "B": 70.0, "C": 80.0, "D": 90.0, "E": 100.0, "F": 110.0, "X": 130.0, "Y": 150.0}
    extra = {"A": 5.0, "B": -5.0, "C": 4.0, "D": -4.0, "E": 3.0, "F": -3.0}
    test = placebo_groups(_relative(starts, extra=extra), 2000, 2010, members=["X", "Y"], group=["X", "Y"])
    assert abs(test.attrs["actual"]) < 5  # near the line: the noise of the others tilts it a little
    assert test.attrs["p"] > 0.3


def test_placebo_groups_refuse_a_member_outside_the_group_and_too_small_a_pool():
    from helpers.analysis.convergence import placebo_groups

    rel = _relative(STARTS)
    with pytest.raises(ValueError, match="members must be in group"):
        placebo_groups(rel, 2000, 2010, members=["X"], group=["A"])
    with pytest.raises(ValueError, match="fewer than three"):
        placebo_groups(rel, 2000, 2010, members=["X", "E"], group=["X", "E"])


def test_a_control_that_drives_the_fall_takes_the_gap_away():
    """Change = -50 log(start) + 2 × control: a province with a high control falls further than the line on start
    alone predicts, and holding the control constant leaves it no gap; the control's coefficient is recovered."""
    from helpers.analysis.convergence import convergence_gaps_controlled

    starts = {"A": 60.0, "B": 80.0, "C": 100.0, "D": 120.0, "E": 150.0, "F": 90.0, "G": 110.0, "X": 170.0}
    control = {"A": 10.0, "B": -5.0, "C": 0.0, "D": 5.0, "E": -10.0, "F": 8.0, "G": -3.0, "X": -20.0}
    rel = _relative(starts, extra={p: 2.0 * c for p, c in control.items()})
    plain = convergence_gaps(rel, 2000, 2010, group=["X"])
    held = convergence_gaps_controlled(rel, 2000, 2010, group=["X"], controls=pd.DataFrame({"industry": control}))
    assert plain.loc["X", "gap"] < -20
    assert held.loc["X", "gap"] == pytest.approx(0, abs=1e-6)
    assert held.attrs["coef"]["industry"] == pytest.approx(2.0)
    assert held.attrs["coef"]["log_start"] == pytest.approx(-50)
    assert held.attrs["n"] == 7 and not held.loc["X", "fitted_on"]


def test_a_control_leaves_a_shortfall_it_does_not_explain():
    from helpers.analysis.convergence import convergence_gaps_controlled

    starts = {"A": 60.0, "B": 80.0, "C": 100.0, "D": 120.0, "E": 150.0, "F": 90.0, "X": 170.0}
    control = {"A": 10.0, "B": -5.0, "C": 0.0, "D": 5.0, "E": -10.0, "F": 8.0, "X": 0.0}
    extra = {p: 2.0 * c for p, c in control.items()}
    extra["X"] = -25.0
    held = convergence_gaps_controlled(
        _relative(starts, extra=extra), 2000, 2010, group=["X"], controls=pd.DataFrame({"industry": control})
    )
    assert held.loc["X", "gap"] == pytest.approx(-25)


def test_a_group_member_without_a_control_value_is_refused():
    from helpers.analysis.convergence import convergence_gaps_controlled

    control = pd.DataFrame({"industry": {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0, "E": 5.0}})
    with pytest.raises(ValueError, match="X"):
        convergence_gaps_controlled(_relative(STARTS), 2000, 2010, group=["X"], controls=control)
