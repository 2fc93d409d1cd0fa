"""The light face's pages: each exercise's model, fed from the page's address, rendered by Jinja2.

A page is a pure function of its address: the answers are in the query (``?pairite-1=0&fait=pairite-1``),
the model decides, a template writes the HTML (autoescaped: statements and explanations come from
data files that trainers edit). Anything in the query that does not fit the exercise is either
ignored (an unknown question, like a stale answer restored by the Voilà face) or answered with the
model's French message (an answer that does not exist, a level that is not one of the four), never
a traceback. :func:`state_query` is what the page keeps of its answers: the clean version of the
address, which links and the browser's memory reuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup

from widgets.continuum.content import load_situations, load_steps
from widgets.continuum.model import ContinuumExercise, Placement, Situation
from widgets.errors import InputError
from widgets.fr import list_and, typography
from widgets.leger import Exercise, cards
from widgets.pret import report
from widgets.pret.content import load_items, load_themes
from widgets.pret.model import Level, PretAssessment, Review
from widgets.quiz.content import load_questions
from widgets.quiz.model import QuizAttempt

Query = Mapping[str, Sequence[str]]
TEMPLATES = Path(__file__).parent / "templates"
#: Inline in each exercise's head (its hash is in the page's CSP): opened again from the book, the
#: exercise goes back to the answers this browser kept, before anything is drawn.
RESTORE_SCRIPT = (Path(__file__).parent / "static" / "reprise.js").read_text(encoding="utf-8").strip()
PRIVACY = (
    "Vos réponses sont dans l'adresse de cette page et dans ce navigateur. L'ordinateur du cours s'en "
    "sert pour vous répondre, mais il ne les garde pas et ne les envoie nulle part. « Tout recommencer » les efface."
)

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,  # a name missing from a page's context is an error, not a blank
)
_environment.filters["fr"] = typography


#: The footer's link to ``../`` on the book's server; the group-mode server names it after its join page.
HOME = "Revenir au cours"


@dataclass(frozen=True)
class Links:
    """Where a page points: its static files (versioned addresses) and the Voilà face."""

    static: Mapping[str, str]  # file name → address relative to the page
    voila: str = ""  # the Voilà face of this exercise, or "" when there is none to offer
    home: str = HOME  # the footer's link to ``../``: the book, or the room's join page


@dataclass
class Page:
    """What the server sends: a status and the HTML."""

    status: int
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def render(template: str, **context: Any) -> str:
    return _environment.get_template(template).render(**context)


def first(query: Query, key: str) -> str:
    values = query.get(key) or ()
    return str(values[0]) if values else ""


def as_index(text: str) -> int:
    """A position typed in an address: a whole number, or -1 (which every model refuses in French)."""
    return int(text) if text.isdigit() and len(text) < 6 else -1


def state_query(pairs: Sequence[tuple[str, str]]) -> str:
    """« ?a=1&b=2 » (or "" when nothing is answered): the page's answers, as an address keeps them."""
    return f"?{urlencode(list(pairs))}" if pairs else ""


