"""Age pyramids and net migration by age (helpers.analysis.age_structure), on constructed tables and the
book's census table."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import age_structure as a


def constructed(province_factor: dict[str, float], growth: float = 1.0) -> pd.DataFrame:
    """Two censuses ten years apart for China and one province, every published group and both sexes.

    2010: 1,000 people in every group and sex nationally, ``province_factor['2010']`` times that in the
    province. 2020: every national cohort multiplied by ``growth`` ten years on; the province's cohorts by
    ``province_factor['2020']`` / ``province_factor['2010']`` times the national change.
    """
    rows = []
    for year in (2010, 2020):
        for group in a.PUBLISHED:
            for sex in a.SEXES:
                national = 1000.0 * (growth if year == 2020 else 1.0)
                rows.append({"province": "China", "year": year, "age_group": group, "sex": sex, "value": national})
                rows.append(
                    {
                        "province": "Jilin",
                        "year": year,
                        "age_group": group,
                        "sex": sex,
                        "value": national * province_factor[str(year)],
                    }
                )
    return pd.DataFrame(rows)


def test_regroup_joins_infants_and_the_oldest():
    frame = constructed({"2010": 0.1, "2020": 0.1})
    grouped = a.regroup(frame[frame["year"] == 2010], top=90)
    china = grouped[(grouped["province"] == "China") & (grouped["sex"] == "male")].set_index("age_group")["value"]
    assert china["0-4"] == 2000.0  # '0' and '1-4'
    assert china["90+"] == 3000.0  # 90-94, 95-99, 100+
    assert list(china.index) == a.five_year_groups(90)


def test_pyramid_shares_add_to_100_and_men_are_negative():
    pyr = a.pyramid(constructed({"2010": 0.1, "2020": 0.1}), areas=["Jilin"], years=[2020])
    assert pyr["share"].sum() == pytest.approx(100.0)
    assert (pyr.loc[pyr["sex"] == "male", "signed"] < 0).all()
    assert (pyr.loc[pyr["sex"] == "female", "signed"] > 0).all()


def test_share_aged_reads_whole_groups():
    frame = constructed({"2010": 0.1, "2020": 0.1})
    # 22 published groups; 0-14 is 0, 1-4, 5-9, 10-14: 4 of 22; 65 and over is 65-69 ... 95-99, 100+: 8
    assert a.share_aged(frame, "Jilin", 2010, 0, 14) == pytest.approx(100 * 4 / 22)
    assert a.share_aged(frame, "Jilin", 2010, 65) == pytest.approx(100 * 8 / 22)
    assert a.share_aged(frame, "Jilin", 2010, 50, 64) == pytest.approx(100 * 3 / 22)
    with pytest.raises(KeyError):
        a.share_aged(frame, "Hainan", 2010, 0, 14)


def test_no_net_migration_when_cohorts_change_as_nationally():
    table = a.cohort_net_migration(constructed({"2010": 0.1, "2020": 0.1}, growth=0.9), "Jilin")
    assert table["net"].abs().max() == pytest.approx(0.0, abs=1e-9)
    # the 0-4 group holds two published groups (0 and 1-4), the 10-14 group ten years on only one
    assert table["national_ratio"].iloc[0] == pytest.approx(0.9 * 1000 / 2000)
    assert table["national_ratio"].iloc[1] == pytest.approx(0.9)


def test_a_province_whose_cohorts_keep_80_percent_of_the_national_change_loses_a_fifth_of_each():
    table = a.cohort_net_migration(constructed({"2010": 0.1, "2020": 0.08}, growth=0.9), "Jilin")
    assert (table["actual"] / table["expected"]).round(12).eq(0.8).all()
    assert (table["net"] < 0).all()
    by_age = a.net_by_age(table)
    assert by_age["lower_end"].is_monotonic_increasing and by_age["age_end"].iloc[0] == "10-14"
    assert by_age["net"].sum() == pytest.approx(-0.2 * by_age["expected"].sum())
    # 0-4 in 2010 (200 people a sex) -> 10-14 in 2020: expected 200 * 0.45 = 90 a sex, actual 72, rate -9%
    first = by_age.iloc[0]
    assert (first["expected"], first["actual"], first["rate"]) == pytest.approx((180.0, 144.0, -9.0))


def test_censuses_must_be_five_years_apart():
    with pytest.raises(ValueError):
        a.cohort_net_migration(constructed({"2010": 0.1, "2020": 0.1}), "Jilin", start=2010, end=2013)


def test_the_census_table_adds_up_to_the_communique_counts():
    frame = a.census_ages()
    totals = frame.groupby(["province", "year"])["value"].sum()
    census = data.series("population_census").set_index(["province", "year"])["value"]
    for province in data.NORTHEAST:
        assert totals[(province, 2020)] == census[(province, 2020)]  # the 2020 yearbook equals the communiqué
        assert abs(totals[(province, 2010)] / census[(province, 2010)] - 1) < 0.001  # final vs preliminary
    # China here is the 31 provinces, without the 2,000,000 active military of the communiqué
    assert census[("China", 2020)] - totals[("China", 2020)] == 2_000_000


def test_the_census_shares_aged_65_match_communique_no_5():
    frame = a.census_ages()
    shares = data.series("population_65plus_share").set_index("province")["value"]
    for province in [*data.NORTHEAST, "China"]:
        assert a.share_aged(frame, province, 2020, 65) == pytest.approx(shares[province], abs=0.03)


def test_a_missing_row_is_refused(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data.find_data_dir(), copy)
    path = copy / "census_age_sex.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1] + lines[-2:-1]), encoding="utf-8")
    # the last row replaced by a second copy of the one before: the schema's primary key refuses it
    with pytest.raises(data.DataError):
        a.census_ages(copy)
    # a province-year short of a group is refused by the analysis (the schema cannot count rows per area)
    descriptor = copy / "datapackage.json"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8").replace('"min_rows": 2816', '"min_rows": 1'), encoding="utf-8"
    )
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(data.DataError, match="expected 44"):
        a.census_ages(copy)


def test_single_year_ages_spread_each_group_and_keep_the_total():
    frame = constructed({"2010": 0.1, "2020": 0.1})
    ages = a.single_year_ages(frame, "Jilin", 2010)
    assert len(ages) == 100
    assert ages.sum() == pytest.approx(frame.query("province == 'Jilin' and year == 2010")["value"].sum())
    # 0 alone (200 people, both sexes); 1-4: 200 over four years; 95-99 holds 100+ too: 400 over five years
    assert ages[0] == pytest.approx(200.0)
    assert ages[1:5] == pytest.approx([50.0] * 4)
    assert ages[95:100] == pytest.approx([80.0] * 5)
    with pytest.raises(KeyError):
        a.single_year_ages(frame, "Hainan", 2010)


def test_single_year_ages_of_the_census_are_older_than_the_even_spread_in_heilongjiang():
    from helpers.analysis import projection

    frame = a.census_ages()
    fine = a.single_year_ages(frame, "Heilongjiang", 2020)
    broad = projection.book_base("Heilongjiang")["ages"]
    assert fine.sum() == pytest.approx(broad.sum(), rel=1e-9)
    # the broad 15-59 group spread evenly puts more people at 20-34 than the census's five-year groups do
    assert broad[20:35].sum() > 1.2 * fine[20:35].sum()
