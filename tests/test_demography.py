"""The population accounting behind the demographics chapter: hand-checkable cases."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import data, demography


def tidy(rows):
    return pd.DataFrame(rows, columns=["province", "year", "value"])


POP = tidy([("Jilin", 2000, 1000.0), ("Jilin", 2001, 990.0), ("Jilin", 2002, 985.0), ("Jilin", 2003, 970.0)])
RATE = tidy([("Jilin", 2001, -2.0), ("Jilin", 2002, -4.0)])


def test_components_split_change_into_natural_and_residual():
    parts = demography.components(POP, RATE).set_index("year")
    assert list(parts.index) == [2001, 2002]  # 2003 has no rate: no row, not a guess
    # 2001: mean population 995, natural = −2/1000 × 995 = −1.99; change −10; residual −8.01
    assert parts.loc[2001, "natural"] == pytest.approx(-1.99)
    assert parts.loc[2001, "migration"] == pytest.approx(-8.01)
    assert (parts["natural"] + parts["migration"]).tolist() == pytest.approx(parts["change"].tolist())


def test_interval_refuses_to_total_over_missing_years():
    full = demography.interval(POP, RATE, 2000, 2002).iloc[0]
    assert full["change"] == pytest.approx(-15) and full["missing_years"] == ""
    gap = demography.interval(POP, RATE, 2000, 2003).iloc[0]
    assert gap["change"] is None and gap["missing_years"] == "2003"


def test_components_reject_duplicate_population_rows():
    with pytest.raises(ValueError, match="duplicate"):
        demography.components(pd.concat([POP, POP.iloc[:1]]), RATE)


def test_project_compounds_rates_and_migration():
    path = demography.project(100.0, 10.0, 5.0, start=2020, end=2022, migration=1.0)
    assert path["population"].tolist() == pytest.approx([100.0, 101.5, 101.5 * 1.005 + 1])
    assert demography.project(100.0, 0.0, 0.0, start=2020, end=2021, fertility=2.0)["population"].iloc[-1] == 100.0
    with pytest.raises(ValueError):
        demography.project(-1.0, 1.0, 1.0, start=2020)
    with pytest.raises(ValueError):
        demography.project(1.0, 1.0, 1.0, start=2020, end=2020)


def test_death_step_is_the_slope_between_published_years():
    rates = tidy([("Jilin", 2010, 5.0), ("Jilin", 2014, 7.0), ("Jilin", 2020, 9.0)])
    assert demography.death_step(rates, "Jilin", range(2010, 2021)) == pytest.approx(0.4)
    with pytest.raises(ValueError):
        demography.death_step(rates, "Jilin", [2014])


def test_derived_components_add_up_to_the_published_change():
    natural = data.series("population_natural_increase").set_index(["province", "year"])["value"]
    residual = data.series("population_net_migration_residual").set_index(["province", "year"])["value"]
    pop = data.series("population_yearend").set_index(["province", "year"])["value"]
    assert len(natural) > 50 and natural.index.equals(residual.index)
    for (province, year), value in (natural + residual).items():
        assert value == pytest.approx(pop[(province, year)] - pop[(province, year - 1)])


def test_longest_spans_pick_the_longest_unbroken_run():
    pop = tidy([("Jilin", y, 1000.0 - 10 * (y - 2000)) for y in range(2000, 2008)])
    rate = tidy([("Jilin", y, -1.0) for y in (2001, 2003, 2004, 2005, 2007)])
    span = demography.longest_spans(pop, rate, ["Jilin"]).iloc[0]
    assert (span["start"], span["end"]) == (2002, 2005)  # rates for 2003-2005: year-ends 2002 to 2005
    assert span["change"] == pytest.approx(-30)
    assert span["migration_share"] == pytest.approx(100 * span["migration"] / -30)


@pytest.mark.parametrize("fertility, migration", [(1.0, 0.0), (2.0, 0.0), (1.5, -4.0), (0.5, 3.0)])
def test_closed_form_matches_the_year_by_year_projection(fertility, migration):
    path = demography.project(
        2000.0, 4.0, 9.0, start=2023, end=2050, fertility=fertility, migration=migration / 1000 * 2000.0
    )
    expected = 100 * path["population"] / 2000.0
    got = [demography.closed_form(4.0, 9.0, t, fertility, migration) for t in range(len(path))]
    assert got == pytest.approx(expected.tolist())


def test_natural_decrease_onset_separates_first_dip_from_lasting_decrease():
    rates = pd.DataFrame(
        [
            ("A", 2010, 0.5),
            ("A", 2011, -0.3),
            ("A", 2014, 0.2),
            ("A", 2015, -0.4),
            ("A", 2018, -1.0),
            ("B", 2014, 0.9),
            ("B", 2015, -0.6),
            ("C", 2015, 0.1),
            ("D", 2012, -0.1),
            ("D", 2013, -0.2),
        ],
        columns=["province", "year", "value"],
    )
    out = demography.natural_decrease_onset(rates, ["A", "B", "C", "D"]).set_index("province")
    assert out.loc["A", "first_negative"] == 2011 and out.loc["A", "negative_since"] == 2015
    assert out.loc["A", "last_positive"] == 2014 and out.loc["A", "gaps"] == [2012, 2013, 2016, 2017]
    assert out.loc["B", "first_negative"] == 2015 and out.loc["B", "negative_since"] == 2015
    assert out.loc["C", "first_negative"] is None and out.loc["C", "negative_since"] is None
    assert out.loc["D", "negative_since"] == 2012 and out.loc["D", "last_positive"] is None
    with pytest.raises(KeyError):
        demography.natural_decrease_onset(rates, ["Atlantis"])
