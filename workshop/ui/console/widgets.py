"""Small building blocks shared by the console's panels (buttons, headings, clocks, styles, lists kept
by key, parts drawn again only when they change)."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from nicegui import ui

from workshop.ui.common import ACCENT, BRAND, COLLEGE_COLORS, KIND_COLORS, MUTED, PAGE_COLORS, clock_text, tr

# The pages' palette, plus the console's own warning and secondary (>= 4.5:1 with white text).
COLORS = {**PAGE_COLORS, "warning": "#b45309", "secondary": "#475569"}

CONSOLE_CSS = f"""
/* Quasar's important rules (.no-outline) sit in a cascade layer and beat unlayered !important;
   an !important in the first layer beats them, so keyboard focus stays visible. */
@layer theme {{ :focus-visible {{ outline: 3px solid {ACCENT} !important; outline-offset: 2px !important; }} }}
.nicegui-content {{ gap: 0; }}
.console-header {{ height: 64px; }}
/* the seminar's name: up to two lines, then « … » (whole in its tooltip); the header's other items
   fold their words on two lines at most, so the name has the room to be read whole at 1280 px */
.console-title-box {{ flex: 1 1 auto; }}
.console-title {{ font-size: 1rem; font-weight: 700; line-height: 1.25; display: -webkit-box;
  -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; overflow-wrap: anywhere; }}
