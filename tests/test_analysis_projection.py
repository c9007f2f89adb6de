import numpy as np
import pytest

from helpers.analysis import projection as pj


def test_spread_groups_keeps_totals_and_rejects_overlap():
    ages = pj.spread_groups({(0, 4): 50, (5, 9): 100}, top=10)
    assert ages.tolist() == [10] * 5 + [20] * 5
    with pytest.raises(ValueError, match="overlaps"):
        pj.spread_groups({(0, 4): 1, (4, 9): 1}, top=10)
    with pytest.raises(ValueError, match="outside"):
        pj.spread_groups({(0, 10): 1}, top=10)


def test_census_groups_checks_shares():
    g = pj.census_groups(1000, 10, 60, 30, 20)
    assert g == {(0, 14): 100, (15, 59): 600, (60, 64): 100, (65, 89): 200}
    with pytest.raises(ValueError, match="add to"):
        pj.census_groups(1000, 10, 60, 20, 10)


def test_no_deaths_no_births_only_ageing():
    ages = pj.spread_groups({(0, 9): 10}, top=20)
    out = pj.project(ages, years=5, tfr=0, mortality_level=0)
    assert out["population"].tolist() == pytest.approx([10] * 6)
    assert out.loc[5, "aged_0_14"] == pytest.approx(10)  # ages 5..14 now
    out = pj.project(ages, years=6, tfr=0, mortality_level=0)
    assert out.loc[6, "aged_0_14"] == pytest.approx(9)  # one single-year cohort (1 person) has reached 15


def test_calibrations_reproduce_their_targets():
    ages = pj.spread_groups(pj.census_groups(1e6, 11, 65, 24, 16))
    level = pj.calibrate_mortality(ages, 8.5)
    assert (ages * pj.gompertz(level)).sum() / ages.sum() * 1000 == pytest.approx(8.5, rel=1e-6)
    tfr = pj.implied_tfr(ages, 4.7)
    assert pj.births(ages, tfr) / ages.sum() * 1000 == pytest.approx(4.7, rel=1e-9)
    first = pj.project(ages, years=1, tfr=tfr, mortality_level=level).iloc[0]
    assert first["births"] / first["population"] * 1000 == pytest.approx(4.7)
    assert first["deaths"] / first["population"] * 1000 == pytest.approx(8.5, rel=1e-6)


def test_one_step_by_hand():
    ages = np.array([0.0] * 15 + [100.0] * 35 + [0.0] * 50)  # 100 people at each age 15..49
    out = pj.project(ages, years=1, tfr=2.0, mortality_level=0, migrants=23)
    expected_births = 2.0 * 0.5 * 100  # the birth pattern sums to 1 over 15-49
    assert out.loc[0, "births"] == pytest.approx(expected_births)
    assert out.loc[1, "population"] == pytest.approx(3500 + expected_births + 23)


def test_birth_pattern_sums_to_one():
    assert pj.birth_pattern().sum() == pytest.approx(1)
    assert pj.birth_pattern()[:15].sum() == 0 and pj.birth_pattern()[50:].sum() == 0


def test_book_base_reproduces_published_rates():
    base = pj.book_base("Heilongjiang")
    ages = base["ages"]
    assert ages.sum() == pytest.approx(base["population"])
    assert pj.births(ages, base["tfr"]) / ages.sum() * 1000 == pytest.approx(base["birth_rate"])
    assert (ages * pj.gompertz(base["mortality_level"])).sum() / ages.sum() * 1000 == pytest.approx(
        base["death_rate"], rel=1e-6
    )
    assert 0 < base["tfr"] < 2.1 and base["migration_per_1000"] < 0


def test_scenarios_order_by_migration():
    out = pj.scenarios(pj.book_base("Jilin"), end=2030)
    last = out[out["year"] == 2030].set_index("scenario")["index"]
    assert last["The 2010s outflow"] < last["Half the 2010s outflow"] < last["No migration"] < 100
    with pytest.raises(KeyError):
        pj.book_base("Atlantis")


