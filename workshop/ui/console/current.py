"""The activity in hand: start, pause, extend, close, advance; what is open; who voted; notes."""

from __future__ import annotations

from nicegui import ui

from workshop.models import Activity, ActivityState, Interaction
from workshop.services import activities
from workshop.ui.common import in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import Redrawn, clock_label, heading

VOTING = (Interaction.DOT_VOTE, Interaction.RATE, Interaction.ROBUSTNESS)
# a rating or a robustness test is answered, not voted: the console says it as the projector does
# (« 3 personnes ont répondu ») and the tablets do (« Enregistrer mon avis »)
ANSWERED = (Interaction.RATE, Interaction.ROBUSTNESS)
CONTRIBUTING = (Interaction.CONTRIBUTE, Interaction.WORD, Interaction.LINK, Interaction.TRAJECTORY)


def voted_text(a: Activity, voted: int, total: int) -> str:
    """« 2 sur 3 ont voté » for a dot vote, « 2 sur 3 ont répondu » for a rating or a robustness test."""
    return tr("console.answered_count" if a.interaction in ANSWERED else "console.voted_count",
              voted=voted, total=total)


def activity_meta(a: Activity) -> str:
    """« Jour 1 · plénière · vote à gommettes »: the day, the mode, what people do (a plenary talk
    reads « plénière · écoute », not « plénière · écoute en plénière »)."""
    return (f"{tr('console.day', number=a.day)} · {tr('mode.' + a.mode.value)} · "
            f"{tr('console.interaction.' + a.interaction.value)}")


