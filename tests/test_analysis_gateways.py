import json

import pandas as pd
import pytest

from helpers import charts
from helpers.analysis.gateways import distances, gateways, great_circle_km
from helpers.analysis.graduates import graduate_pay


def test_one_degree_of_longitude_on_the_equator_is_about_111_km():
    assert great_circle_km(0, 0, 0, 1) == pytest.approx(111.19, abs=0.01)
    assert great_circle_km(45, 126, 45, 126) == 0


def test_bad_latitude_is_refused():
    with pytest.raises(ValueError, match="lat1"):
        great_circle_km(100, 0, 0, 0)


def test_distances_name_unknown_places():
    places = pd.DataFrame({"place": ["A", "B"], "latitude": [0.0, 0.0], "longitude": [0.0, 1.0]})
    out = distances(places, [("A", "B")])
    assert out.loc[0, "km"] == pytest.approx(111.19, abs=0.01) and out.loc[0, "mid_lon"] == 0.5
    with pytest.raises(KeyError, match="Nowhere"):
        distances(places, [("A", "Nowhere")])


def test_hunchun_is_far_closer_to_vladivostok_than_to_dalian():
    places = gateways()
    out = distances(places, [("Hunchun", "Vladivostok"), ("Hunchun", "Dalian")]).set_index("to")["km"]
    assert out["Vladivostok"] < 200 < 700 < out["Dalian"]


def test_gateway_map_draws_points_and_lines_only_no_boundaries():
    places = gateways()
    chart = charts.gateway_map(
        places, distances(places, [("Harbin", "Suifenhe")]), title="t", description="d", source="s"
    )
    spec = json.dumps(chart.to_dict())
    assert "geoshape" not in spec and "mercator" in spec and "role_pick" in spec


def test_graduate_pay_ranks_the_two_northeastern_cities():
    pay = graduate_pay().set_index("city")
    assert pay.loc["Shanghai", "rank"] == 1 and pay.loc["Shanghai", "vs_top"] == 0
    assert set(pay[pay["northeast"]].index) == {"Dalian", "Shenyang"}


def test_gateway_map_refuses_an_unknown_label_position():
    places = gateways()
    with pytest.raises(ValueError, match="left, right, above or below"):
        charts.gateway_map(
            places,
            distances(places, [("Harbin", "Suifenhe")]),
            title="t",
            description="d",
            source="s",
            label_pos={"Harbin": "north"},
        )


def test_heilongjiang_2016_retention_share_recomputes_within_rounding():
    from helpers.analysis.graduates import retention_reports

    row = retention_reports().set_index(["province", "cohort"]).loc[("Heilongjiang", 2016)]
    assert row["share_recomputed"] == pytest.approx(row["share_stayed"], abs=0.02)
