"""Units behind the readers' site: launch links, the Key figures table, solutions taken out, slide specs."""

from __future__ import annotations

from helpers import render
from helpers.site import editions, keyfigures


def test_launch_links_open_the_pages_notebook():
    links = render.launch_links("https://github.com/org/book.git", "main", "chapters/01_x.ipynb")
    assert links == {
        "Binder": "https://mybinder.org/v2/gh/org/book/main?urlpath=lab/tree/chapters/01_x.ipynb",
        "Colab": "https://colab.research.google.com/github/org/book/blob/main/chapters/01_x.ipynb",
    }
    line = render.widget_note(links)
    assert line.startswith('<p class="dongbei-widget-note">Run this explorer') and line.count("<a ") == 2


def test_key_figures_table_is_parsed_and_explained():
    printed = (
        "figure       value   source\n"
        "-----------  ------  ------------------------\n"
        "ex_share     12.3 %  gdp_nominal\n"
        "ex_year      2024    gdp_nominal, claim wei-1\n"
    )
    rows = keyfigures.parse_table(printed)
    assert rows == [("ex_share", "12.3 %", "gdp_nominal"), ("ex_year", "2024", "gdp_nominal, claim wei-1")]
    assert keyfigures.parse_table("figure value\n") is None
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "source": "# T\n\nIntro. By {glue:text}`ex_year` the share was "
                "{glue:text}`ex_share` ({term}`GDP <Gross>`). {cite}`x2020` Next.",
            },
            {
                "cell_type": "code",
                "source": "",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {"scrapbook": {"name": "ex_share"}},
                        "data": {"application/papermill.record/text/plain": "'12.3 %'"},
                    },
                    {
                        "output_type": "display_data",
                        "metadata": {"scrapbook": {"name": "ex_year"}},
                        "data": {"application/papermill.record/text/plain": "2024"},
                    },
                ],
            },
        ]
    }
    said = keyfigures.sentences(nb, keyfigures.glued_values(nb))
    assert said["ex_share"] == "By 2024 the share was 12.3 % (GDP)."
    html = keyfigures.table_html(rows, said, "../")
    assert "ex_share" not in html and '<a href="../data/' in html and "By 2024" in html


def test_solutions_are_taken_out_with_the_text_around_them_kept():
    cells = [
        {"cell_type": "markdown", "source": "```{exercise}\n:label: a\nDo it.\n```\n\n```{solution-start} a\n```"},
        {"cell_type": "code", "source": "answer = 42", "outputs": []},
        {"cell_type": "markdown", "source": "The answer.\n```{solution-end}\n```\n\nNext section."},
        {"cell_type": "markdown", "source": "Intro.\n\n````{solution} b\n```python\nx\n```\nSecret.\n````\n\nAfter."},
    ]
    kept = editions.without_solutions(cells)
    text = "\n".join(c["source"] for c in kept)
    assert "Do it." in text and "Next section." in text and "Intro." in text and "After." in text
    assert "42" not in text and "The answer" not in text and "Secret" not in text and "solution" not in text


def test_slide_spec_fills_a_16_9_slide():
    spec = {"mark": "line", "width": 360, "height": 260}
    assert render.slide_spec(spec)["width"] == 800 and render.slide_spec(spec)["height"] == 450
    concat = {"hconcat": [spec, spec]}
    assert render.slide_spec(concat) is concat
