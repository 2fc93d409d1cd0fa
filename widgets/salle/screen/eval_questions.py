"""What the evaluation pages put to the group: a quiz question or a « Suis-je prêt·e ? » statement
(alone, « avant » or « après »), or the end-of-session questionnaire with the objectives of a session.

The same base as the votes' panels (:class:`~widgets.salle.screen.questions.QuestionPanel`): their
ask button is disabled once the session is closed. The actions are :mod:`widgets.salle.eval_trainer`,
as for a script calling the trainer's API.
"""

from __future__ import annotations

import ipywidgets as w

from widgets.salle import eval_content, eval_trainer
from widgets.salle.evaluation import EvalItem, Moment
from widgets.salle.screen.base import Screen, button
from widgets.salle.screen.questions import QuestionPanel

MOMENTS = [
    ("Quiz seul", Moment.ALONE.value),
    ("Avant (début de séance)", Moment.BEFORE.value),
    ("Après (fin de séance)", Moment.AFTER.value),
]
QUIZ_INTRO = (
    "<h2>Poser une question au groupe</h2><p class='salle-texte'>Les questions du cours, une à la fois. Chaque "
    "personne répond sur son téléphone, ou « Je passe ». Personne n'est classé : l'écran montre seulement combien "
    "ont répondu, puis les réponses du groupe quand vous les montrez. Pour voir ce que le groupe a appris, posez "
    "les mêmes questions au début (« avant ») et à la fin (« après ») : le tableau plus bas compare les deux "
    "moments.</p>"
)
MOMENTS_HELP = (
    "<p class='salle-texte'><strong>Quiz seul</strong> : la bonne réponse est montrée avec les résultats. "
    "<strong>Avant</strong> : elle ne l'est pas, pour ne pas la donner avant la fin. <strong>Après</strong> : "
    "la même question en fin de séance, avec la bonne réponse et l'explication du cours.</p>"
)
QUESTIONNAIRE_INTRO = (
    "<h2>Le questionnaire de fin de séance</h2><p class='salle-texte'>Les questions du questionnaire du kit, sur "
    "les téléphones, sans nom. Choisissez la séance ou le chapitre dont les objectifs s'ajoutent au début (« À la "
    "fin de la séance, je sais … »). Vous voyez les réponses du groupe et les textes libres, jamais qui a répondu "
    "quoi. Le questionnaire papier reste possible : recopiez-le plus bas.</p>"
)


def wide(widget: w.Widget) -> w.Widget:
    """A field whose label and control use the whole width (its label wraps on a phone)."""
    widget.style = {"description_width": "initial"}
    widget.layout = w.Layout(width="100%")
    return widget


def radio(options: list[tuple[str, str]], value: str, description: str) -> w.RadioButtons:
    return w.RadioButtons(
        options=options,
        value=value,
        description=description,
        style={"description_width": "initial"},
        layout=w.Layout(width="auto"),
    )


class QuizQuestions(QuestionPanel):
    """A chapter's self-check or « Suis-je prêt·e ? », the moment, and the question, one click each."""

    def __init__(self, screen: Screen) -> None:
        super().__init__(screen)
        self.what = radio([("Quiz d'un chapitre", "quiz"), ("Suis-je prêt·e ?", "pret")], "quiz", "Questions :")
        chapters = eval_content.quiz_chapters()
        self.chapter = wide(w.Dropdown(options=[(label, key) for key, label in chapters], description="Chapitre :"))
        self.moment = radio(MOMENTS, Moment.ALONE.value, "Quand :")
        self.question_choice = wide(w.Dropdown(options=[], description="Question à poser :"))
        self.ask_button = button("Poser cette question", "Envoyer la question aux téléphones", "primary", "paper-plane")
        self.what.observe(lambda _: self.fill(), names="value")
        self.chapter.observe(lambda _: self.fill(), names="value")
        self.ask_button.on_click(lambda _: self.ask())
        self.ask_buttons = [self.ask_button]
        self.fill()
        self.root = w.VBox(
            [
                w.HTML(QUIZ_INTRO),
                self.what,
                self.chapter,
                self.moment,
                w.HTML(MOMENTS_HELP),
                self.question_choice,
                self.ask_button,
            ]
        )

    def pool(self) -> tuple[EvalItem, ...]:
        return eval_content.quiz_items(self.chapter.value) if self.what.value == "quiz" else eval_content.pret_items()

    def fill(self) -> None:
        """The questions of the chosen chapter (or « Suis-je prêt·e ? »), the first one chosen."""
        self.chapter.layout.display = "" if self.what.value == "quiz" else "none"
        items = self.pool()
        self.question_choice.options = [
            (f"{n}. {item.text[:110]}{'…' if len(item.text) > 110 else ''}", item.id) for n, item in enumerate(items, 1)
        ]
        self.question_choice.value = items[0].id if items else None  # ipywidgets leaves it empty otherwise

    def ask(self) -> None:
        trainer = self.screen.trainer
        if trainer is None:
            return
        question = self.question_choice.value
        if question is None:
            self.screen.say("Choisissez d'abord la question à poser.", "error", "Attention :")
            return
        kind, moment = self.what.value, self.moment.value
        source = self.chapter.value if kind == "quiz" else ""

        def action() -> None:
            eval_trainer.start(trainer.store, trainer.code, trainer.secret, kind, source, question, moment)

        if self.screen.run(action, "La question est posée sur les téléphones."):
            ids = [value for _, value in self.question_choice.options]
            index = ids.index(question)
            if index + 1 < len(ids):  # ready for the next one: one click per question
                self.question_choice.value = ids[index + 1]


class QuestionnaireQuestions(QuestionPanel):
    """Which objectives the questionnaire adds (a ready session's, a chapter's, none), and « Lancer »."""

    def __init__(self, screen: Screen) -> None:
        super().__init__(screen)
        self.source = wide(w.Dropdown(options=eval_content.questionnaire_sources(), description="Objectifs ajoutés :"))
        self.ask_button = button(
            "Lancer le questionnaire", "Envoyer le questionnaire aux téléphones", "primary", "paper-plane"
        )
        self.ask_button.on_click(lambda _: self.ask())
        self.ask_buttons = [self.ask_button]
        self.root = w.VBox([w.HTML(QUESTIONNAIRE_INTRO), self.source, self.ask_button])

    def ask(self) -> None:
        trainer = self.screen.trainer
        if trainer is None:
            return
        source = self.source.value

        def action() -> None:
            eval_trainer.start(trainer.store, trainer.code, trainer.secret, "questionnaire", source)

        self.screen.run(action, "Le questionnaire est envoyé aux téléphones.")


EVALUATION_PANELS: dict[str, type[QuestionPanel]] = {"quiz": QuizQuestions, "questionnaire": QuestionnaireQuestions}
