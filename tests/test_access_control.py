"""Access control: every protected page and action, tried without the secret and as someone else.

Service-level tests run on SQLite and PostgreSQL (``db``); page tests use simulated
browsers (``ui_db``). "Remote" browsers are simulated with ``WORKSHOP_LOCAL_ADMIN=0``: the
simulated client's address is 127.0.0.1, which otherwise counts as the server's laptop.
"""

from __future__ import annotations

import asyncio

import stat
from datetime import date

import pytest
from nicegui import run
from nicegui.testing import User

from seminar_helpers import open_activity, refused, send_join_form
from workshop.content import default_kit, find_run_sheet
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import CardKind, College, Interaction, Relation
from workshop.services import access, cards, links, participants, ratelimit, seminars, trajectories, votes

SECRET_A = "animation-a-2026"
SECRET_B = "animation-b-2026"


def _create(db, title: str, secret: str, groups=("Table 1", "Table 2")) -> seminars.CreatedSeminar:
    return seminars.create_seminar(
        db, title=title, territory=title.split()[-1], horizon_year=2050,
        run_sheet=find_run_sheet("deux-jours"), kit=default_kit(), day_dates=[date(2026, 12, 3)],
        group_names=list(groups), facilitator_secret=secret)


# --- participants: a device token acts as that participant only -----------------------------


@pytest.fixture
def room(db):
    """Two seminars; in A, Alice wrote a stake; A's contribution round is open, and so is B's."""
    a = _create(db, "Séminaire Amiens", SECRET_A)
    b = _create(db, "Séminaire Creil", SECRET_B)
    act_a = open_activity(db, a.seminar_id, Interaction.CONTRIBUTE, CardKind.STAKE)
    act_b = open_activity(db, b.seminar_id, Interaction.CONTRIBUTE, CardKind.STAKE)
    alice = participants.join(db, a.join_code, display_name="Alice", college=College.RESIDENT)
    bob = participants.join(db, a.join_code, display_name="Bob", college=College.STAFF)
    carol = participants.join(db, b.join_code, display_name="Carol", college=College.ELECTED)
    card_a = cards.contribute(db, alice.device_token, act_a.id, kind="stake", text="L'eau potable")
    card_b = cards.contribute(db, carol.device_token, act_b.id, kind="stake", text="Les mobilités")
    return dict(a=a, b=b, act_a=act_a, act_b=act_b, alice=alice, bob=bob, carol=carol, card_a=card_a,
                card_b=card_b)


def test_another_participant_cannot_edit_or_withdraw_my_card(db, room):
    bob, card = room["bob"].device_token, room["card_a"].id
    with refused(Forbidden, "not_your_card"):
        cards.edit_own(db, bob, card, text="Réécrit par Bob")
    with refused(Forbidden, "not_your_card"):
        cards.withdraw_own(db, bob, card)
    [mine] = cards.own_cards(db, room["alice"].device_token)
    assert (mine.text, mine.withdrawn) == ("L'eau potable", False)
    assert cards.own_cards(db, bob) == []


