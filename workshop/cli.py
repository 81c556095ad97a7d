"""The ``workshop`` command: serve, demo, validate, seminars, migrate, users, archive, snapshots, backup,
restore, report, synthesis, participants, retention, rehearse."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from workshop.content import ContentError, Kit, validate_file
from workshop.db import get_database
from workshop.i18n import plain_spaces, quoted, translate


def _fr(key: str, **params) -> str:
    """A message of the command, in French (the command speaks French, like the room)."""
    return translate(key, "fr", **params)


def _serve(args: argparse.Namespace) -> int:
    from workshop import config

    # HAProxy in front; never in a worker (it inherits WORKSHOP_TLS_CERT and serves behind it)
    hosted = not config.worker_id() and (args.workers > 1 or bool(args.tls_cert))
    if args.http_port and not args.tls_cert and not config.worker_id():
        print("Impossible de démarrer : --http-port ne sert qu'avec --tls-cert (redirection vers https).",
              file=sys.stderr)
        return 2
    try:
        config.ping_seconds()
    except ValueError:
        low, high = config.PING_SECONDS_RANGE
        print(f"Impossible de démarrer : {config.PING_ENV} doit être un nombre entier de secondes, de {low} à "
              f"{high} ; reçu : {os.environ.get(config.PING_ENV)}", file=sys.stderr)
        return 2
    if args.public_url:  # QR codes and links (workers inherit it)
        from urllib.parse import urlsplit

        parts = urlsplit(args.public_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            print(f"Impossible de démarrer : l'adresse publique doit être de la forme https://nom.du.site "
                  f"(ou http://adresse:port sur le réseau de la salle) ; reçu : {args.public_url}", file=sys.stderr)
            return 2
        os.environ["WORKSHOP_PUBLIC_URL"] = args.public_url.strip()
    if hosted:
        from workshop.workers.supervisor import problems, tls_problems

        missing = tls_problems(args.tls_cert, args.public_url) + problems(config.database_url())
        for line in missing:
            print(f"Impossible de démarrer : {line}.", file=sys.stderr)
        if missing:
            return 2
    db = get_database()
    db.create_schema()
    if args.demo:
        _print_demos(_ensure_demos())
    from workshop.services.access import admin_secret

    if not config.worker_id():  # once, by the command started by hand (not again in each worker's log)
        print(f"Code d'administration (créer un séminaire depuis un autre appareil que cet ordinateur) : "
              f"{admin_secret()}", flush=True)
        from workshop.cli_users import first_admin_hint

        hint = first_admin_hint()
        if hint:
            print(hint, flush=True)
    if hosted:
        from workshop.workers.haproxy import Tls
        from workshop.workers.supervisor import serve_workers

        tls = None
        if args.tls_cert:
            tls = Tls(Path(args.tls_cert).resolve(), args.public_url.rstrip("/"), args.http_port)
        return serve_workers(args.host, args.port, args.workers, tls)
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
          f"code de participation {amiens.join_code}, code animateur {quoted(amiens.facilitator_secret)}")
    print(f"Séminaire de démonstration terminé (Creil Sud Oise) n° {creil.seminar_id} : "
          f"code de participation {creil.join_code}, code animateur {quoted(creil.facilitator_secret)}", flush=True)


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
        print(f"OK      {name} ({kind} {quoted(content.name)})")
    return status


def _seminars(_args: argparse.Namespace) -> int:
    db = get_database()
    db.create_schema()
    rows = _summaries()
    if not rows:
        print("Aucun séminaire.")
    for s in rows:
        print(f"{s.id:>4}  {s.join_code}  {s.territory} — {s.title} (horizon {s.horizon_year}, "
              f"{_fr('cli.participants', count=s.participants)}, {_fr('cli.cards', count=s.cards)})"
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


WHILE_LIVE_HELP = ("import even while an activity is open on this SQLite database (the room's votes wait "
                   "until the import is written)")


def _archive_import(args: argparse.Namespace) -> int:
    from workshop.archive import import_seminar
    from workshop.errors import WorkshopError

    db = get_database()
    db.create_schema()
    try:
        result = import_seminar(db, Path(args.file), refuse_if_live=not args.while_live)
    except WorkshopError as exc:
        print(exc.message("fr"), file=sys.stderr)
        return 1
    print(f"Séminaire importé : n° {result.seminar_id}, code de participation {result.join_code}")
    if result.join_code_changed:
        print(f"  (le code {result.original_join_code} est déjà pris sur cette machine : nouveau code tiré)")
    if result.reissued_device_tokens:
        print("  " + _fr("cli.tablets_rejoin_import", count=result.reissued_device_tokens))
    if result.cleaned:
        print("  " + _fr("cli.texts_cleaned_import", count=len(result.cleaned), first=result.cleaned[0]))
    return 0


def _snapshots_list(args: argparse.Namespace) -> int:
    from workshop.reports.document import file_size
    from workshop.snapshots import list_snapshots, snapshots_dir

    rows = list_snapshots(args.seminar_id)
    if not rows:
        print(f"Aucun instantané dans {snapshots_dir()}.")
        return 0
    for info in rows:
        taken = info.taken_at.astimezone().strftime("%d/%m/%Y %H:%M:%S") if info.taken_at else "?"
        print(f"{info.seminar_id:>4}  {taken}  {file_size(info.size):>8}  {info.territory} — {info.title}\n"
              f"      {info.path}")
    return 0


def _snapshots_restore(args: argparse.Namespace) -> int:
    from workshop.errors import WorkshopError
    from workshop.snapshots import restore_snapshot

    db = get_database()
    db.create_schema()
    try:
        result = restore_snapshot(db, args.file, refuse_if_live=not args.while_live)
    except WorkshopError as exc:
        print(exc.message("fr"), file=sys.stderr)
        return 1
    print(f"Instantané restauré comme nouveau séminaire : n° {result.seminar_id}, "
          f"code de participation {result.join_code}")
    if result.join_code_changed:
        print(f"  (le code {result.original_join_code} est encore pris par le séminaire d'origine : nouveau code tiré)")
    if result.reissued_device_tokens:
        print("  " + _fr("cli.tablets_rejoin", count=result.reissued_device_tokens))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from workshop.backup import BackupError, backup

    if args.keep < 1:
        print("Sauvegarde impossible : --keep doit valoir au moins 1.", file=sys.stderr)
        return 2
    try:
        done = backup(folder=Path(args.to) if args.to else None, keep=args.keep)
    except BackupError as exc:
        print(f"Sauvegarde impossible : {exc}", file=sys.stderr)
        return 1
    print(f"Sauvegarde écrite : {done.path} ({_fr('cli.seminars', count=done.seminars)}, "
          f"{_fr('cli.snapshots', count=done.snapshots)})")
    for path in done.removed:
        print(f"  ancienne sauvegarde supprimée (rotation, {args.keep} gardée{'s' if args.keep > 1 else ''}) : "
              f"{path.name}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from workshop.backup import BackupError, restore

    try:
        done = restore(Path(args.file))
    except BackupError as exc:
        print(f"Restauration impossible : {exc}.", file=sys.stderr)
        return 1
    print(f"Sauvegarde restaurée : {_fr('cli.seminars', count=done.seminars)}, "
          f"{_fr('cli.snapshots', count=done.snapshots)} remis dans le dossier des instantanés"
          + (f" ({done.snapshots_kept} déjà présents, gardés tels quels)" if done.snapshots_kept else "") + ".")
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


def _rehearse(args: argparse.Namespace) -> int:
    """Play run sheets end to end in Chromium (a server and seminars of its own)."""
    try:
        from workshop.rehearsal import RehearsalFailed, rehearse
        from workshop.rehearsal.browser import SetupError
    except ImportError as exc:  # Playwright comes with the test extras
        print(f"La répétition a besoin de Playwright ({exc.name}) : lancez `make rehearse`.", file=sys.stderr)
        return 2
    out = Path(args.output) if args.output else None
    try:
        folders = rehearse(args.run_sheets or None, out)
    except SetupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except RehearsalFailed as exc:
        print(f"RÉPÉTITION : À REVOIR\n{exc}", file=sys.stderr)
        return 1
    print("RÉPÉTITION RÉUSSIE. Captures d'écran : " + ", ".join(folders))
    return 0

FORMAT_HELP = ("formats, comma-separated: pdf, docx, html, csv (open data), csv-tableur (for spreadsheets), "
               "xlsx (default: all)")


def _worker_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre de processus invalide : {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("le nombre de processus va de 1 à 64")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshop", description="Visions +21 : séminaires de prospective territoriale.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the server (facilitator console, projector, tablets)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: every interface, for tablets on the hotspot)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--demo", action="store_true", help="create the two demo seminars first if missing, and print their codes")
    serve.add_argument("--workers", type=_worker_count, default=1, metavar="N",
                       help="N processes behind HAProxy, on PostgreSQL and Redis (default 1: one process, "
                            "SQLite or PostgreSQL; see the README, 'Workers mode')")
    serve.add_argument("--tls-cert", metavar="PEM", default=os.environ.get("WORKSHOP_TLS_CERT") or None,
                       help="hosted setup: HAProxy serves HTTPS on --port with this PEM file (certificate chain "
                            "then private key; env WORKSHOP_TLS_CERT), with Secure cookies and HSTS; "
                            "needs --public-url (see the README, 'Hosting')")
    serve.add_argument("--http-port", type=int, default=None, metavar="PORT",
                       help="with --tls-cert: also listen for plain HTTP on PORT (e.g. 80), only to redirect "
                            "to the public https:// address")
    serve.add_argument("--public-url", metavar="URL", default=os.environ.get("WORKSHOP_PUBLIC_URL") or None,
                       help="the address people open, e.g. https://visions21.example.fr (QR codes, links; "
                            "env WORKSHOP_PUBLIC_URL)")
    serve.set_defaults(func=_serve)
    sub.add_parser("demo", help="create the two demo seminars if missing (Amiens in progress, Creil finished) "
                                "and print their codes").set_defaults(func=_demo)
    validate = sub.add_parser("validate", help="validate kit or run-sheet YAML files")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(func=_validate)
    sub.add_parser("seminars", help="list the seminars").set_defaults(func=_seminars)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(func=_migrate)
    from workshop.cli_users import add_parser as add_users_parser

    add_users_parser(sub)
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
    import_.add_argument("--while-live", action="store_true", help=WHILE_LIVE_HELP)
    import_.set_defaults(func=_archive_import)
    snapshots = sub.add_parser("snapshots", help="automatic snapshots of running seminars: list, restore")
    snapshots_sub = snapshots.add_subparsers(dest="snapshots_command", required=True)
    listing = snapshots_sub.add_parser("list", help="list the snapshots on disk, oldest first")
    listing.add_argument("seminar_id", type=int, nargs="?", metavar="SEMINAR_ID", help="only this seminar's")
    listing.set_defaults(func=_snapshots_list)
    restore = snapshots_sub.add_parser("restore", help="import a snapshot as a new seminar")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--while-live", action="store_true", help=WHILE_LIVE_HELP)
    restore.set_defaults(func=_snapshots_restore)
    backup = sub.add_parser("backup", help="back up the whole database (pg_dump or SQLite's online backup) and the "
                                           "snapshots into one file, keeping the newest --keep")
    backup.add_argument("--to", metavar="DIR", help="folder of the backups (default: <data dir>/backups)")
    backup.add_argument("--keep", type=int, default=14, metavar="N",
                        help="keep the N newest backups of the folder, delete older ones (default 14)")
    backup.set_defaults(func=_backup)
    restore_all = sub.add_parser("restore", help="restore a `workshop backup` file into an empty database")
    restore_all.add_argument("file", metavar="FILE")
    restore_all.set_defaults(func=_restore)
    report = sub.add_parser("report", help="export a seminar's capitalisation report (PDF, DOCX, HTML, CSV, XLSX)")
    report.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    report.add_argument("--format", default=None, help=FORMAT_HELP)
    report.add_argument("-o", "--output", metavar="DIR", help="folder to write to (default: exports/)")
    report.set_defaults(func=_report)
    synthesis = sub.add_parser("synthesis", help="export a synthesis comparing several seminars (territories)")
    synthesis.add_argument("seminar_ids", type=int, nargs="+", metavar="SEMINAR_ID")
    synthesis.add_argument("--format", default=None, help=FORMAT_HELP)
    synthesis.add_argument("-o", "--output", metavar="DIR", help="folder to write to (default: exports/)")
    synthesis.set_defaults(func=_synthesis)
    from workshop.cli_personal_data import add_parsers as add_personal_data_parsers

    add_personal_data_parsers(sub)
    rehearse = sub.add_parser("rehearse", help="play run sheets end to end in Chromium before a seminar, "
                                               "with screenshots and an accessibility audit")
    rehearse.add_argument("run_sheets", nargs="*", metavar="RUN_SHEET",
                          help="run sheet names (default: every shipped one)")
    rehearse.add_argument("-o", "--output", metavar="DIR",
                          help="where screenshots go (default: test-artifacts/rehearsal/)")
    rehearse.set_defaults(func=_rehearse)
    return parser


class _PlainSpaces:
    """The command's stdout or stderr, writing French no-break spaces (U+00A0, U+202F) as plain
    spaces; everything else (flush, isatty, encoding…) is the stream's own.

    The catalogue spaces French for screens (« Export terminé : 1 fichier » with U+00A0); a terminal
    wraps no text, and scripts that read the command's output (grep, cron mails, a CI log) look for
    « conservation 1 mois » with a plain space."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(plain_spaces(text))
        return len(text)

    @property
    def verbatim(self):
        """The stream itself, for data written as it is (a participant's JSON export)."""
        return self._stream

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func is _serve:  # the server's own logs and pages are not the command's messages
        return args.func(args)
    with contextlib.redirect_stdout(_PlainSpaces(sys.stdout)), contextlib.redirect_stderr(_PlainSpaces(sys.stderr)):
        return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
