"""myst-nb mime-render plugin: offline charts and honest widget placeholders on the built site.

Registered through the entry point group ``myst_nb.mime_renderers`` (see ``pyproject.toml``).

* Vega-Lite outputs (``application/vnd.vegalite.v*``), which JupyterLab renders natively, become a
  ``<figure class="dongbei-vega">`` holding the chart already drawn as SVG at build time (by the pinned
  ``vl-convert``, offline, cached by spec hash): it shows at first paint, prints, and reads without
  JavaScript. Its marks carry Vega-Lite's own descriptions (``aria-label``), which
  ``static/dongbei-charts.js`` shows as tooltips. Only a chart with parameters (sliders, dropdowns)
  also carries its spec, compiled to Vega at build time; the script loads the Vega runtime the site
  serves itself (``helpers.site``) when such a chart comes into view or is touched, and swaps
  the picture for the live chart. No CDN is involved.
* ipywidgets views do nothing on a static page (there is no kernel), so instead of loading a widget
  manager they are replaced by a note that says how to run the explorer live.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import Any

import altair
import vl_convert
from docutils import nodes

VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v(\d+)[.+]json$")
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
# myst-nb must know the Vega-Lite mime types to pick them over text/plain (lower = preferred): the ones of
# the Vega-Lite major version the pinned Altair writes.
VEGALITE_MAJOR = altair.SCHEMA_VERSION.lstrip("v").split(".")[0]
KNOWN_VEGALITE = [f"application/vnd.vegalite.v{VEGALITE_MAJOR}{sep}json" for sep in (".", "+")]


def launch_links(
    repository: str,
    branch: str,
    path: str,
    binderhub: str = "https://mybinder.org",
    colab: str = "https://colab.research.google.com",
) -> dict[str, str]:
    """Binder and Colab links that open one notebook of the repository (the same as the page's launch
    buttons); ``repository`` is its public https URL, ``path`` the notebook's path in it."""
    repo = repository.rstrip("/").removesuffix(".git").split("github.com/", 1)[-1]
    return {
        "Binder": f"{binderhub.rstrip('/')}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}",
        "Colab": f"{colab.rstrip('/')}/github/{repo}/blob/{branch}/{path}",
    }


def widget_note(links: dict[str, str] | None = None) -> str:
    """What a live explorer becomes on the static site: one line with links that run it in a notebook."""
    if not links:
        return (
            '<p class="dongbei-widget-note">Run this explorer in the notebook (launch buttons at the top '
            "of the page).</p>"
        )
    anchors = " or ".join(f'<a href="{html.escape(url)}">{html.escape(name)}</a>' for name, url in links.items())
    return f'<p class="dongbei-widget-note">Run this explorer: open the notebook in {anchors}.</p>'


WIDGET_NOTE = widget_note()


# Charts whose width follows their container are drawn at the width of a phone's text column; CSS
# scales the picture to the column (down a little on the narrowest phones, up to 1.5x on a desktop).
STATIC_WIDTH = 360
CACHE_DIR = Path(
    os.environ.get("DONGBEI_CHART_CACHE") or Path(__file__).resolve().parents[2] / "_build" / ".chart-cache"
)
RENDER_VERSION = 2  # bump when the way charts are compiled or drawn changes (invalidates the cache)
SVG_ID = re.compile(r'\bid="([^"]+)"')


