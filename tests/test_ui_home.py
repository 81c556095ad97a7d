"""Home and facilitator index, as a simulated browser sees them."""

from __future__ import annotations

from nicegui.testing import User

from workshop.demo import build_demo


async def test_home_offers_join_by_code(ui_db, user: User) -> None:
    await user.open("/")
    await user.should_see("Rejoindre un séminaire")
    await user.should_see("Espace animation")


async def test_facilitator_index_lists_seminars(ui_db, user: User) -> None:
    build_demo(ui_db)
    await user.open("/animation")
    await user.should_see("Visions +21 : Amiens Métropole 2055")
    await user.should_see("Participants\u00a0: 18")  # French: a no-break space before the colon


async def test_language_switch_to_english(ui_db, user: User) -> None:
    await user.open("/")
    user.find("EN").click()
    await user.should_see("Join a seminar")
