"""Issue 17 as staff and participants see it (simulated browser): rewriting « L'essentiel » on
the report page, the results page's states, and its report download."""

from __future__ import annotations

from nicegui.testing import User

from workshop.demo import DEMO_SECRET, build_demo, build_past_demo
from workshop.services import publication

LIVE = 80  # retries x 0.1 s: texts are prepared off the event loop


async def _login(user: User, seminar_id: int, secret: str) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(secret)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=LIVE)


async def test_staff_rewrite_the_essential_page_and_go_back(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await _login(user, demo.seminar_id, DEMO_SECRET)
    await user.open(f"/console/{demo.seminar_id}/report")
    await user.should_see("Textes du rapport")
    await user.should_see(marker="text-area-essential", retries=LIVE)
    area = next(iter(user.find(marker="text-area-essential").elements))
    assert area.value.startswith("18\u00a0participants de 7\u00a0collèges")  # the generated text, with its references
    assert "(→ chapitre 3" in area.value
    await user.should_see("Texte généré à partir des données")
    area.set_value("Amiens a choisi l'emploi local d'abord.")
    user.find(marker="text-save-essential").click()
    await user.should_see("Texte modifié par l'équipe", retries=LIVE)
    assert publication.report_texts(ui_db, demo.seminar_id)["essential"].text == \
        "Amiens a choisi l'emploi local d'abord."
    # a chapter introduction too
    await user.should_see(marker="text-area-intro-enjeux")
    user.find(marker="text-reset-essential").click()
    await user.should_see("Texte généré rétabli", retries=LIVE)
    assert "essential" not in publication.report_texts(ui_db, demo.seminar_id)
    assert area.value.startswith("18\u00a0participants")


async def test_results_page_states_and_download(ui_db, user: User, tmp_path, monkeypatch) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(exports))
    running = build_demo(ui_db)
    await user.open(f"/resultats/{running.join_code}")
    await user.should_see("Les résultats s'afficheront ici à la fin du séminaire", retries=LIVE)

    over = build_past_demo(ui_db)
    await user.open(f"/resultats/{over.join_code}")
    await user.should_see(marker="results-essential", retries=LIVE)
    await user.should_see(marker="results-stakes")
    await user.should_see(marker="results-no-report")
    await user.should_see("Les enjeux mis en tête par les votes")
    # no reference into a report that cannot be read yet
    await user.should_not_see("(→ chapitre")
    # once staff exported the PDF, the page offers it
    pdf = exports / f"creil-sud-oise_2026-10-03_seminaire-{over.seminar_id}_rapport.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    await user.open(f"/resultats/{over.join_code}")
    await user.should_see(marker="results-download", retries=LIVE)
    await user.should_see("(→ chapitre 3")
    response = await user.http_client.get(f"/resultats/{over.join_code}/rapport.pdf")
    assert response.status_code == 200 and response.content == b"%PDF-1.7 test"

    publication.set_results_open(ui_db, over.seminar_id, False)
    await user.open(f"/resultats/{over.join_code}")
    await user.should_see("L'équipe d'animation a fermé la page des résultats", retries=LIVE)
    await user.should_not_see(marker="results-essential")
    response = await user.http_client.get(f"/resultats/{over.join_code}/rapport.pdf")
    assert response.status_code == 404

    await user.open("/resultats/ZZZZZZ")
    await user.should_see("Code inconnu", retries=LIVE)


async def test_the_end_screens_lead_to_the_results(ui_db, user: User) -> None:
    """Projector: a QR code of the results page; the join code leads there. Not once staff close it."""
    from workshop.ui.access import login_facilitator

    over = build_past_demo(ui_db)
    sid = over.seminar_id
    await user.open("/")
    assert await login_facilitator(sid, over.facilitator_secret)
    await user.open(f"/screen/{sid}")
    await user.should_see(marker="projector-results", retries=LIVE)
    await user.should_see(f"/resultats/{over.join_code}")
    await user.open(f"/join/{over.join_code}")  # the join code now opens the results page
    await user.should_see(marker="results-essential", retries=LIVE)
    publication.set_results_open(ui_db, sid, False)
    await user.open(f"/screen/{sid}")
    await user.should_see("Et ensuite\u00a0?", retries=LIVE)
    await user.should_not_see(marker="projector-results")
    await user.open(f"/join/{over.join_code}")
    await user.should_see("L'équipe d'animation a fermé la page des résultats", retries=LIVE)


async def test_photos_page_lists_and_deletes_photos(ui_db, user: User) -> None:
    import io

    from PIL import Image

    over = build_past_demo(ui_db)
    picture = io.BytesIO()
    Image.new("RGB", (800, 600), (250, 204, 21)).save(picture, format="JPEG")
    photo_id = publication.add_photo(ui_db, over.seminar_id, picture.getvalue(), caption="Affiche des défis")
    await _login(user, over.seminar_id, over.facilitator_secret)
    await user.open(f"/console/{over.seminar_id}/photos")
    await user.should_see("Photos de la salle")
    await user.should_see(marker="photo-upload")
    await user.should_see(marker=f"photo-{photo_id}", retries=LIVE)
    user.find(marker=f"photo-delete-{photo_id}").click()
    await user.should_see("Aucune photo pour l'instant.", retries=LIVE)
    assert publication.list_photos(ui_db, over.seminar_id) == []


async def test_the_report_page_gives_the_whole_results_address_to_share(ui_db, user: User, monkeypatch) -> None:
    """Staff copy the results page's address into a mail to participants: the whole address
    people open (here the hosted server's), not a path that only works on this server."""
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://visions21.example.fr")
    demo = build_demo(ui_db)
    await _login(user, demo.seminar_id, DEMO_SECRET)
    await user.open(f"/console/{demo.seminar_id}/report")
    await user.should_see(f"Adresse\u00a0: https://visions21.example.fr/resultats/{demo.join_code}", retries=LIVE)
