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
from helpers.regions import NATIONAL, NORTHEAST, NORTHEAST_LABEL

# The one palette: every colour a chart uses, by name. Okabe-Ito colours (distinguishable with the common
# colour-vision deficiencies) for data, greys for context, rules and text.
PALETTE = {
    "vermillion": "#D55E00",
    "blue": "#0072B2",
    "green": "#009E73",
    "purple": "#CC79A7",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "ink": "#111111",
    "text": "#333333",
    "subtitle": "#444444",
    "fit": "#555555",
    "arrow": "#777777",
    "reference": "#888888",
    "outline": "#999999",
    "other": "#BBBBBB",
    "grid": "#e6e6e6",
    "white": "#ffffff",
}
HIGHLIGHT = {
    "Liaoning": PALETTE["vermillion"],
    "Jilin": PALETTE["blue"],
    "Heilongjiang": PALETTE["green"],
    NATIONAL: PALETTE["black"],
    NORTHEAST_LABEL: PALETTE["purple"],
}
OTHER = PALETTE["other"]
REGION_COLORS = {
    NORTHEAST_LABEL: PALETTE["purple"],
    "East": PALETTE["blue"],
    "Central": PALETTE["orange"],
    "West": PALETTE["green"],
}
# The categorical order for series without their own colours, and for themes and parts of a whole.
CATEGORY_ORDER = ("blue", "vermillion", "green", "purple", "orange", "sky", "black")
YEAR_AXIS = {"format": "d", "tickMinStep": 1, "labelOverlap": True}


def highlight_colors(names: Sequence[str]) -> list[str]:
    """The colour of each name: its own (HIGHLIGHT) for the Northeast's provinces, China and the Northeast,
    grey (OTHER) for any other."""
    return [HIGHLIGHT.get(name, OTHER) for name in names]


def year_x(field: str = "year", **kwargs) -> alt.X:
    """The year axis every time-series chart uses: whole years, no title, labels that do not overlap."""
    return alt.X(f"{field}:Q", title=None, axis=alt.Axis(**YEAR_AXIS), **kwargs)


FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif"
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
        "background": PALETTE["white"],
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousHeight": 260},
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "subtitleFontSize": 12,
                "subtitleColor": PALETTE["subtitle"],
                "offset": 10,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "gridColor": PALETTE["grid"],
                "labelColor": PALETTE["text"],
                "titleColor": PALETTE["text"],
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 2,
            },
            "line": {"strokeWidth": 2},
            "range": {
                "category": list(HIGHLIGHT.values())[:3] + [PALETTE["orange"], PALETTE["sky"], PALETTE["yellow"]]
            },
        },
    }


def _mimetype(spec: dict, **metadata):
    """Altair's ``mimetype`` renderer, with the spec naming :data:`VEGALITE_SCHEMA`."""
    from altair.utils.display import default_renderer_base
    from altair.vegalite.v5.display import DEFAULT_DISPLAY, VEGALITE_MIME_TYPE

    return default_renderer_base({**spec, "$schema": VEGALITE_SCHEMA}, VEGALITE_MIME_TYPE, DEFAULT_DISPLAY, **metadata)


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


def finish(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    description: str,
    source: str,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.TopLevelMixin:
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
        strokeDash=alt.StrokeDash(
            "edition:N", title="Edition", legend=alt.Legend(orient="top", columns=2, labelLimit=280)
        ),
        tooltip=["province:N", "edition:N", alt.Tooltip(f"{x}:Q", format="d"), alt.Tooltip(f"{y}:Q", format=",.4~g")],
    )


def province_color(provinces: Sequence[str], highlight: Sequence[str] = NORTHEAST) -> alt.Color:
    """Colour encoding: highlighted provinces in house colours, all others grey."""
    present = set(provinces)
    domain = [p for p in [*highlight, "China"] if p in present]
    others = [p for p in dict.fromkeys(provinces) if p not in domain]
    return alt.Color(
        "province:N",
        scale=alt.Scale(domain=domain + others, range=highlight_colors(domain) + [OTHER] * len(others)),
        legend=alt.Legend(title=None, values=domain),
    )


