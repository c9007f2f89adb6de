"""Unit tests for helpers: charts, figures, widgets and the offline renderer."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from helpers import charts, data, demography, figures, render, widgets


def small_series() -> pd.DataFrame:
    # Shape-only test frame for chart builders: values are arbitrary and never shown in the book.
    return pd.DataFrame(
        {
            "province": ["Liaoning", "Liaoning", "Jiangsu", "Jiangsu", "China", "China"],
            "year": [2000, 2001] * 3,
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )


def test_theme_is_registered_and_enabled():
    assert alt.theme.active == charts.THEME
    config = alt.theme.get()()["config"]
    assert "Noto Sans CJK SC" in config["font"]


@pytest.mark.parametrize("missing", ["title", "description", "source"])
def test_builders_refuse_charts_without_title_description_or_source(missing):
    kwargs = {"title": "A finding", "description": "What it shows", "source": "Somewhere"}
    kwargs[missing] = " "
    with pytest.raises(ValueError, match=missing):
        charts.line_chart(small_series(), y_title="units", **kwargs)


def test_line_chart_highlights_northeast_and_carries_metadata():
    spec = charts.line_chart(
        small_series(),
        y_title="units",
        title="A finding that is stated here",
        description="Lines by province",
        source="Test source",
        data_url="../data/x.csv",
    ).to_dict()
    color = spec["encoding"]["color"]["scale"]
    assert color["domain"][:2] == ["Liaoning", "China"]
    assert color["range"][0] == charts.HIGHLIGHT["Liaoning"]
    assert color["range"][-1] == charts.OTHER
    assert spec["description"] == "Lines by province"
    assert spec["title"]["subtitle"][-1] == "Source: Test source"
    assert spec["usermeta"]["dongbei"]["data_url"] == "../data/x.csv"


def test_long_titles_wrap_for_phones():
    lines = charts.wrap("word " * 40)
    assert len(lines) > 1 and all(len(line) <= charts.TITLE_WRAP for line in lines)


def test_tile_map_places_every_province_and_rejects_unknown_names():
    registry = data.provinces()
    chart = charts.tile_map(
        registry,
        value="region",
        nominal=True,
        colors=charts.REGION_COLORS,
        legend_title="Region",
        title="Regions",
        description="Tile map",
        source="NBS",
    )
    spec = chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 31
    assert len({(r["tile_x"], r["tile_y"]) for r in rows}) == 31, "two provinces share a tile"
    with pytest.raises(ValueError, match="Atlantis"):
        charts.tile_map(
            pd.DataFrame({"province": ["Atlantis"], "v": [1.0]}),
            value="v",
            legend_title="v",
            title="t",
            description="d",
            source="s",
        )


def test_figures_state_glue_and_key_table(capsys):
    figures.reset()
    assert figures.state("test_share", 12.345, source="gdp_nominal", fmt="{:.1f}", unit="%") is None
    assert figures.registered()["test_share"].text == "12.3%"
    assert repr(figures.Text("12.3%")) == "12.3%"
    figures.key_figures()
    out = capsys.readouterr().out
    assert "test_share" in out and "12.3%" in out and "gdp_nominal" in out
    with pytest.raises(ValueError, match="no value"):
        figures.state("test_gap", float("nan"), source="x")
    with pytest.raises(ValueError, match="source"):
        figures.state("test_nosource", 1, source="")
    figures.reset()


def test_province_card_updates_when_the_pick_changes():
    card = widgets.ProvinceCard(data.provinces())
    assert "辽宁" in card.card.value
    card.picker.value = "Heilongjiang"
    assert "黑龙江" in card.card.value and "Northeast" in card.card.value


def test_series_explorer_reads_the_change_over_the_selected_years():
    explorer = widgets.SeriesExplorer(small_series(), label="test units")
    assert explorer.change() == (2000, 1.0, 2001, 2.0)
    assert "+100.0%" in explorer.summary.value
    explorer.picker.value = "Jiangsu"
    explorer.years.value = (2001, 2001)
    assert explorer.change() == (2001, 4.0, 2001, 4.0)


def test_renderer_draws_vegalite_at_build_time_and_turns_widgets_into_a_note():
    class Data:
        def __init__(self, mime, content):
            self.mime_type, self.content = mime, content

    spec = {
        "description": 'A "quoted" <chart>',
        "mark": "point",
        "note": "</script>",
        "data": {"values": [{"x": 1}, {"x": 2}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
        "width": "container",
    }
    nodes = render.OfflineMimeRenderer.handle_mime(None, Data("application/vnd.vegalite.v5+json", spec), False)
    html = nodes[0].astext()
    assert 'class="dongbei-vega"' in html and "&quot;quoted&quot; &lt;chart&gt;" in html
    assert "<svg" in html and 'class="mark-symbol' in html, "the chart must arrive drawn (SVG at build time)"
    assert f'viewBox="0 0 {render.STATIC_WIDTH}' in html, "a container-wide chart is drawn at the phone width"
    assert "dongbei-vega-spec" not in html, "a chart without parameters needs no spec and no runtime"
    # A chart with a parameter also carries its spec, compiled to Vega, safe inside its script element.
    live = {
        **spec,
        "description": "closes </script> early?",
        "params": [{"name": "p", "value": 1, "bind": {"input": "range", "min": 0, "max": 2}}],
    }
    html = render.OfflineMimeRenderer.handle_mime(None, Data("application/vnd.vegalite.v5+json", live), False)[
        0
    ].astext()
    assert 'data-live="pending"' in html and "<svg" in html
    payload = html.split('class="dongbei-vega-spec">')[1].split("</script>")[0]
    compiled = json.loads(payload)
    assert compiled["$schema"].endswith("vega/v5.json") or "vega/v" in compiled["$schema"]
    assert compiled["description"] == "closes </script> early?"
    note = render.OfflineMimeRenderer.handle_mime(None, Data(render.WIDGET_VIEW_MIME, {}), False)
    assert "Run this explorer" in note[0].astext()  # one line, with launch links when the page is known
    assert render.OfflineMimeRenderer.handle_mime(None, Data("text/plain", "x"), False) is None


def test_static_chart_ids_are_unique_per_chart():
    """Two charts on one page must not share clip-path ids (the second would clip to the first)."""
    base = {
        "mark": {"type": "bar", "clip": True},
        "data": {"values": [{"a": "x", "b": 1}]},
        "width": 100,
        "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
    }
    import re

    one, two = render.static_svg({**base, "title": "one"}), render.static_svg({**base, "title": "two"})
    ids_one, ids_two = set(re.findall(r' id="([^"]+)"', one)), set(re.findall(r' id="([^"]+)"', two))
    assert ids_one and ids_two and not ids_one & ids_two
    assert all(f"url(#{i})" in one for i in ids_one), "references must follow the renamed ids"


def test_chart_payload_carries_no_markup_so_no_note_can_cut_the_page_short():
    """'<!--<script>' in a spec once made the HTML parser swallow the rest of the page (issue 19).

    Only a chart with parameters carries a payload (its compiled Vega spec, which keeps the description).
    """
    note = "<!--<script> Jilin & Liaoning </script> -->"
    spec = {
        "description": note,
        "mark": "point",
        "data": {"values": [{"x": 1}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
        "params": [{"name": "p", "value": 1, "bind": {"input": "range", "min": 0, "max": 2}}],
    }
    html = render.chart_html(spec)
    payload = html.split('class="dongbei-vega-spec">')[1].split("</script>", 1)[0]
    assert not {"<", ">", "&"} & set(payload), payload
    assert json.loads(payload)["description"] == note


def test_pick_province_chart_binds_a_dropdown_that_runs_without_a_kernel():
    frame = small_series().assign(province=["Northeast", "Northeast", "Jiangsu", "Jiangsu", "China", "China"])
    spec = charts.pick_province_chart(
        frame, y_title="u", title="t", description="d", source="s", initial="Jiangsu"
    ).to_dict()
    param = spec["params"][0]
    assert param["bind"]["input"] == "select" and param["bind"]["options"] == ["Jiangsu"]
    assert param["value"] == "Jiangsu"
    assert "datum.province == pick" in spec["transform"][0]["filter"]


def test_slope_chart_keeps_only_the_two_years_and_reverses_ranks():
    spec = charts.slope_chart(
        small_series(), start=2000, end=2001, y_title="rank", title="t", description="d", source="s"
    ).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["year"] for r in rows} == {2000, 2001}
    assert spec["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True


def test_every_builder_compiles_with_the_sites_vega_lite():
    """Compile each builder's spec with the same Vega-Lite version the site serves (vl-convert)."""
    import vl_convert

    from helpers.site import vegalite_version

    frame = small_series().assign(province=["Northeast", "Northeast", "Jiangsu", "Jiangsu", "China", "China"])
    common = {"title": "t", "description": "d", "source": "s"}
    specs = [
        charts.line_chart(small_series(), y_title="u", **common),
        charts.pick_province_chart(frame, y_title="u", **common),
        charts.slope_chart(small_series(), start=2000, end=2001, y_title="rank", **common),
        charts.tile_map(
            data.provinces(), value="region", nominal=True, colors=charts.REGION_COLORS, legend_title="r", **common
        ),
        charts.concept_map(
            pd.DataFrame({"id": ["a", "b"], "label": ["A", "B"], "x": [0.2, 0.8], "y": [0.5, 0.5]}),
            [("a", "b")],
            **common,
        ),
        charts.components_by_year_chart(
            pd.DataFrame({"province": ["Jilin"] * 2, "year": [2000, 2001], "a": [1.0, -1.0], "b": [-2.0, 0.5]}),
            parts={"a": "A", "b": "B"},
            y_title="u",
            initial="Jilin",
            **common,
        ),
        charts.scenario_chart(
            pd.DataFrame(
                {
                    "province": ["Jilin"],
                    "year": [2020],
                    "population": [100.0],
                    "birth_rate": [5.0],
                    "death_rate": [10.0],
                }
            ),
            end=2023,
            y_title="i",
            **common,
        ),
        charts.timeline_chart(
            pd.DataFrame(
                {
                    "start": [1858, 2003],
                    "end": [1858, 2005],
                    "when": ["1858", "2003-05"],
                    "event": ["a", "b"],
                    "theme": ["geopolitics", "policy"],
                    "source": ["s", "s"],
                }
            ),
            **common,
        ),
        charts.ranking_chart(
            pd.DataFrame({"province": ["Jilin", "Jiangsu", "Hunan"], "value": [1.0, 3.0, 2.0]}),
            x_title="u",
            reference=2.5,
            reference_label="China",
            initial="Hunan",
            **common,
        ),
        charts.events_chart(
            small_series(), pd.DataFrame({"start": [2000, 1990], "label": ["plan", "too early"]}), y_title="u", **common
        ),
        charts.projection_band_chart(
            pd.DataFrame(
                {
                    "province": ["Jilin"] * 2,
                    "year": [2020, 2021],
                    "low": [100, 97],
                    "high": [100, 99],
                    "central": [100, 98],
                }
            ),
            y_title="i",
            **common,
        ),
        charts.population_pyramid_chart(
            pd.DataFrame(
                {
                    "province": ["Jilin", "Jilin", "China", "China"],
                    "year": [2020] * 4,
                    "age_group": ["0-4"] * 4,
                    "sex": ["male", "female"] * 2,
                    "share": [1.0, 2.0, 3.0, 4.0],
                    "signed": [-1.0, 2.0, -3.0, 4.0],
                }
            ),
            age_order=["0-4"],
            **common,
        ),
    ]
    for chart in specs:
        svg = vl_convert.vegalite_to_svg(chart.to_dict(), vl_version=vegalite_version())
        assert "<svg" in svg and "mark-" in svg


