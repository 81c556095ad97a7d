"""The tablet's look: big touch targets, one column, readable at arm's length on a phone."""

from __future__ import annotations

from nicegui import ui

from workshop.ui.common import ACCENT, BRAND, INK, MUTED
from workshop.ui.units import UNITS_CSS


def tablet_setup() -> None:
    """The tablet's styles and script (after ``page_setup``, which sets the colours: the brand blue
    keeps white text readable); the script holds taps made offline and keeps drafts (``client.py``)."""
    from workshop.ui.tablet.client import tablet_script

    ui.add_css(TABLET_CSS + UNITS_CSS)
    ui.add_body_html(tablet_script())


TABLET_CSS = f"""
html, body {{ overflow-x: hidden; }}
/* the foot of the page leaves room for a toast (at the bottom, widgets.TOAST_POSITION), so the card
   just sent can be scrolled clear of the toast that says so (mine.SHOW_NEWEST_JS) */
.tablet-root {{ width: 100%; max-width: 760px; margin: 0 auto; padding: 12px 16px 96px;
  font-size: 1.0625rem; line-height: 1.45; }}
.mine-card {{ scroll-margin: 16px 0 88px; }}
/* the card just sent (mine.SHOW_NEWEST_JS) keeps room below it while the toast saying so is there, so
   the toast stands in that room, not over the text of the older card below */
.mine-card.just-sent {{ margin-bottom: 80px; }}
.tablet-root.has-bar {{ padding-bottom: 128px; }}
.tablet-root .q-btn {{ min-height: 48px; }}
.tablet-root .q-btn.tap-round {{ min-width: 52px; min-height: 52px; }}
.tablet-root .q-btn-toggle {{ flex-wrap: wrap; }}
.tablet-root .q-btn-toggle .q-btn {{ min-height: 52px; min-width: 52px; font-size: 1.05rem; }}
.tablet-root .q-field__native, .tablet-root .q-field__input {{ font-size: 1.0625rem; }}
.tablet-root [role="group"] .q-btn {{ min-width: 48px; }}
/* The main action (Envoyer…) stays a deep blue under a finger or a mouse: Quasar's veil is white at
   15 % on white text, which left the button paler (5.5:1 instead of 7.8:1) after every tap while the
   pointer rested on it; darker instead. Disabled (contributions closed, the activity paused) it is
   grey, not a faded blue that still reads as "tap me"; Quasar's disabled opacity is an !important
   in a cascade layer, which only an !important in the first layer beats. */
.tablet-root .q-btn.bg-primary .q-focus-helper {{ background: #000 !important; }}
@layer theme {{
  .tablet-root .q-btn.bg-primary.disabled {{ opacity: 1 !important; background: #e2e8f0 !important;
    color: {MUTED} !important; box-shadow: inset 0 0 0 2px #94a3b8; }}
}}
.t-toggle {{ border: 2px solid {BRAND}; border-radius: 10px; background: #fff; overflow: hidden; }}
/* square segments: the frame's rounded inside clips the ones at its ends (overflow hidden). Rounded as
   the frame's outside, a chosen end segment left a white crescent between its blue and the frame. */
.t-toggle .q-btn {{ color: {BRAND}; font-weight: 700; border-radius: 0; }}
.t-toggle .q-btn + .q-btn {{ border-left: 1px solid #94a3b8; }}
.tablet-root .q-field__label {{ font-size: 1.0625rem; }}
/* what a field says under it, in the flow of the page (« Facultatif : … », trajectory.py), is read too:
   not Quasar's 12 px, nor its grey (4.47:1 on the step form's background) */
.tablet-root .field-hint .q-field__bottom, .tablet-root .field-hint .q-field__messages {{ font-size: .9375rem; line-height: 1.3; }}
.tablet-root .field-hint:not(.q-field--error) .q-field__bottom {{ color: {MUTED}; }}
.tablet-root .q-expansion-item .q-item {{ min-height: 52px; }}
.tablet-root .q-field--outlined .q-field__control {{ background: #fff; }}
.tablet-root .q-field__native span, .tablet-root .q-select .q-field__native {{ white-space: normal; }}
.wrap-text {{ overflow-wrap: anywhere; word-break: normal; hyphens: auto; }}
.eyebrow {{ color: {MUTED}; font-size: .95rem; font-weight: 600; letter-spacing: .02em; text-transform: uppercase; }}
.muted {{ color: {MUTED}; }}
.tablet-panel h1, .t-h1 {{ font-size: 1.6rem; line-height: 1.2; font-weight: 700; color: {INK}; margin: 0; }}
.t-h2 {{ font-size: 1.25rem; line-height: 1.25; font-weight: 700; color: {INK}; }}
.banner {{ width: 100%; border-radius: 10px; padding: 12px 14px; font-weight: 600; display: flex; gap: 10px;
  align-items: center; }}
.banner-info {{ background: #e0ecf8; color: #0b3a66; border: 1px solid #9cc0e6; }}
.banner-warn {{ background: #fef3c7; color: #713f12; border: 1px solid #f59e0b; }}
.banner-stop {{ background: #fee2e2; color: #7f1d1d; border: 1px solid #f87171; }}
.t-card {{ width: 100%; background: #fff; border: 1px solid #cbd5e1; border-left: 8px solid var(--kind, {BRAND});
  border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06); }}
.t-card .card-text {{ font-size: 1.1rem; font-weight: 600; color: {INK}; }}
.t-card .card-text.article-text {{ white-space: pre-line; font-weight: 400; font-size: 1rem; }}
.vote-row {{ display: grid; grid-template-columns: minmax(0, 1fr) auto auto auto; align-items: center;
  grid-template-areas: "text minus count plus" "theme minus count plus"; column-gap: 8px; }}
.vote-row .vote-text {{ grid-area: text; }}
.vote-row .vote-theme {{ grid-area: theme; justify-self: start; margin-top: 4px; }}
.vote-row .vote-minus {{ grid-area: minus; }}
.vote-row .vote-count {{ grid-area: count; }}
.vote-row .vote-plus {{ grid-area: plus; }}
@media (max-width: 480px) {{
  .vote-row {{ grid-template-columns: minmax(0, 1fr) auto auto auto; row-gap: 8px;
    grid-template-areas: "text text text text" "theme theme theme theme" ". minus count plus"; }}
}}
.t-chip {{ display: inline-block; font-size: .85rem; font-weight: 600; padding: 2px 8px; border-radius: 8px;
  background: #eef2f7; color: {MUTED}; }}
.kind-chip {{ color: #fff; background: var(--kind, {BRAND}); }}
.dot-count {{ min-width: 52px; height: 52px; border-radius: 999px; display: flex; align-items: center;
  justify-content: center; font-size: 1.35rem; font-weight: 800; background: #eef2f7; color: {MUTED}; }}
.dot-count.has-dots {{ background: {ACCENT}; color: #fff; }}
/* a count with a tap held offline (vote_panel.js): the number it will have, not yet confirmed,
   so not the solid colour of dots the server has counted */
.dot-count.is-waiting {{ background: #fff; color: {ACCENT}; border: 3px dashed {ACCENT}; }}
.budget-bar {{ position: fixed; left: 0; right: 0; bottom: 0; z-index: 2000; background: {BRAND}; color: #fff;
  padding: 12px 16px calc(12px + env(safe-area-inset-bottom)); box-shadow: 0 -4px 16px rgba(15, 23, 42, .25); }}
/* its lines start and end where the page's do (.tablet-root: 760 px less 16 px on each side), not 16 px
   further out on a tablet held sideways */
.budget-bar .inner {{ max-width: 728px; margin: 0 auto; display: flex; flex-direction: column; gap: 6px; }}
.budget-bar .remaining {{ font-size: 1.15rem; font-weight: 700; }}
.budget-bar .dots {{ display: flex; flex-wrap: wrap; gap: 6px; }}
.budget-bar .dot {{ width: 18px; height: 18px; border-radius: 999px; border: 2px solid #fff; }}
.budget-bar .dot.free {{ background: #fbbf24; border-color: #fbbf24; }}
.budget-bar .dot.used {{ background: transparent; opacity: .75; }}
.budget-bar .dot.held {{ background: transparent; border-style: dashed; border-color: #fbbf24; }}
.budget-bar .waiting-line {{ font-size: 1rem; font-weight: 600; color: #fde68a; }}
.budget-bar.empty {{ background: #334155; }}
/* toasts (widgets.TOAST_POSITION) rise above the budget bar while it is there (vote_panel.js measures it),
   and stay there from their first frame to their last: Quasar slides them in from 50px lower and out to
   it, across the bar (« Il vous reste 2 gommettes », its dots) for a third of their life; they grow from
   a little smaller where they stand instead. So do toasts at the top, which Quasar slides in from
   above, across the line saying who the participant is. On a phone the vote's toast sits on the left, over the
   bar's text, clear of the buttons a card has on the right of its last line (vote_panel.js); it is a
   little narrower for that. Every toast's text is 16 px on the tablet and join pages (Quasar's is 14).
   Toasts have nothing to tap: a finger on what lies under one reaches it. Quasar's red count of a repeated toast (« 2 » after two votes) is
   hidden: it read as an error, or as dots. A toast that would cover a control on screen moves to the
   nearest place clear of them (client.TOASTS_JS sets --v21-shift, at once: no slide across them). */
.q-notifications__list--bottom {{ bottom: var(--tablet-bar, 0px); }}
.q-notifications__list {{ transform: translateY(var(--v21-shift, 0px)); }}
.q-notification__message {{ font-size: 1rem; }}
.q-notification--bottom-enter-from, .q-notification--bottom-leave-to,
.q-notification--bottom-left-enter-from, .q-notification--bottom-left-leave-to,
.q-notification--top-enter-from, .q-notification--top-leave-to {{ transform: scale(.9); }}
.q-notifications__list .q-notification {{ pointer-events: none; }}
.q-notification.vote-toast {{ padding: 0 10px; }}
.q-notification.vote-toast .q-notification__icon--additional {{ margin-right: 6px; }}
.q-notification__badge {{ display: none; }}
.q-notification.v21-dropped {{ display: none !important; }}
.vote-panel {{ width: 100%; }}
.vote-list {{ width: 100%; display: flex; flex-direction: column; gap: .75rem; }}
.budget-bar .budget-line {{ display: flex; width: 100%; align-items: center; justify-content: space-between;
  flex-wrap: nowrap; gap: 8px; }}
.prompt-btn {{ width: 100%; text-align: left; justify-content: flex-start; background: #fff;
  border: 1px solid #94a3b8; border-radius: 10px; padding: 10px 12px; color: {INK} !important; font-size: 1rem;
  font-weight: 500; text-transform: none; white-space: normal; }}
.prompt-btn .q-btn__content {{ justify-content: flex-start; text-align: left; }}
/* three side by side on a phone (a third of 358 px each, 4 px apart): Quasar's 16 px on each side left
   the hints some 80 px, « elle doit / être / adaptée » on three lines; 3 px, and each 16 px hint reads in
   two (« être adaptée » needs some 104 px) */
.verdict-btn {{ flex: 1 1 0; min-height: 64px !important; border-radius: 10px; padding: 4px 3px; }}
.verdict-btn .q-btn__content {{ flex-direction: column; line-height: 1.15; }}
/* the hints are read before choosing: 16 px, in the verdict's dark colour (voting.VERDICT_COLORS, 4.8:1 or
   more on white), white on the chosen one; they may take three lines on a phone, the buttons grow with them */
.verdict-btn .hint {{ font-size: 1rem; line-height: 1.2; font-weight: 500; text-transform: none; }}
.waiting {{ text-align: center; padding: 48px 8px; }}
/* the end screen's button (« Voir les résultats ») as wide as the card under it, not 8 px
   in from each of its edges */
.waiting.finished {{ padding: 16px 0 8px; }}
.identity {{ font-weight: 700; color: {INK}; }}
/* the header (view.py): the switch floats, the title and the name flow around it then under it; a rule
   under them, closer than Quasar's separator between two 16 px gaps */
.tablet-head {{ display: block; width: 100%; padding-bottom: 8px; border-bottom: 1px solid #cbd5e1; }}
.tablet-head::after {{ content: ""; display: block; clear: both; }}
.tablet-head .lang-touch {{ float: right; margin: 0 0 4px 10px; }}
.tablet-head .seminar-title {{ line-height: 1.3; }}
/* on a phone a long title took three lines above the name's two and pushed the activity down: the title is one
   line beside the switch, ended with « … » (a tap shows it whole; the join form, the page's title and the
   projector say it too), the name under both, on the whole width, wrapped between its parts only */
@media (max-width: 480px) {{
  .tablet-head {{ display: grid; grid-template-columns: minmax(0, 1fr) auto; align-items: center; column-gap: 10px; }}
  .tablet-head::after {{ display: none; }}
  .tablet-head .lang-touch {{ grid-column: 2; grid-row: 1; float: none; margin: 0; }}
  .tablet-head .seminar-title {{ grid-column: 1; grid-row: 1; }}
  .tablet-head .identity {{ grid-column: 1 / -1; margin-top: 4px; }}
  .tablet-head .seminar-title:not(.is-whole) {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
}}
/* the message about taps made offline (view.py) takes no gap of the page while it has nothing to say */
.tablet-root > :has(> .offline-dropped[hidden]) {{ display: none; }}
/* a tap made while offline: held, shown at once, never sent later (client.py) */
.q-btn.is-pending, .q-toggle.is-pending {{ outline: 3px dashed {ACCENT}; outline-offset: 2px; opacity: .75; }}
.q-btn.is-pending::after {{ content: "…"; position: absolute; top: -10px; right: -6px; background: {ACCENT};
  color: #fff; border-radius: 999px; padding: 0 6px; font-size: .9rem; font-weight: 800; line-height: 1.4; }}
.offline-dropped[hidden] {{ display: none; }}
.sr-only {{ position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }}
"""
