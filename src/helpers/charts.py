"""House chart style and builders.

Importing this module registers and enables the ``dongbei`` Altair theme and picks a renderer that
keeps charts as Vega-Lite mime outputs (JupyterLab draws them natively; the book's site draws them
with its self-hosted Vega bundle). Every builder requires a title that states the finding, a
``description`` for screen readers and a source line, so no chart ships without them.
"""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Sequence

import altair as alt
import pandas as pd

from helpers import data
from helpers.demography import CLOSED_FORM
from helpers.regions import NORTHEAST
# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
HIGHLIGHT = {
    "Liaoning": "#D55E00",
    "Jilin": "#0072B2",
    "Heilongjiang": "#009E73",
    "China": "#000000",
    "Northeast": "#CC79A7",
}
OTHER = "#BBBBBB"
REGION_COLORS = {"Northeast": "#CC79A7", "East": "#0072B2", "Central": "#E69F00", "West": "#009E73"}
FONT = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
    "'Helvetica Neue', Arial, sans-serif"
)
TITLE_WRAP = 40  # characters per title line: fits a 360 px phone screen at the theme's font size
NODE_WRAP = 16  # characters per line of a concept-map label
AXIS_WRAP = 28  # characters per axis-title line under horizontal bars, whose plot starts after the labels
THEME = "dongbei"
# Charts are stored at a fixed width: a ``"container"`` width makes JupyterLab re-measure the chart whenever
# the notebook's layout moves, and can lock the tab. 360 px is a phone's text column; the site draws the
# same spec at this width and scales the picture to its column (helpers.render, static/dongbei.css).
CHART_WIDTH = 360
# JupyterLab 4 draws a stored chart with the Vega-Lite it bundles (5.6.1 in JupyterLab 4.6) and warns when
# a spec names a newer one (Altair 5.5 writes 5.20.1). The book's charts use nothing newer, and
# tests/test_jupyterlab.py opens every notebook in JupyterLab and checks that each chart is drawn, so the
# stored spec names the version JupyterLab has. The site compiles every spec with Altair's own version.
VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.6.1.json"


@alt.theme.register(THEME, enable=True)
def dongbei_theme() -> alt.theme.ThemeConfig:
    """The house theme: light card, CJK-capable fonts, a fixed width (axes and legend included)."""
    return {
        "width": CHART_WIDTH,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "height": 260,
        "background": "#ffffff",
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousHeight": 260},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12,
                      "subtitleColor": "#444444", "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "labelColor": "#333333", "titleColor": "#333333"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom",
                       "direction": "horizontal", "columns": 2},
            "line": {"strokeWidth": 2},
            "range": {"category": list(HIGHLIGHT.values())[:3] + ["#E69F00", "#56B4E9", "#F0E442"]},
        },
    }


def _mimetype(spec: dict, **metadata):
    """Altair's ``mimetype`` renderer, with the spec naming :data:`VEGALITE_SCHEMA`."""
    from altair.utils.display import default_renderer_base
    from altair.vegalite.v5.display import DEFAULT_DISPLAY, VEGALITE_MIME_TYPE

    return default_renderer_base({**spec, "$schema": VEGALITE_SCHEMA}, VEGALITE_MIME_TYPE, DEFAULT_DISPLAY,
                                 **metadata)


alt.renderers.register(THEME, _mimetype)


def _use_renderer() -> None:
    # Colab draws no Vega-Lite mime output itself: Altair's colab renderer loads Vega in the page there (the
    # first cell of every notebook installs this package in Colab, so this branch runs). Everywhere else the
    # plain Vega-Lite mime output, which JupyterLab draws natively and the site renders offline.
    alt.renderers.enable("colab" if "google.colab" in sys.modules else THEME)


_use_renderer()


def wrap(text: str, width: int = TITLE_WRAP) -> list[str]:
    """Split a title into lines short enough for a phone screen."""
    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [text]


def finish(chart: alt.TopLevelMixin, *, title: str, description: str, source: str,
           subtitle: str | None = None, data_url: str | None = None) -> alt.TopLevelMixin:
    """Give a chart its title, screen-reader description, source line and data link.

    ``title`` states the finding; ``description`` says in words what the chart shows (it becomes the
    SVG's aria-label); ``source`` names where the numbers come from; ``data_url`` links the CSV.
    """
    for name, value in (("title", title), ("description", description), ("source", source)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"every chart needs a non-empty {name!r}")
    lines = (wrap(subtitle) if subtitle else []) + wrap(f"Source: {source}", TITLE_WRAP + 12)
    meta = {"source": source}
    if data_url:
        meta["data_url"] = data_url
    return chart.properties(
        title=alt.TitleParams(text=wrap(title), subtitle=lines),
        description=description,
        usermeta={"dongbei": meta},
    )


