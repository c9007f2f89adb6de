"""Stated figures: every number in the prose is computed, glued and listed.

In a chapter::

    from helpers import figures
    figures.state("ne_gdp_share_2024", share, fmt="{:.1f}", unit="%", source="gdp_nominal")
    ...
    figures.key_figures()   # last cell of the chapter: the Key figures table (plain text)

and in the prose ``{glue:text}`ne_gdp_share_2024```. nbval re-runs the notebook and compares the
stored outputs, so a change in data or code that moves a stated figure fails the tests until the
notebook is re-executed (``make execute``) and the new text is reviewed.
"""

from __future__ import annotations

from ast import literal_eval
from dataclasses import dataclass

import humanize

try:
    from myst_nb import glue
except ImportError:  # a reader's environment (Colab, Binder) has no need for the book's builder

    def glue(name: str, variable, display: bool = True) -> None:
        """What ``myst_nb.glue`` stores (the same output), without installing Sphinx to run a notebook."""
        from IPython.core.formatters import format_display_data
        from IPython.display import display as ipy_display

        mimebundle, metadata = format_display_data(variable)
        prefix = "" if display else "application/papermill.record/"
        metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
        ipy_display({prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)


class Text(str):
    """A string whose plain-text repr makes ``{glue:text}`` show it exactly as written.

    myst-nb passes the glued text through ``ast.literal_eval``; unquoted, "105,900" would come out as
    the tuple "(105, 900)". So the repr is quoted only when the bare text would be read as something
    else, and stays bare (no quotes in a notebook) otherwise.
    """

    def __repr__(self) -> str:
        text = str(self)
        try:
            value = literal_eval(text)
        except (SyntaxError, ValueError):
            return text
        return text if str(value) == text else repr(text)


@dataclass(frozen=True)
class Figure:
    id: str
    value: float | int | str
    text: str
    source: str
    note: str = ""


_FIGURES: dict[str, Figure] = {}


def format_value(value, fmt: str = "{:,.0f}", unit: str = "") -> str:
    """Format a number for prose: ``fmt`` applied to the value, then the unit (no space before %)."""
    text = fmt.format(value)
    unit = unit.strip()  # " points" and "points" read the same: never a double space
    if unit:
        text += unit if unit in {"%", "‰"} else f" {unit}"
    return text


def ordinal(n: int) -> str:
    """English ordinal for a rank: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 111th."""
    return humanize.ordinal(int(n))


def change_in_words(value: float, fmt: str = "{:,.1f}", unit: str = "", *, up: str = "rose", down: str = "fell") -> str:
    """A signed change for prose, with the sign in the verb: ``fell 16.9%``, ``rose 5.4%`` (never "changed
    by -16.9%" or "fell -16.9%"). ``fmt`` and ``unit`` format the size as :func:`format_value` does."""
    return f"{down if value < 0 else up} {format_value(abs(value), fmt, unit)}"


def earned_or_lost(value: float, fmt: str = "{:.1f}%") -> str:
    """A return in words for titles and prose: ``earned 4.5%`` for a gain, ``lost 0.6%`` for a loss (never
    "earned -0.6%")."""
    return change_in_words(value, fmt, up="earned", down="lost")


def state(id: str, value, *, source: str, fmt: str = "{:,.0f}", unit: str = "", note: str = "") -> None:
    """Record a figure and glue its text under ``id`` for ``{glue:text}``; returns nothing, so a cell that
    ends with a call shows no output (the text is in :func:`registered` and the Key figures table).

    ``source`` names the series (or source_id) the figure comes from.
    """
    if not id or not id.replace("_", "").isalnum():
        raise ValueError(f"figure id must be letters, digits and underscores: {id!r}")
    if not source:
        raise ValueError(f"figure {id!r} needs a source")
    if value is None or (isinstance(value, float) and value != value):
        raise ValueError(f"figure {id!r} has no value (None or NaN): a gap must not be stated as a figure")
    text = format_value(value, fmt, unit)
    _FIGURES[id] = Figure(id, value, text, source, note)
    glue(id, Text(text), display=False)


def registered() -> dict[str, Figure]:
    """The figures stated so far in this kernel."""
    return dict(_FIGURES)


def reset() -> None:
    _FIGURES.clear()


def key_figures_table() -> str:
    """The Key figures table as plain text (id, figure, source)."""
    if not _FIGURES:
        return "No figures stated."
    # (Aligned by hand: tabulate pads every heading by two spaces, which would re-lay every stored table.)
    rows = [("figure", "value", "source")] + [(f.id, f.text, f.source) for f in _FIGURES.values()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def key_figures() -> None:
    """Print the Key figures table (a plain-text output that nbval compares exactly)."""
    print(key_figures_table())