def line_chart(
    df: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    x: str = "year",
    y: str = "value",
    highlight: Sequence[str] = NORTHEAST,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.Chart:
    """One line per province; the highlighted ones (default: the Northeast) in colour."""
    missing = {x, y, "province"} - set(df.columns)
    if missing:
        raise KeyError(f"line_chart needs columns {sorted(missing)}")
    ordered = with_gaps(df).assign(_front=lambda f: f["province"].isin(list(highlight) + ["China"]).astype(int))
    chart = (
        alt.Chart(ordered)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=year_x(x),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=province_color(ordered["province"], highlight),
            detail="_segment:N",
            order=alt.Order("_front:Q"),
            strokeWidth=alt.condition(alt.datum._front == 1, alt.value(2.5), alt.value(1)),
            tooltip=["province:N", alt.Tooltip(f"{x}:Q", format="d"), alt.Tooltip(f"{y}:Q", format=",.4~g")],
        )
    )
    chart = _dash_editions(chart, ordered, x, y)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def tile_map(
    df: pd.DataFrame,
    *,
    value: str,
    title: str,
    description: str,
    source: str,
    legend_title: str,
    nominal: bool = False,
    fmt: str = ",.4~g",
    diverging: bool = False,
    colors: dict[str, str] | None = None,
    registry: pd.DataFrame | None = None,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
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
        df[["province", value]], on="province", how="left"
    )
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
    rects = base.mark_rect(stroke=PALETTE["white"], strokeWidth=2).encode(
        color=alt.condition(f"isValid(datum['{value}'])", color, alt.value(PALETTE["white"])),
        tooltip=[
            "province:N",
            "hanzi:N",
            alt.Tooltip(f"{value}:{'N' if nominal else 'Q'}", **({} if nominal else {"format": fmt})),
        ],
    )
    label_color = alt.value(PALETTE["ink"])
    if not nominal and tiles[value].notna().any():
        # White labels on the darkest tiles, so every label keeps its contrast.
        lo, hi = float(tiles[value].min()), float(tiles[value].max())
        if diverging:
            cut = 0.6 * max(abs(lo), abs(hi))
            test = f"abs(datum['{value}']) > {cut}"
        else:
            test = f"datum['{value}'] > {lo + 0.6 * (hi - lo)}"
        label_color = alt.condition(test, alt.value(PALETTE["white"]), alt.value(PALETTE["ink"]))
    labels = base.mark_text(fontSize=11, fontWeight="bold").encode(text="abbr:N", color=label_color)
    outline = base.mark_rect(fill=None, stroke=PALETTE["outline"], strokeWidth=0.5)
    chart = alt.layer(rects, outline, labels).properties(height=330)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def pick_province_chart(
    df: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    fixed: Sequence[str] = ("Northeast", "China"),
    initial: str = "Guangdong",
    label: str = "Compare with: ",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.Chart:
    """Lines for the ``fixed`` areas plus one province the reader picks from a dropdown.

    The dropdown is a Vega-Lite parameter, so it works on the static site without a kernel.
    """
    options = sorted(p for p in df["province"].unique() if p not in fixed)
    if initial not in options:
        initial = options[0]
    pick = alt.param(name="pick", value=initial, bind=alt.binding_select(options=options, name=label))
    fixed_list = ", ".join(repr(p) for p in fixed)
    colors = highlight_colors(fixed) + [PALETTE["orange"]]
    columns = ["province", "year", "value"] + (["vintage"] if "vintage" in df else [])
    frame = with_gaps(df[columns])
    chart = (
        alt.Chart(frame)
        .transform_filter(f"datum.province == pick || indexof([{fixed_list}], datum.province) >= 0")
        .transform_calculate(
            line=f"indexof([{fixed_list}], datum.province) >= 0 ? datum.province : 'Selected province'"
        )
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=year_x(),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "line:N", title=None, scale=alt.Scale(domain=list(fixed) + ["Selected province"], range=colors)
            ),
            detail="_segment:N",
            tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=",.4~g")],
        )
        .add_params(pick)
    )
    chart = _dash_editions(chart, frame)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def slope_chart(
    df: pd.DataFrame,
    *,
    start: int,
    end: int,
    y_title: str,
    title: str,
    description: str,
    source: str,
    reverse: bool = True,
    highlight: Sequence[str] = NORTHEAST,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
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
    labels = (
        base.transform_filter(alt.datum._front == 1)
        .transform_filter(alt.datum.year == end)
        .mark_text(align="left", dx=6, fontSize=11)
        .encode(text="province:N")
    )
    chart = alt.layer(lines, points, labels).properties(height=420)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def coverage_runs(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Unbroken runs of years per series, province and status: (series, province, status, start, end)."""
    rows = pd.concat([f[["province", "year", "status"]].assign(series=name) for name, f in frames.items()])
    rows = rows.sort_values(["series", "province", "status", "year"])
    keys = ["series", "province", "status"]
    new_run = rows.groupby(keys)["year"].diff().ne(1)
    rows = rows.assign(run=new_run.cumsum())
    runs = rows.groupby(keys + ["run"], as_index=False).agg(start=("year", "min"), end=("year", "max"))
    return runs.drop(columns="run").assign(end=lambda f: f["end"] + 1)


def coverage_chart(
    frames: dict[str, pd.DataFrame], *, title: str, description: str, source: str, registry: pd.DataFrame | None = None
) -> alt.Chart:
    """Which province-years each series has, coloured by status; a dropdown picks the series.

    Empty cells are gaps: values nobody could source, left out rather than guessed. Runs of
    consecutive years are drawn as one bar, which keeps the page light.
    """
    if registry is None:
        registry = data.provinces()
    order = ["China"] + list(registry["province"])
    runs = coverage_runs(frames)
    names = list(frames)
    pick = alt.param(name="series_pick", value=names[0], bind=alt.binding_select(options=names, name="Series: "))
    chart = (
        alt.Chart(runs)
        .transform_filter("datum.series == series_pick")
        .mark_rect()
        .encode(
            x=year_x("start", scale=alt.Scale(domain=[int(runs["start"].min()), int(runs["end"].max())], nice=False)),
            x2="end:Q",
            y=alt.Y("province:N", sort=order, title=None, axis=alt.Axis(labelFontSize=10)),
            color=alt.Color(
                "status:N",
                title="Status",
                scale=alt.Scale(
                    domain=["verified", "reported", "derived", "estimate"],
                    range=[PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]],
                ),
            ),
            tooltip=[
                "series:N",
                "province:N",
                "status:N",
                alt.Tooltip("start:Q", format="d", title="from"),
                alt.Tooltip("end:Q", format="d", title="until (exclusive)"),
            ],
        )
        .add_params(pick)
        .properties(height=520)
    )
    return finish(chart, title=title, description=description, source=source)


def concept_map(
    nodes: pd.DataFrame,
    edges: Sequence[tuple[str, str]],
    *,
    title: str,
    description: str,
    source: str,
    shorten: float = 0.11,
) -> alt.LayerChart:
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
    lines = alt.Chart(links).mark_rule(color=PALETTE["arrow"], strokeWidth=1.5).encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    heads = (
        alt.Chart(links)
        .mark_point(shape="triangle-up", filled=True, size=90, color=PALETTE["arrow"])
        .encode(
            x=alt.X("x2:Q", axis=None, scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("y2:Q", axis=None, scale=alt.Scale(domain=[0, 1], reverse=True)),
            angle=alt.Angle("angle:Q", scale=None),
        )
    )
    # Labels wrap at NODE_WRAP characters, so boxes near the sides stay inside a phone-width chart.
    wrapped = nodes.assign(label=nodes["label"].map(lambda t: "\n".join(wrap(t, NODE_WRAP))))
    boxes = (
        alt.Chart(wrapped)
        .mark_text(fontSize=12, fontWeight="bold", color=PALETTE["ink"], lineBreak="\n")
        .encode(x=x, y=y, text="label:N")
    )
    chart = alt.layer(lines, heads, boxes).properties(height=320)
    return finish(chart, title=title, description=description, source=source)


def scenario_chart(
    bases: pd.DataFrame,
    *,
    end: int,
    y_title: str,
    title: str,
    description: str,
    source: str,
    fertility: tuple[float, float, float] = (0.5, 2.0, 0.05),
    migration: tuple[float, float, float] = (-10.0, 5.0, 0.5),
    subtitle: str | None = None,
) -> alt.LayerChart:
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
    fert = alt.param(
        name="fert",
        value=1.0,
        bind=alt.binding_range(min=fertility[0], max=fertility[1], step=fertility[2], name="Fertility (× today's) "),
    )
    mig = alt.param(
        name="mig",
        value=0.0,
        bind=alt.binding_range(
            min=migration[0], max=migration[1], step=migration[2], name="Net migration (per 1,000 a year) "
        ),
    )
    rows = [
        {
            "province": b.province,
            "birth_rate": b.birth_rate,
            "death_rate": b.death_rate,
            "year": int(y),
            "t": int(y - b.year),
        }
        for b in bases.itertuples(index=False)
        for y in range(int(b.year), end + 1)
    ]
    frame = pd.DataFrame(rows)
    x = year_x()
    y = alt.Y("index:Q", title=y_title, scale=alt.Scale(zero=False))
    provinces = list(dict.fromkeys(bases["province"]))
    color = alt.Color("province:N", title=None, scale=alt.Scale(domain=provinces, range=highlight_colors(provinces)))
    chosen = (
        alt.Chart(frame)
        .transform_calculate(index=CLOSED_FORM.format(f="fert", m="mig"))
        .mark_line()
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("index:Q", format=".1f")],
        )
        .add_params(fert, mig)
    )
    reference = (
        alt.Chart(frame)
        .transform_calculate(index=CLOSED_FORM.format(f="1", m="0"))
        .mark_line(strokeDash=[4, 3], strokeWidth=1)
        .encode(x=x, y=y, detail="province:N", color=alt.value(PALETTE["reference"]))
    )
    chart = alt.layer(reference, chosen).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle)


def timeline_chart(
    events: pd.DataFrame, *, title: str, description: str, source: str, subtitle: str | None = None
) -> alt.LayerChart:
    """Dated events as dots (single years) and bars (periods), one row per theme.

    Readers can pick a theme from a dropdown and zoom or pan the years (drag, scroll or pinch); both
    are Vega-Lite parameters, so they work on the static site. ``events`` has start, end, when, event,
    theme and source columns.
    """
    missing = {"start", "end", "when", "event", "theme", "source"} - set(events.columns)
    if missing:
        raise KeyError(f"timeline_chart needs columns {sorted(missing)}")
    themes = sorted(events["theme"].unique())
    pick = alt.param(name="theme_pick", value="all", bind=alt.binding_select(options=["all", *themes], name="Theme: "))
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
    x = alt.X(
        "ago:Q",
        title=None,
        scale=alt.Scale(type="symlog", constant=4, reverse=True, domain=[0, now - int(events["start"].min()) + 4]),
        axis=alt.Axis(values=[now - y for y in ticks], labelExpr=f"{now} - datum.value", labelOverlap=True),
    )
    y = alt.Y("theme:N", title=None, sort=themes)
    palette = [PALETTE[name] for name in CATEGORY_ORDER]
    color = alt.Color("theme:N", title=None, legend=None, scale=alt.Scale(domain=themes, range=palette[: len(themes)]))
    tooltip = [
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("event:N", title="Event"),
        alt.Tooltip("source:N", title="Source"),
    ]
    base = alt.Chart(frame).transform_filter("theme_pick == 'all' || datum.theme == theme_pick")
    spans = (
        base.transform_filter("datum.end > datum.start")
        .mark_bar(height=10, opacity=0.8)
        .encode(x=x, x2="ago_stop:Q", y=y, color=color, tooltip=tooltip)
    )
    points = (
        base.transform_filter("datum.end == datum.start")
        .mark_point(filled=True, size=90, opacity=0.9)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    chart = alt.layer(spans, points).add_params(pick, zoom).properties(height=260)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle)


def _year_slider(chart: alt.Chart, years: Sequence[int], name: str) -> tuple[alt.Chart, list]:
    """With several years, bind a slider parameter ``name`` (initially the last year) and keep only the
    rows of the chosen year; with one year or none, return the chart unchanged and no parameter."""
    if len(years) < 2:
        return chart, []
    year = alt.param(
        name=name,
        value=int(years[-1]),
        bind=alt.binding_range(min=int(years[0]), max=int(years[-1]), step=1, name="Year: "),
    )
    return chart.transform_filter(f"datum.year == {name}"), [year]


def ranking_chart(
    df: pd.DataFrame,
    *,
    x_title: str,
    title: str,
    description: str,
    source: str,
    reference: float | dict[int, float] | None = None,
    reference_label: str = "",
    initial: str = "Guangdong",
    highlight: Sequence[str] = NORTHEAST,
    fmt: str = ",.0f",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
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
    pick = alt.param(
        name="rank_pick",
        value=initial if initial in options else options[0],
        bind=alt.binding_select(options=options, name="Highlight: "),
    )
    hl = ", ".join(repr(p) for p in highlight)
    frame = df[keys + ["value"]]
    color_expr = (
        f"indexof([{hl}], datum.province) >= 0 ? datum.province : "
        f"(datum.province == rank_pick ? 'Selected province' : 'Other')"
    )
    domain = [*highlight, "Selected province", "Other"]
    colors = highlight_colors(highlight) + [PALETTE["orange"], OTHER]
    bars, params = _year_slider(alt.Chart(frame), years, "rank_year")
    params = [pick, *params]
    bars = (
        bars.transform_calculate(shade=color_expr)
        .mark_bar()
        .encode(
            y=alt.Y("province:N", sort="-x", title=None, axis=alt.Axis(labelFontSize=11)),
            x=alt.X("value:Q", title=wrap(x_title, AXIS_WRAP)),
            color=alt.Color(
                "shade:N",
                title=None,
                scale=alt.Scale(domain=domain, range=colors),
                legend=alt.Legend(values=[*highlight, "Selected province"]),
            ),
            tooltip=["province:N", alt.Tooltip("value:Q", format=fmt)]
            + ([alt.Tooltip("year:Q", format="d")] if len(years) > 1 else []),
        )
        .add_params(*params)
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
        layers.append(rule.mark_rule(color=PALETTE["black"], strokeDash=[4, 3]).encode(x="value:Q"))
        # The label reads away from the nearer edge, so it is not cut off when the line sits far right.
        far_right = max(ref["value"]) > 0.6 * frame["value"].max()
        layers.append(
            rule.mark_text(
                align="right" if far_right else "left",
                dx=-4 if far_right else 4,
                dy=-6,
                fontSize=11,
                color=PALETTE["black"],
            ).encode(x="value:Q", y=alt.value(0), text="label:N")
        )
    n = frame["province"].nunique()
    chart = alt.layer(*layers).properties(height=max(300, 16 * n))
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def events_chart(
    df: pd.DataFrame,
    events: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """A series (one line per province, gaps kept) with policy events as labelled vertical rules.

    ``events`` needs ``start`` (year) and ``label``; rules outside the series' years are dropped.
    """
    lo, hi = int(df["year"].min()), int(df["year"].max())
    marks = events[(events["start"] >= lo) & (events["start"] <= hi)][["start", "label"]]
    provinces = list(dict.fromkeys(df["province"]))
    x = year_x(scale=alt.Scale(domain=[lo, hi]))
    lines = (
        alt.Chart(with_gaps(df[["province", "year", "value"]]))
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "province:N", title=None, scale=alt.Scale(domain=provinces, range=highlight_colors(provinces))
            ),
            detail="_segment:N",
            tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=",.4~g")],
        )
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(color=PALETTE["reference"], strokeDash=[3, 3])
        .encode(x=alt.X("start:Q", scale=alt.Scale(domain=[lo, hi])), tooltip=["label:N"])
    )
    texts = (
        alt.Chart(marks)
        .mark_text(angle=270, align="right", baseline="bottom", dx=-4, dy=-2, fontSize=10, color=PALETTE["fit"])
        .encode(x="start:Q", y=alt.value(0), text="label:N")
    )
    chart = alt.layer(rules, lines, texts).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def scatter_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    title: str,
    description: str,
    source: str,
    highlight: Sequence[str] = NORTHEAST,
    fit: bool = True,
    x_format: str = ",.0f",
    y_format: str = ".1f",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
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
        x=ex,
        y=ey,
        tooltip=tooltip,
        color=alt.Color(
            "group:N",
            title=None,
            scale=alt.Scale(domain=[*highlight, "Other provinces"], range=highlight_colors(highlight) + [OTHER]),
        ),
    )
    labels = (
        points.transform_filter("datum.group != 'Other provinces'")
        .mark_text(align="left", dx=7, fontSize=11)
        .encode(text="province:N")
    )
    layers = [points, labels]
    if fit:
        show_fit = alt.param(name="show_fit", value=True, bind=alt.binding_checkbox(name="Show fitted line "))
        params.append(show_fit)
        line = (
            base.transform_regression(x, y)
            .mark_line(color=PALETTE["fit"], strokeDash=[5, 3])
            .encode(x=f"{x}:Q", y=f"{y}:Q", opacity=alt.condition(show_fit, alt.value(1), alt.value(0)))
        )
        layers.insert(0, line)
    chart = alt.layer(*layers).add_params(*params).properties(height=320)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


# Sources-audit verdicts, worst first, drawn in the theme's own category palette (Okabe-Ito): vermillion for
# errors, orange for inconsistencies, green and sky blue for the two ways a claim holds up, grey for claims that
# cannot be checked.
VERDICT_ORDER = ("error", "inconsistent", "consistent", "recomputed-ok", "unverifiable")
_CATEGORY = dongbei_theme()["config"]["range"]["category"]
VERDICT_COLORS = dict(zip(VERDICT_ORDER, (_CATEGORY[0], _CATEGORY[3], _CATEGORY[2], _CATEGORY[4], OTHER)))


def verdict_bars(
    tally: pd.DataFrame,
    *,
    groups: Sequence[str],
    title: str,
    description: str,
    source: str,
    data_url: str | None = None,
    height: int = 220,
) -> alt.Chart:
    """Horizontal stacked bars of audit claims per document (``group``), split by ``verdict`` (``claims``
    counts), worst verdict first, in :data:`VERDICT_COLORS`. ``groups`` fixes the order of the bars."""
    missing = {"group", "verdict", "claims"} - set(tally.columns)
    if missing:
        raise KeyError(f"verdict_bars needs columns {sorted(missing)}")
    unknown = set(tally["verdict"]) - set(VERDICT_ORDER)
    if unknown:
        raise ValueError(f"unknown verdicts {sorted(unknown)}; known: {', '.join(VERDICT_ORDER)}")
    order = list(VERDICT_ORDER)
    chart = (
        alt.Chart(tally)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None, sort=list(groups)),
            x=alt.X("claims:Q", title="Claims"),
            color=alt.Color(
                "verdict:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[VERDICT_COLORS[v] for v in order]),
                legend=alt.Legend(columns=1),
            ),  # one column: long labels fit a phone
            order=alt.Order("verdict_order:Q"),
            tooltip=[alt.Tooltip("group:N", title="document"), "verdict:N", "claims:Q"],
        )
        .transform_calculate(verdict_order=f"indexof({order}, datum.verdict)")
        .properties(height=height)
    )
    return finish(chart, title=title, description=description, source=source, data_url=data_url)


COMPARISON_COLORS = (
    PALETTE["purple"],
    PALETTE["fit"],
    PALETTE["orange"],
)  # actual (Northeast pink), synthetic twin, comparison group


def _event_rules(events: pd.DataFrame, lo: int, hi: int) -> list[alt.Chart]:
    """Dashed vertical rules with rotated labels for ``events`` (columns ``start``, ``label``)."""
    marks = events[(events["start"] >= lo) & (events["start"] <= hi)][["start", "label"]]
    scale = alt.Scale(domain=[lo, hi])
    rules = (
        alt.Chart(marks)
        .mark_rule(color=PALETTE["reference"], strokeDash=[3, 3])
        .encode(x=alt.X("start:Q", scale=scale), tooltip=["label:N"])
    )
    texts = (
        alt.Chart(marks)
        .mark_text(angle=270, align="right", baseline="bottom", dx=-4, dy=-2, fontSize=10, color=PALETTE["fit"])
        .encode(x=alt.X("start:Q", scale=scale), y=alt.value(0), text="label:N")
    )
    return [rules, texts]


def comparison_chart(
    paths: pd.DataFrame,
    events: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    initial: str,
    label: str = "Area: ",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """A treated area's path beside its comparisons (a synthetic twin, a comparison group), one area at a time.

    ``paths`` needs ``unit`` (the treated area, picked with a dropdown that works on the static site),
    ``series`` (the first in order is the area itself, drawn in colour; the others grey and orange, dashed),
    ``year``, ``value`` and ``segment`` (a part of the series that must not be joined to the next, e.g. a data
    vintage). ``events`` (``start``, ``label``) become labelled vertical rules.
    """
    missing = {"unit", "series", "year", "value", "segment"} - set(paths.columns)
    if missing:
        raise KeyError(f"comparison_chart needs columns {sorted(missing)}")
    if paths["series"].nunique() > len(COMPARISON_COLORS):
        raise ValueError(
            f"at most {len(COMPARISON_COLORS)} series (the same names for every unit); "
            f"got {sorted(paths['series'].unique())}"
        )
    units = list(dict.fromkeys(paths["unit"]))
    if initial not in units:
        raise ValueError(f"initial area {initial!r} is not among {units}")
    series = list(dict.fromkeys(paths["series"]))
    lo, hi = int(paths["year"].min()), int(paths["year"].max())
    pick = alt.param(name="comparison_unit", value=initial, bind=alt.binding_select(options=units, name=label))
    frame = paths.assign(_line=paths["unit"] + "|" + paths["series"] + "|" + paths["segment"].astype(str))
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=14))
        .encode(
            x=alt.X(
                "year:Q",
                title=None,
                axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
                scale=alt.Scale(domain=[lo, hi]),
            ),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                legend=alt.Legend(columns=1, labelLimit=360),
                scale=alt.Scale(domain=series, range=list(COMPARISON_COLORS[: len(series)])),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=series,
                title=None,  # same field: one merged legend
                scale=alt.Scale(domain=series, range=[[1, 0], [5, 3], [2, 2]][: len(series)]),
            ),
            detail="_line:N",
            tooltip=["unit:N", "series:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=".1f")],
        )
        .add_params(pick)
        .transform_filter(alt.datum.unit == pick)
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=PALETTE["other"]).encode(y="y:Q")
    chart = alt.layer(zero, *_event_rules(events, lo, hi), lines).properties(height=320)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def placebo_chart(
    gaps: pd.DataFrame,
    events: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    treated_label: str,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """Gaps between each unit and its synthetic twin: the treated unit in colour on top, every placebo in thin grey.

    ``gaps`` needs ``unit``, ``year``, ``gap``, ``treated`` (bool) and ``segment`` (parts not to be joined).
    """
    missing = {"unit", "year", "gap", "treated", "segment"} - set(gaps.columns)
    if missing:
        raise KeyError(f"placebo_chart needs columns {sorted(missing)}")
    lo, hi = int(gaps["year"].min()), int(gaps["year"].max())
    frame = gaps.assign(
        group=gaps["treated"].map({True: treated_label, False: "Placebo provinces"}),
        _line=gaps["unit"] + "|" + gaps["segment"].astype(str),
    )
    domain = [treated_label, "Placebo provinces"]
    x = alt.X(
        "year:Q",
        title=None,
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
        scale=alt.Scale(domain=[lo, hi]),
    )
    color = alt.Color("group:N", title=None, scale=alt.Scale(domain=domain, range=[HIGHLIGHT["Northeast"], OTHER]))
    tooltip = ["unit:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("gap:Q", format=".1f")]
    base = alt.Chart(frame).encode(x=x, y=alt.Y("gap:Q", title=y_title), color=color, detail="_line:N", tooltip=tooltip)
    placebos = base.transform_filter("!datum.treated").mark_line(strokeWidth=0.8)
    treated = base.transform_filter("datum.treated").mark_line(strokeWidth=3)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=PALETTE["fit"]).encode(y="y:Q")
    chart = alt.layer(zero, *_event_rules(events, lo, hi), placebos, treated).properties(height=320)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


# Colours for measures (not provinces) drawn side by side in one chart, from the house palette.
MEASURE_COLORS = (HIGHLIGHT["Northeast"], REGION_COLORS["East"], REGION_COLORS["Central"], REGION_COLORS["West"])
CLAIM_COLOR = PALETTE["text"]


def editions_chart(
    df: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    claims: pd.DataFrame | None = None,
    y_domain: Sequence[float] | None = None,
    x_domain: Sequence[int] | None = None,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """One or more measures over time, each in two or more editions (vintages) drawn apart, never joined.

    ``df`` needs ``measure``, ``vintage``, ``year`` and ``value``: colour tells the measures apart, the
    dash pattern the editions (named in a legend), and a gap in the years or a change of edition ends a
    line. ``claims`` (optional; ``year``, ``value``, ``claim``) adds the sources' figures as hollow
    diamonds with the claim in the tooltip.
    """
    missing = {"measure", "vintage", "year", "value"} - set(df.columns)
    if missing:
        raise KeyError(f"editions_chart needs columns {sorted(missing)}")
    measures = list(dict.fromkeys(df["measure"]))
    if len(measures) > len(MEASURE_COLORS):
        raise ValueError(f"editions_chart draws at most {len(MEASURE_COLORS)} measures; got {len(measures)}")
    frame = with_gaps(df.rename(columns={"measure": "province"}).assign(vintage=df["vintage"].astype(str)))
    if "edition" not in frame:
        frame = frame.assign(edition=frame["vintage"].map(edition_label))
    frame = frame.rename(columns={"province": "measure"})
    lo, hi = x_domain if x_domain is not None else (int(df["year"].min()), int(df["year"].max()))
    x = alt.X(
        "year:Q",
        title=None,
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
        scale=alt.Scale(domain=[lo, hi]),
    )
    y = alt.Y(
        "value:Q",
        title=y_title,
        scale=alt.Scale(domain=list(y_domain)) if y_domain is not None else alt.Scale(zero=False),
    )
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=16))
        .encode(
            x=x,
            y=y,
            detail="_segment:N",
            color=alt.Color(
                "measure:N", title=None, scale=alt.Scale(domain=measures, range=list(MEASURE_COLORS[: len(measures)]))
            ),
            strokeDash=alt.StrokeDash(
                "edition:N", title="Edition", legend=alt.Legend(orient="top", columns=2, labelLimit=280)
            ),
            tooltip=["measure:N", "edition:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=".2f")],
        )
    )
    layers = [lines]
    if claims is not None and len(claims):
        layers.append(
            alt.Chart(claims[["year", "value", "claim"]])
            .mark_point(shape="diamond", size=90, filled=False, color=CLAIM_COLOR)
            .encode(x="year:Q", y="value:Q", tooltip=["claim:N"])
        )
    chart = alt.layer(*layers).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def influence_chart(
    df: pd.DataFrame,
    *,
    title: str,
    description: str,
    source: str,
    highlight: Sequence[str] = NORTHEAST,
    threshold: float | None = None,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """Leverage against Cook's distance, one point per province (the highlighted ones and the most
    influential labelled), with a dashed rule at the high-leverage ``threshold`` (e.g. 2k/n).

    ``df`` needs ``province``, ``leverage``, ``cooks_d`` and a boolean ``label`` (which to name).
    """
    missing = {"province", "leverage", "cooks_d", "label"} - set(df.columns)
    if missing:
        raise KeyError(f"influence_chart needs columns {sorted(missing)}")
    frame = df.assign(group=df["province"].where(df["province"].isin(highlight), "Other provinces"))
    domain = [*highlight, "Other provinces"]
    points = (
        alt.Chart(frame)
        .mark_circle(size=70, opacity=0.85)
        .encode(
            x=alt.X(
                "leverage:Q",
                title="Leverage (hat value)",
                scale=alt.Scale(domain=[0, float(frame["leverage"].max()) * 1.25]),
            ),
            y=alt.Y("cooks_d:Q", title="Cook's distance"),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=domain, range=[HIGHLIGHT.get(p, OTHER) for p in highlight] + [OTHER]),
            ),
            tooltip=["province:N", alt.Tooltip("leverage:Q", format=".2f"), alt.Tooltip("cooks_d:Q", format=".2f")],
        )
    )
    # Neighbouring labels alternate above and below their points, so that close pairs stay legible.
    named = frame[frame["label"]].sort_values(["cooks_d", "leverage"]).reset_index(drop=True)
    labels = [
        alt.Chart(named[named.index % 2 == side])
        .mark_text(align="left", dx=7, dy=dy, fontSize=11)
        .encode(x="leverage:Q", y="cooks_d:Q", text="province:N")
        for side, dy in ((0, -7), (1, 9))
    ]
    layers = [points, *labels]
    if threshold is not None:
        layers.insert(
            0,
            alt.Chart(pd.DataFrame({"leverage": [threshold]}))
            .mark_rule(color=PALETTE["reference"], strokeDash=[4, 3])
            .encode(x="leverage:Q"),
        )
    chart = alt.layer(*layers).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


# ---- Added for the demographics chapter (issue 20): builders that keep raw Altair out of notebooks ----

LINE_DASHES = {"Liaoning": [1, 0], "Jilin": [6, 3], "Heilongjiang": [2, 2], "China": [1, 0], "Northeast": [1, 0]}
LABEL_DY = {"Jilin": -8, "Heilongjiang": 8}  # end labels of lines that often end close together
LINE_SHAPES = {
    "Liaoning": "circle",
    "Jilin": "square",
    "Heilongjiang": "triangle-up",
    "China": "diamond",
    "Northeast": "cross",
}


def vintage_markers_chart(
    df: pd.DataFrame,
    *,
    line_vintage: str,
    y_title: str,
    title: str,
    description: str,
    source: str,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """One line per province for the ``line_vintage`` figures, and hollow diamonds for every other vintage.

    ``df`` has province, year, value and vintage. Two vintages of a statistic are never joined into one
    line: the other vintage is drawn as points only, so a reader sees where the first-published figures
    sat against the revised series.
    """
    missing = {"province", "year", "value", "vintage"} - set(df.columns)
    if missing:
        raise KeyError(f"vintage_markers_chart needs columns {sorted(missing)}")
    if line_vintage not in set(df["vintage"]):
        raise ValueError(f"vintage_markers_chart: no rows of vintage {line_vintage!r}")
    provinces = list(dict.fromkeys(df["province"]))
    color = alt.Color(
        "province:N", title=None, scale=alt.Scale(domain=provinces, range=[HIGHLIGHT.get(p, OTHER) for p in provinces])
    )
    frame = with_gaps(
        df.assign(key=df["province"] + " " + df["vintage"])[["province", "year", "value", "vintage", "key"]], by="key"
    )
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", labelOverlap=True))
    base = alt.Chart(frame)
    lines = (
        base.transform_filter(alt.datum.vintage == line_vintage)
        .mark_line()
        .encode(x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)), color=color, detail="_segment:N")
    )
    points = (
        base.transform_filter(alt.datum.vintage != line_vintage)
        .mark_point(shape="diamond", size=60, filled=False, strokeWidth=1.5)
        .encode(
            x=x,
            y="value:Q",
            color=color,
            tooltip=[
                "province:N",
                alt.Tooltip("year:Q", format="d"),
                "vintage:N",
                alt.Tooltip("value:Q", format=",.1f"),
            ],
        )
    )
    return finish(
        alt.layer(lines, points),
        title=title,
        description=description,
        source=source,
        subtitle=subtitle,
        data_url=data_url,
    )


def paired_rates_chart(
    df: pd.DataFrame,
    *,
    kinds: Sequence[str],
    y_title: str,
    title: str,
    description: str,
    source: str,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.Chart:
    """Lines for two or more rates per area (column ``rate``, e.g. births and deaths): colour for the area,
    a dash pattern for the rate; a missing year breaks the line."""
    missing = {"province", "year", "value", "rate"} - set(df.columns)
    if missing:
        raise KeyError(f"paired_rates_chart needs columns {sorted(missing)}")
    dashes = [[1, 0], [5, 3], [2, 2], [8, 2, 2, 2]]
    if len(kinds) > len(dashes):
        raise ValueError(f"paired_rates_chart draws at most {len(dashes)} rates, got {len(kinds)}")
    provinces = list(dict.fromkeys(df["province"]))
    frame = with_gaps(
        df.assign(key=df["province"] + df["rate"])[["province", "year", "value", "rate", "key"]], by="key"
    )
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=16))
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", labelOverlap=True)),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "province:N",
                title=None,
                scale=alt.Scale(domain=provinces, range=[HIGHLIGHT.get(p, OTHER) for p in provinces]),
            ),
            strokeDash=alt.StrokeDash(
                "rate:N", title=None, scale=alt.Scale(domain=list(kinds), range=dashes[: len(kinds)])
            ),
            detail="_segment:N",
            tooltip=["province:N", "rate:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(height=300)
    )
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def components_by_year_chart(
    df: pd.DataFrame,
    *,
    parts: dict[str, str],
    y_title: str,
    title: str,
    description: str,
    source: str,
    initial: str = "Heilongjiang",
    label: str = "Province: ",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.Chart:
    """Bars per year split into named parts (e.g. natural increase and migration), one province at a time
    chosen from a dropdown (a Vega-Lite parameter: works on the static site), on a continuous year axis: a
    year with no figure is an empty slot, so years that are not contiguous are never drawn side by side.

    Each part's bar sits in its own fraction of the year's width (x and x2 computed per part).
    """
    missing = {"province", "year", *parts} - set(df.columns)
    if missing:
        raise KeyError(f"components_by_year_chart needs columns {sorted(missing)}")
    labels = list(parts.values())
    width = 0.8 / len(parts)
    long = df.melt(id_vars=["province", "year"], value_vars=list(parts), var_name="part", value_name="value").dropna(
        subset=["value"]
    )
    slot = long["part"].map({k: i for i, k in enumerate(parts)})
    long = long.assign(
        part=long["part"].map(parts),
        x0=long["year"] - 0.4 + slot * width,
        x1=long["year"] - 0.4 + (slot + 1) * width - 0.02,
    )
    options = sorted(long["province"].unique())
    pick = alt.param(
        name="pick",
        value=initial if initial in options else options[0],
        bind=alt.binding_select(options=options, name=label),
    )
    palette = [HIGHLIGHT["Jilin"], HIGHLIGHT["Liaoning"], HIGHLIGHT["Heilongjiang"], HIGHLIGHT["Northeast"]]
    chart = (
        alt.Chart(long)
        .transform_filter("datum.province == pick")
        .mark_bar()
        .encode(
            x=alt.X(
                "x0:Q",
                title=None,
                axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
                scale=alt.Scale(domain=[float(long["year"].min()) - 0.5, float(long["year"].max()) + 0.5], nice=False),
            ),
            x2="x1:Q",
            y=alt.Y("value:Q", title=y_title),
            y2=alt.datum(0),
            color=alt.Color(
                "part:N",
                title=None,
                sort=labels,
                scale=alt.Scale(domain=labels, range=palette[: len(labels)]),
                legend=alt.Legend(columns=1, labelLimit=0),
            ),
            tooltip=["province:N", alt.Tooltip("year:Q", format="d"), "part:N", alt.Tooltip("value:Q", format=",.1f")],
        )
        .add_params(pick)
    )
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def pick_province_marked_chart(
    df: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    fixed: Sequence[str] = NORTHEAST,
    initial: str = "Guangdong",
    label: str = "Compare with: ",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """Like :func:`pick_province_chart`, but each fixed line also has its own dash pattern and point
    shape and is labelled at its last point, so lines whose colours are close (or a reader who cannot
    tell them apart) can still be told apart. The picked province is grey-black and dotted."""
    options = sorted(p for p in df["province"].unique() if p not in fixed)
    if initial not in options:
        initial = options[0]
    pick = alt.param(name="pick", value=initial, bind=alt.binding_select(options=options, name=label))
    fixed_list = ", ".join(repr(p) for p in fixed)
    names = list(fixed) + ["Selected province"]
    frame = with_gaps(df[["province", "year", "value"]])
    base = (
        alt.Chart(frame)
        .transform_filter(f"datum.province == pick || indexof([{fixed_list}], datum.province) >= 0")
        .transform_calculate(
            line=f"indexof([{fixed_list}], datum.province) >= 0 ? datum.province : 'Selected province'"
        )
    )
    enc = dict(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True)),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color(
            "line:N",
            title=None,
            scale=alt.Scale(domain=names, range=[HIGHLIGHT.get(p, OTHER) for p in fixed] + [PALETTE["fit"]]),
        ),
    )
    lines = base.mark_line().encode(
        **enc,
        detail="_segment:N",
        strokeDash=alt.StrokeDash(
            "line:N",
            title=None,
            legend=None,
            scale=alt.Scale(domain=names, range=[LINE_DASHES.get(p, [1, 0]) for p in fixed] + [[1, 3]]),
        ),
    )
    points = base.mark_point(size=30, filled=True).encode(
        **enc,
        shape=alt.Shape(
            "line:N",
            title=None,
            scale=alt.Scale(domain=names, range=[LINE_SHAPES.get(p, "circle") for p in fixed] + ["circle"]),
        ),
        tooltip=["province:N", alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=",.4~g")],
    )
    last_year = int(df["year"].max())
    ends = [
        base.transform_filter((alt.datum.year == last_year) & (alt.datum.line == name))
        .mark_text(align="left", dx=6, dy=LABEL_DY.get(name, 0), fontSize=11)
        .encode(x=enc["x"], y=enc["y"], color=enc["color"], text="province:N")
        for name in names
    ]
    chart = alt.layer(lines, points, *ends).add_params(pick)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


# ---- added for the geopolitics and talent chapters (issue 21) ----------------------------------

GATEWAY_ROLE_COLORS = {
    "hub": PALETTE["black"],
    "sea port": PALETTE["blue"],
    "sea port and land port": PALETTE["sky"],
    "land port": PALETTE["green"],
    "pipeline entry": PALETTE["orange"],
    "foreign port": PALETTE["vermillion"],
    "foreign city": PALETTE["purple"],
}


def gateway_map(
    places: pd.DataFrame,
    routes: pd.DataFrame,
    *,
    title: str,
    description: str,
    source: str,
    subtitle: str | None = None,
    data_url: str | None = None,
    label_pos: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Cities and ports as points on their real coordinates (Mercator), with straight lines between
    pairs and each line's length in km at its midpoint. No boundaries: points and distances only.

    ``places`` has place, role, latitude, longitude; ``routes`` is :func:`helpers.analysis.gateways.distances`
    output (lat, lon, lat2, lon2, mid_lat, mid_lon, km, from, to). A dropdown highlights one role.
    ``label_pos`` moves a place's label to its "left", "above" or "below" (default: right), so that
    neighbouring points on a small map keep readable labels.
    """
    missing = {"place", "role", "latitude", "longitude"} - set(places.columns)
    if missing:
        raise KeyError(f"gateway_map needs place columns {sorted(missing)}")
    roles = [r for r in GATEWAY_ROLE_COLORS if r in set(places["role"])]
    unknown = set(places["role"]) - set(roles)
    if unknown:
        raise ValueError(f"gateway_map: roles without a colour {sorted(unknown)}")
    pick = alt.param(
        name="role_pick", value="all", bind=alt.binding_select(options=["all", *roles], name="Highlight: ")
    )
    lines = (
        alt.Chart(routes)
        .mark_rule(color=PALETTE["reference"], strokeDash=[4, 3], strokeWidth=1.2)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            longitude2="lon2:Q",
            latitude2="lat2:Q",
            tooltip=[
                alt.Tooltip("from:N", title="From"),
                alt.Tooltip("to:N", title="To"),
                alt.Tooltip("km:Q", title="Straight line, km", format=",.0f"),
            ],
        )
    )
    km = (
        alt.Chart(routes.assign(label=routes["km"].map(lambda v: f"{v:,.0f} km")))
        .mark_text(fontSize=10, color=PALETTE["fit"], dy=-6)
        .encode(longitude="mid_lon:Q", latitude="mid_lat:Q", text="label:N")
    )
    color = alt.Color(
        "role:N",
        title=None,
        sort=roles,
        scale=alt.Scale(domain=roles, range=[GATEWAY_ROLE_COLORS[r] for r in roles]),
        legend=alt.Legend(orient="bottom", columns=2),
    )
    tooltip = [
        alt.Tooltip("place:N", title="Place"),
        alt.Tooltip("role:N", title="Role"),
        alt.Tooltip("latitude:Q", format=".2f"),
        alt.Tooltip("longitude:Q", format=".2f"),
    ]
    if "note" in places.columns:
        tooltip.append(alt.Tooltip("note:N", title="Note"))
    points = (
        alt.Chart(places)
        .mark_circle(size=80, stroke=PALETTE["white"], strokeWidth=0.8)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            color=color,
            tooltip=tooltip,
            opacity=alt.condition("role_pick == 'all' || datum.role == role_pick", alt.value(1), alt.value(0.15)),
        )
    )
    label_pos = dict(label_pos or {})
    bad = {v for v in label_pos.values()} - {"left", "right", "above", "below"}
    if bad:
        raise ValueError(f"gateway_map: label positions must be left, right, above or below, not {sorted(bad)}")
    side = places["place"].map(lambda p: label_pos.get(p, "right"))
    offsets = {
        "right": dict(align="left", dx=6, dy=3),
        "left": dict(align="right", dx=-6, dy=3),
        "above": dict(align="center", dx=0, dy=-9),
        "below": dict(align="center", dx=0, dy=14),
    }
    label_layers = [
        alt.Chart(places[side == where])
        .mark_text(fontSize=11, **offsets[where])
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            text="place:N",
            opacity=alt.condition("role_pick == 'all' || datum.role == role_pick", alt.value(1), alt.value(0.2)),
        )
        for where in offsets
        if (side == where).any()
    ]
    chart = alt.layer(lines, km, points, *label_layers).add_params(pick).project(type="mercator").properties(height=420)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def labelled_bars(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    title: str,
    description: str,
    source: str,
    color_by: str | None = None,
    highlight: Sequence[str] = (),
    x_domain: Sequence[float] | None = None,
    fmt: str = ",.0f",
    tooltip_extra: Sequence[str] = (),
    subtitle: str | None = None,
    data_url: str | None = None,
    horizontal: bool = True,
) -> alt.LayerChart:
    """Bars in the order given, each labelled with its value; rows whose ``y`` is in ``highlight``
    (or whose ``color_by`` column is true) in the Northeast colour, the rest grey."""
    missing = {x, y} - set(df.columns)
    if missing:
        raise KeyError(f"labelled_bars needs columns {sorted(missing)}")
    flag = df[color_by].astype(bool) if color_by else df[y].isin(list(highlight))
    frame = df.assign(_hl=flag.map({True: "yes", False: "no"}))
    scale = alt.Scale(domain=list(x_domain)) if x_domain is not None else alt.Undefined
    value = (
        alt.X(f"{x}:Q", title=wrap(x_title, AXIS_WRAP), scale=scale)
        if horizontal
        else alt.Y(f"{x}:Q", title=x_title, scale=scale)
    )
    cat = (
        alt.Y(f"{y}:N", sort=None, title=None)
        if horizontal
        else alt.X(f"{y}:O", sort=None, title=None, axis=alt.Axis(labelAngle=0))
    )
    color = alt.Color(
        "_hl:N", legend=None, scale=alt.Scale(domain=["yes", "no"], range=[HIGHLIGHT["Northeast"], OTHER])
    )
    tooltip = [f"{y}:N", alt.Tooltip(f"{x}:Q", format=fmt), *tooltip_extra]
    base = alt.Chart(frame)
    bars = (
        base.mark_bar().encode(value, cat, color=color, tooltip=tooltip)
        if horizontal
        else base.mark_bar().encode(cat, value, color=color, tooltip=tooltip)
    )
    text = base.mark_text(
        align="left" if horizontal else "center", dx=3 if horizontal else 0, dy=0 if horizontal else -6, fontSize=11
    )
    text = (
        text.encode(value, cat, text=alt.Text(f"{x}:Q", format=fmt))
        if horizontal
        else text.encode(cat, value, text=alt.Text(f"{x}:Q", format=fmt))
    )
    chart = alt.layer(bars, text).properties(height=max(160, 24 * len(frame)) if horizontal else 260)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def grouped_bars(
    df: pd.DataFrame,
    *,
    category: str,
    group: str,
    value: str,
    x_title: str,
    title: str,
    description: str,
    source: str,
    groups: Sequence[str],
    categories: Sequence[str],
    subtitle: str | None = None,
    data_url: str | None = None,
    tooltip_extra: Sequence[str] = (),
) -> alt.Chart:
    """Horizontal bars of ``value`` for each ``category``, one bar per ``group`` side by side, coloured
    with the house province colours (``HIGHLIGHT``)."""
    missing = {category, group, value} - set(df.columns)
    if missing:
        raise KeyError(f"grouped_bars needs columns {sorted(missing)}")
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort=list(categories), title=None),
            yOffset=alt.YOffset(f"{group}:N", sort=list(groups)),
            x=alt.X(f"{value}:Q", title=x_title),
            color=alt.Color(
                f"{group}:N",
                title=None,
                sort=list(groups),
                scale=alt.Scale(domain=list(groups), range=[HIGHLIGHT.get(g, OTHER) for g in groups]),
            ),
            tooltip=[f"{group}:N", f"{category}:N", alt.Tooltip(f"{value}:Q", format=",.0f"), *tooltip_extra],
        )
        .properties(height=max(200, 15 * len(categories) * len(groups)))
    )
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def projection_band_chart(
    df: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    description: str,
    source: str,
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.LayerChart:
    """A shaded range (columns ``low``, ``high``) and a central line (``central``) over ``year`` for each
    ``province``, in the house province colours: a projection with the spread of its stated assumptions."""
    missing = {"province", "year", "low", "high", "central"} - set(df.columns)
    if missing:
        raise KeyError(f"projection_band_chart needs columns {sorted(missing)}")
    provinces = list(dict.fromkeys(df["province"]))
    color = alt.Color(
        "province:N", title=None, scale=alt.Scale(domain=provinces, range=[HIGHLIGHT.get(p, OTHER) for p in provinces])
    )
    base = alt.Chart(df).encode(x=year_x())
    area = base.mark_area(opacity=0.18).encode(y=alt.Y("low:Q", title=y_title), y2="high:Q", color=color)
    line = base.mark_line(strokeWidth=2).encode(
        y="central:Q",
        color=color,
        tooltip=[
            "province:N",
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("central:Q", format=".1f", title="central"),
            alt.Tooltip("low:Q", format=".1f", title="lowest"),
            alt.Tooltip("high:Q", format=".1f", title="highest"),
        ],
    )
    chart = alt.layer(area, line).properties(height=300)
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)


