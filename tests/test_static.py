"""The site's own scripts (src/helpers/static/) say what they do."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src" / "helpers" / "static"
URL_STATE = ("location.hash", "location.search", "history.pushState", "history.replaceState", "URLSearchParams")


def _code_and_comments(text: str) -> tuple[str, str]:
    comments = "\n".join(re.findall(r"//(.*)", text))
    return re.sub(r"//.*", "", text), comments


def test_claims_filter_comment_matches_whether_the_url_keeps_the_filters():
    code, comments = _code_and_comments((STATIC / "dongbei-claims.js").read_text(encoding="utf-8"))
    keeps_state = any(api in code for api in URL_STATE)
    says_not_kept = "not kept in the URL" in " ".join(comments.split())
    assert keeps_state != says_not_kept, (
        "dongbei-claims.js: the header comment and the code disagree on whether filter state is kept in the URL"
    )


def test_the_check_reads_code_and_comments_apart():
    code, comments = _code_and_comments("const a = location.hash; // kept in the URL hash\n")
    assert "location.hash" in code and "location.hash" not in comments and "URL hash" in comments
