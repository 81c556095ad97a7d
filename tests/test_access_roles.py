"""Who may open what, per role (issue 15): every staff page and action, table-driven.

Actors: nobody logged in, a guest facilitator who typed seminar A's code, and staff
accounts: a reader, the facilitator assigned to A, a facilitator assigned to B only, an
administrator. Browsers are simulated as "remote" (not the server's laptop), as on a hosted
server. Staff log in through the /staff/login form, like people do.
"""

from __future__ import annotations

from datetime import date

import pytest
from nicegui.testing import User

from staff_helpers import quick_hashing  # noqa: F401 - autouse fixture
from workshop.content import default_kit, find_run_sheet
from workshop.services import accounts, seminars

SECRET_A = "animation-a-2026"
SECRET_B = "animation-b-2026"
PASSWORD = "mot de passe solide"
EMAILS = {"reader": "lecture@cerdd.org", "facilitator": "anim@cerdd.org", "other_facilitator": "autre@cerdd.org",
          "admin": "admin@cerdd.org"}
ACTORS = ("anonymous", "guest", "reader", "facilitator", "other_facilitator", "admin")
RUN_A = {"guest", "facilitator", "admin"}                 # may run seminar A
READ_A = RUN_A | {"reader"}                               # may read seminar A's report
READ_BOTH = {"reader", "admin"}                           # may compare A and B in a synthesis
STAFF = {"reader", "facilitator", "other_facilitator", "admin"}


def _create(db, title: str, secret: str) -> seminars.CreatedSeminar:
    return seminars.create_seminar(
        db, title=title, territory=title.split()[-1], horizon_year=2050, run_sheet=find_run_sheet("deux-jours"),
        kit=default_kit(), day_dates=[date(2026, 12, 3)], group_names=["Table 1", "Table 2"],
        facilitator_secret=secret)


@pytest.fixture
def org(ui_db, monkeypatch):
    """Seminars A and B, the four staff accounts; browsers are not the server's laptop."""
    monkeypatch.setenv("WORKSHOP_LOCAL_ADMIN", "0")
    a = _create(ui_db, "Séminaire Amiens", SECRET_A)
    b = _create(ui_db, "Séminaire Creil", SECRET_B)
    ids = {role: accounts.create_account(ui_db, email, role.replace("other_", ""), PASSWORD).id
           for role, email in EMAILS.items()}
    accounts.assign(ui_db, ids["facilitator"], a.seminar_id)
    accounts.assign(ui_db, ids["other_facilitator"], b.seminar_id)
    return a, b, ids


async def staff_login(user: User, email: str, password: str = PASSWORD, path: str = "/staff/login") -> None:
    await user.open(path)
    user.find(marker="staff-email").type(email)
    user.find(marker="staff-password").type(password)
    user.find(marker="staff-login").click()


async def become(user: User, actor: str, a: seminars.CreatedSeminar) -> None:
    if actor == "guest":
        await user.open(f"/console/{a.seminar_id}/login")
        user.find(marker="secret").type(SECRET_A)
        user.find(marker="login").click()
        await user.should_see(marker="current-panel", retries=50)
    elif actor in EMAILS:
        await staff_login(user, EMAILS[actor])
        await user.should_see(marker="staff-home", retries=50)


