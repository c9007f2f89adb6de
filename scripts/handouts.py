"""Print every chapter of the built site to a PDF handout with headless Chromium (`make handouts`).

Usage: python scripts/handouts.py [SITE_DIR] [OUT_DIR]   (defaults: _build/html, _build/handouts)

Each chapter page is opened in Debian's Chromium (through Playwright), its charts are drawn as SVG
by the self-hosted Vega bundle, and the page is printed with the book's print stylesheet
(``@media print`` in dongbei.css: no sidebars, buttons, code or widget notes; key figures and sources
kept). Every network request off localhost is blocked, as on the site tests.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import sitecheck  # noqa: E402  (shared server, browser and page helpers)


def chapter_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "chapters").glob("*.html"))


def print_handouts(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    if not (site / "intro.html").exists():
        raise SystemExit(f"no built site at {site}: run `make book` first")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sitecheck.serve(site) as base, sync_playwright() as playwright:
        browser = sitecheck.launch(playwright)
        for name in chapter_pages(site):
            with sitecheck.browser_page(browser, "desktop") as page:
                page.goto(base + name, wait_until="load")
                charts = sitecheck.chart_report(page)
                failed = [c["label"] for c in charts if c["rendered"] != "true"]
                if failed or page.problems["console"] or page.problems["foreign"]:
                    raise SystemExit(f"{name}: cannot print: charts {failed}, console {page.problems['console']}, "
                                     f"foreign requests {page.problems['foreign']}")
                page.emulate_media(media="print")
                target = out / (Path(name).stem + ".pdf")
                page.pdf(path=str(target), format="A4", print_background=True, outline=True, tagged=True,
                         margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                         display_header_footer=True, header_template="<span></span>",
                         footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                                         '<span class="title"></span> · page <span class="pageNumber"></span>'
                                         ' of <span class="totalPages"></span></div>')
                written.append(target)
        browser.close()
    return written


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else REPO / "_build" / "html"
    out = Path(argv[1]) if len(argv) > 1 else REPO / "_build" / "handouts"
    start = time.perf_counter()
    written = print_handouts(site, out)
    for path in written:
        print(f"  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {path.stat().st_size / 1024:,.0f} KB")
    print(f"==> [handouts] {len(written)} PDF(s) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
