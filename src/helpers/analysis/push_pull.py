"""Does income pull people? A cross-province test of the push-pull account of migration.

The talent chapter's earlier scatter set income in 2024 against population change between the 2010
and 2020 censuses: the income was measured after the moves it was meant to explain, and the change
mixed births and deaths with migration. This module does the test the push-pull theory implies:

* the outcome is **net migration** only, the book's residual estimate (change in year-end population
  minus natural increase, :func:`helpers.demography.components`), as a rate per 1,000 residents a
  year, averaged over the years asked for;
* the explanatory variable is income measured **before** those years (the log of a per-person
  income, so the slope reads as "per log point", about per 100% higher income);
* a second fit adds a dummy for a group of provinces (the Northeast), so the chapter can say whether
  the region loses more people than its income predicts, with a robust (HC1) standard error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.stats import Regression, regression

NORTHEAST = ("Liaoning", "Jilin", "Heilongjiang")
AGGREGATES = ("China", "Northeast", "31 provinces")


def migration_rates(migration: pd.DataFrame, population: pd.DataFrame, years: Sequence[int]) -> pd.Series:
    """Net migration per 1,000 residents a year, averaged over ``years``, by province.

    ``migration`` and ``population`` are tidy series (province, year, value) in the same unit (the
    book's are both in 10,000 persons). Each year's rate divides the year's net migration by the mean
    of the opening and closing year-end population. A province is kept only if every year (and every
    year before it, for the opening population) is present; aggregates are dropped.
    """
    years = list(years)
    if not years:
        raise ValueError("migration_rates needs at least one year")
    mig = migration.set_index(["province", "year"])["value"]
    pop = population.set_index(["province", "year"])["value"]
    rates = {}
    for province in sorted(set(mig.index.get_level_values(0)) - set(AGGREGATES)):
        need = [(province, y) for y in years] + [(province, y - 1) for y in years]
        if not all(k in pop.index for k in need) or not all((province, y) in mig.index for y in years):
            continue
        per_year = [1000 * mig[(province, y)] / ((pop[(province, y)] + pop[(province, y - 1)]) / 2) for y in years]
        rates[province] = float(np.mean(per_year))
    return pd.Series(rates, name="migration_rate", dtype="float64")


@dataclass(frozen=True)
class PushPullTest:
    """The data and both fits of :func:`push_pull_test`."""

    table: pd.DataFrame  # by province: income, log_income, migration_rate, in_group (0/1)
    simple: Regression  # migration_rate on log income
    with_group: Regression  # migration_rate on log income and the group dummy
    income_year: int
    migration_years: tuple[int, ...]

    def effect_of_income(self, ratio: float = 1.1) -> float:
        """Fitted change in the migration rate (per 1,000 a year) for income ``ratio`` times higher."""
        return float(self.simple.coef["log_income"] * np.log(ratio))

    def interval(self, fit: Regression, name: str, z: float = 1.96) -> tuple[float, float]:
        """Approximate 95% interval of a coefficient (normal approximation with the HC1 error)."""
        return float(fit.coef[name] - z * fit.se[name]), float(fit.coef[name] + z * fit.se[name])


def push_pull_test(
    migration: pd.DataFrame,
    population: pd.DataFrame,
    income: pd.DataFrame,
    *,
    migration_years: Sequence[int],
    income_year: int,
    group: Sequence[str] = NORTHEAST,
    adjustment: pd.Series | None = None,
) -> PushPullTest:
    """Regress net migration (per 1,000 a year over ``migration_years``) on the log of income in
    ``income_year``, without and with a dummy for ``group``; HC1 standard errors.

    ``adjustment`` (by province, per 1,000 a year), if given, is subtracted from each province's rate
    and provinces without one are dropped: e.g. :func:`revision_rates`, to take a population
    back-revision out of the residual.

    Raises ``ValueError`` if income is not measured before the first migration year (the point of the
    test is that income comes first) or if a province of ``group`` has no data.
    """
    migration_years = tuple(sorted(migration_years))
    if income_year >= migration_years[0]:
        raise ValueError(
            f"income ({income_year}) must be measured before the first migration year ({migration_years[0]})"
        )
    rates = migration_rates(migration, population, migration_years)
    if adjustment is not None:
        rates = (rates - adjustment).dropna().rename("migration_rate")
    return push_pull_from_rates(rates, income, income_year=income_year, migration_years=migration_years, group=group)


def push_pull_from_rates(
    rates: pd.Series,
    income: pd.DataFrame,
    *,
    income_year: int,
    migration_years: Sequence[int],
    group: Sequence[str] = NORTHEAST,
) -> PushPullTest:
    """The two fits of :func:`push_pull_test` on migration rates already computed (per 1,000 a year, by
    province), e.g. :func:`intercensal_rates`. ``migration_years`` are the years the rates cover;
    income must be measured before the first of them."""
    migration_years = tuple(sorted(migration_years))
    if income_year >= migration_years[0]:
        raise ValueError(
            f"income ({income_year}) must be measured before the first migration year ({migration_years[0]})"
        )
    rates = rates.rename("migration_rate")
    level = income[(income["year"] == income_year) & ~income["province"].isin(AGGREGATES)]
    level = level.set_index("province")["value"].rename("income")
    if (level <= 0).any():
        raise ValueError(f"income in {income_year} must be positive to take its log")
    table = level.to_frame().join(rates, how="inner")
    missing = [p for p in group if p not in table.index]
    if missing:
        raise ValueError(f"no complete data for {missing} in {income_year} / {list(migration_years)}")
    table["log_income"] = np.log(table["income"])
    table["in_group"] = table.index.isin(list(group)).astype(int)
    simple = regression(table["migration_rate"], table[["log_income"]])
    with_group = regression(table["migration_rate"], table[["log_income", "in_group"]])
    return PushPullTest(
        table=table.rename_axis("province"),
        simple=simple,
        with_group=with_group,
        income_year=income_year,
        migration_years=migration_years,
    )


def intercensal_rates(
    census: pd.DataFrame, natural_rate: pd.DataFrame, *, start: int, end: int, rate_years: Sequence[int]
) -> pd.Series:
    """Net migration between two censuses, per 1,000 residents a year, by province: the average yearly
    change of the census count (per 1,000 of the mean of the two counts) minus the mean natural growth
    rate (‰) of ``rate_years``.

    Two census counts need no yearly population series, so no back-revision enters; the price is that
    the natural growth of the decade is taken as the mean of the years whose rates are held (an
    assumption the caller states). Provinces missing a count or a rate are dropped, aggregates too.
    """
    if end <= start or not rate_years:
        raise ValueError("intercensal_rates needs end after start and at least one rate year")
    counts = census.pivot_table(index="province", columns="year", values="value")
    rates = natural_rate.pivot_table(index="province", columns="year", values="value")
    out = {}
    for province in counts.index:
        if province in AGGREGATES or province not in rates.index:
            continue
        a, b = counts.loc[province].get(start), counts.loc[province].get(end)
        r = [rates.loc[province].get(y) for y in rate_years]
        if a is None or b is None or pd.isna(a) or pd.isna(b) or any(v is None or pd.isna(v) for v in r):
            continue
        change = 1000 * (b - a) / (end - start) / ((a + b) / 2)
        out[province] = float(change - np.mean(r))
    return pd.Series(out, name="migration_rate", dtype="float64").sort_index()


def revision_rates(revised: pd.DataFrame, first_published: pd.DataFrame, *, base_year: int, year: int) -> pd.Series:
    """How much a back-revision of the population adds to each year's change, per 1,000 residents a year.

    After the 2020 census the NBS revised the year-end population of 2011-2019 but not 2010 (a census
    year). A residual estimate of migration from the revised series therefore carries, in every year
    between ``base_year`` and ``year``, a share of the revision that was never measured as a move in that
    year. This returns, by province, ``1000 × (revised − first published at year) ÷ (year − base_year)``
    divided by the mean revised population of ``base_year`` and ``year``: the revision spread evenly over
    the years (the even spread is an assumption; how NBS distributed it is not published here).

    Both series are tidy (province, year, value) in the same unit. Provinces without a first-published
    value for ``year`` or a revised value for both years are dropped; aggregates too. Raises
    ``ValueError`` if ``year`` is not after ``base_year``.
    """
    if year <= base_year:
        raise ValueError(f"the revised year ({year}) must come after the base year ({base_year})")
    rev = revised.set_index(["province", "year"])["value"]
    old = first_published[first_published["year"] == year].set_index("province")["value"]
    out = {}
    for province, first in old.items():
        if province in AGGREGATES or (province, year) not in rev.index or (province, base_year) not in rev.index:
            continue
        mean_pop = (rev[(province, year)] + rev[(province, base_year)]) / 2
        out[province] = float(1000 * (rev[(province, year)] - first) / (year - base_year) / mean_pop)
    return pd.Series(out, name="revision_rate", dtype="float64").sort_index()


@dataclass(frozen=True)
class Randomisation:
    """Randomisation inference for a group dummy: the observed coefficient against every other group."""

    observed: float  # the group's statistic (its coefficient, or its t-statistic)
    coefficients: np.ndarray  # the statistic for every group of the same size (the observed one included)
    p_lower: float  # share of groups whose statistic is at or below the observed one
    p_two_sided: float  # share of groups whose |statistic| is at least the observed |statistic|
    rank: int  # 1 = the most negative statistic of all groups
    statistic: str = "coefficient"  # what is ranked: "coefficient" or "t" (the HC1 t-statistic)
    groups: tuple[tuple[str, ...], ...] = ()  # the provinces of each group, aligned with ``coefficients``

    @property
    def n_groups(self) -> int:
        return len(self.coefficients)

    def more_extreme(self) -> list[tuple[str, ...]]:
        """The groups whose statistic is below the observed one (``rank - 1`` of them), most negative first."""
        return [self.groups[i] for i in np.argsort(self.coefficients)[: self.rank - 1]]


def randomisation_test(
    table: pd.DataFrame,
    group: Sequence[str],
    *,
    outcome: str = "migration_rate",
    controls: Sequence[str] = ("log_income",),
    statistic: str = "coefficient",
) -> Randomisation:
    """Exact randomisation inference for a dummy on a few of the rows of ``table`` (indexed by province).

    With three treated provinces out of 31, a heteroskedasticity-robust standard error relies on
    asymptotics that three observations cannot support. Instead, the OLS coefficient of a dummy is
    computed for *every* set of ``len(group)`` provinces (C(31, 3) = 4,495 sets), with the same
    ``controls`` and a constant, and the observed group's coefficient is ranked among them. The
    p-values are the shares of sets at least as extreme (the observed set counts, so p > 0).

    The coefficient of a dummy d after the controls X is (M d)·y ÷ (M d)·(M d), with M the residual
    maker of [1, X] (Frisch-Waugh-Lovell), so all sets are computed at once.

    ``statistic="t"`` ranks the dummy's heteroskedasticity-robust (HC1) t-statistic instead of its
    coefficient, the studentized version MacKinnon and Webb (2020) recommend when the treated units may
    be atypical: a set whose shortfall comes from one extreme province has a large coefficient but a
    large standard error too. By the same theorem the HC1 variance of the dummy's coefficient in the
    full regression is n/(n−k) · Σ (M d)ᵢ² eᵢ² ÷ ((M d)·(M d))², with e the full regression's residuals
    (M y − β M d) and k the number of regressors with the constant and the dummy.
    """
    from itertools import combinations

    if statistic not in ("coefficient", "t"):
        raise ValueError(f"statistic must be 'coefficient' or 't', not {statistic!r}")

    group = list(group)
    rows = table[[outcome, *controls]].dropna()
    missing = [p for p in group if p not in rows.index]
    if missing or not group:
        raise ValueError(f"the group must be non-empty rows of the table; missing: {missing}")
    names = list(rows.index)
    n, k = len(names), len(group)
    x = np.column_stack([np.ones(n), rows[list(controls)].to_numpy(dtype=float)])
    resid_maker = np.eye(n) - x @ np.linalg.pinv(x)
    y = resid_maker @ rows[outcome].to_numpy(dtype=float)
    sets = np.array(list(combinations(range(n), k)))
    dummies = np.zeros((len(sets), n))
    np.put_along_axis(dummies, sets, 1.0, axis=1)
    d = dummies @ resid_maker  # resid_maker is symmetric
    dd = np.einsum("ij,ij->i", d, d)
    coefs = (d @ y) / dd
    if statistic == "t":
        resid = y[None, :] - coefs[:, None] * d
        n_regressors = x.shape[1] + 1
        if n <= n_regressors:
            raise ValueError(f"a t-statistic needs more rows ({n}) than regressors ({n_regressors})")
        variance = n / (n - n_regressors) * np.einsum("ij,ij->i", d**2, resid**2) / dd**2
        coefs = coefs / np.sqrt(variance)
    observed_set = tuple(sorted(names.index(p) for p in group))
    observed = float(coefs[_row_of(sets, observed_set)])
    tol = 1e-9 * max(1.0, abs(observed))
    return Randomisation(
        observed=observed,
        coefficients=coefs,
        p_lower=float(np.mean(coefs <= observed + tol)),
        p_two_sided=float(np.mean(np.abs(coefs) >= abs(observed) - tol)),
        rank=int(np.sum(coefs < observed - tol)) + 1,
        statistic=statistic,
        groups=tuple(tuple(names[i] for i in row) for row in sets),
    )


def _row_of(sets: np.ndarray, wanted: tuple[int, ...]) -> int:
    """Index of the row of ``sets`` equal to ``wanted``."""
    return int(np.flatnonzero((sets == np.array(wanted)).all(axis=1))[0])


@dataclass(frozen=True)
class RankCorrelation:
    rho: float  # Spearman's rank correlation (Pearson on average ranks)
    p_lower: float  # share of permutations with rho at least as negative (the observed pairing counts)
    p_two_sided: float  # share with |rho| at least as large
    n: int  # pairs used
    n_resamples: int


def rank_correlation_test(x: pd.Series, y: pd.Series, *, n_resamples: int = 200_000, seed: int = 0) -> RankCorrelation:
    """Spearman's rank correlation of ``x`` and ``y`` (aligned on their index, missing pairs dropped) with a
    Monte Carlo permutation p-value: ``y``'s ranks are shuffled against ``x``'s ``n_resamples`` times (fixed
    ``seed``, so the result is reproducible), and the observed pairing is counted among them, so p > 0.

    With a dozen provinces a normal approximation is poor and an exact enumeration (12! orderings) too long;
    the permutation p says how often a random pairing of the same values would correlate as strongly. It
    treats the provinces as given, not as a sample of China.
    """
    pairs = pd.concat([x, y], axis=1, keys=["x", "y"]).dropna()
    n = len(pairs)
    if n < 4:
        raise ValueError(f"a rank correlation needs at least 4 pairs, not {n}")
    rx = pairs["x"].rank().to_numpy(dtype=float)
    ry = pairs["y"].rank().to_numpy(dtype=float)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    scale = np.sqrt((rx @ rx) * (ry @ ry))
    rho = float(rx @ ry / scale)
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.tile(ry, (n_resamples, 1)), axis=1)
    sims = shuffled @ rx / scale
    tol = 1e-12
    return RankCorrelation(
        rho=rho,
        p_lower=float((np.sum(sims <= rho + tol) + 1) / (n_resamples + 1)),
        p_two_sided=float((np.sum(np.abs(sims) >= abs(rho) - tol) + 1) / (n_resamples + 1)),
        n=n,
        n_resamples=n_resamples,
    )
