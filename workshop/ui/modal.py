"""What sits behind an open dialog, for every page (``page_setup`` adds both).

Quasar dims the page under a modal dialog but leaves it in the accessibility tree: screen readers
still read it, and axe judged the colours of its buttons as if nothing covered them. While a modal
dialog is open the page behind it is ``inert`` (nothing there can be focused, tapped or read);
Quasar puts dialogs outside ``#app``, so they stay live.

Quasar's backdrop has ``z-index: -1`` and the dialog's frame none: browsers paint the card above
the backdrop, axe placed it below (and reported the card's buttons on grey). An explicit stacking
order says what the browser already does.

Quasar's backdrop (black at 40 %) left the page behind at 58 % of its brightness: it looked barely
dimmed. A slate veil at 70 % leaves it at about a third, clearly dimmed (the dialog's
own colours are untouched: axe's colour-contrast rule stays clean).
"""

MODAL_CSS = (".q-dialog__inner { z-index: 1; }"
             " .q-dialog__backdrop { background: rgba(15, 23, 42, .7); }")

MODAL_JS = """<script>
(function () {
  function sync() {
    var app = document.getElementById('app');
    if (!app) { return; }
    var open = !!document.querySelector('body > * .q-dialog--modal');
    if (app.hasAttribute('inert') !== open) { app.toggleAttribute('inert', open); }
  }
  new MutationObserver(sync).observe(document.body, {childList: true});
})();
</script>"""