def vegalite_version() -> str:
    """The Vega-Lite minor version Altair writes specs for, e.g. '5.20'."""
    return ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def fixed_width(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with ``width: "container"`` replaced by :data:`STATIC_WIDTH` (SVG needs a number).

    ``autosize: fit-x`` keeps the whole chart, axes included, within that width, as the container did
    (Vega-Lite sizes a ``"container"`` width the same way; the height stays as specified).
    """
    if spec.get("width") != "container":
        return spec
    autosize = spec.get("autosize") if isinstance(spec.get("autosize"), dict) else {}
    return {**spec, "width": STATIC_WIDTH, "autosize": {"type": "fit-x", "contains": "padding", **autosize}}


def has_params(spec: Any) -> bool:
    """True if the spec (or any layer) declares parameters: those charts need the Vega runtime."""
    if isinstance(spec, dict):
        return bool(spec.get("params")) or any(has_params(v) for k, v in spec.items() if k != "datasets")
    if isinstance(spec, list):
        return any(has_params(v) for v in spec)
    return False


def _cached(kind: str, spec: dict[str, Any], make) -> str:
    """``make(spec)`` for a chart, stored under CACHE_DIR by a hash of the spec and the tool versions."""
    key = hashlib.sha256(
        json.dumps(
            [kind, RENDER_VERSION, vl_convert.__version__, vegalite_version(), spec], sort_keys=True, ensure_ascii=False
        ).encode()
    ).hexdigest()[:32]
    path = CACHE_DIR / f"{key}.{kind}"
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = make(spec)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # atomic: parallel builds never read half a file
    return text


def static_svg(spec: dict[str, Any]) -> str:
    """The chart drawn to SVG at build time (offline), from its compiled Vega, ids made unique."""
    svg = _cached("svg", fixed_width(spec), lambda s: vl_convert.vega_to_svg(json.loads(compiled_vega(spec))))
    prefix = "c" + hashlib.sha1(svg.encode()).hexdigest()[:8] + "-"
    ids = set(SVG_ID.findall(svg))
    if ids:  # clip paths and gradients: two charts on one page must not share an id
        pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
        svg = pattern.sub(lambda m: m.group(1) + prefix + m.group(2), svg)
    description = html.escape(spec.get("description") or "", quote=True)
    return svg.replace(
        "<svg ", f'<svg role="graphics-document" aria-roledescription="visualization" aria-label="{description}" ', 1
    )


def compiled_vega(spec: dict[str, Any]) -> str:
    """The Vega spec compiled from Vega-Lite at build time (the browser then needs no Vega-Lite).

    Legends at the bottom are stacked, not placed side by side: at a phone's width two legends in a
    row run past the chart's right edge.
    """

    def compile_(s):
        vega = vl_convert.vegalite_to_vega(s, vl_version=vegalite_version())
        vega = json.loads(vega) if isinstance(vega, str) else vega
        legend = vega.setdefault("config", {}).setdefault("legend", {})
        legend.setdefault("layout", {"bottom": {"direction": "vertical", "anchor": "start"}})
        return json.dumps(vega, separators=(",", ":"), ensure_ascii=False)

    return _cached("vg.json", fixed_width(spec), compile_)


JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(payload: str) -> str:
    """JSON text that is safe inside a ``<script>`` element.

    Inside <script>, "</script" ends the element and "<!--<script" makes the parser swallow the rest
    of the page; escaping every < > & as a JSON \\u escape leaves no markup at all (JSON.parse reads
    the same strings back).
    """
    return payload.translate(JSON_IN_HTML)


# Every chart is also drawn for a slide (16:9) at build time, offline, by the same vl-convert: SVG, and PNG at
# SLIDE_SCALE x SLIDE (1600 x 900 px), linked under the chart. A compound chart (concatenated or faceted
# views) keeps its own layout and is drawn at the same scale.
SLIDE = (800, 450)
SLIDE_SCALE = 2
SLIDE_DIR = "_charts"  # in the site: <site>/_charts/<key>.svg and .png (copied by publish_slides)
COMPOUND = ("hconcat", "vconcat", "concat", "facet", "repeat")


def slide_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec at slide size: the whole chart, title and legend included, fits SLIDE."""
    if any(k in spec for k in COMPOUND):
        return spec
    width, height = SLIDE
    return {**spec, "width": width, "height": height, "autosize": {"type": "fit", "contains": "padding"}}


def slide_png(slide: dict[str, Any]) -> bytes:
    """The slide PNG at SLIDE_SCALE, drawn again at a larger scale if a compound chart comes out narrower than a
    slide (1600 px): a compound chart keeps its own layout, so only the scale can make it slide-sized."""
    png = vl_convert.vegalite_to_png(slide, vl_version=vegalite_version(), scale=SLIDE_SCALE)
    width = int.from_bytes(png[16:20], "big")  # the IHDR width of a PNG
    if width < SLIDE[0] * SLIDE_SCALE:
        scale = SLIDE_SCALE * (SLIDE[0] * SLIDE_SCALE + 2) / width  # +2 px: the renderer rounds down
        png = vl_convert.vegalite_to_png(slide, vl_version=vegalite_version(), scale=scale)
    return png


def slide_files(spec: dict[str, Any]) -> str:
    """Draw the chart for a slide (SVG and PNG) into CACHE_DIR/slides unless already there; return the key."""
    slide = slide_spec(spec)
    key = hashlib.sha256(
        json.dumps(
            ["slide", RENDER_VERSION, SLIDE_SCALE, "fit-width-2", vl_convert.__version__, vegalite_version(), slide],
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:32]
    folder = CACHE_DIR / "slides"
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, make in (
        ("svg", lambda: vl_convert.vegalite_to_svg(slide, vl_version=vegalite_version()).encode()),
        ("png", lambda: slide_png(slide)),
    ):
        path = folder / f"{key}.{suffix}"
        if not path.exists():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(make())
            tmp.replace(path)
    return key


def publish_slides(outdir: Path) -> int:
    """``build-finished``: copy the slide files the written pages link to into ``<site>/_charts``."""
    pattern = re.compile(rf'{SLIDE_DIR}/([0-9a-f]{{32}}\.(?:svg|png))"')
    wanted = {
        name for page in Path(outdir).rglob("*.html") for name in pattern.findall(page.read_text(encoding="utf-8"))
    }
    target = Path(outdir) / SLIDE_DIR
    target.mkdir(exist_ok=True)
    for name in wanted:
        source = CACHE_DIR / "slides" / name
        if not source.exists():
            raise FileNotFoundError(f"{source}: a page links this slide file but the build did not draw it")
        (target / name).write_bytes(source.read_bytes())
    return len(wanted)


def chart_html(spec: dict[str, Any], root: str = "") -> str:
    """The HTML for one Vega-Lite spec: the chart drawn at build time, plus the live spec if it has
    parameters (drawn by dongbei-charts.js when it comes into view), and under it the links to the data
    and to the chart drawn for a slide (``root``: the way from the page to the site's root, e.g. "../")."""
    description = spec.get("description") or ""
    meta = (spec.get("usermeta") or {}).get("dongbei") or {}
    live = has_params(spec)
    live_attr = ' data-live="pending"' if live else ""
    parts = [
        f'<figure class="dongbei-vega" aria-label="{html.escape(description)}" data-rendered="true"{live_attr}>',
        f'<div class="dongbei-vega-target">{static_svg(spec)}</div>',
    ]
    if live:  # room for the controls (a start button until the chart is live): nothing moves
        parts.append('<div class="dongbei-vega-controls"></div>')
        parts.append(
            f'<script type="application/json" class="dongbei-vega-spec">{script_json(compiled_vega(spec))}</script>'
        )
    links = []
    if meta.get("data_url"):
        label = meta.get("data_label") or "Download the data behind this chart (CSV)"
        links.append(f'<a href="{html.escape(meta["data_url"])}">{html.escape(label)}</a>')
    key = slide_files(spec)
    width, height = (n * SLIDE_SCALE for n in SLIDE)
    links.append(
        f'<span class="dongbei-slide-links">For a slide: <a href="{root}{SLIDE_DIR}/{key}.svg" download>SVG</a>'
        f' · <a href="{root}{SLIDE_DIR}/{key}.png" download>PNG ({width}×{height} px)</a></span>'
    )
    parts.append(f"<figcaption>{'<br>'.join(links)}</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


class OfflineMimeRenderer:
    """See the module docstring."""

    mime_priority_overrides = [("html", mime, 1) for mime in KNOWN_VEGALITE] + [
        ("dirhtml", mime, 1) for mime in KNOWN_VEGALITE
    ]

    @staticmethod
    def handle_mime(renderer, data, inline):  # noqa: D102 (protocol method)
        if inline:
            return None
        if VEGALITE_MIME.match(data.mime_type):
            spec = data.content
            if isinstance(spec, (str, bytes)):
                spec = json.loads(spec)
            node = nodes.raw("", chart_html(spec, _root(renderer)), format="html")
            node["classes"] += ["output", "dongbei-vega-output"]
            return [node]
        if data.mime_type == WIDGET_VIEW_MIME:
            return [nodes.raw("", widget_note(_launch(renderer)), format="html")]
        return None


def _env(renderer):
    return getattr(getattr(renderer, "renderer", None), "sphinx_env", None)


def _root(renderer) -> str:
    """From the page being written to the site's root ("" for a page at the root, "../" one folder down)."""
    env = _env(renderer)
    return "../" * env.docname.count("/") if env is not None else ""


def _launch(renderer) -> dict[str, str] | None:
    """The page's notebook in Binder and Colab, from the book's repository and launch settings."""
    env = _env(renderer)
    if env is None:
        return None
    options = env.config.html_theme_options or {}
    repository, launch = options.get("repository_url"), options.get("launch_buttons") or {}
    if not repository:
        return None
    path = "/".join(p for p in (options.get("path_to_docs", "").strip("/"), str(env.doc2path(env.docname, False))) if p)
    return launch_links(
        repository,
        options.get("repository_branch") or "main",
        path,
        launch.get("binderhub_url") or "https://mybinder.org",
        launch.get("colab_url") or "https://colab.research.google.com",
    )
