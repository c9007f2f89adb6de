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
) -> PushPullTest:
    """Regress net migration (per 1,000 a year over ``migration_years``) on the log of income in
    ``income_year``, without and with a dummy for ``group``; HC1 standard errors.

    Raises ``ValueError`` if income is not measured before the first migration year (the point of the
    test is that income comes first) or if a province of ``group`` has no data.
    """
    migration_years = tuple(sorted(migration_years))
    if income_year >= migration_years[0]:
        raise ValueError(
            f"income ({income_year}) must be measured before the first migration year ({migration_years[0]})"
        )
    rates = migration_rates(migration, population, migration_years)
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
