"""Tests of the pure model and the printable report of « Suis-je prêt·e à accueillir un travailleur pair ou une travailleuse paire ? ».

Why: the review must stay supportive and honest — « Je ne sais pas » never lowers a score, the
next steps start with the biggest gaps, a blank stays visible as « à discuter » — and every wrong
input must give a French message a team can read, never a Python traceback. The printable page is
what teams keep: it must hold every answer, escape the text and open without any server.
"""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.errors import InputError
from widgets.fr import format_date
from widgets.pret import content, report
from widgets.pret.model import (
    Item,
    Level,
    PretAssessment,
    Theme,
    summary_sentence,
)

THEMES = (Theme("posture", "Posture", "Intro posture"), Theme("cadre", "Cadre", "Intro cadre"))


def make_item(iid: str, theme: str = "posture") -> Item:
    return Item(iid, theme, f"Affirmation {iid}", f"Force {iid}", f"Vigilance {iid}", f"Action {iid}", f"Source {iid}")


def assessment(*specs: tuple[str, str]) -> PretAssessment:
    """Hand-made statements: ``("a", "posture"), ("b", "cadre")…``; default: a, b, c in posture, d in cadre."""
    specs = specs or (("a", "posture"), ("b", "posture"), ("c", "posture"), ("d", "cadre"))
    return PretAssessment(tuple(make_item(i, t) for i, t in specs), THEMES)


def assert_french(message: str, word: str) -> None:
    assert word in message
    for english in ("Traceback", "Error", "KeyError", "not in", "object", "None", "True"):
        assert english not in message


def score_of(review, theme_id: str):
    return next(s for s in review.themes if s.theme.id == theme_id)


# ------------------------------------------------------------------------------------ answering


@pytest.mark.parametrize(
    ("given_level", "expected"),
    [
        (Level.YES, Level.YES),
        ("Oui", Level.YES),
        ("En partie", Level.PARTLY),
        ("pas encore", Level.NOT_YET),  # the label's case does not matter
        ("  Je ne sais pas ", Level.UNSURE),
    ],
)
def test_answer_accepts_levels_and_french_labels(given_level, expected):
    ex = assessment()

    assert ex.answer("a", given_level) is expected
    assert ex.answer_of("a") is expected


def test_answering_again_replaces_the_previous_answer():
    ex = assessment()
    ex.answer("a", "Pas encore")

    ex.answer("a", "Oui")

    review = ex.review()
    assert ex.answer_of("a") is Level.YES
    assert [p.item_id for p in review.strengths] == ["a"]
    assert review.vigilance == () and review.next_steps == ()


def test_clear_puts_a_statement_back_to_discuss():
    ex = assessment()
    ex.answer("a", "Oui")

    ex.clear("a")
    ex.clear("a")  # clearing twice is harmless

    review = ex.review()
    assert ex.answer_of("a") is None
    assert review.strengths == ()
    assert [i.id for i in review.unanswered] == ["a", "b", "c", "d"]


def test_reset_forgets_every_answer():
    ex = assessment()
    for iid, level in (("a", "Oui"), ("b", "En partie"), ("c", "Pas encore"), ("d", "Je ne sais pas")):
        ex.answer(iid, level)

    ex.reset()

    review = ex.review()
    assert review.answered == 0
    assert review.strengths == review.vigilance == review.next_steps == review.unsure == ()
    assert len(review.unanswered) == 4
    assert all(s.percent is None for s in review.themes)
    assert "Répondez aux affirmations" in review.summary


# ------------------------------------------------------------------------------------ the review


def test_each_level_feeds_the_right_list_with_the_right_text():
    ex = assessment()
    ex.answer("a", "Oui")
    ex.answer("b", "En partie")
    ex.answer("c", "Pas encore")
    ex.answer("d", "Je ne sais pas")

    review = ex.review()

    assert [(p.item_id, p.text) for p in review.strengths] == [("a", "Force a")]
    assert [(p.item_id, p.text, p.level) for p in review.vigilance] == [
        ("b", "Vigilance b", Level.PARTLY),
        ("c", "Vigilance c", Level.NOT_YET),
    ]
    assert [i.id for i in review.unsure] == ["d"]
    assert review.unanswered == ()
    assert review.answered == 4


