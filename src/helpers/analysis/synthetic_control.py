"""Synthetic control: what a province's path would have been without its programme, built from other provinces.

The method (Abadie and Gardeazabal 2003; Abadie, Diamond and Hainmueller 2010): choose non-negative weights
that sum to one over a pool of *donor* provinces so that their weighted average tracks the treated province
as closely as possible before the programme (least squares over the pre-period years). After the programme,
the gap between the province and its synthetic twin estimates what changed. Its uncertainty is judged by
placebo (permutation) tests: the same estimator run on every donor as if it had been treated; if the
treated province's gap is not unusual among the placebos, the data cannot tell the programme's effect from
the noise of provincial paths.

Inputs are *wide* frames: one row per year, one column per province (or area), values already on the
scale to compare (here: log GDP per head relative to the 31 provinces, in log points). The weights are
found with ``scipy.optimize.nnls`` on a system augmented by a heavily weighted row that enforces the sum
(a standard way to solve a simplex-constrained least-squares problem; scipy is installed with statsmodels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.optimize import nnls


@dataclass(frozen=True)
class Window:
    """A period after a programme, compared with a reference period (by default the fit's pre-period).

    ``effect`` = mean gap over ``start``..``end`` minus mean gap over the reference years.
    """

    name: str
    start: int
    end: int
    ref: tuple[int, int] | None = None


@dataclass(frozen=True)
class SyntheticControl:
    """A treated unit, its donors' weights and the two paths (actual and synthetic) by year."""

    treated: str
    weights: pd.Series  # donor -> weight (>= 0, sum 1), largest first
    actual: pd.Series  # year -> outcome of the treated unit
    synthetic: pd.Series  # year -> weighted average of the donors
    pre_period: tuple[int, int]

    @property
    def gap(self) -> pd.Series:
        """Actual minus synthetic, by year."""
        return (self.actual - self.synthetic).rename("gap")

    def _years(self, start: int, end: int) -> pd.Series:
        part = self.gap.loc[start:end].dropna()
        if part.empty:
            raise ValueError(f"{self.treated}: no years with a gap between {start} and {end}")
        return part

    def rmse(self, start: int | None = None, end: int | None = None) -> float:
        """Root mean squared gap over ``start``..``end`` (default: the pre-period, i.e. the fit)."""
        start, end = self.pre_period if start is None else (start, end)
        return float(np.sqrt((self._years(start, end) ** 2).mean()))

    @property
    def pre_rmse(self) -> float:
        return self.rmse()

    def mean_gap(self, start: int, end: int) -> float:
        return float(self._years(start, end).mean())

    def effect(self, window: Window) -> float:
        """Mean gap in the window minus mean gap in its reference period (a difference in differences
        against the synthetic twin, so a constant misfit before the programme does not count as effect)."""
        ref = window.ref or self.pre_period
        return self.mean_gap(window.start, window.end) - self.mean_gap(*ref)

    def paths(self) -> pd.DataFrame:
        """Long frame for charts: year, series ('actual' or 'synthetic'), value, and the gap."""
        wide = pd.DataFrame({"actual": self.actual, "synthetic": self.synthetic}).rename_axis("year")
        long = wide.reset_index().melt(id_vars="year", var_name="series", value_name="value")
        return long.merge(self.gap.rename_axis("year").reset_index(), on="year")


def _check(outcomes: pd.DataFrame, units: Sequence[str], years: Sequence[int], what: str) -> None:
    missing = [u for u in units if u not in outcomes.columns]
    if missing:
        raise KeyError(f"{what}: no column for {missing} in the outcomes (columns: {list(outcomes.columns)})")
    absent = [y for y in years if y not in outcomes.index]
    if absent:
        raise KeyError(f"{what}: the outcomes have no row for year(s) {absent}")
    block = outcomes.loc[list(years), list(units)]
    if block.isna().any().any():
        holes = block.isna().stack()
        first = holes[holes].index[:5].tolist()
        raise ValueError(f"{what}: missing values (year, unit) {first} in the years used")


def weights_for(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Non-negative weights summing to one that minimise ||target - donors @ w||² (donors: years × units)."""
    if donors.ndim != 2 or donors.shape[0] != target.shape[0]:
        raise ValueError(f"donors must be years × units with {target.shape[0]} rows; got {donors.shape}")
    if donors.shape[1] == 0:
        raise ValueError("at least one donor is needed")
    scale = max(1.0, float(np.abs(donors).max()), float(np.abs(target).max()))
    penalty = 1e4 * scale  # a heavily weighted extra row: sum(w) = 1 almost exactly
    a = np.vstack([donors, penalty * np.ones((1, donors.shape[1]))])
    b = np.concatenate([target, [penalty]])
    w, _ = nnls(a, b, maxiter=50 * donors.shape[1])
    total = w.sum()
    if total <= 0:
        raise ValueError("no non-negative combination of the donors was found")
    return w / total


def fit(
    outcomes: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    pre_period: tuple[int, int],
    predictors: pd.Series | pd.DataFrame | None = None,
    predictor_weight: float = 1.0,
) -> SyntheticControl:
    """Synthetic control for ``treated`` from ``donors``, weights fit on the years ``pre_period`` (inclusive).

    ``outcomes``: index = year, one column per unit. Raises ``KeyError``/``ValueError`` naming the unit and
    year when a column or a pre-period value is missing.

    ``predictors`` (optional): characteristics to match besides the pre-period path, indexed by unit (a Series
    for one characteristic, or a DataFrame with one column per characteristic), on a scale comparable with
    the outcome (e.g. the secondary sector's share of GDP in percentage points beside log points). Each adds
    one row to the least-squares system, scaled so that missing it by one unit costs as much as missing the
    path by one unit in *every* pre-period year, times ``predictor_weight`` (0 = ignore the predictors; large
    = match them first). This is a fixed, stated importance (the "V" of Abadie et al.), not a fitted one.
    """
    donors = [d for d in donors if d != treated]
    years = [y for y in outcomes.index if pre_period[0] <= y <= pre_period[1]]
    if len(years) < 2:
        raise ValueError(f"pre-period {pre_period} holds {len(years)} year(s) of the outcomes; need at least 2")
    _check(outcomes, [treated, *donors], years, f"synthetic control for {treated}")
    target = outcomes.loc[years, treated].to_numpy(float)
    matrix = outcomes.loc[years, donors].to_numpy(float)
    if predictors is not None:
        table = predictors.to_frame() if isinstance(predictors, pd.Series) else predictors
        if predictor_weight < 0:
            raise ValueError(f"predictor_weight must be non-negative; got {predictor_weight}")
        missing = [u for u in [treated, *donors] if u not in table.index or table.loc[u].isna().any()]
        if missing:
            raise KeyError(f"synthetic control for {treated}: no predictor value for {missing}")
        scale = predictor_weight * np.sqrt(len(years))
        target = np.concatenate([target, scale * table.loc[treated].to_numpy(float)])
        matrix = np.vstack([matrix, scale * table.loc[donors].to_numpy(float).T])
    w = weights_for(target, matrix)
    weights = pd.Series(w, index=donors, name="weight").sort_values(ascending=False)
    return with_weights(outcomes, treated, weights, pre_period)


def with_weights(
    outcomes: pd.DataFrame, treated: str, weights: Mapping[str, float] | pd.Series, pre_period: tuple[int, int]
) -> SyntheticControl:
    """A comparison with fixed weights (e.g. equal weights on a chosen comparison group)."""
    weights = pd.Series(weights, dtype=float)
    if (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
        raise ValueError(f"weights must be non-negative and sum to one; got sum {weights.sum():.6f}")
    _check(outcomes, [treated, *weights.index], [], f"comparison for {treated}")
    donors = outcomes[list(weights.index)]
    # A year counts only where every donor with weight has a value.
    synthetic = (
        donors.mul(weights, axis=1).sum(axis=1, min_count=1).where(donors.loc[:, weights > 0].notna().all(axis=1))
    )
    return SyntheticControl(
        treated, weights, outcomes[treated].rename("actual"), synthetic.rename("synthetic"), tuple(pre_period)
    )


@dataclass(frozen=True)
class PlaceboTest:
    """The treated unit's statistics beside those of every donor run as a placebo."""

    treated: str
    table: pd.DataFrame  # one row per unit: pre_rmse, effect_<window>, ratio_<window>
    windows: tuple[Window, ...]

    def p_value(self, window: str, *, statistic: str = "effect", max_pre_rmse_ratio: float | None = None) -> float:
        """Share of units (treated included) whose statistic is at least as extreme as the treated unit's.

        ``statistic``: 'effect' (two-sided, absolute mean-gap change) or 'ratio' (post/pre RMSE ratio,
        one-sided). ``max_pre_rmse_ratio`` drops placebos whose pre-period fit is more than that many times
        worse than the treated unit's (Abadie et al. 2010), since a poorly fit placebo's large gaps say
        nothing about the treated unit.
        """
        table = self.pool(max_pre_rmse_ratio)
        column = f"{statistic}_{window}"
        if column not in table:
            raise KeyError(f"no statistic {column!r}; windows: {[w.name for w in self.windows]}")
        values = table[column].abs() if statistic == "effect" else table[column]
        return float((values >= values[self.treated] - 1e-12).mean())

    def rank(self, window: str, *, max_pre_rmse_ratio: float | None = None) -> tuple[int, int]:
        """Rank of the treated unit's absolute effect among the units (1 = most extreme), and the count."""
        table = self.pool(max_pre_rmse_ratio)
        values = table[f"effect_{window}"].abs()
        return int((values > values[self.treated] + 1e-12).sum() + 1), len(values)

    def pool(self, max_pre_rmse_ratio: float | None = None) -> pd.DataFrame:
        if max_pre_rmse_ratio is None:
            return self.table
        limit = max_pre_rmse_ratio * self.table.loc[self.treated, "pre_rmse"]
        return self.table[self.table["pre_rmse"] <= limit + 1e-12]


def placebo_test(
    outcomes: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    pre_period: tuple[int, int],
    windows: Sequence[Window],
    predictors: pd.Series | pd.DataFrame | None = None,
    predictor_weight: float = 1.0,
) -> tuple[PlaceboTest, dict[str, SyntheticControl]]:
    """Fit the treated unit and each donor (from the other donors, never from the treated unit) and tabulate
    the pre-period fit, each window's effect and its post/pre RMSE ratio. Returns the test and every fit.
    ``predictors`` and ``predictor_weight``, if given, are used in every fit, the placebos' included (see ``fit``)."""
    donors = [d for d in donors if d != treated]
    fits = {treated: fit(outcomes, treated, donors, pre_period, predictors, predictor_weight)}
    for unit in donors:
        fits[unit] = fit(outcomes, unit, [d for d in donors if d != unit], pre_period, predictors, predictor_weight)
    rows = {}
    for unit, result in fits.items():
        row = {"pre_rmse": result.pre_rmse}
        for window in windows:
            row[f"effect_{window.name}"] = result.effect(window)
            row[f"ratio_{window.name}"] = result.rmse(window.start, window.end) / result.pre_rmse
        rows[unit] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("unit")
    return PlaceboTest(treated, table, tuple(windows)), fits


def placebo_gaps(fits: Mapping[str, SyntheticControl]) -> pd.DataFrame:
    """Long frame (unit, year, gap, treated) of every fit's gap, for the placebo chart."""
    treated = next(iter(fits))
    parts = [f.gap.rename_axis("year").reset_index().assign(unit=u, treated=(u == treated)) for u, f in fits.items()]
    return pd.concat(parts, ignore_index=True)[["unit", "year", "gap", "treated"]]


def splice(early: pd.DataFrame, late: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """Join two vintages of a wide series (in logs) at ``year``: the late vintage from ``year`` on, the early
    one before it shifted by each unit's difference at ``year`` (the early vintage's changes, the late
    vintage's level). Returns the joined frame and the shift per unit (the size of the break)."""
    for name, frame in (("early", early), ("late", late)):
        if year not in frame.index:
            raise KeyError(f"splice at {year}: the {name} vintage has no row for {year}")
    units = [u for u in late.columns if u in early.columns]
    if not units:
        raise ValueError("the two vintages share no unit")
    shift = (late.loc[year, units] - early.loc[year, units]).rename("shift")
    if shift.isna().any():
        raise ValueError(f"splice at {year}: missing value for {shift[shift.isna()].index.tolist()}")
    before = early.loc[early.index < year, units] + shift
    joined = pd.concat([before, late.loc[late.index >= year, units]]).sort_index()
    return joined, shift


def log_points(frame: pd.DataFrame, base: float = 100.0) -> pd.DataFrame:
    """A tidy series (province, year, value) of levels relative to ``base`` (e.g. % of the 31-province level)
    as a wide frame of log points: 100 × ln(value / base). 0 = at the base; −10 ≈ 10% below it."""
    missing = {"province", "year", "value"} - set(frame.columns)
    if missing:
        raise KeyError(f"log_points needs columns {sorted(missing)}")
    if (frame["value"] <= 0).any():
        bad = frame.loc[frame["value"] <= 0, ["province", "year"]].head(3).to_dict("records")
        raise ValueError(f"log_points needs positive values; got non-positive at {bad}")
    wide = frame.pivot_table(index="year", columns="province", values="value", aggfunc="first")
    return 100 * np.log(wide / base)


def chain_volumes(base_levels: pd.Series, index: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Volumes at ``base_year`` prices from a chain index (preceding year = 100): wide year × unit.

    ``base_levels``: each unit's value in ``base_year`` (e.g. nominal GDP); ``index``: wide year × unit, the
    year's volume relative to the year before × 100. Later years multiply the base level by the indices after
    it, earlier years divide by the indices up to it. A year is NaN where any index on the way is missing.
    """
    units = [u for u in index.columns if u in base_levels.index]
    if base_year not in index.index:
        raise KeyError(f"chain_volumes: no index for the base year {base_year}")
    factors = index[units].sort_index() / 100.0
    years = factors.index
    out = pd.DataFrame(np.nan, index=years, columns=units, dtype=float)
    out.loc[base_year] = base_levels[units].astype(float)
    for year in years[years > base_year]:
        out.loc[year] = out.loc[year - 1] * factors.loc[year] if year - 1 in out.index else np.nan
    for year in sorted(years[years < base_year], reverse=True):
        out.loc[year] = out.loc[year + 1] / factors.loc[year + 1]
    return out.rename_axis("year")


def specifications(
    panels: Mapping[int, pd.DataFrame],
    treated: Sequence[str],
    donors: Sequence[str],
    pre_periods: Sequence[tuple[int, int]],
    windows: Sequence[Window],
    max_pre_rmse_ratio: float = 5.0,
) -> pd.DataFrame:
    """Every combination of splice year (key of ``panels``), treated unit and pre-period: weights' top donors,
    the pre-period RMSE, and for each window its effect, its placebo p-value (all placebos) and the p-value
    among placebos fit at most ``max_pre_rmse_ratio`` times worse than the treated unit."""
    rows = []
    for splice_year, outcomes in panels.items():
        for unit in treated:
            for pre in pre_periods:
                test, fits = placebo_test(outcomes, unit, donors, pre, windows)
                result = fits[unit]
                top = result.weights[result.weights >= 0.05]
                row = {
                    "splice": splice_year,
                    "unit": unit,
                    "pre_period": f"{pre[0]}–{pre[1]}",
                    "pre_rmse": result.pre_rmse,
                    "placebos": len(test.table) - 1,
                    "donors": ", ".join(f"{name} {w:.2f}" for name, w in top.items()),
                }
                for window in windows:
                    row[f"effect_{window.name}"] = result.effect(window)
                    row[f"p_{window.name}"] = test.p_value(window.name)
                    row[f"p_{window.name}_fit"] = test.p_value(window.name, max_pre_rmse_ratio=max_pre_rmse_ratio)
                rows.append(row)
    return pd.DataFrame(rows)


def p_against(treated_value: float, placebo_values: Sequence[float] | pd.Series, *, absolute: bool = True) -> float:
    """Permutation p-value of ``treated_value`` among ``placebo_values``: (1 + number of placebos at least as
    extreme) / (1 + number of placebos), the treated unit counted once. ``absolute``: compare sizes (two-sided);
    otherwise compare values as they are (one-sided, for ratios)."""
    values = np.asarray(placebo_values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        raise ValueError("no placebo values to compare with")
    target = abs(treated_value) if absolute else treated_value
    values = np.abs(values) if absolute else values
    return float((1 + (values >= target - 1e-12).sum()) / (1 + values.size))


def _gap_years(gap: np.ndarray, mask: np.ndarray, label: str, what: str) -> np.ndarray:
    """The gaps in the years of ``mask`` that have one (as ``SyntheticControl._years``, on arrays)."""
    part = gap[mask & ~np.isnan(gap)]
    if part.size == 0:
        raise ValueError(f"{label}: no years with a gap in {what}")
    return part


def aggregate_placebos(
    outcomes: pd.DataFrame, donors: Sequence[str], pre_period: tuple[int, int], windows: Sequence[Window], size: int = 3
) -> pd.DataFrame:
    """Placebos shaped like a treated *aggregate*: every combination of ``size`` donors, averaged (in log points)
    into one unit and fit from the remaining donors, never from its own members.

    A region of three provinces is smoother than one province (idiosyncratic shocks partly cancel), so its
    gaps are smaller and its fit better than a single-province placebo's; comparing it with single provinces
    biases the raw-gap test toward "nothing unusual" and the post/pre ratio test toward "unusual". Comparing it
    with aggregates of the same size removes most of that difference. Returns one row per combination:
    members, pre_rmse, effect_<window> and ratio_<window>.
    """
    donors = list(dict.fromkeys(donors))
    if size < 1 or size > len(donors) - 2:
        raise ValueError(f"size must be between 1 and {len(donors) - 2} for {len(donors)} donors; got {size}")
    years = [y for y in outcomes.index if pre_period[0] <= y <= pre_period[1]]
    if len(years) < 2:
        raise ValueError(f"pre-period {pre_period} holds {len(years)} year(s) of the outcomes; need at least 2")
    # Every aggregate and its donors come from these columns: one check covers all the fits.
    _check(outcomes, donors, years, "aggregate placebos")
    # The same estimator as fit() and with_weights(), on arrays: the fits are the same, without building
    # frames for each of the (often thousands of) combinations.
    index = outcomes.index.to_numpy()
    values = outcomes[donors].to_numpy(float)  # years × donors
    present = ~np.isnan(values)
    pre = np.isin(index, years)

    def span(start: int, end: int) -> np.ndarray:
        return (index >= start) & (index <= end)

    spans = [(window, span(window.start, window.end), span(*(window.ref or pre_period))) for window in windows]
    rows = []
    for members in combinations(range(len(donors)), size):
        label = " + ".join(donors[i] for i in members)
        others = [i for i in range(len(donors)) if i not in members]
        actual = values[:, list(members)].mean(axis=1)  # NaN where any member is missing (skipna=False)
        weights = weights_for(actual[pre], values[pre][:, others])
        used = weights > 0
        block = values[:, others]
        synthetic = np.where(present[:, others][:, used].all(axis=1), np.nansum(block * weights, axis=1), np.nan)
        gap = actual - synthetic
        pre_rmse = float(np.sqrt((_gap_years(gap, pre, label, "the pre-period") ** 2).mean()))
        row = {"members": label, "pre_rmse": pre_rmse}
        for window, in_window, in_ref in spans:
            post = _gap_years(gap, in_window, label, window.name)
            reference = _gap_years(gap, in_ref, label, f"{window.name}'s reference")
            row[f"effect_{window.name}"] = float(post.mean() - reference.mean())
            row[f"ratio_{window.name}"] = float(np.sqrt((post**2).mean())) / pre_rmse
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Specification:
    """One way to build the comparison: a labelled panel, donor pool, fit years and windows."""

    label: str
    outcomes: pd.DataFrame
    donors: tuple[str, ...]
    pre_period: tuple[int, int]
    windows: tuple[Window, ...]
    predictors: pd.Series | pd.DataFrame | None = None
    predictor_weight: float = 1.0


def sensitivity(treated: str, specs: Sequence[Specification], top: float = 0.05) -> pd.DataFrame:
    """One row per specification for ``treated``: the donor count, fit error, the donors weighted at least
    ``top``, and for each window its effect, the placebo p-value of the raw effect (two-sided) and of the
    post/pre RMSE ratio (one-sided; Abadie, Diamond and Hainmueller 2010), with the treated unit's ratio."""
    rows = []
    for spec in specs:
        test, fits = placebo_test(
            spec.outcomes, treated, spec.donors, spec.pre_period, spec.windows, spec.predictors, spec.predictor_weight
        )
        result = fits[treated]
        shown = result.weights[result.weights >= top]
        row = {
            "specification": spec.label,
            "donors": len(result.weights),
            "pre_period": f"{spec.pre_period[0]}–{spec.pre_period[1]}",
            "pre_rmse": result.pre_rmse,
            "weights": ", ".join(f"{name} {w:.2f}" for name, w in shown.items()),
        }
        for window in spec.windows:
            row[f"effect_{window.name}"] = result.effect(window)
            row[f"p_{window.name}"] = test.p_value(window.name)
            row[f"ratio_{window.name}"] = test.table.loc[treated, f"ratio_{window.name}"]
            row[f"p_ratio_{window.name}"] = test.p_value(window.name, statistic="ratio")
        rows.append(row)
    return pd.DataFrame(rows)


def detectable_size(placebo_values: Sequence[float] | pd.Series, alpha: float = 0.1) -> float:
    """The size a treated change must *exceed* to reach ``p_against(...) < alpha`` among ``placebo_values``
    (two-sided): with the sizes sorted from the largest, the ``k``-th (counting from 0), where ``k`` is the
    largest number of placebos that may be as large with ``(1 + k) / (1 + n) < alpha``. Raises ``ValueError``
    when even the largest change could not reach ``alpha`` (too few placebos)."""
    sizes = np.sort(np.abs(np.asarray(placebo_values, dtype=float)))[::-1]
    sizes = sizes[~np.isnan(sizes)]
    n = sizes.size
    allowed = [k for k in range(n) if (1 + k) / (1 + n) < alpha]
    if not allowed:
        raise ValueError(f"{n} placebos cannot give p < {alpha}")
    return float(sizes[max(allowed)])


def consistent_effects(
    estimate: float, placebo_values: Sequence[float] | pd.Series, alpha: float = 0.1
) -> tuple[float, float]:
    """The true effects the placebo test does not reject at ``alpha``, inverting it: an effect ``e`` is consistent
    with ``estimate`` if the remaining error ``estimate - e`` is no larger than the placebos' ``detectable_size``.
    Assumes the effect adds to a gap that is otherwise distributed like the placebos'."""
    threshold = detectable_size(placebo_values, alpha)
    return estimate - threshold, estimate + threshold


def weighted_characteristic(result: SyntheticControl, values: Mapping[str, float] | pd.Series) -> float:
    """A donor characteristic (e.g. the industry share of GDP in one year) averaged with a twin's weights, to set
    beside the treated unit's own value. Raises ``ValueError`` if a donor with positive weight has no value."""
    values = pd.Series(values, dtype=float)
    weighted = result.weights[result.weights > 0]
    missing = [donor for donor in weighted.index if pd.isna(values.get(donor))]
    if missing:
        raise ValueError(f"no value for weighted donors: {', '.join(missing)}")
    return float((weighted * values.reindex(weighted.index)).sum() / weighted.sum())
