"""The data layer: schema validation, registry facts, cross-checks and bad-input tests.

Cross-check tolerances are documented next to each test. Corruption tests work on a copy of data/
(the ``data_copy`` fixture) and expect one clear DataError naming the file, line and column.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import data, formulas, regions

PACKAGE = data.package()
SERIES = [r["name"] for r in PACKAGE["resources"] if r.get("dongbei", {}).get("kind") == "series"]
RESOURCES = [r["name"] for r in PACKAGE["resources"]]
AREAS_KEY = {"fields": ["province"], "reference": {"resource": "areas", "fields": ["area"]}}


def rewrite(path: Path, edit) -> None:
    """Apply ``edit(rows)`` to a CSV file (header kept) and write it back."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


# ---- schema -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RESOURCES)
def test_every_resource_validates(name):
    data.validate(name)


def test_every_csv_in_data_is_described():
    described = {r["path"] for r in PACKAGE["resources"]}
    on_disk = {p.name for p in data.DATA_DIR.glob("*.csv")}
    assert on_disk == described, f"undescribed: {on_disk - described}; missing: {described - on_disk}"


@pytest.mark.parametrize("name", SERIES)
def test_series_schema_is_complete(name):
    res = next(r for r in PACKAGE["resources"] if r["name"] == name)
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    expected = ["province", "year", "value", "unit", "source_id", "status", "note"]
    if "vintages" in res["dongbei"]:  # a file that mixes editions names each row's vintage
        expected.append("vintage")
        assert fields["vintage"]["constraints"]["enum"] == list(res["dongbei"]["vintages"])
    assert list(fields) == expected
    assert fields["unit"]["constraints"]["enum"] == [res["dongbei"]["unit"]]
    assert "enum" not in fields["province"]["constraints"]  # the names are in areas.csv, not copied here
    assert AREAS_KEY in res["schema"]["foreignKeys"]
    assert res["schema"]["primaryKey"] == ["province", "year"]
    assert res["schema"]["foreignKeys"][0]["reference"] == {"resource": "sources", "fields": ["source_id"]}
    assert res.get("title") and res.get("description")


@pytest.mark.parametrize("name", SERIES)
def test_series_loads_tidy_with_provenance_on_every_row(name):
    frame = data.series(name)
    assert list(frame.columns[:6]) == data.SERIES_COLUMNS
    assert frame["year"].dtype == "int64" and frame["value"].dtype == "float64"
    assert (
        frame["source_id"].ne("").all() and frame["status"].isin(["verified", "reported", "derived", "estimate"]).all()
    )
    assert not frame.duplicated(["province", "year"]).any()


# ---- registry -----------------------------------------------------------------------------------


def test_registry_has_31_units_in_four_nbs_regions():
    reg = data.provinces()
    assert len(reg) == 31
    counts = reg["region"].value_counts().to_dict()
    # NBS (2011): East 10, Central 6, West 12, Northeast 3.
    assert counts == {"West": 12, "East": 10, "Central": 6, "Northeast": 3}
    assert sorted(reg.loc[reg["region"] == "Northeast", "province"]) == ["Heilongjiang", "Jilin", "Liaoning"]
    assert reg["code"].str[:2].astype(int).between(11, 65).all()
    assert not reg.duplicated(["tile_x", "tile_y"]).any()


def test_every_source_is_cited_by_a_row_a_note_or_the_registry():
    # A source may be cited as the source of a row, or in a row's note as a cross-check.
    used = set()
    for name in SERIES:
        frame = data.series(name)
        used |= set(frame["source_id"])
        used |= {s for s in data.sources()["source_id"] if frame["note"].str.contains(s, regex=False).any()}
    registry_sources = {s["title"] for r in PACKAGE["resources"] for s in r.get("sources", [])}
    unused = set(data.sources()["source_id"]) - used - registry_sources
    assert not unused, f"sources listed but never cited: {sorted(unused)}"


# ---- bad input ----------------------------------------------------------------------------------


def test_wrong_type_names_file_line_and_column(data_copy):
    rewrite(data_copy / "provinces.csv", lambda rows: rows[3].__setitem__(7, "four"))
    with pytest.raises(data.DataError) as err:
        data.provinces(data_copy)
    message = str(err.value)
    assert "provinces.csv" in message and "line 4" in message and "'tile_x'" in message and "four" in message


def test_duplicate_province_is_refused(data_copy):
    rewrite(data_copy / "provinces.csv", lambda rows: rows.append(list(rows[1])))
    with pytest.raises(data.DataError, match=r"provinces\.csv.*line 33"):
        data.provinces(data_copy)


def test_unknown_region_is_refused(data_copy):
    rewrite(data_copy / "provinces.csv", lambda rows: rows[6].__setitem__(5, "North"))
    with pytest.raises(data.DataError, match=r"line 7, column 'region'.*'North'"):
        data.provinces(data_copy)


