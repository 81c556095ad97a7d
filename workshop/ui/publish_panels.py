"""The report page's publishing panels: staff's texts (« L'essentiel », chapter introductions),
the publisher's identity (logos, colophon), the participants' results page; and the photos
page (``/console/{seminar_id}/photos``), which a facilitator can use from a phone.

Every change goes through ``services.publication`` (the same rules as the archive import).
"""

from __future__ import annotations

import base64
import html

from nicegui import run, ui

from workshop.errors import WorkshopError
from workshop.services import activities, publication
from workshop.ui.access import require_facilitator
from workshop.ui.common import (
    call,
    call_now,
    db,
    lang,
    language_switch,
    page_setup,
    public_address,
    show_error,
    tr,
)

MAX_UPLOAD = publication.MAX_UPLOAD_BYTES


# Chromium draws a file input's button and status in the browser's own language (« Choose File »,
# « No file chosen » in a French page): the input is hidden from sight, not from the keyboard, and a
# button in the page's language stands for it; the label around both opens the chooser on a click.
PICKER_CSS = """
.uploader-pick { position: relative; cursor: pointer; }
.uploader-pick-input { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: 0 !important;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; opacity: 0; }
.uploader-pick-button { display: inline-flex; align-items: center; min-height: 36px; padding: 4px 16px;
  border-radius: 4px; background: #fff; color: #0b2e59; font-weight: 600; }
.uploader-pick-input:focus-visible + .uploader-pick-button { outline: 3px solid #f59e0b; outline-offset: 2px; }
.uploader-pick-input:disabled + .uploader-pick-button { opacity: .6; cursor: default; }
"""


def labelled_picker(upload: ui.upload, label: str) -> None:
    """Quasar's uploader hides its file input inside an unnamed button (no name for screen
    readers, a control inside a control): its header becomes a labelled native file input
    instead, which hands the chosen file to the uploader (``auto_upload`` sends it). The input's
    own button speaks the browser's language: a translated one is shown in its place (``PICKER_CSS``)."""
    upload.add_slot("header", (
        '<label class="row items-center q-pa-sm q-gutter-sm uploader-pick">'
        f'<span>{html.escape(label)}</span>'
        '<input type="file" class="uploader-pick-input" accept="image/png,image/jpeg" :disabled="!props.canAddFiles"'
        ' @change="e => { props.addFiles(e.target.files); e.target.value = \'\'; }">'
        f'<span class="uploader-pick-button" aria-hidden="true">{html.escape(tr("publish.ui.browse"))}</span>'
        '</label>'))


def _uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _when(moment) -> str:
    from workshop.reports.document import stamp
    from workshop.reports.model import local

    return stamp(local(moment), lang())


def _generated(seminar_id: int):
    from workshop.reports.model import build_report
    from workshop.reports.layout import generated_texts

    return generated_texts(build_report(db(), seminar_id))


def texts_panel(seminar_id: int) -> None:
    """One editor per text: staff's version if any (marked as edited, with a way back), else
    the generated text (with its references to chapters). Loaded off the event loop."""
    ui.label(tr("publish.ui.texts")).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
    box = ui.column().classes("staff-panel w-full p-4 gap-2").mark("texts")
    with box:
        ui.label(tr("publish.ui.texts_help")).classes("text-sm staff-muted")
        waiting = ui.label(tr("publish.ui.texts_loading")).classes("text-sm staff-muted")

    async def load() -> None:
        try:
            generated = await run.io_bound(_generated, seminar_id)
            edited = await run.io_bound(publication.report_texts, db(), seminar_id)
        except WorkshopError as exc:
            waiting.set_text(exc.message(lang()))
            return
        if generated is None or edited is None:
            return
        waiting.delete()
        with box:
            for key, label, text in generated:
                _text_editor(seminar_id, key, label, text, edited.get(key))

    ui.timer(0, load, once=True)


