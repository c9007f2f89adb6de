"""Page clean-up: lighter, more accessible pages.

On the document tree, before a page is written (Sphinx events and node visitors):

- every table of three or more columns (Markdown tables, and the HTML tables that notebook outputs carry)
  labels each body cell with its column heading (``data-label``), so that on a phone ``dongbei.css`` shows
  each row as a card instead of a table wider than the screen;
- code folded away (``hide-input``) is not syntax-coloured: Pygments wraps every token in a ``<span>``
  (about 3,800 elements on a chapter page) for code most readers never unfold; unfolded, it reads and
  copies the same, in one colour;
- the bibliography is a plain ``<div>``: docutils marks it up as ``role="list"`` without listitem
  children, which axe-core reports as a critical ARIA error;
- the unused thebe scripts and styles (live code is off in this book; sphinx-thebe still injects its
  config twice, a console error, and a CDN URL) and, outside ``search.html``, Sphinx's search scripts
  are left out of the page's script list.

On the written pages (``finish_pages``), for what the theme's templates write outside any Sphinx list or
node, so there is nothing earlier to change: the 1.5 MB FontAwesome SVG-replacement script (the theme's
stylesheet already carries the icon font), the search index script (130 kB and growing, needed only by
``search.html``), and the scripts in ``<head>``, moved to the end of ``<body>`` so the first paint on a
phone does not wait for them.

Notebook HTML outputs (pandas and ``helpers.tables``) reach Sphinx as raw HTML, so their tables are
labelled by parsing that HTML (BeautifulSoup), still on the document tree.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from docutils import nodes

STACK_CLASS = "dongbei-stack"
MIN_STACKED_COLUMNS = 3
TABLE = re.compile(r"<table\b.*?</table>", re.S)
HIDDEN_MODES = {"all", "input", "input+output"}


# ---- tables ----------------------------------------------------------------------------------------
def _label_table(html: str) -> str:
    """One HTML ``<table>``: give each body cell its column heading as ``data-label`` and mark the table.

    Tables without a heading row, with fewer than three columns, or whose rows do not all have one cell
    per heading (spans) are returned unchanged.
    """
    soup = BeautifulSoup(html, "html.parser")
    table = soup.table
    head = table.find("thead")
    if head is None or table.tbody is None or STACK_CLASS in table.get("class", []):
        return html
    labels = [cell.get_text(" ", strip=True) for cell in head.find_all("tr")[-1].find_all(["th", "td"])]
    rows = table.tbody.find_all("tr", recursive=False)
    cells = [row.find_all(["th", "td"], recursive=False) for row in rows]
    if len(labels) < MIN_STACKED_COLUMNS or any(len(row) != len(labels) for row in cells):
        return html
    for row in cells:
        for label, cell in zip(labels, row):
            cell["data-label"] = label
    table["class"] = [*table.get("class", []), STACK_CLASS]
    return str(soup)


def _label_docutils_table(table: nodes.table) -> None:
    """A Markdown table: the same labels as ``_label_table``, stored on the entry nodes (``visit_entry``
    writes them)."""
    groups = list(table.findall(nodes.tgroup))
    if len(groups) != 1 or STACK_CLASS in table["classes"]:
        return
    head = [c for c in groups[0].children if isinstance(c, nodes.thead)]
    body = [c for c in groups[0].children if isinstance(c, nodes.tbody)]
    if not head or not body:
        return
    labels = [" ".join(entry.astext().split()) for entry in head[0].children[-1].children]
    rows = [row.children for row in body[0].children]
    spans = any("morerows" in entry or "morecols" in entry for row in rows for entry in row)
    if len(labels) < MIN_STACKED_COLUMNS or spans or any(len(row) != len(labels) for row in rows):
        return
    for row in rows:
        for label, entry in zip(labels, row):
            entry["data-label"] = label
    table["classes"].append(STACK_CLASS)


def label_tables(app, doctree, docname) -> None:
    """``doctree-resolved``: label the cells of every wide table on the page."""
    for table in doctree.findall(nodes.table):
        _label_docutils_table(table)
    for raw in doctree.findall(nodes.raw):
        if "html" in raw.get("format", "").split() and "<table" in raw.astext():
            raw.children = [nodes.Text(TABLE.sub(lambda m: _label_table(m.group(0)), raw.astext()))]


def visit_entry(self, node) -> None:
    """A table cell, written by the translator as always, plus its ``data-label`` (the tag just written
    ends with ``>``: docutils' ``starttag`` takes no free attributes from a node)."""
    type(self).visit_entry(self, node)
    if "data-label" in node:
        label = self.attval(node["data-label"])
        self.body[-1] = self.body[-1][:-1] + f' data-label="{label}">'


def depart_entry(self, node) -> None:
    type(self).depart_entry(self, node)


# ---- folded code -----------------------------------------------------------------------------------
def plain_hidden_code(app, doctree, docname) -> None:
    """``doctree-resolved``: the source of a cell whose input is folded away is written without colouring."""
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") == "cell_code" and cell.get("hide_mode") in HIDDEN_MODES:
            for block in cell.findall(nodes.literal_block):
                if block.parent.get("nb_element") == "cell_code_source":
                    block["language"] = "none"


# ---- bibliography ----------------------------------------------------------------------------------
def visit_citation(self, node) -> None:
    """A citation as docutils writes it, without ``role="list"`` on the list that opens before the first."""
    type(self).visit_citation(self, node)
    for i in range(len(self.body) - 2, len(self.body)):
        self.body[i] = self.body[i].replace('<div role="list" class="citation-list">', '<div class="citation-list">')


def depart_citation(self, node) -> None:
    type(self).depart_citation(self, node)


# ---- the page's script list ------------------------------------------------------------------------
SEARCH_FILES = ("_static/searchtools.js", "_static/language_data.js")


def _filename(asset) -> str:
    return getattr(asset, "filename", None) or str(asset)


def _is_thebe(script) -> bool:
    return "thebe" in _filename(script) or "THEBE_JS_URL" in getattr(script, "attributes", {}).get("body", "")


def trim_page_assets(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: drop thebe (scripts and styles) everywhere and the search scripts outside
    ``search.html`` (mutating the lists in place: they are the builder's, which ``add_js_file`` appends to)."""
    scripts = context.get("script_files", [])
    scripts[:] = [s for s in scripts if not _is_thebe(s)]
    if pagename != "search":
        scripts[:] = [s for s in scripts if not _filename(s).endswith(SEARCH_FILES)]
    css = context.get("css_files", [])
    css[:] = [c for c in css if "thebe" not in str(c)]


# ---- written pages (theme template output) ---------------------------------------------------------
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
SEARCH_INDEX = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
    r'searchindex\.js)"></script>'
)
HEAD_SCRIPT = re.compile(r"\s*<script\b(?![^>]*data-cfasync)[^>]*>.*?</script>", re.S)
SCRIPT_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*" />')
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _scripts_after_content(page: str) -> str:
    """Move the theme's and extensions' scripts from <head> to the end of <body>, in their order.

    In <head> each one blocks the first paint (19 files on a chapter); at the end of the body they run in
    the same order, before the deferred theme scripts and before DOMContentLoaded, so every feature works
    as before. The theme's colour-mode script (data-cfasync) stays in <head>, so the page never flashes in
    the wrong mode. The ipywidgets state (the site loads no widget manager) is dropped.
    """
    head, sep, rest = page.partition("</head>")
    if not sep or "</body>" not in rest:
        return page
    moved = [m.group(0) for m in HEAD_SCRIPT.finditer(head) if WIDGET_STATE not in m.group(0)]
    head = SCRIPT_PRELOAD.sub("", HEAD_SCRIPT.sub("", head))
    body, _, tail = rest.rpartition("</body>")
    return head + sep + body + "".join(moved) + "\n</body>" + tail


def finish_pages(outdir: Path) -> None:
    """Rewrite every written page once: what the theme's templates write (see the module's docstring)."""
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = FONTAWESOME_JS.sub("", text)
        if page.name != "search.html":
            lighter = SEARCH_INDEX.sub("", lighter)
        lighter = _scripts_after_content(lighter)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
