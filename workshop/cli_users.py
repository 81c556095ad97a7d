"""``workshop users …``: staff accounts from the command line (the first administrator, too).

Passwords are typed twice at a hidden prompt, or read from the first line of standard input
with ``--password-stdin`` (scripts, provisioning). There is never a default password.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from workshop.db import get_database
from workshop.errors import Invalid, WorkshopError
from workshop.i18n import translate
from workshop.services import accounts

FIRST_ADMIN_HINT = ("Aucun compte administrateur pour l'instant. Pour un serveur partagé par une équipe, "
                    "créez le premier avec : workshop users add VOTRE@ADRESSE --role admin "
                    "(le mot de passe est demandé deux fois).")


def _say(exc: WorkshopError) -> int:
    print(exc.message("fr"), file=sys.stderr)
    return 1


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise Invalid("password_needs_terminal")
    first = getpass.getpass("Mot de passe : ")
    accounts.check_password(first)  # say what is wrong before asking again
    if getpass.getpass("Mot de passe (encore une fois) : ") != first:
        raise Invalid("passwords_differ")
    return first


def _db():
    db = get_database()
    db.create_schema()
    return db


def _add(args: argparse.Namespace) -> int:
    db = _db()
    try:
        accounts.normalise_email(args.email)
        info = accounts.create_account(db, args.email, args.role, _password(args))
    except WorkshopError as exc:
        return _say(exc)
    print(f"Compte créé : {info.email} ({translate('role.' + info.role.value, 'fr')}).")
    return 0


def _list(_args: argparse.Namespace) -> int:
    rows = accounts.list_accounts(_db())
    if not rows:
        print(FIRST_ADMIN_HINT)
        return 0
    for info in rows:
        state = "actif" if info.active else "désactivé"
        seminars = (" · séminaires " + ", ".join(f"n° {sid}" for sid in info.seminar_ids)) if info.seminar_ids else ""
        print(f"{info.email}  {translate('role.' + info.role.value, 'fr')}  {state}{seminars}")
    return 0


def _with_account(action):
    def run(args: argparse.Namespace) -> int:
        db = _db()
        try:
            info = accounts.account_by_email(db, args.email)
            return action(db, info, args)
        except WorkshopError as exc:
            return _say(exc)
    return run


def _assign(db, info, args) -> int:
    accounts.assign(db, info.id, args.seminar_id)
    print(f"{info.email} anime désormais le séminaire n° {args.seminar_id}.")
    return 0


def _unassign(db, info, args) -> int:
    accounts.unassign(db, info.id, args.seminar_id)
    print(f"{info.email} n'anime plus le séminaire n° {args.seminar_id}.")
    return 0


def _remove(db, info, _args) -> int:
    accounts.remove_account(db, info.id)
    print(f"Compte supprimé : {info.email} (ses sessions sont terminées).")
    return 0


def _disable(db, info, _args) -> int:
    accounts.set_active(db, info.id, False)
    print(f"Compte désactivé : {info.email} (ses sessions sont terminées).")
    return 0


def _enable(db, info, _args) -> int:
    accounts.set_active(db, info.id, True)
    print(f"Compte réactivé : {info.email}.")
    return 0


def _set_password(db, info, args) -> int:
    accounts.set_password(db, info.id, _password(args))
    print(f"Mot de passe changé pour {info.email} (ses sessions sont terminées).")
    return 0


def _set_role(db, info, args) -> int:
    changed = accounts.set_role(db, info.id, args.role)
    print(f"{changed.email} : rôle {translate('role.' + changed.role.value, 'fr')}"
          + (" (ses affectations aux séminaires sont retirées)." if info.seminar_ids and not changed.seminar_ids
             else "."))
    return 0


def _logout(db, info, _args) -> int:
    ended = accounts.end_sessions(db, info.id)
    print(translate("staff.logged_out_everywhere", "fr", count=ended))
    return 0


def add_parser(sub) -> None:
    users = sub.add_parser("users", help="staff accounts: add, list, assign, unassign, role, disable, enable, "
                                         "password, logout, remove")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create an account (the password is asked twice)")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", required=True, choices=accounts.ROLES,
                     help="admin: seminars and accounts; facilitator: runs assigned seminars; reader: reports only")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=_add)
    users_sub.add_parser("list", help="list the accounts").set_defaults(func=_list)
    for name, action, text in (("assign", _assign, "let a facilitator run a seminar"),
                               ("unassign", _unassign, "take a seminar back from a facilitator")):
        parser = users_sub.add_parser(name, help=text)
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("seminar_id", type=int, metavar="SEMINAR_ID")
        parser.set_defaults(func=_with_account(action))
    for name, action, text in (("remove", _remove, "delete an account"),
                               ("disable", _disable, "disable an account (its sessions end)"),
                               ("enable", _enable, "enable a disabled account"),
                               ("logout", _logout, "end every session of an account")):
        parser = users_sub.add_parser(name, help=text)
        parser.add_argument("email", metavar="EMAIL")
        parser.set_defaults(func=_with_account(action))
    role = users_sub.add_parser("role", help="change an account's role")
    role.add_argument("email", metavar="EMAIL")
    role.add_argument("role", choices=accounts.ROLES)
    role.set_defaults(func=_with_account(_set_role))
    password = users_sub.add_parser("password", help="set a new password (its sessions end)")
    password.add_argument("email", metavar="EMAIL")
    password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    password.set_defaults(func=_with_account(_set_password))


def first_admin_hint() -> str | None:
    """What ``workshop serve`` prints while no administrator account exists."""
    return None if accounts.has_admin(get_database()) else FIRST_ADMIN_HINT
