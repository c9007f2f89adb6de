"""Sphinx extension: serve the Vega bundle from the site itself.

Loaded by ``_config.yml`` (``sphinx.extra_extensions``). It

* writes the Vega bundle shipped by the pinned ``vl-convert-python`` wheel to ``_static/vendor/``
  (generated at build time, never committed). Charts arrive drawn as SVG and compiled to Vega at build
  time (``helpers.render``), so the browser runs Vega only (the bundle's Vega-Lite compiler is never
  called), and ``dongbei-charts.js`` loads the bundle only when a chart with parameters comes into
  view or is touched;
* adds ``dongbei-charts.js`` (tooltips, live charts; 3 kB) only to pages that contain a chart;
* adds the house stylesheet and the book's icon (``static/favicon.svg``) to every page and removes the
  unused thebe scripts;
* drops the theme's 1.5 MB FontAwesome script (the theme CSS already has the icon font);
* labels every body cell of a table of three or more columns with its column heading
  (``data-label``), so that on a phone ``dongbei.css`` can show each row as a card instead of a table
  wider than the screen;
* publishes ``data/*.csv`` and ``datapackage.json`` at ``<site>/data/``;
* adds the ``{claim}`` role: ``{claim}`wang-045``` links to that row of the sources audit and fails
  the build (a warning, an error under ``-W``) if the id is not in ``data/claims.csv``;
* adds the audit table's filter script to the page that carries the claims table;
* refuses to publish a traceback: a book notebook stored with an error output fails every build
  (``make book`` too, not only ``-W``), naming the notebook and cell, unless the cell is tagged
  ``raises-exception`` (an error shown on purpose);
* builds the instructor edition when ``DONGBEI_INSTRUCTOR=1`` (``make book-instructor``): exercise
  solutions are shown open instead of in a closed dropdown, and every page says which edition it is.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
CHART_MARKER = 'class="dongbei-vega"'
CLAIMS_MARKER = 'class="dongbei-claims"'
CLAIMS_PAGE = "appendix/claims"
INSTRUCTOR_BANNER = ('<div class="dongbei-instructor admonition note"><p class="admonition-title">Instructor '
                     'edition</p><p>Exercise solutions are shown open. The student site hides them.</p></div>')


def instructor() -> bool:
    """True when building the instructor edition (environment variable ``DONGBEI_INSTRUCTOR=1``)."""
    return os.environ.get("DONGBEI_INSTRUCTOR", "") == "1"


def _open_solutions(app, doctree, docname):
    """Instructor edition: drop the 'dropdown' class from exercise solutions so they render open."""
    if not instructor():
        return
    for node in doctree.traverse():
        classes = node.get("classes") if hasattr(node, "get") else None
        if classes and "solution" in classes and "dropdown" in classes:
            classes.remove("dropdown")


def vegalite_version() -> str:
    """The Vega-Lite minor version Altair writes specs for, e.g. '5.20'."""
    import altair

    return ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def vega_bundle_name() -> str:
    import vl_convert

    return f"vendor/vega-bundle-vl{vegalite_version()}-{vl_convert.__version__}.js"


def _add_static_path(app, config):
    config.html_static_path.append(str(STATIC_DIR))
    # The book's own icon (static/favicon.svg, drawn for it): every page links it, so browsers do not
    # ask for a /favicon.ico that does not exist (a 404 in the console of a real host).
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / "favicon.svg")


def _is_thebe(script) -> bool:
    filename = getattr(script, "filename", None) or str(script)
    body = getattr(script, "attributes", {}).get("body", "")
    return "thebe" in filename or "THEBE_JS_URL" in body


def _page_assets(app, pagename, templatename, context, doctree):
    # Live code on the page (thebe) is off in this book; sphinx-thebe still injects its config twice
    # (a console error) and a CDN URL. Drop both; the launch buttons are the way to run a notebook.
    # (Mutate in place: the list is the builder's, which add_js_file below appends to.)
    scripts = context.get("script_files", [])
    scripts[:] = [s for s in scripts if not _is_thebe(s)]
    context["css_files"][:] = [c for c in context.get("css_files", []) if "thebe" not in str(c)]
    # docutils marks the bibliography up as role="list" without listitem children, which axe-core
    # reports as a critical ARIA error; a plain div is what it is.
    if "body" in context:
        context["body"] = context["body"].replace('<div role="list" class="citation-list">',
                                                  '<div class="citation-list">')
    if instructor() and "body" in context:
        context["body"] = INSTRUCTOR_BANNER + context["body"]
    if CLAIMS_MARKER in context.get("body", ""):
        app.add_js_file("dongbei-claims.js", type="module", priority=602)
    if CHART_MARKER in context.get("body", ""):
        # The Vega runtime is not on the page: dongbei-charts.js imports it when a live chart needs it.
        app.add_js_file("dongbei-charts.js", type="module", priority=601,
                        **{"data-runtime": vega_bundle_name()})


def _publish_data(outdir: Path) -> None:
    """Copy the CSVs and datapackage.json to <site>/data/, where chart and appendix links point."""
    from helpers.data import DATA_DIR

    target = outdir / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in [*DATA_DIR.glob("*.csv"), DATA_DIR / "datapackage.json"]:
        shutil.copy2(path, target / path.name)


FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
# pydata-sphinx-theme loads Sphinx's search scripts and the whole search index on every page, for an
# inline search-as-you-type box that this book does not enable (the search form submits to search.html,
# which loads them itself).
SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
                            r'searchindex\.js)"></script>')


TABLE = re.compile(r"<table\b.*?</table>", re.S)
STACK_CLASS = "dongbei-stack"
MIN_STACKED_COLUMNS = 3


def _label_table(html: str) -> str:
    """One ``<table>``: give each body cell its column heading as ``data-label`` and mark the table.

    Tables without a heading row, with fewer than three columns, or whose rows do not all have one
    cell per heading (spans) are returned unchanged.
    """
    from bs4 import BeautifulSoup

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


# ---- lighter pages (issue 23: fast on a phone) -------------------------------------------------
HEAD_SCRIPT = re.compile(r'\s*<script\b(?![^>]*data-cfasync)[^>]*>.*?</script>', re.S)
SCRIPT_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*" />')
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
HIDDEN_CODE = re.compile(r'(<details class="admonition hide above-input">.*?<div class="highlight"><pre>)(.*?)(</pre>)',
                         re.S)
TAG = re.compile(r"<[^>]+>")


def _scripts_after_content(page: str) -> str:
    """Move the theme's and extensions' scripts from <head> to the end of <body>, in their order.

    In <head> each one blocks the first paint (19 files on a chapter); at the end of the body they run
    in the same order, before the deferred theme scripts and before DOMContentLoaded, so every feature
    works as before. The theme's colour-mode script (data-cfasync) stays in <head>, so the page never
    flashes in the wrong mode. The ipywidgets state (the site loads no widget manager) is dropped.
    """
    head, sep, rest = page.partition("</head>")
    if not sep or "</body>" not in rest:
        return page
    moved = [m.group(0) for m in HEAD_SCRIPT.finditer(head) if WIDGET_STATE not in m.group(0)]
    head = SCRIPT_PRELOAD.sub("", HEAD_SCRIPT.sub("", head))
    body, _, tail = rest.rpartition("</body>")
    return head + sep + body + "".join(moved) + "\n</body>" + tail


def _plain_hidden_code(page: str) -> str:
    """Code cells folded away (hide-input) keep their code, without the syntax-colouring spans.

    Pygments wraps every token in a <span>: about 3,800 elements on a chapter page, for code that
    most readers never unfold. Unfolded, it reads (and copies) the same, in one colour.
    """
    def plain(match):
        import html as html_lib

        return match.group(1) + html_lib.escape(html_lib.unescape(TAG.sub("", match.group(2))), quote=False) + match.group(3)

    return HIDDEN_CODE.sub(plain, page)


FA_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:+before,?)+)\{content:"[^"]*"\}')
FA_NAME = re.compile(r"fa-[a-z0-9-]+")
CSS_CODEPOINT = re.compile(r'\\([0-9a-fA-F]{4,5})')
FA_FONTS = ("fa-solid-900", "fa-brands-400", "fa-regular-400")


def _trim_icons(outdir: Path) -> None:
    """Keep only the FontAwesome icons the site uses, in the theme's stylesheet and its fonts.

    The theme ships all 2,000 icons: about 140 kB of CSS rules and 280 kB of fonts on every first
    visit, for the dozen icons in the header and buttons. Used icons are the ``fa-*`` names in the
    built pages and scripts; their glyphs, and any other glyph the stylesheets name (``content:``),
    stay. Computed from the theme's own files each build, so an icon added later is kept.
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    source = theme / "styles" / "pydata-sphinx-theme.css"
    built = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not source.exists() or not built.exists():
        return
    used: set[str] = set()
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        if "vendor" not in path.parts:
            used.update(FA_NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))

    def keep(match):
        names = FA_NAME.findall(match.group(1))
        return match.group(0) if used.intersection(names) else ""

    css = FA_RULE.sub(keep, source.read_text(encoding="utf-8"))
    built.write_text(css, encoding="utf-8")
    codepoints = set()
    for sheet in (outdir / "_static").rglob("*.css"):
        codepoints.update(int(c, 16) for c in CSS_CODEPOINT.findall(sheet.read_text(encoding="utf-8", errors="ignore")))
    codepoints = {c for c in codepoints if c >= 0xE000}  # private-use icons (escapes of ASCII stay)
    try:
        from fontTools import subset
    except ImportError:  # fonttools missing: keep the full fonts
        return
    for name in FA_FONTS:
        font_in = theme / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        font_out = outdir / "_static" / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        if not font_in.exists() or not font_out.parent.exists():
            continue
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(str(font_in), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        subset.save_font(font, str(font_out), options)


# ---- unused CSS --------------------------------------------------------------------------------
PURGE_MARK = "/* unused rules removed by helpers.sphinx_ext */\n"
PURGED_SHEETS = ("styles/pydata-sphinx-theme.css", "sphinx-design.min.css", "mystnb.*.css")
# Classes that scripts compose at run time (Bootstrap's "bs-tooltip-" + placement, state classes):
# rules naming them always stay.
KEEP_PREFIXES = ("bs-", "tooltip", "popover", "show", "fade", "collaps", "modal", "offcanvas", "dropdown",
                 "active", "disabled", "focus", "hover", "was-", "is-", "pst-", "search", "theme", "sidebar")
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CSS_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any)\((?:[^()]|\([^()]*\))*\)")
WORD = re.compile(r"[_a-zA-Z][\w-]*")