def test_next_steps_start_with_the_biggest_gaps():
    ex = assessment(("a", "posture"), ("b", "posture"), ("c", "cadre"), ("d", "cadre"), ("e", "cadre"), ("f", "cadre"))
    ex.answer("a", "Je ne sais pas")
    ex.answer("b", "En partie")
    ex.answer("c", "Oui")
    ex.answer("d", "Pas encore")
    ex.answer("e", "En partie")
    ex.answer("f", "Pas encore")

    steps = ex.review().next_steps

    assert [p.item_id for p in steps] == ["d", "f", "b", "e", "a"]
    assert [p.level for p in steps] == [Level.NOT_YET, Level.NOT_YET, Level.PARTLY, Level.PARTLY, Level.UNSURE]
    assert [p.text for p in steps] == ["Action d", "Action f", "Action b", "Action e", "Action a"]


def test_unanswered_items_are_listed_to_discuss_and_not_as_next_steps():
    ex = assessment()
    ex.answer("b", "Oui")

    review = ex.review()

    assert [i.id for i in review.unanswered] == ["a", "c", "d"]
    assert review.next_steps == ()
    assert [r.answer_text for r in review.rows] == ["à discuter", "Oui", "à discuter", "à discuter"]


def test_theme_score_weights_yes_one_partly_half():
    ex = assessment(("a", "posture"), ("b", "posture"), ("c", "posture"), ("d", "posture"), ("e", "cadre"))
    ex.answer("a", "Oui")
    ex.answer("b", "En partie")
    ex.answer("c", "Pas encore")
    ex.answer("d", "Oui")

    posture = score_of(ex.review(), "posture")

    assert (posture.yes, posture.partly, posture.not_yet, posture.unsure, posture.unanswered) == (2, 1, 1, 0, 0)
    assert posture.percent == pytest.approx(62.5)  # (1 + 0.5 + 0 + 1) / 4
    assert posture.text == "63\u202f%"  # rounded half up, with a narrow no-break space before « % »


@pytest.mark.parametrize(
    ("answers", "text"),
    [
        (("Oui", "Oui", "Pas encore"), "67\u202f%"),
        (("Oui", "Pas encore", "Pas encore"), "33\u202f%"),
        (("En partie", "Pas encore", "Pas encore"), "17\u202f%"),
        (("Pas encore",), "0\u202f%"),
    ],
)
def test_theme_percentage_is_rounded_to_a_whole_number(answers, text):
    ex = assessment()
    for iid, level in zip("abc", answers, strict=False):
        ex.answer(iid, level)

    assert score_of(ex.review(), "posture").text == text


def test_chart_writes_each_theme_value_on_its_bar():
    from widgets.pret.chart import themes_figure

    ex = assessment()
    ex.answer("a", "Oui")
    ex.answer("b", "En partie")
    ex.answer("d", "Je ne sais pas")

    figure = themes_figure(ex.review().themes)
    bar = figure.data[0]

    assert bar.orientation == "h"
    assert list(bar.text) == ["75\u202f%", "à discuter"]
    assert list(bar.x) == [75, 0]
    assert bar.textposition == "outside"
    # Each theme is named above its bar (not as an axis label that would squeeze the bars on a phone),
    # with what was answered: « Je ne sais pas » counts as an answer, though not in the percentage.
    # The count wraps on a phone, never inside the quoted answer (no-break spaces there).
    labels = [a.text for a in figure.layout.annotations]
    assert [label.split("<br>")[0] for label in labels] == ["<b>Posture</b>", "<b>Cadre</b>"]
    assert labels[0].endswith("2 réponses sur 3")
    assert labels[1].endswith("1 réponse sur 1, dont 1<br>«\u202fJe\u00a0ne\u00a0sais\u00a0pas\u202f»")
    assert figure.layout.yaxis.showticklabels is False


