"""``workshop participants list|export|erase`` and ``workshop retention list|set|apply`` (RGPD)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workshop.db import get_database
from workshop.i18n import quoted, translate


def _fr(key: str, **params) -> str:
    return translate(key, "fr", **params)


def _db():
    db = get_database()
    db.create_schema()
    return db


def _participants_list(args: argparse.Namespace) -> int:
    from workshop.errors import WorkshopError
    from workshop.services import seminars
    from workshop.services.participants import list_participants

    db = _db()
    try:
        seminar = seminars.get_seminar_by_id(db, args.seminar_id)
    except WorkshopError as exc:
        print(exc.message("fr"), file=sys.stderr)
        return 1
    groups = {g.id: g.name for g in seminar.groups}
    people = list_participants(db, args.seminar_id)
    if not people:
        print("Personne n'a rejoint ce séminaire.")
    for p in sorted(people, key=lambda p: p.id):
        state = " (anonymisé)" if p.anonymised_at else ""
        print(f"{p.id:>6}  {p.display_name}{state} · {_fr(f'college_name.{p.college.value}')}"
              + (f" · {groups[p.group_id]}" if p.group_id in groups else ""))
    return 0


def _participants_export(args: argparse.Namespace) -> int:
    from workshop.errors import WorkshopError
    from workshop.services.personal_data import export_participant_json

    try:
        text = export_participant_json(_db(), args.seminar_id, args.participant_id)
    except WorkshopError as exc:
        print(f"Export impossible : {exc.message('fr')}", file=sys.stderr)
        return 1
    if args.output:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"Données du participant n° {args.participant_id} écrites : {path}", file=sys.stderr)
    else:  # the data as kept, not the command's spacing of its messages (cli._PlainSpaces)
        getattr(sys.stdout, "verbatim", sys.stdout).write(text)
    return 0


def _participants_erase(args: argparse.Namespace) -> int:
    from workshop.errors import WorkshopError
    from workshop.services.personal_data import erase_participant

    if not args.yes:
        if not sys.stdin.isatty():
            print("Effacement définitif : ajoutez --yes pour confirmer.", file=sys.stderr)
            return 2
        answer = input(f"Effacer définitivement le nom du participant {args.participant_id} "
                       f"du séminaire {args.seminar_id} ? Tapez {quoted('oui')} : ")
        if answer.strip().lower() != "oui":
            print("Rien n'a été effacé.", file=sys.stderr)
            return 1
    try:
        done = erase_participant(_db(), args.seminar_id, args.participant_id)
    except WorkshopError as exc:
        print(f"Effacement impossible : {exc.message('fr')}", file=sys.stderr)
        return 1
    print(f"Nom effacé : le participant {done.participant_id} s'appelle désormais {done.pseudonym} ; "
          f"sa tablette n'est plus reconnue. "
          + _fr("cli.files_rewritten", count=done.files_rewritten)
          + (" " + _fr("cli.files_deleted", count=done.files_deleted) if done.files_deleted else ""))
    return 0


def _retention_list(_args: argparse.Namespace) -> int:
    from workshop.services.personal_data import list_retention

    rows = list_retention(_db())
    if not rows:
        print("Aucun séminaire.")
    for r in rows:
        print(f"{r.seminar_id:>4}  {r.territory} — {r.title} : fin le {r.seminar_end:%d/%m/%Y}, "
              f"{_fr('cli.retention_months', count=r.months)}, noms gardés jusqu'au {r.names_until:%d/%m/%Y} "
              f"({_fr('cli.names_kept', count=r.named)}, {_fr('cli.anonymised', count=r.anonymised)})")
    return 0


def _retention_set(args: argparse.Namespace) -> int:
    from workshop.errors import WorkshopError
    from workshop.services.personal_data import set_retention

    try:
        r = set_retention(_db(), args.seminar_id, args.months)
    except WorkshopError as exc:
        print(exc.message("fr"), file=sys.stderr)
        return 1
    print(f"Séminaire n° {r.seminar_id} : {_fr('cli.retention_months', count=r.months)} après la fin "
          f"({r.seminar_end:%d/%m/%Y}) ; noms gardés jusqu'au {r.names_until:%d/%m/%Y}.")
    return 0


def _retention_apply(_args: argparse.Namespace) -> int:
    from workshop.services.personal_data import apply_retention

    run = apply_retention(_db())
    print(_fr("cli.retention_applied", count=run.participants) + " "
          + _fr("cli.files_rewritten", count=run.files_rewritten)
          + (" " + _fr("cli.files_deleted", count=run.files_deleted) if run.files_deleted else ""))
    return 0


def add_parsers(sub) -> None:
    people = sub.add_parser("participants", help="a participant's personal data: list, export, erase (RGPD)")
    people_sub = people.add_subparsers(dest="participants_command", required=True)
    listing = people_sub.add_parser("list", help="list a seminar's participants with their numbers")
    listing.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    listing.set_defaults(func=_participants_list)
    export = people_sub.add_parser("export", help="write one participant's data as JSON (name, collège, table, "
                                                  "cards, votes, ratings)")
    export.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    export.add_argument("participant_id", type=int, metavar="PARTICIPANT_ID")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")
    export.set_defaults(func=_participants_export)
    erase = people_sub.add_parser("erase", help="replace one participant's name by 'Participant n° N' now, "
                                                "drop their device token, rewrite snapshots and archives")
    erase.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    erase.add_argument("participant_id", type=int, metavar="PARTICIPANT_ID")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(func=_participants_erase)

    retention = sub.add_parser("retention", help="how long participants' names are kept: list, set, apply")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    retention_sub.add_parser("list", help="each seminar's end, retention period and names kept") \
        .set_defaults(func=_retention_list)
    setting = retention_sub.add_parser("set", help="months after its end a seminar keeps names (0 to 120)")
    setting.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
    setting.add_argument("months", metavar="MONTHS")
    setting.set_defaults(func=_retention_set)
    retention_sub.add_parser("apply", help="replace the names of seminars past their retention period "
                                           "(idempotent; the server also runs it at start and daily)") \
        .set_defaults(func=_retention_apply)
