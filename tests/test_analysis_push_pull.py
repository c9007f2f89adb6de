import numpy as np
import pandas as pd
import pytest

from helpers import data
from helpers.analysis.push_pull import (
    intercensal_rates,
    migration_rates,
    push_pull_from_rates,
    push_pull_test,
    randomisation_test,
    revision_rates,
)

PROVINCES = [f"P{i}" for i in range(12)] + ["Liaoning", "Jilin", "Heilongjiang"]


def _synthetic(group_effect=-10.0, slope=20.0):
    """Migration = slope × log income + group effect (exactly), population 1,000 (10,000s) throughout."""
    rng = np.random.default_rng(0)
    income = pd.Series(np.exp(rng.uniform(9.5, 11.5, len(PROVINCES))), index=PROVINCES)
    rate = slope * (np.log(income) - 10.5) + np.where(
        income.index.isin(["Liaoning", "Jilin", "Heilongjiang"]), group_effect, 0.0
    )
    pop = pd.DataFrame([{"province": p, "year": y, "value": 1000.0} for p in PROVINCES for y in (2009, 2010, 2011)])
    # rate per 1,000 a year × mean population (1,000 × 10,000) / 1,000 = rate (10,000 persons)
    mig = pd.DataFrame([{"province": p, "year": y, "value": rate[p]} for p in PROVINCES for y in (2010, 2011)])
    inc = pd.DataFrame([{"province": p, "year": 2008, "value": income[p]} for p in PROVINCES])
    return mig, pop, inc


def test_recovers_the_slope_and_the_group_effect_it_was_built_with():
    mig, pop, inc = _synthetic()
    test = push_pull_test(mig, pop, inc, migration_years=(2010, 2011), income_year=2008)
    assert test.with_group.coef["log_income"] == pytest.approx(20.0)
    assert test.with_group.coef["in_group"] == pytest.approx(-10.0)
    assert test.simple.n == len(PROVINCES)
    low, high = test.interval(test.with_group, "in_group")
    assert low <= -10.0 <= high
    assert test.effect_of_income(1.1) == pytest.approx(test.simple.coef["log_income"] * np.log(1.1))


def test_income_measured_after_the_moves_is_refused():
    mig, pop, inc = _synthetic()
    with pytest.raises(ValueError, match="before the first migration year"):
        push_pull_test(mig, pop, inc.assign(year=2010), migration_years=(2010, 2011), income_year=2010)


def test_rates_divide_by_mean_population_and_drop_incomplete_provinces():
    pop = pd.DataFrame({"province": ["A", "A", "B"], "year": [2010, 2011, 2011], "value": [100.0, 300.0, 50.0]})
    mig = pd.DataFrame({"province": ["A", "B", "China"], "year": [2011] * 3, "value": [2.0, 1.0, 5.0]})
    rates = migration_rates(mig, pop, [2011])
    assert list(rates.index) == ["A"]  # B lacks its opening population; China is an aggregate
    assert rates["A"] == pytest.approx(1000 * 2.0 / 200.0)


def test_on_the_book_data_income_pulls_and_the_northeast_loses_more_than_predicted():
    test = push_pull_test(
        data.series("population_net_migration_residual"),
        data.series("population_yearend"),
        data.series("gdp_per_capita", vintage="nbs_portal_2021"),
        migration_years=(2011, 2014),
        income_year=2010,
    )
    assert test.simple.n == 31
    assert test.simple.coef["log_income"] > 0 and test.simple.p["log_income"] < 0.05
    assert test.with_group.coef["in_group"] < 0 and test.with_group.p["in_group"] < 0.05


def test_randomisation_matches_ols_for_every_group_and_ranks_a_strong_effect_first():
    from math import comb

    mig, pop, inc = _synthetic(group_effect=-30.0)
    test = push_pull_test(mig, pop, inc, migration_years=(2010, 2011), income_year=2008)
    # add noise so that other groups have non-zero coefficients
    table = test.table.copy()
    table["migration_rate"] += np.random.default_rng(1).normal(0, 1, len(table))
    result = randomisation_test(table, ["Liaoning", "Jilin", "Heilongjiang"])
    assert result.n_groups == comb(len(PROVINCES), 3)
    assert result.rank == 1 and result.p_lower == pytest.approx(1 / result.n_groups)
    # the fast coefficient is the OLS coefficient of the dummy, for the observed group and for another one
    from helpers.stats import regression

    for group in (["Liaoning", "Jilin", "Heilongjiang"], ["P0", "P3", "P7"]):
        fit = regression(table["migration_rate"], table[["log_income"]].assign(d=table.index.isin(group).astype(int)))
        assert randomisation_test(table, group).observed == pytest.approx(fit.coef["d"])


