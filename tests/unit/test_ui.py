"""Shared view helpers: a broken exercise opens on a French sentence, numbers read the French way."""

from __future__ import annotations

import pytest

from widgets import fr, ui
from widgets.data import DataFileError
from widgets.quiz.content import quiz_chapters


@pytest.fixture
def shown(monkeypatch):
    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda obj: displayed.append(obj))
    return displayed


def test_a_malformed_data_file_is_displayed_as_a_french_message(shown):
    def build():
        raise DataFileError("data/continuum/situations.csv", 5, "reference", "« 9 » n'est pas une valeur permise.")

    ui.display_exercise(build)

    assert len(shown) == 1
    html = shown[0].data.replace("\u202f", " ")  # French no-break spaces before « : » and inside « »
    assert "L&#x27;exercice ne peut pas s&#x27;ouvrir" in html
    assert "data/continuum/situations.csv, ligne 5, colonne « reference »" in html
    assert 'role="alert"' in html
    assert "Traceback" not in html


def test_model_errors_named_by_the_exercise_are_caught_too(shown):
    class ModelError(ValueError):
        pass

    def build():
        raise ModelError("La grille est vide.")

    ui.display_exercise(build, (ModelError,), "Le simulateur ne peut pas s'ouvrir :")
    assert "La grille est vide." in shown[0].data


def test_other_errors_are_not_hidden(shown):
    def build():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        ui.display_exercise(build)
    assert shown == []


def test_a_built_exercise_is_displayed_as_is(shown):
    root = object()
    ui.display_exercise(lambda: root)
    assert shown == [root]


@pytest.mark.parametrize(
    "text, value",
    [("450", 450.0), ("450,50", 450.5), ("1 200", 1200.0), (" 12,5 € ", 12.5), ("1\u202f200", 1200.0), ("-3", -3.0)],
)
def test_french_numbers_are_read(text, value):
    assert fr.parse_number(text, "Loyer") == value


@pytest.mark.parametrize(
    "text, words", [("", "la case est vide"), ("abc", "n'est pas un nombre"), ("12,5,3", "n'est pas un nombre")]
)
def test_unreadable_numbers_give_a_french_message_naming_the_field(text, words):
    with pytest.raises(ValueError) as caught:
        fr.parse_number(text, "Loyer par mois")
    assert str(caught.value).startswith("Loyer par mois : ")
    assert words in str(caught.value)


def test_euros_are_formatted_the_french_way():
    assert fr.format_euros(1228.78) == "1\u202f228,78\u00a0€"
    assert fr.format_number(-3.5, 1) == "-3,5"


@pytest.mark.parametrize(
    "n, expected",
    [(0, "0 affirmation"), (1, "1 affirmation"), (2, "2 affirmations"), (1234, "1\u202f234 affirmations")],
)
def test_plurals_agree_with_the_number_the_french_way(n, expected):
    assert fr.plural(n, "affirmation") == expected


def test_irregular_plurals_and_agreement_away_from_the_number():
    assert fr.plural(3, "travail", "travaux") == "3 travaux"
    assert fr.plural(1.5, "heure") == "1,5 heure"
    assert fr.plural_word(2, "placée") == "placées"
    assert fr.plural_word(1, "placée") == "placée"


def test_dates_are_written_out_in_french_with_the_first_of_the_month():
    from datetime import date

    assert fr.format_date(date(2026, 10, 1)) == "1er octobre 2026"
    assert fr.format_date(date(2023, 12, 20)) == "20 décembre 2023"
    assert fr.format_date(date(2026, 8, 2)) == "2 août 2026"
    assert len(fr.MONTH_NAMES) == 12 and fr.MONTH_NAMES[0] == "janvier"
    assert fr.format_month(2, 2026) == "février 2026"


@pytest.mark.parametrize(
    "hours, expected",
    [(75.83, "75,83\u00a0h"), (12.5, "12,5\u00a0h"), (151, "151\u00a0h"), (151.6666, "151,67\u00a0h")],
)
def test_hours_use_a_decimal_comma_and_no_useless_zeros(hours, expected):
    assert fr.format_hours(hours) == expected


def test_one_input_error_type_carries_its_field():
    from widgets.errors import InputError

    error = InputError("Loyer mensuel : la case est vide.", "rent")
    assert isinstance(error, ValueError)
    assert str(error) == "Loyer mensuel : la case est vide." and error.field == "rent"
    assert InputError("Choisissez une réponse.").field is None


@pytest.mark.parametrize("index", [3, -1, True, 1.0, "1", None])
def test_a_position_that_designates_nothing_is_an_input_error(index):
    from widgets.errors import InputError, require_index

    with pytest.raises(InputError) as caught:
        require_index(index, 3, "Cette ligne n'existe plus.", "items")
    assert str(caught.value) == "Cette ligne n'existe plus." and caught.value.field == "items"