.console-header-switch .q-toggle__label {{ font-size: .875rem; line-height: 1.2; max-width: 6.5rem; }}
/* « Connectés : » above « 3 sur 12 inscrits » (no-break spaces): as wide as the longer of the two */
.console-header-fold {{ width: min-content; white-space: normal; line-height: 1.2; }}
.console-col {{ height: calc(100vh - 64px); overflow-y: auto; }}
.console-act-title .q-btn__content {{ text-align: left; justify-content: flex-start; }}
.console-panel {{ background: #fff; border: 1px solid #cbd5e1; border-radius: 8px; }}
.console-muted {{ color: {MUTED}; }}
.console-heading {{ font-size: 1.05rem; font-weight: 700; color: #0f172a; }}
.console-kind {{ color: #fff; border-radius: 4px; padding: 1px 6px; font-size: .75rem; font-weight: 600;
  white-space: nowrap; }}
.console-over {{ color: #b91c1c !important; font-weight: 700; }}
.console-clock {{ font-variant-numeric: tabular-nums; }}
.console-act {{ border-left: 4px solid transparent; }}
.console-act.is-open {{ border-left-color: {BRAND}; background: #eff6ff; }}
.console-act.is-selected {{ outline: 2px solid {BRAND}; outline-offset: -2px; }}
.console-act.is-closed .console-act-title {{ color: {MUTED}; }}
.console-card.is-hidden {{ background: #f1f5f9; }}
.console-card.is-hidden .console-card-text {{ text-decoration: line-through; color: {MUTED}; }}
.console-card.is-new {{ animation: console-flash 2s ease-out; }}
@keyframes console-flash {{ from {{ background: #fef3c7; }} to {{ background: #fff; }} }}
/* tabs read as tabs, apart from each other, also at 1280 px: they keep their width (never squeezed
   until a label touches its border); when they do not fit, the tab bar scrolls between two arrows */
.q-tab {{ flex: 0 0 auto; text-transform: none; padding: 0 12px; min-width: 0; margin-right: 4px; border: 1px solid #cbd5e1;
  border-bottom: none; border-radius: 6px 6px 0 0; background: #f1f5f9; min-height: 36px; }}
.q-tab--active {{ background: #fff; }}
.q-tab__label {{ font-size: .95rem; font-weight: 600; }}
/* a 1280 px laptop leaves the middle column 600 px: the six tabs fit there side by side, without arrows,
   at 14 px, not bold (a bold label is wider), 6 px on each side of a label */
@media (max-width: 1400px) {{ .q-tab {{ padding: 0 6px; margin-right: 2px; }}
  .q-tab__label {{ font-size: .875rem; font-weight: 500; }} }}
/* the activity in hand: compact, so the cards below stay in view on a 1280x800 laptop */
.console-current {{ padding: 12px 14px; }}
.console-current-title {{ font-size: 1.2rem; }}
.console-current-clock {{ font-size: 2.1rem; line-height: 1; }}
.console-current .q-btn {{ min-height: 34px; padding: 2px 12px; }}
.console-advance {{ max-width: 100%; }}
.console-advance .q-btn__content {{ flex-wrap: nowrap; min-width: 0; }}
.console-advance .q-btn__content > span {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
@media (min-height: 880px) {{
  .console-current-title {{ font-size: 1.6rem; }}
  .console-current-clock {{ font-size: 2.4rem; }}
}}
.console-college {{ flex: 0 0 auto; width: 12px; height: 12px; border-radius: 3px; background: var(--college); }}
.console-card {{ padding-top: 2px !important; padding-bottom: 2px !important; }}
/* the merge bar stays in view while the list scrolls under it */
.console-merge-bar {{ position: sticky; top: 0; z-index: 5; box-shadow: 0 2px 6px rgba(15, 23, 42, .15); }}
/* a select whose value may be longer than it (a card to keep, a table, an activity): the value ends in
   « … » before the arrow, not under it (the pages' selects let their value overflow, for the accents
   above capitals: clipped sideways only, the accents keep their room) */
.console-select-fit .q-field__native > span {{ overflow-x: clip; overflow-y: visible; white-space: nowrap;
  text-overflow: ellipsis; min-width: 0; }}
.console-select-fit .q-field__native {{ min-width: 0; flex-wrap: nowrap; }}
.q-tab-panels, .q-tab-panels > .q-panel, .q-tab-panel {{ overflow: visible !important; }}
/* the Tables tab: as many columns as fit, sharing the width; a person's name is never cut (a long
   one takes two lines, its « Déplacer » goes below it) */
.console-tables {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 12px;
  align-items: start; }}
.console-member-name {{ flex: 1 1 auto; min-width: 0; }}
.console-member-name > .nicegui-label {{ min-width: 0; overflow-wrap: anywhere; }}
/* a person's « Déplacer » (Tables tab): as narrow as its word and arrow, beside the name */
.console-move {{ flex: 0 0 auto; }}
.console-move .q-field__native {{ white-space: nowrap; }}
/* switches: the "off" state must stay visible (3:1 against white) */
.q-toggle__inner--falsy {{ color: #475569; }}
.q-toggle__track {{ opacity: .7 !important; }}
.q-toggle__thumb:after {{ box-shadow: 0 0 0 1px #475569 !important; }}
.q-field__label, .q-field__native, .q-select__dropdown-icon {{ color: #0f172a; }}
"""

# Countdowns and elapsed times tick in the browser: no server timer per second. A countdown reads as
# a clock (clock_text: 9:05); a duration (data-format="duration") in words (duration_text: 34 s, 12 min,
# 1 h 05), in the page's language (__DURATIONS__: the catalogue's units, filled by clock_js()).
CLOCK_JS = """
<script>
(function () {
  var UNITS = __DURATIONS__;
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function fmt(s) {
    var neg = s < 0; s = Math.abs(Math.round(s));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (neg ? '+' : '') + (h ? h + ':' + pad(m) : m) + ':' + pad(r);  // as clock_text()
  }
  function fill(text, values) {
    Object.keys(values).forEach(function (key) { text = text.split('{' + key + '}').join(String(values[key])); });
    return text;
  }
  function duration(s) {  // as duration_text()
    s = Math.max(0, Math.floor(s));
    if (s < 60) { return fill(UNITS.seconds, {seconds: s}); }
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    if (!h) { return fill(UNITS.minutes, {minutes: m}); }
    if (!m) { return fill(UNITS.hours, {hours: h}); }
    return fill(UNITS.hours_minutes, {hours: h, minutes: pad(m)});
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-remaining],[data-elapsed]').forEach(function (el) {
      var src = el.getAttribute('data-remaining') || el.getAttribute('data-elapsed');
      if (el._src !== src) { el._src = src; el._t0 = now; }
      var gone = (now - el._t0) / 1000;
      if (el.hasAttribute('data-remaining')) {
        var left = parseFloat(src) - gone;
        el.textContent = fmt(left);
        el.classList.toggle('console-over', left < 0);
      } else {
        var done = parseFloat(src) + gone;
        el.textContent = el.getAttribute('data-format') === 'duration' ? duration(done) : fmt(done);
        var planned = parseFloat(el.getAttribute('data-planned') || '0');
        el.classList.toggle('console-over', planned > 0 && done > planned);
      }
    });
  }
  setInterval(tick, 1000);
})();
</script>
"""


def clock_js() -> str:
    """CLOCK_JS with the units of durations in the page's language."""
    units = {"seconds": tr("console.seconds_short", seconds="{seconds}"),
             "minutes": tr("console.minutes_short", minutes="{minutes}"),
             "hours": tr("console.hours_only", hours="{hours}"),
             "hours_minutes": tr("console.hours_short", hours="{hours}", minutes="{minutes}")}
    return CLOCK_JS.replace("__DURATIONS__", json.dumps(units, ensure_ascii=False).replace("</", "<\\/"))


# NiceGUI's plotly element resizes its chart whenever its size changes, also when a tab hides
# it (size 0): plotly then rejects ("Resize must be passed a displayed plot div element") and the
# console logs an error each time the window is resized. Nothing is wrong with a hidden chart.
QUIET_HIDDEN_PLOTS_JS = """
<script>
window.addEventListener('unhandledrejection', function (event) {
  if (String(event.reason && event.reason.message || event.reason).indexOf('Resize must be passed a displayed plot div') >= 0) {
    event.preventDefault();
  }
});
</script>
"""

# Quasar scrolls the tab bar to the chosen tab when it is chosen, not when the window narrows (a laptop
# window snapped to half a screen, 1440 -> 1280 px): the chosen tab would hide behind the arrow.
ACTIVE_TAB_JS = """
<script>
(function () {
  function showActiveTab(bar) {
    var tab = bar.querySelector('.q-tab--active');
    if (!tab) { return; }
    var b = bar.getBoundingClientRect(), t = tab.getBoundingClientRect();
    if (t.left < b.left) { bar.scrollLeft -= b.left - t.left; }
    else if (t.right > b.right) { bar.scrollLeft += t.right - b.right; }
  }
  // a bar's size changes with the window, and again when Quasar shows its arrows
  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { showActiveTab(entry.target); });
  });
  var watched = new WeakSet();
  window.addEventListener('resize', function () {
    document.querySelectorAll('.q-tabs__content').forEach(function (bar) {
      if (!watched.has(bar)) { watched.add(bar); observer.observe(bar); }
      showActiveTab(bar);
    });
  });
})();
</script>
"""


def setup_console_page(title: str) -> None:
    from workshop.ui.common import page_setup

    page_setup(title)
    ui.colors(**COLORS)
    ui.add_css(CONSOLE_CSS)
    ui.add_body_html(QUIET_HIDDEN_PLOTS_JS)
    ui.add_body_html(ACTIVE_TAB_JS)


def heading(text: str, level: int = 2, classes: str = "console-heading") -> ui.label:
    return ui.label(text).classes(classes).props(f'role="heading" aria-level="{level}"')


def aria(element: ui.element, label: str) -> ui.element:
    """Set an accessible name (any text, quotes included)."""
    element.props["aria-label"] = label
    element.update()
    return element


def icon_button(icon: str, label: str, on_click: Callable[..., Any], *, color: str = "primary",
                disabled: bool = False) -> ui.button:
    """A round icon button with an accessible name and a tooltip saying the same."""
    button = ui.button(icon=icon, on_click=on_click).props(f"flat round dense color={color}")
    aria(button, label)
    button.props["title"] = label  # a native tooltip: no extra element per button
    if disabled:
        button.disable()
    return button


def kind_badge(kind: str) -> ui.label:
    return ui.label(tr(f"kind.{kind}")).classes("console-kind").style(
        f"background: {KIND_COLORS.get(kind, '#334155')}")


def college_square(college: str) -> ui.element:
    """A small square in the person's collège colour (as the projector's and the report's figures
    draw it), placed just before their name; it says the collège on hover and to screen readers."""
    name = tr(f"college_name.{college}")
    square = ui.element("span").classes("console-college")
    square.style(f"--college: {COLLEGE_COLORS.get(college, '#7f7f7f')}")
    square.props.update({"role": "img", "title": name, "aria-label": name})
    return square


def clock_label(*, remaining: int | None = None, elapsed: int | None = None, planned: int | None = None,
                running: bool = False, duration: bool = False) -> ui.label:
    """A m:ss (or h:mm:ss) label, or with ``duration`` an elapsed time in words (34 s, 12 min, 1 h 05);
    when ``running`` the browser makes it tick from the value given."""
    value = remaining if remaining is not None else (elapsed or 0)
    text = duration_text(value) if duration and remaining is None else clock_text(value)
    label = ui.label(text).classes("console-clock")
    over = (remaining is not None and remaining < 0) or (
        elapsed is not None and planned is not None and elapsed > planned)
    if over:
        label.classes("console-over")
    if running:
        if remaining is not None:
            label.props(f'data-remaining="{remaining}"')
        else:
            label.props(f'data-elapsed="{elapsed or 0}" data-planned="{planned or 0}"')
            if duration:
                label.props['data-format'] = "duration"
    return label


async def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Run a service through ``call()`` (errors shown in French); True when it succeeded."""
    from workshop.ui.common import call

    def run() -> bool:
        fn(*args, **kwargs)
        return True

    return bool(await call(run))


def keep_rows(box: ui.element, rows: dict[Any, tuple[ui.element, tuple]], wanted: dict[Any, tuple],
              make: Callable[[Any], ui.element], fill: Callable[..., None], first: int = 0) -> None:
    """A list kept by key: a row whose ``wanted[key]`` (what it shows) is unchanged stays as it is,
    with the buttons a click may be on its way to; a changed row is emptied and filled again
    (``fill(key, *shown)``) at its place (``first`` + its index); a new one is made in ``box``
    (``make(key)``); one no longer wanted is deleted. ``rows``: the panel's own record of them."""
    for key in [k for k in rows if k not in wanted]:
        rows.pop(key)[0].delete()
    for index, (key, shown) in enumerate(wanted.items()):
        row = rows.get(key)
        if row is not None and row[1] == shown:
            continue
        if row is None:
            with box:
                element = make(key)
        else:
            element = row[0]
            element.clear()
        element.move(target_index=first + index)
        rows[key] = (element, shown)
        with element:
            fill(key, *shown)


_NOTHING_DRAWN = object()  # what a Redrawn has shown before its first draw: equal to nothing


class Redrawn:
    """A part of a panel drawn again only when what it shows changed (a live refresh that changes
    nothing keeps the buttons a click may be on its way to)."""

    def __init__(self, box: ui.element) -> None:
        self.box = box
        self.shown: Hashable = _NOTHING_DRAWN  # what the box shows (the first draw always happens)

    def draw(self, shown: Hashable, fill: Callable[[], None]) -> bool:
        """When ``shown`` (what ``fill`` would draw, compared with ==) differs from the last one, or
        nothing was drawn yet: empty the box and ``fill()`` it again inside it. True when drawn again."""
        if shown == self.shown:
            return False
        self.shown = shown
        self.box.clear()
        with self.box:
            fill()
        return True


def whole_number(value: Any) -> Any:
    """A number field's value as the services take it: None when empty, an int when whole; any
    other value (2.5, NaN, a forged text) as it came, for the service to refuse in French, never
    truncated to another number."""
    if value is None or value == "":
        return None
    try:
        return int(value) if float(value).is_integer() else value
    except (TypeError, ValueError, OverflowError):
        return value


def day_label(number: int, day_date) -> str:
    """« Jour 1 · jeudi 3 décembre 2026 » (the date only when the seminar has one)."""
    text = tr("console.day", number=number)
    if day_date is None:
        return text
    weekdays = tr("console.weekdays").split(",")
    months = tr("console.months").split(",")
    return f"{text} · " + tr("console.date_format", weekday=weekdays[day_date.weekday()].strip(),
                              day=day_date.day, month=months[day_date.month - 1].strip(), year=day_date.year)


def hours_text(minutes: int) -> str:
    """« 20 min », « 2 h », « 1 h 05 »."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return tr("console.minutes_short", minutes=rest)
    if not rest:
        return tr("console.hours_only", hours=hours)
    return tr("console.hours_short", hours=hours, minutes=f"{rest:02d}")


def duration_text(seconds: int) -> str:
    """An elapsed time that cannot be read as a clock: « 34 s » under a minute, then whole minutes
    as ``hours_text`` writes them (« 12 min », « 1 h 05 »), like the planned time beside it."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return tr("console.seconds_short", seconds=seconds)
    return hours_text(seconds // 60)


# NiceGUI's ui.tabs waits for the server to choose a tab (its LOOPBACK), and its ui.tab_panels follows
# through a binding on the server: on a slow link the clicked tab took the focus shade and the ripple
# at once, over the old tab's panel, and was chosen, with its panel, only a round trip later. Here
# the browser changes the tab and its panel together, at the click; each tells the server its new value by
# its own event and the server sends nothing back (LOOPBACK None), so the answer to an earlier click
# never takes a later one back. (LOOPBACK False would not do: NiceGUI 3.18 then sets the tabs'
# model-value to the event's argument list, and no tab shows as chosen.)
TAB_SWITCH_JS = """(name) => {
  for (const id of [__TABS__, __PANELS__]) {
    const element = mounted_app.elements[id];
    if (element) { element.props['model-value'] = name; }
  }
  getElement(__PANELS__)?.$emit('update:modelValue', name);
}"""


class BrowserTabs(ui.tabs):
    """Tabs whose highlight and panel change together, in the browser (TAB_SWITCH_JS). What a panel
    shows is unchanged: built on the server, drawn by Vue when first shown (keep-alive), its data
    loaded when shown (the graph, through on_value_change, which still runs on the server).

    From the server, choose a tab with ``show``: ``set_value`` alone moves the tab, not its panel."""

    LOOPBACK = None

    def __init__(self) -> None:
        super().__init__()
        self.panels: BrowserTabPanels | None = None

    def show(self, name: str) -> None:
        """Choose a tab from the server: the tab and its panel (they are not bound to each other)."""
        self.set_value(name)
        if self.panels is not None:
            self.panels.set_value(name)


class BrowserTabPanels(ui.tab_panels):
    """The panels of BrowserTabs, switched in the browser with the tab."""

    LOOPBACK = None

    def __init__(self, tabs: BrowserTabs, *, value: str) -> None:
        super().__init__(value=value)  # not bound to the tabs: see TAB_SWITCH_JS
        tabs.set_value(value)
        tabs.panels = self
        tabs.on("update:model-value", js_handler=TAB_SWITCH_JS.replace("__TABS__", str(tabs.id)).replace(
            "__PANELS__", str(self.id)))
