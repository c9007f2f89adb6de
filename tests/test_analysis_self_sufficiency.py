import numpy as np
import pandas as pd
import pytest

from helpers.analysis.self_sufficiency import share_of_fall, yearly_changes


def _frame(values):
    return pd.DataFrame([{"province": p, "year": y, "value": v} for (p, y), v in values.items()])


REV = _frame({("A", 2014): 50, ("A", 2015): 50, ("A", 2016): 60, ("B", 2014): 30, ("B", 2015): 33, ("B", 2016): 30})
EXP = _frame(
    {("A", 2014): 100, ("A", 2015): 125, ("A", 2016): 120, ("B", 2014): 100, ("B", 2015): 100, ("B", 2016): 100}
)


def test_counts_and_totals_by_hand():
    out = yearly_changes(REV, EXP).set_index("start")
    # 2014→2015: A 50%→40% (fell), B 30%→33% (rose); together 80/200=40% → 83/225
    assert out.loc[2014, "fell"] == 1
    assert out.loc[2014, "ratio_start"] == pytest.approx(40.0)
    assert out.loc[2014, "ratio_end"] == pytest.approx(100 * 83 / 225)
    assert out.loc[2014, "revenue_growth"] == pytest.approx(100 * (83 / 80 - 1))
    # 2015→2016: A 40%→50% (rose), B 33%→30% (fell)
    assert out.loc[2015, "fell"] == 1


def test_log_split_is_exact():
    out = yearly_changes(REV, EXP)
    assert np.allclose(out["log_change"], out["log_revenue"] - out["log_expenditure"])


def test_share_of_fall_adds_to_100():
    out = yearly_changes(REV, EXP)
    assert share_of_fall(out, 2014, 2015) + share_of_fall(out, 2015, 2016) == pytest.approx(100)
    with pytest.raises(ValueError):
        share_of_fall(out, 2013, 2016)


def test_bad_value_names_row_and_column():
    bad = REV.copy()
    bad.loc[2, "value"] = -1
    with pytest.raises(ValueError, match=r"revenue: row 2 \(A, 2016\), column 'value'"):
        yearly_changes(bad, EXP)


def test_gap_years_are_not_compared():
    rev = REV[REV["year"] != 2015]
    exp = EXP[EXP["year"] != 2015]
    with pytest.raises(ValueError, match="no two consecutive years"):
        yearly_changes(rev, exp)
