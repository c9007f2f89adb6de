"""Population accounting for the demographics chapter.

Two tools, both deliberately simple and documented where they are used:

* :func:`components` splits each year's population change into natural increase (births minus
  deaths, from the published natural growth rate) and a residual that stands for net migration
  (plus any statistical error: the residual absorbs whatever the two published figures disagree on).
* :func:`project` is an *illustrative* projection, not a forecast: it carries a population forward
  with a crude birth rate scaled by a fertility factor, a death rate that drifts by a fixed amount
  each year, and a fixed number of net migrants. It has no age structure; its assumptions are stated
  in :data:`PROJECTION_ASSUMPTIONS` and repeated on the page.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

PROJECTION_ASSUMPTIONS = (
    "Illustrative, not a forecast. Each year: births = birth rate × fertility factor × population; "
    "deaths = death rate × population, with the death rate rising by a fixed step every year; plus a "
    "fixed number of net migrants. Base rates are the province's latest published birth and death "
    "rates; the death-rate step is the average yearly rise over the decade before. The model has no "
    "age structure: it cannot see that fewer young women today mean fewer births tomorrow, so with "
    "low fertility it understates the fall."
)


# The path of :func:`project` with a constant death rate, in closed form, as a Vega expression over
# the fields birth_rate, death_rate and t (years since the base year); {f} is the fertility factor and
# {m} the net migration per 1,000 of the base population a year. Result: population, base year = 100.
# With r = (birth_rate·f − death_rate)/1000 and M = m/1000 (per unit of base population):
#   P_t / P_0 = (1 + r)^t + M · ((1 + r)^t − 1) / r      (and 1 + M·t when r = 0)
CLOSED_FORM = (
    "100 * (pow(1 + (datum.birth_rate * {f} - datum.death_rate) / 1000, datum.t) + "
    "((datum.birth_rate * {f} - datum.death_rate) == 0 ? ({m}) / 1000 * datum.t : "
    "({m}) / 1000 * (pow(1 + (datum.birth_rate * {f} - datum.death_rate) / 1000, datum.t) - 1) / "
    "((datum.birth_rate * {f} - datum.death_rate) / 1000)))"
)


def closed_form(birth_rate: float, death_rate: float, t: int, fertility: float = 1.0, migration: float = 0.0) -> float:
    """Python twin of :data:`CLOSED_FORM` (population index, base year = 100), for tests and prose."""
    r = (birth_rate * fertility - death_rate) / 1000
    m = migration / 1000
    growth = (1 + r) ** t
    return 100 * (growth + (m * t if r == 0 else m * (growth - 1) / r))


def components(population: pd.DataFrame, natural_rate: pd.DataFrame) -> pd.DataFrame:
    """Yearly change, natural increase and residual (net migration) per province.

    ``population``: tidy year-end population (10,000 persons); ``natural_rate``: tidy natural growth
    rate (‰). A row is produced only where the year-end population of the year and of the year before
    and the year's rate all exist. Natural increase = rate ÷ 1000 × mean of the opening and closing
    population; residual = change − natural increase. All three in 10,000 persons.
    """
    p = population.set_index(["province", "year"])["value"]
    if p.index.duplicated().any():
        raise ValueError("population has duplicate province-years")
    opening = p.rename(lambda y: y + 1, level="year")
    r = natural_rate.set_index(["province", "year"])["value"]
    index = r.index.intersection(p.index).intersection(opening.index)
    mean = (p.reindex(index) + opening.reindex(index)) / 2
    natural = r.reindex(index) / 1000 * mean
    change = p.reindex(index) - opening.reindex(index)
    out = pd.DataFrame({"change": change, "natural": natural, "migration": change - natural})
    return out.reset_index().sort_values(["province", "year"], ignore_index=True)


def interval(population: pd.DataFrame, natural_rate: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Change between the year-ends ``start`` and ``end`` split into natural increase and residual.

    Only provinces whose rate is published for every year ``start + 1`` … ``end`` get a row; the
    others are reported in the ``missing_years`` column with no totals (a gap is never filled).
    """
    yearly = components(population, natural_rate)
    need = set(range(start + 1, end + 1))
    rows = []
    for province, group in yearly.groupby("province"):
        got = set(group["year"]) & need
        missing = sorted(need - got)
        if missing:
            rows.append(
                {
                    "province": province,
                    "start": start,
                    "end": end,
                    "change": None,
                    "natural": None,
                    "migration": None,
                    "missing_years": ",".join(map(str, missing)),
                }
            )
            continue
        part = group[group["year"].isin(need)]
        rows.append(
            {
                "province": province,
                "start": start,
                "end": end,
                "change": part["change"].sum(),
                "natural": part["natural"].sum(),
                "migration": part["migration"].sum(),
                "missing_years": "",
            }
        )
    return pd.DataFrame(rows)