def with_gaps(frame: pd.DataFrame, by: str = "province") -> pd.DataFrame:
    """Number the unbroken runs of years in each group (column ``_segment``), so lines break at gaps.

    Builders draw one line per segment (``detail="_segment:N"``): a missing year ends a line and the
    next sourced year starts a new one, instead of a straight line drawn across the gap. When the frame
    holds more than one vintage (``data.series(..., vintage="all")``), a change of vintage also ends a
    line: two editions of a statistic are never joined into one line.
    """
    keys = [by] + (["vintage"] if mixes_vintages(frame) else [])
    ordered = frame.sort_values([*keys, "year"])
    new_run = ordered.groupby(keys)["year"].diff().ne(1)
    run = new_run.groupby([ordered[k] for k in keys]).cumsum()
    label = ordered[by].astype(str)
    if len(keys) > 1:
        label = label + "@" + ordered["vintage"].astype(str)
        ordered = ordered.assign(edition=ordered["vintage"].map(edition_label))
    return ordered.assign(_segment=label + "#" + run.astype(str))


# Short names for the editions a reader sees in a chart legend (the ids stay in the data).
EDITION_LABELS = {
    "compendium_2010": "compendium (2010)",
    "nbs_portal_2025": "NBS, revised 2025",
    "nbs_portal_2021": "NBS, as of 2021",
    "yearbook": "yearbooks",
    "first_release": "first releases",
    "first_published": "first published",
    "earlier_editions": "earlier editions",
    "nbs_national_2020": "NBS national, 2020",
    "national_later": "later national releases",
}


def edition_label(vintage: str) -> str:
    """The reader's name for a vintage id (the id itself if none is set)."""
    return EDITION_LABELS.get(vintage, vintage.replace("_", " "))


def mixes_vintages(frame: pd.DataFrame) -> bool:
    """True if ``frame`` holds figures of more than one vintage (edition) of a series."""
    return "vintage" in frame and frame["vintage"].nunique() > 1


def _dash_editions(chart: alt.Chart, frame: pd.DataFrame, x: str = "year", y: str = "value") -> alt.Chart:
    """If ``frame`` (the output of :func:`with_gaps`) holds several editions, give each its own dash pattern,
    named (column ``edition``) in a legend above the plot (two columns, so that it fits a phone beside the
    province legend below) and in the tooltip: the break between editions is drawn."""
    if not mixes_vintages(frame):
        return chart
    return chart.encode(
        strokeDash=alt.StrokeDash("edition:N", title="Edition",
                                  legend=alt.Legend(orient="top", columns=2, labelLimit=280)),
        tooltip=["province:N", "edition:N", alt.Tooltip(f"{x}:Q", format="d"),
                 alt.Tooltip(f"{y}:Q", format=",.4~g")])


def province_color(provinces: Sequence[str], highlight: Sequence[str] = NORTHEAST) -> alt.Color:
    """Colour encoding: highlighted provinces in house colours, all others grey."""
    present = set(provinces)
    domain = [p for p in [*highlight, "China"] if p in present]
    others = [p for p in dict.fromkeys(provinces) if p not in domain]
    return alt.Color(
        "province:N",
        scale=alt.Scale(domain=domain + others,
                        range=[HIGHLIGHT.get(p, OTHER) for p in domain] + [OTHER] * len(others)),
        legend=alt.Legend(title=None, values=domain),
    )


