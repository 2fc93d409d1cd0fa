"""The evaluations' pure model, content and exports: what a phone may send, how the group is counted,
and what the files never hold (a code, a token, a pseudonym, a time, a link between two answers)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from widgets.kit.page import questionnaire_html
from widgets.quiz.content import load_questions, quiz_chapters
from widgets.salle import eval_content, eval_report
from widgets.salle.evaluation import (
    ABSTAIN,
    MAX_TEXT,
    Answer,
    EvalItem,
    Kind,
    Moment,
    Option,
    Tag,
    changes,
    item_result,
    pseudonym,
    read_answer,
    read_answers,
    read_tag,
    respondents,
)
from widgets.salle.model import Activity, Round, RoundState, SalleError, SessionInfo, Snapshot

ONE = EvalItem(
    "", "Qui fait du travail pair ?", Kind.ONE, (Option("r1", "Elle"), Option("r2", "Lui")), frozenset({"r2"})
)
SEVERAL = EvalItem(
    "",
    "Quels outils ?",
    Kind.SEVERAL,
    (Option("r1", "A"), Option("r2", "B"), Option("r3", "C")),
    frozenset({"r1", "r3"}),
)
TEXT = EvalItem("appris", "Une chose apprise :", Kind.TEXT, part="apprentissage")


def test_a_phone_sends_one_of_the_options_or_passes_and_anything_else_is_a_french_refusal():
    assert read_answer(ONE, ["r2"]) == "r2" and read_answer(ONE, ["passe"]) == ABSTAIN
    assert read_answer(ONE, []) is None and read_answer(ONE, [""]) is None
    assert read_answer(SEVERAL, ["r3", "r1"]) == "r1+r3"  # in the options' order, whatever the form's
    assert read_answer(SEVERAL, ["r1", ABSTAIN]) == ABSTAIN  # « Je passe » wins over ticked boxes
    for sent, said in (
        (["r9"], "n'existe pas"),
        (["r1+r2"], "n'existe pas"),
        (["<script>"], "n'existe pas"),
        (["r1", "r2"], "Une seule réponse"),
    ):
        with pytest.raises(SalleError, match=said):
            read_answer(ONE, sent)
    with pytest.raises(SalleError, match="Rien n'a été envoyé"):
        read_answers([ONE], {"autre": ["r1"]})


def test_free_text_is_cleaned_limited_and_an_emptied_text_erases_the_answer():
    assert read_answer(TEXT, ["  Écouter\u202e l'autre  \r\n\r\n  vraiment "]) == "Écouter l'autre\n\nvraiment"
    assert read_answer(TEXT, ["   "]) is None
    assert read_answer(TEXT, ["é" * MAX_TEXT]) == "é" * MAX_TEXT
    with pytest.raises(SalleError, match=rf"trop long \({MAX_TEXT + 1} caractères\) : {MAX_TEXT} au plus"):
        read_answer(TEXT, ["é" * (MAX_TEXT + 1)])


def test_a_pseudonym_belongs_to_one_round_and_a_tag_reads_back():
    first, second = pseudonym("cle", 1, "jeton"), pseudonym("cle", 2, "jeton")
    assert first != second and first == pseudonym("cle", 1, "jeton") and "jeton" not in first
    tag = Tag(Moment.BEFORE, "accueillir", "accueillir-1")
    assert read_tag(tag.text()) == tag and read_tag("n'importe quoi") == Tag(Moment.ALONE, "", "")


def round_(rid: int, activity: Activity, tag: Tag, state: RoundState = RoundState.REVEALED) -> Round:
    return Round(rid, rid, activity, activity.value, "?", ("r1", "r2", ABSTAIN), ("",), state, tag=tag.text())


def answers(rid: int, *values: str, paper: bool = False, item: str = "") -> list[Answer]:
    return [Answer(rid, item, v, paper, f"{'papier' if paper else 'tel'}-{rid}-{n}") for n, v in enumerate(values)]


def test_the_group_is_compared_before_and_after_by_counts_the_last_answered_round_of_each_moment():
    before, after = Tag(Moment.BEFORE, "c", "q1"), Tag(Moment.AFTER, "c", "q1")
    rounds = [
        round_(1, Activity.QUIZ, before),
        round_(2, Activity.QUIZ, before),  # asked again, but nobody answered: round 1 stays
        round_(3, Activity.QUIZ, Tag(Moment.ALONE, "c", "q1")),  # a lone quiz is not compared
        round_(4, Activity.QUIZ, after),
        round_(5, Activity.PRET, Tag(Moment.AFTER, "pret", "equite")),
    ]
    pret = EvalItem(
        "", "Équité", Kind.ONE, tuple(Option(i, i) for i in ("oui", "en-partie", "pas-encore", "ne-sait-pas"))
    )
    given = [
        *answers(1, "r1", "r2", ABSTAIN),
        *answers(3, "r2"),
        *answers(4, "r2", "r2", "r2", "r1"),
        *answers(5, "oui", "en-partie", "ne-sait-pas"),
    ]
    found = changes(rounds, {1: ONE, 2: ONE, 3: ONE, 4: ONE, 5: pret}, given)
    assert [(c.activity, c.before is not None, c.after is not None) for c in found] == [
        (Activity.QUIZ, True, True),
        (Activity.PRET, False, True),
    ]
    quiz = found[0]
    assert quiz.before is not None and quiz.after is not None and found[1].after is not None
    assert (quiz.before.exactly_right, quiz.before.answered, quiz.before.abstained) == (1, 2, 1)
    assert (quiz.after.exactly_right, quiz.after.answered) == (3, 4)
    assert eval_report.moment_text(quiz, quiz.before) == "1 sur 2 (50\u00a0%), 1 « je passe »"
    assert eval_report.difference(quiz) == "+25 points"
    assert found[1].after.pret_score() == 0.75  # « Je ne sais pas » apart, « En partie » one half
    several = item_result(SEVERAL, answers(9, "r1+r3", "r1", "r3+r2"))
    assert [c.count for c in several.counts] == [2, 1, 2] and several.exactly_right == 1
    assert respondents([*answers(1, "r1", "r2"), *answers(1, "r1", paper=True)], 1).total == 3


def evaluations(texts: list[tuple[str, bool]]) -> eval_report.Evaluations:
    session = SessionInfo("482913", 1_800_000_000.0, 1_800_043_200.0, None, 3, None, 0)
    rounds = (
        round_(1, Activity.QUIZ, Tag(Moment.BEFORE, "pairite", load_questions("pairite")[0].id)),
        round_(2, Activity.QUIZ, Tag(Moment.AFTER, "pairite", load_questions("pairite")[0].id)),
        Round(
            3,
            3,
            Activity.QUESTIONNAIRE,
            "questionnaire",
            "Questionnaire",
            ("un-peu", ABSTAIN),
            ("",),
            RoundState.VOTE,
            tag="||",
        ),
    )
    given = [*answers(1, "r1", "r2"), *answers(2, "r2", "r2", "r1")]
    given += [Answer(3, "appris", text, paper, f"v{n}") for n, (text, paper) in enumerate(texts)]
    given += [Answer(3, "rythme", "un-peu", False, "v0"), Answer(3, "rythme", "tout-a-fait", True, "v1")]
    return eval_report.collect(Snapshot(session, rounds, ()), tuple(given))


HOSTILE = ['=HYPERLINK("http://pirate.example")', "<script>alert(1)</script>", "Écouter l'autre", "+33 6 12"]


def test_exports_hold_counts_and_sorted_texts_never_a_code_a_pseudonym_or_a_time():
    found = evaluations([(HOSTILE[0], False), (HOSTILE[1], True), (HOSTILE[2], False), (HOSTILE[3], False)])
    before_after = eval_report.changes_csv(found)
    rows = list(csv.DictReader(io.StringIO(before_after), delimiter=";"))
    assert {r["ligne"]: (r["avant"], r["apres"]) for r in rows}["Personnes qui ont répondu"] == ("2", "3")
    questionnaire = eval_report.questionnaire_csv(found)
    rows = list(csv.DictReader(io.StringIO(questionnaire), delimiter=";"))
    texts = [(r["reponse"], r["papier"]) for r in rows if r["question"].startswith("Une chose que j'ai")]
    # Phones first then paper, each sorted: the order tells nothing; formulas neutralised.
    assert texts == [
        ("'+33 6 12", "0"),
        ('\'=HYPERLINK("http://pirate.example")', "0"),
        ("Écouter l'autre", "0"),
        (HOSTILE[1], "1"),
    ]
    came = next(r for r in rows if r["question"] == "Questionnaires reçus")
    assert (came["telephones"], came["papier"]) == ("3", "1")
    for text in (before_after, questionnaire, eval_report.changes_html(found), eval_report.questionnaire_html(found)):
        assert "482913" not in text and not re.search(r"\bv\d\b|tel-\d|papier-\d", text)
        assert not re.search(r"\b\d{1,2} ?(h|:)\d{2}\b", text)  # no time of day, only the day of the session
    page = eval_report.questionnaire_html(found)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "indicateur 11" in page and "indicateur 30" in page
    assert eval_report.file_name("questionnaire", "pdf", found.day) == "questionnaire-fin-de-seance-2027-01-15.pdf"


def test_the_quiz_on_phones_is_the_chapters_self_check_one_source():
    for chapter in quiz_chapters():
        for question, item in zip(load_questions(chapter), eval_content.quiz_items(chapter), strict=True):
            assert item.text == question.text and [o.label for o in item.options] == [a.text for a in question.answers]
            assert item.explanations == tuple(a.explanation for a in question.answers)
            assert {o.id for o in item.options if o.id in item.right} == {
                f"r{n}" for n, a in enumerate(question.answers, 1) if a.correct
            }
            assert (item.kind is Kind.SEVERAL) == question.multiple
    with pytest.raises(SalleError, match="n'a pas de questions"):
        eval_content.quiz_items("../../etc")


def test_the_questionnaire_on_phones_asks_what_the_paper_sheet_asks():
    for source in ("plan:trois-heures", "chapitre:05-accueillir", ""):
        items = eval_content.questionnaire_items(source)
        printed = questionnaire_html(source.removeprefix("plan:") if source.startswith("plan:") else None)
        goals = [i for i in items if i.id.startswith(eval_content.OBJECTIVE_PREFIX)]
        assert all(i.part == "apprentissage" and i.kind is Kind.SCALE for i in goals)
        if source.startswith("plan:"):
            assert goals and all(g.text.replace("'", "&#x27;") in printed for g in goals)
        assert [i.id for i in items if not i.id.startswith(eval_content.OBJECTIVE_PREFIX)] == [
            "appris", "faire", "rythme", "libre", "clair", "binome", "recommander", "gene", "idee",
        ]  # fmt: skip
    assert (
        len(eval_content.questionnaire_items("plan:deux-journees")) > 30
    )  # more than a round's 30 items: read from the tag
    for wrong in ("plan:inconnue", "chapitre:99-rien", "n'importe quoi"):
        with pytest.raises(SalleError):
            eval_content.questionnaire_items(wrong)