def test_indicator_explorer_switches_series_and_keeps_the_province():
    frames = {"a": small_series(), "b": small_series().assign(value=lambda f: f["value"] * 10)}
    catalogue = pd.DataFrame({"id": ["a", "b"], "title": ["A", "B"], "unit": ["u", "v"]})
    explorer = widgets.IndicatorExplorer(catalogue, load=frames.__getitem__)
    explorer.explorer.picker.value = "Jiangsu"
    explorer.indicator.value = "b"
    assert explorer.explorer.picker.value == "Jiangsu"
    assert explorer.explorer.change() == (2000, 30.0, 2001, 40.0)
    assert "B (v)" in explorer.explorer.summary.value


def test_with_gaps_starts_a_new_line_after_a_missing_year():
    frame = pd.DataFrame(
        {
            "province": ["Jilin"] * 3 + ["Jiangsu"] * 2,
            "year": [2000, 2001, 2004, 2000, 2001],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    gapped = charts.with_gaps(frame).set_index(["province", "year"])["_segment"]
    assert gapped[("Jilin", 2000)] == gapped[("Jilin", 2001)] != gapped[("Jilin", 2004)]
    assert gapped[("Jiangsu", 2000)] == gapped[("Jiangsu", 2001)] != gapped[("Jilin", 2000)]
    spec = charts.line_chart(frame, y_title="u", title="t", description="d", source="s").to_dict()
    assert spec["encoding"]["detail"]["field"] == "_segment"


def test_concept_map_points_arrows_at_the_effect():
    nodes = pd.DataFrame({"id": ["a", "b"], "label": ["Cause", "Effect"], "x": [0.2, 0.8], "y": [0.5, 0.5]})
    spec = charts.concept_map(nodes, [("a", "b")], title="t", description="d", source="s").to_dict()
    link = next(iter(spec["datasets"].values()))[0]
    assert link["x2"] < 0.8 and link["x"] > 0.2  # stops short of both boxes
    assert link["angle"] == pytest.approx(90)  # pointing right, towards the effect
    with pytest.raises(KeyError, match="c"):
        charts.concept_map(nodes, [("a", "c")], title="t", description="d", source="s")


def test_coverage_runs_merge_consecutive_years_and_keep_gaps():
    frame = pd.DataFrame(
        {
            "province": ["Jilin"] * 4,
            "year": [2000, 2001, 2003, 2004],
            "status": ["verified", "verified", "verified", "reported"],
        }
    )
    runs = charts.coverage_runs({"s": frame}).sort_values("start")
    assert runs[["start", "end", "status"]].values.tolist() == [
        [2000, 2002, "verified"],
        [2003, 2004, "verified"],
        [2004, 2005, "reported"],
    ]


def test_scenario_chart_binds_two_sliders_and_computes_paths_in_the_browser():
    import vl_convert

    from helpers.site import vegalite_version

    bases = pd.DataFrame(
        {"province": ["Jilin"], "year": [2020], "population": [100.0], "birth_rate": [5.0], "death_rate": [10.0]}
    )
    chart = charts.scenario_chart(
        bases,
        end=2030,
        y_title="i",
        title="t",
        description="d",
        source="s",
        fertility=(0.5, 2.0, 0.5),
        migration=(-4.0, 4.0, 1.0),
    )
    spec = chart.to_dict()
    params = {
        p["name"]: p
        for p in [*spec.get("params", []), *(q for layer in spec["layer"] for q in layer.get("params", []))]
    }
    assert params["fert"]["bind"]["input"] == "range" and params["fert"]["bind"]["step"] == 0.5
    assert params["mig"]["bind"]["min"] == -4 and params["mig"]["bind"]["max"] == 4
    # The expression the browser evaluates gives the same path as the Python model.
    probe = (
        alt.Chart(pd.DataFrame({"birth_rate": [5.0], "death_rate": [10.0], "t": [10]}))
        .transform_calculate(index=demography.CLOSED_FORM.format(f="1.5", m="-4"))
        .mark_text()
        .encode(text=alt.Text("index:Q", format=".6f"))
    )
    scene = json.dumps(vl_convert.vegalite_to_scenegraph(probe.to_dict(), vl_version=vegalite_version()))
    path = demography.project(100.0, 5.0, 10.0, start=2020, end=2030, fertility=1.5, migration=-0.4)
    expected = path["population"].iloc[-1]
    assert f"{demography.closed_form(5.0, 10.0, 10, 1.5, -4):.6f}" in scene
    assert demography.closed_form(5.0, 10.0, 10, 1.5, -4) == pytest.approx(expected)


def test_components_by_year_chart_needs_its_columns():
    with pytest.raises(KeyError, match="migration"):
        charts.components_by_year_chart(
            pd.DataFrame({"province": ["Jilin"], "year": [2000], "natural": [1.0]}),
            parts={"natural": "N", "migration": "M"},
            y_title="u",
            title="t",
            description="d",
            source="s",
        )


def test_projection_explorer_recomputes_when_a_slider_moves():
    bases = pd.DataFrame(
        {
            "province": ["Jilin", "Liaoning"],
            "year": [2023, 2023],
            "population": [1000.0, 2000.0],
            "birth_rate": [5.0, 5.0],
            "death_rate": [10.0, 10.0],
            "death_step": [0.5, 0.5],
        }
    )
    explorer = widgets.ProjectionExplorer(bases, end=2025, initial="Jilin")
    # 1000 × (1 + (5 − 10)/1000) per year, two years, no migration, no drift.
    assert explorer.path["population"].iloc[-1] == pytest.approx(1000 * 0.995**2)
    explorer.migration.value = 5.0  # +5 per 1,000 of the base population a year = +5 persons here
    assert explorer.path["population"].iloc[-1] == pytest.approx((1000 * 0.995 + 5) * 0.995 + 5)
    explorer.drift.value = True  # death rate 10.5 then 11
    assert explorer.path["deaths"].iloc[1] == pytest.approx(10.5 / 1000 * 1000)
    assert "2025" in explorer.summary.value and "Jilin" in explorer.summary.value


def test_timeline_chart_filters_by_theme_and_zooms_without_a_kernel():
    events = pd.DataFrame(
        {
            "start": [1858, 2003],
            "end": [1858, 2005],
            "when": ["1858", "2003-05"],
            "event": ["a", "b"],
            "theme": ["geopolitics", "policy"],
            "source": ["s", "s"],
        }
    )
    spec = charts.timeline_chart(events, title="t", description="d", source="s").to_dict()
    params = {
        p["name"]: p
        for p in [*spec.get("params", []), *(q for layer in spec["layer"] for q in layer.get("params", []))]
    }
    assert params["theme_pick"]["bind"]["options"] == ["all", "geopolitics", "policy"]
    assert params["zoom"]["bind"] == "scales"
    with pytest.raises(KeyError, match="source"):
        charts.timeline_chart(events.drop(columns="source"), title="t", description="d", source="s")


def test_ranking_chart_sorts_bars_and_binds_a_highlight_dropdown():
    frame = pd.DataFrame({"province": ["Jilin", "Jiangsu", "Hunan"], "value": [1.0, 3.0, 2.0]})
    spec = charts.ranking_chart(frame, x_title="u", title="t", description="d", source="s", initial="Hunan").to_dict()
    params = {
        p["name"]: p
        for p in [*spec.get("params", []), *(q for layer in spec["layer"] for q in layer.get("params", []))]
    }
    assert params["rank_pick"]["value"] == "Hunan" and params["rank_pick"]["bind"]["options"] == ["Hunan", "Jiangsu"]
    with pytest.raises(ValueError, match="one row per province"):
        charts.ranking_chart(pd.concat([frame, frame]), x_title="u", title="t", description="d", source="s")


def test_ranking_chart_with_years_binds_a_slider_and_filters_bars_and_reference():
    import vl_convert

    from helpers.site import vegalite_version

    frame = pd.DataFrame(
        {
            "province": ["Jilin", "Jiangsu", "Hunan"] * 2,
            "year": [2020] * 3 + [2021] * 3,
            "value": [1.0, 3.0, 2.0, 9.0, 4.0, 5.0],
        }
    )
    chart = charts.ranking_chart(
        frame,
        x_title="u",
        title="t",
        description="d",
        source="s",
        reference={2020: 2.5, 2021: 6.0},
        reference_label="All",
    )
    spec = chart.to_dict()
    params = {
        p["name"]: p
        for p in [*spec.get("params", []), *(q for layer in spec["layer"] for q in layer.get("params", []))]
    }
    assert params["rank_year"]["value"] == 2021
    assert (params["rank_year"]["bind"]["min"], params["rank_year"]["bind"]["max"]) == (2020, 2021)
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version())
    # Three bars for the slider's year only (not six), and one reference rule.
    assert svg.count('aria-roledescription="bar"') == 3
    with pytest.raises(ValueError, match="one row per province and year"):
        charts.ranking_chart(pd.concat([frame, frame]), x_title="u", title="t", description="d", source="s")


def test_scatter_chart_filters_points_and_fit_by_the_year_slider():
    import vl_convert

    from helpers.site import vegalite_version

    frame = pd.DataFrame(
        {
            "province": ["Jilin", "Jiangsu", "Hunan", "Liaoning"] * 2,
            "year": [2020] * 4 + [2021] * 4,
            "a": [1.0, 3.0, 2.0, 4.0, 2.0, 5.0, 1.0, 3.0],
            "b": [2.0, 1.0, 3.0, 5.0, 4.0, 2.0, 6.0, 1.0],
        }
    )
    spec = charts.scatter_chart(
        frame, x="a", y="b", x_title="A", y_title="B", title="t", description="d", source="s"
    ).to_dict()
    params = {
        p["name"]: p
        for p in [*spec.get("params", []), *(q for layer in spec["layer"] for q in layer.get("params", []))]
    }
    assert params["scatter_year"]["value"] == 2021 and params["show_fit"]["value"] is True
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version())
    # Four points for the slider's year (not eight); the Northeast labelled (legend + label), others
    # not; one fitted line.
    assert svg.count('aria-roledescription="circle"') == 4
    assert svg.count(">Jilin<") == 2 and svg.count(">Hunan<") == 0
    assert svg.count('aria-roledescription="line mark"') == 1
    with pytest.raises(KeyError, match="needs columns"):
        charts.scatter_chart(frame, x="a", y="zz", x_title="A", y_title="B", title="t", description="d", source="s")