def test_randomisation_without_an_effect_gives_a_large_p_value():
    mig, pop, inc = _synthetic(group_effect=0.0)
    test = push_pull_test(mig, pop, inc, migration_years=(2010, 2011), income_year=2008)
    table = test.table.copy()
    table["migration_rate"] += np.random.default_rng(2).normal(0, 1, len(table))
    result = randomisation_test(table, ["Liaoning", "Jilin", "Heilongjiang"])
    assert 0.05 < result.p_two_sided <= 1
    with pytest.raises(ValueError, match="missing"):
        randomisation_test(table, ["Nowhere"])


def test_revision_rates_spread_the_revision_over_the_years_and_adjust_the_test():
    revised = pd.DataFrame(
        {
            "province": ["A", "A", "B", "B", "China", "China"],
            "year": [2010, 2015] * 3,
            "value": [1000.0, 950.0, 500.0, 520.0, 1500.0, 1470.0],
        }
    )
    first = pd.DataFrame(
        {"province": ["A", "B", "China", "C"], "year": [2015] * 4, "value": [1000.0, 500.0, 1500.0, 9.0]}
    )
    rates = revision_rates(revised, first, base_year=2010, year=2015)
    assert list(rates.index) == ["A", "B"]  # China is an aggregate; C has no revised series
    assert rates["A"] == pytest.approx(1000 * (-50 / 5) / 975)
    assert rates["B"] == pytest.approx(1000 * (20 / 5) / 510)
    with pytest.raises(ValueError, match="after the base year"):
        revision_rates(revised, first, base_year=2015, year=2015)
    # an adjustment equal to the built-in group effect removes it
    mig, pop, inc = _synthetic(group_effect=-10.0)
    adjustment = pd.Series({p: (-10.0 if p in ("Liaoning", "Jilin", "Heilongjiang") else 0.0) for p in PROVINCES})
    adjusted = push_pull_test(mig, pop, inc, migration_years=(2010, 2011), income_year=2008, adjustment=adjustment)
    assert adjusted.with_group.coef["in_group"] == pytest.approx(0.0, abs=1e-9)


def test_intercensal_rates_take_natural_growth_out_of_the_census_change():
    census = pd.DataFrame(
        {
            "province": ["A", "A", "B", "B", "China", "China"],
            "year": [2010, 2020] * 3,
            "value": [1000.0, 900.0, 500.0, 600.0, 1500.0, 1500.0],
        }
    )
    natural = pd.DataFrame(
        {
            "province": ["A", "A", "B", "China", "China"],
            "year": [2011, 2014, 2011, 2011, 2014],
            "value": [2.0, 4.0, 1.0, 3.0, 3.0],
        }
    )
    rates = intercensal_rates(census, natural, start=2010, end=2020, rate_years=(2011, 2014))
    assert list(rates.index) == ["A"]  # B lacks its 2014 rate; China is an aggregate
    assert rates["A"] == pytest.approx(1000 * (-100 / 10) / 950 - 3.0)
    with pytest.raises(ValueError):
        intercensal_rates(census, natural, start=2020, end=2010, rate_years=(2011,))


def test_fitting_given_rates_matches_fitting_the_series():
    mig, pop, inc = _synthetic(group_effect=-7.0)
    direct = push_pull_test(mig, pop, inc, migration_years=(2010, 2011), income_year=2008)
    rates = migration_rates(mig, pop, (2010, 2011))
    given = push_pull_from_rates(rates, inc, income_year=2008, migration_years=(2010, 2011))
    assert given.with_group.coef["in_group"] == pytest.approx(direct.with_group.coef["in_group"])
    with pytest.raises(ValueError, match="before the first migration year"):
        push_pull_from_rates(rates, inc, income_year=2011, migration_years=(2010, 2011))


def test_on_the_book_data_the_yearly_gap_is_the_revision_and_the_census_gap_survives_randomisation():
    population = data.series("population_yearend")
    income = data.series("gdp_per_capita", vintage="nbs_portal_2021")
    revision = revision_rates(population, data.series("population_yearend_earlier_vintage"), base_year=2010, year=2015)
    unrevised = push_pull_test(
        data.series("population_net_migration_residual"),
        population,
        income,
        migration_years=(2011, 2014),
        income_year=2010,
        adjustment=revision,
    )
    assert unrevised.with_group.coef["in_group"] > -5  # the yearly gap (about -12) is mostly the revision
    assert randomisation_test(unrevised.table, ["Liaoning", "Jilin", "Heilongjiang"]).p_lower > 0.1
    rates = intercensal_rates(
        data.series("population_census"),
        data.series("natural_growth_rate"),
        start=2010,
        end=2020,
        rate_years=(2011, 2014),
    )
    decade = push_pull_from_rates(rates, income, income_year=2010, migration_years=(2011, 2020))
    assert decade.simple.n == 31
    assert randomisation_test(decade.table, ["Liaoning", "Jilin", "Heilongjiang"]).p_lower < 0.01
    residuals = decade.simple.residuals
    assert residuals["Jilin"] < 2 * residuals["Liaoning"] and residuals["Heilongjiang"] < 2 * residuals["Liaoning"]