def _text_editor(seminar_id: int, key: str, label: str, generated: str, edited) -> None:
    mark = key.replace(".", "-")
    with ui.expansion(label, value=key == "essential").classes("w-full").props("dense").mark(f"text-{mark}"):
        status = ui.label("").classes("text-sm font-semibold").mark(f"text-status-{mark}")
        area = ui.textarea(value=edited.text if edited else generated).props(
            f'outlined autogrow maxlength={publication.MAX_REPORT_TEXT} aria-label="{label}"').classes(
            "w-full").mark(f"text-area-{mark}")
        with ui.row().classes("gap-2"):
            save = ui.button(tr("publish.ui.save_text")).props("unelevated no-caps color=primary").mark(
                f"text-save-{mark}")
            reset = ui.button(tr("publish.ui.reset_text"), icon="undo").props("outline no-caps").mark(
                f"text-reset-{mark}")

        def show(state) -> None:
            if state is None:
                status.set_text(tr("publish.ui.generated"))
                status.classes(replace="text-sm font-semibold staff-muted")
                reset.disable()
            else:
                status.set_text(tr("publish.ui.edited", date=_when(state.updated_at)))
                status.classes(replace="text-sm font-semibold text-amber-800")
                reset.enable()

        show(edited)

        async def do_save() -> None:
            try:
                await run.io_bound(publication.set_report_text, db(), seminar_id, key, area.value or "")
            except WorkshopError as exc:
                show_error(exc)
                return
            show((await run.io_bound(publication.report_texts, db(), seminar_id)).get(key))
            ui.notify(tr("publish.ui.text_saved"), type="positive", position="top")

        async def do_reset() -> None:
            await call(publication.reset_report_text, db(), seminar_id, key)
            area.set_value(generated)
            show(None)
            ui.notify(tr("publish.ui.text_reset"), type="positive", position="top")

        save.on_click(do_save)
        reset.on_click(do_reset)


def identity_panel(seminar_id: int) -> None:
    ident = call_now(publication.identity, db(), seminar_id)
    if ident is None:
        return
    ui.label(tr("publish.ui.identity")).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
    with ui.column().classes("staff-panel w-full p-4 gap-3").mark("identity"):
        ui.label(tr("publish.ui.identity_help")).classes("text-sm staff-muted")
        for slot in publication.LOGO_SLOTS:
            _logo_row(seminar_id, slot, ident.logos.get(slot))
        colophon = ui.textarea(tr("publish.ui.colophon"), value=ident.colophon).props(
            f"outlined autogrow maxlength={publication.MAX_COLOPHON}").classes("w-full").mark("colophon")

        async def save() -> None:
            try:
                await run.io_bound(publication.set_colophon, db(), seminar_id, colophon.value or "")
            except WorkshopError as exc:
                ui.notify(exc.message(lang()), type="negative", position="top")
                return
            ui.notify(tr("publish.ui.colophon_saved"), type="positive", position="top")

        ui.button(tr("publish.ui.save_colophon"), on_click=save).props("unelevated no-caps color=primary").mark(
            "colophon-save")


def _logo_row(seminar_id: int, slot: str, image) -> None:
    with ui.row().classes("w-full items-center gap-3 logo-row"):
        ui.label(tr(f"publish.logo.{slot}")).classes("font-semibold w-36")
        with ui.element("div").classes("logo-frame") as frame:
            preview = ui.image(_uri(image.media_type, image.data) if image else "").classes("w-32 h-16").props(
                f'fit=contain alt="{tr(f"publish.logo.{slot}")}"').mark(f"logo-{slot}")
            none = ui.label(tr("publish.ui.logo_none"))

        def shown(present: bool) -> None:
            preview.set_visibility(present)
            none.set_visibility(not present)
            if present:
                frame.classes(remove="is-empty")
            else:
                frame.classes(add="is-empty")
            remove.set_visibility(present)

        async def uploaded(event) -> None:
            data = await event.file.read()
            stored = await call(publication.set_logo, db(), seminar_id, slot, data)
            upload.reset()
            if stored is None:
                return
            preview.set_source(_uri(stored.media_type, stored.data))
            shown(True)
            ui.notify(tr("publish.ui.logo_saved"), type="positive", position="top")

        async def removed() -> None:
            await call(publication.set_logo, db(), seminar_id, slot, None)
            shown(False)

        upload = ui.upload(label=tr("publish.ui.logo_upload"), auto_upload=True, max_file_size=MAX_UPLOAD,
                           on_upload=uploaded,
                           on_rejected=lambda: ui.notify(tr("publish.ui.too_big"), type="negative",
                                                         position="top")).props(
            'accept="image/png,image/jpeg" flat bordered').classes("logo-uploader").mark(f"logo-upload-{slot}")
        labelled_picker(upload, tr("publish.ui.logo_upload"))
        remove = ui.button(tr("publish.ui.logo_remove"), icon="delete", on_click=removed).props(
            "flat no-caps color=negative").mark(f"logo-remove-{slot}")
        shown(image is not None)


def results_panel(seminar_id: int, join_code: str) -> None:
    ident = call_now(publication.identity, db(), seminar_id)
    if ident is None:
        return
    ui.label(tr("publish.ui.results")).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
    with ui.column().classes("staff-panel w-full p-4 gap-2").mark("results-setting"):
        address = public_address(ui.context.client.request, f"/resultats/{join_code}")
        ui.label(tr("publish.ui.results_help", path=address)).classes("text-sm staff-muted").mark("results-address")

        async def changed(event) -> None:
            await call(publication.set_results_open, db(), seminar_id, bool(event.value))
            ui.notify(tr("publish.ui.results_on" if event.value else "publish.ui.results_off"), position="top")

        ui.switch(tr("publish.ui.results_switch"), value=ident.results_open, on_change=changed).mark("results-open")
        ui.link(tr("publish.ui.results_link"), f"/resultats/{join_code}", new_tab=True).classes(
            "text-blue-900 underline")