def test_compare_explorer_reads_first_and_last_held_values_for_each_province():
    frames = {"A": small_series(), "B": small_series().assign(value=lambda f: f["value"] * 10)}
    explorer = widgets.CompareExplorer(frames, initial=("Liaoning", "Jiangsu", "Nowhere"))
    assert list(explorer.provinces.value) == ["Liaoning", "Jiangsu"]
    rows = explorer.rows().set_index("province")
    jilin = small_series().query("province == 'Liaoning'").dropna(subset=["value"]).sort_values("year")
    assert rows.loc["Liaoning", "first"] == jilin["value"].iloc[0]
    assert rows.loc["Liaoning", "change"] == jilin["value"].iloc[-1] - jilin["value"].iloc[0]
    explorer.series.value = "B"
    assert explorer.rows().set_index("province").loc["Liaoning", "first"] == 10 * jilin["value"].iloc[0]
    assert (
        "Liaoning" in explorer.table.value
        and "<caption>" in explorer.table.value
        and 'scope="col"' in explorer.table.value
    )
    explorer.years.value = (2000, 2000)
    explorer.series.value = "A"
    explorer.provinces.value = ("China",)
    explorer.frames["A"] = small_series().query("province != 'China'")
    explorer.refresh()
    assert "no data in these years" in explorer.table.value and "nan" not in explorer.table.value
    explorer.provinces.value = ()
    assert explorer.table.value == "Pick one or more provinces."