def test_randomisation_on_the_t_statistic_matches_statsmodels_hc1_for_every_set():
    from itertools import combinations

    from helpers.stats import regression

    rng = np.random.default_rng(3)
    names = [f"P{i}" for i in range(8)]
    table = pd.DataFrame(
        {"log_income": rng.normal(10, 0.5, 8), "migration_rate": rng.normal(0, 3, 8)}, index=pd.Index(names)
    )
    result = randomisation_test(table, ["P1", "P5"], statistic="t")
    assert result.statistic == "t" and result.n_groups == 28
    brute = []
    for pair in combinations(names, 2):
        fit = regression(table["migration_rate"], table[["log_income"]].assign(d=table.index.isin(pair).astype(int)))
        brute.append(fit.coef["d"] / fit.se["d"])
    assert np.allclose(np.sort(result.coefficients), np.sort(brute))
    fit = regression(
        table["migration_rate"], table[["log_income"]].assign(d=table.index.isin(["P1", "P5"]).astype(int))
    )
    assert result.observed == pytest.approx(fit.coef["d"] / fit.se["d"])
    assert result.p_lower == pytest.approx(np.mean(np.array(brute) <= result.observed + 1e-9))
    with pytest.raises(ValueError, match="statistic"):
        randomisation_test(table, ["P1", "P5"], statistic="z")


def test_the_t_statistic_ranks_a_shared_shift_above_one_extreme_province():
    # Sixteen provinces on the line except three: A and B both 5 below it, C alone 12 below it. On the coefficient,
    # every pair holding C (average about -6) ranks above the pair A, B (-5); on the t-statistic the pair A, B, whose
    # shortfall is shared, ranks first, and pairs holding C fall back (their spread makes the error large).
    rng = np.random.default_rng(4)
    names = [f"P{i}" for i in range(16)]
    log_income = pd.Series(np.linspace(9.5, 11.5, 16), index=names)
    rate = 4.0 * (log_income - 10.5) + rng.normal(0, 0.2, 16)
    rate[["P2", "P6"]] -= 5.0
    rate["P8"] -= 12.0
    table = pd.DataFrame({"log_income": log_income, "migration_rate": rate})
    on_coef = randomisation_test(table, ["P2", "P6"])
    on_t = randomisation_test(table, ["P2", "P6"], statistic="t")
    assert on_coef.rank > 10  # the 15 pairs holding C all rank above it
    assert on_t.rank == 1 and on_t.p_lower == pytest.approx(1 / 120)


def test_rank_correlation_test_matches_spearman_and_gives_small_p_only_for_a_strong_pairing():
    from helpers.analysis.push_pull import rank_correlation_test

    idx = [f"p{i}" for i in range(12)]
    x = pd.Series(np.arange(12.0), index=idx)
    y = pd.Series([11, 10, 9, 7, 8, 6, 5, 4, 2, 3, 1, 0.0], index=idx)
    strong = rank_correlation_test(x, y, n_resamples=20_000)
    assert strong.rho == pytest.approx(x.corr(y, method="spearman"))
    assert strong.n == 12 and strong.p_lower < 0.001 and strong.p_two_sided < 0.001
    noise = pd.Series(np.random.default_rng(1).permutation(12).astype(float), index=idx)
    weak = rank_correlation_test(x, noise, n_resamples=20_000)
    assert weak.rho == pytest.approx(x.corr(noise, method="spearman"))
    assert weak.p_two_sided > 0.05
    # missing pairs are dropped, and too few pairs are refused
    assert rank_correlation_test(x, y.drop("p0"), n_resamples=1_000).n == 11
    with pytest.raises(ValueError):
        rank_correlation_test(x.iloc[:3], y.iloc[:3])


def test_randomisation_names_its_groups_and_lists_those_further_below():
    rng = np.random.default_rng(3)
    names = [f"P{i}" for i in range(8)]
    table = pd.DataFrame({"log_income": rng.normal(size=8), "migration_rate": rng.normal(size=8)}, index=names)
    table.loc[["P0", "P1"], "migration_rate"] -= 3  # a group far below the line
    result = randomisation_test(table, ("P0", "P2"))
    assert len(result.groups) == result.n_groups == 28 and result.groups[0] == ("P0", "P1")
    lower = result.more_extreme()
    assert len(lower) == result.rank - 1
    by_group = dict(zip(result.groups, result.coefficients))
    assert all(by_group[g] < result.observed for g in lower)
    assert [by_group[g] for g in lower] == sorted(by_group[g] for g in lower)
    assert ("P0", "P1") in lower