def test_unsure_is_counted_apart_and_never_lowers_the_score():
    ex = assessment()
    ex.answer("a", "Oui")
    ex.answer("b", "Je ne sais pas")
    ex.answer("c", "Je ne sais pas")

    posture = score_of(ex.review(), "posture")

    assert posture.percent == 100
    assert posture.unsure == 2 and posture.scored == 1 and posture.total == 3
    assert posture.text == "100\u202f%"


def test_theme_without_scored_answer_has_no_percentage_but_says_why():
    ex = assessment()
    ex.answer("d", "Je ne sais pas")

    review = ex.review()

    assert score_of(review, "posture").percent is None
    assert score_of(review, "posture").text == "pas encore de réponse"
    assert score_of(review, "cadre").percent is None
    assert score_of(review, "cadre").text == "à discuter"


def test_themes_keep_their_order_and_items_are_grouped_by_theme():
    # Statements given out of theme order are shown theme by theme, file order kept inside a theme.
    ex = assessment(("x", "cadre"), ("a", "posture"), ("y", "cadre"), ("b", "posture"))

    assert [i.id for i in ex.items] == ["a", "b", "x", "y"]
    assert [i.id for i in ex.items_of("cadre")] == ["x", "y"]
    assert [s.theme.id for s in ex.review().themes] == ["posture", "cadre"]


# ------------------------------------------------------------------------------------- summary


def test_summary_before_any_answer_invites_to_start():
    assert summary_sentence(4, 0, 0, 0, 4).startswith("Répondez aux affirmations")


def test_summary_when_everything_is_ready():
    assert summary_sentence(3, 3, 0, 0, 0).startswith("Bravo")


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((4, 1, 2, 1, 0), "Votre équipe a déjà 1 force, 2 points de vigilance et 1 point à discuter."),
        ((4, 2, 2, 0, 0), "Votre équipe a déjà 2 forces et 2 points de vigilance."),
        ((4, 3, 0, 0, 1), "Votre équipe a déjà 3 forces et 1 point à discuter."),
        ((4, 0, 1, 1, 2), "Votre bilan compte 1 point de vigilance et 3 points à discuter."),
        ((4, 0, 4, 0, 0), "Votre bilan compte 4 points de vigilance."),
    ],
)
def test_summary_names_strengths_first_and_stays_supportive(counts, expected):
    sentence = summary_sentence(*counts)

    assert sentence.startswith(expected)
    assert "pas un examen" in sentence
    assert "échec" not in sentence.split("pas un examen")[0]


def test_review_summary_matches_the_answers():
    ex = assessment()
    ex.answer("a", "Oui")
    ex.answer("b", "Pas encore")

    assert ex.review().summary.startswith("Votre équipe a déjà 1 force, 1 point de vigilance et 2 points à discuter.")


# ---------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("item_id", "level", "word"),
    [
        pytest.param("inconnue", "Oui", "« inconnue »", id="unknown-item"),
        pytest.param("a", "Peut-être", "« Peut-être »", id="unknown-level"),
        pytest.param("a", "", "n'existe pas", id="empty-level"),
        pytest.param("a", None, "Choisissez une réponse", id="no-level"),
        pytest.param("a", 1, "n'existe pas", id="number"),
        pytest.param("a", True, "n'existe pas", id="bool"),
        pytest.param(None, "Oui", "n'existe pas", id="no-item"),
        pytest.param(["a"], "Oui", "n'existe pas", id="list-item"),
    ],
)
def test_bad_answer_gives_french_message_and_keeps_previous_answer(item_id, level, word):
    ex = assessment()
    ex.answer("a", "En partie")

    with pytest.raises(InputError) as caught:
        ex.answer(item_id, level)

    assert_french(str(caught.value), word)
    assert ex.answer_of("a") is Level.PARTLY
    assert ex.review().answered == 1


def test_unknown_level_lists_the_four_answers():
    with pytest.raises(InputError) as caught:
        Level.from_label("Bof")

    for label in ("« Oui »", "« En partie »", "« Pas encore »", "« Je ne sais pas »"):
        assert label in str(caught.value)


