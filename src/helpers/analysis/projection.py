"""A cohort-component projection by single year of age, built from the few inputs the book holds.

The book holds, for each province, the 2020 census population, its shares aged 0-14, 15-59, 60+ and 65+,
and published crude birth and death rates. It does not hold single-year ages, age-specific fertility or
life tables. This module therefore makes four assumptions, each a parameter the reader can change:

1. Within each census age group people are spread evenly over single years of age (65+ over 65-89).
   The Northeast's real 15-59 group is top-heavy (the large cohorts born in the 1960s are now in their
   fifties), so this spreads too many people into young adult ages: it makes the projection too gentle.
2. Death rates follow a Gompertz curve, mu(x) = level * exp(slope * x), with a fixed slope; the level is
   calibrated so that the base population's crude death rate equals the published one.
3. Births follow a fixed age pattern (normal, mean 29, s.d. 5, ages 15-49) with women half of each age;
   the total fertility rate is calibrated so that the base population's crude birth rate equals the
   published one (an *implied* TFR: the book's estimate, not a census figure).
4. Net migration is a yearly rate applied to the people aged 18-40 (``migration_rate``), so an outflow
   shrinks with the pool it draws on and never empties an age; a fixed number of people a year spread
   evenly over ages 18-40 (``migrants``) is kept for exercises.

Each year: survivors age by one year (mu from assumption 2), births enter at age 0, migrants are added.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

TOP_AGE = 100  # ages 0..TOP_AGE-1; the last age is open-ended
GOMPERTZ_SLOPE = 0.09  # per year of age; a typical adult slope, an assumption
BIRTH_MEAN, BIRTH_SD = 29.0, 5.0
MIGRANT_AGES = (18, 40)


def spread_groups(groups: Mapping[tuple[int, int], float], top: int = TOP_AGE) -> np.ndarray:
    """People by single year of age from counts in age groups {(first_age, last_age): count}, spread
    evenly within each group. Groups must not overlap and must lie within 0..top-1."""
    ages = np.zeros(top)
    seen = np.zeros(top, dtype=bool)
    for (lo, hi), count in groups.items():
        if not (0 <= lo <= hi < top):
            raise ValueError(f"age group {lo}-{hi} is outside 0-{top - 1}")
        if seen[lo : hi + 1].any():
            raise ValueError(f"age group {lo}-{hi} overlaps another group")
        if count < 0:
            raise ValueError(f"age group {lo}-{hi} has a negative count {count}")
        seen[lo : hi + 1] = True
        ages[lo : hi + 1] = count / (hi - lo + 1)
    return ages


def census_groups(
    total: float, share_0_14: float, share_15_59: float, share_60plus: float, share_65plus: float, oldest: int = 89
) -> dict[tuple[int, int], float]:
    """The four census groups (0-14, 15-59, 60-64, 65-oldest) as counts, from shares in %."""
    shares = {
        (0, 14): share_0_14,
        (15, 59): share_15_59,
        (60, 64): share_60plus - share_65plus,
        (65, oldest): share_65plus,
    }
    if abs(share_0_14 + share_15_59 + share_60plus - 100) > 0.5:
        raise ValueError(
            f"census shares 0-14, 15-59 and 60+ add to {share_0_14 + share_15_59 + share_60plus:.2f}%, not 100%"
        )
    if not 0 <= share_65plus <= share_60plus:
        raise ValueError(f"share 65+ ({share_65plus}) must lie between 0 and the share 60+ ({share_60plus})")
    return {group: total * share / 100 for group, share in shares.items()}


def gompertz(level: float, slope: float = GOMPERTZ_SLOPE, top: int = TOP_AGE) -> np.ndarray:
    """Probability of dying within the year at each age, from the hazard level*exp(slope*age) (capped at 1)."""
    hazard = level * np.exp(slope * np.arange(top))
    return np.minimum(1.0, 1.0 - np.exp(-hazard))


def _solve(f, target: float, lo: float, hi: float) -> float:
    """Bisection on a function increasing in its argument."""
    if not f(lo) <= target <= f(hi):
        raise ValueError(f"target {target} is not reachable in [{f(lo)}, {f(hi)}]")
    for _ in range(200):
        mid = (lo * hi) ** 0.5 if lo > 0 else (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < target else (lo, mid)
    return (lo * hi) ** 0.5 if lo > 0 else (lo + hi) / 2


def calibrate_mortality(ages: np.ndarray, crude_death_rate: float, slope: float = GOMPERTZ_SLOPE) -> float:
    """The Gompertz level at which the population ``ages`` has the given crude death rate (per 1,000)."""
    target = crude_death_rate / 1000 * ages.sum()
    return _solve(lambda level: float((ages * gompertz(level, slope, len(ages))).sum()), target, 1e-9, 1.0)


def birth_pattern(top: int = TOP_AGE) -> np.ndarray:
    """Share of a woman's lifetime births at each age (sums to 1 over ages 15-49)."""
    age = np.arange(top)
    w = np.where((age >= 15) & (age <= 49), np.exp(-0.5 * ((age - BIRTH_MEAN) / BIRTH_SD) ** 2), 0.0)
    return w / w.sum()


