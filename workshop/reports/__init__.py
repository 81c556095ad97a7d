"""Capitalisation reports: one seminar (PDF, DOCX, HTML, CSV, XLSX) or a synthesis of several.

- ``model``: the one report model, read from the services and the graph analyses;
- ``layout`` / ``synthesis``: that model laid out as a format-neutral ``document.Document``;
- ``html`` (Jinja2), ``pdf`` (WeasyPrint), ``docx`` (python-docx), ``data`` (CSV, openpyxl):
  the renderers; ``figures``: the report's own figures and the cached static rendering;
- ``export``: ``export_report`` and ``export_synthesis``, which write the files.

No NiceGUI here: the staff page (``workshop.ui.staff``) and the ``workshop report`` command
both call ``export``.
"""

from workshop.reports.export import (
    FORMATS,
    MEDIA_TYPES,
    SUFFIXES,
    export_report,
    export_synthesis,
    seminar_export_files,
    slugify,
    warm_up,
)

__all__ = ["FORMATS", "MEDIA_TYPES", "SUFFIXES", "export_report", "export_synthesis", "seminar_export_files", "slugify", "warm_up"]