def test_broken_descriptor_is_reported_with_position(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(data.DataError, match=r"datapackage\.json: line 1"):
        data.provinces(data_copy)


def test_unknown_series_names_the_known_ones():
    with pytest.raises(KeyError, match="provinces"):
        data.series("no_such_series")


# ---- cross-checks ---------------------------------------------------------------------------------


def complete_years(frame: pd.DataFrame) -> list[int]:
    """Years in which all 31 provinces and the national figure are present."""
    counts = frame.groupby("year")["province"].nunique()
    return [int(y) for y in counts[counts == 32].index]


def test_census_provinces_sum_to_the_national_total_less_unallocated_people():
    # National census totals include people allocated to no province: active military personnel
    # (2,000,000 in 2020; 2,300,000 in 2010) and, in 2010, 4,649,985 persons whose usual residence
    # could not be determined. Tolerance: the gap must be positive and below 0.6% of the total.
    census = data.series("population_census")
    years = complete_years(census)
    assert years, "no census year with all 31 provinces and the national total"
    for year in years:
        rows = census[census["year"] == year]
        national = rows.loc[rows["province"] == "China", "value"].item()
        provinces = rows.loc[rows["province"] != "China", "value"].sum()
        gap = national - provinces
        assert 0 < gap < 0.006 * national, f"census {year}: national {national:,.0f} vs provinces {provinces:,.0f}"


def test_census_2020_northeast_matches_the_loss_newschina_reports():
    # NewsChina (Dec 2024): the three provinces had 98.5 million people in 2020, 11 million fewer
    # than a decade earlier. Checked to the precision the source gives.
    census = data.series("population_census")
    ne = census[census["province"].isin(data.NORTHEAST)].pivot(index="province", columns="year", values="value")
    assert round(ne[2020].sum() / 1e6, 1) == 98.5
    assert round((ne[2010].sum() - ne[2020].sum()) / 1e6) == 11


def test_provincial_gdp_never_exceeds_national_by_more_than_the_known_discrepancy():
    # Provincial GDP figures summed have exceeded national GDP in most years (by up to about a tenth
    # around 2010), never by more. A subset of provinces summing above 1.15 x national means a unit
    # or transcription error. (No lower bound across vintages: national GDP for 1993-2004 was revised
    # up after the 2004 economic census while many provincial first releases were not, so a complete
    # year of old provincial figures can sum to less than the revised national figure.)
    gdp = data.series("gdp_nominal")
    national = gdp[gdp["province"] == "China"].set_index("year")["value"]
    sums = gdp[gdp["province"] != "China"].groupby("year")["value"].agg(["sum", "count"])
    checked = sums.join(national.rename("national"), how="inner")
    assert not checked.empty
    too_high = checked[checked["sum"] > 1.15 * checked["national"]]
    assert too_high.empty, f"provinces sum above 1.15 x national: {too_high.to_dict('index')}"
    # Within one vintage (every figure of the year from the same source) the sum must reach 95%.
    one_source = gdp.groupby("year")["source_id"].nunique() == 1
    full = checked[(checked["count"] == 31) & one_source.reindex(checked.index, fill_value=False)]
    assert (full["sum"] >= 0.95 * full["national"]).all(), full


def test_gdp_index_and_growth_agree():
    index = data.series("gdp_index").set_index(["province", "year"])["value"]
    growth = data.series("gdp_real_growth").set_index(["province", "year"])["value"]
    assert ((index - 100 - growth).abs() < 1e-9).all()


def test_derived_northeast_share_never_mixes_vintages(data_copy):
    # Give Jilin's 1996 GDP a different source: the 1996 share must then disappear, not be computed.
    def edit(rows):
        for row in rows[1:]:
            if row[0] == "Jilin" and row[1] == "1996":
                row[4] = "wiki_en_gdp_list"

    before = set(data.series("gdp_nominal_northeast", data_copy)["year"])
    rewrite(data_copy / "gdp_nominal.csv", edit)
    after = set(data.series("gdp_nominal_northeast", data_copy)["year"])
    assert 1996 in before and 1996 not in after


def test_any_source_gdp_shares_match_the_single_source_ones_and_mix_few_figures():
    single = data.series("gdp_share_of_provinces").set_index(["province", "year"])["value"]
    mixed = data.series("gdp_share_of_provinces_any_source").set_index(["province", "year"])["value"]
    shared = single.index.intersection(mixed.index)
    assert len(shared) == len(single) and ((mixed[shared] - single[shared]).abs() < 1e-9).all()
    extra = sorted(set(mixed.index.get_level_values("year")) - set(single.index.get_level_values("year")))
    # The catalogue's formula names these years; update it if this changes.
    assert extra == [1993, 1995, 2000, 2001, 2002, 2003, 2004]
    assert all(
        str(y) in data.DERIVED["gdp_share_of_provinces_any_source"].description for y in (1993, 1995, 2000, 2004)
    )
    gdp = data.series("gdp_nominal")
    for year in extra:
        rows = gdp[(gdp["year"] == year) & (gdp["province"] != "China")].set_index("province")
        counts = rows["source_id"].value_counts()
        assert counts.iloc[0] >= 29, (year, counts.to_dict())
        # Off by 10% in every figure from the minority sources, the Northeast's share moves < 0.1 points.
        minority = rows["source_id"] != counts.index[0]
        ne = rows.loc[["Liaoning", "Jilin", "Heilongjiang"], "value"].sum()
        share = 100 * ne / rows["value"].sum()
        for factor in (0.9, 1.1):
            moved = rows["value"].where(~minority, rows["value"] * factor)
            ne_moved = moved.loc[["Liaoning", "Jilin", "Heilongjiang"]].sum()
            assert abs(100 * ne_moved / moved.sum() - share) < 0.1, (year, factor)


# ---- bad input on a series --------------------------------------------------------------------------


def corrupt(data_copy: Path, name: str, column: str, value: str, line: int = 2) -> None:
    """Set ``column`` on file line ``line`` (header = line 1) of a series CSV."""

    def edit(rows):
        rows[line - 1][rows[0].index(column)] = value

    rewrite(data_copy / f"{name}.csv", edit)


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("value", "12,5", r"line 3, column 'value'.*type-error.*'12,5'"),
        ("year", "1990.5", r"line 3, column 'year'.*type-error"),
        (
            "province",
            "Manchuria",
            r"line 3, column 'province': foreign-key.*\"Manchuria\" not found in the lookup table \"areas\"",
        ),
        ("source_id", "", r"line 3, column 'source_id'.*(constraint|required)"),
        ("source_id", "no_such_source", r"line 3.*foreign-key"),
        ("unit", "yuan", r"line 3, column 'unit'.*constraint-error.*'yuan'"),
        ("status", "guess", r"line 3, column 'status'.*constraint-error.*'guess'"),
        ("value", "-5", r"line 3, column 'value'.*constraint-error.*'-5'"),
    ],
)
def test_corrupted_population_is_refused_with_file_line_and_column(data_copy, column, value, expected):
    corrupt(data_copy, "population_census", column, value, line=3)
    with pytest.raises(data.DataError, match=r"population_census\.csv") as err:
        data.series("population_census", data_copy)
    assert pytest.importorskip("re").search(expected, str(err.value)), str(err.value)