def test_unknown_item_or_theme_in_lookups():
    ex = assessment()
    for lookup in (ex.item, ex.answer_of, ex.clear, ex.items_of):
        with pytest.raises(InputError) as caught:
            lookup("nulle-part")
        assert_french(str(caught.value), "« nulle-part »")


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


@pytest.mark.parametrize(
    ("items", "themes", "word"),
    [
        pytest.param((), THEMES, "aucune affirmation", id="no-items"),
        pytest.param((make_item("a"),), (), "Aucun thème", id="no-themes"),
        pytest.param((make_item("a"), make_item("a")), THEMES, "« a » apparaît deux fois", id="duplicate-item"),
        pytest.param((make_item("a", "ailleurs"),), THEMES, "« ailleurs »", id="unknown-theme"),
        pytest.param((make_item("a"),), (*THEMES, Theme("cadre", "Autre", "x")), "même identifiant", id="dup-theme"),
    ],
)
def test_bad_content_is_refused_in_french(items, themes, word):
    with pytest.raises(InputError) as caught:
        PretAssessment(items, themes)

    assert_french(str(caught.value), word)


# ----------------------------------------------------------------------------------- properties


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([None, *Level]), min_size=1, max_size=12))
def test_review_is_consistent_for_any_answers(levels):
    specs = tuple((f"i{n}", "posture" if n % 2 else "cadre") for n in range(len(levels)))
    ex = assessment(*specs)
    for (iid, _), level in zip(specs, levels, strict=False):
        if level is not None:
            ex.answer(iid, level)

    review = ex.review()

    answered = [lv for lv in levels if lv is not None]
    assert review.answered == len(answered)
    assert len(review.strengths) == answered.count(Level.YES)
    assert len(review.vigilance) == answered.count(Level.PARTLY) + answered.count(Level.NOT_YET)
    assert len(review.next_steps) == len(answered) - answered.count(Level.YES)
    assert len(review.unanswered) == levels.count(None)
    # Every statement is in exactly one place: strengths, vigilance, unsure or blank.
    placed = len(review.strengths) + len(review.vigilance) + len(review.unsure) + len(review.unanswered)
    assert placed == len(levels)
    order = {Level.NOT_YET: 0, Level.PARTLY: 1, Level.UNSURE: 2}
    ranks = [order[p.level] for p in review.next_steps]
    assert ranks == sorted(ranks)
    for score in review.themes:
        assert score.total == sum(1 for _, theme in specs if theme == score.theme.id)
        if score.percent is not None:
            assert 0 <= score.percent <= 100
        else:
            assert score.scored == 0


# ---------------------------------------------------------------------------------------- report


def filled_review():
    ex = assessment()
    ex.answer("a", "Oui")
    ex.answer("b", "En partie")
    ex.answer("d", "Je ne sais pas")
    return ex.review()


def test_french_date_is_written_out_whatever_the_locale():
    assert format_date(date(2023, 12, 20)) == "20 décembre 2023"
    assert format_date(date(2024, 3, 1)) == "1er mars 2024"
    assert format_date(date(2025, 8, 15)) == "15 août 2025"


def test_report_holds_title_date_answers_lists_and_source():
    page = report.build_report(filled_review(), date(2024, 3, 1))

    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in page and '<meta charset="utf-8">' in page
    assert "Suis-je prêt·e à accueillir un travailleur pair ou une travailleuse paire ?" in page
    assert "1er mars 2024" in page
    for text in (
        "Affirmation a",
        "✔ Oui",
        "≈ En partie",
        "? Je ne sais pas",
        "— à discuter",
        "Force a",
        "Vigilance b",
        "Action b",
        "Action d",
        "Source a",
    ):
        assert text in page, text
    assert "Force b" not in page and "Vigilance a" not in page
    assert "Atelier 6, journée régionale travail pair et participation, Lyon, 20 décembre 2023" in page
    assert "ni enregistré ni envoyé" in page
    # Next steps: « En partie » (b) before « Je ne sais pas » (d).
    assert page.index("Action b") < page.index("Action d")


