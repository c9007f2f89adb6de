"""The book's Sphinx extension (``_config.yml``: ``sphinx.extra_extensions: helpers.site``), one module per job:

- ``assets``: offline assets (house files, favicon, the self-hosted Vega bundle, trimmed icon fonts);
- ``css``: unused CSS rules removed from the theme's and extensions' stylesheets;
- ``claims``: the ``{claim}`` role and the sources audit's filter script;
- ``editions``: the student site without solutions; the instructor edition (solutions open, a banner);
- ``keyfigures``: the printed Key figures table as a reader's table (value, sentence, linked source);
- ``meta``: a description for every page (front matter, else its first paragraph);
- ``publish``: the data package published at ``<site>/data/``;
- ``cleanup``: lighter, more accessible pages (tables as cards on phones, plain folded code, scripts);
- ``guard``: no notebook stored with a traceback is published.

``helpers.site.browser`` (not part of the extension) holds the headless-browser checks that the site tests,
``make handouts`` and ``make bench`` share.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import roles

from helpers import render
from helpers.site import assets, claims, cleanup, css, editions, guard, keyfigures, meta, publish
from helpers.site.assets import STATIC_DIR, vega_bundle_name, vegalite_version
from helpers.site.cleanup import STACK_CLASS, _label_table
from helpers.site.editions import instructor
from helpers.site.guard import stored_errors

__all__ = [
    "STACK_CLASS",
    "STATIC_DIR",
    "_label_table",
    "instructor",
    "setup",
    "stored_errors",
    "vega_bundle_name",
    "vegalite_version",
]


def finish_site(app, exception) -> None:
    """``build-finished``: publish the data, rewrite the written pages, then trim the icons and the CSS
    (which read the final pages to know what is used)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    publish.publish_data(outdir)
    editions.strip_downloads(outdir)
    render.publish_slides(outdir)
    cleanup.finish_pages(outdir)
    assets.trim_icons(outdir)
    css.purge_stylesheets(outdir)
    assets.copy_static(outdir)


def setup(app):
    roles.register_local_role("claim", claims.claim_role)
    app.add_node(nodes.entry, override=True, html=(cleanup.visit_entry, cleanup.depart_entry))
    app.add_node(nodes.citation, override=True, html=(cleanup.visit_citation, cleanup.depart_citation))
    app.connect("config-inited", assets.add_static_path)
    app.connect("env-before-read-docs", guard.refuse_tracebacks)
    app.connect("doctree-resolved", editions.apply_edition)
    app.connect("doctree-resolved", keyfigures.readable_key_figures)
    app.connect("doctree-resolved", cleanup.label_tables)
    app.connect("doctree-resolved", cleanup.plain_hidden_code)
    app.connect("html-page-context", cleanup.trim_page_assets)
    app.connect("html-page-context", meta.describe)
    app.connect("html-page-context", claims.add_claims_script)
    app.connect("html-page-context", assets.add_chart_script)
    app.connect("build-finished", finish_site)
    app.add_css_file("dongbei.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.2"}