def test_duplicate_series_row_is_refused(data_copy):
    rewrite(data_copy / "gdp_nominal.csv", lambda rows: rows.append(list(rows[5])))
    with pytest.raises(data.DataError, match=r"gdp_nominal\.csv.*primary-key"):
        data.series("gdp_nominal", data_copy)


def test_a_csv_missing_from_disk_is_named(data_copy):
    (data_copy / "gdp_index.csv").unlink()
    with pytest.raises(data.DataError, match=r"gdp_index\.csv.*does not exist"):
        data.series("gdp_real_growth", data_copy)


def test_per_capita_gdp_agrees_with_gdp_divided_by_population():
    # Official per-capita GDP divides by the average population of the year, and our GDP, population
    # and per-capita figures come from different vintages: most per-capita rows are first releases,
    # while GDP for 2006-2024 is the series revised after the 2018 and 2023 economic censuses, which
    # cut some provinces' GDP by up to about a third (Inner Mongolia, Jilin, Tianjin). The band
    # 0.6-1.4 absorbs that and still catches unit slips (x10, x100) and transcription errors.
    pc = data.series("gdp_per_capita")
    gdp = data.series("gdp_nominal")[["province", "year", "value"]].rename(columns={"value": "gdp"})
    pop = data.series("population_yearend")[["province", "year", "value"]].rename(columns={"value": "pop"})
    merged = pc.merge(gdp, on=["province", "year"]).merge(pop, on=["province", "year"])
    assert len(merged) >= 30, "too few overlapping rows to cross-check per-capita GDP"
    # gdp in 100 million yuan, population in 10,000 persons, per capita in yuan.
    ratio = merged["gdp"] * 1e8 / (merged["pop"] * 1e4) / merged["value"]
    checked = merged.assign(ratio=ratio)
    bad = checked[(checked["ratio"] < 0.6) | (checked["ratio"] > 1.4)]
    assert bad.empty, bad[["province", "year", "ratio"]].to_string()


def test_ranks_are_recomputed_from_values_and_only_for_complete_years():
    names = list(data.provinces()["province"])
    frame = pd.DataFrame(
        {
            "province": names * 2,
            "year": [2000] * 31 + [2001] * 31,
            "value": list(range(31, 0, -1)) + list(range(1, 32)),
            "source_id": "x",
            "status": "verified",
        }
    )
    frame = frame[~((frame["year"] == 2001) & (frame["province"] == "Tibet"))]  # 2001 incomplete
    ranks = formulas.province_ranks(frame)
    assert set(ranks["year"]) == {2000}
    assert ranks.set_index("province")["value"].to_dict()[names[0]] == 1
    assert sorted(ranks["value"]) == list(range(1, 32))


def test_population_yearend_vintages_are_kept_apart():
    latest = data.series("population_yearend")
    earlier = data.series("population_yearend_earlier_vintage")
    both = latest.merge(earlier, on=["province", "year"], suffixes=("", "_old"))
    assert not both.empty
    assert (both["source_id"] != both["source_id_old"]).all()


def test_computed_per_capita_uses_the_average_population_and_single_source_years():
    names = list(data.provinces()["province"])
    gdp = pd.DataFrame({"province": names, "year": 2001, "value": 100.0, "source_id": "g", "status": "verified"})
    pop = pd.DataFrame(
        {
            "province": names * 2,
            "year": [2000] * 31 + [2001] * 31,
            "value": [90.0] * 31 + [110.0] * 31,
            "source_id": "p",
            "status": "verified",
        }
    )
    out = formulas.per_capita(gdp, pop).set_index("province")["value"]
    # 100 x 10^8 yuan / (average of 90 and 110, x 10^4 persons) = 10,000 yuan per person.
    assert out["Jilin"] == pytest.approx(10_000) and out["31 provinces"] == pytest.approx(10_000)
    mixed = pop.copy()
    mixed.loc[0, "source_id"] = "other"  # one population figure from another source: year dropped
    assert formulas.per_capita(gdp, mixed).empty


