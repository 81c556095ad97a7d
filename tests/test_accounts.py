"""Staff accounts (issue 15): passwords, sessions, roles and the `workshop users` command.

Service tests run on SQLite and PostgreSQL (``db``). Page-by-page rights per role are in
tests/test_access_roles.py.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from seminar_helpers import count, refused
from workshop import cli, cli_users
from staff_helpers import REAL_HASHER, quick_hashing  # noqa: F401 - autouse fixture
from workshop.content import default_kit, find_run_sheet
from workshop.db import set_database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import StaffAccount, StaffAssignment, StaffRole, StaffSession
from workshop.services import accounts, ratelimit, seminars

PASSWORD = "correct horse battery"


def _seminar(db, title: str) -> int:
    return seminars.create_seminar(
        db, title=title, territory=title.split()[-1], horizon_year=2050, run_sheet=find_run_sheet("deux-jours"),
        kit=default_kit(), day_dates=[date(2026, 12, 3)], group_names=["Table 1"],
        facilitator_secret="animation-2026").seminar_id


def test_the_password_is_stored_as_an_argon2id_hash_only(db, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", REAL_HASHER)  # the production parameters
    info = accounts.create_account(db, "  Claire.Martin@Cerdd.org ", "admin", PASSWORD)
    assert info.email == "claire.martin@cerdd.org" and info.role is StaffRole.ADMIN and info.active
    with db.read() as session:
        stored = session.get(StaffAccount, info.id).password_hash
    assert stored.startswith("$argon2id$") and "m=65536" in stored  # memory-hard: 64 MiB per check
    assert PASSWORD not in stored


@pytest.mark.parametrize(("email", "password", "code"), [
    ("pas-une-adresse", PASSWORD, "email_invalid"),
    ("a@b", PASSWORD, "email_invalid"),
    ("x" * 250 + "@cerdd.org", PASSWORD, "email_invalid"),
    ("ok@cerdd.org", "court", "password_too_short"),
    ("ok@cerdd.org", "", "password_too_short"),
    ("ok@cerdd.org", None, "password_too_short"),
    ("ok@cerdd.org", "x" * 201, "password_too_long"),
    ("ok@cerdd.org", " espace au début", "password_spaces"),
])
def test_bad_addresses_and_passwords_are_refused_and_nothing_is_created(db, email, password, code):
    with refused(Invalid, code):
        accounts.create_account(db, email, "reader", password)
    assert count(db, StaffAccount) == 0


def test_an_address_has_one_account_and_roles_are_checked(db):
    accounts.create_account(db, "a@cerdd.org", "reader", PASSWORD)
    with refused(Invalid, "email_taken"):
        accounts.create_account(db, "A@CERDD.ORG", "admin", PASSWORD)
    with refused(Invalid, "unknown_role"):
        accounts.create_account(db, "b@cerdd.org", "superuser", PASSWORD)
    assert [a.email for a in accounts.list_accounts(db)] == ["a@cerdd.org"]


def test_login_gives_a_session_and_wrong_or_unknown_get_the_same_answer(db):
    accounts.create_account(db, "f@cerdd.org", "facilitator", PASSWORD)
    token = accounts.login(db, "F@cerdd.org", PASSWORD, client="10.0.0.1")
    staff = accounts.identity(db, token)
    assert staff is not None and staff.email == "f@cerdd.org" and staff.role is StaffRole.FACILITATOR
    with db.read() as session:
        from sqlalchemy import select

        stored = session.scalars(select(StaffSession.token_hash)).all()
    assert stored and token not in stored  # only the token's hash is in the database
    for email, password in (("f@cerdd.org", PASSWORD + "x"), ("nobody@cerdd.org", PASSWORD), ("", ""),
                            ("f@cerdd.org", None), ("f@cerdd.org", "x" * 5000)):
        with refused(Forbidden, "bad_login", case=email):
            accounts.login(db, email, password, client=f"10.0.1.{len(email)}")
    for forged in (None, "", "x", token + "x", "x" * 500):
        assert accounts.identity(db, forged) is None


def test_wrong_passwords_are_throttled_per_address_and_per_account(db, fake_clock):
    accounts.create_account(db, "f@cerdd.org", "facilitator", PASSWORD)
    for _ in range(ratelimit.LOGIN_CLIENT.burst):
        with refused(Forbidden, "bad_login"):
            accounts.login(db, "f@cerdd.org", "devinette-devinette", client="192.168.1.66")
    with refused(Forbidden, "too_many_attempts"):  # even the right password waits now, from there
        accounts.login(db, "f@cerdd.org", PASSWORD, client="192.168.1.66")
    assert accounts.login(db, "f@cerdd.org", PASSWORD, client="192.168.1.10")  # elsewhere: fine
    ratelimit.reset_all()
    for i in range(ratelimit.LOGIN_SEMINAR.burst):
        with refused(Forbidden, "bad_login"):
            accounts.login(db, "f@cerdd.org", "devinette-devinette", client=f"10.2.{i}.1")
    with refused(Forbidden, "too_many_attempts"):  # one account, tried from many addresses
        accounts.login(db, "f@cerdd.org", PASSWORD, client="10.9.9.9")


def test_sessions_expire_after_12_hours_idle_and_after_7_days_whatever(db, fake_clock):
    accounts.create_account(db, "r@cerdd.org", "reader", PASSWORD)
    token = accounts.login(db, "r@cerdd.org", PASSWORD, client="c")
    fake_clock.advance(hours=11, minutes=59)
    assert accounts.identity(db, token) is not None  # used: the idle time starts again
    fake_clock.advance(hours=11, minutes=59)
    assert accounts.identity(db, token) is not None
    fake_clock.advance(hours=12, minutes=1)
    assert accounts.identity(db, token) is None
    assert count(db, StaffSession) == 0  # the expired session is gone, not just ignored
    token = accounts.login(db, "r@cerdd.org", PASSWORD, client="c")
    alive = []
    for _ in range(16):  # used every 11 hours, never idle for 12
        fake_clock.advance(hours=11)
        alive.append(accounts.identity(db, token) is not None)
    assert alive == [True] * 15 + [False]  # 165 h: still on; 176 h is past 7 days (168 h): over


def test_logout_ends_one_session_or_all_of_them(db):
    accounts.create_account(db, "f@cerdd.org", "facilitator", PASSWORD)
    laptop, phone, tablet = (accounts.login(db, "f@cerdd.org", PASSWORD, client="c") for _ in range(3))
    assert accounts.logout(db, phone) == 1
    assert accounts.identity(db, phone) is None and accounts.identity(db, laptop) is not None
    assert accounts.logout(db, laptop, everywhere=True) == 2
    assert accounts.identity(db, laptop) is None and accounts.identity(db, tablet) is None
    assert accounts.logout(db, laptop) == 0


def test_a_logout_in_one_process_ends_the_session_in_the_others(db):
    """Workers mode: each process has its own engine on the same database."""
    from workshop.db import Database

    accounts.create_account(db, "f@cerdd.org", "facilitator", PASSWORD)
    token = accounts.login(db, "f@cerdd.org", PASSWORD, client="c")
    other_worker = Database(db.url)
    try:
        assert accounts.identity(other_worker, token) is not None
        accounts.logout(other_worker, token)
        assert accounts.identity(db, token) is None
    finally:
        other_worker.dispose()


def test_disabling_or_a_new_password_ends_every_session(db):
    info = accounts.create_account(db, "f@cerdd.org", "facilitator", PASSWORD)
    accounts.create_account(db, "admin@cerdd.org", "admin", PASSWORD)
    token = accounts.login(db, "f@cerdd.org", PASSWORD, client="c")
    accounts.set_active(db, info.id, False)
    assert accounts.identity(db, token) is None
    with refused(Forbidden, "account_disabled"):
        accounts.login(db, "f@cerdd.org", PASSWORD, client="c")
    with refused(Forbidden, "bad_login"):  # a wrong password says nothing about the account
        accounts.login(db, "f@cerdd.org", "pas-le-bon-mot-de-passe", client="d")
    accounts.set_active(db, info.id, True)
    token = accounts.login(db, "f@cerdd.org", PASSWORD, client="c")
    accounts.set_password(db, info.id, "un autre mot de passe")
    assert accounts.identity(db, token) is None
    with refused(Forbidden, "bad_login"):
        accounts.login(db, "f@cerdd.org", PASSWORD, client="e")
    assert accounts.login(db, "f@cerdd.org", "un autre mot de passe", client="e")


def test_rights_per_role(db):
    a, b = _seminar(db, "Séminaire Amiens"), _seminar(db, "Séminaire Creil")
    admin = accounts.create_account(db, "admin@cerdd.org", "admin", PASSWORD)
    fac = accounts.create_account(db, "fac@cerdd.org", "facilitator", PASSWORD)
    reader = accounts.create_account(db, "lecture@cerdd.org", "reader", PASSWORD)
    accounts.assign(db, fac.id, a)
    accounts.assign(db, fac.id, a)  # twice: still one assignment
    assert count(db, StaffAssignment) == 1
    who = {i.email: accounts.identity(db, accounts.login(db, i.email, PASSWORD, client="c"))
           for i in (admin, fac, reader)}
    runs = {email: (s.may_run(a), s.may_run(b)) for email, s in who.items()}
    reads = {email: (s.may_read(a), s.may_read(b)) for email, s in who.items()}
    assert runs == {"admin@cerdd.org": (True, True), "fac@cerdd.org": (True, False),
                    "lecture@cerdd.org": (False, False)}
    assert reads == {"admin@cerdd.org": (True, True), "fac@cerdd.org": (True, False),
                     "lecture@cerdd.org": (True, True)}
    with refused(Invalid, "assign_facilitators_only"):
        accounts.assign(db, reader.id, a)
    with refused(NotFound, "not_found"):
        accounts.assign(db, fac.id, 99999)
    accounts.unassign(db, fac.id, a)
    token = accounts.login(db, "fac@cerdd.org", PASSWORD, client="c")
    assert not accounts.identity(db, token).may_run(a)  # taken back: no right left


def test_a_deleted_seminar_takes_its_assignments_with_it(db):
    a = _seminar(db, "Séminaire Amiens")
    fac = accounts.create_account(db, "fac@cerdd.org", "facilitator", PASSWORD)
    accounts.assign(db, fac.id, a)
    from workshop.models import Seminar

    with db.write() as session:
        session.delete(session.get(Seminar, a))
    assert count(db, StaffAssignment) == 0
    assert accounts.account_by_email(db, "fac@cerdd.org").seminar_ids == ()


def test_the_last_administrator_cannot_be_removed_disabled_or_demoted(db):
    first = accounts.create_account(db, "admin@cerdd.org", "admin", PASSWORD)
    for action in (lambda: accounts.remove_account(db, first.id), lambda: accounts.set_active(db, first.id, False),
                   lambda: accounts.set_role(db, first.id, "reader")):
        with refused(Invalid, "last_admin"):
            action()
    assert accounts.has_admin(db)
    second = accounts.create_account(db, "admin2@cerdd.org", "admin", PASSWORD)
    accounts.set_active(db, second.id, False)
    with refused(Invalid, "last_admin"):  # a disabled administrator manages nothing
        accounts.remove_account(db, first.id)
    accounts.set_active(db, second.id, True)
    accounts.remove_account(db, first.id)
    assert [a.email for a in accounts.list_accounts(db)] == ["admin2@cerdd.org"]


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_db(db, monkeypatch):
    set_database(db)
    yield db
    set_database(None)


def _stdin(monkeypatch, text: str, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty
    monkeypatch.setattr("sys.stdin", stream)


def test_cli_adds_the_first_administrator_from_stdin(cli_db, monkeypatch, capsys):
    assert cli_users.first_admin_hint() is not None
    _stdin(monkeypatch, PASSWORD + "\n")
    assert cli.main(["users", "add", "Claire@cerdd.org", "--role", "admin", "--password-stdin"]) == 0
    assert "Compte créé : claire@cerdd.org (Administration)." in capsys.readouterr().out
    assert cli_users.first_admin_hint() is None
    assert accounts.identity(cli_db, accounts.login(cli_db, "claire@cerdd.org", PASSWORD, client="c")).is_admin


def test_cli_asks_the_password_twice_and_never_invents_one(cli_db, monkeypatch, capsys):
    _stdin(monkeypatch, "", tty=True)
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["users", "add", "f@cerdd.org", "--role", "facilitator"]) == 1
    assert "Les deux mots de passe ne sont pas identiques." in capsys.readouterr().err
    answers = iter(["court"])
    assert cli.main(["users", "add", "f@cerdd.org", "--role", "facilitator"]) == 1
    assert "au moins 12 caractères" in capsys.readouterr().err
    _stdin(monkeypatch, "")  # no terminal and no --password-stdin: no account, no default password
    assert cli.main(["users", "add", "f@cerdd.org", "--role", "facilitator"]) == 1
    assert "--password-stdin" in capsys.readouterr().err
    _stdin(monkeypatch, "\n")
    assert cli.main(["users", "add", "f@cerdd.org", "--role", "facilitator", "--password-stdin"]) == 1
    assert accounts.list_accounts(cli_db) == []
    _stdin(monkeypatch, "", tty=True)
    answers = iter([PASSWORD, PASSWORD])
    assert cli.main(["users", "add", "f@cerdd.org", "--role", "facilitator"]) == 0
    with pytest.raises(SystemExit):
        cli.main(["users", "add", "x@cerdd.org", "--role", "superuser", "--password-stdin"])


def test_cli_lists_assigns_and_removes(cli_db, monkeypatch, capsys):
    a = _seminar(cli_db, "Séminaire Amiens")
    assert cli.main(["users", "list"]) == 0
    assert "workshop users add" in capsys.readouterr().out  # how to create the first administrator
    for email, role in (("admin@cerdd.org", "admin"), ("fac@cerdd.org", "facilitator")):
        _stdin(monkeypatch, PASSWORD + "\n")
        assert cli.main(["users", "add", email, "--role", role, "--password-stdin"]) == 0
    assert cli.main(["users", "assign", "fac@cerdd.org", str(a)]) == 0
    assert cli.main(["users", "assign", "admin@cerdd.org", str(a)]) == 1
    assert "Seuls les comptes d'animation" in capsys.readouterr().err
    assert cli.main(["users", "assign", "fac@cerdd.org", "4242"]) == 1
    assert cli.main(["users", "assign", "nobody@cerdd.org", str(a)]) == 1
    assert "Aucun compte pour nobody@cerdd.org." in capsys.readouterr().err
    assert cli.main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert "admin@cerdd.org  Administration  actif" in out
    assert f"fac@cerdd.org  Animation  actif · séminaires n° {a}" in out
    assert cli.main(["users", "role", "admin@cerdd.org", "reader"]) == 1  # the last administrator stays
    assert "dernier compte administrateur" in capsys.readouterr().err
    assert cli.main(["users", "remove", "admin@cerdd.org"]) == 1  # the last administrator stays
    assert "dernier compte administrateur" in capsys.readouterr().err
    assert cli.main(["users", "role", "fac@cerdd.org", "reader"]) == 0
    assert "fac@cerdd.org : rôle Lecture (ses affectations aux séminaires sont retirées)." in capsys.readouterr().out
    assert accounts.account_by_email(cli_db, "fac@cerdd.org").seminar_ids == ()
    token = accounts.login(cli_db, "fac@cerdd.org", PASSWORD, client="c")
    assert cli.main(["users", "remove", "fac@cerdd.org"]) == 0
    assert accounts.identity(cli_db, token) is None
    assert count(cli_db, StaffAssignment) == 0 and count(cli_db, StaffSession) == 0
