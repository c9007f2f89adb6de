import pandas as pd
import pytest

from helpers.analysis.ranking import province_ranks


def test_ranks_highest_first_with_ties_sharing_the_better_rank_and_aggregates_dropped():
    frame = pd.DataFrame({"province": ["A", "B", "C", "China"], "year": [2020] * 4, "value": [5.0, 9.0, 5.0, 99.0]})
    ranks = province_ranks(frame, n=3)
    assert ranks.loc[2020].to_dict() == {"A": 2, "B": 1, "C": 2}


def test_incomplete_years_are_refused_by_name():
    frame = pd.DataFrame({"province": ["A", "B", "A"], "year": [2020, 2020, 2021], "value": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="2021"):
        province_ranks(frame, n=2)


def test_ascending_ranks_lowest_first():
    frame = pd.DataFrame({"province": ["A", "B"], "year": [2020, 2020], "value": [1.0, 2.0]})
    assert province_ranks(frame, n=2, ascending=True).loc[2020, "A"] == 1