def test_survey_ageing_brackets_the_census_in_most_provinces():
    """Cross-check of two independent sources: the 2020 census share aged 65+ should fall between the
    2019 and 2021 sample-survey shares for most provinces (sampling noise allows a few exceptions)."""
    survey = data.series("population_65plus_share_survey").pivot(index="province", columns="year", values="value")
    census = data.series("population_65plus_share").set_index("province")["value"].drop("China")
    low = survey[[2019, 2021]].min(axis=1)
    high = survey[[2019, 2021]].max(axis=1)
    inside = ((census >= low) & (census <= high)).sum()
    assert len(census) == 31 and inside >= 24, f"only {inside} of 31 census shares lie between the survey years"


def test_survey_counts_are_a_sample_of_the_population_not_totals():
    sample = data.series("population_sample_survey").set_index(["province", "year"])["value"]
    yearend = data.series("population_yearend").set_index(["province", "year"])["value"] * 1e4
    ratio = (sample / yearend).dropna()
    # 1‰ samples in ordinary years, about 1% in 2015: never more than 2% of the population.
    assert len(ratio) > 400 and ratio.max() < 0.02 and ratio.min() > 0.0005


def test_provincial_trade_sums_to_the_national_customs_total():
    # Customs credit all goods trade to the province of the trading firm, so the 31 provinces must add
    # up to the national total: 41.76 trillion yuan in 2023 (gacc_2024_review2023; the series' China
    # row is People's Daily's 41,756.8 billion). A dropped digit or a wrong unit in one province
    # breaks this by far more than the 0.5% allowed for rounding and later revisions.
    trade = data.series("trade_total")
    year = trade[trade["province"] == "China"]
    assert not year.empty, "trade_total has no national row to check the provinces against"
    for row in year.itertuples():
        provinces = trade[(trade["year"] == row.year) & (trade["province"] != "China")]
        assert provinces["province"].nunique() == 31
        assert abs(provinces["value"].sum() / row.value - 1) < 0.005, row.year
    assert abs(year["value"].iloc[0] / 417600 - 1) < 0.001  # GACC's rounded 41.76 trillion yuan


def test_heilongjiang_trade_matches_harbin_customs_releases():
    # dbw_2023_hlj_trade2022: 2,651.5 (100 million yuan) for 2022; xinhua_2024_hlj_trade2023: 297.83
    # billion yuan for 2023 (first release; the series may hold a slightly revised figure).
    trade = data.series("trade_total").set_index(["province", "year"])["value"]
    assert trade[("Heilongjiang", 2022)] == 2651.5
    assert abs(trade[("Heilongjiang", 2023)] / 2978.3 - 1) < 0.002


def test_trade_to_gdp_aggregates_divide_sums_not_average_ratios():
    trade = data.series("trade_total").set_index(["province", "year"])["value"]
    gdp = data.series("gdp_nominal").set_index(["province", "year"])["value"]
    ratio = data.series("trade_to_gdp").set_index(["province", "year"])["value"]
    for year in (2016, 2024):
        ne_trade = sum(trade[(p, year)] for p in data.NORTHEAST)
        ne_gdp = sum(gdp[(p, year)] for p in data.NORTHEAST)
        assert ratio[("Northeast", year)] == pytest.approx(100 * ne_trade / ne_gdp)
        assert ratio[("Jilin", year)] == pytest.approx(100 * trade[("Jilin", year)] / gdp[("Jilin", year)])
    provinces = ratio.drop(["Northeast", "31 provinces"], level="province")
    assert provinces.groupby(level="year").size().eq(31).all()


def test_budget_revenue_plus_central_subsidies_roughly_covers_expenditure():
    # A province's general budget spends its own revenue plus central subsidies plus (smaller) debt
    # proceeds, carry-overs and fund transfers. In 2014-2016 the first two cover 80-110% of spending in
    # every province (computed: 81.5% to 106.3%); a dropped digit or a swapped column breaks the band.
    rev = data.series("budget_revenue").set_index(["province", "year"])["value"]
    exp = data.series("budget_expenditure").set_index(["province", "year"])["value"]
    sub = data.series("central_transfers").set_index(["province", "year"])["value"]
    cover = ((rev + sub) / exp).dropna()
    assert len(cover) == 31 * 3
    assert cover.between(0.80, 1.10).all(), cover[~cover.between(0.80, 1.10)]
    # Every province spends more than it raises (no budget surplus in any province-year held).
    assert (rev / exp).dropna().lt(1).all()


def test_fiscal_self_sufficiency_aggregates_divide_sums():
    rev = data.series("budget_revenue").set_index(["province", "year"])["value"]
    exp = data.series("budget_expenditure").set_index(["province", "year"])["value"]
    ratio = data.series("fiscal_self_sufficiency").set_index(["province", "year"])["value"]
    for year in (2014, 2017):
        total = 100 * rev.xs(year, level="year").sum() / exp.xs(year, level="year").sum()
        assert ratio[("31 provinces", year)] == pytest.approx(total)
        ne = list(data.NORTHEAST)
        assert ratio[("Northeast", year)] == pytest.approx(
            100 * rev.xs(year, level="year")[ne].sum() / exp.xs(year, level="year")[ne].sum()
        )


