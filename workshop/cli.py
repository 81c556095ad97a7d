"""The ``workshop`` command: serve, demo, validate, seminars, migrate, archive, snapshots, report, synthesis."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workshop.content import ContentError, Kit, validate_file
from workshop.db import get_database


def _serve(args: argparse.Namespace) -> int:
    db = get_database()
    db.create_schema()
    if args.demo:
        _print_demos(_ensure_demos())
    from workshop.services.access import admin_secret

    print(f"Code d'administration (créer un séminaire depuis un autre appareil que cet ordinateur) : "
          f"{admin_secret()}", flush=True)
    from workshop.ui.app import run

    run(host=args.host, port=args.port)
    return 0


def _summaries():
    from workshop.services import seminars

    return seminars.list_seminars(get_database())


def _ensure_demos():
    from workshop.demo import ensure_demos

    db = get_database()
    db.create_schema()
    return ensure_demos(db)


def _print_demos(demos) -> None:
    amiens, creil = demos
    print(f"Séminaire de démonstration en cours (Amiens Métropole) n° {amiens.seminar_id} : "
          f"code de participation {amiens.join_code}, code animateur « {amiens.facilitator_secret} »")
    print(f"Séminaire de démonstration terminé (Creil Sud Oise) n° {creil.seminar_id} : "
          f"code de participation {creil.join_code}, code animateur « {creil.facilitator_secret} »", flush=True)


def _demo(_args: argparse.Namespace) -> int:
    _print_demos(_ensure_demos())
    return 0


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        try:
            content = validate_file(Path(name))
        except ContentError as exc:
            print(f"REFUSÉ  {exc.path}", file=sys.stderr)
            for problem in exc.problems:
                print(f"  ligne {problem.line or '?'} · {problem.where} : {problem.what}", file=sys.stderr)
            status = 1
            continue
        kind = "kit" if isinstance(content, Kit) else "déroulé"
        print(f"OK      {name} ({kind} « {content.name} »)")
    return status


def _seminars(_args: argparse.Namespace) -> int:
    db = get_database()
    db.create_schema()
    rows = _summaries()
    if not rows:
        print("Aucun séminaire.")
    for s in rows:
        print(f"{s.id:>4}  {s.join_code}  {s.territory} — {s.title} (horizon {s.horizon_year}, "
              f"{s.participants} participants, {s.cards} cartes)"
              + (f" · en cours : {s.current_activity}" if s.current_activity else ""))
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    get_database().create_schema()
    print("Base de données à jour.")
    return 0


def _archive_export(args: argparse.Namespace) -> int:
    from workshop.archive import write_archive
    from workshop.errors import WorkshopError

    db = get_database()
    db.create_schema()
    try:
        path = write_archive(db, args.seminar_id, args.output)
    except WorkshopError as exc:
        print(f"Export impossible : {exc.message('fr')}", file=sys.stderr)
        return 1
    print(f"Archive du séminaire n° {args.seminar_id} écrite : {path}")
    return 0


def _archive_import(args: argparse.Namespace) -> int:
    from workshop.archive import import_seminar
    from workshop.errors import WorkshopError

    db = get_database()
    db.create_schema()
    try:
        result = import_seminar(db, Path(args.file))
    except WorkshopError as exc:
        print(exc.message("fr"), file=sys.stderr)
        return 1
    print(f"Séminaire importé : n° {result.seminar_id}, code de participation {result.join_code}")
    if result.join_code_changed:
        print(f"  (le code {result.original_join_code} est déjà pris sur cette machine : nouveau code tiré)")
    if result.reissued_device_tokens:
        print(f"  ({result.reissued_device_tokens} tablette(s) déjà connues ici devront rejoindre "
              "à nouveau ce séminaire)")
    return 0


def _snapshots_list(args: argparse.Namespace) -> int:
    from workshop.snapshots import list_snapshots, snapshots_dir

    rows = list_snapshots(args.seminar_id)
    if not rows:
        print(f"Aucun instantané dans {snapshots_dir()}.")
        return 0
    for info in rows:
        taken = info.taken_at.astimezone().strftime("%d/%m/%Y %H:%M:%S") if info.taken_at else "?"
        print(f"{info.seminar_id:>4}  {taken}  {info.size // 1024:>6} Kio  {info.territory} — {info.title}\n"
              f"      {info.path}")
    return 0


def _snapshots_restore(args: argparse.Namespace) -> int:
    from workshop.errors import WorkshopError
    from workshop.snapshots import restore_snapshot

    db = get_database()
    db.create_schema()
    try:
        result = restore_snapshot(db, args.file)
    except WorkshopError as exc:
        print(exc.message("fr"), file=sys.stderr)
        return 1
    print(f"Instantané restauré comme nouveau séminaire : n° {result.seminar_id}, "
          f"code de participation {result.join_code}")
    if result.join_code_changed:
        print(f"  (le code {result.original_join_code} est encore pris par le séminaire d'origine : nouveau code tiré)")
    if result.reissued_device_tokens:
        print(f"  ({result.reissued_device_tokens} tablette(s) devront rejoindre à nouveau ce séminaire)")
    return 0


def _report_progress(step: int, total: int, label: str) -> None:
    print(f"  [{step}/{total}] {label}", file=sys.stderr)


def _write_documents(export, target, args: argparse.Namespace, failure: str) -> int:
    """Run a report or synthesis export, progress on stderr, one written file per line on stdout."""
    from workshop.errors import WorkshopError

    db = get_database()
    db.create_schema()
    try:
        paths = export(db, target, args.format, args.output, progress=_report_progress)
    except WorkshopError as exc:
        print(f"{failure} : {exc.message('fr')}", file=sys.stderr)
        return 1
    for path in paths.values():
        print(path)
    return 0


def _report(args: argparse.Namespace) -> int:
    from workshop.reports import export_report

    return _write_documents(export_report, args.seminar_id, args, "Export impossible")


def _synthesis(args: argparse.Namespace) -> int:
    from workshop.reports import export_synthesis

    return _write_documents(export_synthesis, args.seminar_ids, args, "Synthèse impossible")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshop", description="Visions +21 : séminaires de prospective territoriale.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the server (facilitator console, projector, tablets)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: every interface, for tablets on the hotspot)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--demo", action="store_true", help="create the demo seminar first if it is not there")
    serve.set_defaults(func=_serve)
    sub.add_parser("demo", help="create a demo seminar in progress").set_defaults(func=_demo)
    validate = sub.add_parser("validate", help="validate kit or run-sheet YAML files")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(func=_validate)
    sub.add_parser("seminars", help="list the seminars").set_defaults(func=_seminars)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(func=_migrate)
    archive = sub.add_parser("archive",
                             help="export or import a whole seminar as a JSON archive (backup, moving a seminar)")
    archive_sub = archive.add_subparsers(dest="archive_command", required=True)
    export = archive_sub.add_parser("export", help="write a seminar's JSON archive")
    export.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="file to write (default: exports/<territory>-<date>.json)")
    export.set_defaults(func=_archive_export)
    import_ = archive_sub.add_parser("import", help="create a new seminar from a JSON archive")
    import_.add_argument("file", metavar="FILE")
    import_.set_defaults(func=_archive_import)
    snapshots = sub.add_parser("snapshots", help="automatic snapshots of running seminars: list, restore")
    snapshots_sub = snapshots.add_subparsers(dest="snapshots_command", required=True)
    listing = snapshots_sub.add_parser("list", help="list the snapshots on disk, oldest first")
    listing.add_argument("seminar_id", type=int, nargs="?", metavar="SEMINAR_ID", help="only this seminar's")
    listing.set_defaults(func=_snapshots_list)
    restore = snapshots_sub.add_parser("restore", help="import a snapshot as a new seminar")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=_snapshots_restore)
    report = sub.add_parser("report", help="export a seminar's capitalisation report (PDF, DOCX, HTML, CSV, XLSX)")
    report.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    report.add_argument("--format", default="pdf,docx,html,csv,xlsx",
                        help="formats, comma-separated (default: pdf,docx,html,csv,xlsx)")
    report.add_argument("-o", "--output", metavar="DIR", help="folder to write to (default: exports/)")
    report.set_defaults(func=_report)
    synthesis = sub.add_parser("synthesis", help="export a synthesis comparing several seminars (territories)")
    synthesis.add_argument("seminar_ids", type=int, nargs="+", metavar="SEMINAR_ID")
    synthesis.add_argument("--format", default="pdf,docx,html,csv,xlsx",
                           help="formats, comma-separated (default: pdf,docx,html,csv,xlsx)")
    synthesis.add_argument("-o", "--output", metavar="DIR", help="folder to write to (default: exports/)")
    synthesis.set_defaults(func=_synthesis)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
