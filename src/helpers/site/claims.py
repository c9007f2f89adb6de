"""The ``{claim}`` role and the sources audit's filter script.

``{claim}`wang-045``` links to that row of the sources audit (``appendix/claims``) and fails the build (a
warning, an error under ``-W``) if the id is not in ``data/claims.csv``.
"""

from __future__ import annotations

from docutils import nodes

from helpers.audit import claim_ids
from helpers.data import DATA_DIR

CLAIMS_PAGE = "appendix/claims"
CLAIMS_MARKER = 'class="dongbei-claims"'


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{claim}`wang-045``` -> a link to the claim's row in the sources audit."""
    claim_id = text.strip()
    messages = []
    if claim_id not in claim_ids(str(DATA_DIR / "claims.csv")):
        messages.append(inliner.reporter.warning(f"unknown claim id {claim_id!r}: not in data/claims.csv", line=lineno))
    depth = inliner.document.settings.env.docname.count("/")
    uri = "../" * depth + f"{CLAIMS_PAGE}.html#claim-{claim_id}"
    node = nodes.reference(
        rawtext, claim_id, refuri=uri, classes=["dongbei-claim"], reftitle=f"Claim {claim_id} in the sources audit"
    )
    return [node], messages


def add_claims_script(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the page carrying the claims table loads its filter script."""
    if CLAIMS_MARKER in context.get("body", ""):
        app.add_js_file("dongbei-claims.js", type="module", priority=602)
