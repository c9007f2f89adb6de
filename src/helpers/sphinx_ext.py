"""Moved to ``helpers.site`` (one module per job). This name still loads the extension, for books and
branches configured before the split."""

from helpers.site import *  # noqa: F403
from helpers.site import setup  # noqa: F401
