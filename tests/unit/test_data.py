"""Tests of the schema layer ``widgets.data``: loading, type conversion and French error locations.

Why: trainers edit the CSV/YAML files in a spreadsheet or a text editor; every mistake must stop
the course with a message naming the file, the line and the column. Each test writes its own file
in ``tmp_path`` and passes an absolute path, so it never depends on the course's data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.continuum import content
from widgets.data import DATA_DIR, Column, DataFileError, Schema, load_csv, load_yaml

SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("nombre", int, minimum=0, maximum=10),
        Column("actif", bool),
        Column("taux", float),
        Column("categorie", choices=("alpha", "beta")),
        Column("note", required=False),
    ),
    unique=("id",),
)
HEADER = "id,nombre,actif,taux,categorie,note\n"

ANSWER = Schema(columns=(Column("texte"), Column("juste", bool)))
QUESTION = Schema(
    columns=(
        Column("id"),
        Column("question"),
        Column("reponses", list, items=ANSWER, min_items=2),
    ),
    unique=("id",),
)


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_located(error: DataFileError, path: Path, row: int | str | None, column: str | None) -> None:
    """The error points at the right place, both in its attributes and in its French message."""
    message = str(error)
    assert error.path == str(path)
    assert error.row == row
    assert error.column == column
    assert path.name in message
    if isinstance(row, int):
        assert f"ligne {row}" in message
    elif row is not None:
        assert row in message
    if column is not None:
        assert f"colonne « {column} »" in message
    else:
        assert "colonne «" not in message


# --------------------------------------------------------------------------------------------- CSV


def test_valid_csv_converts_types(tmp_path):
    path = write(
        tmp_path,
        "ok.csv",
        HEADER
        + 'a,3,oui,"3,5",alpha,une note\n'
        + "b, 10 ,NON,0.25,beta,\n"
        + "c,0,Vrai,-2,alpha,  espaces autour  \n",
    )

    records = load_csv(path, SCHEMA)

    assert [r["id"] for r in records] == ["a", "b", "c"]  # file order
    assert [r["nombre"] for r in records] == [3, 10, 0]
    assert all(type(r["nombre"]) is int for r in records)
    assert [r["actif"] for r in records] == [True, False, True]
    assert all(type(r["actif"]) is bool for r in records)
    assert [r["taux"] for r in records] == [3.5, 0.25, -2.0]
    assert all(type(r["taux"]) is float for r in records)
    assert [r["categorie"] for r in records] == ["alpha", "beta", "alpha"]
    # Optional empty cell → None; text is trimmed.
    assert [r["note"] for r in records] == ["une note", None, "espaces autour"]


def test_csv_with_bom_and_blank_lines_loads(tmp_path):
    # Spreadsheets often save UTF-8 with a BOM and leave empty rows.
    path = write(
        tmp_path, "bom.csv", ("\ufeff" + HEADER + "a,1,oui,1,alpha,\n,,,,,\n\nb,2,non,2,beta,\n").encode("utf-8")
    )

    records = load_csv(path, SCHEMA)

    assert [r["id"] for r in records] == ["a", "b"]


def test_csv_header_columns_may_come_in_any_order(tmp_path):
    path = write(tmp_path, "ordre.csv", "note,categorie,taux,actif,nombre,id\n,beta,1,non,7,z\n")

    [record] = load_csv(path, SCHEMA)

    assert record == {"id": "z", "nombre": 7, "actif": False, "taux": 1.0, "categorie": "beta", "note": None}


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        pytest.param("a,1,oui,1,alpha,\n,2,non,1,beta,\n", 3, "id", "vide", id="missing-required"),
        pytest.param("a,deux,oui,1,alpha,\n", 2, "nombre", "entier", id="not-an-integer"),
        pytest.param("a,2.5,oui,1,alpha,\n", 2, "nombre", "entier", id="decimal-for-integer"),
        pytest.param("a,1,oui,1,alpha,\nb,11,oui,1,alpha,\n", 3, "nombre", "maximum", id="above-maximum"),
        pytest.param("a,-1,oui,1,alpha,\n", 2, "nombre", "minimum", id="below-minimum"),
        pytest.param("a,1,peut-être,1,alpha,\n", 2, "actif", "oui", id="not-a-boolean"),
        pytest.param("a,1,oui,beaucoup,alpha,\n", 2, "taux", "nombre", id="not-a-number"),
        pytest.param(
            "a,1,oui,1,alpha,\nb,1,oui,1,alpha,\nc,1,oui,1,gamma,\n", 4, "categorie", "permise", id="not-in-choices"
        ),
    ],
)
def test_csv_bad_value_is_located(tmp_path, body, row, column, words):
    path = write(tmp_path, "mauvais.csv", HEADER + body)

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, row, column)
    assert words in caught.value.problem


def test_csv_choices_message_lists_allowed_values(tmp_path):
    path = write(tmp_path, "choix.csv", HEADER + "a,1,oui,1,gamma,\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert "« gamma »" in str(caught.value)
    assert "« alpha »" in str(caught.value) and "« beta »" in str(caught.value)


def test_csv_unknown_column_is_named(tmp_path):
    path = write(tmp_path, "inconnue.csv", HEADER.rstrip("\n") + ",couleur\na,1,oui,1,alpha,,rouge\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    # Reported on the header line, where the unexpected column is named.
    assert_located(caught.value, path, 1, "couleur")
    assert "inconnue" in caught.value.problem
    assert "nombre" in caught.value.problem  # the expected columns are listed


def test_csv_unknown_column_is_caught_even_without_data_rows(tmp_path):
    path = write(tmp_path, "vide.csv", HEADER.rstrip("\n") + ",couleur\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, 1, "couleur")


def test_csv_row_after_a_multiline_cell_keeps_its_spreadsheet_number(tmp_path):
    schema = Schema(columns=(Column("a"), Column("n", int, maximum=5)))
    path = write(tmp_path, "multiligne.csv", 'a,n\n"x\ny",1\nz,9\n')

    with pytest.raises(DataFileError) as caught:
        load_csv(path, schema)

    assert_located(caught.value, path, 3, "n")


def test_csv_missing_header_column_is_reported_on_line_1(tmp_path):
    path = write(tmp_path, "entete.csv", "id,nombre,actif,categorie,note\na,1,oui,alpha,\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, 1, "taux")
    assert "en-tête" in caught.value.problem


def test_csv_wrong_number_of_cells_names_the_line(tmp_path):
    path = write(tmp_path, "cases.csv", HEADER + "a,1,oui,1,alpha,\nb,1,oui,1,5,alpha,\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, 3, None)
    assert "7 cases au lieu de 6" in caught.value.problem


def test_csv_duplicate_key_reports_the_second_row(tmp_path):
    path = write(tmp_path, "doublon.csv", HEADER + "a,1,oui,1,alpha,\nb,1,oui,1,alpha,\na,2,non,1,beta,\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, 4, "id")
    assert "« a »" in caught.value.problem
    assert "ligne 2" in caught.value.problem  # where the value was first used


def test_csv_not_utf8(tmp_path):
    path = write(tmp_path, "latin1.csv", (HEADER + "été,1,oui,1,alpha,\n").encode("latin-1"))

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, None, None)
    assert "UTF-8" in str(caught.value)


def test_csv_missing_file(tmp_path):
    path = tmp_path / "absent.csv"

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, None, None)
    assert "introuvable" in str(caught.value)


def test_csv_empty_file(tmp_path):
    path = write(tmp_path, "vide.csv", "")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, SCHEMA)

    assert_located(caught.value, path, 1, None)
    assert "vide" in caught.value.problem


def test_data_file_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        load_csv(tmp_path / "absent.csv", SCHEMA)


def test_record_level_check_is_reported_on_its_row(tmp_path):
    schema = Schema(
        columns=(Column("debut", int), Column("fin", int)),
        checks=(lambda r: "la fin est avant le début." if r["fin"] < r["debut"] else None,),
    )
    path = write(tmp_path, "check.csv", "debut,fin\n1,2\n5,3\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, schema)

    assert_located(caught.value, path, 3, None)
    assert caught.value.problem == "la fin est avant le début."


# ---------------------------------------------------------------------- property: integer ranges

BOUNDS = st.integers(min_value=-1_000, max_value=1_000).flatmap(
    lambda low: st.tuples(st.just(low), st.integers(min_value=low, max_value=low + 1_000))
)


@pytest.fixture(scope="module")
def prop_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("property")


def _range_schema(low: int, high: int) -> Schema:
    return Schema(columns=(Column("nom"), Column("age", int, minimum=low, maximum=high)))


@settings(max_examples=60, deadline=None)
@given(bounds=BOUNDS, data=st.data())
def test_integer_outside_range_is_rejected_with_column_named(prop_dir, bounds, data):
    low, high = bounds
    value = data.draw(st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1)), label="value")
    path = write(prop_dir, "plage.csv", f"nom,age\nx,{value}\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, _range_schema(low, high))

    assert caught.value.row == 2
    assert caught.value.column == "age"
    assert "colonne « age »" in str(caught.value)
    assert str(value) in caught.value.problem


@settings(max_examples=60, deadline=None)
@given(bounds=BOUNDS, data=st.data())
def test_integer_inside_range_is_accepted(prop_dir, bounds, data):
    low, high = bounds
    value = data.draw(st.integers(min_value=low, max_value=high), label="value")
    path = write(prop_dir, "plage.csv", f"nom,age\nx,{value}\n")

    assert load_csv(path, _range_schema(low, high)) == [{"nom": "x", "age": value}]


# -------------------------------------------------------------------------------------------- YAML

VALID_YAML = """\
- id: q1
  question: Qui décide ?
  reponses:
    - texte: La direction
      juste: non
    - texte: Le groupe
      juste: oui
