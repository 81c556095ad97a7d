"""The tablet page's own script: taps made while offline held and shown as pending, then sent
once (or dropped, with a message) when the connection is back; drafts kept in ``localStorage``.

socket.io queues what a page sends while its connection is down and sends it all on
reconnection: two impatient taps on "+" during an outage used to become two dots, with no sign
of anything at the time. Now, while the page shows "Connexion perdue" (``OFFLINE_JS`` in
``workshop.ui.common``), a tap on a button never reaches socket.io: the button is marked as
pending at once and the banner says the tap is waiting. When the connection is back, each
pending button is tapped once (several taps on the same button while offline count as one),
if it is still on screen; one that is gone (the activity changed meanwhile) is dropped. A
message says how many taps were sent and how many were dropped: nothing happens silently,
nothing twice.

Toasts belong to the activity they are about: every toast's dismiss function is kept, and when
the tablet shows another activity the server calls ``v21dropToasts()`` (``DROP_TOASTS_JS``),
queued before anything about the new activity, so a refusal of the previous dot vote does not
linger over the next activity while toasts raised after the change stay.
"""

from __future__ import annotations

import json

from workshop.ui.common import tr


def tablet_script() -> str:
    messages = {name: {form: tr(f"room.offline.{name}.{form}", count=0) for form in ("one", "other")}
                for name in ("sent", "dropped")}
    messages["pending"] = tr("room.offline.pending")
    return "<script>window.V21_OFFLINE = " + json.dumps(messages) + ";</script>" + TABLET_JS


DROP_TOASTS_JS = "window.v21dropToasts && window.v21dropToasts()"

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
    notify.create = function () {
      var dismiss = create.apply(this, arguments);
      if (typeof dismiss === 'function') { window.v21toasts.push(dismiss); }
      return dismiss;
    };
    notify.v21kept = true;
  }
  keepToasts();
  document.addEventListener('DOMContentLoaded', keepToasts);
  window.v21dropToasts = function () {
    var gone = window.v21toasts; window.v21toasts = [];
    // Gone at once, not in Quasar's one-second fade (the toasts on screen now are all about it).
    document.querySelectorAll('.q-notification').forEach(function (el) { el.classList.add('v21-dropped'); });
    gone.forEach(function (dismiss) { try { dismiss(); } catch (e) { /* already gone */ } });
  };
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
        el.click(); sent += 1;
      } else { dropped += 1; }
    });
    note('');
    if (!sent && !dropped) { return; }
    var box = document.querySelector('.offline-dropped');
    if (!box) { return; }
    box.textContent = [sent ? say('sent', sent) : '', dropped ? say('dropped', dropped) : ''].join(' ').trim();
    box.hidden = false;
    clearTimeout(box._t); box._t = setTimeout(function () { box.hidden = true; }, 12000);
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
    if (event.type !== 'click') { return; }
    if (held.indexOf(target) < 0) { held.push(target); }
    target.classList.add('is-pending');
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
