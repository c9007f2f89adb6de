import pandas as pd
import pytest

from helpers.analysis.spending_functions import function_table, group_test


def _frame(values, year=2023):
    return pd.DataFrame([{"province": p, "year": year, "value": v} for p, v in values.items()])


TOTAL = _frame({"A": 100.0, "B": 200.0, "C": 300.0})
EDU = _frame({"A": 10.0, "B": 40.0, "C": 36.0})
POP = _frame({"A": 100.0, "B": 400.0, "C": 500.0})  # 10,000 persons


def test_shares_per_resident_and_ranks_by_hand():
    out = function_table({"education": EDU}, TOTAL, POP, 2023, ["A", "B", "C"], groups={"AB": ["A", "B"]})
    assert out.loc["A", "education_share"] == pytest.approx(10.0)
    assert out.loc["B", "education_share"] == pytest.approx(20.0)
    # 10 × 10^8 yuan ÷ (100 × 10^4 persons) = 1,000 yuan per resident
    assert out.loc["A", "education_per_resident"] == pytest.approx(1000.0)
    assert out.loc["A", "total_per_resident"] == pytest.approx(10000.0)
    # groups are ratios of sums: (10 + 40) ÷ (100 + 200)
    assert out.loc["AB", "education_share"] == pytest.approx(100 * 50 / 300)
    assert out.loc["AB", "education_per_resident"] == pytest.approx(50e8 / 500e4)
    assert out.loc["B", "education_share_rank"] == 1 and out.loc["A", "education_share_rank"] == 3
    assert pd.isna(out.loc["AB", "education_share_rank"])


def test_missing_province_and_function_above_total_are_refused():
    with pytest.raises(ValueError, match="no value for C in 2023"):
        function_table({"education": EDU[EDU["province"] != "C"]}, TOTAL, POP, 2023, ["A", "B", "C"])
    with pytest.raises(ValueError, match="above the total"):
        function_table({"education": _frame({"A": 101.0, "B": 1.0, "C": 1.0})}, TOTAL, POP, 2023, ["A", "B", "C"])


def test_group_test_counts_every_group():
    values = pd.Series({"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0, "E": 5.0})
    low = group_test(values, ["A", "B"])
    # 10 pairs; (A, B) has the lowest mean, 1.5, and no other pair ties it
    assert low.n_groups == 10 and low.p_low == pytest.approx(0.1) and low.p_high == pytest.approx(1.0)
    assert low.others_median == pytest.approx(4.0)
    assert low.p_two_sided == pytest.approx(0.2)
    mid = group_test(values, ["A", "E"])  # mean 3: pairs at or below are 6 of 10 (AB AC AD AE BC BD)
    assert mid.p_low == pytest.approx(0.6)
    with pytest.raises(KeyError):
        group_test(values, ["A", "Z"])
