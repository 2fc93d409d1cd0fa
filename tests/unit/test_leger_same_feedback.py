"""One model, two faces: for the same answers, the light page and the Voilà view say the same words.

Each test gives the same answers to both faces of an exercise: the Voilà view (ipywidgets, built here
without a kernel, as the other unit tests build it) and the light page (``widgets.leger.web.respond``,
the function every server calls). It compares what a learner reads in each feedback card, and the
running score: the words, in order, whatever the markup around them (white space is ignored). Every
answer of every question, every step for every situation and every level for every statement is
tried, so a change of wording in one face fails here until the other face follows.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from itertools import combinations
from urllib.parse import urlencode

import pytest

from widgets.continuum.content import load_situations, load_steps
from widgets.continuum.model import ContinuumExercise
from widgets.leger import web
from widgets.pret.content import load_items, load_themes
from widgets.pret.model import Level, PretAssessment
from widgets.quiz.content import load_questions, quiz_chapters


class _Text(HTMLParser):
    """The text inside the element whose ``id`` is given (or of the first element with a class)."""

    def __init__(self, element_id: str = "", class_name: str = ""):
        super().__init__(convert_charrefs=True)
        self.element_id, self.class_name = element_id, class_name
        self.depth = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth:
            if tag not in ("br", "input", "img", "meta", "link"):
                self.depth += 1
        elif not self.done and (
            (self.element_id and attributes.get("id") == self.element_id)
            or (self.class_name and self.class_name in (attributes.get("class") or "").split())
        ):
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def words(markup: str) -> str:
    """What a person reads, white space removed (the faces wrap lines differently)."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def light(path: str, query: list[tuple[str, str]]) -> str:
    response = web.respond(f"/leger/{path}?{urlencode(query)}")
    assert response is not None and response.status == 200, response
    return response.body.decode("utf-8")


def light_part(page: str, element_id: str = "", class_name: str = "") -> str:
    parser = _Text(element_id, class_name)
    parser.feed(page)
    assert parser.done, f"pas d'élément {element_id or class_name} dans la page"
    return re.sub(r"\s+", "", "".join(parser.parts))


def answer_sets(count: int, multiple: bool) -> list[tuple[int, ...]]:
    """Every single answer, and for a question with several right answers every pair and all of them."""
    singles: list[tuple[int, ...]] = [(i,) for i in range(count)]
    return [*singles, *combinations(range(count), 2), tuple(range(count))] if multiple else singles


@pytest.mark.parametrize("chapter", quiz_chapters())
def test_every_answer_of_every_self_check_gets_the_same_feedback(chapter):
    from widgets.quiz.view import QuizView

    for question in load_questions(chapter):
        for chosen in answer_sets(len(question.answers), question.multiple):
            view = QuizView(chapter)
            block = next(b for b in view.blocks if b.question.id == question.id)
            block.choice.selected = list(chosen)
            block.check()
            query = [(question.id, str(i)) for i in chosen] + [("valider", question.id)]
            page = light(f"autoeval-{chapter}", query)
            assert light_part(page, f"retour-{question.id}") == words(block.feedback.value), (question.id, chosen)
            assert light_part(page, class_name="fa-status") == words(view.score.value)


def test_a_self_check_validated_without_a_choice_gets_the_same_french_error():
    from widgets.quiz.view import QuizView

    view = QuizView("savoirs")
    view.blocks[0].check()
    page = light("autoeval-savoirs", [("valider", view.blocks[0].question.id)])
    assert light_part(page, f"retour-{view.blocks[0].question.id}") == words(view.blocks[0].feedback.value)
    assert "Choisissezaumoinsuneréponse" in words(view.blocks[0].feedback.value)


def test_several_questions_give_the_same_score():
    from widgets.quiz.view import QuizView

    view = QuizView("pairite")
    query = []
    for block, index in zip(view.blocks[:4], (0, 1, 0, 1), strict=True):
        block.choice.selected = [index]
        block.check()
        query += [(block.question.id, str(index)), ("fait", block.question.id)]
    page = light("autoeval-pairite", query)
    assert light_part(page, class_name="fa-status") == words(view.score.value)
    for block in view.blocks[:4]:
        assert light_part(page, f"retour-{block.question.id}") == words(block.feedback.value)


def test_every_step_for_every_situation_gets_the_same_feedback_and_score():
    from widgets.continuum.view import ContinuumView

    view = ContinuumView(ContinuumExercise(load_steps(), load_situations()))
    kept: list[tuple[str, str]] = []
    for index, situation in enumerate(view.exercise.situations):
        for step in view.exercise.steps:
            view._go(index)
            view.choice.value = step.position
            view._on_validate(None)
            page = light("continuum", [*kept, ("s", str(index)), ("choix", str(step.position)), ("geste", "valider")])
            assert light_part(page, "retour") == words(view.feedback.value), (situation.id, step.position)
            assert light_part(page, class_name="fa-status") == words(view.score.value)
        kept.append((f"r-{situation.id}", str(view.exercise.steps[-1].position)))  # the last answer stays


def test_a_situation_validated_without_a_step_gets_the_same_french_error():
    from widgets.continuum.view import ContinuumView

    view = ContinuumView(ContinuumExercise(load_steps(), load_situations()))
    view._on_validate(None)
    page = light("continuum", [("geste", "valider")])
    assert light_part(page, "retour") == words(view.feedback.value)
    assert "Choisissezd'abordune" in words(view.feedback.value)


def test_every_level_for_every_statement_gets_the_same_message_and_review():
    from widgets.pret.view import PretView

    items = load_items()
    view = PretView(PretAssessment(items, load_themes()))
    levels = list(Level)
    query: list[tuple[str, str]] = []
    for number, row in enumerate(view.rows):
        for level in levels:
            row.choice.value = level
            page = light("pret", [*query, (row.item.id, level.value)])
            assert light_part(page, f"retour-{row.item.id}") == words(row.feedback.value), (row.item.id, level)
        # Keep a different level per statement, so the review mixes the four kinds of answer.
        kept = levels[number % len(levels)]
        row.choice.value = kept
        query.append((row.item.id, kept.value))
    page = light("pret", query)
    for row in view.rows:
        assert light_part(page, f"retour-{row.item.id}") == words(row.feedback.value)
    # The review: the same summary, the same table, the same lists (the same functions write them).
    assert light_part(page, class_name="fa-status") == words(view.summary.value)
    for box, name in ((view.strengths, "forces"), (view.vigilance, "vigilance"), (view.next_steps, "etapes")):
        assert words(box.value) in light_part(page, "bilan"), name
    assert words(view.scores.value) in light_part(page, "bilan")