def test_a_token_of_seminar_a_does_nothing_in_seminar_b(db, room):
    alice = room["alice"].device_token
    b, act_b, card_b = room["b"].seminar_id, room["act_b"].id, room["card_b"].id
    with refused(NotFound, "not_found"):
        cards.contribute(db, alice, act_b, kind="stake", text="Intrusion")
    with refused(NotFound, "not_found"):
        cards.edit_own(db, alice, card_b, text="Intrusion")
    with refused(NotFound, "not_found"):
        cards.withdraw_own(db, alice, card_b)
    vote_b = open_activity(db, b, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    with refused(NotFound, "not_found"):
        votes.set_dots(db, alice, vote_b.id, card_b, 1)
    with refused(NotFound, "not_found"):
        votes.ballot(db, alice, vote_b.id)
    with refused(NotFound, "not_found"):
        votes.rate(db, alice, vote_b.id, card_b, "impact", 3)
    with refused(NotFound, "not_found"):
        links.propose_link(db, alice, vote_b.id, card_b, card_b, Relation.INFLUENCES)
    with refused(Forbidden, "unknown_device"):
        trajectories.create_trajectory(db, b, card_b, "Intrusion", device_token=alice)
    group_b = seminars.get_seminar_by_id(db, b).groups[0].id
    with refused(NotFound, "not_found"):
        participants.update_profile(db, alice, group_id=group_b)
    assert [c.text for c in cards.list_cards(db, b)] == ["Les mobilités"]
    assert votes.tally(db, b) == []


def test_a_card_of_seminar_a_cannot_be_used_from_seminar_b(db, room):
    carol, act_b = room["carol"].device_token, room["act_b"].id
    vote_b = open_activity(db, room["b"].seminar_id, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    with refused(NotFound, "not_found"):
        votes.set_dots(db, carol, vote_b.id, room["card_a"].id, 1)
    assert act_b != vote_b.id


@pytest.mark.parametrize("token", [None, "", "x", "x" * 201, "a" * 43, "' OR 1=1 --"])
def test_unknown_or_forged_tokens_are_refused(db, room, token):
    with refused(Forbidden, "unknown_device"):
        cards.contribute(db, token, room["act_a"].id, kind="stake", text="Anonyme")
    with refused(Forbidden, "unknown_device"):
        participants.resume(db, token)


# --- facilitator secrets ---------------------------------------------------------------------


def test_wrong_secret_is_refused_and_a_missing_seminar_looks_the_same(db, room):
    a = room["a"].seminar_id
    for secret in ("", "animation", SECRET_B, SECRET_A.upper(), SECRET_A + " ", "x" * 500, None):
        with refused(Forbidden, "bad_secret", case=secret):
            access.facilitator_login(db, a, secret, client=f"10.0.0.{len(secret or '')}")
    with refused(Forbidden, "bad_secret"):
        access.facilitator_login(db, 99999, SECRET_A, client="10.0.1.1")
    access.facilitator_login(db, a, SECRET_A, client="10.0.1.2")
    with db.read() as session:
        from workshop.models import Seminar

        stored = session.get(Seminar, a).facilitator_secret_hash
    assert SECRET_A not in stored and stored.startswith("scrypt$")


def test_facilitator_login_is_throttled_per_address(db, room, fake_clock):
    a = room["a"].seminar_id
    for _ in range(ratelimit.LOGIN_CLIENT.burst):
        with refused(Forbidden, "bad_secret"):
            access.facilitator_login(db, a, "devinette", client="192.168.1.66")
    with refused(Forbidden, "too_many_attempts") as caught:  # even the right secret waits now
        access.facilitator_login(db, a, SECRET_A, client="192.168.1.66")
    assert caught.value.message("fr") == "Trop de tentatives de connexion. Par sécurité, réessayez dans 30 s."
    access.facilitator_login(db, a, SECRET_A, client="192.168.1.10")  # the facilitator's laptop is not locked out
    fake_clock.advance(seconds=30)
    access.facilitator_login(db, a, SECRET_A, client="192.168.1.66")  # one try came back, and it is right
    access.facilitator_login(db, a, SECRET_A, client="192.168.1.66")  # right secrets cost nothing


def test_strangers_cannot_lock_the_facilitator_out(db, room, fake_clock):
    """Wrong tries from rotating addresses, one every 10 s for ten minutes: the right code still gets in."""
    a, b = room["a"].seminar_id, room["b"].seminar_id
    answers = []
    for i in range(60):
        with refused(Forbidden, "bad_secret") as caught:
            access.facilitator_login(db, a, "devinette", client=f"10.1.{i}.1")
        answers.append(caught.value.params["delay"])
        fake_clock.advance(seconds=10)
        access.facilitator_login(db, a, SECRET_A, client="10.9.9.9")  # the facilitator, at any moment
    assert answers[0] == access.WRONG_SECRET_DELAY  # a typo is answered after a second
    assert answers[-1] == access.WRONG_SECRET_DELAY_UNDER_ATTACK  # a sustained guessing slows down
    access.facilitator_login(db, b, SECRET_B, client="10.9.9.9")  # another seminar is not affected


def test_open_by_code_cannot_be_locked_out_either(db, room, fake_clock):
    a = room["a"]
    for i in range(40):
        with refused(Forbidden, "bad_code_or_secret"):
            access.connect_by_code(db, a.join_code, "devinette", client=f"10.2.{i}.1")
        fake_clock.advance(seconds=5)
    assert access.connect_by_code(db, a.join_code, SECRET_A, client="10.9.9.8") == a.seminar_id


def test_a_browser_that_opened_the_seminar_before_is_not_locked_out_by_its_address(db, room, fake_clock):
    """Same venue address as a guessing script: the facilitator's own browser has its own bucket."""
    a = room["a"].seminar_id
    for _ in range(ratelimit.LOGIN_CLIENT.burst + 3):
        with pytest.raises(Forbidden):
            access.facilitator_login(db, a, "devinette", client="192.0.2.7", browser="script")
    with refused(Forbidden, "too_many_attempts"):  # a browser never seen on this seminar waits
        access.facilitator_login(db, a, SECRET_A, client="192.0.2.7", browser="new")
    access.facilitator_login(db, a, SECRET_A, client="192.0.2.7", browser="laptop", known={a})
    with refused(Forbidden, "too_many_attempts"):  # "known" only for the seminars it opened
        access.facilitator_login(db, room["b"].seminar_id, SECRET_B, client="192.0.2.7", browser="laptop", known={a})


def test_the_admin_code_is_not_locked_out_for_a_browser_that_gave_it_before(tmp_path, monkeypatch, fake_clock):
    monkeypatch.setenv(access.ADMIN_SECRET_ENV, "code-d-administration")
    for _ in range(ratelimit.ADMIN_CLIENT.burst + 2):
        with pytest.raises(Forbidden):
            access.check_admin("devinette", client="192.0.2.9")
    with refused(Forbidden, "too_many_attempts"):
        access.check_admin("code-d-administration", client="192.0.2.9", browser="b1")
    access.check_admin("code-d-administration", client="192.0.2.9", browser="b1", known=True)
    access.check_admin("code-d-administration", client="192.0.2.10")  # other addresses are not affected


def test_connect_by_join_code_and_secret(db, room):
    a = room["a"]
    assert access.connect_by_code(db, a.join_code.lower(), SECRET_A, client="c1") == a.seminar_id
    seminars.set_joining_open(db, a.seminar_id, False)  # closed to participants, open to facilitators
    assert access.connect_by_code(db, a.join_code, SECRET_A, client="c1") == a.seminar_id
    for code, secret in ((a.join_code, SECRET_B), ("ZZZZ99", SECRET_A), ("", SECRET_A), (room["b"].join_code, SECRET_A)):
        with refused(Forbidden, "bad_code_or_secret", case=(code, secret)):
            access.connect_by_code(db, code, secret, client="c2")


def test_join_codes_cannot_be_guessed_by_trying_them_all(db, room, fake_clock):
    a = room["a"]
    for i in range(ratelimit.JOIN_CLIENT.burst):
        with refused(NotFound, "unknown_code"):
            access.seminar_for_join_code(db, f"ZZZZ{i:02d}", client="10.0.0.66")
    with refused(Forbidden, "too_many_codes") as caught:  # now even the right code waits: no oracle
        access.seminar_for_join_code(db, a.join_code, client="10.0.0.66")
    assert "Trop de codes essayés depuis cet appareil" in caught.value.message("fr")
    assert access.seminar_for_join_code(db, a.join_code, client="10.0.0.7") == a.seminar_id
    fake_clock.advance(seconds=6)
    assert access.seminar_for_join_code(db, a.join_code, client="10.0.0.66") == a.seminar_id
    assert access.seminar_for_join_code(db, a.join_code, client="10.0.0.66") == a.seminar_id  # right codes are free


def test_closed_codes_count_against_the_throttle_too(db, room, fake_clock):
    a = room["a"]
    seminars.set_joining_open(db, a.seminar_id, False)
    for _ in range(ratelimit.JOIN_CLIENT.burst):
        with refused(Forbidden, "joining_closed"):
            access.seminar_for_join_code(db, a.join_code, client="10.0.0.67")
    with refused(Forbidden, "too_many_codes"):
        access.seminar_for_join_code(db, a.join_code, client="10.0.0.67")


def test_join_codes_are_short_but_hard_to_guess():
    codes = {seminars.new_join_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 6 and set(c) <= set(seminars.JOIN_CODE_ALPHABET) for c in codes)
    assert len(seminars.JOIN_CODE_ALPHABET) ** seminars.JOIN_CODE_LENGTH > 8 * 10**8


def test_secret_lengths_are_bounded(db):
    with refused(Invalid, "secret_too_short"):
        _create(db, "Séminaire Court", "court")
    with refused(Invalid, "secret_too_long"):  # longer ones could never be typed back in
        _create(db, "Séminaire Long", "x" * 201)


def test_the_administration_code(tmp_path, monkeypatch, fake_clock):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(access.ADMIN_SECRET_ENV, raising=False)
    code = access.admin_secret()
    assert code == access.admin_secret() and len(code) >= 14
    path = tmp_path / access.ADMIN_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    access.check_admin(code, client="c")
    for wrong in ("", code.upper(), code[:-1], None):
        with refused(Forbidden, "bad_admin_secret", case=wrong):
            access.check_admin(wrong, client=f"w{wrong!r}")
    for _ in range(ratelimit.ADMIN_CLIENT.burst):
        with refused(Forbidden, "bad_admin_secret"):
            access.check_admin("devinette", client="brute")
    with refused(Forbidden, "too_many_attempts"):
        access.check_admin(code, client="brute")
    monkeypatch.setenv(access.ADMIN_SECRET_ENV, "depuis-l-environnement")
    access.check_admin("depuis-l-environnement", client="c")


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def two(ui_db):
    a = _create(ui_db, "Séminaire Amiens", SECRET_A)
    b = _create(ui_db, "Séminaire Creil", SECRET_B)
    return a, b


@pytest.fixture
def remote(monkeypatch):
    """The browser is another device on the hotspot, not the server's laptop."""
    monkeypatch.setenv("WORKSHOP_LOCAL_ADMIN", "0")


async def _login(user: User, seminar_id: int, secret: str) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(secret)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=30)


PROTECTED = ("/console/{id}", "/screen/{id}", "/console/{id}/report")


@pytest.mark.parametrize("page", PROTECTED)
async def test_protected_pages_send_to_the_login_without_the_secret(two, user: User, page) -> None:
    a, _ = two
    await user.open(page.format(id=a.seminar_id))
    await user.should_see(marker="secret")
    await user.should_see("Connexion de l'animation")
    await user.should_not_see(marker="current-panel")
    await user.should_not_see(a.join_code)


@pytest.mark.parametrize("page", PROTECTED)
async def test_seminar_a_login_does_not_open_seminar_b(two, user: User, page) -> None:
    a, b = two
    await _login(user, a.seminar_id, SECRET_A)
    await user.open(page.format(id=b.seminar_id))
    await user.should_see(marker="secret")
    await user.should_not_see(b.join_code)
    await user.open(f"/console/{a.seminar_id}")
    await user.should_see(marker="current-panel", retries=30)


async def test_the_staff_synthesis_lists_only_the_seminars_this_browser_opened(two, user: User) -> None:
    a, b = two
    await user.open("/staff/synthesis")
    await user.should_not_see("Séminaire Amiens")
    await user.should_not_see("Séminaire Creil")
    await _login(user, a.seminar_id, SECRET_A)
    await user.open("/staff/synthesis")
    await user.should_not_see("Séminaire Creil")


async def test_logout_closes_every_protected_page(two, user: User) -> None:
    a, _ = two
    await _login(user, a.seminar_id, SECRET_A)
    await user.open(f"/console/{a.seminar_id}/logout")
    for page in PROTECTED:
        await user.open(page.format(id=a.seminar_id))
        await user.should_see(marker="secret")


async def _refused(user: User, marker: str = "secret") -> None:
    """Wait until the login form has answered (a refusal empties the secret field)."""
    [field] = user.find(marker=marker).elements
    for _ in range(100):
        if not field.value:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the login form never answered")


async def test_the_login_form_is_throttled_with_a_french_message(two, user: User) -> None:
    a, _ = two
    await user.open(f"/console/{a.seminar_id}/login")
    for _ in range(ratelimit.LOGIN_CLIENT.burst):
        user.find(marker="secret").type("devinette")
        user.find(marker="login").click()
        await user.should_see("Code animateur incorrect.", retries=50)  # checked off the event loop
        await _refused(user)  # like a person, wait for the answer before trying again
    user.find(marker="secret").type(SECRET_A)
    user.find(marker="login").click()
    # wrong codes are answered after a second each, so the wait may read 29 s by now
    await user.should_see("Trop de tentatives de connexion. Par sécurité, réessayez dans", retries=50)
    await user.should_not_see(marker="current-panel")


async def test_a_login_while_the_server_stops_grants_nothing(two, user: User, monkeypatch) -> None:
    """While NiceGUI shuts down, its io_bound returns None without running the check: no way in."""
    a, _ = two
    await user.open(f"/console/{a.seminar_id}/login")

    async def stopping(fn, *args, **kwargs):
        return None

    monkeypatch.setattr(run, "io_bound", stopping)
    user.find(marker="secret").type("devinette")
    user.find(marker="login").click()
    await user.should_see("Le serveur est en train de s'arrêter\u00a0: réessayez dans un instant.")
    monkeypatch.undo()
    await user.open(f"/console/{a.seminar_id}")
    await user.should_see(marker="secret")  # still not logged in
    await user.should_not_see(marker="current-panel")


async def test_remote_login_page_says_nothing_about_the_seminar(two, remote, user: User) -> None:
    a, _ = two
    await user.open(f"/console/{a.seminar_id}/login")
    await user.should_see("Séminaire n° " + str(a.seminar_id))
    await user.should_not_see("Séminaire Amiens")
    await user.open("/console/4242/login")  # no such seminar: the very same form
    await user.should_see("Séminaire n° 4242")
    await user.should_see(marker="secret")


async def test_animation_lists_seminars_only_on_the_servers_laptop(two, user: User) -> None:
    await user.open("/animation")
    await user.should_see("Séminaire Amiens")
    await user.should_see("Séminaire Creil")
    await user.should_see(marker="local-note")


async def test_animation_from_another_device_lists_only_what_this_browser_opened(two, remote, user: User) -> None:
    a, b = two
    await user.open("/animation")
    await user.should_not_see("Séminaire Amiens")
    await user.should_not_see("Séminaire Creil")
    await user.should_see("Aucun séminaire n'est encore ouvert dans ce navigateur")
    user.find(marker="connect-code").type(a.join_code)
    user.find(marker="connect-secret").type(SECRET_B)
    user.find(marker="connect").click()
    await user.should_see("Code du séminaire ou code animateur incorrect.", retries=40)  # answered after 1 s
    await _refused(user, "connect-secret")
    user.find(marker="connect-code").clear().type("zzzz99")
    user.find(marker="connect-secret").type(SECRET_A)
    user.find(marker="connect").click()
    await user.should_see("Code du séminaire ou code animateur incorrect.", retries=40)  # answered after 1 s
    await _refused(user, "connect-secret")
    user.find(marker="connect-code").clear().type(a.join_code.lower())
    user.find(marker="connect-secret").type(SECRET_A)
    user.find(marker="connect").click()
    await user.should_see(marker="current-panel", retries=30)
    await user.open("/animation")
    await user.should_see("Séminaire Amiens")
    await user.should_not_see("Séminaire Creil")


async def test_creating_a_seminar_from_another_device_needs_the_admin_code(ui_db, remote, user: User, monkeypatch,
                                                                           tmp_path) -> None:
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(access.ADMIN_SECRET_ENV, "code-admin-2026")
    await user.open("/console/new")
    await user.should_not_see(marker="new-title")
    user.find(marker="admin-secret").type("pas-le-bon")
    user.find(marker="admin-submit").click()
    await user.should_see("Code d'administration incorrect.", retries=40)  # answered after a second
    await user.should_not_see(marker="new-title")
    user.find(marker="admin-secret").type("code-admin-2026")
    user.find(marker="admin-submit").click()
    await user.should_see(marker="new-title", retries=30)
    await user.open("/console/new")  # remembered for this browser
    await user.should_see(marker="new-title")


async def test_creating_a_seminar_on_the_servers_laptop_needs_no_admin_code(ui_db, user: User) -> None:
    await user.open("/console/new")
    await user.should_see(marker="new-title")


async def test_a_tablet_page_of_another_seminar_is_not_joined_and_shows_no_code(two, create_user) -> None:
    a, b = two
    tablet = create_user()
    await tablet.open(f"/join/{a.join_code}")
    send_join_form(tablet, "Alice", "resident")
    await tablet.should_see(marker="identity", retries=30)
    await tablet.open(f"/tablet/{b.seminar_id}")
    await tablet.should_see("Cet appareil n'a pas encore rejoint ce séminaire.")
    await tablet.should_not_see(b.join_code)
    await tablet.should_not_see("Séminaire Creil")
    stranger = create_user()
    await stranger.open(f"/tablet/{a.seminar_id}")
    await stranger.should_see("Cet appareil n'a pas encore rejoint ce séminaire.")
    await stranger.should_not_see(a.join_code)


async def test_guessing_join_codes_from_a_phone_is_slowed_down(two, user: User) -> None:
    a, _ = two
    message = "Ce code ne correspond à aucun séminaire ouvert. Vérifiez-le sur l'écran de projection ou auprès de l'équipe d'animation."
    for i in range(ratelimit.JOIN_CLIENT.burst):
        await user.open(f"/join/ZZZZ{i:02d}")
        await user.should_see(message)
    await user.open(f"/join/{a.join_code}")
    await user.should_see("Trop de codes essayés depuis cet appareil")
    await user.should_not_see(marker="join-form")


async def test_the_session_cookie_is_http_only_and_same_site(ui_db, user: User) -> None:
    response = await user.http_client.get("/")
    cookie = response.headers.get("set-cookie", "")
    assert cookie.startswith("session="), cookie
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags and "samesite=lax" in flags, cookie
    assert "storage-" not in cookie and "devices" not in cookie  # only a signed id: identities stay server-side


def test_every_text_field_in_the_pages_has_a_length_limit() -> None:
    """Each ui.input / ui.textarea of the pages declares a maxlength (dates and numbers excepted)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "workshop" / "ui"
    missing = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "props" and isinstance(node.func.value, ast.Call)):
                continue
            inner = node.func.value.func
            if not (isinstance(inner, ast.Attribute) and inner.attr in ("input", "textarea")
                    and isinstance(inner.value, ast.Name) and inner.value.id == "ui"):
                continue
            text = ast.get_source_segment(source, node) or ""
            if "maxlength" not in text and "type=date" not in text:
                missing.append(f"{path.relative_to(root.parent.parent)}:{node.lineno}")
        bare = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr in ("input", "textarea") and isinstance(n.func.value, ast.Name)
                and n.func.value.id == "ui"]
        for call in bare:  # an input without any .props(...) has no limit either
            line = source.splitlines()[call.lineno - 1:call.lineno + 3]
            if ".props(" not in "".join(line):
                missing.append(f"{path.relative_to(root.parent.parent)}:{call.lineno} (no props)")
    assert missing == [], f"text fields without maxlength: {missing}"