def test_transfers_per_capita_use_the_average_population():
    sub = data.series("central_transfers").set_index(["province", "year"])["value"]
    pop = data.series("population_yearend").set_index(["province", "year"])["value"]
    pc = data.series("central_transfers_per_capita").set_index(["province", "year"])["value"]
    mean = (pop[("Jilin", 2015)] + pop[("Jilin", 2016)]) / 2
    assert pc[("Jilin", 2016)] == pytest.approx(sub[("Jilin", 2016)] * 1e8 / (mean * 1e4))


def test_liaoning_revenue_matches_the_governors_2017_statement():
    # ecns_2017_liaoning: revenue "contracted 33.4 percent" in 2015 and rose "3.4 percent to 219.9
    # billion yuan" in 2016 (a first release; the final accounts held here may differ slightly).
    rev = data.series("budget_revenue").set_index(["province", "year"])["value"]
    assert round(100 * (1 - rev[("Liaoning", 2015)] / rev[("Liaoning", 2014)]), 1) == 33.4
    assert abs(rev[("Liaoning", 2016)] / 2199 - 1) < 0.002
    assert abs(100 * (rev[("Liaoning", 2016)] / rev[("Liaoning", 2015)] - 1) - 3.4) < 0.2


def test_state_staff_fit_inside_the_totals():
    # Staff and workers in state-owned units can never exceed all staff and workers, and the provinces
    # read from the yearbook table must add up to less than the national total.
    state = data.series("staff_workers_state").set_index(["province", "year"])["value"]
    total = data.series("staff_workers_total").set_index(["province", "year"])["value"]
    assert (state <= total).all() and state.index.equals(total.index)
    for year in (2007, 2008):
        provinces = total.xs(year, level="year").drop("China")
        assert 12 <= len(provinces) < 31
        assert provinces.sum() < total[("China", year)]


def test_urban_unit_employment_break_in_2013_is_in_the_catalogue():
    units = data.series("urban_unit_employment").set_index(["province", "year"])["value"]
    assert units[("Jiangsu", 2013)] / units[("Jiangsu", 2012)] > 1.5  # the economic-census revision
    breaks = next(r for r in PACKAGE["resources"] if r["name"] == "urban_unit_employment")["dongbei"]["breaks"]
    assert "2013" in breaks


def test_private_share_of_registered_employment_is_a_share():
    share = data.series("private_share_of_registered_employment")
    assert share["value"].between(0, 100).all()
    p = data.series("private_employment").set_index(["province", "year"])["value"]
    u = data.series("urban_unit_employment").set_index(["province", "year"])["value"]
    s = share.set_index(["province", "year"])["value"]
    assert s[("Jilin", 2010)] == pytest.approx(100 * p[("Jilin", 2010)] / (p[("Jilin", 2010)] + u[("Jilin", 2010)]))


def test_incomplete_years_groups_runs_of_missing_provinces():
    rows = [("China", y) for y in range(2000, 2006)] + [
        ("Liaoning", 2000),
        ("Jilin", 2000),
        ("Liaoning", 2001),
        ("Jilin", 2001),
        ("Liaoning", 2002),
        ("Liaoning", 2005),
        ("Jilin", 2005),
    ]
    frame = pd.DataFrame(rows, columns=["province", "year"])
    runs = data.incomplete_years(frame, n=2)
    assert runs.to_dict("records") == [
        {"start": 2002, "end": 2002, "provinces": 1},
        {"start": 2003, "end": 2004, "provinces": 0},
    ]
    census_like = frame[frame["year"].isin([2000, 2005])]  # no rows at all in between: not a gap
    assert data.incomplete_years(census_like, n=2).empty
    gdp_runs = data.incomplete_years(data.series("gdp_nominal"))
    assert gdp_runs.iloc[0]["start"] == 1978 and gdp_runs["end"].max() < 2000  # the gap issue 3 could not close


# ---- vintages -------------------------------------------------------------------------------------


def test_gdp_covers_31_provinces_every_year_1978_2024_across_vintages():
    gdp = data.series("gdp_nominal", vintage="all")
    provinces = gdp[gdp["province"] != "China"]
    counts = provinces.groupby("year")["province"].nunique()
    assert set(range(1978, 2025)) <= set(counts.index)
    assert counts.loc[1978:2024].eq(31).all(), counts[counts < 31]
    assert gdp["source_id"].ne("").all() and gdp["status"].isin(["verified", "reported"]).all()
    # One vintage for all 31 in each year: the compendium to 2008, the NBS portal from 2006.
    compendium = data.series("gdp_nominal", vintage="compendium_2010")
    assert compendium.query("province != 'China'").groupby("year")["province"].nunique().eq(31).all()
    assert set(compendium["year"]) == set(range(1978, 2009))


def test_compendium_is_a_separate_vintage_never_joined_silently():
    default = data.series("gdp_nominal")
    assert "compendium_2010" not in set(default["vintage"])
    both = data.series("gdp_nominal", vintage="all")
    overlap = both[(both["province"] == "Liaoning") & both["year"].between(2006, 2008)]
    assert sorted(overlap["vintage"].unique()) == ["compendium_2010", "nbs_portal_2021", "nbs_portal_2025"]
    with pytest.raises(KeyError, match="compendium_2010"):
        data.series("gdp_nominal", vintage="no_such_vintage")


