"""The talent chapter's stock of graduates: residents with a university education per 100,000 (censuses)."""

import math

import pytest

from helpers import data
from helpers.analysis.graduates import college_stock, weighted_share

NE = ["Liaoning", "Jilin", "Heilongjiang"]


@pytest.fixture(scope="module")
def stock():
    return college_stock()


@pytest.fixture(scope="module")
def census_2020():
    census = data.series("population_census")
    return census[census["year"] == 2020].set_index("province")["value"]


def test_the_national_figures_are_the_communique_s(stock):
    assert stock.loc["China", "y2010"] == 8930 and stock.loc["China", "y2020"] == 15467
    assert stock.loc["China", "change"] == 15467 - 8930


def test_all_31_provinces_are_held_for_2020_and_ranked(stock):
    provinces = stock.drop(index="China")
    assert len(provinces) == 31 and provinces["y2020"].notna().all()
    assert provinces["rank_2020"].min() == 1 and stock.loc["Beijing", "rank_2020"] == 1
    assert stock.loc["Liaoning", "rank_2020"] == 7


def test_2010_is_held_only_where_a_source_gives_it(stock):
    assert set(stock[stock["y2010"].notna()].index) == {"China", "Liaoning", "Jilin"}
    assert math.isnan(stock.loc["Heilongjiang", "change"])


def test_the_northeast_weighted_by_census_counts_is_the_nbs_16_75_per_cent(stock, census_2020):
    # the NBS commissioner's figure for the Northeast at the press conference of 11 May 2021 (as reported)
    assert weighted_share(stock.loc[NE, "y2020"], census_2020) == pytest.approx(16.75, abs=0.005)


def test_the_31_provinces_weighted_are_close_to_the_national_figure(stock, census_2020):
    # the national figure also counts the active military, so it is a little higher
    provinces = stock.drop(index="China")["y2020"]
    share = weighted_share(provinces, census_2020.drop("China"))
    assert share < stock.loc["China", "y2020"] / 1000 and share == pytest.approx(15.467, rel=0.01)


def test_a_province_without_a_census_count_is_refused(stock, census_2020):
    with pytest.raises(ValueError, match="Jilin"):
        weighted_share(stock.loc[NE, "y2020"], census_2020.drop("Jilin"))