def line_chart(df: pd.DataFrame, *, y_title: str, title: str, description: str, source: str,
               x: str = "year", y: str = "value", highlight: Sequence[str] = NORTHEAST,
               subtitle: str | None = None, data_url: str | None = None) -> alt.Chart:
    """One line per province; the highlighted ones (default: the Northeast) in colour."""
    missing = {x, y, "province"} - set(df.columns)
    if missing:
        raise KeyError(f"line_chart needs columns {sorted(missing)}")
    ordered = with_gaps(df).assign(
        _front=lambda f: f["province"].isin(list(highlight) + ["China"]).astype(int))
    chart = (
        alt.Chart(ordered)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X(f"{x}:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True)),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=province_color(ordered["province"], highlight),
            detail="_segment:N",
            order=alt.Order("_front:Q"),
            strokeWidth=alt.condition(alt.datum._front == 1, alt.value(2.5), alt.value(1)),
            tooltip=["province:N", alt.Tooltip(f"{x}:Q", format="d"), alt.Tooltip(f"{y}:Q", format=",.4~g")],
        )
    )
    chart = _dash_editions(chart, ordered, x, y)
    return finish(chart, title=title, description=description, source=source,
                  subtitle=subtitle, data_url=data_url)


def tile_map(df: pd.DataFrame, *, value: str, title: str, description: str, source: str,
             legend_title: str, nominal: bool = False, fmt: str = ",.4~g", diverging: bool = False,
             colors: dict[str, str] | None = None,
             registry: pd.DataFrame | None = None, subtitle: str | None = None,
             data_url: str | None = None) -> alt.LayerChart:
    """Tile-grid map: every province an equal square at its registry position.

    ``df`` needs a ``province`` column (English names as in the registry) and the ``value`` column.
    Provinces missing from ``df`` are drawn as empty (white) tiles, so gaps stay visible.
    ``colors`` maps categories to colours for a nominal map (e.g. :data:`REGION_COLORS`); ``diverging``
    centres a red-blue scale on zero for changes.
    """
    if registry is None:
        registry = data.provinces()
    unknown = sorted(set(df["province"]) - set(registry["province"]))
    if unknown:
        raise ValueError(f"tile_map: unknown province name(s) {unknown}")
    tiles = registry[["province", "hanzi", "abbr", "tile_x", "tile_y"]].merge(
        df[["province", value]], on="province", how="left")
    base = alt.Chart(tiles).encode(
        x=alt.X("tile_x:O", axis=None),
        y=alt.Y("tile_y:O", axis=None),
    )
    if colors:
        scale = alt.Scale(domain=list(colors), range=list(colors.values()))
    elif diverging:  # losses red, gains blue, zero white
        scale = alt.Scale(scheme="redblue", domainMid=0)
    else:
        scale = alt.Scale(scheme="blues")
    color = alt.Color(f"{value}:{'N' if nominal else 'Q'}", title=legend_title, scale=scale)
    rects = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.condition(f"isValid(datum['{value}'])", color, alt.value("#ffffff")),
        tooltip=["province:N", "hanzi:N", alt.Tooltip(f"{value}:{'N' if nominal else 'Q'}",
                                                      **({} if nominal else {"format": fmt}))],
    )
    label_color = alt.value("#111111")
    if not nominal and tiles[value].notna().any():
        # White labels on the darkest tiles, so every label keeps its contrast.
        lo, hi = float(tiles[value].min()), float(tiles[value].max())
        if diverging:
            cut = 0.6 * max(abs(lo), abs(hi))
            test = f"abs(datum['{value}']) > {cut}"
        else:
            test = f"datum['{value}'] > {lo + 0.6 * (hi - lo)}"
        label_color = alt.condition(test, alt.value("#ffffff"), alt.value("#111111"))
    labels = base.mark_text(fontSize=11, fontWeight="bold").encode(text="abbr:N", color=label_color)
    outline = base.mark_rect(fill=None, stroke="#999999", strokeWidth=0.5)
    chart = alt.layer(rects, outline, labels).properties(height=330)
    return finish(chart, title=title, description=description, source=source,
                  subtitle=subtitle, data_url=data_url)


def pick_province_chart(df: pd.DataFrame, *, y_title: str, title: str, description: str, source: str,
                        fixed: Sequence[str] = ("Northeast", "China"), initial: str = "Guangdong",
                        label: str = "Compare with: ", subtitle: str | None = None,
                        data_url: str | None = None) -> alt.Chart:
    """Lines for the ``fixed`` areas plus one province the reader picks from a dropdown.

    The dropdown is a Vega-Lite parameter, so it works on the static site without a kernel.
    """
    options = sorted(p for p in df["province"].unique() if p not in fixed)
    if initial not in options:
        initial = options[0]
    pick = alt.param(name="pick", value=initial,
                     bind=alt.binding_select(options=options, name=label))
    fixed_list = ", ".join(repr(p) for p in fixed)
    colors = [HIGHLIGHT.get(p, OTHER) for p in fixed] + ["#E69F00"]
    columns = ["province", "year", "value"] + (["vintage"] if "vintage" in df else [])
    frame = with_gaps(df[columns])
    chart = (
        alt.Chart(frame)
        .transform_filter(f"datum.province == pick || indexof([{fixed_list}], datum.province) >= 0")
        .transform_calculate(line=f"indexof([{fixed_list}], datum.province) >= 0 ? datum.province : 'Selected province'")
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True)),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("line:N", title=None,
                            scale=alt.Scale(domain=list(fixed) + ["Selected province"], range=colors)),
            detail="_segment:N",
            tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=",.4~g")],
        )
        .add_params(pick)
    )
    chart = _dash_editions(chart, frame)
    return finish(chart, title=title, description=description, source=source,
                  subtitle=subtitle, data_url=data_url)