def test_profile_explorer_reads_one_year_for_a_province_and_the_reference():
    a = pd.DataFrame(
        {
            "province": ["Jilin", "Jilin", "31 provinces", "31 provinces"],
            "year": [2015, 2016] * 2,
            "value": [1.0, 2.0, 10.0, 20.0],
        }
    )
    b = pd.DataFrame({"province": ["Jilin"], "year": [2015], "value": [7.0]})
    explorer = widgets.ProfileExplorer({"A": a, "B": b}, initial="Jilin")
    assert explorer.year.value == 2016 and list(explorer.province.options) == ["Jilin"]
    rows = explorer.rows().set_index("series")
    assert rows.loc["A", "value"] == 2.0 and rows.loc["A", "reference"] == 20.0
    assert rows.loc["B"].isna().all()
    assert "not held" in explorer.table.value
    explorer.year.value = 2015
    rows = explorer.rows().set_index("series")
    assert rows.loc["B", "value"] == 7.0 and rows.loc["A", "reference"] == 10.0


def test_relation_explorer_correlates_x_with_the_change_in_an_outcome():
    x = pd.DataFrame(
        {"province": ["Jilin", "Hunan", "Jiangsu", "Liaoning"], "year": [2008] * 4, "value": [1.0, 2.0, 3.0, 4.0]}
    )
    out = pd.DataFrame(
        {
            "province": ["Jilin", "Hunan", "Jiangsu", "Liaoning"] * 2,
            "year": [2010] * 4 + [2012] * 4,
            "value": [10.0, 10.0, 10.0, 10.0, 12.0, 14.0, 16.0, 18.0],
        }
    )
    explorer = widgets.RelationExplorer(x, {"Out": out}, x_label="x", x_year=2008)
    pairs = explorer.pairs().set_index("province")
    assert pairs.loc["Liaoning", "y"] == 8.0 and pairs.loc["Jilin", "y"] == 2.0
    stats = explorer.statistics()
    assert stats.n == 4 and stats.r == pytest.approx(1.0) and stats.slope == pytest.approx(2.0)
    assert "correlation +1.00" in explorer.summary.value and "Jilin +0" in explorer.summary.value
    explorer.fit.value = False
    assert "Fitted slope" not in explorer.summary.value
    explorer.span.value = (2010, 2010)
    assert explorer.statistics() is None and "Too few provinces" in explorer.summary.value


