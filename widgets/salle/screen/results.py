"""The round in progress on the trainer's screen: its state, « Montrer les résultats », the chart,
the abaque's colour grid and the continuum's discussion table.

The screen is often projected: « Cacher les réponses » draws nothing of the answers while the vote
is open (the phones never see them before the trainer shows them).
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from widgets.fr import list_and, plural
from widgets.salle import charts, content, report
from widgets.salle.model import (
    ACTIVITY_NAMES,
    Activity,
    Round,
    RoundState,
    Snapshot,
    reword_chain,
    total_votes,
)
from widgets.salle.screen.base import RoundPanel, Screen
from widgets.ui import ChartArea, table_markup

PLACEHOLDER = "Le graphique des réponses apparaîtra dès qu'une question sera posée."


def figure(snapshot: Snapshot, shown: Round, compact: bool = False) -> go.Figure:
    """The chart of one round: a cloud for the continuum, arrival beside departure for the météo, bars
    otherwise; ``compact`` when projected (the question is already written above the chart)."""
    scale = content.scale_for(shown.scale)
    if shown.activity is Activity.CONTINUUM:
        from widgets.continuum.content import load_situations, load_steps

        return charts.cloud_figure(
            snapshot, shown, [(s.position, s.label) for s in load_steps()], {s.id: s for s in load_situations()}
        )
    if shown.activity is Activity.METEO:
        rounds = [r for r in snapshot.rounds_of(Activity.METEO) if r.state is not RoundState.CLOSED or r.id == shown.id]
        return charts.meteo_figure(snapshot, rounds[-2:] if len(rounds) > 1 else [shown], scale, compact)
    return charts.distribution_figure(snapshot, shown, scale, compact)


def continuum_table(snapshot: Snapshot, shown: Round) -> str:
    """Per situation: how many answered, how far the group spreads, the course's reference and why."""
    if shown.activity is not Activity.CONTINUUM:
        return ""
    from widgets.continuum.content import load_situations, load_steps

    situations = {s.id: s for s in load_situations()}
    labels = {s.position: s.label for s in load_steps()}
    rows = []
    for item in shown.items:
        situation = situations.get(item)
        if situation is None:
            continue
        votes = sorted(int(v.value) for v in snapshot.votes_of(shown.id, item))
        spread = f"de l'étape {votes[0]} à l'étape {votes[-1]}" if votes else "pas encore de réponse"
        if votes and votes[0] == votes[-1]:
            spread = f"tout le groupe : étape {votes[0]}"
        course = f"◆ {situation.reference}. {labels.get(situation.reference, '')}"
        if situation.also_accepted:
            course += f" (◇ aussi défendable : {list_and([str(a) for a in sorted(situation.also_accepted)])})"
        explanation = situation.explanation + (f" À discuter : {situation.debate}" if situation.debate else "")
        rows.append([situation.title, plural(len(votes), "réponse"), spread, course, explanation])
    frame = pd.DataFrame(rows, columns=["Situation", "Réponses", "Le groupe va", "Repère du cours", "Explication"])
    return table_markup(frame, "Pour ouvrir la discussion : le groupe et les repères du cours", row_headers=True)


class ResultsPanel(RoundPanel):
    """The round this page shows (the current one if it is this page's, else its last), redrawn from each snapshot."""

    def __init__(self, screen: Screen) -> None:
        super().__init__(
            screen, "Montrer les résultats au groupe", "Clore le vote et afficher les résultats sur les téléphones"
        )
        self.info = w.HTML()
        self.chart = ChartArea(PLACEHOLDER, background=True)  # redrawn by the poll, outside any cell
        self.details = w.HTML()

    def redraw(self) -> None:
        snapshot = self.screen.snapshot
        if snapshot is None:
            return
        shown = self.shown_round(snapshot)
        if shown is None:
            self.info.value = "<p class='salle-texte'>Aucune question posée pour l'instant sur cette page.</p>"
            self.reveal_button.layout.display = "none"
            self.chart.draw(None)
            self.details.value = self.grid(snapshot)
            return
        answered = total_votes(snapshot, shown)
        voting = shown.state is RoundState.VOTE and shown.id == snapshot.session.current_round
        if voting:
            state = (
                f"Vote en cours : <strong>{plural(answered, 'réponse')}</strong>. "
                f"Depuis le début de la séance : {report.people_sentence(snapshot)} "
                "Les téléphones ne voient pas encore les résultats."
            )
        elif shown.state is RoundState.REVEALED:
            state = f"Résultats montrés au groupe ({plural(answered, 'réponse')})."
        else:
            state = f"Vote clos sans montrer les résultats ({plural(answered, 'réponse')})."
        chain = reword_chain(snapshot, shown)
        earlier = ""
        if len(chain) > 1:
            earlier = "<p>Formulations précédentes : " + " → ".join(f"tour {r.number}" for r in chain[:-1]) + "</p>"
        question = shown.question if shown.activity is not Activity.CONTINUUM else ACTIVITY_NAMES[shown.activity]
        self.info.value = (
            f"<h2>Tour {shown.number} · {ACTIVITY_NAMES[shown.activity]}</h2>"
            f"<p class='salle-question'>{html.escape(question)}</p>{earlier}"
            f"<p class='salle-etat' role='status'>{state}</p>"
        )
        self.reveal_button.layout.display = "" if voting else "none"
        if voting and self.hide.value:
            self.chart.draw(None)
            self.chart.note.value = (
                f"<p class='salle-etat'><em>Réponses cachées : {plural(answered, 'reçue')}. "
                "Décochez la case pour les voir, ou montrez-les au groupe.</em></p>"
            )
            self.details.value = ""
            return
        self.chart.draw(figure(snapshot, shown, self.compact))
        self.details.value = self.grid(snapshot) + continuum_table(snapshot, shown)

    def grid(self, snapshot: Snapshot) -> str:
        if self.screen.page != "abaque":
            return ""
        parts = []
        for activity in (Activity.ABAQUE, Activity.FEUX):
            rounds = snapshot.rounds_of(activity)
            visible = [r for r in rounds if not (self.hide.value and r.state is RoundState.VOTE)]
            if visible:
                parts.append(f"<h2>{ACTIVITY_NAMES[activity]} : la grille de la séance</h2>")
                parts.append(report.grid_html(snapshot, visible, content.scale_for(activity.value)))
        return "".join(parts)
