"""Sphinx extension: serve the Vega bundle from the site itself.

Loaded by ``_config.yml`` (``sphinx.extra_extensions``). It

* writes the Vega + Vega-Lite + Vega-Embed bundle shipped by the pinned ``vl-convert-python`` wheel to
  ``_static/vendor/`` (generated at build time, never committed);
* adds that bundle and ``dongbei-charts.js`` only to pages that contain a chart, so text pages stay
  light and the bundle (one versioned file) is cached across pages;
* adds the house stylesheet to every page and removes the unused thebe scripts;
* drops the theme's 1.5 MB FontAwesome script (the theme CSS already has the icon font);
* publishes ``data/*.csv`` and ``datapackage.json`` at ``<site>/data/``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
CHART_MARKER = 'class="dongbei-vega"'


def vegalite_version() -> str:
    """The Vega-Lite minor version Altair writes specs for, e.g. '5.20'."""
    import altair

    return ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def vega_bundle_name() -> str:
    import vl_convert

    return f"vendor/vega-bundle-vl{vegalite_version()}-{vl_convert.__version__}.js"


def _add_static_path(app, config):
    config.html_static_path.append(str(STATIC_DIR))


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
    if CHART_MARKER in context.get("body", ""):
        app.add_js_file(vega_bundle_name(), type="module", priority=600)
        app.add_js_file("dongbei-charts.js", type="module", priority=601)


def _publish_data(outdir: Path) -> None:
    """Copy the CSVs and datapackage.json to <site>/data/, where chart and appendix links point."""
    from helpers.data import DATA_DIR

    target = outdir / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in [*DATA_DIR.glob("*.csv"), DATA_DIR / "datapackage.json"]:
        shutil.copy2(path, target / path.name)


FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


def _drop_fontawesome_js(outdir: Path) -> None:
    """Remove the theme's 1.5 MB FontAwesome SVG-replacement script from every page.

    pydata-sphinx-theme's stylesheet already carries the FontAwesome webfont CSS, so the icons
    render without it; the script alone would make every page heavier than the 1.5 MB budget.
    """
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = FONTAWESOME_JS.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")


def _finish_site(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import vl_convert

    _publish_data(Path(app.outdir))
    _drop_fontawesome_js(Path(app.outdir))
    target = Path(app.outdir) / "_static" / vega_bundle_name()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(vl_convert.javascript_bundle(vl_version=vegalite_version()), encoding="utf-8")


def setup(app):
    app.connect("config-inited", _add_static_path)
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _finish_site)
    app.add_css_file("dongbei.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