def test_stay_or_go_adds_the_readers_costs_to_the_sourced_budget():
    places = pd.DataFrame({"place": ["Home", "Away"], "income": [30000.0, 40000.0], "spending": [20000.0, 28000.0]})
    calc = widgets.StayOrGo(places, home="Home", away="Away")
    assert calc.left_over() == (10000.0, 12000.0)
    calc.premium.value = 50  # away income × 1.5 = 60,000
    calc.rent.value = 10000
    calc.heating.value = 2000
    assert calc.left_over() == (8000.0, 22000.0)
    assert "moving leaves 14,000 yuan more" in calc.summary.value


@pytest.mark.parametrize("text", ["105,900", "2019", "36.5%", "+5.4%", "2,670,000 people", "-17%", "0.28", "(1, 2)"])
def test_glued_text_survives_myst_nbs_literal_eval(text):
    from myst_nb.core.variables import format_plain_text

    assert format_plain_text(repr(figures.Text(text)), "") == text


def test_before_after_measures_the_average_yearly_change_on_each_side():
    frame = pd.DataFrame(
        {
            "province": ["Jilin"] * 6,
            "year": [2010, 2012, 2014, 2015, 2016, 2018],
            "value": [10.0, 9.0, 8.0, 8.0, 9.0, 11.0],
        }
    )
    result = widgets.before_after(frame, "Jilin", 2014, window=4)
    assert result["before"] == pytest.approx(-0.5) and result["after"] == pytest.approx(0.75)
    assert widgets.before_after(frame, "Jilin", 2010, window=4) is None  # nothing before 2010


