"""What the group's evaluations ask, read from the course's own files (one source for each).

- the quiz du groupe: a chapter's self-check, ``data/quiz/<chapitre>.yml`` through
  :mod:`widgets.quiz.content` (the same questions, answers and explanations as the book);
- « Suis-je prêt·e ? »: the statements of ``data/pret/items.yml`` through :mod:`widgets.pret.content`;
- the questionnaire: ``data/kit/questionnaire.yml`` through :mod:`widgets.kit.content`, with the
  objectives a ready session works on (or those of one chapter) added first, as the printed
  questionnaire does (:func:`widgets.kit.page.questionnaire_html`).

A round keeps only its tag (:class:`~widgets.salle.evaluation.Tag`); its content is read again from
these files when a page is drawn, as the continuum does with its situations. An item that left the
files during the session reads as unknown: the phone is told so in French, nothing crashes.
"""

from __future__ import annotations

from functools import lru_cache

from widgets.data import DataFileError
from widgets.salle.evaluation import (
    PRET_CHOICES,
    SCALE_CHOICES,
    EvalItem,
    Kind,
    Option,
    Tag,
    quiz_options,
    read_tag,
)
from widgets.salle.model import Activity, Round, SalleError

PRET_SOURCE = "pret"
OBJECTIVE_PREFIX = "objectif-"


def quiz_chapters() -> list[tuple[str, str]]:
    """(key, label) of every chapter with a self-check, in the course's order: « Chapitre 5 — Accueillir… »."""
    from widgets.kit.chapters import load_chapters
    from widgets.quiz.content import quiz_chapters as keys

    titles = {chapter.id.split("-", 1)[1]: chapter.short_title for chapter in load_chapters()}
    found = [(key, titles.get(key, key)) for key in keys()]
    return sorted(found, key=lambda pair: pair[1] if pair[1] != pair[0] else f"~{pair[0]}")


def quiz_items(chapter: str) -> tuple[EvalItem, ...]:
    """The chapter's self-check as evaluation items, the course's explanation with each answer."""
    from widgets.quiz.content import load_questions
    from widgets.quiz.content import quiz_chapters as keys

    if chapter not in keys():
        raise SalleError(f"Le chapitre « {chapter[:40]} » n'a pas de questions d'auto-évaluation.")
    items = []
    for question in load_questions(chapter):
        ids = quiz_options(len(question.answers))
        items.append(
            EvalItem(
                id=question.id,
                text=question.text,
                kind=Kind.SEVERAL if question.multiple else Kind.ONE,
                options=tuple(Option(i, a.text) for i, a in zip(ids, question.answers, strict=True)),
                right=frozenset(i for i, a in zip(ids, question.answers, strict=True) if a.correct),
                explanations=tuple(a.explanation for a in question.answers),
            )
        )
    return tuple(items)


def pret_items() -> tuple[EvalItem, ...]:
    """The « Suis-je prêt·e ? » statements, answered with the exercise's four levels."""
    from widgets.pret.content import load_items

    options = tuple(Option(i, label) for i, label in PRET_CHOICES)
    return tuple(EvalItem(item.id, item.statement, Kind.ONE, options) for item in load_items())


def questionnaire_sources() -> list[tuple[str, str]]:
    """What can add objectives to the questionnaire: a ready session, a chapter, or nothing."""
    from widgets.kit.chapters import load_chapters
    from widgets.kit.page import ready_plan
    from widgets.kit.plans import plan_ids

    sources = [(f"Séance prête : {ready_plan(p).title}", f"plan:{p}") for p in plan_ids()]
    sources += [(chapter.short_title, f"chapitre:{chapter.id}") for chapter in load_chapters()]
    return [*sources, ("Sans objectifs de chapitre", "")]


@lru_cache(maxsize=16)
def objectives(source: str) -> tuple[str, ...]:
    """The objectives a questionnaire adds (« À la fin de la séance, je sais … »).

    For a ready session, only the objectives its chapter steps work on
    (:func:`widgets.kit.objectives.session_objectives`, the very function the printed questionnaire
    calls in :func:`widgets.kit.page.questionnaire_html`), so that the paper sheet and the phones ask
    the same questions; for a chapter, every objective of its fiche.
    """
    from widgets.kit.chapters import load_chapters
    from widgets.kit.objectives import session_objectives

    kind, _, key = source.partition(":")
    if kind == "plan":
        try:
            covered = session_objectives(key)
        except KeyError:
            raise SalleError(f"« {key[:40]} » n'est pas une séance prête de data/kit/seances.yml.") from None
        return tuple(goal for _chapter, goals in covered for goal in goals)
    chapters = {c.id: c for c in load_chapters()}
    if kind == "chapitre":
        if key not in chapters:
            raise SalleError(f"« {key[:40]} » n'est pas un chapitre du cours.")
        return chapters[key].objectives
    if source:
        raise SalleError("Choisissez une séance prête, un chapitre, ou « Sans objectifs de chapitre ».")
    return ()


def questionnaire_items(source: str) -> tuple[EvalItem, ...]:
    """The questionnaire, learning first (the objectives, then its own questions), then appreciation."""
    from widgets.kit.content import load_questions

    scale = tuple(Option(i, label) for i, label in SCALE_CHOICES)
    items = [
        EvalItem(
            f"{OBJECTIVE_PREFIX}{n}", f"À la fin de la séance, je sais {goal}.", Kind.SCALE, scale, part="apprentissage"
        )
        for n, goal in enumerate(objectives(source), start=1)
    ]
    for question in sorted(load_questions(), key=lambda q: q.part != "apprentissage"):
        kind = Kind.SCALE if question.kind == "echelle" else Kind.TEXT
        items.append(
            EvalItem(question.id, question.text, kind, scale if kind is Kind.SCALE else (), part=question.part)
        )
    return tuple(items)


def items_of(round_: Round) -> tuple[EvalItem, ...]:
    """What a round asks: one quiz question, one statement, or the whole questionnaire."""
    tag = read_tag(round_.tag)
    try:
        if round_.activity is Activity.QUESTIONNAIRE:
            return questionnaire_items(tag.source)
        pool = quiz_items(tag.source) if round_.activity is Activity.QUIZ else pret_items()
    except DataFileError as error:  # a broken data file: said in French, never a traceback on a phone
        raise SalleError(f"Le contenu de cette question est illisible : {error}") from None
    found = next((item for item in pool if item.id == tag.question), None)
    if found is None:
        raise SalleError("Cette question n'est plus dans le cours : la personne qui anime doit en choisir une autre.")
    return (EvalItem("", found.text, found.kind, found.options, found.right, found.explanations),)


def question_of(activity: Activity, tag: Tag) -> EvalItem:
    """The item a quiz or « Suis-je prêt·e ? » round would ask (checked before the round starts)."""
    pool = quiz_items(tag.source) if activity is Activity.QUIZ else pret_items()
    found = next((item for item in pool if item.id == tag.question), None)
    if found is None:
        raise SalleError(f"La question « {tag.question[:40]} » n'existe pas dans cette liste.")
    return found
