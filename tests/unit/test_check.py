"""``make check`` picks the unit tests of what changed, and names a broken data file in French."""

from __future__ import annotations

import pytest

from tests import check
from widgets.data import DataFileError


def names(files: list[str]) -> set[str]:
    return {p.stem for p in check.unit_tests_for(files)}


def test_a_quiz_edit_runs_the_quiz_tests_only():
    chosen = names(["data/quiz/pairite.yml"])
    assert "test_quiz_model" in chosen
    assert not any(n.startswith(("test_salle", "test_kit", "test_remuneration")) for n in chosen)


def test_a_widgets_package_edit_runs_its_tests_but_not_the_slow_ones():
    chosen = names(["widgets/salle/model.py"])
    assert "test_salle_model" in chosen and "test_salle_content" in chosen
    assert "test_salle_server" not in chosen and "test_salle_store" not in chosen  # servers: make test


def test_a_shared_module_edit_runs_every_quick_unit_test():
    chosen = names(["widgets/fr.py"])
    assert {"test_quiz_model", "test_kit_model", "test_salle_model"} <= chosen
    assert "test_remuneration_households" not in chosen


def test_nothing_relevant_changed_runs_no_unit_test():
    assert names(["docs/contenu.md"]) == set()


def test_a_broken_data_file_is_named_in_french(monkeypatch, capsys):
    from widgets.quiz import content

    def fail(_name: str) -> None:
        raise DataFileError(
            "data/quiz/pairite.yml", 9, "reponses[1].juste", "« peut-être » n'est ni « oui » ni « non »."
        )

    monkeypatch.setattr(content, "load_questions", fail)
    with pytest.raises(DataFileError, match=r"pairite\.yml"):
        check.load_every_data_file()
    assert check.step_data() is False
    assert "data/quiz/pairite.yml, ligne 9, colonne « reponses[1].juste »" in capsys.readouterr().out


def test_today_s_data_files_all_load():
    check.load_every_data_file()
