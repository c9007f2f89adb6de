"""Live explorers for readers who run the notebooks (JupyterLab, Binder, Colab).

On the static site widgets do nothing (no kernel); the site shows a note instead and each explorer
has a static chart equivalent. Logic lives here so pytest can drive the widgets by setting values.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as w
import pandas as pd

from helpers import data
from helpers.demography import PROJECTION_ASSUMPTIONS, project
from helpers.regions import NORTHEAST, NORTHEAST_LABEL, PROVINCES_LABEL
from helpers.stats import LineFit, before_after, line_fit
from helpers.tables import simple_table


def _span_slider(frames) -> w.IntRangeSlider:
    """A year-range slider covering every year in the given tidy frames, initially the whole span."""
    years = sorted(set().union(*(f["year"].unique() for f in frames)))
    return w.IntRangeSlider(
        value=(int(years[0]), int(years[-1])),
        min=int(years[0]),
        max=int(years[-1]),
        step=1,
        description="Years",
        continuous_update=False,
    )


class _Live(w.VBox):
    """Controls above outputs; ``refresh`` recomputes the outputs whenever a control changes."""

    def _assemble(self, controls: tuple, outputs: tuple) -> None:
        for control in controls:
            control.observe(lambda _change: self.refresh(), names="value")
        super().__init__([*controls, *outputs])
        self.refresh()


class ProvinceCard(w.VBox):
    """Pick a province; see its names, code and NBS region."""

    def __init__(self, registry: pd.DataFrame, initial: str = "Liaoning"):
        self.registry = registry.set_index("province")
        self.picker = w.Dropdown(options=list(self.registry.index), value=initial, description="Province")
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


class SeriesExplorer(_Live):
    """Pick a province and a span of years; read the change in a tidy series.

    ``frame`` is a tidy series from :func:`helpers.data.series`.
    """

    def __init__(self, frame: pd.DataFrame, *, label: str, initial: str = "Liaoning"):
        self.frame = frame
        self.label = label
        provinces = sorted(frame["province"].unique())
        self.picker = w.Dropdown(
            options=provinces, value=initial if initial in provinces else provinces[0], description="Province"
        )
        self.years = _span_slider([frame])
        self.summary = w.HTML()
        self._assemble((self.picker, self.years), (self.summary,))

    def change(self) -> tuple[int, float, int, float] | None:
        """(first year, first value, last year, last value) within the selected span, or None."""
        rows = self.frame[
            (self.frame["province"] == self.picker.value) & self.frame["year"].between(*self.years.value)
        ].dropna(subset=["value"])
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
        self.summary.value = f"{name}, {html.escape(self.label)}: {v0:,.4g} in {y0} → {v1:,.4g} in {y1}{pct}"


class CompareExplorer(_Live):
    """Compare several provinces on one or more tidy series: first and last year of a span, and the change.

    ``frames`` maps a label (title and unit) to a tidy series from :func:`helpers.data.series`.
    """

    def __init__(self, frames: dict[str, pd.DataFrame], *, initial: Sequence[str] = NORTHEAST):
        self.frames = frames
        self.series = w.Dropdown(options=list(frames), description="Series")
        provinces = sorted(set().union(*(f["province"].unique() for f in frames.values())))
        self.provinces = w.SelectMultiple(
            options=provinces, value=[p for p in initial if p in provinces], rows=8, description="Provinces"
        )
        self.years = _span_slider(frames.values())
        self.table = w.HTML()
        self._assemble((self.series, self.provinces, self.years), (self.table,))

    def rows(self) -> pd.DataFrame:
        """Province, first year and value, last year and value, change in the span (held values only)."""
        frame = self.frames[self.series.value]
        lo, hi = self.years.value
        out = []
        for province in self.provinces.value:
            held = frame[(frame["province"] == province) & frame["year"].between(lo, hi)].dropna(subset=["value"])
            if held.empty:
                out.append(
                    {
                        "province": province,
                        "first_year": None,
                        "first": None,
                        "last_year": None,
                        "last": None,
                        "change": None,
                    }
                )
                continue
            first, last = held.sort_values("year").iloc[[0, -1]].itertuples(index=False)
            out.append(
                {
                    "province": province,
                    "first_year": int(first.year),
                    "first": float(first.value),
                    "last_year": int(last.year),
                    "last": float(last.value),
                    "change": float(last.value) - float(first.value),
                }
            )
        return pd.DataFrame(out, columns=["province", "first_year", "first", "last_year", "last", "change"])

    def refresh(self) -> None:
        rows = self.rows()
        if rows.empty:
            self.table.value = "Pick one or more provinces."
            return

        def held(value, year):
            return "no data in these years" if pd.isna(year) else f"{value:,.4g} ({int(year)})"

        shown = pd.DataFrame(
            {
                "province": rows["province"],
                "first": [held(r.first, r.first_year) for r in rows.itertuples(index=False)],
                "last": [
                    "" if pd.isna(r.last_year) else held(r.last, r.last_year) for r in rows.itertuples(index=False)
                ],
                "change": ["" if pd.isna(r.change) else f"{r.change:+,.3g}" for r in rows.itertuples(index=False)],
            }
        )
        lo, hi = self.years.value
        self.table.value = simple_table(
            shown,
            {"province": "Province", "first": "First", "last": "Last", "change": "Change"},
            caption=f"{self.series.value}: first and last value held, {lo}-{hi}",
        )


class ProfileExplorer(_Live):
    """One province in one year across several series, beside a reference area (the 31 provinces
    together by default), e.g. a province's budget restated in yuan, per person and as shares of GDP.

    ``frames`` maps a label (title and unit) to a tidy series from :func:`helpers.data.series`.
    """

    def __init__(
        self, frames: dict[str, pd.DataFrame], *, initial: str = "Heilongjiang", reference: str = PROVINCES_LABEL
    ):
        self.frames = frames
        self.reference = reference
        provinces = sorted(set().union(*(f["province"].unique() for f in frames.values())) - {reference})
        years = sorted(set().union(*(f["year"].unique() for f in frames.values())))
        self.province = w.Dropdown(
            options=provinces, value=initial if initial in provinces else provinces[0], description="Province"
        )
        self.year = w.IntSlider(
            value=int(years[-1]),
            min=int(years[0]),
            max=int(years[-1]),
            step=1,
            description="Year",
            continuous_update=False,
        )
        self.table = w.HTML()
        self._assemble((self.province, self.year), (self.table,))

    def _value(self, frame: pd.DataFrame, province: str) -> float | None:
        held = frame[(frame["province"] == province) & (frame["year"] == self.year.value)].dropna(subset=["value"])
        return None if held.empty else float(held["value"].iloc[0])

    def rows(self) -> pd.DataFrame:
        """Series label, the province's value and the reference area's value (None where not held)."""
        out = [
            {
                "series": label,
                "value": self._value(frame, self.province.value),
                "reference": self._value(frame, self.reference),
            }
            for label, frame in self.frames.items()
        ]
        return pd.DataFrame(out, columns=["series", "value", "reference"])

    def refresh(self) -> None:
        def cell(v):
            return "not held" if pd.isna(v) else f"{v:,.4g}"

        rows = self.rows()
        shown = rows.assign(value=rows["value"].map(cell), reference=rows["reference"].map(cell))
        columns = {"series": str(self.year.value), "value": self.province.value, "reference": self.reference}
        self.table.value = simple_table(
            shown, columns, caption=f"{self.province.value} beside {self.reference}, {self.year.value}"
        )


class RelationExplorer(_Live):
    """One series against another across provinces: pick the outcome and the years, read the correlation
    and the least-squares slope, and see where the Northeast sits relative to the line.

    ``x`` is a tidy series measured in ``x_year``; ``outcomes`` maps a label to a tidy series, whose change
    (or level) between ``start`` and ``end`` is the outcome. ``fit`` can be switched off to read the
    scatter without a line.
    """

    def __init__(self, x: pd.DataFrame, outcomes: dict[str, pd.DataFrame], *, x_label: str, x_year: int):
        self.x = x[(x["year"] == x_year)].set_index("province")["value"]
        self.x_label = x_label
        self.outcomes = outcomes
        self.outcome = w.Dropdown(options=list(outcomes), description="Outcome")
        self.span = _span_slider(outcomes.values())
        self.fit = w.Checkbox(value=True, description="Fit a line")
        self.summary = w.HTML()
        self._assemble((self.outcome, self.span, self.fit), (self.summary,))

    def pairs(self) -> pd.DataFrame:
        """x and the outcome's change between the span's ends, for provinces that have all three values."""
        frame = self.outcomes[self.outcome.value].set_index(["province", "year"])["value"]
        start, end = self.span.value
        rows = []
        for province, xv in self.x.items():
            if (province, start) in frame.index and (province, end) in frame.index:
                rows.append(
                    {
                        "province": province,
                        "x": float(xv),
                        "y": float(frame[(province, end)] - frame[(province, start)]),
                    }
                )
        return pd.DataFrame(rows, columns=["province", "x", "y"])

    def statistics(self) -> LineFit | None:
        """The least-squares line of the change on x (None when fewer than three provinces, or no variation)."""
        pairs = self.pairs().set_index("province")
        try:
            return line_fit(pairs["x"], pairs["y"])
        except ValueError:
            return None

    def refresh(self) -> None:
        fit = self.statistics()
        start, end = self.span.value
        if fit is None:
            self.summary.value = "Too few provinces have both values (or the outcome does not vary) in these years."
            return
        text = (
            f"{fit.n} provinces; change in {html.escape(self.outcome.value)} from {start} to {end} "
            f"against {html.escape(self.x_label)}: correlation {fit.r:+.2f}."
        )
        if self.fit.value:
            ne = ", ".join(f"{p} {round(fit.residuals[p], 6) + 0.0:+.3g}" for p in NORTHEAST if p in fit.residuals)
            text += (
                f" Fitted slope {fit.slope:+.3g} per unit of x. Northeast above (+) or below (−) "
                f"the line: {ne or 'not in the sample'}."
            )
        self.summary.value = text + " Correlation across provinces is not causation."


def _indicator_picker(catalogue: pd.DataFrame, load, initial: str | None):
    """The loader (:func:`helpers.data.series` unless given), 'title (unit)' by indicator id, and a dropdown
    of the catalogue's indicators starting at ``initial`` (or the first)."""
    titles = dict(zip(catalogue["id"], catalogue["title"] + " (" + catalogue["unit"] + ")"))
    ids = list(titles)
    dropdown = w.Dropdown(
        options=[(titles[i], i) for i in ids], value=initial if initial in ids else ids[0], description="Indicator"
    )
    return (data.series if load is None else load), titles, dropdown


