"""Issue 17: « L'essentiel » at the head of the report, staff's texts, identity, photos, archives.

The essential page's sentences are checked against figures computed here straight from the
database (SQL over votes, ratings and links), not through the report model.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter, defaultdict

import pytest
from docx import Document as open_docx
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from workshop.archive import export_seminar, import_seminar
from workshop.archive.errors import ArchiveError
from workshop.db import Database
from workshop.demo import build_demo, build_past_demo
from workshop.errors import Invalid
from workshop.i18n import quoted
from workshop.models import Card, CardKind, College, DotVote, Link, LinkStatus, Participant, Rating, Relation
from workshop.reports import export_report
from workshop.reports.essential import chapter_numbers, essential_sentences
from workshop.reports.layout import seminar_document
from workshop.reports.model import build_report
from workshop.reports.layout import generated_texts
from workshop.services import publication

COLLEGE_TO = {"elected": "aux élus", "staff": "aux techniciens", "business": "aux acteurs économiques",
              "association": "aux associations", "resident": "aux habitants", "expert": "aux experts",
              "other": "aux autres participants"}


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    """Both demo seminars (Amiens in progress, Creil finished) in one SQLite file."""
    folder = tmp_path_factory.mktemp("publication")
    db = Database(f"sqlite:///{folder / 'demo.sqlite3'}")
    db.create_schema()
    amiens, creil = build_demo(db), build_past_demo(db)
    yield db, amiens.seminar_id, creil.seminar_id, folder
    db.dispose()


@pytest.fixture
def sqlite_copy(demos, tmp_path):
    """A copy of the demo database a test may change."""
    db, amiens, creil, folder = demos
    path = tmp_path / "copy.sqlite3"
    shutil.copy(folder / "demo.sqlite3", path)
    copy = Database(f"sqlite:///{path}")
    yield copy, amiens, creil
    copy.dispose()


# --- what the database says, computed here --------------------------------------------------------


def _live(session, seminar_id: int, kind: CardKind) -> dict[int, str]:
    return dict(session.execute(select(Card.id, Card.text).where(
        Card.seminar_id == seminar_id, Card.kind == kind, Card.hidden.is_(False), Card.withdrawn.is_(False),
        Card.merged_into_id.is_(None))).all())


def _apart(voters: dict[str, set[int]]) -> set[str]:
    """The collèges of one vote shown apart, as the README says: 3 voters or more, and if those of
    fewer are fewer than 3 together, the smallest of the others set aside with them."""
    small = {c for c, people in voters.items() if len(people) < 3}
    others = sorted((len(people), c) for c, people in voters.items() if c not in small)
    while small and sum(len(voters[c]) for c in small) < 3 and others:
        small.add(others.pop(0)[1])
    return set(voters) - small


def _independent(db: Database, seminar_id: int) -> dict:
    with db.read() as session:
        stakes = _live(session, seminar_id, CardKind.STAKE)
        counted = session.execute(
            select(DotVote.activity_id, DotVote.card_id, Participant.college, DotVote.participant_id, DotVote.dots)
            .join(Participant, Participant.id == DotVote.participant_id).join(Card, Card.id == DotVote.card_id)
            .where(Card.seminar_id == seminar_id, Card.withdrawn.is_(False), Card.merged_into_id.is_(None))).all()
        voters: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for activity_id, _card, college, person, _n in counted:
            voters[activity_id][College(college).value].add(person)
        apart = {activity_id: _apart(by) for activity_id, by in voters.items()}
        dots: Counter = Counter()
        by_college: dict[int, Counter] = defaultdict(Counter)
        for activity_id, card_id, college, _person, n in counted:
            if card_id in stakes:
                dots[card_id] += n
                college = College(college).value
                by_college[card_id][college if college in apart[activity_id] else "?"] += n
        top = sorted((cid for cid in stakes if dots[cid]), key=lambda cid: (-dots[cid], cid))[:3]

        threats = _live(session, seminar_id, CardKind.THREAT)
        ratings: dict[tuple[int, str], list[int]] = defaultdict(list)
        for card_id, criterion, value in session.execute(
                select(Rating.card_id, Rating.criterion, Rating.value).where(Rating.card_id.in_(threats))):
            ratings[(card_id, criterion)].append(value)
        severity = {}
        for cid in threats:
            likely, impact = ratings.get((cid, "likelihood")), ratings.get((cid, "impact"))
            if likely and impact:
                severity[cid] = (sum(likely) / len(likely)) * (sum(impact) / len(impact))
        worst = sorted(severity, key=lambda cid: -severity[cid])[:3]

        accepted = session.execute(select(Link.source_id, Link.target_id, Link.relation).where(
            Link.seminar_id == seminar_id, Link.status == LinkStatus.ACCEPTED)).all()
        on_map = {s for s, _, _ in accepted} | {t for _, t, _ in accepted}
        countered = {t for _, t, rel in accepted if Relation(rel) is Relation.COUNTERS}
        loose = {cid for cid in threats if cid in on_map and cid not in countered}
    return {"stakes": [(stakes[c], dots[c], by_college[c]) for c in top],
            "threats": [(threats[c], severity[c]) for c in worst],
            "loose": {threats[c] for c in loose}}


def _fr(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@pytest.mark.parametrize("which", ["amiens", "creil"])
def test_generated_sentences_match_an_independent_computation(demos, which):
    db, amiens, creil, _ = demos
    seminar_id = amiens if which == "amiens" else creil
    truth = _independent(db, seminar_id)
    report = build_report(db, seminar_id)
    doc = seminar_document(report, [], {})
    said = {s.key: s for s in essential_sentences(report, chapter_numbers(doc.sections))}

    stakes = said["stakes"].text
    positions = [stakes.index(quoted(text, "fr")) for text, _, _ in truth["stakes"]]
    assert positions == sorted(positions)  # in the order of the votes
    for text, dots, _ in truth["stakes"]:
        assert f"{quoted(text, 'fr')} ({dots}\u00a0gommettes)" in stakes  # the count stays with its noun
    carried = said["carried"].text if "carried" in said else ""
    for text, dots, colleges in truth["stakes"]:
        undetailed = colleges.pop("?", 0)  # collèges of fewer than 3 voters: not broken down
        most = max(colleges.values(), default=0)
        if undetailed >= most:  # one of them may have given as many: nobody is said to carry it
            assert quoted(text, "fr") not in carried
            continue
        leaders = [c for c in College if colleges.get(c.value) == most]
        assert COLLEGE_TO[leaders[0].value] in carried
        each = "\u00a0chacun" if len(leaders) > 1 else ""  # the figures in brackets never break
        assert f"({most}{each}\u00a0sur\u00a0{dots})" in carried

    threats = said["threats"].text
    for text, severity in truth["threats"]:
        assert f"{quoted(text, 'fr')} ({_fr(severity)})" in threats
    loose = said["uncountered"].text
    assert f"rien ne contre encore {len(truth['loose'])}\u00a0menaces" in loose
    named = [t for t in truth["loose"] if quoted(t, "fr") in loose]
    assert len(named) == min(3, len(truth["loose"]))

    # Each sentence names the chapter it comes from, by the number the documents print.
    numbers = chapter_numbers(doc.sections)
    assert said["stakes"].ref.startswith(f"chapitre {numbers['enjeux'][0]} «\u00a0{numbers['enjeux'][1]}\u00a0»")
    assert "tableau" in said["stakes"].ref and "figure" in said["threats"].ref
    if which == "creil":
        assert not report.in_progress and "actions" in said and "trajectories" in said
        assert said["next"].text.startswith("Et ensuite\u00a0: ce rapport")
        assert said["trajectories"].text.startswith("La trajectoire retenue, " + quoted("Des friches aux emplois", "fr"))
    else:
        assert report.in_progress and said["interim"].text.startswith("Rapport intermédiaire")
        assert "actions" not in said  # nothing proposed yet: no empty sentence


def test_both_demo_reports_start_with_the_essential_page(demos, tmp_path):
    db, amiens, creil, _ = demos
    for seminar_id in (amiens, creil):
        paths = export_report(db, seminar_id, ["pdf", "docx", "html"], tmp_path / str(seminar_id))
        pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(str(paths["pdf"])).pages]
        assert pages[1].startswith("L'essentiel"), pages[1][:200]
        assert "Les enjeux mis en tête par les votes" in pages[1] and "(→ chapitre 3" in pages[1]
        assert pages[2].startswith("Sommaire")
        document = open_docx(str(paths["docx"]))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert headings[0] == "L'essentiel" and headings[1] == "Sommaire"
        html = paths["html"].read_text(encoding="utf-8")
        assert html.index('id="essentiel"') < html.index('class="toc"') < html.index('id="contexte"')


def test_edited_texts_are_used_and_survive_an_archive_round_trip(sqlite_copy):
    db, _, creil = sqlite_copy
    keys = [key for key, _, _ in generated_texts(build_report(db, creil))]
    assert keys[0] == "essential" and "intro.enjeux" in keys
    publication.set_report_text(db, creil, "essential", "Le territoire a choisi la santé.\nPuis l'emploi des jeunes.")
    publication.set_report_text(db, creil, "intro.enjeux", "Les enjeux, vus par Cerdd.")
    doc = seminar_document(build_report(db, creil), [], {})
    front = doc.front[0]
    assert front.blocks[0].type == "prose" and "choisi la santé" in front.blocks[0].text
    assert front.blocks[1].text.startswith("Texte revu par l'équipe le")  # shown as edited
    assert next(s for s in doc.sections if s.id == "enjeux").blocks[0].text == "Les enjeux, vus par Cerdd."

    result = import_seminar(db, export_seminar(db, creil))
    texts = publication.report_texts(db, result.seminar_id)
    assert {k: v.text for k, v in texts.items()} == {
        "essential": "Le territoire a choisi la santé.\nPuis l'emploi des jeunes.",
        "intro.enjeux": "Les enjeux, vus par Cerdd."}
    # and back to the generated text
    publication.reset_report_text(db, result.seminar_id, "essential")
    doc = seminar_document(build_report(db, result.seminar_id), [], {})
    assert doc.front[0].blocks[1].type == "essential"


def test_report_text_keys_and_lengths_are_checked(sqlite_copy):
    db, _, creil = sqlite_copy
    with pytest.raises(Invalid):
        publication.set_report_text(db, creil, "../etc", "x")
    with pytest.raises(Invalid):
        publication.set_report_text(db, creil, "essential", "   ")
    with pytest.raises(Invalid):
        publication.set_report_text(db, creil, "essential", "x" * 20_001)
    assert publication.report_texts(db, creil) == {}
    data = export_seminar(db, creil)
    data["report_texts"] = [{"key": "intro.x y", "text": "t", "updated_at": "2026-10-03T10:00:00+00:00"}]
    with pytest.raises(ArchiveError):
        import_seminar(db, data)


# --- images --------------------------------------------------------------------------------------------


def _jpeg_with_gps(size=(2400, 1800)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"           # Make
    exif[0x0131] = "SecretPhoneApp 1.0"    # Software
    gps = {1: "N", 2: (49.0, 15.0, 30.0), 3: "E", 4: (2.0, 28.0, 10.0)}
    exif[0x8825] = gps                      # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the fixture does carry a position
    return data


def test_a_photo_is_stored_without_exif_gps_shrunk_and_travels_in_the_archive(sqlite_copy):
    db, _, creil = sqlite_copy
    report = build_report(db, creil)
    vote = next(s for s in report.run_sheet if s.exercise == "vote-enjeux")
    from workshop.services import activities

    act_id = next(a.id for a in activities.list_activities(db, creil) if a.position + 1 == vote.position)
    photo_id = publication.add_photo(db, creil, _jpeg_with_gps(), caption="Le mur des enjeux", activity_id=act_id)
    stored = Image.open(io.BytesIO(publication.photo_data(db, creil, photo_id)))
    assert max(stored.size) == publication.MAX_PHOTO_SIDE
    assert not stored.getexif() and "comment" not in stored.info and "exif" not in stored.info
    raw = publication.photo_data(db, creil, photo_id)
    assert b"Exif" not in raw and b"taken at home" not in raw and b"SecretPhoneApp" not in raw
    # in the chapter of its activity
    doc = seminar_document(build_report(db, creil), [], {})
    stakes = next(s for s in doc.sections if s.id == "enjeux")
    assert any(b.type == "photo" and b.caption.startswith("Le mur des enjeux") for b in stakes.blocks)

    result = import_seminar(db, export_seminar(db, creil))
    [(info, data)] = publication.photos_with_data(db, result.seminar_id)
    assert info.caption == "Le mur des enjeux" and info.activity_id is not None and info.activity_id != act_id
    assert not Image.open(io.BytesIO(data)).getexif()


def test_bad_images_are_refused_with_a_message(sqlite_copy):
    db, _, creil = sqlite_copy
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for bad in (svg, b"GIF89a" + b"\0" * 20, _jpeg_with_gps()[:400]):
        with pytest.raises(Invalid) as refused:
            publication.add_photo(db, creil, bad, caption="x")
        assert "PNG ou JPEG" in refused.value.message("fr")
    with pytest.raises(Invalid):
        publication.set_logo(db, creil, "territory", svg)
    assert publication.list_photos(db, creil) == [] and publication.identity(db, creil).logos == {}
    # an archive cannot bring in what the upload refuses
    data = export_seminar(db, creil)
    import base64

    data["photos"] = [{"id": 1, "activity_id": None, "caption": "", "media_type": "image/png",
                       "data": base64.b64encode(svg).decode(), "created_at": "2026-10-03T10:00:00+00:00"}]
    with pytest.raises(ArchiveError) as refused:
        import_seminar(db, data)
    assert "$.photos[0].data" in refused.value.message("fr")


def test_identity_is_in_every_format_and_in_the_archive(sqlite_copy, tmp_path):
    db, _, creil = sqlite_copy
    logo = io.BytesIO()
    Image.new("RGB", (900, 300), (11, 83, 148)).save(logo, format="PNG")
    stored = publication.set_logo(db, creil, "territory", logo.getvalue())
    assert stored.width == publication.MAX_LOGO_SIDE and stored.media_type == "image/png"
    publication.set_colophon(db, creil, "Rapport édité par l'agence d'urbanisme Oise-les-Vallées.")
    paths = export_report(db, creil, ["pdf", "docx", "html"], tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert 'alt="Logo du territoire"' in html and "agence d'urbanisme Oise-les-Vallées" in html.replace("&#39;", "'")
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(paths["pdf"])).pages)
    assert "Oise-les-Vallées" in text
    assert any(len(page.images) for page in PdfReader(str(paths["pdf"])).pages[:1])  # the logo on the cover
    document = open_docx(str(paths["docx"]))
    assert any("Oise-les-Vallées" in p.text for p in document.paragraphs)
    assert len(document.inline_shapes) >= 1
    result = import_seminar(db, export_seminar(db, creil))
    copied = publication.identity(db, result.seminar_id)
    assert copied.colophon.startswith("Rapport édité") and copied.logos["territory"].width == 600


def test_the_first_sentence_agrees_with_its_head_count_and_reads_as_french(db, seminar, join):
    """No "1 participant … ont travaillé", no "de Pays du Ternois", no double space without a date."""
    sid = seminar.seminar_id

    def context() -> str:
        report = build_report(db, sid)
        said = {s.key: s for s in essential_sentences(report, chapter_numbers(seminar_document(report, [], {}).sections))}
        return said["context"].text

    assert context() == "Personne n'a encore rejoint ce séminaire (Amiens Métropole, horizon\u00a02055)."
    join("Alice")
    one = context()
    assert one.startswith("1\u00a0participant de 1\u00a0collège a travaillé ") and "  " not in one
    assert one.endswith("sur l'avenir de son territoire, Amiens Métropole, à l'horizon\u00a02055.")
    join("Bob", College.ELECTED)
    assert context().startswith("2\u00a0participants de 2\u00a0collèges ont travaillé ")


def test_a_trajectory_in_one_year_is_not_said_from_that_year_to_itself(db, seminar):
    """« en une étape, en 2040 », not « de 2040 à 2040 »; steps over years still read « de … à … »."""
    from workshop.services import cards, trajectories

    sid = seminar.seminar_id
    stake = cards.add_card(db, sid, kind=CardKind.STAKE, text="Accès aux soins de proximité", theme=None)
    made = trajectories.create_trajectory(db, sid, stake.id, "Des soins à moins de 20 minutes")

    def said() -> str:
        report = build_report(db, sid)
        found = {s.key: s for s in essential_sentences(report, chapter_numbers(seminar_document(report, [], {}).sections))}
        return found["trajectories"].text

    trajectories.add_step(db, sid, made.id, year=2040, title="Une maison de santé par canton")
    assert said().endswith(" en une étape, en 2040."), said()
    trajectories.add_step(db, sid, made.id, year=2030, title="Des médecins salariés")
    assert said().endswith(" en 2\u00a0étapes, de 2030 à 2040."), said()
