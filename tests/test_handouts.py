"""Handouts: every chapter printed to PDF by headless Chromium holds its title and every figure its prose states.

Runs on the built site (_build/html, from `make test-build`), like the other browser tests.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.site import browser as sitecheck
from helpers.site import handouts, keyfigures

pytestmark = pytest.mark.site
REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "_build" / "html"


FOOTER = re.compile(r"\n[^\n]*· page \d+ of \d+\s*$")
SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def squash(text: str) -> str:
    """Spaces folded, ligatures the PDF text holds ("ﬁ") split (NFKC), and the typographic quotes the site
    prints (MyST smart quotes) made straight."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().translate(SMART_QUOTES)
    return text.replace("– ", "–")  # a line broken after an en dash ("1979– 2002")


def pdf_text(pdf: Path, mode: str) -> str:
    """The PDF's text, squashed, without the running footer ("<title> — <book> · page N of M"), which would
    split a figure that crosses a page break. pypdf's "plain" mode can place a table inside the paragraph
    around it and its "layout" mode can split a word, so a figure counts as printed if either mode has it."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # layout mode warns of the charts' rotated axis titles
    pages = [page.extract_text(extraction_mode=mode) or "" for page in PdfReader(pdf).pages]
    return squash(" ".join(FOOTER.sub("", page) for page in pages))


def title_of(notebook: Path) -> str:
    """The chapter's title: the first level-1 heading in a markdown cell (cell 0 is the Colab set-up cell)."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    raise AssertionError(f"{notebook.name}: no level-1 heading in any markdown cell")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not (BOOK / "intro.html").exists():
        pytest.fail("no built book at _build/html: run `make test-build` (or `make book`) first")
    return handouts.print_handouts(BOOK, tmp_path_factory.mktemp("handouts"))


def test_every_chapter_is_printed(printed):
    chapters = sorted(p.stem for p in (REPO / "chapters").glob("*.ipynb"))
    assert sorted(p.stem for p in printed) == chapters


def test_each_handout_has_its_title_key_figures_and_no_interface(printed):
    for pdf in printed:
        notebook = REPO / "chapters" / f"{pdf.stem}.ipynb"
        text, layout = (pdf_text(pdf, mode) for mode in ("plain", "layout"))
        assert squash(title_of(notebook)) in text, f"{pdf.name}: title missing"
        figures = sitecheck.glued_figures(notebook)
        missing = [f"{k}={v}" for k, v in figures.items() if squash(v) not in text and squash(v) not in layout]
        assert not missing, f"{pdf.name}: key figures missing from the PDF text: {missing[:10]}"
        assert "Key figures" in text and "Sources and data" in text
        assert squash(keyfigures.PRINT_NOTE) in text, f"{pdf.name}: the line saying the key-figures table is left out"
        assert "Where it appears" not in text, f"{pdf.name}: the key-figures table was printed"
        for chrome in ("Show code cell source", "Search Ctrl", "Live explorer (runs in a notebook)"):
            assert chrome not in text, f"{pdf.name}: interface text {chrome!r} was printed"