def test_report_is_self_contained():
    page = report.build_report(filled_review(), date(2024, 3, 1))

    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@media print" in page


def test_report_escapes_the_statements():
    ex = PretAssessment((Item("x", "posture", "<b>R&D</b>", "F <i>", "V", "A", "S"),), THEMES)
    ex.answer("x", "Oui")

    page = report.build_report(ex.review(), date(2024, 1, 2))

    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in page and "<b>R&D</b>" not in page
    assert "F &lt;i&gt;" in page


def test_data_uri_round_trips_the_page():
    page = report.build_report(filled_review(), date(2024, 3, 1))

    uri = report.data_uri(page)

    prefix = "data:text/html;charset=utf-8;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).decode("utf-8") == page


def test_discuss_list_folds_blanks_only_on_screen():
    review = filled_review()  # c is blank, d is « Je ne sais pas »

    on_paper = report.discuss_list(review)
    on_screen = report.discuss_list(review, fold_unanswered=True)

    assert "<details>" not in on_paper and "Affirmation c" in on_paper and "Affirmation d" in on_paper
    assert "<details>" in on_screen and "1 affirmation sans réponse" in on_screen
    assert on_screen.index("Affirmation d") < on_screen.index("<details>")


def test_empty_lists_say_so():
    review = assessment().review()

    assert "Aucune force" in report.strengths_list(review)
    assert "Aucun point de vigilance" in report.vigilance_list(review)
    assert "Aucune prochaine étape" in report.next_steps_list(review)


# ---------------------------------------------------------------------------------- real content


def test_real_content_loads_and_every_statement_can_be_answered():
    items = content.load_items()
    themes = content.load_themes()
    ex = PretAssessment(items, themes)

    assert len(items) == 16
    assert {i.theme for i in items} == {t.id for t in themes}
    for item in items:
        assert item.statement and item.strength and item.vigilance and item.action and item.source
        assert "Atelier" in item.source or "Conclusion" in item.source or "atelier" in item.source

    levels = list(Level)
    for n, item in enumerate(ex.items):
        ex.answer(item.id, levels[n % 4])
    review = ex.review()

    assert review.answered == 16 and review.unanswered == ()
    assert len(review.strengths) + len(review.vigilance) + len(review.unsure) == 16
    assert [p.level for p in review.next_steps][:1] == [Level.NOT_YET]
    page = report.build_report(review, date(2023, 12, 20))
    for item in items:
        assert report.html.escape(item.statement) in page


def test_real_content_all_yes_gives_full_scores():
    ex = PretAssessment(content.load_items(), content.load_themes())
    for item in ex.items:
        ex.answer(item.id, "Oui")

    review = ex.review()

    assert all(s.percent == 100 and s.text == "100\u202f%" for s in review.themes)
    assert review.summary.startswith("Bravo")
    assert review.next_steps == ()


# ------------------------------------------------------------------ the view keeps answers in the browser


def test_view_saves_restores_and_erases_the_answers():
    from widgets.pret.model import Level, PretAssessment
    from widgets.pret.view import PretView

    items, themes = content.load_items(), content.load_themes()
    view = PretView(PretAssessment(items, themes))
    view.rows[0].choice.value = Level.YES
    view.rows[3].choice.value = Level.UNSURE
    saved = view.memory.saved
    assert f'"{items[0].id}":"Oui"' in saved and f'"{items[3].id}":"Je ne sais pas"' in saved

    again = PretView(PretAssessment(items, themes))
    again.memory.restored = saved[:-2] + ',"inconnue":"Oui","' + items[1].id + '":"Peut-être"}}'
    assert again.assessment.answer_of(items[0].id) is Level.YES
    assert again.assessment.answer_of(items[3].id) is Level.UNSURE
    assert again.assessment.answer_of(items[1].id) is None  # an answer that does not exist is ignored
    assert again.rows[0].choice.value is Level.YES and "Force" in again.rows[0].feedback.value
    assert "2 affirmations sur" in again.summary.value

    again._on_reset()
    assert again.memory.saved == "" and again.assessment.review().answered == 0
    assert all(row.choice.value is None for row in again.rows)