# --- photos page ----------------------------------------------------------------------------------------


def photos_page(seminar_id: int) -> None:
    page_setup(tr("publish.ui.photos_title"))
    ui.add_css(".staff-panel { background: #fff; border: 1px solid #cbd5e1; border-radius: 8px; }"
               ".staff-muted { color: #334155; }" + PICKER_CSS)
    if not require_facilitator(seminar_id, next_path=f"/console/{seminar_id}/photos"):
        return
    acts = call_now(activities.list_activities, db(), seminar_id)
    if acts is None:
        return
    options = {0: tr("publish.ui.no_activity"), **{a.id: f"{a.position + 1}. {a.title}" for a in acts}}
    current = next((a.id for a in acts if a.state.value == "open"), 0)
    with ui.column().classes("w-full max-w-3xl mx-auto p-4 gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link(tr("report.ui.back_console"), f"/console/{seminar_id}").classes("text-blue-900 underline")
            language_switch()
        ui.label(tr("publish.ui.photos_title")).classes("text-3xl font-bold").props('role="heading" aria-level="1"')
        ui.label(tr("publish.ui.photos_help")).classes("staff-muted")
        with ui.column().classes("staff-panel w-full p-4 gap-3"):
            activity = ui.select(options, value=current, label=tr("publish.ui.activity")).props(
                "outlined").classes("w-full").mark("photo-activity")
            caption = ui.input(tr("publish.ui.caption")).props(
                f"outlined maxlength={publication.MAX_CAPTION}").classes("w-full").mark("photo-caption")

            async def uploaded(event) -> None:
                data = await event.file.read()
                photo_id = await call(publication.add_photo, db(), seminar_id, data, caption=caption.value or "",
                                      activity_id=activity.value or None)
                upload.reset()
                if photo_id is None:
                    return
                caption.set_value("")
                ui.notify(tr("publish.ui.photo_saved"), type="positive", position="top")
                await refresh()

            upload = ui.upload(label=tr("publish.ui.photo_upload"), auto_upload=True, max_file_size=MAX_UPLOAD,
                               on_upload=uploaded,
                               on_rejected=lambda: ui.notify(tr("publish.ui.too_big"), type="negative",
                                                             position="top")).props(
                'accept="image/png,image/jpeg" flat bordered').classes("w-full").mark("photo-upload")
            labelled_picker(upload, tr("publish.ui.photo_upload"))
        gallery = ui.column().classes("w-full gap-3").mark("photos")

        async def refresh() -> None:
            photos = await run.io_bound(publication.photos_with_data, db(), seminar_id)
            gallery.clear()
            with gallery:
                if not photos:
                    ui.label(tr("publish.ui.no_photos")).classes("staff-muted")
                for info, data in photos:
                    _photo_card(seminar_id, info, data, options, refresh)

        ui.timer(0, refresh, once=True)


def _photo_card(seminar_id: int, info, data: bytes, options: dict, refresh) -> None:
    with ui.row().classes("staff-panel w-full p-3 gap-3 items-start no-wrap").mark(f"photo-{info.id}"):
        ui.image(_uri(info.media_type, data)).classes("w-40 h-28 shrink-0").props(
            f'fit=cover alt="{info.caption or tr("publish.ui.photo")}"')
        with ui.column().classes("grow gap-1 min-w-0"):
            caption = ui.input(tr("publish.ui.caption"), value=info.caption).props(
                f"outlined dense maxlength={publication.MAX_CAPTION}").classes("w-full")
            activity = ui.select(options, value=info.activity_id or 0, label=tr("publish.ui.activity")).props(
                "outlined dense").classes("w-full")
            with ui.row().classes("gap-2"):
                async def save() -> None:
                    await call(publication.set_photo_caption, db(), seminar_id, info.id, caption.value or "",
                               activity.value or None)
                    ui.notify(tr("publish.ui.photo_saved"), type="positive", position="top")

                async def delete() -> None:
                    await call(publication.delete_photo, db(), seminar_id, info.id)
                    await refresh()

                ui.button(tr("publish.ui.save_text"), on_click=save).props("unelevated dense no-caps color=primary")
                ui.button(tr("publish.ui.photo_delete"), icon="delete", on_click=delete).props(
                    "flat dense no-caps color=negative").mark(f"photo-delete-{info.id}")
