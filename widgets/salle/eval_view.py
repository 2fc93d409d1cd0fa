"""The trainer's screens of the evaluations in Voilà: the quiz du groupe (with avant / après) and the questionnaire.

Thin views over :mod:`widgets.salle.eval_trainer` (actions), the store (read) and
:mod:`widgets.salle.eval_report` (what is counted, shown and exported). They reuse the group
mode's page (:class:`~widgets.salle.view.SalleView`): the same « Ouvrir une séance » / « Reprendre
la séance … » buttons, code, QR code, live updates every half second and « Fermer la séance », so
one session serves the whole day, votes and evaluations alike. Only the question controls, the
live display and the export are their own.

What the screen shows, as the issue asks and so that nobody is put in competition: while a question
is open, only how many answered; once the trainer shows the results, the distribution, and for a
quiz the right answers with the course's explanations (except « avant », where they would give the
answers away for « après »). Never a name, a ranking or a time.
"""

from __future__ import annotations

import asyncio
import base64
import html
import re
import time
from typing import Any

import ipywidgets as w

from widgets.fr import plural
from widgets.salle import eval_content, eval_report, eval_trainer
from widgets.salle.evaluation import (
    MAX_TEXT,
    EvalItem,
    Kind,
    Moment,
    item_result,
    read_tag,
    respondents,
)
from widgets.salle.model import ACTIVITY_NAMES, Activity, Round, RoundState, SalleError, Snapshot
from widgets.salle.store import KeyRing, Store
from widgets.salle.view import SalleView, _button
from widgets.ui import display_exercise, message_html, table_markup

MOMENTS = [
    ("Quiz seul", Moment.ALONE.value),
    ("Avant (début de séance)", Moment.BEFORE.value),
    ("Après (fin de séance)", Moment.AFTER.value),
]
MOMENTS_HELP = (
    "<p class='salle-texte'><strong>Quiz seul</strong> : la bonne réponse est montrée avec les résultats. "
    "<strong>Avant</strong> : elle ne l'est pas, pour ne pas la donner avant la fin. <strong>Après</strong> : "
    "la même question en fin de séance, avec la bonne réponse et l'explication du cours.</p>"
)
KINDS = {"quiz": (Activity.QUIZ, Activity.PRET), "questionnaire": (Activity.QUESTIONNAIRE,)}


def _wide(widget: w.Widget) -> w.Widget:
    widget.style = {"description_width": "initial"}
    widget.layout = w.Layout(width="100%")
    return widget


def _table(frame_rows: list[list[Any]], columns: list[str], caption: str) -> str:
    import pandas as pd

    return table_markup(pd.DataFrame(frame_rows, columns=columns), caption, row_headers=True)