def test_a_position_within_the_size_is_returned():
    from widgets.errors import require_index

    assert [require_index(i, 3, "jamais") for i in range(3)] == [0, 1, 2]


# ------------------------------------------------------------------ cards, status, tables


def test_cards_carry_no_inline_css_and_only_errors_are_alerts():
    error = ui.message_html("La case est vide.", "error", "Attention :")
    right = ui.message_html("Bravo.", "right", "✔ Juste !", extra="<ul><li>x</li></ul>", say="Juste.")
    assert "<style" not in error + right
    assert 'role="alert"' in error and "role=" not in right
    assert 'class="faire-message faire-message--right"' in right
    assert 'data-fa-say="Juste."' in right and right.endswith("<ul><li>x</li></ul></div>")
    assert "&lt;b&gt;" in ui.message_html("<b>", "info")  # text is escaped, never markup


def test_status_line_is_one_helper_without_live_region():
    status = ui.status_html("Score : 2 points sur 28.", "1 situation sur 14 placée")
    assert status == (
        '<p class="fa-status"><strong>Score\u202f: 2 points sur 28.</strong><br>1 situation sur 14 placée</p>'
    )


def test_tables_label_each_cell_with_its_column_for_phones():
    import pandas as pd

    markup = ui.table_markup(pd.DataFrame([[1, "Être <informé>"]], columns=["Étape", "Nom"]), "Le continuum")
    assert "<caption>Le continuum</caption>" in markup
    assert '<th scope="col">Étape</th>' in markup
    assert '<td data-label="Nom">Être &lt;informé&gt;</td>' in markup
    assert "<style" not in markup


# ------------------------------------------------------------------ controls


def test_radio_group_maps_values_and_keeps_one_choice():
    from widgets.controls import RadioGroup

    group = RadioGroup([("Oui", "yes"), ("Non", "no")], "Êtes-vous prêt·e ?")
    seen: list[object] = []
    group.on_value(seen.append)
    assert group.value is None and group.labels == ["Oui", "Non"]
    group.value = "no"
    assert group.selected == [1] and seen == ["no"]
    group.selected = [0, 1]  # a single-choice group never holds two answers
    assert group.selected == [1]
    group.selected = [7]  # an index from nowhere is dropped
    assert group.value is None
    with pytest.raises(ValueError):
        group.value = "peut-être"


def test_checkbox_group_holds_several_values_in_option_order():
    from widgets.controls import RadioGroup

    group = RadioGroup(["A", "B", "C"], "Cochez", multiple=True, hint="Plusieurs réponses possibles.")
    group.values = ["C", "A"]
    assert group.selected == [0, 2] and group.values == ("A", "C")


def test_a_choice_group_needs_an_accessible_name():
    from widgets.controls import RadioGroup

    with pytest.raises(ValueError):
        RadioGroup(["Oui", "Non"], "  ")
    with pytest.raises(ValueError):
        RadioGroup(["Oui", "Non"], "Q ?", orientation="diagonal")


def test_choice_group_javascript_is_served_inline_with_the_widget():
    from widgets.controls import RadioGroup

    esm = RadioGroup(["Oui"], "Q ?")._esm
    assert 'setAttribute("role", multiple ? "group" : "radiogroup")' in esm
    assert "http" not in esm  # nothing fetched from a CDN


def test_browser_memory_saves_json_clears_and_restores_only_dicts():
    from widgets.controls import STORAGE_PREFIX, BrowserMemory

    memory = BrowserMemory("essai")
    assert memory.key == STORAGE_PREFIX + "essai"
    memory.save({"b": 1, "a": [2]})
    assert memory.saved == '{"a":[2],"b":1}'
    memory.save({})
    assert memory.saved == ""
    memory.save({"a": 1})
    memory.clear()
    assert memory.saved == ""
    got: list[object] = []
    memory.on_restore(got.append)
    memory.restored = "pas du json"
    memory.restored = "[1, 2]"
    memory.restored = '{"a": 1}'
    assert got == [{"a": 1}]


def test_reset_control_calls_back_only_on_the_confirmed_message():
    from widgets.controls import ResetControl

    calls = []
    reset = ResetControl(lambda: calls.append("reset"), "vos réponses")
    reset._handle(reset, {"type": "autre"}, [])
    reset._handle(reset, "reset", [])
    assert calls == []
    reset._handle(reset, {"type": "reset"}, [])
    assert calls == ["reset"]
    assert ui.reset_control(lambda: None).what == "toutes vos réponses"


# ------------------------------------------------------------------ quiz view: saved answers