def test_policy_lens_follows_the_indicator_policy_and_area():
    frames = {
        "a": pd.DataFrame(
            {
                "province": ["Jilin"] * 4 + ["Hunan"] * 4,
                "year": [2000, 2002, 2004, 2006] * 2,
                "value": [1.0, 2.0, 3.0, 7.0, 5.0, 5.0, 5.0, 5.0],
            }
        )
    }
    catalogue = pd.DataFrame({"id": ["a"], "title": ["A"], "unit": ["u"]})
    events = pd.DataFrame({"start": [2002, 2004], "when": ["2002", "2004"], "event": ["first", "second"]})
    lens = widgets.PolicyLens(catalogue, events, load=frames.__getitem__, province="Jilin")
    lens.window.value = 2
    lens.policy.value = 2004
    assert "+0.5 a year before 2004" in lens.summary.value and "+2 a year after" in lens.summary.value
    lens.province.value = "Hunan"
    assert "+0 a year before" in lens.summary.value


def test_ordinal_suffixes():
    from helpers import figures

    assert [figures.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "111th",
        "112th",
    ]


def test_table_cells_get_their_column_headings_for_the_phone_layout():
    from helpers.site import STACK_CLASS, _label_table

    wide = (
        '<table class="table"><thead><tr><th>Claim</th><th>Source</th><th>Audit</th></tr></thead>'
        '<tbody><tr><td>a</td><td>b</td><td><a href="#x">x</a></td></tr>'
        '<tr><th scope="row">c</th><td>d</td><td></td></tr></tbody></table>'
    )
    labelled = _label_table(wide)
    assert labelled.count('data-label="Audit"') == 2 and 'data-label="Claim"' in labelled
    assert f'class="table {STACK_CLASS}"' in labelled
    assert _label_table(labelled) == labelled  # a page rewritten twice (incremental build) stays the same
    narrow = (
        "<table><thead><tr><th>Year</th><th>Value</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    spanned = wide.replace("<td>d</td><td></td>", '<td colspan="2">d</td>')
    headless = "<table><tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>"
    for unchanged in (narrow, spanned, headless):
        assert _label_table(unchanged) == unchanged


def test_line_fit_recovers_a_known_line_and_names_who_lies_below():
    import numpy as np
    import pandas as pd

    from helpers.stats import line_fit

    x = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan], index=["A", "B", "C", "D", "E"])
    y = pd.Series([3.0, 5.5, 7.0, 9.5, 1.0, 2.0], index=["A", "B", "C", "D", "E", "F"])
    fit = line_fit(x, y)
    assert fit.n == 4  # E has no x, F no partner
    assert abs(fit.slope - 2.1) < 1e-9 and abs(fit.intercept - 1.0) < 1e-9
    assert abs(fit.residuals.sum()) < 1e-9 and fit.below(["A", "B", "C", "Z"]) == ["A", "C"]
    assert abs(fit.predict(10) - 22.0) < 1e-9 and 0.99 < fit.r < 1
    with pytest.raises(ValueError, match="three pairs"):
        line_fit(x.iloc[:2], y)