def _split_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet; body without its braces. Comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i, n = [], 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            break
        if 0 <= semi < brace and css[i:semi].lstrip().startswith("@"):  # @charset, @import, @layer a;
            out.append((css[i:semi + 1].strip(), None))
            i = semi + 1
            continue
        depth, j, quote = 1, brace + 1, None
        while j < n and depth:
            c = css[j]
            if quote:
                if c == "\\":
                    j += 1
                elif c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            j += 1
        out.append((css[i:brace].strip(), css[brace + 1:j - 1]))
        i = j
    return out


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, c in enumerate(prelude):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(prelude[start:k])
            start = k + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _purge(css: str, used: set[str]) -> str:
    """Drop the style rules whose every selector names a class that no page or script uses."""
    def needed(selector: str) -> bool:
        bare = CSS_FUNCTIONAL.sub("", re.sub(r"\[[^\]]*\]", "", selector))
        return all(c in used or c.startswith(KEEP_PREFIXES) for c in CSS_CLASS.findall(bare))

    kept = []
    for prelude, body in _split_rules(css):
        if body is None:
            kept.append(prelude)
        elif prelude.startswith("@"):
            if re.match(r"@(media|supports|layer|container)\b", prelude):
                inner = _purge(body, used)
                if inner.strip():
                    kept.append(f"{prelude}{{{inner}}}")
            else:  # @font-face, @keyframes, @page, @property: kept whole
                kept.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in _split_selectors(prelude) if needed(s)]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(kept)