class IndicatorExplorer(w.VBox):
    """Any series in the catalogue: pick the indicator, the province and the years.

    ``load`` maps an indicator id to its tidy frame (default: :func:`helpers.data.series`).
    """

    def __init__(self, catalogue: pd.DataFrame, load=None, initial: str | None = None):
        self.load, self.titles, self.indicator = _indicator_picker(catalogue, load, initial)
        self.explorer = SeriesExplorer(self.load(self.indicator.value), label=self.titles[self.indicator.value])
        self.indicator.observe(lambda _change: self.switch(), names="value")
        super().__init__([self.indicator, self.explorer])

    def switch(self) -> None:
        province = self.explorer.picker.value
        self.explorer = SeriesExplorer(
            self.load(self.indicator.value), label=self.titles[self.indicator.value], initial=province
        )
        self.children = [self.indicator, self.explorer]


class ProjectionExplorer(_Live):
    """Illustrative population projection: set fertility, net migration and the death-rate drift.

    ``bases`` has one row per province: province, year, population, birth_rate, death_rate,
    death_step (‰ a year), population in 10,000 persons as published. The drift switch starts off, matching the static chart above it. The summary reports the population in
    the end year and the change from the base year; :attr:`path` holds the computed path.
    """

    def __init__(self, bases: pd.DataFrame, *, end: int = 2050, initial: str = "Heilongjiang"):
        self.bases = bases.set_index("province")
        self.end = end
        names = list(self.bases.index)
        self.picker = w.Dropdown(options=names, value=initial if initial in names else names[0], description="Province")
        self.fertility = w.FloatSlider(
            value=1.0, min=0.3, max=2.5, step=0.05, description="Fertility ×", continuous_update=False
        )
        self.migration = w.FloatSlider(
            value=0.0, min=-20.0, max=10.0, step=0.5, description="Migration ‰", continuous_update=False
        )
        self.drift = w.Checkbox(value=False, description="Death rate keeps rising at its recent pace")
        self.summary = w.HTML()
        self.note = w.HTML(f"<small>{html.escape(PROJECTION_ASSUMPTIONS)}</small>")
        self._assemble((self.picker, self.fertility, self.migration, self.drift), (self.summary, self.note))

    def refresh(self) -> None:
        base = self.bases.loc[self.picker.value]
        self.path = project(
            base["population"],
            base["birth_rate"],
            base["death_rate"],
            start=int(base["year"]),
            end=self.end,
            fertility=self.fertility.value,
            migration=self.migration.value / 1000 * base["population"],
            death_step=base["death_step"] if self.drift.value else 0.0,
        )
        last = self.path.iloc[-1]["population"]
        change = 100 * (last / base["population"] - 1)
        self.summary.value = (
            f"<b>{html.escape(self.picker.value)}</b>: {base['population'] / 100:,.2f} million at the end of "
            f"{int(base['year'])} → {last / 100:,.2f} million in {self.end} ({change:+.1f}%), "
            f"under these assumptions."
        )


