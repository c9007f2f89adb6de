"""Live explorers for readers who run the notebooks (JupyterLab, Binder, Colab).

On the static site widgets do nothing (no kernel); the site shows a note instead and each explorer
has a static chart equivalent. Logic lives here so pytest can drive the widgets by setting values.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd


class ProvinceCard(w.VBox):
    """Pick a province; see its names, code and NBS region."""

    def __init__(self, registry: pd.DataFrame, initial: str = "Liaoning"):
        self.registry = registry.set_index("province")
        self.picker = w.Dropdown(options=list(self.registry.index), value=initial,
                                 description="Province")
        self.card = w.HTML()
        self.picker.observe(lambda _change: self.refresh(), names="value")
        super().__init__([self.picker, self.card])
        self.refresh()

    def refresh(self) -> None:
        row = self.registry.loc[self.picker.value]
        self.card.value = (
            f"<b>{html.escape(self.picker.value)}</b> {html.escape(row['hanzi'])} "
            f"({html.escape(row['pinyin'])}), {html.escape(row['type'])}; "
            f"code {html.escape(row['code'])}; NBS region: {html.escape(row['region'])}"
        )


class SeriesExplorer(w.VBox):
    """Pick a province and a span of years; read the change in a tidy series.

    ``frame`` is a tidy series from :func:`helpers.data.series`.
    """

    def __init__(self, frame: pd.DataFrame, *, label: str, initial: str = "Liaoning"):
        self.frame = frame
        self.label = label
        provinces = sorted(frame["province"].unique())
        years = sorted(frame["year"].unique())
        self.picker = w.Dropdown(options=provinces, value=initial if initial in provinces else provinces[0],
                                 description="Province")
        self.years = w.IntRangeSlider(value=(years[0], years[-1]), min=years[0], max=years[-1], step=1,
                                      description="Years", continuous_update=False)
        self.summary = w.HTML()
        for control in (self.picker, self.years):
            control.observe(lambda _change: self.refresh(), names="value")
        super().__init__([self.picker, self.years, self.summary])
        self.refresh()

    def change(self) -> tuple[int, float, int, float] | None:
        """(first year, first value, last year, last value) within the selected span, or None."""
        rows = self.frame[(self.frame["province"] == self.picker.value)
                          & self.frame["year"].between(*self.years.value)].dropna(subset=["value"])
        if rows.empty:
            return None
        first, last = rows.sort_values("year").iloc[[0, -1]].itertuples(index=False)
        return int(first.year), float(first.value), int(last.year), float(last.value)

    def refresh(self) -> None:
        result = self.change()
        name = html.escape(self.picker.value)
        if result is None:
            self.summary.value = f"No data for {name} in these years."
            return
        y0, v0, y1, v1 = result
        pct = f" ({(v1 / v0 - 1) * 100:+.1f}%)" if v0 else ""
        self.summary.value = (f"{name}, {html.escape(self.label)}: {v0:,.4g} in {y0} → "
                              f"{v1:,.4g} in {y1}{pct}")


class IndicatorExplorer(w.VBox):
    """Any series in the catalogue: pick the indicator, the province and the years.

    ``load`` maps an indicator id to its tidy frame (default: :func:`helpers.data.series`).
    """

    def __init__(self, catalogue: pd.DataFrame, load=None, initial: str | None = None):
        if load is None:
            from helpers import data

            load = data.series
        self.load = load
        self.titles = dict(zip(catalogue["id"], catalogue["title"] + " (" + catalogue["unit"] + ")"))
        ids = list(self.titles)
        self.indicator = w.Dropdown(options=[(self.titles[i], i) for i in ids],
                                    value=initial if initial in ids else ids[0], description="Indicator")
        self.explorer = SeriesExplorer(self.load(self.indicator.value), label=self.titles[self.indicator.value])
        self.indicator.observe(lambda _change: self.switch(), names="value")
        super().__init__([self.indicator, self.explorer])

    def switch(self) -> None:
        province = self.explorer.picker.value
        self.explorer = SeriesExplorer(self.load(self.indicator.value), label=self.titles[self.indicator.value],
                                       initial=province)
        self.children = [self.indicator, self.explorer]
