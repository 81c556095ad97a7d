"""Writing cards: the contribution form (stakes, threats, resources…) and the one-word question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from workshop.models import Activity, CardKind
from workshop.services import cards as card_service
from workshop.ui.common import db, in_page, tr
from workshop.ui.tablet import data, drafts
from workshop.ui.tablet.widgets import accepting, attempt, capital, kind_name, shape_text, warn

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView


def contribute(view: TabletView, activity: Activity) -> None:
    kinds = list(activity.card_kinds)
    draft = view.draft(activity)
    if draft.kind not in kinds:
        draft.kind = kinds[0]
    live = accepting(activity, "contributions")
    theme_keys = {t.key for t in view.themes}
    controls: list[ui.element] = []
    draft_key = drafts.key(view, activity)

    with ui.column().classes("w-full gap-3").mark("contribute-form"):
        if len(kinds) > 1:
            ui.label(tr("tablet.kind_label")).classes("font-semibold")
            kind_toggle = ui.toggle({k: capital(kind_name(k)) for k in kinds}, value=draft.kind,
                                    on_change=lambda e: choose_kind(e.value)).props(
                "unelevated no-caps spread toggle-color=primary color=white text-color=primary").classes(
                "w-full t-toggle").mark("kind")
            kind_toggle.props["aria-label"] = tr("tablet.kind_label")
            controls.append(kind_toggle)

        prompts_box = ui.expansion(icon="lightbulb_outline").classes("w-full bg-white rounded-borders").props(
            "header-class=text-weight-bold").mark("prompts")
        with prompts_box:
            prompts_list = ui.column().classes("w-full gap-2 q-pa-sm")

        text = ui.textarea(tr("tablet.text_label", kind=kind_name(draft.kind)), value=draft.text,
                           on_change=lambda e: on_text(e.value)).props(
            f"outlined autogrow maxlength={card_service.card_text_limit(draft.kind)}").classes("w-full").mark("text")
        shape_text(text, draft.kind)  # again whenever the kind changes (its limit, an article's tall field)
        drafts.mark(text, draft_key, "text")
        with ui.row().classes("w-full items-center no-wrap gap-1") as source_row:
            ui.icon("bookmark", color="primary").props('aria-hidden="true"')
            source_label = ui.label().classes("text-sm muted wrap-text").style("flex:1")
            forget = ui.button(icon="close", on_click=lambda: forget_source()).props("flat round color=primary")
            forget.props["aria-label"] = tr("tablet.prompt_forget")
        theme_options = {"": tr("tablet.no_theme"), **{t.key: t.label for t in view.themes}}
        theme = ui.select(theme_options, value=draft.theme or "", label=tr("tablet.theme_label"),
                          on_change=lambda e: choose_theme(e.value)).props("outlined").classes("w-full").mark("theme")
        with ui.expansion(tr("tablet.details_label"), value=bool(draft.details)).classes(
                "w-full bg-white rounded-borders"):
            details = ui.textarea(value=draft.details, on_change=lambda e: setattr(draft, "details", e.value or "")
                                  ).props("outlined autogrow maxlength=2000").classes("w-full q-pa-sm").mark("details")
            details.props["aria-label"] = tr("tablet.details_label")
            drafts.mark(details, draft_key, "details")
        button = ui.button(tr("tablet.submit"), icon="send", on_click=lambda: submit()).props(
            "unelevated size=lg color=primary no-caps").classes("w-full").mark("submit")
        controls += [text, theme, details, button, prompts_box]

    def show_source() -> None:
        source_label.set_text(tr("tablet.prompt_source", source=draft.source))
        source_row.set_visibility(bool(draft.source))

    def fill_prompts() -> None:
        prompts_list.clear()
        every = data.prompts_for(view.kit, draft.kind)
        shown = [p for p in every if draft.theme and p.theme == draft.theme] or every
        prompts_box.set_text(tr("tablet.prompts_title", count=len(shown)))
        prompts_box.set_visibility(bool(every))
        with prompts_list:
            ui.label(tr("tablet.prompts_hint")).classes("muted")
            if draft.theme and shown is not every:
                ui.label(tr("tablet.prompts_theme", theme=view.theme_label_by_key(draft.theme))).classes(
                    "text-sm muted")
            deck = None
            for prompt in shown:
                if prompt.deck != deck and len({p.deck for p in shown}) > 1:
                    deck = prompt.deck
                    ui.label(deck).classes("font-semibold q-mt-sm")
                ui.button(prompt.text, on_click=lambda p=prompt: use_prompt(p)).props(
                    "flat no-caps align=left").classes("prompt-btn")

    def choose_kind(kind: str | None) -> None:
        if not kind or kind == draft.kind:
            return
        draft.kind = kind
        text.props["label"] = tr("tablet.text_label", kind=kind_name(kind))
        shape_text(text, kind)
        text.update()
        # Another kind of card, another theme to choose: the previous one is not carried over.
        draft.theme = None
        theme.value = ""
        drafts.put(draft_key, kind=kind, theme="")
        fill_prompts()

    def choose_theme(key: str | None) -> None:
        draft.theme = key or None
        drafts.put(draft_key, theme=key or "")
        fill_prompts()

    def restore(saved: dict) -> None:
        """A draft kept by the browser (a reload, a sleeping tablet): back into the empty form."""
        if draft.text.strip() or draft.details.strip():
            return
        if saved.get("kind") in kinds and saved["kind"] != draft.kind:
            if len(kinds) > 1:
                kind_toggle.value = saved["kind"]  # its handler sets the label and prompts
            choose_kind(saved["kind"])
        if saved.get("theme") in theme_keys:
            draft.theme = saved["theme"]
            theme.value = saved["theme"]
        draft.text = saved.get("text", "")[:card_service.card_text_limit(draft.kind)]
        draft.details = saved.get("details", "")[:2000]
        text.value = draft.text
        details.value = draft.details

    def on_text(value: str | None) -> None:
        draft.text = value or ""
        if not draft.text.strip() and draft.source:
            draft.source = ""
            show_source()

    def forget_source() -> None:
        draft.source = ""
        show_source()

    def use_prompt(prompt: data.Prompt) -> None:
        text.value = prompt.text
        draft.text = prompt.text
        draft.source = prompt.source
        if not draft.theme and prompt.theme in theme_keys:
            draft.theme = prompt.theme
            theme.value = prompt.theme
        show_source()
        prompts_box.close()
        text.run_method("focus")

    @in_page
    async def submit() -> None:
        if view.busy:
            return
        if not draft.text.strip():
            warn("room.tablet.card_empty", kind=kind_name(draft.kind))
            text.run_method("focus")
            return
        view.busy = True
        button.props("loading")
        try:
            done, _card = await attempt(card_service.contribute, db(), view.token, activity.id, kind=draft.kind,
                                        text=draft.text, details=draft.details, theme=draft.theme,
                                        source=draft.source, request_id=draft.request_id)
        finally:
            view.busy = False
            button.props(remove="loading")
        if not done:
            return
        draft.sent()
        text.value = ""
        details.value = ""
        theme.value = ""  # the next card starts with no theme
        drafts.clear(draft_key)
        show_source()
        await view.show_sent("tablet.contributed")

    show_source()
    fill_prompts()
    if not live:
        for control in controls:
            control.disable()
    elif not draft.text and not draft.details:
        drafts.restore(view, activity, restore)


def word(view: TabletView, activity: Activity) -> None:
    draft = view.draft(activity, CardKind.WORD.value)
    live = accepting(activity, "contributions")
    with ui.column().classes("w-full gap-3"):
        field = ui.input(tr("tablet.word_label"), value=draft.text, placeholder=tr("tablet.word_placeholder"),
                         on_change=lambda e: setattr(draft, "text", e.value or "")).props(
            'outlined maxlength=40 enterkeyhint="send" autocomplete="off" input-class="text-2xl"').classes(
            "w-full").mark("word")
        drafts.mark(field, drafts.key(view, activity), "text")
        button = ui.button(tr("tablet.word_submit"), icon="send", on_click=lambda: submit()).props(
            "unelevated size=lg color=primary no-caps").classes("w-full").mark("submit")
    field.on("keydown.enter", lambda: submit())

    @in_page
    async def submit() -> None:
        if view.busy:
            return
        if not draft.text.strip():
            warn("room.tablet.word_empty")
            field.run_method("focus")
            return
        view.busy = True
        button.props("loading")
        try:
            done, _card = await attempt(card_service.contribute, db(), view.token, activity.id,
                                        kind=CardKind.WORD.value, text=draft.text, request_id=draft.request_id)
        finally:
            view.busy = False
            button.props(remove="loading")
        if not done:
            return
        draft.sent()
        field.value = ""
        drafts.clear(drafts.key(view, activity))
        await view.show_sent("tablet.word_sent")

    def restore(saved: dict) -> None:
        if not draft.text.strip() and saved.get("text"):
            draft.text = saved["text"][:40]
            field.value = draft.text

    if not live:
        field.disable()
        button.disable()
    elif not draft.text:
        drafts.restore(view, activity, restore)