class StayOrGo(_Live):
    """Illustrative 'stay or go' budget for a graduate: what is left each year in the home province
    and in a destination, from income and spending per person plus costs the reader adds.

    ``places`` has columns place, income and spending (yuan per person per year); the defaults come
    from the chapter's sourced figures. All money in yuan a year.
    """

    def __init__(self, places: pd.DataFrame, *, home: str, away: str):
        self.places = places.set_index("place")
        names = list(self.places.index)
        self.home = w.Dropdown(options=names, value=home, description="Stay in")
        self.away = w.Dropdown(options=names, value=away, description="Move to")
        self.premium = w.IntSlider(value=0, min=-30, max=100, step=5, description="Pay gap %", continuous_update=False)
        self.heating = w.IntSlider(
            value=0, min=0, max=10000, step=250, description="Heating at home", continuous_update=False
        )
        self.rent = w.IntSlider(
            value=0, min=0, max=60000, step=1000, description="Extra rent away", continuous_update=False
        )
        self.summary = w.HTML()
        self._assemble((self.home, self.away, self.premium, self.heating, self.rent), (self.summary,))

    def left_over(self) -> tuple[float, float]:
        """(yuan left a year at home, yuan left a year away) under the current settings."""
        home, away = self.places.loc[self.home.value], self.places.loc[self.away.value]
        stay = home["income"] - home["spending"] - self.heating.value
        go = away["income"] * (1 + self.premium.value / 100) - away["spending"] - self.rent.value
        return float(stay), float(go)

    def refresh(self) -> None:
        stay, go = self.left_over()
        better = "moving" if go > stay else "staying"
        self.summary.value = (
            f"Left each year: <b>{stay:,.0f} yuan</b> staying in {html.escape(self.home.value)}, "
            f"<b>{go:,.0f} yuan</b> moving to {html.escape(self.away.value)}: {better} leaves "
            f"{abs(go - stay):,.0f} yuan more. Illustrative: averages per resident, not a graduate's pay."
        )