def test_compendium_national_gdp_comes_from_a_stated_national_source():
    china = data.series("gdp_nominal", vintage="compendium_2010").query("province == 'China'")
    assert set(china["source_id"]) == {"nbs_csy2010_t2_1"}
    assert china.set_index("year").loc[1978, "value"] == 3645.2  # CSY2010 table 2-1, not the file's row


def test_compendium_spot_checks_match_the_printed_compendium():
    gdp = data.series("gdp_nominal", vintage="compendium_2010").set_index(["province", "year"])["value"]
    # Values the data inbox records as equal to the compendium itself.
    assert gdp[("Liaoning", 1978)] == 229.2 and gdp[("Jiangsu", 1978)] == 249.24
    assert gdp[("Heilongjiang", 1990)] == 715.23 and gdp[("Guangdong", 1990)] == 1559.03
    rounded = data.series("gdp_nominal", vintage="compendium_2010").set_index(["province", "year"])["note"]
    assert "whole number" in rounded[("Jilin", 1978)]


def test_compendium_share_runs_1978_2008_and_its_break_with_the_portal_vintage_is_measurable():
    old = data.series("gdp_share_of_provinces_compendium").query("province == 'Northeast'").set_index("year")
    new = data.series("gdp_share_of_provinces").query("province == 'Northeast'").set_index("year")
    assert list(old.index) == list(range(1978, 2009))
    assert (old["vintage"] == "compendium_2010").all()
    # The same years in two editions differ: that difference is the break the appendix shows.
    gap = (old.loc[2006:2008, "value"] - new.loc[2006:2008, "value"]).abs()
    assert gap.gt(0.1).all(), gap


def test_population_compendium_flags_registered_population():
    pop = data.series("population_yearend", vintage="compendium_2010").set_index(["province", "year"])
    assert "registered" in pop.loc[("Shanghai", 2000), "note"]
    assert "registered" not in pop.loc[("Shanghai", 2005), "note"]


def test_a_line_never_joins_two_vintages():
    from helpers import charts

    frame = data.series("gdp_nominal", vintage="all").query("province == 'Liaoning'")
    segments = charts.with_gaps(frame)
    assert segments.groupby("_segment")["vintage"].nunique().eq(1).all()
    spec = charts.line_chart(frame, y_title="GDP", title="t", description="d", source="s").to_dict()
    assert spec["encoding"]["strokeDash"]["field"] == "edition"
    assert "compendium (2010)" in json.dumps(spec["datasets"])  # the legend names the edition for readers
    single = charts.line_chart(
        data.series("gdp_nominal").query("province == 'Jilin' and year >= 2006"),
        y_title="GDP",
        title="t",
        description="d",
        source="s",
    ).to_dict()
    assert "strokeDash" not in single["encoding"]


# ---- plausibility checks and loader messages ------------------------------------------------------


def _line_of(path, province, year):
    with path.open(encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.reader(f), start=1):
            if row[:2] == [province, str(year)]:
                return number
    raise AssertionError(f"{province} {year} not in {path}")


@pytest.mark.parametrize(
    "name,province,year",
    [
        ("gdp_nominal", "Ningxia", 2015),
        ("gdp_nominal_compendium", "Qinghai", 1990),
        ("population_yearend", "Tibet", 2012),
        ("budget_revenue", "Hainan", 2020),
    ],
)
def test_a_tenfold_value_in_a_small_province_is_refused(data_copy, name, province, year):
    path = data_copy / f"{name}.csv"
    line = _line_of(path, province, year)
    rewrite(path, lambda rows: rows[line - 1].__setitem__(2, str(float(rows[line - 1][2]) * 10)))
    family = name.removesuffix("_compendium")
    vintage = "compendium_2010" if name.endswith("_compendium") else None
    with pytest.raises(data.DataError) as err:
        data.series(family, data_copy, vintage=vintage)
    assert f"{name}.csv, line {line}, column 'value'" in str(err.value), str(err.value)


def test_provinces_far_from_the_national_total_are_refused(data_copy):
    path = data_copy / "population_yearend.csv"
    line = _line_of(path, "China", 2015)
    rewrite(path, lambda rows: rows[line - 1].__setitem__(2, str(float(rows[line - 1][2]) * 1.2)))
    with pytest.raises(
        data.DataError,
        match=r"population_yearend\.csv, line \d+, column 'value': in 2015 the 31 "
        r"provinces sum to",
    ):
        data.series("population_yearend", data_copy)


def test_a_header_only_csv_is_refused(data_copy):
    path = data_copy / "trade_total.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"trade_total\.csv: 0 data row\(s\).*min_rows"):
        data.series("trade_total", data_copy)


def test_a_bad_source_row_is_reported_under_sources_csv(data_copy):
    rewrite(data_copy / "sources.csv", lambda rows: rows[5].__setitem__(4, "javascript:alert(1)"))
    with pytest.raises(data.DataError) as err:
        data.series("gdp_nominal", data_copy)
    message = str(err.value)
    assert message.startswith(str(data_copy / "sources.csv")) and "line 6, column 'url'" in message, message


