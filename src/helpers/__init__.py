"""Shared code for the Northeast China explainer.

Modules (import what you need; each is small):

- ``helpers.data``: the one way to read the book's data (validated on load);
- ``helpers.charts``: the house Altair theme and chart builders;
- ``helpers.figures``: stated figures, glued into the prose and listed in *Key figures*;
- ``helpers.widgets``: live explorers for readers who run the notebooks;
- ``helpers.render``: charts drawn at build time; ``helpers.site``: the Sphinx extension (one module per job).
"""

__version__ = "0.1.0"