def slope_chart(df: pd.DataFrame, *, start: int, end: int, y_title: str, title: str,
                description: str, source: str, reverse: bool = True,
                highlight: Sequence[str] = NORTHEAST, subtitle: str | None = None,
                data_url: str | None = None) -> alt.LayerChart:
    """Every province's value in two years joined by a line (e.g. ranks; 1 at the top)."""
    two = df[df["year"].isin([start, end])]
    ordered = two.assign(_front=two["province"].isin(highlight).astype(int))
    base = alt.Chart(ordered).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(reverse=reverse, zero=False, nice=False)),
        color=province_color(ordered["province"], highlight),
        detail="province:N",
        tooltip=["province:N", "year:O", alt.Tooltip("value:Q", format=",.4~g")],
    )
    lines = base.mark_line().encode(
        order=alt.Order("_front:Q"),
        strokeWidth=alt.condition(alt.datum._front == 1, alt.value(3), alt.value(1)),
    )
    points = base.mark_point(filled=True, size=30)
    labels = base.transform_filter(alt.datum._front == 1).transform_filter(
        alt.datum.year == end).mark_text(align="left", dx=6, fontSize=11).encode(text="province:N")
    chart = alt.layer(lines, points, labels).properties(height=420)
    return finish(chart, title=title, description=description, source=source,
                  subtitle=subtitle, data_url=data_url)


