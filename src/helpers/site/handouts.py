"""Print every chapter of the built site to a PDF handout with headless Chromium (``make handouts``).

Each chapter page is opened in Debian's Chromium (through Playwright), its charts are drawn as SVG by the
self-hosted Vega bundle, and the page is printed with the book's print stylesheet (``@media print`` in
dongbei.css: no sidebars, buttons, code, widget notes or key-figures table; sources kept). Every network
request off localhost is blocked, as on the site tests.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from helpers.site import browser as check

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center"><span class="title"></span> · page '
    '<span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)


def chapter_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "chapters").glob("*.html"))


def print_handouts(site: Path, out: Path) -> list[Path]:
    """One A4 PDF per chapter page of ``site`` in ``out``; refuses a page whose charts or console fail."""
    if not (site / "intro.html").exists():
        raise SystemExit(f"no built site at {site}: run `make book` first")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with check.serve(site) as base, sync_playwright() as playwright:
        browser = check.launch(playwright)
        for name in chapter_pages(site):
            with check.browser_page(browser, "desktop") as page:
                page.goto(base + name, wait_until="load")
                failed = [c["label"] for c in check.chart_report(page) if c["rendered"] != "true"]
                if failed or page.problems["console"] or page.problems["foreign"]:
                    raise SystemExit(
                        f"{name}: cannot print: charts {failed}, console {page.problems['console']}, "
                        f"foreign requests {page.problems['foreign']}"
                    )
                page.emulate_media(media="print")
                target = out / (Path(name).stem + ".pdf")
                page.pdf(
                    path=str(target),
                    format="A4",
                    print_background=True,
                    outline=True,
                    tagged=True,
                    margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER,
                )
                written.append(target)
        browser.close()
    return written
