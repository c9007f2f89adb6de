"""helpers.analysis.regional_shares: a group's share of the provinces' total, one edition at a time."""

import pandas as pd
import pytest

from helpers import data
from helpers.analysis.regional_shares import group_share


def _frame():
    return pd.DataFrame(
        {
            "province": ["A", "B", "C", "A", "B", "C", "A", "B"],
            "year": [2000, 2000, 2000, 2001, 2001, 2001, 2002, 2002],
            "value": [1.0, 1.0, 2.0, 3.0, 1.0, 0.0, 5.0, 5.0],
            "vintage": ["v1"] * 8,
        }
    )


def test_share_within_each_complete_year():
    share = group_share(_frame(), ["A", "B"], ["A", "B", "C"]).set_index("year")["value"]
    assert share.to_dict() == {2000: 50.0, 2001: 100.0}  # 2002 lacks C, so it is left out


def test_vintages_are_kept_apart():
    both = pd.concat([_frame(), _frame().assign(vintage="v2", value=lambda f: f["value"] * 2)])
    share = group_share(both, ["A"], ["A", "B", "C"])
    assert set(share["vintage"]) == {"v1", "v2"} and len(share) == 4


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="Z"):
        group_share(_frame(), ["Z"], ["A", "B", "C"])
    with pytest.raises(ValueError, match="two values for A in 2000"):
        group_share(pd.concat([_frame(), _frame().iloc[:1]]), ["A"], ["A", "B", "C"])
    with pytest.raises(ValueError, match="no year"):
        group_share(_frame(), ["A"], ["A", "B", "C", "D"])


def test_matches_the_books_derived_gdp_share():
    # The same computation as the derived series gdp_share_of_provinces_compendium, on the same data.
    provinces = list(data.provinces()["province"])
    gdp = data.series("gdp_nominal", vintage="compendium_2010")
    ours = group_share(gdp, data.NORTHEAST, provinces).set_index("year")["value"]
    book = data.series("gdp_share_of_provinces_compendium").query("province == 'Northeast'").set_index("year")["value"]
    pd.testing.assert_series_equal(ours.loc[book.index], book, check_names=False, atol=1e-9)


def test_group_ratio_sums_before_dividing():
    from helpers.analysis.regional_shares import group_ratio

    num = pd.DataFrame({"province": ["A", "B", "A"], "year": [1, 1, 2], "value": [1.0, 3.0, 2.0]})
    den = pd.DataFrame({"province": ["A", "B", "A", "B"], "year": [1, 1, 2, 2], "value": [10.0, 10.0, 10.0, 10.0]})
    ratio = group_ratio(num, den, ["A", "B"])
    assert ratio.to_dict() == {1: 20.0}  # year 2 lacks B's numerator
    with pytest.raises(ValueError):
        group_ratio(num, den, ["C"])


def test_group_ratio_reproduces_the_books_northeast_private_jobs():
    from helpers.analysis.regional_shares import group_ratio

    ours = group_ratio(
        data.series("private_employment"), data.series("population_yearend", vintage="nbs_portal_2025"), data.NORTHEAST
    )
    book = data.series("private_employment_per_100").query("province == 'Northeast'").set_index("year")["value"]
    pd.testing.assert_series_equal(ours.loc[book.index], book, check_names=False, atol=1e-9)