@pytest.mark.parametrize("actor", ACTORS)
async def test_every_page_per_role(org, user: User, actor: str) -> None:
    a, b, _ = org
    await become(user, actor, a)
    # (page, what shows when allowed, what shows instead, who is allowed)
    table = [
        (f"/console/{a.seminar_id}", {"marker": "current-panel"}, {"marker": "secret"}, RUN_A),
        (f"/screen/{a.seminar_id}", {"target": a.join_code}, {"marker": "secret"}, RUN_A),
        (f"/console/{a.seminar_id}/report", {"marker": "export"}, {"marker": "secret"}, READ_A),
        (f"/console/{b.seminar_id}", {"marker": "current-panel"}, {"marker": "secret"},
         {"other_facilitator", "admin"}),
        ("/staff", {"marker": "staff-home"}, {"marker": "staff-email"}, STAFF),
        ("/staff/accounts", {"marker": "account-create"},
         {"marker": "staff-forbidden" if actor in STAFF else "staff-email"}, {"admin"}),
        ("/console/new", {"marker": "new-title"}, {"marker": "admin-secret"}, {"admin"}),
    ]
    for path, shown, refused, allowed in table:
        await user.open(path)
        if actor in allowed:
            await user.should_see(**shown, retries=50)
            await user.should_not_see(**refused)
        else:
            await user.should_see(**refused, retries=50)
            await user.should_not_see(**shown)
            await user.should_not_see(a.join_code)  # nothing of the seminar leaks on a refusal
    # the lessons learned: a form for who runs the seminar, read-only text for a reader
    if actor in READ_A:
        await user.open(f"/console/{a.seminar_id}/report")
        await user.should_see(marker="lessons-save" if actor in RUN_A else "lessons-text", retries=50)
        if actor not in RUN_A:
            await user.should_not_see(marker="lessons-save")
    # the synthesis compares what this person may read: both seminars, or fewer than two
    await user.open("/staff/synthesis")
    if actor in READ_BOTH:
        await user.should_see(marker=f"seminar-{a.seminar_id}", retries=50)
        await user.should_see(marker=f"seminar-{b.seminar_id}")
    else:
        await user.should_see(marker="synthesis-none", retries=50)
        await user.should_not_see(marker=f"seminar-{b.seminar_id}")


async def test_the_consoles_logout_also_ends_the_account_session(org, user: User) -> None:
    a, _, _ = org
    await become(user, "facilitator", a)
    await user.open(f"/console/{a.seminar_id}")
    await user.should_see(marker="current-panel", retries=50)
    await user.open(f"/console/{a.seminar_id}/logout")
    await user.should_see(marker="secret", retries=50)  # the code form, not the console again
    await user.open("/staff")
    await user.should_see(marker="staff-email", retries=50)


async def test_wrong_password_is_refused_in_french_and_grants_nothing(org, user: User) -> None:
    a, _, _ = org
    await staff_login(user, EMAILS["admin"], "pas le bon mot de passe")
    await user.should_see("Adresse ou mot de passe incorrect.", retries=50)
    await staff_login(user, "inconnu@cerdd.org")
    await user.should_see("Adresse ou mot de passe incorrect.", retries=50)
    await user.open(f"/console/{a.seminar_id}")
    await user.should_see(marker="secret")


async def test_from_a_seminars_login_page_to_its_console_with_an_account(org, user: User, create_user) -> None:
    a, _, _ = org
    await user.open(f"/console/{a.seminar_id}")
    await user.should_see(marker="staff-login-link")  # the code form offers the account login too
    await staff_login(user, EMAILS["facilitator"], path=f"/staff/login?next=/console/{a.seminar_id}")
    await user.should_see(marker="current-panel", retries=50)
    for target in ("https://evil.example/", "//evil.example", "/console/1/../../x"):
        other = create_user()
        await staff_login(other, EMAILS["reader"], path=f"/staff/login?next={target}")
        await other.should_see(marker="staff-home", retries=50)  # never sent off the site


async def test_logout_everywhere_ends_the_session_in_every_browser(org, user: User, create_user) -> None:
    a, _, _ = org
    laptop, phone = user, create_user()
    for browser in (laptop, phone):
        await become(browser, "facilitator", a)
        await browser.open(f"/console/{a.seminar_id}")
        await browser.should_see(marker="current-panel", retries=50)
    await phone.open("/staff")
    phone.find(marker="staff-logout-everywhere").click()
    await phone.should_see(marker="staff-email", retries=50)
    await laptop.open(f"/console/{a.seminar_id}")
    await laptop.should_see(marker="secret", retries=50)
    await laptop.should_not_see(marker="current-panel")


