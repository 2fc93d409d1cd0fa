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