def test_quiz_answers_are_saved_restored_and_erased():
    from widgets.quiz.content import load_questions
    from widgets.quiz.view import QuizView

    view = QuizView("pairite")
    questions = load_questions("pairite")
    first, second = view.blocks[0], view.blocks[1]
    right = next(i for i, a in enumerate(questions[0].answers) if a.correct)
    first.choice.selected = [right]
    first.check()
    second.choice.selected = [0]
    saved = view.memory.saved
    assert questions[0].id in saved and questions[1].id in saved

    again = QuizView("pairite")
    again.memory.restored = saved
    assert again.blocks[0].choice.selected == [right] and again.blocks[0].validated
    assert "✔ Bonne réponse" in again.blocks[0].feedback.value
    assert again.blocks[1].choice.selected == [0] and not again.blocks[1].validated
    assert "1 sur" in again.score.value

    again._on_reset()
    assert again.memory.saved == "" and all(not b.chosen() for b in again.blocks)


def test_quiz_restore_ignores_what_no_longer_fits():
    from widgets.quiz.view import QuizView

    view = QuizView("pairite")
    view.memory.restored = '{"choix": {"inconnue": [0], "pairite-1": [9, "x"]}, "valide": "pas une liste"}'
    assert all(not b.chosen() for b in view.blocks)
    assert all(not b.validated for b in view.blocks)


def test_quiz_feedback_never_doubles_a_full_stop():
    from widgets.quiz.view import QuizView

    view = QuizView("pairite")
    for block in view.blocks:
        block.choice.selected = [0]
        block.check()
        assert ".." not in block.feedback.value.replace("...", "")
        assert "(s)" not in block.feedback.value


def test_french_punctuation_never_starts_a_line():
    assert fr.typography("Ouvre des droits ? Oui : « bien » ; non !") == (
        "Ouvre des droits\u202f? Oui\u202f: «\u202fbien\u202f»\u202f; non\u202f!"
    )
    assert fr.typography("https://exemple.fr/a?b=1 à 12:30") == "https://exemple.fr/a?b=1 à 12:30"
    assert "\u202f?" in ui.message_html("Qui décide ?", "info")


def test_french_enumerations():
    assert fr.list_and(["2"]) == "2"
    assert fr.list_and(["2", "3"]) == "2 et 3"
    assert fr.list_and(["4", "5", "6"]) == "4, 5 et 6"
    assert fr.sentence("payée") == "payée." and fr.sentence("payée.") == "payée." and fr.sentence("Qui ?") == "Qui ?"


@pytest.mark.parametrize("chapter", quiz_chapters())
def test_every_self_check_answers_right_wrong_and_resets(chapter):
    """Each chapter's questions through the live view: a right answer, a wrong one, the score, reset."""
    from widgets.quiz.view import QuizView

    view = QuizView(chapter)
    total = len(view.blocks)
    single = [b for b in view.blocks if not b.question.multiple]
    first, second = single[0], single[1]
    first.choice.selected = [next(i for i, a in enumerate(first.question.answers) if a.correct)]
    first.check()
    second.choice.selected = [next(i for i, a in enumerate(second.question.answers) if not a.correct)]
    second.check()
    assert "✔ Bonne réponse" in first.feedback.value and "✘ Pas tout à fait" in second.feedback.value
    assert f"1 sur {total} (2 questions faites)" in view.score.value
    view._on_reset()
    assert f"0 sur {total} (0 question faite)" in view.score.value


def _bar():
    import plotly.graph_objects as go

    return go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))


def test_a_background_chart_area_redraws_from_another_thread_as_widget_state():
    """The group mode redraws from its poll, outside any cell: the chart must land in the widget's state."""
    import threading

    area = ui.ChartArea("Le graphique apparaîtra ici.", background=True)
    assert area.output.outputs == () and "Le graphique apparaîtra ici." in area.note.value
    worker = threading.Thread(target=area.draw, args=(_bar(),))
    worker.start()
    worker.join(timeout=30)
    (output,) = area.output.outputs
    spec = output["data"]["application/vnd.plotly.v1+json"]
    assert output["output_type"] == "display_data" and spec["config"] == ui.PLOTLY_CONFIG
    assert spec["data"][0]["type"] == "bar" and spec["data"][0]["x"] == [1, 2]
    assert area.note.value == ""
    area.draw(None)
    assert area.output.outputs == () and "Le graphique apparaîtra ici." in area.note.value


def test_a_cell_chart_area_displays_through_show_figure(monkeypatch):
    drawn: list[object] = []
    monkeypatch.setattr(ui, "show_figure", drawn.append)
    area = ui.ChartArea("Rien pour l'instant.")
    figure = _bar()
    area.draw(figure)
    assert drawn == [figure] and area.note.value == ""
    area.draw(None)
    assert drawn == [figure] and "Rien pour l" in area.note.value


def test_show_figure_displays_the_plotly_bundle_with_the_course_config(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    ui.show_figure(_bar())
    ((bundle, raw),) = shown
    assert raw is True and bundle == ui.plotly_bundle(_bar())
    assert bundle["application/vnd.plotly.v1+json"]["config"] == {"displayModeBar": False, "responsive": True}