def project(
    population: float,
    birth_rate: float,
    death_rate: float,
    *,
    start: int,
    end: int = 2050,
    fertility: float = 1.0,
    migration: float = 0.0,
    death_step: float = 0.0,
) -> pd.DataFrame:
    """Carry ``population`` (any unit) forward from year-end ``start`` to ``end``.

    ``birth_rate`` and ``death_rate`` are per 1,000 in the base year; ``fertility`` multiplies the
    birth rate (1 = today's); ``migration`` is net migrants per year in the population's unit;
    ``death_step`` is added to the death rate (‰) each year. Returns year, population, births,
    deaths, migration.
    """
    if population <= 0:
        raise ValueError("population must be positive")
    if fertility < 0 or birth_rate < 0 or death_rate < 0:
        raise ValueError("rates and the fertility factor cannot be negative")
    if end <= start:
        raise ValueError("end must be after start")
    rows = [{"year": start, "population": population, "births": None, "deaths": None, "migration": None}]
    pop = population
    for year in range(start + 1, end + 1):
        d_rate = max(death_rate + death_step * (year - start), 0.0)
        births = birth_rate * fertility / 1000 * pop
        deaths = d_rate / 1000 * pop
        pop = max(pop + births - deaths + migration, 0.0)
        rows.append({"year": year, "population": pop, "births": births, "deaths": deaths, "migration": migration})
    return pd.DataFrame(rows)


def death_step(death_rate: pd.DataFrame, province: str, years: Iterable[int]) -> float:
    """Average yearly change of the death rate (‰ per year) between the first and last of ``years``
    for which the province's rate is published (a straight line through two published points)."""
    rows = death_rate[(death_rate["province"] == province) & death_rate["year"].isin(list(years))]
    rows = rows.sort_values("year")
    if len(rows) < 2:
        raise ValueError(f"need two published death rates for {province} in the years given")
    first, last = rows.iloc[0], rows.iloc[-1]
    return (last["value"] - first["value"]) / (last["year"] - first["year"])


def longest_spans(population: pd.DataFrame, natural_rate: pd.DataFrame, areas: Iterable[str]) -> pd.DataFrame:
    """For each area, the longest unbroken run of years that :func:`components` can split, as an
    :func:`interval` row (change, natural, migration between the year-ends ``start`` and ``end``) plus
    ``migration_share``: the residual's share of the change, in per cent. Ties go to the latest run."""
    yearly = components(population, natural_rate)
    rows = []
    for area in areas:
        years = sorted(yearly.loc[yearly["province"] == area, "year"])
        best: tuple[int, int] | None = None
        run_start = None
        for i, year in enumerate(years):
            if i == 0 or year != years[i - 1] + 1:
                run_start = year
            if best is None or year - run_start >= best[1] - best[0]:
                best = (run_start, year)
        if best is None:
            continue
        row = interval(population, natural_rate, best[0] - 1, best[1])
        rows.append(row[row["province"] == area])
    out = pd.concat(rows, ignore_index=True)
    return out.assign(migration_share=100 * out["migration"] / out["change"])


def natural_decrease_onset(natural_rate: pd.DataFrame, areas: Iterable[str]) -> pd.DataFrame:
    """When births minus deaths turned negative, per area, from a tidy rate table (province, year, value).

    For each area: ``first_negative`` (the first year held with a negative rate), ``negative_since`` (the
    first year of the final run of held years that are all negative; missing if the latest rate held is
    not negative), ``last_positive`` (the latest year held with a rate of 0 or more, if any), ``years_held``
    and ``gaps`` (years missing between the first negative year and the last year held). Years without a
    published rate are not guessed: a run "since" a year is a run over the years held."""
    rows = []
    for area in areas:
        rates = natural_rate[natural_rate["province"] == area].set_index("year")["value"].sort_index().dropna()
        if rates.empty:
            raise KeyError(f"no natural growth rate for {area}")
        negative = rates[rates < 0]
        non_negative = rates[rates >= 0]
        first_negative = int(negative.index.min()) if len(negative) else None
        last_positive = int(non_negative.index.max()) if len(non_negative) else None
        if rates.iloc[-1] >= 0:
            since = None
        elif last_positive is None:
            since = first_negative
        else:
            since = int(negative.index[negative.index > last_positive].min())
        gaps = (
            sorted(set(range(first_negative, int(rates.index.max()) + 1)) - set(rates.index))
            if first_negative is not None
            else []
        )
        rows.append(
            {
                "province": area,
                "first_negative": first_negative,
                "negative_since": since,
                "last_positive": last_positive,
                "years_held": len(rates),
                "gaps": gaps,
            }
        )
    return pd.DataFrame(rows, dtype=object)  # object: a year that never came stays None, not NaN
