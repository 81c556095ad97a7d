"""The data of a report as tables: CSV files (in one zip) and an XLSX workbook (one sheet each).

Raw values (numbers stay numbers), read from the same ``SeminarReport`` the documents are
laid out from. Open data: no personal names anywhere, participants are counted by collège
and table; votes and ratings are aggregated by card (and collège).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from workshop.reports.model import SeminarReport


@dataclass(frozen=True)
class DataTable:
    key: str          # file / sheet name
    title: str        # what it holds, for the annex and the read-me
    columns: tuple[str, ...]
    rows: list[tuple]


def _cell(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return " ; ".join(str(v) for v in value)
    return value


def report_tables(report: SeminarReport) -> list[DataTable]:
    r = report
    t = r.t
    analysis = r.analysis
    scores = analysis.scores_by_id
    tables = [
        DataTable("seminaire", t("report.data.seminar"), ("champ", "valeur"), [
            ("seminaire_id", r.seminar_id), ("titre", r.title), ("territoire", r.territory),
            ("horizon", r.horizon_year), ("langue", r.language),
            ("dates", [d.isoformat() for d in r.days if d is not None]),
            ("kit", r.kit_name), ("deroule", r.run_sheet_name), ("participants", r.participation.total),
            ("etat", "en_cours" if r.in_progress else "termine"), ("activite_en_cours", r.current_activity or ""),
            ("genere_le", r.generated_at.isoformat(timespec="seconds")),
        ]),
        DataTable("participation_colleges", t("report.data.participation_colleges"),
                  ("college", "libelle", "participants"),
                  [(c.college, c.label, c.count) for c in r.participation.by_college]),
        DataTable("participation_tables", t("report.data.participation_tables"),
                  ("table", "college", "participants"),
                  [(tb.name, college, n) for tb in r.participation.tables
                   for college, n in sorted(tb.by_college.items()) if n]),
        DataTable("deroule", t("report.data.run_sheet"),
                  ("position", "jour", "titre", "exercice", "mode", "etat", "prevu_min", "prolongation_min",
                   "reel_min", "debut", "fin"),
                  [(s.position, s.day, s.title, s.exercise, s.mode, s.state, s.planned_minutes, s.extended_minutes,
                    s.actual_minutes, s.started_at, s.ended_at) for s in r.run_sheet]),
        DataTable("cartes", t("report.data.cards"),
                  ("carte_id", "type", "theme", "table", "texte", "precisions", "gommettes", "votes"),
                  [(c.card_id, c.kind, c.theme, c.group, c.text, c.details, c.dots, c.voters) for c in r.cards]),
        DataTable("votes_par_college", t("report.data.votes"),
                  ("carte_id", "college", "gommettes", "votes"), list(r.votes_by_college)),
        DataTable("notations", t("report.data.ratings"),
                  ("carte_id", "critere", "moyenne", "notants"), list(r.ratings)),
        DataTable("menaces", t("report.data.threats"),
                  ("carte_id", "texte", "probabilite", "gravite", "severite", "notants", "lecture", "pression",
                   "contree_par"),
                  [(x.card_id, x.text, x.likelihood, x.impact, x.severity, x.raters, x.quadrant, x.pressure,
                    list(x.countered_by)) for x in r.threats]),
        DataTable("liens", t("report.data.links"),
                  ("lien_id", "source_id", "relation", "cible_id", "poids", "note"),
                  [(l.link_id, l.source_id, l.relation, l.target_id, l.weight, l.note) for l in r.links]),
        DataTable("analyse_cartes", t("report.data.analysis"),
                  ("carte_id", "type", "influence", "dependance", "groupe", "centralite"),
                  [(cid, analysis.cards[cid].kind.value, scores[cid].influence, scores[cid].dependence,
                    scores[cid].group.value, round(analysis.centrality.get(cid, 0.0), 6))
                   for cid in analysis.system if cid in scores]),
        DataTable("trajectoires", t("report.data.trajectories"),
                  ("trajectoire_id", "titre", "cible_id", "table", "annee", "etape", "description", "cartes_ids"),
                  [(tr.trajectory_id, tr.title, tr.target_id, tr.group, s.year, s.title, s.description,
                    list(s.card_ids)) for tr in r.trajectories for s in tr.steps]),
        DataTable("robustesse", t("report.data.robustness"),
                  ("defi_id", "action_id", "score", "tient", "plie", "rompt", "raisons"),
                  [(x.challenge_id, x.action_id, x.score, x.holds, x.bends, x.breaks, list(x.reasons))
                   for x in r.robustness]),
        DataTable("notes_animation", t("report.data.notes"), ("jour", "activite", "notes"),
                  [(n.day, n.title, n.notes) for n in r.notes]),
    ]
    return tables


def file_names(tables: list[DataTable]) -> dict[str, str]:
    return {d.key: f"{d.key}.csv" for d in tables}


def _readme(tables: list[DataTable], heading: str) -> str:
    lines = [heading, ""]
    for d in tables:
        lines.append(f"{d.key}.csv ({len(d.rows)}) : {d.title}")
        lines.append("  " + ", ".join(d.columns))
    return "\n".join(lines) + "\n"


def write_csv_zip(tables: list[DataTable], path: Path, *, readme: str) -> Path:
    """One UTF-8 CSV per table (comma-separated, with a byte-order mark so spreadsheet
    programs read the accents right), plus a read-me, in one zip."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for d in tables:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(d.columns)
            for row in d.rows:
                writer.writerow(["" if v is None else _cell(v) for v in row])
            archive.writestr(f"{d.key}.csv", "\ufeff" + buffer.getvalue())
        archive.writestr("lisez-moi.txt", _readme(tables, readme))
    return path


def _text_cell(sheet, value, cell_type):
    """Text stays text: "=HYPERLINK(…)" typed on a tablet must not become a live formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(tables: list[DataTable], path: Path, *, title: str) -> Path:
    """One sheet per table (header in bold, frozen), written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B5394")
    for d in tables:
        sheet = workbook.create_sheet(d.key[:31])
        sheet.freeze_panes = "A2"
        widths = [len(c) + 2 for c in d.columns]
        for row in d.rows[:200]:
            for i, v in enumerate(row):
                widths[i] = max(widths[i], min(60, len(str(_cell(v))) + 2))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        header = []
        for name in d.columns:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        sheet.append(header)
        for row in d.rows:
            sheet.append([_text_cell(sheet, _cell(v), WriteOnlyCell) for v in row])
    workbook.save(path)
    return path