class CurrentActivity:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.cards_count: ui.label | None = None  # "N contributions", kept live by card events
        self.cards_count_for: int | None = None  # the activity it counts
        self.cards_count_key = "console.cards_count"  # « 3 contributions », or « 3 réponses » for one word each
        self.voted: ui.label | None = None  # "N sur M ont voté" (or "ont répondu"), kept live by vote events

    def build(self) -> None:
        with ui.column().classes("console-panel console-current w-full gap-2").mark("current-panel"):
            self.status = Redrawn(ui.column().classes("w-full gap-3"))  # all it shows but the vote count
            self.texts = Redrawn(ui.column().classes("w-full gap-2"))  # the notes and instructions
        self.refresh()
        self.c.register("current", self.refresh)
        self.c.register("contributions", self.show_cards_count)

    def refresh(self) -> None:
        """The status part is drawn again only when what it shows changed: a vote (fifty in a
        minute) changes the count of voters, not the buttons a click may be on its way to."""
        a = self.c.selected()
        if not self.status.draw(self._status_shown(a), lambda: self._status(a)) and a is not None:
            self._show_voted(a)
        key = (a.id, a.participant_instructions, a.facilitator_instructions) if a else None
        self.texts.draw(key, lambda: self._texts(a))

    # --- status: refreshed live ---------------------------------------------------------------

    def _status_shown(self, a: Activity | None) -> tuple | None:
        """What the status part draws from (the clocks tick in the browser from these times)."""
        if a is None:
            return None  # « Aucune activité »
        return (a.id, a.state, a.day, a.mode, a.interaction, a.title, a.planned_minutes, a.extended_minutes,
                a.started_at, a.ended_at, a.paused_at, a.paused_seconds, a.contributions_open, a.votes_open,
                self.c.follow_current, tuple((x.id, x.position, x.state, x.title) for x in self.c.activities()))

    def _status(self, a: Activity | None) -> None:
        if a is None:
            ui.label(tr("console.no_activity"))
            return
        acts = self.c.activities()
        is_open = a.state is ActivityState.OPEN
        paused = a.paused_at is not None
        with ui.row().classes("w-full items-center gap-2 text-sm"):
            chip = {ActivityState.OPEN: "bg-blue-900 text-white", ActivityState.CLOSED: "bg-slate-600 text-white",
                    ActivityState.PENDING: "bg-white text-slate-900 border border-slate-500"}[a.state]
            ui.label(tr("console.paused") if paused else tr(f"state.{a.state.value}")).classes(
                f"{chip} rounded px-2 py-0.5 font-semibold").mark("current-state")
            ui.label(activity_meta(a)).classes("console-muted")
            if not self.c.follow_current:
                ui.space()
                ui.button(tr("console.back_to_current"), icon="my_location",
                          on_click=self._follow).props("flat dense no-caps color=primary")
        with ui.row().classes("w-full items-end justify-between gap-4 no-wrap"):
            heading(a.title, level=2, classes="console-current-title font-bold leading-tight").mark("current-title")
            with ui.column().classes("items-end gap-0 shrink-0"):
                planned = (a.planned_minutes + a.extended_minutes) * 60
                if is_open:
                    clock_label(remaining=activities.remaining_seconds(a), running=not paused).classes(
                        "console-current-clock font-bold text-slate-900").mark("current-clock")
                    ui.label(tr("console.remaining")).classes("text-xs console-muted")
                elif a.state is ActivityState.CLOSED:
                    clock_label(elapsed=activities.elapsed_seconds(a), planned=planned, duration=True).classes(
                        "text-3xl font-bold text-slate-900")
                    ui.label(tr("console.lasted")).classes("text-xs console-muted")
                else:
                    ui.label(tr("console.planned_min", count=a.planned_minutes)).classes(
                        "text-2xl font-bold text-slate-900")
                if a.extended_minutes:
                    ui.label(tr("console.extended_by", minutes=a.extended_minutes)).classes(
                        "text-xs console-muted")
        with ui.row().classes("w-full items-center gap-2"):
            if not is_open:
                ui.button(tr("console.start") if a.state is ActivityState.PENDING else tr("console.reopen"),
                          icon="play_arrow", on_click=lambda: self._run(activities.open_activity, a.id)).props(
                    "unelevated no-caps color=primary").mark("start")
            else:
                if paused:
                    ui.button(tr("console.resume"), icon="play_arrow",
                              on_click=lambda: self._run(activities.resume, a.id)).props(
                        "unelevated no-caps color=primary").mark("resume")
                else:
                    ui.button(tr("console.pause"), icon="pause",
                              on_click=lambda: self._run(activities.pause, a.id)).props(
                        "outline no-caps color=primary").mark("pause")
                for minutes in (5, 10):
                    ui.button(tr("console.extend", minutes=minutes),
                              on_click=lambda m=minutes: self._run(activities.extend, a.id, m)).props(
                        "outline no-caps color=primary").mark(f"extend-{minutes}")
                ui.button(tr("console.close"), icon="stop",
                          on_click=lambda: self._run(activities.close_activity, a.id)).props(
                    "outline no-caps color=negative").mark("close")
        with ui.row().classes("w-full items-center gap-x-4 gap-y-2"):
            current = self.c.current()
            after = current.position if current else -1
            nxt = next((x for x in acts if x.position > after and x.state is ActivityState.PENDING), None)
            # With nothing open, "Démarrer" on the next activity already does what "Activité
            # suivante" would: one button, not two that do the same thing.
            same_as_start = current is None and nxt is not None and nxt.id == a.id
            finished = current is None and nxt is None  # nothing to advance to: no dead button
            # the last activity open and shown: « Clore » above already closes it, as advancing would
            same_as_close = current is not None and current.id == a.id and nxt is None
            if not same_as_start and not finished and not same_as_close:
                label = tr("console.advance_to", title=nxt.title) if nxt else tr("console.advance_end")
                advance = ui.button(label, icon="skip_next", on_click=self._advance).props(
                    "unelevated no-caps color=primary").classes("console-advance").mark("advance")
                advance.props["title"] = label  # the whole title, when the button cuts it
            ui.space()
            with ui.row().classes("items-center gap-x-4 gap-y-1 no-wrap"):  # a switch and its count stay together
                self._openness(a)

    def _openness(self, a: Activity) -> None:
        self.voted = None
        # not started yet: the switch says what the tablets will get once it starts (they can do
        # nothing before), not that they may write now
        later = "_at_start" if a.state is ActivityState.PENDING else ""
        if a.interaction in CONTRIBUTING:
            ui.switch(tr("console.contributions_open" + later), value=a.contributions_open,
                      on_change=lambda e: self._toggle(activities.set_contributions_open, a, e.value,
                                                       a.contributions_open)).mark("contributions-open")
        if a.interaction in VOTING:
            ui.switch(tr(("console.answers_open" if a.interaction in ANSWERED else "console.votes_open") + later),
                      value=a.votes_open,
                      on_change=lambda e: self._toggle(activities.set_votes_open, a, e.value,
                                                       a.votes_open)).mark("votes-open")
            self.voted = ui.label().classes("font-semibold whitespace-nowrap").props('role="status"').mark(
                "voted-count")
            self._show_voted(a)
        self.cards_count = None
        if a.interaction in (Interaction.CONTRIBUTE, Interaction.WORD):
            self.cards_count = ui.label().classes("font-semibold whitespace-nowrap").props(
                'role="status"').mark("cards-count")
            self.cards_count_for = a.id
            # one word each: « 3 réponses », as the projector's word cloud counts them
            self.cards_count_key = ("console.word_answers" if a.interaction is Interaction.WORD
                                    else "console.cards_count")
            self.show_cards_count()

    def _show_voted(self, a: Activity) -> None:
        label = self.voted
        if label is None or label.is_deleted or a.interaction not in VOTING:
            return
        text = voted_text(a, len(self.c.voters(a.id)), len(self.c.participants()))
        if label.text != text:
            label.set_text(text)

    def show_cards_count(self) -> None:
        """The activity's contributions, counted again as cards arrive (only this label changes)."""
        label = self.cards_count
        if label is None or label.is_deleted:
            return
        count = sum(1 for card in self.c.cards() if card.activity_id == self.cards_count_for)
        text = tr(self.cards_count_key, count=count)
        if label.text != text:
            label.set_text(text)

    @in_page
    async def _run(self, fn, *args) -> None:
        self.c.follow_current = True
        await self.c.attempt(fn, *args)

    @in_page
    async def _advance(self) -> None:
        self.c.follow_current = True
        await self.c.attempt(activities.advance)

    def _follow(self) -> None:
        self.c.follow_current = True
        self.c.mark("runsheet", "current", "people", "counts")
        self.c.flush_now()

    @in_page
    async def _toggle(self, fn, a: Activity, value: bool, before: bool) -> None:
        if bool(value) != before:
            await self.c.attempt(fn, a.id, bool(value))

    # --- texts: rebuilt only when the activity changes (never under the facilitator's fingers) --

    def _texts(self, a: Activity | None) -> None:
        if a is None:
            return
        caption = a.facilitator_notes.splitlines()[0][:80] if a.facilitator_notes else ""
        with ui.expansion(tr("console.instructions_and_notes"), caption=caption, icon="menu_book").classes(
                "w-full border border-slate-200 rounded").props("dense").mark("texts"):
            if a.participant_instructions:
                ui.label(tr("console.field_participant_instructions")).classes("text-sm font-bold")
                ui.label(a.participant_instructions).classes("text-sm whitespace-pre-line")
            if a.facilitator_instructions:
                ui.label(tr("console.field_facilitator_instructions")).classes("text-sm font-bold mt-2")
                ui.label(a.facilitator_instructions).classes("text-sm whitespace-pre-line")
            with ui.row().classes("w-full items-end gap-2 no-wrap mt-2"):
                notes = ui.textarea(tr("console.notes"), value=a.facilitator_notes,
                                    placeholder=tr("console.notes_placeholder")).props(
                    "outlined autogrow dense maxlength=5000").classes("grow").mark("notes")

                @in_page
                async def save() -> None:
                    if await self.c.attempt(activities.set_notes, a.id, notes.value or ""):
                        ui.notify(tr("console.notes_saved"), type="positive", position="top")

                ui.button(tr("ui.save"), on_click=save).props("outline no-caps color=primary").mark("notes-save")
