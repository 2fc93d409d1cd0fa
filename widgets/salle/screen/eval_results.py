"""The evaluation shown on the trainer's screen: the question and how many answered, then the group's answers.

What the screen shows, as issue 19 asks and so that nobody is put in competition: while a question
is open, only how many answered; once the trainer shows the results, the distribution, and for a
quiz the right answers with the course's explanations (except « avant », where they would give the
answers away for « après »). Never a name, a ranking or a time. The questionnaire shows how many
came in, then each scale's counts on one line and the free texts, sorted.

Two parts, placed by :mod:`.stage`: ``info`` (what the room reads: the question, its state, the
quiz's distribution once shown; projected, on the right and kept on screen) and ``details`` (the
avant / après table, or the questionnaire's answers; projected, below). Projected, « Cacher les
réponses » is ticked: ``details`` waits until the question is closed, so the room does not watch the
« après » column or the free texts arrive one by one.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from widgets.fr import plural
from widgets.salle import eval_content, eval_report
from widgets.salle.evaluation import Answer, EvalItem, Kind, Moment, item_result, read_tag, respondents
from widgets.salle.model import ACTIVITY_NAMES, Activity, Round, RoundState, SalleError
from widgets.salle.screen.base import RoundPanel, Screen
from widgets.ui import message_html, table_markup

MOMENT_NAMES = {Moment.ALONE: "", Moment.BEFORE: " · avant", Moment.AFTER: " · après"}
HIDDEN = {
    "quiz": "<p class='salle-etat'><em>Réponses cachées : le tableau « Avant / après » s'affichera quand vous "
    "montrerez les résultats. Décochez la case pour le voir maintenant.</em></p>",
    "questionnaire": "<p class='salle-etat'><em>Réponses cachées : les réponses du groupe s'afficheront quand "
    "vous clorez le questionnaire. Décochez la case pour les voir maintenant.</em></p>",
}


def table(rows: list[list[Any]], columns: list[str], caption: str) -> str:
    import pandas as pd

    return table_markup(pd.DataFrame(rows, columns=columns), caption, row_headers=True)


def distribution(item: EvalItem, answers: list[Answer], came: int, show_right: bool) -> str:
    """A quiz question's answers once shown: how many chose each, and the course's explanation."""
    result = item_result(item, answers)
    rows = []
    for index, count in enumerate(result.counts):
        share = f"{round(100 * count.count / result.answered)} %" if result.answered else "—"
        mark = " ✔ bonne réponse" if count.right and show_right else ""
        explanation = item.explanations[index] if show_right and index < len(item.explanations) else ""
        rows.append([f"{chr(65 + index)}. {count.option.label}{mark}", count.count, share, explanation])
    rows.append(["○ Je passe", result.abstained, "", ""])
    columns = ["Réponse", "Personnes", "Part", "Explication du cours"]
    if not show_right:
        rows, columns = [row[:3] for row in rows], columns[:3]
    return table(rows, columns, f"Les réponses du groupe ({plural(came, 'personne')})")


def bars(item: EvalItem, answers: list[Answer], came: int, show_right: bool) -> str:
    """The same answers as :func:`distribution`, projected: one line and one bar per answer, so that
    the whole distribution stands beside the code on a 1080-pixel screen (the counts are written:
    the bar's length is never the only signal)."""
    result = item_result(item, answers)
    lines = []
    for index, count in enumerate(result.counts):
        share = round(100 * count.count / result.answered) if result.answered else 0
        mark = " ✔ bonne réponse" if count.right and show_right else ""
        lines.append(
            f"<li style='margin:0 0 0.5em'><strong>{chr(65 + index)}. {html.escape(count.option.label)}{mark}</strong>"
            f" : {plural(count.count, 'personne')} ({share} %)<div aria-hidden='true' style='height:0.5em;"
            f"width:{share}%;background:#123d6a'></div></li>"
        )
    lines.append(f"<li>○ Je passe : {plural(result.abstained, 'personne')}</li>")
    return (
        f"<p class='salle-texte'><strong>Les réponses du groupe ({plural(came, 'personne')})</strong></p>"
        f"<ul class='salle-texte' style='list-style:none;padding:0'>{''.join(lines)}</ul>"
    )


def explanations(item: EvalItem) -> str:
    """The course's explanations, below when projected (:func:`bars` beside the code leaves them out)."""
    lines = "".join(
        f"<li><strong>{chr(65 + index)}. {html.escape(option.label)}{' ✔ bonne réponse' if option.id in item.right else ''}"
        f"</strong> : {html.escape(text)}</li>"
        for index, (option, text) in enumerate(zip(item.options, item.explanations, strict=False))
    )
    return f"<h2>Les explications du cours</h2><ul class='salle-texte'>{lines}</ul>"


def changes_html(evaluations: eval_report.Evaluations) -> str:
    """The avant / après table: the group compared with itself, question by question."""
    found = evaluations.changes()
    if not found:
        return (
            "<h2>Avant / après</h2><p class='salle-texte'>Le tableau apparaîtra dès qu'une question aura été "
            "posée « avant » ou « après ».</p>"
        )
    rows = [
        [
            f"{n}. {change.item.text}",
            eval_report.moment_text(change, change.before),
            eval_report.moment_text(change, change.after),
            eval_report.difference(change),
        ]
        for n, change in enumerate(found, 1)
    ]
    return "<h2>Avant / après : le groupe au début et à la fin</h2>" + table(
        rows,
        ["Question", "Au début", "À la fin", "Écart"],
        "Réponses justes (quiz) ou score « prêt·e » : le groupe comparé à lui-même, jamais une personne",
    )


def group_answers(items: tuple[EvalItem, ...], answers: list[Answer], came: int) -> str:
    """Learning, then appreciation: each scale's counts on one line (readable projected or on a
    phone), then the free texts, sorted; the one-page PDF draws the same counts as a grid."""
    parts = []
    for part, heading in eval_report.PARTS:
        rows, texts = [], []
        for number, item in enumerate(items, start=1):
            if item.part != part:
                continue
            result = item_result(item, answers)
            if item.kind is Kind.TEXT:
                lines = "".join(f"<li><bdi>{html.escape(text)}</bdi></li>" for text in result.texts)
                written = (
                    f"<ul class='salle-texte'>{lines}</ul>"
                    if lines
                    else "<p class='salle-texte'>Aucune réponse écrite.</p>"
                )
                texts.append(f"<p class='salle-texte'><strong>{number}. {html.escape(item.text)}</strong></p>{written}")
                continue
            counts = " · ".join(f"{c.option.label} : {c.count}" for c in result.counts)
            rows.append([f"{number}. {item.text}", f"{counts} · sans réponse : {came - result.responses}"])
        counted = table(rows, ["Question", "Réponses du groupe"], "Réponses par question") if rows else ""
        parts.append(f"<h3>{html.escape(heading)}</h3>{counted}{''.join(texts)}")
    return "".join(parts)


class EvaluationResultsPanel(RoundPanel):
    """The evaluation this page shows (the current one if it is this page's, else its last)."""

    def __init__(self, screen: Screen) -> None:
        if screen.page == "questionnaire":
            super().__init__(
                screen, "Clore le questionnaire", "Plus personne ne pourra répondre ; les téléphones disent merci"
            )
        else:
            super().__init__(
                screen,
                "Montrer les résultats au groupe",
                "Clore la question et afficher les résultats sur les téléphones",
            )
        self.info = w.HTML()
        self.details = w.HTML()

    def revealed(self, round_: Round) -> str:
        if round_.activity is Activity.QUESTIONNAIRE:
            return "Le questionnaire est clos : vous pouvez l'exporter."
        return super().revealed(round_)

    def redraw(self) -> None:
        screen = self.screen
        snapshot, trainer = screen.snapshot, screen.trainer
        if snapshot is None or trainer is None:
            return
        try:
            answers = trainer.store.evaluation_answers(trainer.code)
        except SalleError as error:
            screen.say(str(error), "error", "Attention :")
            return
        evaluations = eval_report.collect(snapshot, answers)
        shown = self.shown_round(snapshot)
        voting = shown is not None and shown.state is RoundState.VOTE and shown.id == snapshot.session.current_round
        self.reveal_button.layout.display = "" if voting else "none"
        hidden = voting and self.hide.value
        if shown is None:
            self.info.value = "<p class='salle-texte'>Aucune question posée pour l'instant sur cette page.</p>"
        elif shown.activity is Activity.QUESTIONNAIRE:
            self.info.value = self.questionnaire_info(shown, voting, answers)
        else:
            self.info.value = self.question_info(shown, voting, answers)
        if hidden:
            self.details.value = HIDDEN[screen.page]
        elif screen.page == "quiz":
            self.details.value = self.explained(shown) + changes_html(evaluations)
        elif shown is not None:
            self.details.value = self.questionnaire_answers(shown, evaluations)
        else:
            self.details.value = ""

    def head(self, shown: Round) -> str:
        moment = MOMENT_NAMES[read_tag(shown.tag).moment] if shown.activity is not Activity.QUESTIONNAIRE else ""
        return (
            f"<h2>Tour {shown.number} · {html.escape(ACTIVITY_NAMES[shown.activity])}{moment}</h2>"
            f"<p class='salle-question'>{html.escape(shown.question)}</p>"
        )

    def question_info(self, shown: Round, voting: bool, answers: tuple[Answer, ...]) -> str:
        came = respondents(answers, shown.id).total
        if voting:
            later = (
                ""
                if self.compact
                else " Les réponses du groupe s'afficheront ici et sur les téléphones quand vous les montrerez."
            )
            return self.head(shown) + (
                f"<p class='salle-etat' role='status'>Question ouverte : <strong>{plural(came, 'réponse')}</strong>.{later}</p>"
            )
        if shown.state is not RoundState.REVEALED:
            return (
                self.head(shown)
                + f"<p class='salle-etat'>Question close sans montrer les résultats ({plural(came, 'réponse')}).</p>"
            )
        try:
            item = eval_content.items_of(shown)[0]
        except SalleError as error:
            return self.head(shown) + message_html(str(error), "error")
        moment = read_tag(shown.tag).moment
        show_right = shown.activity is Activity.QUIZ and moment is not Moment.BEFORE
        later = ""
        if shown.activity is Activity.QUIZ and not show_right and not self.compact:
            later = (
                "<p class='salle-texte'>Question « avant » : la bonne réponse n'est pas montrée. Posez-la de nouveau "
                "en fin de séance (« après »).</p>"
            )
        draw = bars if self.compact else distribution
        table_html = draw(item, [a for a in answers if a.round_id == shown.id], came, show_right)
        return (
            self.head(shown)
            + f"<p class='salle-etat' role='status'>Résultats montrés au groupe.</p>{table_html}{later}"
        )

    def explained(self, shown: Round | None) -> str:
        """Projected, the explanations of a quiz question shown with its right answer go below."""
        if not self.compact or shown is None or shown.state is not RoundState.REVEALED:
            return ""
        if shown.activity is not Activity.QUIZ or read_tag(shown.tag).moment is Moment.BEFORE:
            return ""
        try:
            return explanations(eval_content.items_of(shown)[0])
        except SalleError as error:
            return message_html(str(error), "error")

    def questionnaire_info(self, shown: Round, voting: bool, answers: tuple[Answer, ...]) -> str:
        came = respondents(answers, shown.id)
        paper = f" dont {came.paper} sur papier" if came.paper else ""
        state = (
            "Questionnaire ouvert sur les téléphones."
            if voting
            else "Questionnaire clos : les téléphones ne peuvent plus répondre (le papier, si)."
        )
        received = f"{plural(came.total, 'questionnaire')} reçu{'s' if came.total > 1 else ''}"
        return (
            f"<h2>Tour {shown.number} · {html.escape(ACTIVITY_NAMES[shown.activity])}</h2>"
            f"<p class='salle-texte'>{html.escape(shown.question)}</p>"
            f"<p class='salle-etat' role='status'>{state} <strong>{received}</strong>{paper}.</p>"
        )

    @staticmethod
    def questionnaire_answers(shown: Round, evaluations: eval_report.Evaluations) -> str:
        try:
            items = eval_content.items_of(shown)
        except SalleError as error:
            return message_html(str(error), "error")
        mine = [a for a in evaluations.answers if a.round_id == shown.id]
        return group_answers(items, mine, respondents(evaluations.answers, shown.id).total)
