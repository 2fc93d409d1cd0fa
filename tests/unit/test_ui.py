"""Shared view helpers: a broken exercise opens on a French sentence, numbers read the French way."""

from __future__ import annotations

import pytest

from widgets import fr, ui
from widgets.data import DataFileError


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
    html = shown[0].data
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
    "hours, expected", [(75.83, "75,83\u00a0h"), (12.5, "12,5\u00a0h"), (151, "151\u00a0h"), (151.6666, "151,67\u00a0h")]
)
def test_hours_use_a_decimal_comma_and_no_useless_zeros(hours, expected):
    assert fr.format_hours(hours) == expected


def test_one_input_error_type_carries_its_field():
    from widgets.errors import InputError

    error = InputError("Loyer mensuel : la case est vide.", "rent")
    assert isinstance(error, ValueError)
    assert str(error) == "Loyer mensuel : la case est vide." and error.field == "rent"
    assert InputError("Choisissez une réponse.").field is None