def test_only_http_links_are_written():
    from helpers import tables

    assert tables.safe_href("https://www.stats.gov.cn/") == "https://www.stats.gov.cn/"
    assert tables.safe_href("../data/gdp_nominal.csv") == "../data/gdp_nominal.csv"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        'https://x" onmouseover="y',
        "//evil.example/x",
        "vbscript:x",
    ):
        with pytest.raises(ValueError, match="only http"):
            tables.safe_href(bad)
    frame = pd.DataFrame({"title": ["x"], "link": ["javascript:alert(1)"]})
    with pytest.raises(ValueError):
        tables._table(frame, {"title": "Title"}, links={"title": "link"})


def test_an_extra_column_is_named(data_copy):
    def add_column(rows):
        rows[0].append("comment")
        for row in rows[1:]:
            row.append("")

    rewrite(data_copy / "trade_total.csv", add_column)
    with pytest.raises(data.DataError, match=r"trade_total\.csv.*column 'comment'"):
        data.series("trade_total", data_copy)


def test_editing_the_descriptor_invalidates_the_validation_cache(data_copy):
    data.series("trade_total", data_copy)  # valid, and cached
    package = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "trade_total")
    next(f for f in resource["schema"]["fields"] if f["name"] == "value")["constraints"]["maximum"] = 1
    (data_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"trade_total\.csv.*constraint"):
        data.series("trade_total", data_copy)


def test_declared_exemptions_state_a_reason():
    for res in PACKAGE["resources"]:
        for exempt in res.get("dongbei", {}).get("checks", {}).get("exempt", []):
            assert {"province", "year", "why"} <= set(exempt) and len(exempt["why"]) > 20, (res["name"], exempt)


def test_every_source_url_opens_in_a_browser():
    urls = data.sources()["url"]
    assert urls[urls != ""].str.match(r"https?://").all()


def test_vintage_table_and_break_are_computed_from_the_files():
    table = data.vintage_table("gdp_nominal").set_index("vintage")
    assert table.loc["compendium_2010", "years"] == "1978–2008" and table.loc["compendium_2010", "provinces"] == 31
    revision = data.vintage_break("gdp_nominal", "compendium_2010", "nbs_portal_2025")
    assert set(revision["year"]) == {2006, 2007, 2008}
    assert revision["province"].nunique() == 32  # 31 provinces and the Northeast summed
    row = revision[(revision["province"] == "Jilin") & (revision["year"] == 2006)].iloc[0]
    gdp = data.series("gdp_nominal", vintage="all").query("province == 'Jilin' and year == 2006")
    by_vintage = gdp.set_index("vintage")["value"]
    assert row["old"] == by_vintage["compendium_2010"] and row["new"] == by_vintage["nbs_portal_2025"]
    assert row["revision_pct"] == pytest.approx(100 * (row["new"] / row["old"] - 1))


def test_official_per_capita_ranks_agree_with_the_books_computed_ranks():
    # Both from the 2025 vintage of GDP; the book divides by its own average of year-end populations.
    official = data.series("gdp_per_capita_official_rank").set_index(["province", "year"])["value"]
    computed = data.series("gdp_per_capita_computed_rank").set_index(["province", "year"])["value"]
    both = official.to_frame("official").join(computed.rename("computed"), how="inner")
    assert len(both) >= 31 * 6
    assert (both["official"] - both["computed"]).abs().max() <= 1, both[both["official"] != both["computed"]]


def test_secondary_share_divides_within_one_vintage():
    share = data.series("secondary_industry_share_2021").set_index(["province", "year"])["value"]
    va = data.series("secondary_industry_va").set_index(["province", "year"])["value"]
    gdp = data.series("gdp_nominal", vintage="nbs_portal_2021").set_index(["province", "year"])["value"]
    assert share[("Liaoning", 2010)] == pytest.approx(100 * va[("Liaoning", 2010)] / gdp[("Liaoning", 2010)])
    assert share.between(5, 70).all()
    # The 2025 vintage of GDP in the portal export equals the book's main GDP series where they overlap.
    latest = data.series("secondary_industry_share").set_index(["province", "year"])["value"]
    assert set(latest.index.get_level_values("year")) == set(range(2019, 2025))


def test_census_age_shares_add_up_and_match_the_65plus_series():
    young = data.series("population_0_14_share").set_index(["province", "year"])["value"]
    middle = data.series("population_15_59_share").set_index(["province", "year"])["value"]
    old = data.series("population_60plus_share").set_index(["province", "year"])["value"]
    total = (young + middle + old).dropna()
    assert len(total) >= 32 and total.sub(100).abs().max() <= 0.05, total[total.sub(100).abs() > 0.05]
    over65 = data.series("population_65plus_share").set_index(["province", "year"])["value"]
    both = over65.to_frame("65").join(old.rename("60"), how="inner")
    assert len(both) >= 32 and (both["65"] < both["60"]).all()
    assert young.xs(2020, level="year").index.nunique() == 32  # 31 provinces and China


def test_old_age_dependency_is_65plus_over_the_remainder():
    ratio = data.series("old_age_dependency_ratio").set_index(["province", "year"])["value"]
    young = data.series("population_0_14_share").set_index(["province", "year"])["value"]
    old = data.series("population_65plus_share").set_index(["province", "year"])["value"]
    key = ("Liaoning", 2020)
    assert ratio[key] == pytest.approx(100 * old[key] / (100 - young[key] - old[key]))
    assert ratio.xs(2020, level="year").index.nunique() == 32


