"""The ``workshop`` command: serve, demo, validate, seminars, migrate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workshop.content import ContentError, Kit, validate_file
from workshop.db import get_database


def _serve(args: argparse.Namespace) -> int:
    db = get_database()
    db.create_schema()
    if args.demo and not any(s.territory == "Amiens Métropole" for s in _summaries()):
        _print_demo(_build_demo())
    from workshop.ui.app import run

    run(host=args.host, port=args.port)
    return 0


def _summaries():
    from workshop.services import seminars

    return seminars.list_seminars(get_database())


def _build_demo():
    from workshop.demo import build_demo

    db = get_database()
    db.create_schema()
    return build_demo(db)


def _print_demo(demo) -> None:
    print(f"Séminaire de démonstration n° {demo.seminar_id} : code de participation {demo.join_code}, "
          f"code animateur « {demo.facilitator_secret} »")


def _demo(_args: argparse.Namespace) -> int:
    _print_demo(_build_demo())
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
