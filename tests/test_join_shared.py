"""A room opening the join page at once: one read of the seminar for all, never a stale page.

Join pages opened one after another share what one of them read of the seminar (its title,
tables, whether joining is open) while nothing changed; a change shows on the next page, and
the limit on codes tried from one address applies to every page all the same.
"""

from __future__ import annotations

from datetime import date

import pytest

from workshop.content import default_kit, find_run_sheet
from workshop.services import seminars

TITLE = "Découverte Visions +21 : Creil Sud Oise"


@pytest.fixture
def seminar(ui_db):
    return seminars.create_seminar(
        ui_db, title=TITLE, territory="Creil Sud Oise", horizon_year=2050,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), day_dates=[date(2026, 12, 3)],
        group_names=["Table Oise"], facilitator_secret="animation-2026",
    )


def tables_offered(user) -> list[str]:
    form = next(iter(user.find(marker="join-form").elements))
    return [group["label"] for group in form.props["groups"]]


async def test_join_pages_share_one_read_of_the_seminar_and_show_every_change(ui_db, seminar, create_user,
                                                                               monkeypatch) -> None:
    from workshop.ui.tablet import join

    monkeypatch.setattr(join, "LANDING_SECONDS", 600.0)  # a slow machine: the share is not timed here
    reads: list[int] = []
    load = seminars.get_seminar_for_tablets

    def counted(db, seminar_id):
        reads.append(seminar_id)
        return load(db, seminar_id)

    monkeypatch.setattr(seminars, "get_seminar_for_tablets", counted)
    code = seminar.join_code
    for _ in range(5):
        browser = create_user()
        await browser.open(f"/join/{code}")
        await browser.should_see(TITLE)
        await browser.should_see(marker="join-form")
        assert tables_offered(browser) == ["Je ne sais pas encore", "Table Oise"]
    assert len(reads) <= 2  # the first pages read it, the others are given what they read

    # A table added: the next page offers it.
    seminars.add_group(ui_db, seminar.seminar_id, "Table Thérain")
    browser = create_user()
    await browser.open(f"/join/{code}")
    await browser.should_see(marker="join-form")
    assert tables_offered(browser) == ["Je ne sais pas encore", "Table Oise", "Table Thérain"]

    # Joining closed: the next page says so.
    seminars.set_joining_open(ui_db, seminar.seminar_id, False)
    browser = create_user()
    await browser.open(f"/join/{code}")
    await browser.should_see("Inscriptions closes")
    await browser.should_not_see(marker="join-form")


async def test_a_shared_read_leaves_the_limit_on_codes_tried_in_place(ui_db, seminar, create_user,
                                                                      monkeypatch) -> None:
    from workshop.ui.tablet import join

    monkeypatch.setattr(join, "LANDING_SECONDS", 600.0)
    code = seminar.join_code
    for _ in range(2):  # the seminar is read, then kept for the next pages
        browser = create_user()
        await browser.open(f"/join/{code}")
        await browser.should_see(marker="join-form")
    prober = create_user()
    for n in range(10):  # every tablet of the test comes from the same address
        await prober.open(f"/join/ZZZZ{n:02d}")
        await prober.should_see("Code introuvable")
    browser = create_user()
    await browser.open(f"/join/{code}")
    await browser.should_see("Trop de codes essayés depuis cet appareil.")
    await browser.should_not_see(marker="join-form")
