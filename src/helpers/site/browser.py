"""Headless-browser checks shared by the site tests, ``make handouts`` and ``make bench``: a localhost
server, Debian's Chromium through Playwright, and checks of a loaded page (charts drawn, text cut off,
tables too wide, accessibility, what the prose pastes).
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import socketserver
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SEVERE = {"serious", "critical"}
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([A-Za-z0-9_]+)(?::[^`]*)?`")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".xml", ".inv", ".map"}


class _StaticHostHandler(_QuietHandler):
    """What a static host (GitHub Pages, Netlify, nginx) does: gzip text files, send cache headers.

    Files under ``_static/`` are served with a one-day ``max-age`` (their URLs carry a version or
    digest); pages with ``no-cache`` plus an ETag. Used by ``make bench`` so that Lighthouse measures
    the bytes a reader actually transfers.
    """

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        encoded = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if encoded:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(os.path.getmtime(path), usegmt=True))
        static = "/_static/" in self.path
        self.send_header("Cache-Control", "public, max-age=86400" if static else "no-cache")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(directory: Path, static_host: bool = False):
    """Serve ``directory`` on a free localhost port; yields the base URL.

    With ``static_host`` the server compresses and caches as a static host does (``make bench``).
    """
    handler = functools.partial(_StaticHostHandler if static_host else _QuietHandler, directory=str(directory))
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def pages(site: Path) -> list[str]:
    """Every HTML page of a built site, relative to its root (the index redirect excluded)."""
    return sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "index.html" and "_static" not in p.parts
    )


def glued_figures(notebook: Path, solutions: bool = False) -> dict[str, str]:
    """{name: text} of every figure a notebook's prose pastes with {glue:text}, from its stored outputs;
    figures pasted only in exercise solutions count only with ``solutions=True`` (the student site has none)."""
    from helpers.site.editions import without_solutions

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    used = set()
    stored = {}
    for cell in nb["cells"] if solutions else without_solutions(nb["cells"]):
        if cell["cell_type"] == "markdown":
            used.update(GLUE_ROLE.findall("".join(cell["source"])))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                data = out.get("data", {})
                text = data.get("text/plain") or data.get("application/papermill.record/text/plain", "")
                stored[name] = "".join(text).strip().strip("'\"")
    missing = used - stored.keys()
    if missing:
        raise AssertionError(f"{notebook}: prose pastes figures that no cell glues: {sorted(missing)}")
    return {name: stored[name] for name in sorted(used)}


VEGALITE_OUTPUT = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")
HIDDEN_OUTPUT_TAGS = {"remove-output", "remove-cell"}


def stored_charts(notebook: Path) -> int:
    """How many Vega-Lite charts a notebook's stored outputs hold outside exercise solutions (each must be
    drawn on its student page)."""
    from helpers.site.editions import without_solutions

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return sum(
        1
        for cell in without_solutions(nb["cells"])
        if not HIDDEN_OUTPUT_TAGS & set(cell.get("metadata", {}).get("tags", []))
        for out in cell.get("outputs", [])
        if any(VEGALITE_OUTPUT.match(k) for k in out.get("data", {}))
    )


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@contextmanager
def browser_page(browser, viewport: str):
    """A fresh context and page that records console errors and failed (4xx/5xx) responses, and blocks
    every non-local request."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], service_workers="block")
    page = context.new_page()
    page.problems = {"console": [], "foreign": [], "http": []}

    def on_route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            page.problems["foreign"].append(route.request.url)
            route.abort()

    context.route("**/*", on_route)
    page.on("console", lambda msg: msg.type == "error" and page.problems["console"].append(msg.text))
    page.on("pageerror", lambda err: page.problems["console"].append(f"uncaught: {err}"))
    page.on("response", lambda r: r.status >= 400 and page.problems["http"].append(f"{r.status} {r.url}"))
    try:
        yield page
    finally:
        context.close()


def chart_report(page) -> list[dict]:
    """For every chart on the page: whether it rendered and how many SVG mark elements it drew."""
    page.wait_for_function(
        "[...document.querySelectorAll('figure.dongbei-vega')].every(f => f.dataset.rendered)", timeout=20_000
    )
    return page.evaluate("""() => [...document.querySelectorAll('figure.dongbei-vega')].map(f => ({
        label: f.getAttribute('aria-label'),
        rendered: f.dataset.rendered,
        marks: f.querySelectorAll('svg g[class*="mark-"] > path, svg g[class*="mark-"] > text,'
                                  + ' svg g[class*="mark-"] > line, svg g[class*="mark-"] > rect').length,
    }))""")


def chart_text_outside(page) -> list[str]:
    """Chart texts (titles, labels, legends) drawn past their figure's left or right edge, i.e. cut off."""
    return page.evaluate("""() => [...document.querySelectorAll('figure.dongbei-vega')].flatMap(figure => {
        const outer = figure.getBoundingClientRect();
        return [...figure.querySelectorAll('svg text')].filter(text => {
            const svg = text.ownerSVGElement.getBoundingClientRect();
            const left = Math.max(outer.left, svg.left), right = Math.min(outer.right, svg.right);
            const r = text.getBoundingClientRect();
            return r.width > 0 && (r.right > right + 1 || r.left < left - 1);
        }).map(text => `${figure.getAttribute('aria-label').slice(0, 40)}...: "${text.textContent}"`);
    })""")


def tables_too_wide(page, scroll_box_ok: bool) -> list[str]:
    """Tables in the page's main text that stick out past the window's right edge.

    With ``scroll_box_ok`` a table may be wider if it sits in a box that scrolls sideways and that box
    fits the window (desktop); without, every table must fit the window (phone: tables become cards).
    """
    return page.evaluate(
        """(scrollBoxOk) => [...document.querySelectorAll('main table')].filter(table => {
        let box = table;
        if (scrollBoxOk) {
            for (let el = table.parentElement; el && el.tagName !== 'MAIN'; el = el.parentElement) {
                if (['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) { box = el; break; }
            }
        }
        return box.getBoundingClientRect().right > window.innerWidth + 1;
    }).map(t => (t.caption ? t.caption.textContent : t.rows[0].textContent).trim().slice(0, 60))""",
        scroll_box_ok,
    )


def severe_violations(page) -> list[str]:
    results = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - e.g. {v['nodes'][0]['target']}"
        for v in results
        if v.get("impact") in SEVERE
    ]