def test_regression_matches_least_squares_and_refuses_too_few_rows():
    import numpy as np

    from helpers.stats import regression

    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.normal(size=20), "b": rng.normal(size=20)}, index=[f"p{i}" for i in range(20)])
    y = 1.0 + 2.0 * x["a"] - 0.5 * x["b"] + rng.normal(scale=0.1, size=20)
    fit = regression(y, x)
    design = np.column_stack([np.ones(20), x["a"], x["b"]])
    expected, *_ = np.linalg.lstsq(design, y.to_numpy(), rcond=None)
    assert np.allclose(fit.coef.to_numpy(), expected)
    assert fit.n == 20 and fit.p["a"] < 0.001 and (fit.se > 0).all()
    assert fit.residuals.index.tolist() == x.index.tolist()
    with pytest.raises(ValueError, match="at least 5"):
        regression(y.iloc[:4], x.iloc[:4])


def test_verdict_bars_use_the_theme_palette_worst_first_and_refuse_unknown_verdicts():
    tally = pd.DataFrame(
        {"group": ["A", "A", "B"], "verdict": ["error", "consistent", "unverifiable"], "claims": [2, 5, 3]}
    )
    spec = charts.verdict_bars(tally, groups=["B", "A"], title="t", description="d", source="s").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == list(charts.VERDICT_ORDER)
    category = charts.dongbei_theme()["config"]["range"]["category"]
    assert all(c in category or c == charts.OTHER for c in scale["range"])
    assert len(set(scale["range"])) == len(scale["range"])
    assert spec["encoding"]["y"]["sort"] == ["B", "A"]
    with pytest.raises(ValueError, match="unknown verdicts"):
        charts.verdict_bars(tally.assign(verdict="maybe"), groups=["A"], title="t", description="d", source="s")
    with pytest.raises(KeyError, match="claims"):
        charts.verdict_bars(tally.drop(columns="claims"), groups=["A"], title="t", description="d", source="s")


