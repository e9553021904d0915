"""Charts as SVG drawn on the server: readable without JavaScript, printable, linkable.

Each function takes plain data and the words to show (already translated) and returns
one ``<svg>`` element. Every mark that stands for projects is a link to them, with its
own accessible name; the pages put a data table next to each chart as its text
alternative, so colour is never the only carrier of meaning.

One module per chart (:mod:`.bubble`, :mod:`.pipeline`, :mod:`.heatmap`,
:mod:`.network`, :mod:`.denmark_map`, :mod:`.ecosystem_graph`), drawn with the shared pieces in :mod:`.svg`.
"""

from __future__ import annotations

from api.pages.charts.bubble import Bubble, BubbleWords, bubble_chart, quadrant_grid
from api.pages.charts.denmark_map import MapDrawing, MapWords, denmark_map
from api.pages.charts.ecosystem_graph import GraphTie, OrganisationDot, ecosystem_graph
from api.pages.charts.heatmap import HeatCell, heat_map
from api.pages.charts.network import EDGE_STYLES, Cluster, Edge, Node, network
from api.pages.charts.pipeline import Bar, bar_chart

__all__ = [
    "EDGE_STYLES",
    "Bar",
    "Bubble",
    "BubbleWords",
    "Cluster",
    "Edge",
    "GraphTie",
    "HeatCell",
    "MapDrawing",
    "MapWords",
    "Node",
    "OrganisationDot",
    "bar_chart",
    "bubble_chart",
    "denmark_map",
    "ecosystem_graph",
    "heat_map",
    "network",
    "quadrant_grid",
]
