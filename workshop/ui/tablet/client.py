"""The tablet page's own script: taps made while offline held and shown as pending, then sent
once (or dropped, with a message) when the connection is back; drafts kept in ``localStorage``.

socket.io queues what a page sends while its connection is down and sends it all on
reconnection: two impatient taps on "+" during an outage used to become two dots, with no sign
of anything at the time. Now, while the page shows "Connexion perdue" (``OFFLINE_JS`` in
``workshop.ui.common``), a tap on a button never reaches socket.io: the button is marked as
pending at once and the banner says the tap is waiting; the button gets a ``v21-pending`` event
(bubbling), so that what it belongs to can show the tap as waiting (the dot vote's count and
budget bar: vote_panel.js). A tap on a button that names its opposite (``data-v21-undoes``: the
dot vote's « − » names the card's « + », and back) while that opposite holds a tap takes the held
tap back instead: neither is sent, and the page no longer shows it as waiting. When the
connection is back, each pending button is tapped once
(several taps on the same button while offline count as one), if it is still on screen, just
after a ``v21-pending`` event whose ``detail.sent`` is that button; one that is gone (the
activity changed meanwhile) is dropped. A message says how many taps were sent and how many
were dropped: nothing happens silently, nothing twice. It stays ``MESSAGE_SECONDS``, and goes
at once when the tablet shows another activity or another state of it (``DROP_TOASTS_JS``).

Toasts belong to the activity they are about: every toast's dismiss function is kept, and when
the tablet shows another activity the server calls ``v21dropToasts()`` (``DROP_TOASTS_JS``),
queued before anything about the new activity, so a refusal of the previous dot vote does not
linger over the next activity while toasts raised after the change stay. An acknowledgement
(« Contribution enregistrée », ``ACKNOWLEDGEMENT_CLASS``) likewise takes away the toasts before it: a
warning the person has since answered does not stay beside it. When the activity stays
but what the tablet shows of it changes (closed, paused, reopened), ``DROP_MESSAGE_JS`` takes
away only the message about taps made offline.
"""

from __future__ import annotations

import json

from workshop.ui.common import tr


def tablet_script() -> str:
    messages = {name: {form: tr(f"room.offline.{name}.{form}", count=0) for form in ("one", "other")}
                for name in ("sent", "dropped")}
    messages["pending"] = tr("room.offline.pending")
    return ("<script>window.V21_OFFLINE = " + json.dumps(messages) + ";</script>"
            + TABLET_JS.replace("__MESSAGE_MS__", str(MESSAGE_SECONDS * 1000)) + TOASTS_JS + COUNTER_JS)


DROP_TOASTS_JS = "window.v21dropToasts && window.v21dropToasts()"
# The class of an acknowledgement's toast (widgets.acknowledge): as it comes in, the toasts still on
# screen go (TABLET_JS). A warning about the same form (« Votre carte est vide ») stood over the card
# just sent, beside « Contribution enregistrée ». Done where the toast is created, not by a script
# sent with it: NiceGUI sends a script not awaited after the toast.
ACKNOWLEDGEMENT_CLASS = "v21-ack"
DROP_MESSAGE_JS = "window.v21dropMessage && window.v21dropMessage()"
MESSAGE_SECONDS = 8  # how long « Connexion revenue : … » stays (two short sentences at most)

