import numpy as np
import pandas as pd
import pytest

from helpers import data
from helpers.analysis.push_pull import migration_rates, push_pull_test

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