def births(ages: np.ndarray, tfr: float, female_share: float = 0.5) -> float:
    """Births in a year: women at each age times the age-specific rate tfr * pattern."""
    return float(tfr * (female_share * ages * birth_pattern(len(ages))).sum())


def implied_tfr(ages: np.ndarray, crude_birth_rate: float, female_share: float = 0.5) -> float:
    """The total fertility rate at which the population ``ages`` has the given crude birth rate (per 1,000)."""
    per_unit = births(ages, 1.0, female_share)
    if per_unit <= 0:
        raise ValueError("no women of child-bearing age in the base population")
    return crude_birth_rate / 1000 * ages.sum() / per_unit


def project(
    ages: np.ndarray,
    *,
    years: int,
    tfr: float,
    mortality_level: float,
    migrants: float = 0.0,
    slope: float = GOMPERTZ_SLOPE,
    female_share: float = 0.5,
    start: int = 0,
    mortality_change: float = 0.0,
    migration_rate: float = 0.0,
) -> pd.DataFrame:
    """Carry the population forward ``years`` years. Returns one row per year (start..start+years) with
    the total, births, deaths and the counts aged 0-14, 15-64 and 65+ (same unit as ``ages``).
    ``mortality_change`` is the yearly proportional change of the Gompertz level (-0.01: death rates at
    every age fall 1% a year; 0, the default: held constant). ``migration_rate`` is the yearly net
    migration as a fraction of the people at ages 18-40 after ageing (-0.05: 5% of them leave each year);
    ``migrants`` a fixed number a year spread evenly over those ages. Both may be given; they add."""
    if years < 0:
        raise ValueError("years must be 0 or more")
    if tfr < 0 or mortality_level < 0:
        raise ValueError("tfr and mortality_level must not be negative")
    if mortality_change <= -1:
        raise ValueError("mortality_change must be above -1 (a fall of less than 100% a year)")
    if migration_rate <= -1:
        raise ValueError("migration_rate must be above -1 (fewer than all of an age can leave in a year)")
    lo, hi = MIGRANT_AGES
    per_age_migrants = np.zeros(len(ages))
    per_age_migrants[lo : hi + 1] = migrants / (hi - lo + 1)
    pop = np.asarray(ages, dtype=float).copy()
    rows = []
    for t in range(years + 1):
        q = gompertz(mortality_level * (1 + mortality_change) ** t, slope, len(ages))
        b, deaths = births(pop, tfr, female_share), float((pop * q).sum())
        rows.append(
            {
                "year": start + t,
                "population": pop.sum(),
                "births": b,
                "deaths": deaths,
                "aged_0_14": pop[:15].sum(),
                "aged_15_64": pop[15:65].sum(),
                "aged_65plus": pop[65:].sum(),
            }
        )
        if t == years:
            break
        survivors = pop * (1 - q)
        nxt = np.zeros_like(pop)
        nxt[1:] = survivors[:-1]
        nxt[-1] += survivors[-1]  # the open-ended top age keeps its survivors
        nxt[0] = b
        nxt[lo : hi + 1] *= 1 + migration_rate
        pop = np.maximum(nxt + per_age_migrants, 0.0)
    out = pd.DataFrame(rows)
    out["share_65plus"] = 100 * out["aged_65plus"] / out["population"]
    return out


def book_base(
    province: str, census_year: int = 2020, rate_year: int = 2021, migration_years: tuple[int, int] = (2011, 2020)
) -> dict:
    """The projection's inputs for one province, all from the book's data: the census count and age
    shares (``census_year``), the published crude birth and death rates (``rate_year``), the calibrated
    mortality level and implied TFR, and net migration between the two censuses that bound
    ``migration_years`` (2010 and 2020 by default): the census-to-census change per 1,000 residents a year
    (of the mean of the two counts) minus the mean natural growth rate of the years in ``migration_years``
    whose rate is held. No yearly population series enters, so the NBS back-revision of 2011-2019 does
    not. ``migration_rate`` expresses it as a yearly rate on the people aged 18-40 in the base population
    (the rate :func:`project` takes); ``residual_per_1000`` keeps the mean of the yearly residuals."""
    from helpers import data  # imported here so that the projection functions work without the data package

    def one(series: str, year: int) -> float:
        frame = data.series(series)
        rows = frame[(frame["province"] == province) & (frame["year"] == year)]
        if len(rows) != 1:
            raise KeyError(f"{series}: expected one row for {province} {year}, found {len(rows)}")
        return float(rows["value"].iloc[0])

    total = one("population_census", census_year)
    ages = spread_groups(
        census_groups(
            total,
            one("population_0_14_share", census_year),
            one("population_15_59_share", census_year),
            one("population_60plus_share", census_year),
            one("population_65plus_share", census_year),
        )
    )
    birth_rate, death_rate = one("birth_rate", rate_year), one("death_rate", rate_year)
    residual = data.series("population_net_migration_residual").pivot(index="year", columns="province", values="value")
    yearend = data.series("population_yearend").pivot(index="year", columns="province", values="value")
    lo, hi = migration_years
    per_1000 = (1000 * residual[province] / yearend[province]).loc[lo:hi].dropna()
    if per_1000.empty:
        raise KeyError(f"no migration residual for {province} in {lo}-{hi}")
    rates = data.series("natural_growth_rate")
    rates = rates[(rates["province"] == province) & rates["year"].between(lo, hi)]["value"].dropna()
    first_count, last_count = one("population_census", lo - 1), one("population_census", hi)
    mean_count = (first_count + last_count) / 2
    intercensal = 1000 * (last_count - first_count) / (hi - lo + 1) / mean_count - float(rates.mean())
    lo_age, hi_age = MIGRANT_AGES
    return {
        "province": province,
        "census_year": census_year,
        "rate_year": rate_year,
        "population": total,
        "ages": ages,
        "birth_rate": birth_rate,
        "death_rate": death_rate,
        "tfr": implied_tfr(ages, birth_rate),
        "mortality_level": calibrate_mortality(ages, death_rate),
        "migration_per_1000": intercensal,
        "migration_rate": intercensal / 1000 * total / float(ages[lo_age : hi_age + 1].sum()),
        "residual_per_1000": float(per_1000.mean()),
        "migration_years": len(rates),
    }