TABLET_JS = r"""
<script>
(function () {
  var held = [];  // buttons tapped while offline, each once
  // Dismiss functions of the toasts shown since the activity last changed (on window: one list,
  // however many times this script runs).
  window.v21toasts = window.v21toasts || [];
  function keepToasts() {  // Quasar is loaded after this script (deferred)
    var notify = window.Quasar && window.Quasar.Notify;
    if (!notify || notify.v21kept) { return; }
    var create = notify.create;
    notify.create = function (options) {
      if (options && /\bv21-ack\b/.test(options.classes || '')) { window.v21settleToasts(); }
      var dismiss = create.apply(this, arguments);
      if (typeof dismiss === 'function') { window.v21toasts.push(dismiss); }
      if (window.v21clearToasts) { window.v21clearToasts(); }
      return dismiss;
    };
    notify.v21kept = true;
  }
  keepToasts();
  document.addEventListener('DOMContentLoaded', keepToasts);
  // The toasts on screen go, at once, not in Quasar's one-second fade: what they said is over.
  window.v21settleToasts = function () {
    var gone = window.v21toasts; window.v21toasts = [];
    document.querySelectorAll('.q-notification').forEach(function (el) { el.classList.add('v21-dropped'); });
    gone.forEach(function (dismiss) { try { dismiss(); } catch (e) { /* already gone */ } });
  };
  window.v21dropToasts = function () {  // another activity: its toasts, and the message about taps held
    window.v21settleToasts();
    window.v21dropMessage();
  };
  // « Connexion revenue : … » is about the screen before: it goes. (A change made during the outage
  // reaches the page in NiceGUI's resync as it reconnects, before `flush` sends the taps held and
  // writes the message.)
  window.v21dropMessage = function () {
    var box = document.querySelector('.offline-dropped');
    if (box && !box.hidden) { clearTimeout(box._t); box.hidden = true; }
  };
  function pending(el, sent) {
    el.dispatchEvent(new CustomEvent('v21-pending', { bubbles: true, detail: { sent: sent ? el : null } }));
  }
  function offline() { return window.v21online ? !window.v21online() : false; }
  function note(text) {
    document.querySelectorAll('.offline-note').forEach(function (box) { box.textContent = text; box.hidden = !text; });
  }
  function say(kind, n) {
    var m = (window.V21_OFFLINE || {})[kind] || {};
    return (n === 1 ? m.one : m.other || '').replace(/\b0\b/, String(n));
  }
  function flush() {
    if (offline() || !window.socket || !window.socket.connected) { return; }
    var sent = 0, dropped = 0;
    var taps = held; held = [];
    taps.forEach(function (el) {
      el.classList.remove('is-pending');
      if (el.isConnected && !el.disabled && !el.classList.contains('disabled') && el.getAttribute('aria-disabled') !== 'true') {
        pending(el, true); el.click(); sent += 1;
      } else { pending(el, false); dropped += 1; }
    });
    note('');
    if (!sent && !dropped) { return; }
    var box = document.querySelector('.offline-dropped');
    if (!box) { return; }
    box.textContent = [sent ? say('sent', sent) : '', dropped ? say('dropped', dropped) : ''].join(' ').trim();
    box.hidden = false;
    clearTimeout(box._t); box._t = setTimeout(function () { box.hidden = true; }, __MESSAGE_MS__);
  }
  window.addEventListener('v21-connection', function (event) {
    if (event.detail.online && held.length) { setTimeout(flush, 300); }  // after NiceGUI's own resync
  });
  // In the capture phase, before Vue's handlers (which would queue the tap in socket.io).
  function hold(event) {
    if (!offline()) { return; }
    var target = event.target.closest && event.target.closest('.q-btn, .q-toggle, .q-checkbox');
    if (!target || !target.closest('.tablet-root')) { return; }
    event.stopPropagation(); event.preventDefault();
    // A tap is a click, or the keys that press a button as a browser does: Enter going down, Space
    // coming up (the other halves are stopped too, so Quasar does not queue the tap in socket.io).
    var tapped = event.type === 'click' || (event.type === 'keydown' && event.key === 'Enter' && !event.repeat) ||
      (event.type === 'keyup' && event.key === ' ');
    if (!tapped) { return; }
    // A tap that takes back the one held on its opposite (« − » after a held « + » on the same card,
    // data-v21-undoes in vote_panel.js): neither is sent, and neither waits any more.
    var undoes = target.getAttribute('data-v21-undoes');
    var other = undoes && target.parentElement ? target.parentElement.querySelector(':scope > ' + undoes) : null;
    if (other && held.indexOf(other) >= 0) {
      held.splice(held.indexOf(other), 1);
      other.classList.remove('is-pending');
      pending(other, false);
      note(held.length ? (window.V21_OFFLINE || {}).pending || '' : '');
      return;
    }
    if (held.indexOf(target) < 0) { held.push(target); }
    target.classList.add('is-pending');
    pending(target, false);
    note((window.V21_OFFLINE || {}).pending || '');
  }
  document.addEventListener('click', hold, true);
  ['keydown', 'keyup'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.key === 'Enter' || event.key === ' ') { hold(event); }
    }, true);
  });
  // Drafts: every keystroke of a card being written goes to localStorage, online or not.
  function read(key) { try { return JSON.parse(localStorage.getItem(key) || '{}') || {}; } catch (e) { return {}; } }
  function write(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full */ } }
  window.v21draft = {
    put: function (key, values) { var d = read(key); Object.assign(d, values); write(key, d); },
    clear: function (key) { try { localStorage.removeItem(key); } catch (e) { /* private mode */ } },
    restore: function (key) {
      var d = read(key);
      if (d.text || d.details) { d.key = key; emitEvent('v21_draft', d); }
    },
  };
  document.addEventListener('input', function (event) {
    var holder = event.target.closest && event.target.closest('[data-draft-key]');
    if (!holder) { return; }
    var values = {};
    values[holder.getAttribute('data-draft-field')] = event.target.value;
    window.v21draft.put(holder.getAttribute('data-draft-key'), values);
  }, true);
})();
</script>
"""