def coverage_runs(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Unbroken runs of years per series, province and status: (series, province, status, start, end)."""
    rows = pd.concat([f[["province", "year", "status"]].assign(series=name) for name, f in frames.items()])
    rows = rows.sort_values(["series", "province", "status", "year"])
    keys = ["series", "province", "status"]
    new_run = rows.groupby(keys)["year"].diff().ne(1)
    rows = rows.assign(run=new_run.cumsum())
    runs = rows.groupby(keys + ["run"], as_index=False).agg(start=("year", "min"), end=("year", "max"))
    return runs.drop(columns="run").assign(end=lambda f: f["end"] + 1)


def coverage_chart(frames: dict[str, pd.DataFrame], *, title: str, description: str, source: str,
                   registry: pd.DataFrame | None = None) -> alt.Chart:
    """Which province-years each series has, coloured by status; a dropdown picks the series.

    Empty cells are gaps: values nobody could source, left out rather than guessed. Runs of
    consecutive years are drawn as one bar, which keeps the page light.
    """
    if registry is None:
        registry = data.provinces()
    order = ["China"] + list(registry["province"])
    runs = coverage_runs(frames)
    names = list(frames)
    pick = alt.param(name="series_pick", value=names[0],
                     bind=alt.binding_select(options=names, name="Series: "))
    chart = (
        alt.Chart(runs)
        .transform_filter("datum.series == series_pick")
        .mark_rect()
        .encode(
            x=alt.X("start:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
                    scale=alt.Scale(domain=[int(runs["start"].min()), int(runs["end"].max())], nice=False)),
            x2="end:Q",
            y=alt.Y("province:N", sort=order, title=None, axis=alt.Axis(labelFontSize=10)),
            color=alt.Color("status:N", title="Status",
                            scale=alt.Scale(domain=["verified", "reported", "derived", "estimate"],
                                            range=["#0072B2", "#E69F00", "#009E73", "#CC79A7"])),
            tooltip=["series:N", "province:N", "status:N", alt.Tooltip("start:Q", format="d", title="from"),
                     alt.Tooltip("end:Q", format="d", title="until (exclusive)")],
        )
        .add_params(pick)
        .properties(height=520)
    )
    return finish(chart, title=title, description=description, source=source)


def concept_map(nodes: pd.DataFrame, edges: Sequence[tuple[str, str]], *, title: str, description: str,
                source: str, shorten: float = 0.11) -> alt.LayerChart:
    """A small causal diagram: labelled boxes at (x, y) in [0, 1] and arrows from cause to effect.

    ``nodes`` has columns ``id``, ``label`` and ``x``, ``y``; ``edges`` lists (cause, effect) ids.
    Arrows stop short of the boxes (``shorten``) and end in a triangle pointing at the effect.
    """
    pos = nodes.set_index("id")[["x", "y"]]
    missing = {n for e in edges for n in e} - set(pos.index)
    if missing:
        raise KeyError(f"concept_map: edges name unknown nodes {sorted(missing)}")
    rows = []
    for a, b in edges:
        (x1, y1), (x2, y2) = pos.loc[a], pos.loc[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        sx, sy, ex, ey = x1 + ux * shorten, y1 + uy * shorten, x2 - ux * shorten, y2 - uy * shorten
        # Vega's triangle-up points to the top of the screen; y grows downward on screen here.
        angle = (math.degrees(math.atan2(dx, -dy)) + 360) % 360
        rows.append({"from": a, "to": b, "x": sx, "y": sy, "x2": ex, "y2": ey, "angle": angle})
    links = pd.DataFrame(rows)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[0, 1], reverse=True))
    lines = alt.Chart(links).mark_rule(color="#777777", strokeWidth=1.5).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q")
    heads = alt.Chart(links).mark_point(shape="triangle-up", filled=True, size=90, color="#777777").encode(
        x=alt.X("x2:Q", axis=None, scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("y2:Q", axis=None, scale=alt.Scale(domain=[0, 1], reverse=True)),
        angle=alt.Angle("angle:Q", scale=None))
    # Labels wrap at NODE_WRAP characters, so boxes near the sides stay inside a phone-width chart.
    wrapped = nodes.assign(label=nodes["label"].map(lambda t: "\n".join(wrap(t, NODE_WRAP))))
    boxes = alt.Chart(wrapped).mark_text(fontSize=12, fontWeight="bold", color="#111111", lineBreak="\n").encode(
        x=x, y=y, text="label:N")
    chart = alt.layer(lines, heads, boxes).properties(height=320)
    return finish(chart, title=title, description=description, source=source)


def components_chart(df: pd.DataFrame, *, parts: dict[str, str], y_title: str, title: str,
                     description: str, source: str, initial: str = "Heilongjiang",
                     label: str = "Province: ", subtitle: str | None = None,
                     data_url: str | None = None) -> alt.Chart:
    """Bars per year split into named parts (e.g. natural increase and migration), one province at a
    time chosen from a dropdown (a Vega-Lite parameter: works on the static site).

    ``df`` has province, year and one column per key of ``parts`` (column → legend label).
    Bars of each part are drawn side by side, so positive and negative parts never hide each other.
    """
    missing = {"province", "year", *parts} - set(df.columns)
    if missing:
        raise KeyError(f"components_chart needs columns {sorted(missing)}")
    long = df.melt(id_vars=["province", "year"], value_vars=list(parts), var_name="part",
                   value_name="value").dropna(subset=["value"])
    long["part"] = long["part"].map(parts)
    options = sorted(long["province"].unique())
    pick = alt.param(name="pick", value=initial if initial in options else options[0],
                     bind=alt.binding_select(options=options, name=label))
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
    chart = (
        alt.Chart(long)
        .transform_filter("datum.province == pick")
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            xOffset=alt.XOffset("part:N", sort=list(parts.values())),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("part:N", title=None, sort=list(parts.values()),
                            scale=alt.Scale(domain=list(parts.values()), range=palette[:len(parts)]),
                            legend=alt.Legend(columns=1, labelLimit=0)),
            tooltip=["province:N", "year:O", "part:N", alt.Tooltip("value:Q", format=",.1f")],
        )
        .add_params(pick)
    )
    return finish(chart, title=title, description=description, source=source,
                  subtitle=subtitle, data_url=data_url)


def scenario_chart(bases: pd.DataFrame, *, end: int, y_title: str, title: str, description: str, source: str,
                   fertility: tuple[float, float, float] = (0.5, 2.0, 0.05),
                   migration: tuple[float, float, float] = (-10.0, 5.0, 0.5),
                   subtitle: str | None = None) -> alt.LayerChart:
    """Projection paths chosen with two sliders (fertility factor, net migration per 1,000 a year).

    ``bases`` has one row per province: province, year, population, birth_rate, death_rate (‰). The
    browser computes each path from :data:`helpers.demography.CLOSED_FORM` (the same model as
    :func:`helpers.demography.project` with a constant death rate), so the page carries a few rows per
    province instead of a grid of scenarios and the sliders move continuously. ``fertility`` and
    ``migration`` are (min, max, step). The "no change" paths (fertility 1, migration 0) stay as thin
    grey references.
    """
    missing = {"province", "year", "population", "birth_rate", "death_rate"} - set(bases.columns)
    if missing:
        raise KeyError(f"scenario_chart needs columns {sorted(missing)}")
    fert = alt.param(name="fert", value=1.0, bind=alt.binding_range(
        min=fertility[0], max=fertility[1], step=fertility[2], name="Fertility (× today's) "))
    mig = alt.param(name="mig", value=0.0, bind=alt.binding_range(
        min=migration[0], max=migration[1], step=migration[2], name="Net migration (per 1,000 a year) "))
    rows = [{"province": b.province, "birth_rate": b.birth_rate, "death_rate": b.death_rate,
             "year": int(y), "t": int(y - b.year)}
            for b in bases.itertuples(index=False) for y in range(int(b.year), end + 1)]
    frame = pd.DataFrame(rows)
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True))
    y = alt.Y("index:Q", title=y_title, scale=alt.Scale(zero=False))
    provinces = list(dict.fromkeys(bases["province"]))
    color = alt.Color("province:N", title=None, scale=alt.Scale(
        domain=provinces, range=[HIGHLIGHT.get(p, OTHER) for p in provinces]))
    chosen = (
        alt.Chart(frame)
        .transform_calculate(index=CLOSED_FORM.format(f="fert", m="mig"))
        .mark_line()
        .encode(x=x, y=y, color=color,
                tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("index:Q", format=".1f")])
        .add_params(fert, mig)
    )
    reference = (
        alt.Chart(frame)
        .transform_calculate(index=CLOSED_FORM.format(f="1", m="0"))
        .mark_line(strokeDash=[4, 3], strokeWidth=1)
        .encode(x=x, y=y, detail="province:N", color=alt.value("#888888"))
    )
    chart = alt.layer(reference, chosen).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle)


def timeline_chart(events: pd.DataFrame, *, title: str, description: str, source: str,
                   subtitle: str | None = None) -> alt.LayerChart:
    """Dated events as dots (single years) and bars (periods), one row per theme.

    Readers can pick a theme from a dropdown and zoom or pan the years (drag, scroll or pinch); both
    are Vega-Lite parameters, so they work on the static site. ``events`` has start, end, when, event,
    theme and source columns.
    """
    missing = {"start", "end", "when", "event", "theme", "source"} - set(events.columns)
    if missing:
        raise KeyError(f"timeline_chart needs columns {sorted(missing)}")
    themes = sorted(events["theme"].unique())
    pick = alt.param(name="theme_pick", value="all",
                     bind=alt.binding_select(options=["all", *themes], name="Theme: "))
    zoom = alt.selection_interval(bind="scales", encodings=["x"], name="zoom")
    # Years run on a "time before now" axis with a symmetric-log scale, so the crowded recent decades
    # get room while 1858 stays on the same chart; tick labels are turned back into calendar years.
    now = int(events["end"].max()) + 2
    frame = events.assign(stop=events["end"] + 1, ago=now - events["start"], ago_stop=now - events["end"] - 1)
    first, last = int(events["start"].min()), int(events["end"].max())
    # Round years as ticks: landmark years over a long span, every fifth year over a few decades.
    if last - first > 60:
        candidates, margin = (1900, 1950, 1980, 2000, 2010, 2020), 20
    else:
        candidates, margin = range(first // 5 * 5 + 5, last, 5), 3
    ticks = [first] + [y for y in candidates if first + margin < y < last - 2] + [last]
    x = alt.X("ago:Q", title=None,
              scale=alt.Scale(type="symlog", constant=4, reverse=True, domain=[0, now - int(events["start"].min()) + 4]),
              axis=alt.Axis(values=[now - y for y in ticks], labelExpr=f"{now} - datum.value", labelOverlap=True))
    y = alt.Y("theme:N", title=None, sort=themes)
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    color = alt.Color("theme:N", title=None, legend=None, scale=alt.Scale(domain=themes, range=palette[:len(themes)]))
    tooltip = [alt.Tooltip("when:N", title="When"), alt.Tooltip("event:N", title="Event"),
               alt.Tooltip("source:N", title="Source")]
    base = alt.Chart(frame).transform_filter("theme_pick == 'all' || datum.theme == theme_pick")
    spans = base.transform_filter("datum.end > datum.start").mark_bar(height=10, opacity=0.8).encode(
        x=x, x2="ago_stop:Q", y=y, color=color, tooltip=tooltip)
    points = base.transform_filter("datum.end == datum.start").mark_point(
        filled=True, size=90, opacity=0.9).encode(x=x, y=y, color=color, tooltip=tooltip)
    chart = alt.layer(spans, points).add_params(pick, zoom).properties(height=260)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle)


def _year_slider(chart: alt.Chart, years: Sequence[int], name: str) -> tuple[alt.Chart, list]:
    """With several years, bind a slider parameter ``name`` (initially the last year) and keep only the
    rows of the chosen year; with one year or none, return the chart unchanged and no parameter."""
    if len(years) < 2:
        return chart, []
    year = alt.param(name=name, value=int(years[-1]),
                     bind=alt.binding_range(min=int(years[0]), max=int(years[-1]), step=1, name="Year: "))
    return chart.transform_filter(f"datum.year == {name}"), [year]


def ranking_chart(df: pd.DataFrame, *, x_title: str, title: str, description: str, source: str,
                  reference: float | dict[int, float] | None = None, reference_label: str = "",
                  initial: str = "Guangdong", highlight: Sequence[str] = NORTHEAST, fmt: str = ",.0f",
                  subtitle: str | None = None, data_url: str | None = None) -> alt.LayerChart:
    """Provinces ranked by ``value`` as horizontal bars; the Northeast in colour, one more province picked
    from a dropdown (a Vega-Lite parameter, so it works on the static site); optional reference line
    (e.g. the national figure).

    With a ``year`` column holding several years, a slider picks the year (bars re-sort) and
    ``reference`` may map each year to its own reference value.
    """
    years = sorted(df["year"].unique()) if "year" in df.columns else []
    keys = ["province", "year"] if len(years) > 1 else ["province"]
    if df.duplicated(subset=keys).any():
        raise ValueError(f"ranking_chart needs one row per {' and '.join(keys)}")
    options = sorted(p for p in df["province"].unique() if p not in highlight)
    pick = alt.param(name="rank_pick", value=initial if initial in options else options[0],
                     bind=alt.binding_select(options=options, name="Highlight: "))
    hl = ", ".join(repr(p) for p in highlight)
    frame = df[keys + ["value"]]
    color_expr = (f"indexof([{hl}], datum.province) >= 0 ? datum.province : "
                  f"(datum.province == rank_pick ? 'Selected province' : 'Other')")
    domain = [*highlight, "Selected province", "Other"]
    colors = [HIGHLIGHT.get(p, OTHER) for p in highlight] + ["#E69F00", OTHER]
    bars, params = _year_slider(alt.Chart(frame), years, "rank_year")
    params = [pick, *params]
    bars = (
        bars.transform_calculate(shade=color_expr).mark_bar().encode(
            y=alt.Y("province:N", sort="-x", title=None, axis=alt.Axis(labelFontSize=11)),
            x=alt.X("value:Q", title=wrap(x_title, AXIS_WRAP)),
            color=alt.Color("shade:N", title=None, scale=alt.Scale(domain=domain, range=colors),
                            legend=alt.Legend(values=[*highlight, "Selected province"])),
            tooltip=["province:N", alt.Tooltip("value:Q", format=fmt)]
            + ([alt.Tooltip("year:Q", format="d")] if len(years) > 1 else []),
        ).add_params(*params)
    )
    layers = [bars]
    if reference is not None:
        if isinstance(reference, dict):
            ref = pd.DataFrame({"year": list(reference), "value": list(reference.values())})
        else:
            ref = pd.DataFrame({"value": [reference]})
        rule = alt.Chart(ref.assign(label=reference_label))
        if isinstance(reference, dict):
            rule = rule.transform_filter("datum.year == rank_year")
        layers.append(rule.mark_rule(color="#000000", strokeDash=[4, 3]).encode(x="value:Q"))
        # The label reads away from the nearer edge, so it is not cut off when the line sits far right.
        far_right = max(ref["value"]) > 0.6 * frame["value"].max()
        layers.append(rule.mark_text(align="right" if far_right else "left", dx=-4 if far_right else 4, dy=-6,
                                     fontSize=11, color="#000000").encode(x="value:Q", y=alt.value(0),
                                                                          text="label:N"))
    n = frame["province"].nunique()
    chart = alt.layer(*layers).properties(height=max(300, 16 * n))
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle,
                  data_url=data_url)


def events_chart(df: pd.DataFrame, events: pd.DataFrame, *, y_title: str, title: str, description: str,
                 source: str, subtitle: str | None = None, data_url: str | None = None) -> alt.LayerChart:
    """A series (one line per province, gaps kept) with policy events as labelled vertical rules.

    ``events`` needs ``start`` (year) and ``label``; rules outside the series' years are dropped.
    """
    lo, hi = int(df["year"].min()), int(df["year"].max())
    marks = events[(events["start"] >= lo) & (events["start"] <= hi)][["start", "label"]]
    provinces = list(dict.fromkeys(df["province"]))
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
              scale=alt.Scale(domain=[lo, hi]))
    lines = alt.Chart(with_gaps(df[["province", "year", "value"]])).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("province:N", title=None, scale=alt.Scale(
            domain=provinces, range=[HIGHLIGHT.get(p, OTHER) for p in provinces])),
        detail="_segment:N",
        tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=",.4~g")])
    rules = alt.Chart(marks).mark_rule(color="#888888", strokeDash=[3, 3]).encode(
        x=alt.X("start:Q", scale=alt.Scale(domain=[lo, hi])), tooltip=["label:N"])
    texts = alt.Chart(marks).mark_text(angle=270, align="right", baseline="bottom", dx=-4, dy=-2, fontSize=10,
                                       color="#555555").encode(x="start:Q", y=alt.value(0), text="label:N")
    chart = alt.layer(rules, lines, texts).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle,
                  data_url=data_url)


def scatter_chart(df: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str, title: str, description: str,
                  source: str, highlight: Sequence[str] = NORTHEAST, fit: bool = True, x_format: str = ",.0f",
                  y_format: str = ".1f", subtitle: str | None = None, data_url: str | None = None) -> alt.LayerChart:
    """Provinces as points (the highlighted ones in colour and labelled) with an optional least-squares
    line the reader can hide with a checkbox.

    With a ``year`` column holding several years, a slider picks the year; points, labels and the
    fitted line all follow it. Both controls are Vega-Lite parameters, so they work on the static site.
    """
    missing = {"province", x, y} - set(df.columns)
    if missing:
        raise KeyError(f"scatter_chart needs columns {sorted(missing)}")
    years = sorted(df["year"].unique()) if "year" in df.columns else []
    frame = df.assign(group=df["province"].where(df["province"].isin(highlight), "Other provinces"))
    base, params = _year_slider(alt.Chart(frame), years, "scatter_year")
    ex = alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False))
    ey = alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False))
    tooltip = ["province:N", alt.Tooltip(f"{x}:Q", format=x_format), alt.Tooltip(f"{y}:Q", format=y_format)]
    if len(years) > 1:
        tooltip.append(alt.Tooltip("year:Q", format="d"))
    points = base.mark_circle(size=70, opacity=0.85).encode(
        x=ex, y=ey, tooltip=tooltip,
        color=alt.Color("group:N", title=None, scale=alt.Scale(
            domain=[*highlight, "Other provinces"], range=[HIGHLIGHT.get(p, OTHER) for p in highlight] + [OTHER])))
    labels = points.transform_filter("datum.group != 'Other provinces'").mark_text(
        align="left", dx=7, fontSize=11).encode(text="province:N")
    layers = [points, labels]
    if fit:
        show_fit = alt.param(name="show_fit", value=True, bind=alt.binding_checkbox(name="Show fitted line "))
        params.append(show_fit)
        line = base.transform_regression(x, y).mark_line(color="#555555", strokeDash=[5, 3]).encode(
            x=f"{x}:Q", y=f"{y}:Q", opacity=alt.condition(show_fit, alt.value(1), alt.value(0)))
        layers.insert(0, line)
    chart = alt.layer(*layers).add_params(*params).properties(height=320)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle,
                  data_url=data_url)