def test_mortality_change_lowers_deaths_over_time_and_zero_keeps_the_old_path():
    ages = pj.spread_groups(pj.census_groups(1e6, 11, 65, 24, 16))
    level = pj.calibrate_mortality(ages, 9.0)
    flat = pj.project(ages, years=10, tfr=0.8, mortality_level=level)
    same = pj.project(ages, years=10, tfr=0.8, mortality_level=level, mortality_change=0.0)
    assert flat["population"].tolist() == pytest.approx(same["population"].tolist())
    falling = pj.project(ages, years=10, tfr=0.8, mortality_level=level, mortality_change=-0.02)
    assert falling.loc[0, "deaths"] == pytest.approx(flat.loc[0, "deaths"])  # year 0: the calibrated level
    assert falling.loc[10, "population"] > flat.loc[10, "population"]
    # one step by hand: the level in year 1 is level * 0.98
    one = pj.project(ages, years=1, tfr=0, mortality_level=level, mortality_change=-0.02)
    survivors = (ages * (1 - pj.gompertz(level))).sum()
    assert one.loc[1, "population"] == pytest.approx(survivors)
    assert one.loc[1, "deaths"] < flat.loc[1, "deaths"]
    with pytest.raises(ValueError, match="above -1"):
        pj.project(ages, years=1, tfr=1, mortality_level=level, mortality_change=-1)


def test_grid_and_band_cover_every_combination_and_order_the_range():
    ages = pj.spread_groups(pj.census_groups(1000.0, 10, 60, 30, 20))
    base = {
        "province": "P",
        "census_year": 2020,
        "population": 1000.0,
        "ages": ages,
        "mortality_level": pj.calibrate_mortality(ages, 10.0),
        "migration_per_1000": -5.0,
        "migration_rate": -0.02,
    }
    paths = pj.grid(
        base,
        end=2030,
        tfrs={"low": 0.6, "high": 1.3},
        mortality_changes={"constant": 0.0, "improving": -0.01},
        migration_shares={"none": 0.0, "outflow": 1.0},
    )
    assert len(paths) == 2 * 2 * 2 * 11
    last = paths[paths["year"] == 2030].set_index(["fertility", "mortality", "migration"])["index"]
    assert last[("high", "improving", "none")] == last.max()
    assert last[("low", "constant", "outflow")] == last.min()
    b = pj.band(paths, {"fertility": "low", "mortality": "constant", "migration": "none"})
    row = b[b["year"] == 2030].iloc[0]
    assert row["low"] == pytest.approx(last.min()) and row["high"] == pytest.approx(last.max())
    assert row["low"] < row["central"] < row["high"]
    assert b[b["year"] == 2020][["low", "central", "high"]].iloc[0].tolist() == pytest.approx([100, 100, 100])
    with pytest.raises(KeyError, match="no path"):
        pj.band(paths, {"fertility": "mid", "mortality": "constant", "migration": "none"})


def test_migration_rate_scales_with_the_pool_and_never_empties_an_age():
    ages = np.array([0.0] * 18 + [100.0] * 23 + [0.0] * 59)  # 100 people at each age 18..40
    one = pj.project(ages, years=1, tfr=0, mortality_level=0, migration_rate=-0.1)
    # after ageing, ages 19..40 hold 100 each (age 18 is empty, age 41 holds 100 and is outside the range)
    assert one.loc[1, "population"] == pytest.approx(2300 - 0.1 * 2200)
    long = pj.project(ages, years=15, tfr=0, mortality_level=0, migration_rate=-0.3)
    fixed = pj.project(ages, years=15, tfr=0, mortality_level=0, migrants=-0.3 * 2300)
    assert long["population"].min() > 0  # a rate removes a share of what is there
    assert fixed["population"].iloc[-1] < long["population"].iloc[-1]  # a fixed number runs the pool dry
    with pytest.raises(ValueError, match="above -1"):
        pj.project(ages, years=1, tfr=0, mortality_level=0, migration_rate=-1)


def test_book_base_migration_is_census_to_census():
    from helpers import data

    base = pj.book_base("Heilongjiang")
    counts = data.series("population_census").set_index(["province", "year"])["value"]
    a, b = counts[("Heilongjiang", 2010)], counts[("Heilongjiang", 2020)]
    rates = data.series("natural_growth_rate").query("province == 'Heilongjiang' and 2011 <= year <= 2020")["value"]
    expected = 1000 * (b - a) / 10 / ((a + b) / 2) - rates.mean()
    assert base["migration_per_1000"] == pytest.approx(expected)
    assert base["migration_rate"] == pytest.approx(expected / 1000 * base["population"] / base["ages"][18:41].sum())


def test_life_expectancy_of_known_schedules():
    # no deaths at all: the years counted run to the top age (the open age adds none when nobody dies)
    assert pj.life_expectancy(0.0, top=10) == pytest.approx(9.0)
    # constant hazard h (slope 0): e0 close to 1/h for small h
    h = 0.02
    assert pj.life_expectancy(h, slope=0.0, top=1000) == pytest.approx(1 / (1 - np.exp(-h)) - 0.5, rel=1e-3)
    level = pj.calibrate_mortality(pj.spread_groups(pj.census_groups(1e6, 11, 65, 24, 16)), 8.0)
    assert pj.life_expectancy(level * 2) < pj.life_expectancy(level)