# Toasts keep clear of the controls on screen. A toast stands where its position puts it (at the
# bottom, above the vote's budget bar: widgets.TOAST_POSITION); when it would cover a control on
# screen (a field, a button, a toggle, a folding section's header) or what is marked .keep-clear
# (the line at the top of the page saying who the participant is: view.py) it moves up (down, for
# a toast at the top) to the nearest place where it covers none, just above or below one of them:
# the nearest that also leaves the cards' text (.card-text) in sight if there is one (the refusal
# of a « + » on a phone stood over the first card's text), else the nearest, over text. A toast
# whose place is clear of the controls but over the cards' text when it comes in (« Vote
# enregistré » over the title of the card below the one tapped, on a phone) moves to the nearest
# place clear of both within twice its height, if there is one, and keeps to it as its home until
# the last toast of its list goes (looked at once when a toast comes in, not every frame).
# « Trajectoire créée » covered the step form's select under the participant's thumb, « Vote
# enregistré » a strip of the bottom card's « − » on a 320 px phone. Every frame while a toast is
# on the page (the page scrolls, a form unfolds under it): back where its position puts it as soon
# as that is clear; else it stays where it stands while that is clear; else it jumps (no slide
# across controls) to the nearest clear place. With no clear place at all it stays
# where its position puts it (taps go through it: style.py).
TOASTS_JS = r"""
<script>
(function () {
  var CONTROLS = '.q-field, .q-btn, .q-toggle, .q-checkbox, .q-radio, .q-item--clickable, input, textarea, select, '
    + 'a[href], [role="button"], [role="radio"], [role="switch"], [role="checkbox"], [role="combobox"], .keep-clear';
  var READ = '.card-text';  // what a toast that has to move anyway avoids too, where it can: the cards' text
  var GAP = 6;  // px between a toast and the control it stands next to
  var EDGE = 4;  // px kept from the top of the screen
  var running = false, idle = 0;
  function box(el) { var r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }
  function cross(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }
  function shifted(u, s) { return {l: u.l, r: u.r, t: u.t + s, b: u.b + s}; }
  // The boxes of the controls and .keep-clear (or of `selector`) on screen, above the budget bar.
  function controls(floor, selector) {
    var out = [];
    document.querySelectorAll(selector || CONTROLS).forEach(function (el) {
      if (el.closest('.q-notifications')) { return; }
      var b = box(el);
      if (b.r - b.l < 1 || b.b - b.t < 1 || b.b <= 0 || b.t >= floor || b.r <= 0 || b.l >= innerWidth) { return; }
      out.push(b);
    });
    return out;
  }
  function place(list, floor, found) {
    var up = list.className.indexOf('q-notifications__list--bottom') >= 0;
    if (!up && list.className.indexOf('q-notifications__list--top') < 0) { return; }
    var notes = [].filter.call(list.children, function (n) { return n.classList.contains('q-notification'); });
    var current = parseFloat(list.style.getPropertyValue('--v21-shift')) || 0;
    if (!notes.length) { return; }
    // The toasts' box where their position puts them (offsets ignore their entrance's scale).
    var at = list.getBoundingClientRect(), top = at.top - current, u = null;
    notes.forEach(function (n) {
      var b = {l: at.left + n.offsetLeft, t: top + n.offsetTop, r: at.left + n.offsetLeft + n.offsetWidth,
               b: top + n.offsetTop + n.offsetHeight};
      u = u ? {l: Math.min(u.l, b.l), t: Math.min(u.t, b.t), r: Math.max(u.r, b.r), b: Math.max(u.b, b.b)} : b;
    });
    function beside(c) { return c.l < u.r && u.l < c.r; }
    var near = found.filter(beside);
    function clear(s, also) {
      var v = shifted(u, s);
      if (v.t < EDGE || v.b > floor) { return false; }
      function free(c) { return !cross(v, c); }
      return near.every(free) && (also || []).every(free);
    }
    // The nearest place just above or below a control or one of `texts` (within `limit` px, if given)
    // clear of the controls and of `also`, or null.
    function nearest(texts, also, limit) {
      var candidates = [0];
      near.concat(texts).forEach(function (c) { candidates.push(c.t - GAP - u.b, c.b + GAP - u.t); });
      candidates = candidates.filter(function (s) { return (up ? s <= 0 : s >= 0) && !(Math.abs(s) > limit); });
      candidates.sort(function (a, b) { return Math.abs(a) - Math.abs(b); });
      for (var i = 0; i < candidates.length; i++) {
        if (clear(candidates[i], also)) { return candidates[i]; }
      }
      return null;
    }
    // A toast coming in (once, not every frame): where its position puts it is clear of the controls
    // but over the cards' text: a place near it (within twice its height) clear of both, if there is one.
    var fresh = false;
    notes.forEach(function (n) { if (!n.v21seen) { n.v21seen = true; fresh = true; } });
    var shift = 0;  // home when it is clear; else where it stands while that is clear; else the nearest clear place
    if (fresh && !current && clear(0)) {
      var reading = controls(floor, READ).filter(beside), moved = clear(0, reading) ? null : nearest(reading, reading, 2 * (u.b - u.t));
      if (moved) { shift = moved; list.v21reading = true; }  // its home, until its last toast goes
    } else if (current && clear(0) && !list.v21reading) {
      shift = 0;
    } else if (!clear(current)) {
      // Moving anyway: the nearest place that leaves the cards' text in sight too, if there is one.
      var texts = controls(floor, READ).filter(beside), best = nearest(texts, texts);
      if (best === null) { best = nearest(texts, []); }
      shift = best === null ? 0 : best;
    } else { shift = current; }
    if (shift !== current) {
      if (shift) { list.style.setProperty('--v21-shift', shift + 'px'); } else { list.style.removeProperty('--v21-shift'); }
    }
  }
  function frame() {
    var bar = document.querySelector('.budget-bar');
    var floor = bar && bar.getClientRects().length ? bar.getBoundingClientRect().top : innerHeight;
    var found = null, busy = false;
    document.querySelectorAll('.q-notifications__list').forEach(function (list) {
      if (!list.children.length) {  // its last toast gone: the next one starts where its position puts it
        list.v21reading = false;
        if (list.style.getPropertyValue('--v21-shift')) { list.style.removeProperty('--v21-shift'); }
        return;
      }
      busy = true;
      found = found || controls(floor);
      place(list, floor, found);
    });
    idle = busy ? 0 : idle + 1;
    if (idle > 30) { running = false; return; }  // half a second without a toast: until the next one
    requestAnimationFrame(frame);
  }
  window.v21clearToasts = function () {
    idle = 0;
    if (!running) { running = true; requestAnimationFrame(frame); }
  };
  // The page moved under the toasts on purpose (the card just sent scrolled into sight, mine.py):
  // they look for their place again as if coming in now, not from the page as it stood before.
  window.v21placeToastsAgain = function () {
    document.querySelectorAll('.q-notifications__list').forEach(function (list) {
      list.v21reading = false;
      list.style.removeProperty('--v21-shift');
      [].forEach.call(list.children, function (n) { n.v21seen = false; });
    });
    window.v21clearToasts();
  };
})();
</script>
"""