- id: q2
  question: Qui parle ?
  reponses:
    - texte: Tout le monde
      juste: true
    - texte: Personne
      juste: faux
    - texte: Le président
      juste: non
"""


def test_yaml_valid_list_with_nested_items(tmp_path):
    path = write(tmp_path, "quiz.yaml", VALID_YAML)

    records = load_yaml(path, QUESTION)

    assert records == [
        {
            "id": "q1",
            "question": "Qui décide ?",
            "reponses": [{"texte": "La direction", "juste": False}, {"texte": "Le groupe", "juste": True}],
        },
        {
            "id": "q2",
            "question": "Qui parle ?",
            "reponses": [
                {"texte": "Tout le monde", "juste": True},
                {"texte": "Personne", "juste": False},
                {"texte": "Le président", "juste": False},
            ],
        },
    ]
    # The loader's line bookkeeping does not leak into the records.
    assert all("__line__" not in r and all("__line__" not in a for a in r["reponses"]) for r in records)


def test_yaml_nested_error_names_entry_line_and_path(tmp_path):
    bad = VALID_YAML.replace("juste: faux", "juste: peut-être")
    path = write(tmp_path, "quiz.yaml", bad)

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    # The second entry starts on line 8; the wrong field of its second answer is on line 14.
    assert_located(caught.value, path, "entrée n° 2 (ligne 14)", "reponses[2].juste")
    assert "peut-être" in caught.value.problem


def test_yaml_nested_unknown_field_is_named(tmp_path):
    bad = VALID_YAML.replace("      juste: oui\n", "      juste: oui\n      couleur: vert\n")
    path = write(tmp_path, "quiz.yaml", bad)

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, "entrée n° 1 (ligne 8)", "reponses[2].couleur")
    assert "inconnue" in caught.value.problem


def test_yaml_nested_item_that_is_not_a_mapping(tmp_path):
    path = write(
        tmp_path, "quiz.yaml", "- id: q1\n  question: x\n  reponses:\n    - texte: a\n      juste: oui\n    - b\n"
    )

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, "entrée n° 1 (ligne 3)", "reponses[2]")


def test_yaml_too_few_items(tmp_path):
    path = write(tmp_path, "quiz.yaml", "- id: q1\n  question: x\n  reponses:\n    - texte: a\n      juste: oui\n")

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, "entrée n° 1 (ligne 3)", "reponses")
    assert "au moins 2 éléments" in caught.value.problem


def test_yaml_duplicate_id_reports_second_entry(tmp_path):
    path = write(tmp_path, "quiz.yaml", VALID_YAML.replace("id: q2", "id: q1"))

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, "entrée n° 2 (ligne 8)", "id")
    assert "entrée n° 1" in caught.value.problem


def test_yaml_malformed_reports_line(tmp_path):
    path = write(tmp_path, "casse.yaml", "- id: q1\n  question: x\n- id: q2\n  question: y: z\n")

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, 4, None)
    assert "YAML" in caught.value.problem


@pytest.mark.parametrize(
    "text", ["id: q1\nquestion: x\n", "juste une phrase\n", ""], ids=["mapping", "scalar", "empty"]
)
def test_yaml_top_level_must_be_a_list(tmp_path, text):
    path = write(tmp_path, "pas-liste.yaml", text)

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, None, None)
    assert "liste" in caught.value.problem


def test_yaml_native_types_are_checked(tmp_path):
    schema = Schema(columns=(Column("nom"), Column("age", int, minimum=0), Column("actif", bool)))
    ok = write(tmp_path, "ok.yaml", "- nom: a\n  age: 4\n  actif: true\n- nom: b\n  age: 0\n  actif: non\n")
    assert load_yaml(ok, schema) == [{"nom": "a", "age": 4, "actif": True}, {"nom": "b", "age": 0, "actif": False}]

    # YAML reads « true » as a boolean: it must not pass for the integer 1.
    bad = write(tmp_path, "bad.yaml", "- nom: a\n  age: 4\n  actif: oui\n- nom: b\n  age: true\n  actif: oui\n")
    with pytest.raises(DataFileError) as caught:
        load_yaml(bad, schema)
    assert_located(caught.value, bad, "entrée n° 2 (ligne 5)", "age")
    assert "entier" in caught.value.problem

    # A number where a text is expected is refused, not silently converted.
    number = write(tmp_path, "nombre.yaml", "- nom: 12\n  age: 4\n  actif: oui\n")
    with pytest.raises(DataFileError) as caught:
        load_yaml(number, schema)
    assert_located(caught.value, number, "entrée n° 1 (ligne 1)", "nom")


def test_yaml_entry_without_fields(tmp_path):
    path = write(tmp_path, "entrees.yaml", VALID_YAML + "- juste une phrase\n")

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)

    assert_located(caught.value, path, "entrée n° 3", None)


def test_yaml_not_utf8_and_missing(tmp_path):
    path = write(tmp_path, "latin1.yaml", "- id: été\n".encode("latin-1"))
    with pytest.raises(DataFileError) as caught:
        load_yaml(path, QUESTION)
    assert_located(caught.value, path, None, None)
    assert "UTF-8" in str(caught.value)

    absent = tmp_path / "absent.yaml"
    with pytest.raises(DataFileError) as caught:
        load_yaml(absent, QUESTION)
    assert_located(caught.value, absent, None, None)
    assert "introuvable" in str(caught.value)


# -------------------------------------------------------------------- the course's continuum data


def _raw_rows(relative: str) -> list[dict[str, str]]:
    """The file read with the csv module alone, to compare with what the schema layer returns."""
    with (DATA_DIR / relative).open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if any(v.strip() for v in row.values() if v)]


def test_real_steps_load_with_positions_1_to_6():
    steps = load_csv(content.STEPS_FILE, content.STEP_SCHEMA)

    assert sorted(s["position"] for s in steps) == [1, 2, 3, 4, 5, 6]
    assert len({s["libelle"] for s in steps}) == len(steps)
    assert len(steps) == len(_raw_rows(content.STEPS_FILE))


def test_real_situations_load_and_refer_to_steps():
    positions = tuple(s["position"] for s in load_csv(content.STEPS_FILE, content.STEP_SCHEMA))

    situations = load_csv(content.SITUATIONS_FILE, content.situation_schema(positions))

    assert len(situations) >= 12
    assert len(situations) == len(_raw_rows(content.SITUATIONS_FILE))
    assert all(s["reference"] in positions for s in situations)
    ids = [s["id"] for s in situations]
    assert len(set(ids)) == len(ids)
    assert all(s[name] for s in situations for name in ("titre", "situation", "explication", "source"))


def test_content_loaders_return_typed_objects():
    steps = content.load_steps()
    situations = content.load_situations()

    assert [s.position for s in sorted(steps, key=lambda s: s.position)] == [1, 2, 3, 4, 5, 6]
    positions = {s.position for s in steps}
    assert len(situations) >= 12
    assert {s.reference for s in situations} <= positions
    assert len({s.id for s in situations}) == len(situations)


def test_real_arnstein_ladder_has_eight_rungs():
    rungs = load_csv(content.ARNSTEIN_FILE, content.ARNSTEIN_SCHEMA)

    assert sorted(r["echelon"] for r in rungs) == list(range(1, 9))


def test_situation_schema_rejects_a_reference_outside_the_grid(tmp_path):
    path = write(
        tmp_path,
        "situations.csv",
        "id,titre,situation,reference,explication,source\n"
        "s1,Titre,Texte,2,Explication,Source\n"
        "s2,Titre,Texte,5,Explication,Source\n",
    )

    with pytest.raises(DataFileError) as caught:
        load_csv(path, content.situation_schema((1, 2, 3)))

    assert_located(caught.value, path, 3, "reference")


@pytest.mark.parametrize("text", ["nan", "inf", "-inf"])
def test_csv_non_finite_number_is_rejected(tmp_path, text):
    schema = Schema(columns=(Column("f", float, minimum=0, maximum=10),))
    path = write(tmp_path, "nan.csv", f"f\n{text}\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, schema)

    assert_located(caught.value, path, 2, "f")


def test_csv_integer_with_underscore_is_rejected(tmp_path):
    schema = Schema(columns=(Column("n", int),))
    path = write(tmp_path, "souligne.csv", "n\n1_0\n")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, schema)

    assert_located(caught.value, path, 2, "n")


# ------------------------------------------------------------------------------ cross-references


def test_a_quiz_question_whose_chapter_names_no_chapter_is_a_load_error(tmp_path):
    """A typo in ``chapitre`` used to drop the question silently; now it names file, line and column."""
    from widgets.quiz.content import question_schema

    path = write(
        tmp_path,
        "pairite.yml",
        "- chapitre: pairite\n  id: p1\n  question: Q ?\n  reponses:\n"
        "    - {texte: a, juste: oui, explication: x}\n    - {texte: b, juste: non, explication: y}\n"
        "- id: p2\n  question: Q ?\n  chapitre: pairit\n  reponses:\n"
        "    - {texte: a, juste: oui, explication: x}\n    - {texte: b, juste: non, explication: y}\n",
    )

    with pytest.raises(DataFileError) as caught:
        load_yaml(path, question_schema("pairite"))

    assert_located(caught.value, path, "entrée n° 2 (ligne 9)", "chapitre")
    assert "« pairit » ne désigne pas le chapitre de ce fichier" in caught.value.problem
    assert "chapitre: pairite" in caught.value.problem


def test_every_quiz_file_names_a_chapter_and_its_live_exercise():
    """The quiz file name is the chapter key: a chapter source and a live notebook carry that key."""
    from widgets.data import REPO_ROOT
    from widgets.quiz.content import load_questions, quiz_chapters

    chapters = {p.stem.split("-", 1)[1] for p in (REPO_ROOT / "chapters").glob("[0-9][0-9]-*.*")}
    assert len(quiz_chapters()) >= 7
    for key in quiz_chapters():
        assert key in chapters, f"data/quiz/{key}.yml ne correspond à aucun chapitre"
        assert (REPO_ROOT / "chapters" / "exercices" / f"autoeval-{key}.ipynb").exists()
        questions = load_questions(key)
        assert questions and all(q.chapter == key for q in questions)


def test_a_situation_whose_reference_is_not_a_step_names_the_steps(tmp_path):
    path = write(
        tmp_path,
        "situations.csv",
        "id,titre,situation,reference,explication,source\ns1,T,S,2,E,So\ns2,T,S,9,E,So\n",
    )

    with pytest.raises(DataFileError) as caught:
        load_csv(path, content.situation_schema((1, 2, 3)))

    assert_located(caught.value, path, 3, "reference")
    assert "« 9 » ne désigne aucune étape du continuum" in caught.value.problem
    assert "continuum/etapes.csv" in caught.value.problem


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        pytest.param("2-x", "n'est pas une liste d'étapes", id="not-a-range"),
        pytest.param("2;9", "l'étape 9 n'existe pas dans le continuum", id="unknown-step"),
        pytest.param("1", "doivent comprendre l'étape repère (2)", id="reference-left-out"),
        pytest.param("3-1", "n'est pas une liste d'étapes", id="backwards"),
    ],
)
def test_accepted_steps_are_validated_with_line_and_column(tmp_path, cell, words):
    path = write(
        tmp_path,
        "situations.csv",
        "id,titre,situation,reference,etapes_acceptees,explication,debat,source\n"
        "s1,T,S,2,1-2,E,,So\n"
        f"s2,T,S,2,{cell},E,Une question ?,So\n",
    )

    with pytest.raises(DataFileError) as caught:
        load_csv(path, content.situation_schema((1, 2, 3)))

    assert_located(caught.value, path, 3, "etapes_acceptees")
    assert words in caught.value.problem


def test_accepted_steps_parse_ranges_and_lists():
    assert content.parse_steps("3-4") == (3, 4)
    assert content.parse_steps("4;6") == (4, 6)
    assert content.parse_steps(" 2-3 ; 5 ") == (2, 3, 5)


def test_optional_columns_may_be_left_out_of_a_csv(tmp_path):
    path = write(tmp_path, "situations.csv", "id,titre,situation,reference,explication,source\ns1,T,S,2,E,So\n")

    [record] = load_csv(path, content.situation_schema((1, 2, 3)))

    assert record["etapes_acceptees"] is None and record["debat"] is None
