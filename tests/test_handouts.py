"""Handouts: every chapter printed to PDF by headless Chromium holds its title and key figures.

Runs on the built site (_build/html, from `make test-build`), like the other browser tests.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.site import browser as sitecheck
from helpers.site import handouts

pytestmark = pytest.mark.site
REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "_build" / "html"


SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def squash(text: str) -> str:
    """Spaces folded, ligatures the PDF text holds ("ﬁ") split (NFKC), and the typographic quotes the site
    prints (MyST smart quotes) made straight."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().translate(SMART_QUOTES)


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
        text = squash(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))
        assert squash(title_of(notebook)) in text, f"{pdf.name}: title missing"
        figures = sitecheck.glued_figures(notebook)
        missing = [f"{k}={v}" for k, v in figures.items() if squash(v) not in text]
        assert not missing, f"{pdf.name}: key figures missing from the PDF text: {missing[:10]}"
        assert "Key figures" in text and "Sources and data" in text
        for chrome in ("Show code cell source", "Search Ctrl", "Live explorer (runs in a notebook)"):
            assert chrome not in text, f"{pdf.name}: interface text {chrome!r} was printed"
