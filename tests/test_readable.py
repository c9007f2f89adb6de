"""The built pages read like an explainer: no developer reprs, no internal figure ids, every explorer a
'Run this explorer' line with launch links, every chart with its slide downloads, every page described.

Static checks on the built student site (_build/html, made by `make test-build`)."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.site import browser as sitecheck

pytestmark = pytest.mark.site
REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "_build" / "html"
REPRS = ("np.float64", "np.int64", "array(", "dtype", "<NA>", "Timestamp(")
NOTEBOOKS = sorted(p for d in ("chapters", "appendix", "teaching") for p in (REPO / d).glob("*.ipynb"))


def pages() -> list[Path]:
    if not (BOOK / "intro.html").exists():
        pytest.fail("no built book at _build/html: run `make test-build` (or `make book`) first")
    return sorted(
        p
        for p in BOOK.rglob("*.html")
        if "_static" not in p.parts
        and p.name not in {"search.html", "genindex.html"}
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:200]
    )  # a redirect


def reader_text(page: Path) -> str:
    """What a reader sees: the article, without the folded source code of the cells."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup.body
    for hidden in article.select("div.cell_input, script, style, svg, details.hide.above-input"):
        hidden.decompose()
    return " ".join(article.get_text(" ").split())


def figure_ids() -> set[str]:
    ids = set()
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                if name and "_" in name:
                    ids.add(name)
    return ids


def test_no_developer_reprs_or_figure_ids_on_any_page():
    ids = figure_ids()
    assert len(ids) > 100, "expected the book's glued figure ids"
    word = re.compile(r"\b(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")\b")
    problems = []
    for page in pages():
        text = reader_text(page)
        problems += [
            f"{page.relative_to(BOOK)}: {r!r} in “…{text[max(0, text.index(r) - 50) : text.index(r) + 40]}…”"
            for r in REPRS
            if r in text
        ]
        problems += [f"{page.relative_to(BOOK)}: figure id {m.group(0)!r}" for m in list(word.finditer(text))[:3]]
    assert not problems, "\n".join(problems[:30])


def test_key_figures_are_a_readers_table():
    for page in sorted(BOOK.glob("chapters/*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        tables = soup.select("table.dongbei-key-figures")
        assert len(tables) == 1, f"{page.name}: {len(tables)} Key figures tables"
        heads = [th.get_text(strip=True) for th in tables[0].select("thead th")]
        assert heads == ["Figure", "Where it appears", "Source (data)"], heads
        rows = tables[0].select("tbody tr")
        assert rows and tables[0].select("tbody a[href*='data']"), f"{page.name}: no linked source series"
        # The reader's table lists the figures the prose states, each with the sentence it is in.
        orphans = [
            r.select("td")[0].get_text(strip=True)
            for r in rows
            if r.select("td")[1].get_text(strip=True) in ("", "(not in the text)")
        ]
        assert not orphans, f"{page.name}: figures without the sentence that states them: {orphans[:10]}"
        stated = sitecheck.glued_figures(REPO / "chapters" / f"{page.stem}.ipynb")
        # (figures pasted only into a table, a heading or a list item's first line have no sentence to show)
        assert len(rows) >= 0.8 * len(stated), f"{page.name}: {len(rows)} rows for {len(stated)} figures in the prose"


def test_each_explorer_is_one_line_with_launch_links():
    seen = 0
    for page in pages():
        html = page.read_text(encoding="utf-8")
        assert "Live explorer (runs in a notebook)" not in html, page.name
        for note in BeautifulSoup(html, "html.parser").select(".dongbei-widget-note"):
            seen += 1
            assert note.name == "p" and note.get_text(" ", strip=True).startswith("Run this explorer"), note
            hrefs = [a["href"] for a in note.select("a")]
            assert any(h.startswith("https://mybinder.org/v2/gh/") and page.stem in h for h in hrefs), hrefs
            assert any(h.startswith("https://colab.research.google.com/github/") and page.stem in h for h in hrefs), (
                hrefs
            )
    assert seen, "no live explorer on any page"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_chart_has_its_slide_downloads():
    charts = 0
    for page in pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure.dongbei-vega"):
            charts += 1
            links = {a["href"].rsplit(".", 1)[-1]: a["href"] for a in figure.select(".dongbei-slide-links a")}
            assert set(links) == {"svg", "png"}, f"{page.name}: chart without both slide links: {links}"
            for kind, href in links.items():
                file = (page.parent / href).resolve()
                assert file.is_file() and BOOK.resolve() in file.parents, f"{page.name}: {href} missing"
                if kind == "png":
                    width, height = _png_size(file.read_bytes())
                    assert width >= 1600 and height >= 600, f"{href}: {width}x{height}, not slide size"
                else:
                    root = ET.fromstring(file.read_bytes())
                    assert root.tag.endswith("svg") and len(list(root.iter())) > 20, f"{href}: not a drawn SVG"
    assert charts >= 40, f"only {charts} charts on the site"


def test_every_page_has_a_description():
    for page in pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        meta = soup.select('meta[name="description"]')
        assert len(meta) == 1, f"{page.relative_to(BOOK)}: {len(meta)} meta descriptions"
        text = meta[0]["content"]
        assert 40 <= len(text) <= 160 and "{glue" not in text and "`" not in text, f"{page.relative_to(BOOK)}: {text!r}"