def _purge_stylesheets(outdir: Path) -> None:
    """Remove the theme's and extensions' CSS rules for classes the site never uses.

    The theme's stylesheet bundles all of Bootstrap; on a phone, parsing it and matching its rules
    against every element is most of the main-thread work before the first paint. A rule stays if
    any of its selectors names only classes found in a built page or script (or composed at run time,
    ``KEEP_PREFIXES``); element, id and attribute selectors always stay. Runs on the fresh copies of
    each build (``scripts/build.py`` empties the output folder); a sheet already purged is left alone.
    """
    static = outdir / "_static"
    used: set[str] = set()
    for path in [*outdir.rglob("*.html"), *static.rglob("*.js")]:
        if "vendor" not in path.parts:
            used.update(WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    for pattern in PURGED_SHEETS:
        for sheet in static.glob(pattern):
            css = sheet.read_text(encoding="utf-8")
            if css.startswith(PURGE_MARK):
                continue
            sheet.write_text(PURGE_MARK + _purge(css, used), encoding="utf-8")


def _rewrite_pages(outdir: Path) -> None:
    """Rewrite every page once the build is done.

    - remove the theme's 1.5 MB FontAwesome SVG-replacement script, from every page: the theme's
      stylesheet already carries the FontAwesome webfont CSS, so the icons render without it;
    - remove the search index and search scripts, from every page except ``search.html``: the index
      grows with every chapter (over 130 kB) and is needed only by the search results page;
    - label table cells with their column headings (``_label_table``) for the phone layout;
    - move scripts out of <head> (``_scripts_after_content``) and drop the syntax-colouring spans of
      folded code (``_plain_hidden_code``): first paint on a phone no longer waits for them.
    """
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = FONTAWESOME_JS.sub("", text)
        if page.name != "search.html":
            lighter = SEARCH_SCRIPTS.sub("", lighter)
        lighter = TABLE.sub(lambda match: _label_table(match.group(0)), lighter)
        lighter = _plain_hidden_code(_scripts_after_content(lighter))
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")


def _finish_site(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import vl_convert

    _publish_data(Path(app.outdir))
    _rewrite_pages(Path(app.outdir))
    _trim_icons(Path(app.outdir))
    _purge_stylesheets(Path(app.outdir))
    # Sphinx 7.4 does not re-copy a static file that changed since the last build into an existing
    # _build/html/_static, so an edited house stylesheet or script would not show until `make clean`.
    for asset in STATIC_DIR.iterdir():
        shutil.copy2(asset, Path(app.outdir) / "_static" / asset.name)
    target = Path(app.outdir) / "_static" / vega_bundle_name()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # (A Vega-only bundle would be 577 kB instead of 895 kB, but vl-convert 1.9's bundler binds a
        # snippet's `vega` to a null default import, so the page takes Vega from vegaEmbed.vega.)
        target.write_text(vl_convert.javascript_bundle(vl_version=vegalite_version()), encoding="utf-8")


RAISES_TAG = "raises-exception"


def stored_errors(path: Path) -> list[str]:
    """'cell N: Name: message' for every stored error output of a notebook, outside cells tagged
    ``raises-exception`` (N counts every cell from 1, as a notebook editor shows them)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    found = []
    for number, cell in enumerate(nb.cells, 1):
        if RAISES_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {number}: {out.get('ename', 'Error')}: {str(out.get('evalue', ''))[:200]}")
    return found


def _refuse_tracebacks(app, env, docnames):
    """Before reading: fail the build if any notebook of the book holds a stored error output.

    Every notebook in the book is checked on every build (not only the ones re-read), so an
    incremental build cannot hide one."""
    from sphinx.errors import ExtensionError

    problems = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix == ".ipynb":
            problems += [f"{path.relative_to(app.srcdir)}, {error}" for error in stored_errors(path)]
    if problems:
        raise ExtensionError(
            "notebooks stored with error outputs (a traceback would be published):\n  "
            + "\n  ".join(problems)
            + f"\nRe-run them (make execute) and fix the error, or tag a cell that fails on purpose "
              f"'{RAISES_TAG}'.")


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{claim}`wang-045``` → a link to the claim's row in the sources audit."""
    from docutils import nodes

    from helpers.audit import claim_ids
    from helpers.data import DATA_DIR

    claim_id = text.strip()
    messages = []
    if claim_id not in claim_ids(str(DATA_DIR / "claims.csv")):
        messages.append(inliner.reporter.warning(
            f"unknown claim id {claim_id!r}: not in data/claims.csv", line=lineno))
    env = inliner.document.settings.env
    depth = env.docname.count("/")
    uri = "../" * depth + f"{CLAIMS_PAGE}.html#claim-{claim_id}"
    node = nodes.reference(rawtext, claim_id, refuri=uri, classes=["dongbei-claim"],
                           reftitle=f"Claim {claim_id} in the sources audit")
    return [node], messages


def setup(app):
    from docutils.parsers.rst import roles

    roles.register_local_role("claim", claim_role)
    app.connect("config-inited", _add_static_path)
    app.connect("env-before-read-docs", _refuse_tracebacks)
    app.connect("doctree-resolved", _open_solutions)
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _finish_site)
    app.add_css_file("dongbei.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