def scenarios(
    base: dict, end: int = 2050, migration_shares: Mapping[str, float] | None = None, tfr: float | None = None
) -> pd.DataFrame:
    """Project ``base`` (from :func:`book_base`) to ``end`` under named migration scenarios, each a
    multiple of the base's migration rate on ages 18-40 (default: none, half, all of the 2010s rate).
    Long format: scenario, year, population, share_65plus, index (census year = 100)."""
    if migration_shares is None:
        migration_shares = {"No migration": 0.0, "Half the 2010s outflow": 0.5, "The 2010s outflow": 1.0}
    frames = []
    for name, share in migration_shares.items():
        path = project(
            base["ages"],
            years=end - base["census_year"],
            tfr=base["tfr"] if tfr is None else tfr,
            mortality_level=base["mortality_level"],
            migration_rate=share * base["migration_rate"],
            start=base["census_year"],
        )
        frames.append(
            path.assign(scenario=name, province=base["province"], index=100 * path["population"] / base["population"])
        )
    return pd.concat(frames, ignore_index=True)


def grid(
    base: dict,
    *,
    end: int,
    tfrs: Mapping[str, float],
    mortality_changes: Mapping[str, float],
    migration_shares: Mapping[str, float],
) -> pd.DataFrame:
    """Project ``base`` (from :func:`book_base`) to ``end`` under every combination of the named
    assumptions: total fertility rates, yearly changes of mortality (see :func:`project`) and migration as
    a multiple of the base's migration rate on ages 18-40. Long format: fertility, mortality, migration (the
    names), year, population, share_65plus, index (census year = 100), province."""
    frames = []
    for f_name, tfr in tfrs.items():
        for m_name, change in mortality_changes.items():
            for g_name, share in migration_shares.items():
                path = project(
                    base["ages"],
                    years=end - base["census_year"],
                    tfr=tfr,
                    mortality_level=base["mortality_level"],
                    migration_rate=share * base["migration_rate"],
                    start=base["census_year"],
                    mortality_change=change,
                )
                frames.append(
                    path.assign(
                        fertility=f_name,
                        mortality=m_name,
                        migration=g_name,
                        province=base["province"],
                        index=100 * path["population"] / base["population"],
                    )
                )
    return pd.concat(frames, ignore_index=True)


def band(paths: pd.DataFrame, central: Mapping[str, str], by: tuple[str, ...] = ("province", "year")) -> pd.DataFrame:
    """The range of ``index`` across the assumptions in ``paths`` (from :func:`grid`), per ``by``: columns
    low, high and central (the path whose fertility, mortality and migration names are ``central``)."""
    missing = {"fertility", "mortality", "migration"} - set(central)
    if missing:
        raise KeyError(f"central needs a name for {sorted(missing)}")
    keys = list(by)
    is_central = (
        (paths["fertility"] == central["fertility"])
        & (paths["mortality"] == central["mortality"])
        & (paths["migration"] == central["migration"])
    )
    if not is_central.any():
        raise KeyError(f"no path with the central assumptions {dict(central)}")
    out = paths.groupby(keys)["index"].agg(low="min", high="max").reset_index()
    mid = paths[is_central].groupby(keys)["index"].mean().rename("central").reset_index()
    return out.merge(mid, on=keys, how="left")


def life_expectancy(level: float, slope: float = GOMPERTZ_SLOPE, top: int = TOP_AGE) -> float:
    """Life expectancy at birth implied by the Gompertz schedule (deaths at mid-year on average; the
    open top age contributes its survivors' remaining years at the top age's death probability)."""
    q = gompertz(level, slope, top)
    alive = np.concatenate([[1.0], np.cumprod(1 - q)])  # survivors at exact ages 0..top
    years = float(((alive[:-1] + alive[1:]) / 2)[:-1].sum())
    last_q = q[-1]
    return years + float(alive[-2]) * (1 / last_q - 0.5 if last_q > 0 else 0.0)
