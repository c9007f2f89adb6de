"""The chart builders added for chapters 02 and 03 (end of helpers/charts.py)."""

import pandas as pd
import pytest

from helpers import charts


def _parts():
    return pd.DataFrame(
        {
            "province": ["A"] * 3,
            "year": [2008, 2011, 2012],
            "natural": [1.0, -2.0, -3.0],
            "migration": [-5.0, -6.0, None],
        }
    )


def test_components_by_year_keeps_gaps_on_a_continuous_axis():
    spec = charts.components_by_year_chart(
        _parts(), parts={"natural": "N", "migration": "M"}, y_title="y", title="t", description="d", source="s"
    ).to_dict()
    assert spec["encoding"]["x"]["type"] == "quantitative"
    assert spec["encoding"]["x"]["scale"]["domain"] == [2007.5, 2012.5]
    assert spec["encoding"]["y2"] == {"datum": 0}
    rows = pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))])
    assert len(rows) == 5  # the missing migration figure is dropped, not drawn as zero
    assert (rows["x1"] > rows["x0"]).all() and rows["x0"].between(2007.6, 2012.4).all()


def test_components_by_year_names_missing_columns():
    with pytest.raises(KeyError, match="migration"):
        charts.components_by_year_chart(
            _parts().drop(columns="migration"),
            parts={"natural": "N", "migration": "M"},
            y_title="y",
            title="t",
            description="d",
            source="s",
        )


def test_marked_lines_differ_by_more_than_colour():
    frame = pd.DataFrame(
        {
            "province": ["Liaoning", "Jilin", "Heilongjiang", "Guangdong"] * 2,
            "year": [2020] * 4 + [2021] * 4,
            "value": [1, 2, 2, 3, 2, 3, 3, 4],
        }
    )
    spec = charts.pick_province_marked_chart(frame, y_title="y", title="t", description="d", source="s").to_dict()
    dashes = spec["layer"][0]["encoding"]["strokeDash"]["scale"]["range"]
    shapes = spec["layer"][1]["encoding"]["shape"]["scale"]["range"]
    assert len({str(d) for d in dashes}) == len(dashes) and len(set(shapes)) >= 3
    label_offsets = [layer["mark"].get("dy", 0) for layer in spec["layer"][2:]]
    assert charts.LABEL_DY["Jilin"] in label_offsets and charts.LABEL_DY["Heilongjiang"] in label_offsets


def test_vintage_markers_need_the_line_vintage():
    frame = pd.DataFrame({"province": ["Jilin"] * 2, "year": [2015, 2015], "value": [1, 2], "vintage": ["old", "new"]})
    charts.vintage_markers_chart(frame, line_vintage="new", y_title="y", title="t", description="d", source="s")
    with pytest.raises(ValueError, match="no rows of vintage"):
        charts.vintage_markers_chart(frame, line_vintage="newest", y_title="y", title="t", description="d", source="s")


def test_paired_rates_limits_the_number_of_dash_patterns():
    frame = pd.DataFrame({"province": ["China"] * 5, "year": [2020] * 5, "value": [1] * 5, "rate": list("abcde")})
    with pytest.raises(ValueError, match="at most 4"):
        charts.paired_rates_chart(frame, kinds=list("abcde"), y_title="y", title="t", description="d", source="s")
