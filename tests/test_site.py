"""The built site in a real browser (Debian's Chromium driven by Playwright).

For every page, at desktop and phone width: no console error, no request to any host but
localhost (every other request is blocked, as if the network were unplugged), every chart drawn
with SVG marks, no serious or critical axe-core violation (desktop), and every glued figure present
in the page text. Screenshots go to _build/screenshots/. Runs on the book (_build/html, built by
`make test-build`) and on a small fixture book built here from tests/fixtures/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import sitecheck

pytestmark = pytest.mark.site
BOOK = sitecheck.REPO / "_build" / "html"
SHOTS = sitecheck.REPO / "_build" / "screenshots"
BOOK_PAGES = sitecheck.pages(BOOK) if BOOK.exists() else []


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = sitecheck.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def book_url():
    if not (BOOK / "intro.html").exists():
        pytest.fail("no built book at _build/html: run `make test-build` (or `make book`) first")
    with sitecheck.serve(BOOK) as url:
        yield url


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    site = sitecheck.build_fixture_book(tmp_path_factory.mktemp("fixture-book"))
    with sitecheck.serve(site) as url:
        yield site, url


def check_page(browser, url: str, page_name: str, notebook: Path | None, shot_prefix: str) -> dict:
    """Load one page at both widths; assert every site rule; return what was seen."""
    seen = {}
    for viewport in sitecheck.VIEWPORTS:
        with sitecheck.browser_page(browser, viewport) as page:
            response = page.goto(url + page_name, wait_until="load")
            assert response is not None and response.ok, f"{page_name}: HTTP {response and response.status}"
            charts = sitecheck.chart_report(page)
            page.wait_for_timeout(200)  # let late console messages arrive
            SHOTS.mkdir(parents=True, exist_ok=True)
            shot = SHOTS / f"{shot_prefix}{page_name.replace('/', '__').removesuffix('.html')}-{viewport}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert not page.problems["foreign"], f"{page_name} ({viewport}) requested other hosts: {page.problems['foreign']}"
            assert not page.problems["console"], f"{page_name} ({viewport}) console errors: {page.problems['console']}"
            broken = [c for c in charts if c["rendered"] != "true" or c["marks"] == 0]
            assert not broken, f"{page_name} ({viewport}): charts not drawn: {broken}"
            text = page.inner_text("main")
            if notebook is not None and notebook.exists():
                for name, value in sitecheck.glued_figures(notebook).items():
                    assert value in text, f"{page_name}: glued figure {name} = {value!r} not in the page text"
            if viewport == "desktop":
                violations = sitecheck.severe_violations(page)
                assert not violations, f"{page_name}: axe-core serious/critical violations:\n" + "\n".join(violations)
            seen[viewport] = {"charts": charts, "shot": shot}
    return seen


@pytest.mark.parametrize("page_name", BOOK_PAGES or ["intro.html"])
def test_book_page(browser, book_url, page_name):
    notebook = sitecheck.REPO / page_name.replace(".html", ".ipynb")
    check_page(browser, book_url, page_name, notebook, "")


def test_fixture_book(browser, fixture_site):
    """The fixture proves the toolchain end to end: a chart drawn offline, a widget note, a glued figure."""
    site, url = fixture_site
    fixtures = sorted((sitecheck.REPO / "tests" / "fixtures").glob("*.ipynb"))
    assert fixtures, "no fixture notebook under tests/fixtures/"
    for notebook in fixtures:
        seen = check_page(browser, url, f"{notebook.stem}.html", notebook, "fixture__")
        assert len(seen["desktop"]["charts"]) >= 1, "the fixture must contain at least one chart"
        html = (site / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert "dongbei-widget-note" in html, "the fixture's widget should be replaced by the live-explorer note"
        assert "embed-amd" not in html and "require.min.js" not in html, "no widget manager should be loaded"