async def test_an_administrator_creates_assigns_and_disables_an_account(org, user: User, create_user) -> None:
    a, _, _ = org
    await become(user, "admin", a)
    await user.open("/staff/accounts")
    user.find(marker="account-email").type("nouvelle@cerdd.org")
    user.find(marker="account-password").type("un mot de passe neuf")
    user.find(marker="account-password-again").type("un mot de passe NEUF")
    user.find(marker="account-create").click()
    await user.should_see("Les deux mots de passe ne sont pas identiques.", retries=50)
    user.find(marker="account-password-again").clear().type("un mot de passe neuf")
    user.find(marker="account-create").click()
    await user.should_see("Compte créé pour nouvelle@cerdd.org.", retries=50)
    new = accounts.account_by_email(accounts_db(), "nouvelle@cerdd.org")
    assert new.role.value == "facilitator" and new.active
    select = next(iter(user.find(marker=f"assign-select-{new.id}").elements))
    with user:
        select.value = a.seminar_id
    user.find(marker=f"assign-{new.id}").click()
    await user.should_see(marker=f"unassign-{new.id}-{a.seminar_id}", retries=50)

    colleague = create_user()
    await staff_login(colleague, "nouvelle@cerdd.org", "un mot de passe neuf",
                      path=f"/staff/login?next=/console/{a.seminar_id}")
    await colleague.should_see(marker="current-panel", retries=50)

    await user.open("/staff/accounts")  # (simulated browsers share one request context: the admin's again)
    user.find(marker=f"disable-{new.id}").click()
    await user.should_see(marker=f"enable-{new.id}", retries=50)
    await colleague.open(f"/console/{a.seminar_id}")
    await colleague.should_see(marker="secret", retries=50)  # disabled: its session is over at once


async def test_admin_actions_check_the_session_at_every_click(org, user: User) -> None:
    a, _, ids = org
    await become(user, "admin", a)
    await user.open("/staff/accounts")
    accounts.end_sessions(accounts_db(), ids["admin"])  # e.g. "log out everywhere" from another device
    user.find(marker="account-email").type("intrus@cerdd.org")
    user.find(marker="account-password").type("un mot de passe neuf")
    user.find(marker="account-password-again").type("un mot de passe neuf")
    user.find(marker="account-create").click()
    await user.should_see("Votre session est terminée\u00a0: reconnectez-vous.", retries=50)
    user.find(marker=f"disable-{ids['reader']}").click()
    await user.should_see("Votre session est terminée\u00a0: reconnectez-vous.", retries=50)
    emails = {i.email: i.active for i in accounts.list_accounts(accounts_db())}
    assert "intrus@cerdd.org" not in emails and emails[EMAILS["reader"]] is True


async def test_the_last_administrator_cannot_disable_themselves(org, user: User) -> None:
    a, _, ids = org
    await become(user, "admin", a)
    await user.open("/staff/accounts")
    user.find(marker=f"disable-{ids['admin']}").click()
    await user.should_see("C'est le dernier compte administrateur actif", retries=50)
    assert accounts.account_by_email(accounts_db(), EMAILS["admin"]).active


def accounts_db():
    from workshop.db import get_database

    return get_database()


async def test_a_reader_exports_a_report_but_cannot_change_the_lessons(org, user: User, tmp_path, monkeypatch) -> None:
    a, _, _ = org
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(tmp_path / "exports"))
    await become(user, "reader", a)
    await user.open(f"/console/{a.seminar_id}/report")
    await user.should_see(marker="export", retries=50)
    for fmt in ("pdf", "docx", "html", "csv-tableur", "xlsx"):  # the open-data CSV only: quick
        for box in user.find(marker=f"format-{fmt}").elements:
            box.value = False
    user.find(marker="export").click()
    await user.should_see("Export terminé\u00a0: 1\u00a0fichier.", retries=600)
    assert [p.suffix for p in (tmp_path / "exports").iterdir()] == [".zip"]
    await user.should_see(marker="lessons-text")
    await user.should_not_see(marker="lessons")


async def test_an_administrator_sets_a_new_password(org, user: User) -> None:
    a, _, ids = org
    reader = ids["reader"]
    await become(user, "admin", a)
    await user.open("/staff/accounts")
    user.find(marker=f"password-{reader}").click()
    user.find(marker="new-password").type("nouveau mot de passe du lecteur")
    user.find(marker="new-password-again").type("nouveau mot de passe du lecteur")
    user.find(marker=f"save-password-{reader}").click()
    await user.should_see("Modification enregistrée.", retries=50)
    assert accounts.login(accounts_db(), EMAILS["reader"], "nouveau mot de passe du lecteur", client="t")
