// The join form of /join/{code}, drawn in the browser from a few props (see join.py).
//
// One NiceGUI element instead of some twenty (the seminar's title, the language switch, the
// card, its texts, the three fields, the button, the privacy link): the server builds and sends
// a room's join pages for a fraction of what they cost, and nothing is sent while a person
// types or picks (NiceGUI's fields sent every keystroke). The markup is what NiceGUI's
// elements drew (the same classes and Quasar components), so the page looks the same.
// "Entrer dans le séminaire" emits "join" {name, college, group} once: the button then shows
// that it is working and takes no second tap until the server calls `finished` (a refusal,
// said in a toast by the server) or replaces the form with the tablet. A missing collège is
// said here at once (the server says the same to a forged message). A language button emits
// "language" with its code (the server keeps the choice and reloads the page). The switch's
// buttons have the props of common.py's language_switch(touch=True) (_SWITCH_CHOSEN, _SWITCH_OTHER, .lang-touch): change both.
export default {
  template: `
    <div class="nicegui-column join-form">
      <div class="nicegui-row row w-full items-start justify-between no-wrap gap-2">
        <div class="eyebrow wrap-text" style="text-transform: none; flex: 1; min-width: 0">{{ texts.title }}</div>
        <div class="nicegui-row row gap-1 items-center no-wrap shrink-0 lang-touch" role="group" :aria-label="languages_label">
          <q-btn v-for="language in languages" :key="language.code" :label="language.label" dense no-caps
                 color="primary" :unelevated="language.chosen" :flat="!language.chosen"
                 :text-color="language.chosen ? 'white' : undefined" :aria-pressed="language.chosen ? 'true' : 'false'"
                 @click="$emit('language', language.code)" />
        </div>
      </div>
      <q-card flat bordered class="nicegui-card w-full gap-4 q-pa-md">
        <div class="t-h1" role="heading" aria-level="1">{{ texts.heading }}</div>
        <div class="muted">{{ texts.intro }}</div>
        <q-input v-model="name" :label="texts.name_label" outlined autocomplete="given-name" :maxlength="maxlength"
                 enterkeyhint="next" class="w-full" @keydown.enter="$refs.college.focus()" />
        <div class="nicegui-column w-full gap-1">
          <q-select ref="college" v-model="college" :options="colleges" emit-value map-options
                    :label="texts.college_label" outlined behavior="menu" class="w-full" />
          <div class="text-sm muted">{{ texts.college_hint }}</div>
        </div>
        <q-select v-if="groups.length" v-model="group" :options="groups" emit-value map-options
                  :label="texts.group_label" outlined behavior="menu" class="w-full" />
        <q-btn :label="texts.button" unelevated size="lg" color="primary" no-caps class="w-full q-mt-sm"
               :loading="busy" @click="submit" />
        <!-- what the app keeps about the person joining, and how to have it erased (RGPD) -->
        <div class="nicegui-row row w-full justify-center">
          <a :href="privacyHref" target="_self" class="nicegui-link text-base text-primary underline q-py-sm">{{
            texts.privacy }}</a>
        </div>
      </q-card>
    </div>
  `,
  props: {
    // title, heading, intro, name_label, college_label, college_hint, group_label, button, privacy, college_required
    texts: { type: Object, default: () => ({}) },
    colleges: { type: Array, default: () => [] }, // [{value, label}]
    groups: { type: Array, default: () => [] }, // [{value, label}], "not yet" first; none: no table field
    no_group: { type: Number, default: 0 }, // the value of "not yet"
    maxlength: { type: Number, default: 60 },
    privacy_href: { type: String, default: "" },
    languages: { type: Array, default: () => [] }, // [{code, label, chosen}]
    languages_label: { type: String, default: "" },
  },
  emits: ["join", "language"],
  data() {
    return { name: "", college: null, group: this.no_group, busy: false };
  },
  computed: {
    privacyHref() {
      // as NiceGUI's own links: a path of the app gets the app's prefix (none unless mounted elsewhere)
      return (this.privacy_href.startsWith("/") ? window.path_prefix || "" : "") + this.privacy_href;
    },
  },
  methods: {
    submit() {
      if (this.busy) return;
      if (!this.college) {
        Quasar.Notify.create({ message: this.texts.college_required, type: "warning", position: "top",
                               closeBtn: false, multiLine: false });
        return;
      }
      this.busy = true;
      this.$emit("join", { name: this.name || "", college: this.college,
                           group: this.groups.length ? this.group : null });
    },
    finished() {
      this.busy = false; // refused: the person can correct and tap again
    },
  },
};
