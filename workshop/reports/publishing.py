"""What staff publish with the report: « L'essentiel » at its head (generated, or their own
text), their chapter introductions, the photos of the room in their chapters, and the
publisher's logos. Called by ``layout.seminar_document`` (whose ``generated_texts`` gives the
report page what can be rewritten).
"""

from __future__ import annotations

from workshop.reports.chapter_kit import CARD_WORK, coverage
from workshop.reports.document import Essential, Logo, Para, Photo, Prose, Section, long_date
from workshop.reports.model import SeminarReport, local


#: The chapters photos from the room go to: (section id, interactions, card kinds), first match wins;
#: a photo of another activity (or of none) goes to the run sheet chapter.
PHOTO_CHAPTERS = (
    ("enjeux", CARD_WORK, ("stake",)), ("menaces", CARD_WORK, ("threat",)), ("ressources", CARD_WORK, ("resource",)),
    ("carte", {"link"}, ()), ("trajectoires", {"trajectory"}, ()), ("vision", CARD_WORK, ("vision_article",)),
    ("robustesse", CARD_WORK | {"robustness"}, ("challenge",)),
    ("actions", CARD_WORK, ("action_lead", "current_action")),
)


def photo_chapter(report: SeminarReport, position: int | None, present: set[str]) -> str:
    """The chapter a photo of the activity at ``position`` (run sheet, 1-based) appears in."""
    if position is not None:
        for key, interactions, kinds in PHOTO_CHAPTERS:
            if key in present and any(s.position == position for s in coverage(report, interactions, *kinds).steps):
                return key
    return "deroule"


def editable_intro(section: Section) -> Para | None:
    """A chapter's introduction staff may rewrite: its first paragraph (chapters of the report
    proper, not the appendices)."""
    if section.appendix or not section.blocks:
        return None
    first = section.blocks[0]
    return first if isinstance(first, Para) and first.style in ("body", "lead") else None


def front_matter(r: SeminarReport, sections: list[Section], edits: bool) -> list[Section]:
    """« L'essentiel » (generated, or staff's text), staff's chapter introductions, and the
    photos in their chapters. Returns the front matter."""
    from workshop.reports.essential import chapter_numbers, essential_sentences

    t, lang = r.t, r.language
    edited = r.edited if edits else {}
    for section in sections:
        intro = editable_intro(section)
        text = edited.get(f"intro.{section.id}")
        if intro is not None and text is not None:
            section.blocks[0] = Prose(text.text)
    by_id = {s.id: s for s in sections}
    for photo in r.photos:
        where = by_id.get(photo_chapter(r, photo.activity_position, set(by_id))) or sections[0]
        caption = " · ".join(x for x in (photo.caption, photo.activity_title) if x)
        where.add(Photo(photo.data, photo.media_type, photo.width, photo.height, caption))
    essential = Section("essentiel", t("essential.title"))
    text = edited.get("essential")
    if text is not None:
        essential.add(Prose(text.text), Para(t("essential.edited", date=long_date(local(text.updated_at).date(), lang)),
                                             "muted"))
    else:
        sentences = essential_sentences(r, chapter_numbers(sections))
        essential.add(Para(t("essential.lead"), "muted"),
                      Essential([(s.text, t("essential.arrow", ref=s.ref)) for s in sentences],
                                keys=[s.key for s in sentences]))
    return [essential]


def logos(r: SeminarReport) -> list[Logo]:
    logos = getattr(r.identity, "logos", None) or {}
    return [Logo(r.t(f"publish.logo.{slot}"), image.media_type, image.data, image.width, image.height)
            for slot, image in logos.items()]
