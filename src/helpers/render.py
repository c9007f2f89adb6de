"""myst-nb mime-render plugin: offline charts and honest widget placeholders on the built site.

Registered through the entry point group ``myst_nb.mime_renderers`` (see ``pyproject.toml``).

* Vega-Lite outputs (``application/vnd.vegalite.v*``), which JupyterLab renders natively, become a
  ``<div class="dongbei-vega">`` carrying the spec as JSON; ``static/dongbei-charts.js`` draws it with
  the Vega bundle the site serves itself (``helpers.sphinx_ext``). No CDN is involved.
* ipywidgets views do nothing on a static page (there is no kernel), so instead of loading a widget
  manager they are replaced by a note that says how to run the explorer live.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from docutils import nodes

VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v(\d+)[.+]json$")
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
# myst-nb must know the Vega-Lite mime types to pick them over text/plain (lower = preferred).
KNOWN_VEGALITE = [f"application/vnd.vegalite.v{v}{sep}json" for v in (4, 5, 6) for sep in (".", "+")]

WIDGET_NOTE = (
    '<div class="admonition note dongbei-widget-note">'
    '<p class="admonition-title">Live explorer (runs in a notebook)</p>'
    "<p>This control needs a running Python kernel, so it does nothing on the static site. "
    "Open the notebook with the launch or download buttons at the top of the page to use it; "
    "the chart above shows the same data for site readers.</p></div>"
)


JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def chart_html(spec: dict[str, Any]) -> str:
    """The HTML placeholder for one Vega-Lite spec (drawn by dongbei-charts.js)."""
    description = spec.get("description") or ""
    payload = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
    # Inside <script>, "</script" ends the element and "<!--<script" makes the parser swallow the rest
    # of the page; escaping every < > & as a JSON \u escape leaves no markup at all (JSON.parse reads
    # the same strings back).
    payload = payload.translate(JSON_IN_HTML)
    return (
        f'<figure class="dongbei-vega" aria-label="{html.escape(description)}">'
        f'<div class="dongbei-vega-target"></div>'
        f'<script type="application/json" class="dongbei-vega-spec">{payload}</script>'
        f"</figure>"
    )


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
            node = nodes.raw("", chart_html(spec), format="html")
            node["classes"] += ["output", "dongbei-vega-output"]
            return [node]
        if data.mime_type == WIDGET_VIEW_MIME:
            return [nodes.raw("", WIDGET_NOTE, format="html")]
        return None