class EvaluationView(SalleView):
    """``page`` is ``quiz`` (the quiz du groupe, avant / après, « Suis-je prêt·e ? ») or ``questionnaire``."""

    def __init__(self, page: str, store: Store | None = None, keys: KeyRing | None = None):
        self.paper_round: int | None = None
        self.paper_fields: dict[str, w.Widget] = {}
        super().__init__(page, store, keys)
        self.hide.layout.display = "none"  # nothing is shown before « Montrer » anyway
        self.chart.root.layout.display = "none"  # counts and tables, no chart: readable from the back
        self.export_button.description = (
            "Exporter l'avant / après (CSV et PDF d'une page)"
            if page == "quiz"
            else "Exporter le questionnaire (CSV et PDF d'une page)"
        )
        if page == "questionnaire":
            # The paper sheet below the group's answers: the screen first shows what came in.
            children = list(self.work_box.children)
            children.insert(children.index(self.details) + 1, self.paper)
            self.work_box.children = children
            self.reveal_button.description = "Clore le questionnaire"
            self.reveal_button.tooltip = "Plus personne ne pourra répondre ; les téléphones disent merci"

    def _session_html(self) -> str:
        """The session's card, where « N personnes ont déjà voté » counts the grid's voters only:
        evaluation answers carry no person's number, so here the card says where they are counted."""
        card = super()._session_html()
        return re.sub(
            r"<p role='status'>.*?</p>",
            "<p>Les réponses aux questions sont comptées plus bas, sans numéro de personne.</p>",
            card,
            count=1,
            flags=re.S,
        )

    # ------------------------------------------------------------ controls

    def _controls(self) -> w.Widget:
        if self.page == "questionnaire":
            return self._questionnaire_controls()
        self.what = w.RadioButtons(
            options=[("Quiz d'un chapitre", "quiz"), ("Suis-je prêt·e ?", "pret")],
            value="quiz",
            description="Questions :",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        chapters = eval_content.quiz_chapters()
        self.chapter = _wide(w.Dropdown(options=[(label, key) for key, label in chapters], description="Chapitre :"))
        self.moment = w.RadioButtons(
            options=MOMENTS,
            value=Moment.ALONE.value,
            description="Quand :",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self.question_choice = _wide(w.Dropdown(options=[], description="Question à poser :"))
        self.ask_button = _button(
            "Poser cette question", "Envoyer la question aux téléphones", "primary", "paper-plane"
        )
        self.what.observe(lambda _: self._fill_questions(), names="value")
        self.chapter.observe(lambda _: self._fill_questions(), names="value")
        self.ask_button.on_click(lambda _: self._ask_question())
        self._fill_questions()
        return w.VBox(
            [
                w.HTML(
                    "<h2>Poser une question au groupe</h2><p class='salle-texte'>Les questions du cours, une à la "
                    "fois. Chaque personne répond sur son téléphone, ou « Je passe ». Personne n'est classé : "
                    "l'écran montre seulement combien ont répondu, puis les réponses du groupe quand vous les "
                    "montrez. Pour voir ce que le groupe a appris, posez les mêmes questions au début (« avant ») "
                    "et à la fin (« après ») : le tableau plus bas compare les deux moments.</p>"
                ),
                self.what,
                self.chapter,
                self.moment,
                w.HTML(MOMENTS_HELP),
                self.question_choice,
                self.ask_button,
            ]
        )

    def _pool(self) -> tuple[EvalItem, ...]:
        return eval_content.quiz_items(self.chapter.value) if self.what.value == "quiz" else eval_content.pret_items()

    def _fill_questions(self) -> None:
        self.chapter.layout.display = "" if self.what.value == "quiz" else "none"
        items = self._pool()
        self.question_choice.options = [
            (f"{n}. {item.text[:110]}{'…' if len(item.text) > 110 else ''}", item.id) for n, item in enumerate(items, 1)
        ]
        self.question_choice.value = items[0].id if items else None  # ipywidgets leaves it empty otherwise

    def _ask_question(self) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        if self.question_choice.value is None:
            self._say("Choisissez d'abord la question à poser.", "error", "Attention :")
            return
        kind, source, question, moment = (
            self.what.value,
            self.chapter.value if self.what.value == "quiz" else "",
            self.question_choice.value,
            self.moment.value,
        )

        def action() -> None:
            eval_trainer.start(trainer.store, trainer.code, trainer.secret, kind, source, question, moment)

        if self._run(action, "La question est posée sur les téléphones."):
            ids = [value for _, value in self.question_choice.options]
            index = ids.index(question)
            if index + 1 < len(ids):  # ready for the next one: one click per question
                self.question_choice.value = ids[index + 1]

    def _questionnaire_controls(self) -> w.Widget:
        self.source = _wide(w.Dropdown(options=eval_content.questionnaire_sources(), description="Objectifs ajoutés :"))
        self.ask_button = _button(
            "Lancer le questionnaire", "Envoyer le questionnaire aux téléphones", "primary", "paper-plane"
        )
        self.ask_button.on_click(lambda _: self._ask_questionnaire())
        self.paper_box = w.VBox()
        self.paper_message = w.HTML()
        self.paper_button = _button(
            "Enregistrer ce questionnaire papier", "Ajouter ces réponses à celles des téléphones", "", "save"
        )
        self.paper_button.on_click(lambda _: self._save_paper())
        self.paper = w.VBox(
            [
                w.HTML(
                    "<h2>Recopier un questionnaire papier</h2><p class='salle-texte'>Pour les personnes sans "
                    "téléphone : recopiez leur feuille ici, une feuille à la fois. Elle compte avec les autres, "
                    "marquée « papier » dans l'export. Laissez vide ce qui n'a pas été rempli.</p>"
                ),
                self.paper_box,
                self.paper_button,
                self.paper_message,
            ],
            layout=w.Layout(display="none"),
        )
        return w.VBox(
            [
                w.HTML(
                    "<h2>Le questionnaire de fin de séance</h2><p class='salle-texte'>Les questions du "
                    "questionnaire du kit, sur les téléphones, sans nom. Choisissez la séance ou le chapitre "
                    "dont les objectifs s'ajoutent au début (« À la fin de la séance, je sais … »). Vous voyez "
                    "les réponses du groupe et les textes libres, jamais qui a répondu quoi. Le questionnaire "
                    "papier reste possible : recopiez-le plus bas.</p>"
                ),
                self.source,
                self.ask_button,
            ]
        )

    def _ask_questionnaire(self) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        source = self.source.value

        def action() -> None:
            eval_trainer.start(trainer.store, trainer.code, trainer.secret, "questionnaire", source)

        self._run(action, "Le questionnaire est envoyé aux téléphones.")

    def _paper_form(self, round_: Round) -> None:
        """The paper sheet's fields, made again only when another questionnaire is shown."""
        if self.paper_round == round_.id:
            return
        self.paper_round = round_.id
        self.paper_fields = {}
        rows: list[w.Widget] = []
        for number, item in enumerate(eval_content.items_of(round_), start=1):
            # The question in full above its field (a widget's label is one line, cut on a phone).
            rows.append(w.HTML(f"<p class='salle-texte'><strong>{number}.</strong> {html.escape(item.text)}</p>"))
            label = f"Réponse {number} :"
            if item.kind is Kind.TEXT:
                field: w.Widget = w.Textarea(description=label, rows=2, placeholder=f"{MAX_TEXT} caractères au plus")
            else:
                field = w.Dropdown(
                    options=[("— pas de réponse —", ""), *[(o.label, o.id) for o in item.options]], description=label
                )
            self.paper_fields[item.id] = _wide(field)
            rows.append(field)
        self.paper_box.children = rows

    def _save_paper(self) -> None:
        trainer, round_id = self.trainer, self.paper_round
        if trainer is None or round_id is None:
            return
        form = {item: [str(field.value)] for item, field in self.paper_fields.items() if field.value}

        def action() -> None:
            eval_trainer.enter_paper(trainer.store, trainer.code, trainer.secret, round_id, form)

        try:
            action()
        except SalleError as error:  # the sheet stays filled in: nothing typed is lost
            self.paper_message.value = message_html(str(error), "error", "Attention :")
            return
        for field in self.paper_fields.values():
            field.value = ""
        self.paper_message.value = message_html(
            "Questionnaire papier enregistré. Les cases sont vides pour la feuille suivante.", "right"
        )
        self._update(force=True)

    def _ask_buttons(self) -> list[w.Button]:
        return [self.ask_button]

    # ------------------------------------------------------------ drawing

    def _mine(self, round_: Round | None) -> bool:
        return round_ is not None and round_.activity in KINDS[self.page]

    def _redraw(self) -> None:
        snapshot = self.snapshot
        if snapshot is None or self.trainer is None:
            return
        current = snapshot.current
        shown = current if self._mine(current) else None
        if shown is None:
            mine = [r for r in snapshot.rounds if self._mine(r)]
            shown = mine[-1] if mine else None
        try:
            answers = self.store.evaluation_answers(self.trainer.code)
        except SalleError as error:
            self._say(str(error), "error", "Attention :")
            return
        evaluations = eval_report.collect(snapshot, answers)
        if self.page == "quiz":
            self.details.value = self._changes(evaluations)
        if shown is None:
            self.round_info.value = "<p class='salle-texte'>Aucune question posée pour l'instant sur cette page.</p>"
            self.reveal_button.layout.display = "none"
            return
        voting = shown.state is RoundState.VOTE and shown.id == snapshot.session.current_round
        self.reveal_button.layout.display = "" if voting else "none"
        came = respondents(answers, shown.id)
        paper = f" dont {came.paper} sur papier" if came.paper else ""
        if shown.activity is Activity.QUESTIONNAIRE:
            self.round_info.value = self._questionnaire(snapshot, shown, voting, came.total, paper, evaluations)
            return
        self.round_info.value = self._question(shown, voting, came.total, answers)

    def _question(self, shown: Round, voting: bool, came: int, answers: tuple[Any, ...]) -> str:
        tag = read_tag(shown.tag)
        moment = {Moment.ALONE: "", Moment.BEFORE: " · avant", Moment.AFTER: " · après"}[tag.moment]
        head = (
            f"<h2>Tour {shown.number} · {html.escape(ACTIVITY_NAMES[shown.activity])}{moment}</h2>"
            f"<p class='salle-question'>{html.escape(shown.question)}</p>"
        )
        if voting:
            return head + (
                f"<p class='salle-etat' role='status'>Question ouverte : <strong>{plural(came, 'réponse')}</strong>. "
                "Les réponses du groupe s'afficheront ici et sur les téléphones quand vous les montrerez.</p>"
            )
        if shown.state is not RoundState.REVEALED:
            return (
                head
                + f"<p class='salle-etat'>Question close sans montrer les résultats ({plural(came, 'réponse')}).</p>"
            )
        try:
            item = eval_content.items_of(shown)[0]
        except SalleError as error:
            return head + message_html(str(error), "error")
        result = item_result(item, [a for a in answers if a.round_id == shown.id])
        show_right = shown.activity is Activity.QUIZ and tag.moment is not Moment.BEFORE
        rows = []
        for index, count in enumerate(result.counts):
            share = f"{round(100 * count.count / result.answered)} %" if result.answered else "—"
            mark = " ✔ bonne réponse" if count.right and show_right else ""
            explanation = item.explanations[index] if show_right and index < len(item.explanations) else ""
            rows.append([f"{chr(65 + index)}. {count.option.label}{mark}", count.count, share, explanation])
        rows.append(["○ Je passe", result.abstained, "", ""])
        columns = ["Réponse", "Personnes", "Part", "Explication du cours" if show_right else ""]
        if not show_right:
            rows = [row[:3] for row in rows]
            columns = columns[:3]
        later = (
            "<p class='salle-texte'>Question « avant » : la bonne réponse n'est pas montrée. Posez-la de nouveau en "
            "fin de séance (« après »).</p>"
            if shown.activity is Activity.QUIZ and not show_right
            else ""
        )
        caption = f"Les réponses du groupe ({plural(came, 'personne')})"
        return (
            head
            + f"<p class='salle-etat' role='status'>Résultats montrés au groupe.</p>{_table(rows, columns, caption)}{later}"
        )

    def _changes(self, evaluations: eval_report.Evaluations) -> str:
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
        return "<h2>Avant / après : le groupe au début et à la fin</h2>" + _table(
            rows,
            ["Question", "Au début", "À la fin", "Écart"],
            "Réponses justes (quiz) ou score « prêt·e » : le groupe comparé à lui-même, jamais une personne",
        )

    def _questionnaire(
        self, snapshot: Snapshot, shown: Round, voting: bool, came: int, paper: str, evaluations: Any
    ) -> str:
        state = (
            "Questionnaire ouvert sur les téléphones."
            if voting
            else "Questionnaire clos : les téléphones ne peuvent plus répondre (le papier, si)."
        )
        try:
            self._paper_form(shown)
            self.paper.layout.display = "" if not snapshot.session.expired(time.time()) else "none"
            items = eval_content.items_of(shown)
        except SalleError as error:
            return message_html(str(error), "error")
        return (
            f"<h2>Tour {shown.number} · {html.escape(ACTIVITY_NAMES[shown.activity])}</h2>"
            f"<p class='salle-texte'>{html.escape(shown.question)}</p>"
            f"<p class='salle-etat' role='status'>{state} <strong>{plural(came, 'questionnaire')} reçu"
            f"{'s' if came > 1 else ''}</strong>{paper}.</p>"
            + self._group_answers(items, [a for a in evaluations.answers if a.round_id == shown.id], came)
        )

    @staticmethod
    def _group_answers(items: tuple[EvalItem, ...], answers: list[Any], came: int) -> str:
        """Learning, then appreciation: each scale's counts on one line (readable projected or on a
        phone), then the free texts, sorted; the one-page PDF draws the same counts as a grid."""
        parts = []
        for part, heading in eval_report.PARTS:
            rows = []
            texts = []
            for number, item in enumerate(items, start=1):
                if item.part != part:
                    continue
                result = item_result(item, answers)
                if item.kind is Kind.TEXT:
                    lines = "".join(f"<li><bdi>{html.escape(text)}</bdi></li>" for text in result.texts)
                    texts.append(
                        f"<p class='salle-texte'><strong>{number}. {html.escape(item.text)}</strong></p>"
                        + (
                            f"<ul class='salle-texte'>{lines}</ul>"
                            if lines
                            else "<p class='salle-texte'>Aucune réponse écrite.</p>"
                        )
                    )
                    continue
                counts = " · ".join(f"{c.option.label} : {c.count}" for c in result.counts)
                rows.append([f"{number}. {item.text}", f"{counts} · sans réponse : {came - result.responses}"])
            table = _table(rows, ["Question", "Réponses du groupe"], "Réponses par question") if rows else ""
            parts.append(f"<h3>{html.escape(heading)}</h3>{table}{''.join(texts)}")
        return "".join(parts)

    # ------------------------------------------------------------ export

    def _export(self) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        which = "avant-apres" if self.page == "quiz" else "questionnaire"
        try:
            evaluations = eval_report.read(trainer.store, trainer.code)
        except SalleError as error:
            self.export_info.value = message_html(str(error), "error", "Attention :")
            return
        files = {
            eval_report.file_name(which, "csv", evaluations.day): (
                "text/csv",
                eval_report.export_csv_of(evaluations, which).encode("utf-8-sig"),
            )
        }
        self.export_info.value = self._download(files, "Préparation du PDF… (quelques secondes)")
        self.export_button.disabled = True
        page = eval_report.export_html(evaluations, which)

        async def make_pdf() -> None:
            loop = asyncio.get_running_loop()
            try:
                pdf = await loop.run_in_executor(None, eval_report.print_one_page, page)
            except SalleError as error:
                self.export_info.value = self._download(files, "") + message_html(str(error), "error", "PDF :")
            else:
                files[eval_report.file_name(which, "pdf", evaluations.day)] = ("application/pdf", pdf)
                self.export_info.value = self._download(files, "")
            finally:
                self.export_button.disabled = False

        asyncio.ensure_future(make_pdf())

    @staticmethod
    def _download(files: dict[str, tuple[str, bytes]], note: str) -> str:
        items = "".join(
            f"<li><a download='{html.escape(name)}' href='data:{kind};base64,{base64.b64encode(data).decode()}'>"
            f"Télécharger {html.escape(name)}</a></li>"
            for name, (kind, data) in files.items()
        )
        extra = f"<p><em>{html.escape(note)}</em></p>" if note else ""
        return (
            f"<ul>{items}</ul><p>Ces fichiers ne sont enregistrés nulle part sur cet ordinateur : téléchargez-les. "
            "Ils ne contiennent ni nom, ni code de séance, ni heure de réponse, et rien ne relie les réponses d'une "
            f"même personne au début et à la fin.</p>{extra}"
        )


def show(page: str) -> None:
    """Display the trainer's evaluation page; a data or database problem is a French message."""
    display_exercise(lambda: EvaluationView(page).root, (SalleError,))
