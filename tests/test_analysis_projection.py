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
