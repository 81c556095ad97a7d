"""Plotly figures of a seminar's graph analyses (no NiceGUI: pages embed them, reports export them).

- ``trajectory_graph_figure(snapshot, analysis, mode=...)``: the layered map of cards and links;
- ``influence_dependence_figure(analysis, mode=...)``: the MICMAC plane with its four groups;
- ``trajectories_timeline_figure(snapshot, mode=...)``: trajectories from today to the horizon;
- ``to_png`` / ``to_svg`` / ``render_images``: offline static export for the report.

``mode`` is ``"projector"`` (big type, few labels), ``"interactive"`` (hover, pan and zoom)
or ``"print"`` (small type, no hover); ``lang`` is ``"fr"`` (default) or ``"en"``.
"""

from workshop.figures.export import StaticExportUnavailable, render_images, static_export_problem, to_png, to_svg
from workshop.figures.graph import trajectory_graph_figure
from workshop.figures.influence import influence_dependence_figure
from workshop.figures.style import KIND_COLORS, MODES, RELATION_STYLES, shorten
from workshop.figures.timeline import trajectories_timeline_figure

__all__ = [
    "KIND_COLORS", "MODES", "RELATION_STYLES", "StaticExportUnavailable", "influence_dependence_figure",
    "render_images", "shorten", "static_export_problem", "to_png", "to_svg", "trajectories_timeline_figure",
    "trajectory_graph_figure",
]