class PolicyLens(w.VBox):
    """Line up any indicator with a policy year: its average yearly change before and after.

    ``catalogue`` and ``load`` as for :class:`IndicatorExplorer`; ``events`` is the timeline (start,
    when, event). The summary is descriptive: a change after a policy is not an effect of it.
    """

    def __init__(
        self,
        catalogue: pd.DataFrame,
        events: pd.DataFrame,
        load=None,
        initial: str | None = None,
        province: str = NORTHEAST_LABEL,
    ):
        self.load, self.titles, self.indicator = _indicator_picker(catalogue, load, initial)
        self.events = events.sort_values("start")
        self.policy = w.Dropdown(
            options=[(f"{e.when}: {e.event[:60]}", int(e.start)) for e in self.events.itertuples()],
            description="Policy",
        )
        self.window = w.IntSlider(value=5, min=2, max=10, description="Years each side", continuous_update=False)
        self.province = w.Dropdown(description="Area")
        self.summary = w.HTML()
        self._frame = None
        self.indicator.observe(lambda _c: self.switch(province=self.province.value), names="value")
        for control in (self.policy, self.window, self.province):
            control.observe(lambda _c: self.refresh(), names="value")
        super().__init__([self.indicator, self.province, self.policy, self.window, self.summary])
        self.switch(province=province)

    def switch(self, province: str | None = None) -> None:
        self._frame = self.load(self.indicator.value)
        areas = sorted(self._frame["province"].unique())
        self.province.options = areas
        self.province.value = province if province in areas else areas[0]
        self.refresh()

    def refresh(self) -> None:
        if self._frame is None or self.province.value is None:
            return
        result = before_after(self._frame, self.province.value, int(self.policy.value), self.window.value)
        name = html.escape(str(self.province.value))
        if result is None:
            self.summary.value = (
                f"Not enough published values for {name} within {self.window.value} years of {self.policy.value}."
            )
            return
        self.summary.value = (
            f"{name}, {html.escape(self.titles[self.indicator.value])}: average change "
            f"{result['before']:+.3g} a year before {self.policy.value} ({result['n_before']} values), "
            f"{result['after']:+.3g} a year after ({result['n_after']} values). A change after a policy "
            f"is not proof that the policy caused it."
        )
