"""The simulator's page without a browser: what each field expects, and the figures in the order a person asks.

Why: issue 18 found every typo answered « Écrivez par exemple 450 ou 450,50 » (even for an age), and
the month-by-month table before anything a person asks on a phone. Both are pure code
(:mod:`widgets.remuneration.fields`, :mod:`widgets.remuneration.results`), checked here on made-up
figures; the browser tests check the page itself.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from widgets.errors import InputError
from widgets.fr import typography
from widgets.remuneration import fields, results
from widgets.remuneration.explain import COLUMNS
from widgets.remuneration.inputs import MONTHS

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "widgets" / "voila_templates" / "voila" / "templates" / "faire-avec" / "index.html.j2"
ALL = (fields.AGE, fields.PARTNER_AGE, fields.CHILDREN, fields.RENT, fields.HOURS, fields.RATE)


# --------------------------------------------------------------------------- fields
@pytest.mark.parametrize(
    ("spec", "words", "not_words"),
    [
        (fields.AGE, ("un âge", "années", "de 18 à 64 ans"), ("450",)),
        (fields.PARTNER_AGE, ("un âge", "années"), ("450",)),
        (fields.RENT, ("un montant", "loyer en euros par mois", "450,50"), ("heures", "âge")),
        (fields.HOURS, ("un nombre d'heures", "entre 0 et 200"), ("450", "euros")),
        (fields.RATE, ("un montant", "euros de l'heure", "SMIC"), ("450",)),
    ],
    ids=lambda value: value.name if isinstance(value, fields.FieldSpec) else "",
)
def test_each_field_says_what_it_expects(spec, words, not_words) -> None:
    with pytest.raises(InputError) as caught:
        fields.number(spec, "abc")
    message = str(caught.value)
    assert caught.value.field == spec.name and message.startswith(spec.label) and "« abc »" in message
    assert all(word in message for word in words), message
    assert not any(word in message for word in not_words), message
    with pytest.raises(InputError, match="la case est vide"):
        fields.number(spec, "  ")


def test_numbers_are_read_the_french_way_and_ages_are_whole_years() -> None:
    assert fields.number(fields.RENT, "1 200,50 €") == 1200.5
    assert fields.whole_years(fields.AGE, "36") == 36
    with pytest.raises(InputError, match="nombre entier d'années") as caught:
        fields.whole_years(fields.AGE, "36,5")
    assert caught.value.field == "age"


@pytest.mark.parametrize(
    ("text", "ages"), [("5, 9", (5, 9)), ("5 et 9", (5, 9)), ("5 9", (5, 9)), ("5;9", (5, 9)), ("", ())]
)
def test_children_ages(text: str, ages: tuple[int, ...]) -> None:
    assert fields.children_ages(text) == ages


def test_a_childs_age_that_is_not_a_number_names_the_children_field() -> None:
    with pytest.raises(InputError) as caught:
        fields.children_ages("5, dix")
    assert caught.value.field == "children" and "« dix » n'est pas un âge" in str(caught.value)


def test_each_field_has_a_help_line_and_the_keyboard_it_needs() -> None:
    assert {spec.name for spec in ALL if spec.inputmode == "numeric"} == {"age", "partner_age"}
    assert {spec.inputmode for spec in ALL} <= {"numeric", "decimal"}
    assert all(spec.hint and spec.expects.endswith(".") for spec in ALL)


# --------------------------------------------------------------------------- the months that change
def _result(with_totals: dict[str, list[float]], without: list[float]) -> Any:
    """A made-up result: ``with_totals`` gives each part's monthly amount with the offer; without the
    offer there is only RSA (``without``). ``Any``: it has only the attributes the page reads, not a
    whole :class:`~widgets.remuneration.model.Result`."""
    with_offer = pd.DataFrame({c: with_totals.get(c, [0.0] * 12) for c in COLUMNS if c != "total"}, index=MONTHS)
    with_offer["total"] = with_offer.sum(axis=1)
    baseline = pd.DataFrame({c: [0.0] * 12 for c in COLUMNS}, index=MONTHS)
    baseline["rsa"] = without
    baseline["total"] = without
    difference = with_offer - baseline
    offer = SimpleNamespace(
        with_offer=with_offer, difference=difference, yearly_gain=round(difference["total"].sum(), 2)
    )
    return SimpleNamespace(offers=(offer,), baseline=baseline)


def test_months_with_the_same_figures_are_grouped_and_said_in_words() -> None:
    rsa = [600.0] * 12
    pay = [60.0] * 3 + [60.0] + [0.0] * 5 + [60.0] * 3
    with_rsa = [600.0] * 3 + [580.0] + [600.0] * 5 + [540.0] * 3
    result = _result({"pay": pay, "rsa": with_rsa}, rsa)
    groups = results.changed_months(result.offers[0], rsa)
    assert [(g.first, g.last) for g in groups] == [(0, 2), (3, 3), (9, 11)]
    assert [g.when() for g in groups] == ["De janvier à mars", "En avril", "D'octobre à décembre"]
    text = results.changes_html(result)
    assert (
        "660,00\u00a0€ par mois au lieu de 600,00\u00a0€" in text
        and "60,00\u00a0€ de plus</strong> chaque mois" in text
    )
    assert (
        "<strong>En avril</strong> : 640,00\u00a0€ au lieu de 600,00\u00a0€, soit <strong>40,00\u00a0€ de plus</strong>."
        in text
    )
    # pay that replaces RSA euro for euro: the total is the same, and the page says what moved
    assert (
        "le même total, 600,00\u00a0€ par mois. Ce qui bouge : paie nette\u00a0+\u00a060,00\u00a0€, RSA\u00a0−\u00a060,00\u00a0€."
        in text
    )
    assert "Les autres mois (mai à septembre), rien ne change." in text
    assert "<strong>Sur l'année</strong> : 7\u202f420,00\u00a0€ avec l'offre, au lieu de 7\u202f200,00\u00a0€" in text


def test_an_offer_that_changes_nothing_says_so() -> None:
    rsa = [600.0] * 12
    text = results.changes_html(_result({"rsa": rsa}, rsa))
    assert "Aucun mois ne change" in text and "<li>" not in text and ": autant." in text


def test_months_phrase_uses_ranges() -> None:
    assert results.months_phrase([0, 2, 3, 4, 11]) == "janvier, mars à mai et décembre"


def test_the_first_figures_are_not_taken_for_the_pages_result() -> None:
    """The page's result is found by its « Résultat » heading (tests, benchmarks): the figures sent
    with the page before the widgets must not carry that heading."""
    rsa = [600.0] * 12
    result = _result({"pay": [60.0] * 12, "rsa": rsa}, rsa)
    result.offers[0].offer = SimpleNamespace(form_label="Salaire", hours_per_month=4.0)
    result.offers[0].neutralisation = result.offers[0].after_job = ()
    preview = results.preview_html(result, "Un cas")
    assert typography("Premiers chiffres : « Un cas »") in preview and "Sur l'année" in preview
    assert "Résultat" not in preview and "class='fa-result'" not in preview


def test_the_template_writes_the_pages_own_outputs_with_the_views_key() -> None:
    from widgets.remuneration.view import SERVER_RENDERED

    template = TEMPLATE.read_text(encoding="utf-8")
    assert f'output.metadata.get("{SERVER_RENDERED}")' in template
    assert 'output.data["text/html"]' in template


def test_the_templates_override_keeps_voilas_own_outputs_as_they_were() -> None:
    """The template overrides Voilà's ``data_priority`` block (lab/index.html.j2): every other output
    must stay exactly what Voilà writes. If a new Voilà changes that block, this fails and says where."""
    lab = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab" / "index.html.j2"
    block = re.search(
        r"\{% block data_priority scoped %\}(.*?)\{% endblock data_priority %\}", lab.read_text("utf-8"), re.S
    )
    assert block, f"{lab} n'a plus de bloc data_priority : revoyez faire-avec/index.html.j2."
    voilas = re.search(r"\{% if output %\}(.*?)\{% endif %\}", block.group(1), re.S)
    ours = re.search(r"\{%- elif output -%\}(.*?)\{%- endif -%\}", TEMPLATE.read_text(encoding="utf-8"), re.S)
    assert voilas and ours, "le bloc data_priority de Voilà ou du cours a changé de forme"
    assert voilas.group(1).split() == ours.group(1).split(), (
        "Voilà écrit les sorties autrement que faire-avec/index.html.j2 : recopiez sa branche « if output »."
    )


# --------------------------------------------------------------------------- the course's controls the page uses
def test_a_field_needs_a_name_and_a_known_keyboard_and_shows_its_error_in_french_spacing() -> None:
    from widgets.controls import TextField

    with pytest.raises(ValueError, match="accessible name"):
        TextField("  ")
    with pytest.raises(ValueError, match="inputmode"):
        TextField("Âge", inputmode="tel")
    field = TextField("Âge : en années", "36", hint="De 18 à 64 ans.", inputmode="numeric")
    assert (field.inputmode, field.value, field.label) == ("numeric", "36", typography("Âge : en années"))
    field.show_error("« trente » n'est pas un âge.")
    assert field.error == typography("« trente » n'est pas un âge.") != "« trente » n'est pas un âge."
    field.show_error(None)
    assert field.error == ""
    assert "inputmode" in field._esm and "aria-describedby" in field._esm  # served inline: no CDN


def test_the_status_line_is_shown_only_while_it_says_something_to_wait_for() -> None:
    from widgets.controls import StatusLine

    status = StatusLine()
    status.say("Calcul en cours…", visible=True)
    assert status.visible and status.value == "Calcul en cours…"
    status.say("Les chiffres sont à jour.")  # read once by a screen reader, not shown
    assert not status.visible and status.value == "Les chiffres sont à jour."
    assert 'role", "status"' in status._esm