def population_pyramid_chart(
    df: pd.DataFrame,
    *,
    title: str,
    description: str,
    source: str,
    age_order: Sequence[str],
    initial: str = "Heilongjiang",
    national: str = NATIONAL,
    label: str = "Province: ",
    subtitle: str | None = None,
    data_url: str | None = None,
) -> alt.FacetChart:
    """Age pyramids side by side, one per ``year``: bars for the province picked from a dropdown (men to
    the left, women to the right, each age group's ``share`` of the population in %), and the ``national``
    pyramid as black ticks over them. Columns: province, year, age_group, sex, share, signed (negative for
    men). The dropdown is a Vega-Lite parameter, so it works on the static site without a kernel."""
    missing = {"province", "year", "age_group", "sex", "share", "signed"} - set(df.columns)
    if missing:
        raise KeyError(f"population_pyramid_chart needs columns {sorted(missing)}")
    options = sorted(p for p in df["province"].unique() if p != national)
    if initial not in options:
        initial = options[0]
    pick = alt.param(name="pyramid_pick", value=initial, bind=alt.binding_select(options=options, name=label))
    frame = df[["province", "year", "age_group", "sex", "share", "signed"]].astype({"age_group": str})
    y = alt.Y("age_group:N", sort=list(reversed(list(age_order))), title="Age", axis=alt.Axis(labelFontSize=9))
    x = alt.X(
        "signed:Q",
        title=["% of population", "men ← → women"],
        axis=alt.Axis(labelExpr="abs(datum.value)", tickCount=4),
    )
    tooltip = [
        "province:N",
        alt.Tooltip("year:O"),
        alt.Tooltip("age_group:N", title="age"),
        "sex:N",
        alt.Tooltip("share:Q", format=".2f", title="% of population"),
    ]
    bars = (
        alt.Chart()
        .transform_filter("datum.province == pyramid_pick")
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "sex:N",
                title=None,
                scale=alt.Scale(domain=["male", "female"], range=[PALETTE["sky"], PALETTE["orange"]]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    ticks = (
        alt.Chart()
        .transform_filter(alt.datum.province == national)
        .mark_tick(color=PALETTE["black"], thickness=2)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    chart = (
        alt.layer(bars, ticks, data=frame)
        .properties(width=140, height=260)
        .facet(column=alt.Column("year:O", title=None, header=alt.Header(labelFontSize=13, labelFontWeight="bold")))
        # the house theme's fit-x sizing is for single views; a faceted chart is sized by its panels
        .properties(autosize=alt.AutoSizeParams(type="pad"))
    )
    return finish(chart, title=title, description=description, source=source, subtitle=subtitle, data_url=data_url)
