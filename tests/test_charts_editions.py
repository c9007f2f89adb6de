"""charts.editions_chart and charts.influence_chart (added for the overview and state-ownership chapters)."""

import pandas as pd
import pytest

from helpers import charts


def _two_editions():
    return pd.DataFrame(
        {
            "measure": ["Output"] * 4 + ["People"] * 2,
            "vintage": [
                "compendium_2010",
                "compendium_2010",
                "nbs_portal_2025",
                "nbs_portal_2025",
                "compendium_2010",
                "compendium_2010",
            ],
            "year": [2006, 2007, 2006, 2007, 2006, 2007],
            "value": [8.5, 8.4, 7.7, 7.6, 8.3, 8.2],
        }
    )


def test_editions_are_drawn_apart_and_named():
    spec = charts.editions_chart(_two_editions(), y_title="%", title="t", description="d", source="s").to_dict()
    line = spec["layer"][0]
    assert line["encoding"]["strokeDash"]["field"] == "edition"
    rows = pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))])
    # a line segment never spans two editions
    assert rows.groupby("_segment")["vintage"].nunique().max() == 1
    assert {"compendium (2010)", "NBS, revised 2025"} <= set(rows["edition"])


def test_claims_add_a_layer_and_bad_input_is_refused():
    claims = pd.DataFrame({"year": [2006], "value": [9.0], "claim": ["x"]})
    spec = charts.editions_chart(
        _two_editions(), claims=claims, y_title="%", title="t", description="d", source="s"
    ).to_dict()
    assert len(spec["layer"]) == 2 and spec["layer"][1]["mark"]["shape"] == "diamond"
    with pytest.raises(KeyError):
        charts.editions_chart(
            _two_editions().drop(columns="vintage"), y_title="%", title="t", description="d", source="s"
        )


def test_influence_chart_labels_and_threshold():
    frame = pd.DataFrame(
        {
            "province": ["Liaoning", "Beijing", "Anhui"],
            "leverage": [0.05, 0.3, 0.1],
            "cooks_d": [0.03, 0.01, 0.2],
            "label": [True, True, False],
        }
    )
    spec = charts.influence_chart(frame, threshold=0.19, title="t", description="d", source="s").to_dict()
    assert spec["layer"][0]["mark"]["type"] == "rule"
    with pytest.raises(KeyError):
        charts.influence_chart(frame.drop(columns="label"), title="t", description="d", source="s")