def common(exercise: Exercise, links: Links, query: Query, state: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """What every exercise page shows around the exercise: title, links, reset, the kept state."""
    kept = state_query(state)
    reset = state_query([*state, ("recommencer", "1")])
    return {
        "exercise": exercise,
        "title": exercise.title,
        "static": links.static,
        "voila": links.voila,
        "home": links.home,
        "state": kept,
        "keep_link": f"{exercise.name}{kept}",
        "reset_link": f"{exercise.name}{reset}#recommencer",
        "asking_reset": first(query, "recommencer") == "1",
        "erased": first(query, "efface") == "1",
        "privacy": PRIVACY,
        "restore_script": Markup(RESTORE_SCRIPT),  # noqa: S704 - the course's own script file, no input in it
    }


# ------------------------------------------------------------------------------------------ self-check
@dataclass(frozen=True)
class QuizChoice:
    index: int
    label: str
    checked: bool


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    number: int
    text: str
    multiple: bool
    choices: tuple[QuizChoice, ...]
    card: cards.Card | None


def quiz_page(exercise: Exercise, query: Query, links: Links) -> Page:
    """The self-check of a chapter: every question, with the feedback of those validated."""
    attempt = QuizAttempt(load_questions(exercise.chapter))
    picked = {q.id: [as_index(v) for v in query.get(q.id, ()) if v != ""] for q in attempt.questions}
    asked = first(query, "valider")
    wanted = set(query.get("fait", ()))
    if asked == "*":  # the form's default button (Enter without the page's script): every question answered
        wanted |= {qid for qid, chosen in picked.items() if chosen}
    elif asked:
        wanted.add(asked)
    questions = []
    validated: list[str] = []
    for number, question in enumerate(attempt.questions, 1):
        card = None
        if question.id in wanted:
            try:
                card = cards.quiz_card(attempt.answer(question.id, tuple(picked[question.id])))
                validated.append(question.id)
            except InputError as error:
                card = cards.error_card(str(error))
        choices = tuple(
            QuizChoice(index, typography(cards.answer_label(index, answer.text)), index in picked[question.id])
            for index, answer in enumerate(question.answers)
        )
        questions.append(QuizQuestion(question.id, number, typography(question.text), question.multiple, choices, card))
    sizes = {q.id: len(q.answers) for q in attempt.questions}
    state = [(qid, str(i)) for qid, chosen in picked.items() for i in chosen if 0 <= i < sizes[qid]]
    state += [("fait", qid) for qid in validated]
    context = common(exercise, links, query, state)
    chapter_title = exercise.title.removesuffix(" (je vérifie mes connaissances)")
    html = render(
        "quiz.html.j2",
        **context,
        chapter_title=chapter_title,
        questions=questions,
        validated=validated,
        score=attempt.score_text(),
        multiple_hint=cards.MULTIPLE_HINT,
    )
    return Page(200, html)


# ------------------------------------------------------------------------------------------ continuum
def continuum_page(exercise: Exercise, query: Query, links: Links) -> Page:
    """One situation at a time, as the Voilà face: « Valider ma réponse », previous, next."""
    model = ContinuumExercise(load_steps(), load_situations())
    situations = model.situations
    for situation in situations:  # the answers given before, kept in the address (like a restore)
        kept = as_index(first(query, f"r-{situation.id}"))
        if kept in model.positions:
            model.answer(situation.id, kept)
    index = as_index(first(query, "s"))
    index = index if 0 <= index < len(situations) else 0
    gesture = first(query, "geste")
    card = None
    if gesture == "valider":
        chosen = first(query, "choix")
        position = int(chosen) if chosen.isdigit() and len(chosen) < 6 else (chosen or None)
        try:
            # Anything but a step of the grid (a forged « abc ») gets the model's French refusal.
            model.answer(situations[index].id, position)  # type: ignore[arg-type]
        except InputError as error:
            card = cards.error_card(str(error))
    elif gesture in ("suivante", "precedente"):
        index = max(0, min(len(situations) - 1, index + (1 if gesture == "suivante" else -1)))
    current: Situation = situations[index]
    feedback = model.feedback(current.id)
    if card is None and feedback is not None:
        card = cards.continuum_card(feedback)
    placements = model.placements()
    state = [("s", str(index))] if index else []
    state += [(f"r-{p.situation_id}", str(p.chosen)) for p in placements]
    context = common(exercise, links, query, state)
    html = render(
        "continuum.html.j2",
        **context,
        steps=model.steps,
        index=index,
        total=len(situations),
        situation=current,
        chosen=model.answer_of(current.id),
        card=card,
        question=cards.CONTINUUM_QUESTION,
        score=model.score().text,
        placements=[placement_row(model, p) for p in placements],
        hidden=[(f"r-{p.situation_id}", str(p.chosen)) for p in placements] + [("s", str(index))],
    )
    return Page(200, html)


@dataclass(frozen=True)
class PlacementRow:
    """A line of the table that stands for the Voilà face's chart: the situation, the answer, the reference."""

    title: str
    chosen: str
    reference: str


def placement_row(model: ContinuumExercise, placement: Placement) -> PlacementRow:
    def step(position: int) -> str:
        return f"étape {position}, {model.step(position).label}"

    others = [str(p) for p in placement.accepted if p != placement.reference]
    also = ""
    if others:
        steps = "les étapes" if len(others) > 1 else "l'étape"
        also = f" (le cours accepte aussi {steps} {list_and(others)})"
    return PlacementRow(typography(placement.title), step(placement.chosen), step(placement.reference) + also)


# ------------------------------------------------------------------------------------------ « Suis-je prêt·e ? »
@dataclass(frozen=True)
class PretRow:
    id: str
    number: int
    statement: str
    level: Level | None
    card: cards.Card | None


def pret_answers(query: Query) -> tuple[PretAssessment, dict[str, cards.Card]]:
    """The team's answers read from the address; a level that does not exist gets its French message."""
    assessment = PretAssessment(load_items(), load_themes())
    problems: dict[str, cards.Card] = {}
    for item in assessment.items:
        given = first(query, item.id)
        if given:
            try:
                assessment.answer(item.id, given)
            except InputError as error:
                problems[item.id] = cards.error_card(str(error))
    return assessment, problems


def pret_page(exercise: Exercise, query: Query, links: Links) -> Page:
    """Every statement theme by theme, its message once answered, and the review (the report's own lists)."""
    assessment, problems = pret_answers(query)
    themes = []
    number = 0
    for theme in assessment.themes:
        rows = []
        for item in assessment.items_of(theme.id):
            number += 1
            level = assessment.answer_of(item.id)
            card = problems.get(item.id) or (cards.pret_card(item, level) if level else None)
            rows.append(PretRow(item.id, number, typography(f"{number}. {item.statement}"), level, card))
        themes.append((theme, rows))
    review = assessment.review()
    state = [(row.item.id, row.level.value) for row in review.rows if row.level]
    context = common(exercise, links, query, state)
    html = render(
        "pret.html.j2",
        **context,
        themes=themes,
        levels=list(Level),
        review=review,
        sections=review_sections(review),
        answered=report.answered_sentence(review),
        score_rule=report.SCORE_RULE,
        report_link=f"{exercise.name}/bilan{state_query(state)}",
        report_file=report.FILENAME,
    )
    return Page(200, html)


def review_sections(review: Review) -> dict[str, Markup]:
    """The review's lists and table, written by :mod:`widgets.pret.report` (they escape what they show):
    the screen and the printed review say the same thing."""
    written = {
        "scores": report.scores_table(review),
        "strengths": report.strengths_list(review),
        "vigilance": report.vigilance_list(review),
        "next_steps": report.next_steps_list(review),
        "discuss": report.discuss_list(review, fold_unanswered=True),
    }
    return {name: Markup(html) for name, html in written.items()}  # noqa: S704 - escaped by widgets.pret.report


def pret_report(query: Query, today: date) -> Page:
    """The printable review as a file (``bilan-pret.html``), made from the address: stored nowhere."""
    assessment, _problems = pret_answers(query)
    page = Page(200, report.build_report(assessment.review(), today))
    page.headers["Content-Disposition"] = f'attachment; filename="{report.FILENAME}"'
    return page


# ------------------------------------------------------------------------------------------ other pages
PAGES = {"quiz": quiz_page, "continuum": continuum_page, "pret": pret_page}


def exercise_page(exercise: Exercise, query: Query, links: Links) -> Page:
    return PAGES[exercise.kind](exercise, query, links)


def index_page(exercises: Sequence[Exercise], links: Links) -> Page:
    return Page(
        200, render("index.html.j2", exercises=exercises, static=links.static, home=links.home, title="Exercices")
    )


def error_page(status: int, title: str, text: str, links: Links) -> Page:
    return Page(
        status, render("erreur.html.j2", title=title, text=text, static=links.static, home=links.home, status=status)
    )