def test_computed_per_capita_is_labelled_with_the_edition_it_uses():
    # Labelled nbs_portal_2025: every GDP figure it divides must be of that edition.
    frame = data.series("gdp_per_capita_computed")
    gdp = data.series("gdp_nominal").query("vintage == 'nbs_portal_2025'")
    assert set(frame["year"]) <= set(gdp["year"]) and (frame["vintage"] == "nbs_portal_2025").all()


# ---- areas: province names as a foreign key -----------------------------------------------------


def test_areas_are_the_31_provinces_and_the_national_figure_and_no_aggregate():
    areas = data.areas()
    provinces = data.provinces()
    assert set(areas.loc[areas["kind"] == "province", "area"]) == set(provinces["province"])
    assert list(areas.loc[areas["kind"] == "national", "area"]) == [regions.NATIONAL]
    # Sums the book computes (Northeast, 31 provinces) exist only in derived series: no file may hold them.
    assert not set(regions.AGGREGATES) - {regions.NATIONAL} & set(areas["area"])


@pytest.mark.parametrize("name", [r["name"] for r in PACKAGE["resources"] if r["name"] != "areas"])
def test_every_province_column_points_to_the_areas_table(name):
    res = next(r for r in PACKAGE["resources"] if r["name"] == name)
    if "province" not in {f["name"] for f in res["schema"]["fields"]}:
        pytest.skip("no province column")
    assert AREAS_KEY in res["schema"].get("foreignKeys", [])


@pytest.mark.parametrize(
    ("name", "line", "bad"),
    [("gdp_nominal", 10, "Heilongjang"), ("population_yearend", 3, "Northeast"), ("provinces", 2, "Peking")],
)
def test_a_misspelt_or_aggregate_province_fails_with_file_line_and_column(data_copy, name, line, bad):
    path = data_copy / f"{name}.csv"

    def edit(rows):
        rows[line - 1][rows[0].index("province")] = bad

    rewrite(path, edit)
    with pytest.raises(data.DataError) as caught:
        data.validate(name, data_copy)
    message = str(caught.value)
    assert f"{name}.csv, line {line}, column 'province': foreign-key" in message
    assert bad in message and '"areas"' in message


def test_a_bad_areas_table_is_reported_as_itself_not_as_the_series_that_points_to_it(data_copy):
    rewrite(data_copy / "areas.csv", lambda rows: rows[1].__setitem__(1, "prefecture"))
    with pytest.raises(data.DataError, match=r"areas\.csv, line 2, column 'kind'"):
        data.series("gdp_nominal", data_copy)


# ---- timeline sources: any reference in the bibliography -----------------------------------------


def test_every_timeline_source_is_a_key_of_the_bibliography():
    keys = data.timeline_sources()
    assert keys and set(data.timeline()["source"]) <= keys
    assert {"govcn2016rustbelt", "tibetol2018symposium"} <= set(data.timeline()["source"])


def test_a_timeline_source_missing_from_the_bibliography_is_refused(data_copy, tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(data.BIBLIOGRAPHY.read_text(encoding="utf-8").replace("@misc{govcn2016rustbelt,", "@misc{x,"))
    with pytest.raises(data.DataError, match=r"timeline\.csv, column 'source'.*line \d+: 'govcn2016rustbelt'"):
        data.timeline(data_copy, bibliography=bib)
    # Without a bibliography (data installed without the book) there is nothing to check against.
    assert len(data.timeline(data_copy, bibliography=tmp_path / "absent.bib")) == len(data.timeline(data_copy))


def test_budget_functions_sit_inside_the_total():
    # Education, science and technology, and agriculture/forestry/water (techme's transcription of the
    # yearbook): every province-year of 2010-2023 held, each function and their sum below the total held
    # in budget_expenditure (whose 2014-2023 figures come from other sources), each share in a plausible
    # band (computed 2010-2023: education 9.9-22.2%, science 0.3-6.8%, agriculture 3.9-20.4%), and the
    # provinces' sum equal to the published all-local figure (2019-2023).
    total = data.series("budget_expenditure").set_index(["province", "year"])["value"]
    parts = {}
    for name, band in (("education", (8, 25)), ("science", (0.2, 8)), ("agriculture", (3, 22))):
        frame = data.series(f"budget_expenditure_{name}")
        provinces = frame[frame["province"] != "China"].set_index(["province", "year"])["value"]
        assert provinces.groupby(level="year").size().eq(31).all() and len(provinces) == 31 * 14
        share = 100 * provinces / total.reindex(provinces.index)
        assert share.between(*band).all(), share[~share.between(*band)]
        china = frame[frame["province"] == "China"].set_index("year")["value"]
        assert sorted(china.index) == list(range(2019, 2024))
        summed = provinces.groupby(level="year").sum().reindex(china.index)
        assert (summed / china).between(0.9999, 1.0001).all()
        parts[name] = provinces
    together = parts["education"] + parts["science"] + parts["agriculture"]
    assert (together < total.reindex(together.index)).all()
    # Check values: Liaoning 2023, as transcribed.
    assert parts["education"][("Liaoning", 2023)] == pytest.approx(737.49)
    assert parts["agriculture"][("Heilongjiang", 2023)] == pytest.approx(1087.15)