def test_earned_or_lost_puts_the_sign_in_words():
    assert figures.earned_or_lost(4.54) == "earned 4.5%"
    assert figures.earned_or_lost(-0.6) == "lost 0.6%"
    assert figures.earned_or_lost(0.0) == "earned 0.0%"


def test_change_in_words_puts_the_sign_in_the_verb():
    assert figures.change_in_words(-16.94, "{:.1f}", "%", up="grew", down="shrank") == "shrank 16.9%"
    assert figures.change_in_words(5.4, "{:.1f}", "%", up="grew", down="shrank") == "grew 5.4%"
    assert figures.change_in_words(-150000, "{:,.0f}", "people", down="fell by") == "fell by 150,000 people"


def test_format_value_puts_one_space_before_a_word_unit_however_it_is_written():
    assert figures.format_value(26, "{:,.0f}", " points") == "26 points"
    assert figures.format_value(26, "{:,.0f}", "points") == "26 points"
    assert figures.format_value(2.5, "{:,.1f}", "%") == "2.5%"
    assert figures.format_value(1.2, "{:,.1f}", " ‰ ") == "1.2‰"


def test_table_marks_cells_that_hold_only_a_number():
    from helpers.tables import simple_table

    frame = pd.DataFrame(
        {
            "label": ["No municipalities (25)", "1979–2008"],
            "gap": ["−35", "+3"],
            "p": ["0.157", "12%"],
            "n": ["1,276", "x1"],
        }
    )
    page = simple_table(frame, {"label": "Line", "gap": "Gap", "p": "p", "n": "n"}, caption="c")
    assert page.count('<td class="num">') == 5  # both gaps, both p's, and 1,276
    assert "<td>No municipalities (25)</td>" in page and "<td>1979–2008</td>" in page and "<td>x1</td>" in page
