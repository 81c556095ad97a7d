"""Styles of the projector screen (its script is in script.py).

Everything is sized in viewport units so the screen looks the same at 1920x1080 and at
1280x720 and never scrolls.
"""

from __future__ import annotations

from workshop.figures.style import FONT_STACK

NAVY = "#0b2e59"
INK = "#0f172a"
MUTED = "#334155"

# Text colours of card kinds on white, all at least 7:1.
KIND_INK = {
    "stake": "#0b5394", "threat": "#991b1b", "resource": "#166534", "challenge": "#6d28d9",
    "current_action": "#155e75", "action_lead": "#92400e", "vision_article": "#9d174d",
    "trend": "#475569", "word": "#334155",
}

# The size of all secondary text (header context, labels, keys, lists beside charts): 24 px at
# 1280x720 (PROJECTOR_MIN_PX, from the back of a room), scaled with the screen like the rest of
# the page (36 px at 1920x1080), never below 24 px. A 1080p page is then the 720p one, enlarged.
READABLE = "max(24px, 3.34vh)"

CSS = f"""
html, body {{ height: 100%; overflow: hidden !important; margin: 0; }}
body {{ background: #fff; }}
.q-page-container, .q-page, .nicegui-content {{ padding: 0 !important; min-height: 0 !important; }}
.v21p {{ position: fixed; inset: 0; display: flex; flex-direction: column; overflow: hidden;
  background: #fff; color: {INK}; font-family: {FONT_STACK};
  line-height: 1.25; }}
.v21p *, .v21p *::before, .v21p *::after {{ box-sizing: border-box; }}
.v21p-sr {{ position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}

/* header: where we are, the activity, time left, people connected */
/* the context line (« Amiens Métropole · horizon 2055 · jour 2 · en sous-groupes ») keeps its room beside
   the clock and « CONNECTÉS »: gaps of 2.4vh, the two boxes' labels tracked .03em, not .06em */
.v21p-head {{ flex: 0 0 13vh; height: 13vh; display: flex; align-items: center; gap: 2.4vh; padding: 1.2vh 3vh;
  background: {NAVY}; color: #fff; }}
.v21p-head-text {{ flex: 1 1 auto; min-width: 0; height: 100%; display: flex; flex-direction: column;
  justify-content: center; gap: .4vh; }}
.v21p-context {{ font-size: {READABLE}; color: #dbeafe; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  flex: 0 0 auto; }}
.v21p-title {{ font-size: 4.6vh; font-weight: 750; line-height: 1.1; overflow: hidden; flex: 0 1 auto;
  max-height: 8.2vh; }}
.v21p-clock {{ flex: 0 0 auto; display: flex; flex-direction: column; align-items: center; justify-content: center;
  min-width: 22vh; padding: .6vh 2.4vh; border-radius: 1.2vh; background: #fff; color: {NAVY}; }}
.v21p-clock[hidden] {{ display: none; }}
.v21p-clock-label {{ font-size: {READABLE}; font-weight: 650; text-transform: uppercase; letter-spacing: .03em; }}
.v21p-clock-time {{ font-size: 6.4vh; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }}
.v21p-clock.is-paused {{ background: #92400e; color: #fff; }}
.v21p-clock.is-over {{ background: #991b1b; color: #fff; }}
.v21p-people {{ flex: 0 0 auto; display: flex; flex-direction: column; align-items: center; justify-content: center;
  min-width: 16vh; padding: .6vh 1.6vh; border: .3vh solid #dbeafe; border-radius: 1.2vh; }}
.v21p-people-count {{ font-size: 5.2vh; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }}
.v21p-people-label {{ font-size: {READABLE}; font-weight: 650; text-transform: uppercase; letter-spacing: .03em; }}

/* body: the main view and, on the right, how to join and what to do */
.v21p-body {{ flex: 1 1 auto; min-height: 0; display: flex; gap: 3vh; padding: 2.6vh 3vh; }}
.v21p-main {{ flex: 1 1 auto; min-width: 0; min-height: 0; position: relative; overflow: hidden;
  display: flex; flex-direction: column; }}
.v21p-side {{ flex: 0 0 27vw; width: 27vw; min-width: 27vw; min-height: 0; display: flex; flex-direction: column;
  gap: 2.4vh; overflow: hidden; }}
/* a wall that uses fewer columns than it has (the script marks it is-snug and says how wide its
   columns are): the main area shrinks to them and the side panel takes the room left; the columns
   keep the width they have beside a 27vw panel (the main area's width: 100vw - paddings - gap - 27vw) */
.v21p-body:has(.v21p-wall-viewport.is-snug) > .v21p-main {{ flex: 1 1 var(--v21p-wall-w, auto); }}
.v21p-body:has(.v21p-wall-viewport.is-snug) > .v21p-side {{ flex: 1000 1 27vw; width: auto; }}
.v21p-wall-viewport.is-snug > .v21p-wall-cols {{ width: calc(73vw - 9vh); }}
/* beside a single column the panel is most of the screen: how to join on its left, the
   instructions on its right, the whole height for short lines in large type */
.v21p-body:has(.v21p-wall-viewport.is-single) > .v21p-side {{ flex-direction: row; }}
.v21p-body:has(.v21p-wall-viewport.is-single) > .v21p-side > .v21p-join {{ justify-content: center; align-content: center; }}
.v21p-body:has(.v21p-wall-viewport.is-single) > .v21p-side:not(.is-tight) .v21p-qr {{ width: 27vh; }}
.v21p-body:has(.v21p-wall-viewport.is-single) > .v21p-side > .v21p-instr {{ flex: 1 1 0; min-width: 0; }}
.v21p-panel {{ border: .25vh solid #cbd5e1; border-radius: 1.4vh; padding: 2vh; background: #f8fafc; }}
.v21p-join {{ flex: 0 0 auto; display: flex; flex-direction: column; align-items: center; gap: .8vh; padding: 1.6vh 2vh; }}
.v21p-join-lead {{ font-size: {READABLE}; font-weight: 700; text-align: center; }}
.v21p-qr {{ width: min(100%, 27vh); aspect-ratio: 1 / 1; background: #fff; padding: 1.2vh; border-radius: 1vh; }}
.v21p-qr svg {{ width: 100%; height: 100%; display: block; }}
.v21p-code-label {{ font-size: {READABLE}; font-weight: 650; color: {MUTED}; text-transform: uppercase; letter-spacing: .08em; }}
.v21p-code {{ font-size: 5.6vh; font-weight: 800; letter-spacing: .14em; line-height: 1;
  font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; color: {NAVY}; }}
.v21p-address {{ font-size: {READABLE}; font-weight: 600; text-align: center; overflow-wrap: anywhere; color: {INK}; }}
.v21p-instr {{ flex: 1 1 0; min-height: 12vh; display: flex; flex-direction: column; gap: 1vh; }}
.v21p-instr-head {{ font-size: {READABLE}; font-weight: 750; text-transform: uppercase; letter-spacing: .08em; color: {MUTED}; }}
.v21p-instr-text {{ flex: 1 1 0; min-height: 0; overflow: hidden; font-size: max(24px, 2.9vh); line-height: 1.28;
  white-space: pre-line; }}
/* cut (data-clamp): the text keeps all the room above the note, which stays at the panel's bottom */
.v21p-instr-more {{ flex: 0 0 auto; font-size: {READABLE}; font-weight: 700; color: {NAVY}; }}
.v21p-instr-more[hidden] {{ display: none; }}
.v21p-side.is-tight .v21p-join-lead {{ display: none; }}
.v21p-side.is-tight .v21p-join {{ gap: .4vh; padding: 1.2vh 2vh; }}
.v21p-side.is-tight .v21p-qr {{ width: min(100%, 18vh); padding: .8vh; }}
/* tight: « CODE » beside the code, one line fewer for the instructions */
.v21p-side.is-tight .v21p-join {{ display: grid; grid-template-columns: auto auto; justify-content: center;
  align-items: baseline; column-gap: 1.6vh; }}
.v21p-side.is-tight .v21p-join > :not(.v21p-code-label):not(.v21p-code) {{ grid-column: 1 / -1; justify-self: center; }}
.v21p-side.is-tight .v21p-join > .v21p-qr {{ width: 18vh; }}
/* still too long at the smallest size: fade the last line out rather than cut a word in half */
.v21p-instr-text.is-cut, .v21p-bigtext.is-cut {{ -webkit-mask-image: linear-gradient(to bottom, #000 80%, transparent 100%);
  mask-image: linear-gradient(to bottom, #000 80%, transparent 100%); }}

/* view titles and big messages */
.v21p-view {{ flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; gap: 1.6vh; }}
.v21p-view-title {{ flex: 0 0 auto; font-size: 3.6vh; font-weight: 750; line-height: 1.15; color: {NAVY};
  overflow: hidden; max-height: 8.4vh; }}
.v21p-view-sub {{ flex: 0 0 auto; font-size: {READABLE}; color: {MUTED}; }}
.v21p-message {{ flex: 1 1 auto; display: flex; flex-direction: column; align-items: center; justify-content: center;
  text-align: center; gap: 2.4vh; padding: 2vh 4vh; }}
.v21p-message-big {{ font-size: 7vh; font-weight: 800; line-height: 1.1; color: {NAVY}; }}
.v21p-message-mid {{ font-size: 5.2vh; font-weight: 700; line-height: 1.15; }}
.v21p-message-small {{ font-size: {READABLE}; color: {MUTED}; max-width: 70vw; }}
/* while a vote's results are hidden: the instructions under its message, as large as the room left
   allows (the script fits them); the message keeps its size and never leaves the screen */
.v21p-message.has-instr {{ min-height: 0; justify-content: safe center; gap: 2vh; padding: 1vh 2vh; }}
.v21p-message.has-instr > :not(.v21p-instr-main) {{ flex: 0 0 auto; }}
.v21p-instr-main {{ flex: 0 1 auto; min-height: 0; width: 100%; max-width: 72vw; margin-top: 1.4vh;
  display: flex; flex-direction: column; gap: 1vh; text-align: left; padding: 2.2vh 3vh; }}
.v21p-instr-main .v21p-instr-text {{ flex: 0 1 auto; min-height: 0; font-size: 4.4vh; line-height: 1.3; }}
.v21p-pulse {{ width: 3vh; height: 3vh; border-radius: 50%; background: {NAVY}; animation: v21p-pulse 1.6s ease-in-out infinite; }}
@keyframes v21p-pulse {{ 0%, 100% {{ transform: scale(.6); opacity: .5; }} 50% {{ transform: scale(1); opacity: 1; }} }}
@media (prefers-reduced-motion: reduce) {{ .v21p-pulse, .v21p-card.is-new {{ animation: none !important; }} }}

/* the wall: groups flow in columns; extra columns become pages */
.v21p-wall-viewport {{ flex: 1 1 auto; min-height: 0; overflow: hidden; position: relative; }}
.v21p-wall-cols {{ height: 100%; column-count: 3; column-gap: 3vh; column-fill: auto; font-size: max(24px, 2.6vh); }}
.v21p-wall-cols.is-wide {{ column-count: 4; }}
.v21p-wall-cols.by-kind .v21p-group + .v21p-group {{ break-before: column; }}
.v21p-group {{ display: block; }}
.v21p-group-title {{ display: flex; justify-content: space-between; align-items: baseline; gap: 1vh;
  font-size: 1.1em; font-weight: 800; padding-bottom: .2em; margin-bottom: .45em; border-bottom: .45vh solid currentColor;
  break-after: avoid; break-inside: avoid; }}
.v21p-group-count {{ font-variant-numeric: tabular-nums; }}
.v21p-card {{ break-inside: avoid; margin: 0 0 .42em 0; padding: .3em .5em .34em .55em; background: #fff;
  border: .2vh solid #cbd5e1; border-left: 1vh solid #64748b; border-radius: .9vh; font-size: 1em;
  line-height: 1.2; overflow-wrap: anywhere; }}
/* an article from the future on the wall: its headline and first lines (read whole in focus) */
.v21p-card-article {{ white-space: pre-line; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 5; line-clamp: 5; overflow: hidden; }}
.v21p-card-theme {{ display: block; margin-top: .1em; font-size: max(24px, .74em); font-weight: 650; color: {MUTED}; }}
.v21p-card.is-new {{ animation: v21p-new 4s ease-out 1; }}
@keyframes v21p-new {{ 0% {{ background: #fde68a; transform: scale(1.04); }} 15% {{ transform: scale(1); }}
  100% {{ background: #fff; }} }}
.v21p-wall-empty {{ font-size: {READABLE}; color: {MUTED}; padding: 4vh 0; }}
/* an empty wall: its line, then the instructions as large as the room left allows (the script fits them) */
.v21p-wall-intro .v21p-wall-empty {{ padding: 0; }}
.v21p-pager-row {{ flex: 0 0 3.8vh; display: flex; justify-content: space-between; align-items: flex-end; gap: 2vh; }}
.v21p-pager-row .v21p-legend {{ font-size: {READABLE}; font-weight: 650; }}
/* one column per kind (the script's by-kind, on one page): each column's heading names its colour,
   the key below would only say the headings again */
.v21p-wall-viewport:has(> .v21p-wall-cols.by-kind) ~ .v21p-pager-row > .v21p-legend {{ visibility: hidden; }}
.v21p-pager {{ padding: .3vh 1.4vh; border-radius: 1vh; background: {NAVY}; color: #fff; font-size: {READABLE}; font-weight: 700; }}
.v21p-pager[hidden] {{ visibility: hidden; }}

/* charts: drawn at a 1080p reference size, scaled to their area by the script */
.v21p-legend {{ flex: 0 0 auto; display: flex; flex-wrap: wrap; gap: .6vh 2.6vh; font-size: {READABLE}; }}
.v21p-legend-item {{ display: inline-flex; align-items: center; gap: .8vh; white-space: nowrap; }}
.v21p-swatch {{ display: inline-block; width: 2.2vh; height: 2.2vh; border-radius: .4vh; }}
.v21p-view > .v21p-legend .v21p-swatch {{ width: .9em; height: .9em; }}
.v21p-chart-row {{ flex: 1 1 auto; min-height: 0; display: flex; gap: 3vh; }}
.v21p-scale {{ flex: 1 1 auto; min-width: 0; min-height: 0; position: relative; overflow: hidden; }}
.v21p-scale > .js-plotly-plot {{ position: absolute !important; left: 0; top: 0; transform-origin: 0 0; }}
.v21p-ranking {{ flex: 0 0 38%; min-height: 0; overflow: hidden; display: flex; flex-direction: column; gap: 1vh; }}
.v21p-rank {{ display: flex; gap: 1.2vh; align-items: baseline; font-size: {READABLE}; line-height: 1.2; }}
.v21p-rank-num {{ flex: 0 0 4.2vh; height: 4.2vh; border-radius: 50%; background: {NAVY}; color: #fff;
  display: flex; align-items: center; justify-content: center; font-weight: 800; font-size: {READABLE}; align-self: center; }}
.v21p-rank-text {{ flex: 1 1 auto; min-width: 0; }}
.v21p-rank-values {{ flex: 0 0 auto; font-weight: 750; font-variant-numeric: tabular-nums; white-space: nowrap; }}

/* one card, huge */
.v21p-focus {{ flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; gap: 2.4vh; padding: 3vh 4vh;
  border: .3vh solid #cbd5e1; border-left: 2vh solid #64748b; border-radius: 2vh; }}
.v21p-focus-kind {{ align-self: flex-start; font-size: {READABLE}; font-weight: 800; text-transform: uppercase;
  letter-spacing: .08em; padding: .6vh 1.6vh; border-radius: .8vh; color: #fff; }}
.v21p-focus-text {{ flex: 1 1 0; min-height: 0; overflow: hidden; font-size: 9vh; font-weight: 750; line-height: 1.12;
  overflow-wrap: anywhere; display: flex; align-items: center; }}
.v21p-focus-details {{ flex: 0 1 auto; max-height: 26vh; overflow: hidden; font-size: {READABLE}; color: {MUTED};
  white-space: pre-line; }}
/* an article from the future: its headline on top, the article filling the rest (shrunk to fit) */
.v21p-focus-text.is-article {{ flex: 0 1 auto; max-height: 30vh; }}
.v21p-focus-details.is-article {{ flex: 1 1 0; min-height: 0; max-height: none; color: {INK}; }}
.v21p-focus-details.is-cut {{ -webkit-mask-image: linear-gradient(to bottom, #000 85%, transparent 100%);
  mask-image: linear-gradient(to bottom, #000 85%, transparent 100%); }}
.v21p-focus-theme {{ font-size: {READABLE}; font-weight: 700; display: flex; align-items: center; gap: 1.2vh; }}
.v21p-focus-theme .v21p-swatch {{ width: 2.8vh; height: 2.8vh; }}

/* the join view: a QR code as big as the screen allows */
.v21p-bigjoin {{ flex: 1 1 auto; min-height: 0; display: flex; align-items: center; justify-content: center; gap: 6vh; }}
.v21p-bigjoin .v21p-qr {{ width: 76vh; height: 76vh; flex: 0 0 auto; padding: 2vh; border: .3vh solid #cbd5e1; }}
.v21p-bigjoin-text {{ display: flex; flex-direction: column; gap: 2.6vh; max-width: 50vw; }}
.v21p-bigjoin-lead {{ font-size: 5.6vh; font-weight: 800; color: {NAVY}; line-height: 1.1; }}
.v21p-bigjoin-step {{ font-size: 3.4vh; line-height: 1.25; }}
.v21p-bigjoin .v21p-code {{ font-size: 13vh; }}
.v21p-bigjoin .v21p-address {{ font-size: 4vh; text-align: left; color: {NAVY}; }}

/* instructions as the main view (plenary steps): in the middle of the room they have, as the other
   full-screen messages are (at the top, a few lines over an empty screen looked unfinished); a text
   taller than its room starts at the top (safe) and is fitted or cut there */
.v21p-bigtext {{ flex: 1 1 0; min-height: 0; overflow: hidden; font-size: 5vh; line-height: 1.3; white-space: pre-line;
  padding: 1vh 0; display: flex; flex-direction: column; justify-content: safe center; }}

/* the end of the seminar: thanks, what was done, what happens next */
.v21p-closing {{ gap: 3vh; }}
/* « Et ensuite ? » and the results' address, one under the other, share their edges: each as wide as
   its own text, they stood a few pixels apart on each side, which read as a slip */
.v21p-closing > .v21p-panel {{ width: 80vw; max-width: 100%; box-sizing: border-box; }}
.v21p-results {{ display: flex; gap: 3vh; align-items: center; text-align: left; }}
.v21p-results .v21p-results-qr {{ width: 24vh; flex: 0 0 auto; }}
.v21p-results-text {{ flex: 1 1 auto; min-width: 0; text-align: center; }}
.v21p-next {{ text-align: left; display: flex; flex-direction: column; gap: 1.2vh; }}
.v21p-next-text {{ font-size: {READABLE}; line-height: 1.3; }}

/* full-screen button: shown while the mouse moves or when focused from the keyboard */
.v21p-fs {{ position: fixed; right: 1.4vh; bottom: 1.4vh; z-index: 50; font-size: {READABLE}; font-weight: 700;
  padding: .8vh 1.6vh; border-radius: .8vh; border: .25vh solid #fff; background: {NAVY}; color: #fff; cursor: pointer;
  opacity: 0; transition: opacity .3s; }}
body.v21p-pointer .v21p-fs, .v21p-fs:focus-visible {{ opacity: 1; }}
.v21p-fs:focus-visible {{ outline: .5vh solid #f59e0b !important; outline-offset: .3vh; }}
:fullscreen .v21p-fs {{ display: none; }}
"""
