"""The graph tab's analyses in words: key findings and readings, exposed stakes, uncountered
threats, influence groups, loops, central cards and clusters. Mixed into ``GraphPanel``, whose
``cards``, ``data``, ``words``, ``findings``, ``analyses`` and ``_text`` it uses."""

from __future__ import annotations

from nicegui import ui

from workshop.analysis.metrics import InfluenceGroup
from workshop.analysis.readings import loops_cut_sentence, loops_list_notes, sentence
from workshop.i18n import list_separator
from workshop.ui.common import lang, tr
from workshop.ui.console.graph_data import PanelData, short, text_table
from workshop.ui.console.widgets import heading, kind_badge
from workshop.ui.graph_findings import finding_sentence, isolated_to_list, key_findings

TOP_ROWS = 8         # rows of the "most exposed" table
READINGS_SHOWN = 4   # sentences reconciling two analyses, under the findings


def no_findings_text(data: PanelData) -> str:
    """What the graph says when it points out nothing: about the accepted links when there are
    some; else how links can come, the tables' links activity only when the run sheet still has one
    (links the tables proposed are announced above the graph)."""
    if data.links:
        return tr("graph.console.no_findings_links")
    return tr("graph.console.no_findings" if data.links_activity else "graph.console.no_links_yet")


class Analyses:
    def _render_findings(self) -> None:
        analysis = self.data.state.analysis
        findings = key_findings(analysis, self.words, limit=4)
        self.findings.clear()
        with self.findings:
            if not findings:
                ui.label(no_findings_text(self.data)).classes("console-muted").props('role="listitem"')
            for finding in findings:
                ui.label(finding_sentence(finding, self.words)).classes(
                    "graph-finding text-sm" + (" is-alert" if finding.alert else "")).props(
                    'role="listitem"').mark(f"finding-{finding.key}")
            texts = {card_id: card.text for card_id, card in analysis.cards.items()}
            for reading in analysis.readings[:READINGS_SHOWN]:
                ui.label(sentence(reading, texts, self.words.lang)).classes("graph-finding text-sm").props(
                    'role="listitem"').mark(f"reading-{reading.key}-{reading.card_id}")


    def _render_analyses(self) -> None:
        analysis = self.data.state.analysis
        words = self.words
        number = words.number
        self.analyses.clear()
        with self.analyses:
            # most exposed stakes and challenges
            self._section("exposed")
            goals = [g for g in analysis.goals if g.exposure > 0][:TOP_ROWS]
            if goals:
                text_table([(tr("graph.console.col_card"), False), (tr("graph.console.col_exposure"), True),
                            (tr("graph.console.col_support"), True), (tr("graph.console.col_countered"), True)],
                           [[(self._text(g.card_id), False), (number(g.exposure), True), (str(g.support), True),
                             (tr("graph.console.countered_value", countered=g.countered_count, total=len(g.threats)),
                              True)] for g in goals], "table-exposed")
            else:
                self._none()
            # threats nothing counters
            self._section("uncountered")
            if analysis.uncountered_threats:
                text_table([(tr("graph.console.col_card"), False), (tr("graph.console.col_severity"), True),
                            (tr("graph.console.col_pressure"), True)],
                           [[(self._text(i), False),
                             (number(analysis.threat(i).severity) + ("" if analysis.threat(i).rated else " *"), True),
                             (number(analysis.threat(i).pressure), True)] for i in analysis.uncountered_threats],
                           "table-uncountered")
                if any(not analysis.threat(i).rated for i in analysis.uncountered_threats):
                    ui.label(tr("graph.console.unrated_note")).classes("text-xs console-muted")
            else:
                self._none()
            self._section("unsupported")
            self._names(analysis.unsupported_goals, "list-unsupported")
            self._section("isolated")
            if analysis.isolated_cards and not isolated_to_list(analysis):
                ui.label(tr("graph.console.isolated_nothing_linked")).classes("text-sm console-muted")
            else:
                self._names(analysis.isolated_cards, "list-isolated")
            # influence groups
            self._section("groups")
            with ui.grid(columns=2).classes("w-full gap-2").mark("influence-groups"):
                for group in InfluenceGroup:
                    ids = analysis.group(group)
                    direct = analysis.group(group, direct=True)
                    with ui.column().classes("graph-group gap-0"):
                        ui.label(tr("micmac.group_box", group=tr("figure.group." + group.value), indirect=len(ids),
                                    direct=len(direct))).classes("font-bold text-sm")
                        ui.label(tr(f"graph.console.group_help.{group.value}")).classes("text-xs console-muted")
                        for card_id in ids[:6]:
                            ui.label(short(self._text(card_id), 70)).classes("text-sm")
                        if len(ids) > 6:
                            ui.label(words.count("graph.finding.more", len(ids) - 6)).classes(
                                "text-xs console-muted")
                        only_direct = [i for i in direct if i not in set(ids)]
                        if only_direct:
                            ui.label(tr("micmac.direct_only", cards=list_separator(lang()).join(
                                short(self._text(i), 40) for i in only_direct[:4])
                                + (" …" if len(only_direct) > 4 else ""))).classes("text-xs console-muted")
            # loops
            self._section("loops")
            if analysis.loops:
                with ui.column().classes("w-full gap-0").mark("list-loops"):
                    for loop in analysis.loops[:8]:
                        path = " → ".join(short(self._text(i), 50) for i in (*loop.card_ids, loop.card_ids[0]))
                        ui.label(path).classes("text-sm")
                    for note in loops_list_notes(analysis, 8, self.words.lang):
                        ui.label(note).classes("text-xs console-muted")
            elif analysis.loops_truncated:  # the search ran out of steps before it listed any
                ui.label(loops_cut_sentence(analysis, self.words.lang)).classes("text-sm console-muted")
            else:
                ui.label(tr("graph.console.loops_none")).classes("text-sm console-muted")
            # central cards and clusters
            self._section("central")
            central = analysis.central_cards[:6]
            if central:
                text_table([("#", True), (tr("graph.console.col_card"), False), (tr("graph.console.col_kind"), False)],
                           [[(str(rank), True), (self._text(i), False),
                             (tr("kind." + analysis.cards[i].kind.value), False)] for rank, i in enumerate(central, 1)],
                           "table-central")
            else:
                self._none()
            self._section("clusters")
            if analysis.clusters:
                with ui.column().classes("w-full gap-1").mark("list-clusters"):
                    for cluster in analysis.clusters[:6]:
                        others = [i for i in cluster.card_ids if i != cluster.main_card_id]
                        ui.label(tr("graph.console.cluster", main=short(self._text(cluster.main_card_id), 60),
                                    count=cluster.size,
                                    others=list_separator(lang()).join(short(self._text(i), 40) for i in others[:4])
                                    + (" …" if len(others) > 4 else ""))).classes("text-sm")
            else:
                self._none()

    def _section(self, key: str) -> None:
        with ui.column().classes("w-full gap-0 pt-1"):
            heading(tr(f"graph.console.{key}_title"), level=4, classes="font-bold text-slate-900")
            ui.label(tr(f"graph.console.{key}_help")).classes("text-xs console-muted")

    def _none(self) -> None:
        ui.label(tr("graph.console.none")).classes("text-sm console-muted")

    def _names(self, ids: tuple[int, ...], marker: str) -> None:
        if not ids:
            self._none()
            return
        with ui.column().classes("w-full gap-0").mark(marker):
            for card_id in ids:
                with ui.row().classes("items-center gap-2 no-wrap"):
                    card = self.cards.get(card_id)
                    if card is not None:
                        kind_badge(card.kind.value)
                    ui.label(self._text(card_id)).classes("text-sm")
