"""Offline assets: everything the site serves itself, so no page asks another host for anything.

- the house stylesheet, scripts and icon (``helpers/static/``), re-copied on every build;
- the Vega bundle shipped by the pinned ``vl-convert-python`` wheel, written to ``_static/vendor/`` (generated
  at build time, never committed). Charts arrive drawn as SVG and compiled to Vega at build time
  (``helpers.render``), so the browser runs Vega only, and ``dongbei-charts.js`` (3 kB, only on pages with a
  chart) loads the bundle when a chart with parameters comes into view or is touched;
- the theme's FontAwesome stylesheet and fonts cut down to the icons the site uses, and the theme's and
  extensions' stylesheets purged of rules for classes no page or script uses (``helpers.site.css``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pydata_sphinx_theme
import vl_convert
from fontTools import subset

from helpers.render import vegalite_version

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
CHART_MARKER = 'class="dongbei-vega"'


def vega_bundle_name() -> str:
    """Where the Vega bundle lives under ``_static/`` (named by Vega-Lite and vl-convert versions)."""
    return f"vendor/vega-bundle-vl{vegalite_version()}-{vl_convert.__version__}.js"


def add_static_path(app, config) -> None:
    """``config-inited``: serve ``helpers/static/`` and use the book's own icon as the favicon.

    Every page links the icon, so browsers do not ask for a /favicon.ico that does not exist (a 404 in the
    console of a real host)."""
    config.html_static_path.append(str(STATIC_DIR))
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / "favicon.svg")


def add_chart_script(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: pages with a chart load ``dongbei-charts.js`` (the Vega runtime is not on the
    page: the script imports it when a live chart needs it)."""
    if CHART_MARKER in context.get("body", ""):
        app.add_js_file("dongbei-charts.js", type="module", priority=601, **{"data-runtime": vega_bundle_name()})


def copy_static(outdir: Path) -> None:
    """Re-copy the house files and write the Vega bundle if this build's ``_static`` lacks it.

    Sphinx 7.4 does not re-copy a static file that changed since the last build into an existing
    ``_build/html/_static``, so an edited house stylesheet or script would not show until ``make clean``."""
    for asset in STATIC_DIR.iterdir():
        shutil.copy2(asset, outdir / "_static" / asset.name)
    target = outdir / "_static" / vega_bundle_name()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # (A Vega-only bundle would be 577 kB instead of 895 kB, but vl-convert 1.9's bundler binds a
        # snippet's `vega` to a null default import, so the page takes Vega from vegaEmbed.vega.)
        target.write_text(vl_convert.javascript_bundle(vl_version=vegalite_version()), encoding="utf-8")


FA_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:+before,?)+)\{content:"[^"]*"\}')
FA_NAME = re.compile(r"fa-[a-z0-9-]+")
CSS_CODEPOINT = re.compile(r"\\([0-9a-fA-F]{4,5})")
FA_FONTS = ("fa-solid-900", "fa-brands-400", "fa-regular-400")


def site_texts(outdir: Path):
    """The text of every built page and site script (the vendored Vega bundle excluded)."""
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        if "vendor" not in path.parts:
            yield path.read_text(encoding="utf-8", errors="ignore")


def trim_icons(outdir: Path) -> None:
    """Keep only the FontAwesome icons the site uses, in the theme's stylesheet and its fonts.

    The theme ships all 2,000 icons: about 140 kB of CSS rules and 280 kB of fonts on every first visit,
    for the dozen icons in the header and buttons. Used icons are the ``fa-*`` names in the built pages and
    scripts; their glyphs, and any other glyph the stylesheets name (``content:``), stay. Computed from the
    theme's own files each build, so an icon added later is kept.
    """
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    source = theme / "styles" / "pydata-sphinx-theme.css"
    built = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not source.exists() or not built.exists():
        return
    used: set[str] = set()
    for text in site_texts(outdir):
        used.update(FA_NAME.findall(text))

    def keep(match):
        return match.group(0) if used.intersection(FA_NAME.findall(match.group(1))) else ""

    built.write_text(FA_RULE.sub(keep, source.read_text(encoding="utf-8")), encoding="utf-8")
    codepoints = set()
    for sheet in (outdir / "_static").rglob("*.css"):
        codepoints.update(int(c, 16) for c in CSS_CODEPOINT.findall(sheet.read_text(encoding="utf-8", errors="ignore")))
    codepoints = {c for c in codepoints if c >= 0xE000}  # private-use icons (escapes of ASCII stay)
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
