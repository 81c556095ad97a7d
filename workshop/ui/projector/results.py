"""Vote results on the projector: dots, ratings, the robustness matrix, with their text alternative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nicegui import run, ui
from nicegui.elements.mixins.text_element import TextElement

from workshop.i18n import colon
from workshop.models import Activity, College, Interaction
from workshop.services import votes
from workshop.ui.projector import charts, panels
from workshop.ui.units import UnitsLine
from workshop.ui.projector.base import (
    CHART_H,
    CHART_W_SIDE,
    CHART_W_WIDE,
    TOP_CARDS,
    ResultsData,
    load_results,
)

if TYPE_CHECKING:
    from workshop.ui.projector.page import ProjectorScreen


@dataclass
class _Drawing:
    mode: str
    summary: str
    figure: dict
    width: int
    alt: str
    fill: Any  # builds the text alternative (a table or a numbered list) in the current container
    visible_alt: bool = False
    legend: list[tuple[str, str]] | None = None  # colour key: (label, colour)
    rows: list[tuple[str, ...]] | None = None  # the text alternative's table rows, when it is a table


class ResultsView:
    """Vote results, hidden until the facilitator reveals them."""

    def __init__(self, page: ProjectorScreen, activity: Activity | None, wide: bool,
                 instructions: str | None = None) -> None:
        self.page = page
        self.activity = activity
        self.instructions = instructions  # shown under the message while the results are hidden
        self.reveal = page.results_revealed()
        self.width = CHART_W_WIDE if wide else CHART_W_SIDE
        self.plot: ui.plotly | None = None
        self.labels: dict[str, ui.label] = {}
        self.hidden_running = False
        self.mode: str | None = None
        self.cells: list[list[TextElement]] | None = None  # the dot-vote table's cells, by row
        self.body: ui.element | None = None  # the dot-vote table's body (rows come and go in place)
        self.lines: list[ui.element] = []  # its rows
        # what the chart and its texts show now (summary, figure, table rows): a redraw that
        # changes none of them is skipped
        self.drawn: tuple | None = None
        t = page.t
        self.root = ui.element("div").classes("v21p-view")
        with self.root:
            if activity is None:
                panels.message(page, t("projector.results_none"))
                return
        self.render(load_results(page.sid, activity))

    async def reload(self) -> None:
        if self.activity is None:
            return
        data = await run.io_bound(load_results, self.page.sid, self.activity)
        # None: the read was cancelled (this page was closed meanwhile) or the server is stopping
        if self.page.view is self and data is not None:
            self.render(data)

    def _voters_text(self, n: int) -> str:
        """« 3 personnes ont voté » for a dot vote, « … ont répondu » for a rating or a robustness test."""
        t = self.page.t
        voted = self.activity is None or self.activity.interaction is Interaction.DOT_VOTE
        return t("projector.voters" if voted else "projector.responders", count=n)

    def render(self, data: ResultsData) -> None:
        t = self.page.t
        current = self.page.current
        if current is not None and current.id == self.activity.id:
            self.activity = current  # fresh state: votes may have closed
        activity = self.activity
        running = current is not None and current.id == activity.id and activity.votes_open
        if not self.reveal:
            # While votes come in, only the number of voters changes.
            if self.labels and self.hidden_running == running:
                self.labels["middle"].set_text(self._voters_text(data.voters))
                return
            self.root.clear()
            with self.root:
                # each in its own words: a vote, a rating (« Notation »), a robustness test (« Test »)
                what = {Interaction.DOT_VOTE: "vote", Interaction.RATE: "rating",
                        Interaction.ROBUSTNESS: "robustness"}[activity.interaction]
                soon = "projector.results_soon" if what == "vote" else f"projector.{what}_results_soon"
                # once closed, the vote's instructions no longer apply, and its end is behind us
                self.labels = panels.message(self.page, t(f"projector.{what}_running" if running
                                                          else f"projector.{what}_closed"),
                                                 self._voters_text(data.voters),
                                                 small=t(soon if running else "projector.results_reveal"),
                                                 pulse=running, instructions=self.instructions if running else None)
                self.hidden_running = running
            return
        drawing = self._drawing(data)
        mode = drawing.mode if drawing else "empty"
        if self.plot is not None and mode == self.mode:
            # Same chart, new numbers: redraw it and refresh its text alternative only; when votes
            # change nothing shown (a dot moved back and forth), nothing is sent.
            drawn = (drawing.summary, drawing.figure, drawing.rows)
            if drawing.rows is not None and drawn == self.drawn:
                return
            before, self.drawn = self.drawn, drawn
            self.summary.set_text(drawing.summary)
            self._legend(drawing)
            if before is None or before[1] != drawing.figure:  # a card below the chart's top may have moved only
                self.plot.update_figure(drawing.figure)
            if not self._update_cells(drawing.rows, before[2] if before else None):
                self.alt.clear()
                with self.alt:
                    drawing.fill()
            return
        self.mode = mode
        self.labels = {}
        self.plot = None
        self.cells = None
        self.drawn = (drawing.summary, drawing.figure, drawing.rows) if drawing else None
        self.root.clear()
        with self.root:
            current = self.page.current
            heading = (t("projector.results") if current is not None and current.id == activity.id
                       else t("projector.results_title", title=activity.title))
            ui.label(heading).classes("v21p-view-title").props('role="heading" aria-level="2"')
            if drawing is None:
                panels.message(self.page, t("projector.no_votes_yet"))
                return
            self.summary = UnitsLine(drawing.summary).classes("v21p-view-sub")
            self.legend = ui.element("div").classes("v21p-legend").props('aria-hidden="true"')
            self.legend_key: list | None = None
            self._legend(drawing)
            with ui.element("div").classes("v21p-chart-row"):
                with ui.element("div").classes("v21p-scale").props('role="img"') as box:
                    box.props["aria-label"] = drawing.alt
                    box.props["data-w"] = str(drawing.width)
                    box.props["data-h"] = str(CHART_H)
                    self.plot = ui.plotly(drawing.figure).style(
                        f"width: {drawing.width}px; height: {CHART_H}px").props('aria-hidden="true"')
                if drawing.visible_alt:
                    self.alt = ui.element("ol").classes("v21p-ranking")
                else:
                    self.alt = ui.element("div").classes("v21p-sr")
                with self.alt:
                    drawing.fill()

    def _update_cells(self, rows: list[tuple[str, ...]] | None, shown: list[tuple[str, ...]] | None) -> bool:
        """Change the table's texts in place, adding or removing rows at its end as cards get
        their first dots (each vote would otherwise rebuild some sixty elements, two hundred at
        40 cards); ``shown`` are the rows the table shows now. False when the table must be built again."""
        cells, body = self.cells, self.body
        if rows is None or cells is None or body is None or any(
                len(row) != len(line) for row, line in zip(rows, cells)):
            self.cells = None
            return False
        for i, (row, line) in enumerate(zip(rows, cells)):
            if shown is not None and i < len(shown) and shown[i] == row:
                continue
            for value, cell in zip(row, line):
                if cell.text != value:
                    cell.set_text(value)
        while len(cells) > len(rows):
            cells.pop()
            body.remove(self.lines.pop())
        if len(rows) > len(cells):
            with body:
                for row in rows[len(cells):]:
                    self._table_row(row)
        return True

    def _table_row(self, row: tuple[str, ...]) -> None:
        with ui.element("tr") as line:
            self.cells.append([TextElement(tag="td", text=value) for value in row])
        self.lines.append(line)

    def _legend(self, drawing: _Drawing) -> None:
        if drawing.legend == self.legend_key:
            return
        self.legend_key = drawing.legend
        self.legend.clear()
        self.legend.set_visibility(bool(drawing.legend))
        with self.legend:
            for label, color in drawing.legend or []:
                with ui.element("span").classes("v21p-legend-item"):
                    ui.element("span").classes("v21p-swatch").style(f"background: {color}")
                    TextElement(tag="span", text=label)

    def _drawing(self, data: ResultsData) -> _Drawing | None:
        kind = self.activity.interaction
        if kind is Interaction.DOT_VOTE:
            return self._dot_votes(data)
        if kind is Interaction.RATE:
            return self._ratings(data)
        return self._robustness(data)

    def _dot_votes(self, data: ResultsData) -> _Drawing | None:
        t = self.page.t
        if not data.tallies:
            return None
        total = sum(x.dots for x in data.tallies)
        shown = data.tallies[:TOP_CARDS]
        summary = t("projector.dot_summary", voters=self.page.count("voters", data.voters), dots=self.page.count("dots", total))
        if len(data.tallies) > len(shown):
            summary += " " + t("projector.top_shown", shown=len(shown))
        colleges = {c.value: t(f"college_name.{c.value}") for c in College}
        colleges[votes.UNDETAILED] = t("undetailed.label", min=votes.MIN_VOTERS_SHOWN)  # collèges of too few voters
        rows = [(x.text, x.dots, x.split) for x in shown]
        figure = charts.dot_vote_figure(rows, colleges, width=self.width, height=CHART_H)
        legend = [(colleges[c], color) for c, color in charts.college_legend(rows)]

        def in_words(tally) -> str:
            parts = [f"{colleges.get(c, c)} {n}" for c, n in sorted(tally.by_college.items())]
            if tally.undetailed:
                parts.append(t("undetailed.cell", count=tally.undetailed))
            return ", ".join(parts)

        table_rows = [(str(rank), tally.text, str(tally.dots), str(tally.voters), in_words(tally))
                      for rank, tally in zip(charts.tied_ranks([x.dots for x in data.tallies]), data.tallies)]

        def fill() -> None:
            with ui.element("table"):
                with ui.element("thead"), ui.element("tr"):
                    for key in ("table_rank", "table_card", "table_dots", "table_voters", "table_colleges"):
                        TextElement(tag="th", text=t(f"projector.{key}"))
                with ui.element("tbody") as self.body:
                    self.cells, self.lines = [], []
                    for row in table_rows:
                        self._table_row(row)

        return _Drawing("dots", summary, figure, self.width, t("projector.chart_alt_votes"), fill, legend=legend,
                        rows=table_rows)

    def _ratings(self, data: ResultsData) -> _Drawing | None:
        t = self.page.t
        page = self.page
        criteria = list(self.activity.criteria)
        if not data.ratings or not criteria:
            return None
        summary = t("projector.rating_summary", cards=page.count("cards_rated", len(data.ratings)),
                    voters=page.count("responders", data.voters))  # a rating is answered, not voted on
        labels = [page.criteria_labels.get(c, c) for c in criteria]
        if len(criteria) == 1:
            rows = sorted(((c.text, m.get(criteria[0], 0.0)) for c, m in data.ratings), key=lambda r: -r[1])
            figure = charts.mean_bar_figure(rows[:TOP_CARDS], criterion=labels[0], width=self.width, height=CHART_H,
                                            number=page.number)

            def fill_one() -> None:
                for text, value in rows:
                    TextElement(tag="li", text=text + colon(page.lang) + page.number(value))

            return _Drawing("rating1", summary, figure, self.width, t("projector.chart_alt_ratings"), fill_one)
        x_key, y_key = criteria[0], criteria[1]
        scored = [(c, m.get(x_key), m.get(y_key)) for c, m in data.ratings]
        scored = [(c, x, y) for c, x, y in scored if x is not None and y is not None]
        if not scored:
            return None
        scored.sort(key=lambda r: (-(r[1] * r[2]), r[0].id))
        points = [charts.RatedPoint(i, c.text, x, y) for i, (c, x, y) in enumerate(scored, 1)]
        hot = t("projector.hot_threats") if (x_key, y_key) == ("likelihood", "impact") else None
        width = int(self.width * 0.6)
        figure = charts.rating_figure(points, x_label=labels[0], y_label=labels[1], width=width,
                                      height=CHART_H, hot_label=hot)

        def fill_two() -> None:
            TextElement(tag="li", text=t("projector.ranking_head", x=labels[0], y=labels[1])).classes(
                "v21p-instr-head").style("text-align: right; list-style: none").props('aria-hidden="true"')
            for point in points:
                with ui.element("li").classes("v21p-rank"):
                    ui.label(str(point.rank)).classes("v21p-rank-num")
                    ui.label(point.text).classes("v21p-rank-text")
                    ui.label(f"{page.number(point.x)} · {page.number(point.y)}").classes("v21p-rank-values")

        return _Drawing("rating2", summary, figure, width, t("projector.chart_alt_ratings"), fill_two,
                        visible_alt=True)

    def _robustness(self, data: ResultsData) -> _Drawing | None:
        """Every challenge × every action the test asks about (as the tablets offer them), the
        pairs nobody has rated yet shown as such, not left out."""
        t = self.page.t
        grid = data.grid
        if grid is None or not grid.pairs:
            return None
        challenges, actions = grid.challenges, grid.actions
        scores: list[list[float | None]] = [
            [cell.score if (cell := grid.cell(c, a)) is not None else None for a, _ in actions] for c, _ in challenges]
        verdicts = {v: t(f"verdict.{v}") for v in ("holds", "bends", "breaks")}
        # « pas encore évalué » while answers may come; once the test is closed, « non évalué »
        unrated = t("projector.robustness_unrated" if data.answering else "projector.robustness_unrated_closed")
        summary = t("projector.robustness_summary", challenges=self.page.count("challenges", len(challenges)),
                    actions=self.page.count("actions", len(actions)),
                    rated=t("projector.count.pairs_rated", count=grid.rated, total=grid.pairs),
                    voters=self.page.count("responders", data.voters))
        figure = charts.robustness_figure([text for _, text in challenges], [text for _, text in actions],
                                          scores, verdicts, width=self.width, height=CHART_H,
                                          number=self.page.number, unrated_label=unrated)

        def fill() -> None:
            with ui.element("ul"):
                for challenge_id, challenge in challenges:
                    for action_id, action in actions:
                        cell = grid.cell(challenge_id, action_id)
                        if cell is None:
                            text = t("projector.robustness_cell_unrated", challenge=challenge, action=action,
                                     unrated=unrated)
                        else:
                            text = t("projector.robustness_cell", challenge=challenge, action=action,
                                     verdict=verdicts[charts.verdict_of(cell.score)],
                                     score=self.page.number(cell.score))
                        TextElement(tag="li", text=text)

        return _Drawing("robustness", summary, figure, self.width, t("projector.chart_alt_robustness"), fill)