# The counters of the long text fields (widgets.shape_text: a ``.live-counter`` with ``data-max`` in
# Quasar's counter slot) say « 12 / 5 000 » in French (a narrow no-break space groups the thousands,
# as Intl.NumberFormat writes it) and « 12 / 5,000 » in English, kept up to date in the browser: as
# the person types (input), when the field comes on screen or its kind changes its limit (a mutation),
# and when the server fills or empties the field (a sent card, a draft restored: Vue sets the
# textarea's value, which no event reports, so that setter is watched too).
COUNTER_JS = r"""
<script>
(function () {
  if (window.v21counters) { return; }
  // the page's language as the server wrote it on the counter (data-lang): Quasar sets <html lang> to
  // its own language pack, French, on every page
  var formats = {};
  function group(n, language) {
    language = language === 'en' ? 'en' : 'fr';
    formats[language] = formats[language] || new Intl.NumberFormat(language);
    return formats[language].format(n);
  }
  function refresh(counter) {
    var field = counter.closest('.q-field');
    var box = field && field.querySelector('textarea, input');
    if (!box) { return; }
    var language = counter.dataset.lang;
    var text = group(box.value.length, language) + ' / ' + group(Number(counter.dataset.max || 0), language);
    if (counter.textContent !== text) { counter.textContent = text; }
  }
  var queued = false;
  function refreshAll() {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () {
      queued = false;
      document.querySelectorAll('.live-counter').forEach(refresh);
    });
  }
  window.v21counters = refreshAll;
  document.addEventListener('input', function (event) {
    var field = event.target.closest && event.target.closest('.q-field');
    var counter = field && field.querySelector('.live-counter');
    if (counter) { refresh(counter); }
  }, true);
  var setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
  Object.defineProperty(HTMLTextAreaElement.prototype, 'value', {
    configurable: true, enumerable: setter.enumerable, get: setter.get,
    set: function (value) { setter.set.call(this, value); refreshAll(); },
  });
  function watch() {
    new MutationObserver(refreshAll).observe(document.body,
      { childList: true, subtree: true, attributes: true, attributeFilter: ['data-max'] });
    refreshAll();
  }
  if (document.body) { watch(); } else { document.addEventListener('DOMContentLoaded', watch); }
})();
</script>
"""
