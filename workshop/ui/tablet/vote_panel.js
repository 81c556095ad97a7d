// The dot-vote panel of a tablet, drawn in the browser from a few props (see voting.py).
//
// The server sends the cards once, then one small message per vote (`voted`: my dots, the
// budget line and the "saved" toast); every row, button and dot is drawn here instead of
// being a NiceGUI element each. A later full update of the props (the wall changed) carries
// the same dots and replaces what `voted` set.
// A tap emits "tap" {card, delta}; a second tap on the same button within `throttle` ms is
// dropped (a double tap is one dot). The offline script (client.py) holds taps on these
// q-btn while the connection is down and clicks them again once it is back.
// A held tap is shown where the participant looks, never as confirmed: the card's count shows the
// number it will have once the tap is sent, in a dashed circle named « … en attente » (not the
// solid colour of confirmed dots); the budget bar counts it too (« Il vous reste 4 gommettes sur 5 »
// after a « + » held with 5 left, its dot dashed: `remaining_texts`, one per number of dots left) and
// says how many taps wait. The counts and the budget line go back to the server's numbers as soon as
// `voted` brings them or the taps are dropped; a replayed tap keeps its card's count pending until
// then (or for a few seconds, if the server refuses it).
// « − » follows the count the participant sees: a « + » held offline on a card at 0 can be taken back;
// a « − » holding a tap stays enabled (client.py sends only enabled buttons once back online, and Vue
// redrawing a button's classes would drop its .is-pending mark).
// Each button names its opposite (data-v21-undoes): a tap on it while its opposite holds a tap takes
// that tap back instead of being held too (client.py), so nothing is sent for either.
export default {
  template: `
    <div class="vote-panel">
      <div class="vote-list">
        <div v-if="!cards.length" class="muted">{{ empty_text }}</div>
        <div v-for="card in cards" :key="card.id" class="t-card vote-row" :style="{ '--kind': card.color }"
             :data-card="card.id">
          <div class="card-text wrap-text vote-text">{{ card.text }}</div>
          <span v-if="card.theme" class="t-chip vote-theme">{{ card.theme }}</span>
          <q-btn round unelevated color="primary" icon="remove" class="tap-round vote-minus" data-v21-undoes=".vote-plus"
                 :aria-label="card.minus" :disable="!live || (shown(card) === 0 && !holdsMinus(card))" @click="tap(card, -1)" />
          <div class="dot-count vote-count" :class="{ 'has-dots': count(card) > 0 && !waiting(card),
               'is-waiting': waiting(card) }" role="img" :aria-label="countLabel(card)">{{ shown(card) }}</div>
          <q-btn round unelevated icon="add" class="tap-round vote-plus" :class="{ 'at-limit': spent(card) }"
                 :color="spent(card) ? 'blue-grey-2' : 'primary'" :text-color="spent(card) ? 'blue-grey-10' : 'white'"
                 data-v21-undoes=".vote-minus" :aria-label="card.plus" :disable="!live" @click="tap(card, 1)" />
        </div>
      </div>
      <div class="budget-bar" :class="{ empty: shownLeft <= 0 }" role="status" aria-live="polite">
        <div class="inner">
          <div class="remaining">{{ remainingText }}</div>
          <div v-if="waitingTaps" class="waiting-line">{{ waitingText }}</div>
          <div class="budget-line">
            <div class="dots" aria-hidden="true">
              <span v-for="i in budget" :key="i" class="dot"
                    :class="dotClass(i)"></span>
            </div>
            <div v-if="max_text" class="text-sm">{{ max_text }}</div>
          </div>
        </div>
      </div>
    </div>
  `,
  props: {
    cards: { type: Array, default: () => [] }, // [{id, text, theme, color, plus, minus}]
    dots: { type: Object, default: () => ({}) }, // card id -> my dots on it
    budget: { type: Number, default: 0 },
    max_per_card: { type: Number, default: null },
    live: { type: Boolean, default: false },
    remaining_text: { type: String, default: "" },
    remaining_texts: { type: Array, default: () => [] }, // the budget line for 0, 1, 2… dots left (taps waiting)
    max_text: { type: String, default: "" },
    empty_text: { type: String, default: "" },
    count_labels: { type: Array, default: () => [] }, // aria label for 0, 1, 2… dots on a card
    waiting_label: { type: String, default: "" }, // "{count} … en attente": a card's count while a tap waits
    waiting_texts: { type: Array, default: () => ["", ""] }, // the budget bar's line: one tap waits, {count} wait
    throttle: { type: Number, default: 400 }, // ms; the server sends DOUBLE_TAP_SECONDS (voting.py)
    toast_position: { type: String, default: "bottom" }, // the tablet's TOAST_POSITION (widgets.py)
  },
  data() {
    return { votedDots: null, votedText: null, // set by `voted`, until the next full update
             held: {}, // card id -> the net change of its taps held offline (client.py marks them .is-pending)
             flying: {} }; // card id -> the net change of its held taps sent on reconnection, until `voted`
  },
  computed: {
    myDots() {
      return this.votedDots || this.dots || {};
    },
    remainingText() {
      // Taps waiting: the line counts them, as the cards and the dots do; else the server's line.
      const mine = this.waitingTaps ? (this.remaining_texts || [])[this.shownLeft] : null;
      if (mine) return mine;
      return this.votedText === null ? this.remaining_text : this.votedText;
    },
    used() {
      return Object.values(this.myDots).reduce((a, b) => a + b, 0);
    },
    left() {
      return Math.max(0, this.budget - this.used);
    },
    waitingTaps() {
      const taps = (m) => Object.values(m).reduce((a, b) => a + Math.abs(b), 0);
      return taps(this.held) + taps(this.flying);
    },
    shownLeft() { // the dots left once the taps waiting are committed, as the cards show them (shown)
      const ids = new Set([...Object.keys(this.held), ...Object.keys(this.flying)]);
      let change = 0;
      ids.forEach((id) => {
        const now = this.myDots[id] || 0;
        change += Math.max(0, now + (this.held[id] || 0) + (this.flying[id] || 0)) - now;
      });
      return Math.min(this.budget, Math.max(0, this.budget - this.used - change));
    },
    waitingText() {
      const [one, other] = this.waiting_texts || [];
      return (this.waitingTaps === 1 ? one : other || "").replace("{count}", String(this.waitingTaps));
    },
  },
  watch: {
    dots() {
      this.votedDots = null; // a full update of the props: they are the server's latest numbers
    },
    remaining_text() {
      this.votedText = null;
    },
  },
  created() {
    this.lastTap = {};
  },
  mounted() {
    // client.py tells which buttons hold a tap (and when one is sent): read them off the page.
    this.onPending = (event) => this.readHeld(event.detail && event.detail.sent);
    this.$el.addEventListener("v21-pending", this.onPending);
    // Toasts at the bottom sit above the budget bar (style.py reads --tablet-bar), whatever its height,
    // and never cross it, coming in or going out (style.py).
    const bar = this.$el.querySelector(".budget-bar");
    const root = document.documentElement;
    this.barObserver = new ResizeObserver(() => root.style.setProperty("--tablet-bar", bar.offsetHeight + "px"));
    this.barObserver.observe(bar);
  },
  unmounted() {
    this.$el.removeEventListener("v21-pending", this.onPending);
    clearTimeout(this.flyingTimer);
    this.barObserver.disconnect();
    if (!document.querySelector(".budget-bar")) document.documentElement.style.removeProperty("--tablet-bar");
  },
  methods: {
    voted(dots, remainingText, saved) {
      const before = this.myDots;
      this.votedDots = dots || {};
      this.votedText = remainingText;
      // A card whose number changed: the server's number now includes the tap sent for it.
      const flying = {};
      Object.entries(this.flying).forEach(([id, n]) => {
        if ((this.votedDots[id] || 0) === (before[id] || 0)) flying[id] = n;
      });
      this.flying = flying;
      if (!saved) return;
      // On a phone a card's −, count and + are on the right of its last line (style.py): the toast
      // goes to the left, so that on the card just above the bar they stay in sight.
      const phone = this.toast_position === "bottom" && window.matchMedia("(max-width: 480px)").matches;
      Quasar.Notify.create({ message: saved, type: "positive", position: phone ? "bottom-left" : this.toast_position,
                             timeout: 1500, classes: "vote-toast" });
    },
    count(card) {
      return this.myDots[card.id] || 0;
    },
    dotClass(i) { // solid: left, confirmed; dashed: placed or taken back by a tap waiting; hollow: used
      const low = Math.min(this.left, this.shownLeft), high = Math.max(this.left, this.shownLeft);
      return i <= low ? "free" : i <= high ? "held" : "used";
    },
    pendingOf(card) {
      return (this.held[card.id] || 0) + (this.flying[card.id] || 0);
    },
    holdsMinus(card) { // its « − » holds a tap: it stays enabled, or the tap would be dropped on reconnection
      return (this.held[card.id] || 0) < 0;
    },
    waiting(card) {
      return card.id in this.held || !!this.flying[card.id];
    },
    shown(card) { // the count it will have once the taps waiting are committed (never below 0)
      return Math.max(0, this.count(card) + this.pendingOf(card));
    },
    countLabel(card) {
      const n = this.waiting(card) ? this.shown(card) : this.count(card);
      const labels = this.count_labels || [];
      const label = labels[Math.min(n, labels.length - 1)] || String(n);
      return this.waiting(card) ? (this.waiting_label || "{count}").replace("{count}", label) : label;
    },
    readHeld(sent) {
      // Each button holds one tap at most, and a tap on one takes back the tap held on its opposite
      // (client.py): a card holds a « + » or a « − », never both (counted anyway, as cancelling out).
      const held = {};
      this.$el.querySelectorAll(".vote-row").forEach((row) => {
        let net = 0, any = false;
        if (row.querySelector(".vote-plus.is-pending")) { net += 1; any = true; }
        if (row.querySelector(".vote-minus.is-pending")) { net -= 1; any = true; }
        if (any) held[row.dataset.card] = net;
      });
      if (sent) { // a held tap just sent: pending until the server's numbers come (`voted`)
        const row = sent.closest(".vote-row");
        if (row) {
          const delta = sent.classList.contains("vote-minus") ? -1 : 1;
          this.flying = { ...this.flying, [row.dataset.card]: (this.flying[row.dataset.card] || 0) + delta };
          clearTimeout(this.flyingTimer); // refused (a limit): back to the server's numbers
          this.flyingTimer = setTimeout(() => { this.flying = {}; }, 5000);
        }
      }
      this.held = held;
    },
    spent(card) {
      // Still tappable at the limit (the server then says why, in the room's language), but looks spent.
      return this.left <= 0 || (this.max_per_card != null && this.count(card) >= this.max_per_card);
    },
    tap(card, delta) {
      const key = card.id + ":" + delta;
      const now = Date.now();
      if (this.lastTap[key] && now - this.lastTap[key] < this.throttle) return;
      this.lastTap[key] = now;
      this.$emit("tap", { card: card.id, delta: delta });
    },
  },
};
