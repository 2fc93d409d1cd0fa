"""The session planner's model, wording and exports: totals, clock times, French messages, files."""

from __future__ import annotations

import base64
from datetime import date

import pytest

from widgets.errors import InputError
from widgets.kit import export, wording
from widgets.kit.model import (
    Fit,
    Item,
    Kind,
    Phase,
    Plan,
    Tool,
    add,
    check,
    material,
    move,
    parse_clock,
    remove,
    set_length,
    set_minutes,
    timeline,
    tool_item,
    total_minutes,
)

NB = "\u00a0"


def make_tool(tool_id: str = "meteo", phase: Phase = Phase.EXISTER, minutes: int = 10) -> Tool:
    return Tool(
        id=tool_id,
        name=f"Outil {tool_id}",
        phase=phase,
        other_phases=(),
        purpose="But.",
        instruction=f"Consigne de {tool_id}.",
        minutes=minutes,
        min_minutes=5,
        max_minutes=15,
        minutes_origin="conseil du cours",
        group="Tout le groupe.",
        group_min=None,
        group_max=None,
        group_origin="non précisé",
        material=(f"matériel de {tool_id}",),
        report="Ce que dit le compte rendu.",
        accessibility="Accessible.",
        source=f"Source de {tool_id}",
        keywords=(tool_id,),
    )


def activity(title: str, minutes: int) -> Item:
    return Item(Kind.ACTIVITY, title, minutes)


def plan_of(*items: Item, length: int = 60, days: int = 1, start: int = 9 * 60) -> Plan:
    return Plan("Essai", length, start=start, days=days, items=tuple(items))


def test_timeline_counts_from_the_start_and_meals_do_not_count():
    plan = plan_of(
        activity("A", 30), Item(Kind.BREAK, "Pause", 15), Item(Kind.MEAL, "Repas", 60), activity("B", 45), length=90
    )
    slots = timeline(plan)
    assert [(s.start, s.end) for s in slots] == [(540, 570), (570, 585), (585, 645), (645, 690)]
    assert total_minutes(plan) == 90  # 30 + 15 + 45: the meal is not session time
    assert check(plan).fit is Fit.EXACT


def test_a_new_day_restarts_the_clock_and_days_are_checked_one_by_one():
    plan = plan_of(activity("A", 100), Item(Kind.NEW_DAY, "Jour suivant"), activity("B", 80), length=180, days=2)
    slots = timeline(plan)
    assert (slots[2].day, slots[2].start, slots[2].end) == (2, 540, 620)
    result = check(plan)
    assert result.fit is Fit.EXACT
    assert [(d.day, d.minutes, d.expected) for d in result.unbalanced_days] == [(1, 100, 90), (2, 80, 90)]
    assert "Le jour 1 dure 1" in wording.warnings(result)[0]


def test_over_and_under_say_by_how_much_in_french():
    over = check(plan_of(activity("A", 50), activity("B", 25), length=60))
    assert over.fit is Fit.OVER and over.difference == 15
    kind, text = wording.fit_message(over)
    assert kind == "error"
    assert text.startswith(f"✘ Le déroulé dure 1{NB}h{NB}15, soit 15{NB}min de trop pour une séance de 1{NB}h.")

    under = check(plan_of(activity("A", 40), length=180))
    kind, text = wording.fit_message(under)
    assert kind == "close" and under.difference == -140
    assert f"il reste 2{NB}h{NB}20 non prévues dans une séance de 3{NB}h" in text

    exact = check(plan_of(activity("A", 60), length=60))
    assert wording.fit_message(exact) == (
        "right",
        f"✔ Le déroulé dure 1{NB}h : il tient exactement dans la séance (1{NB}h).",
    )
    assert check(plan_of(length=60)).fit is Fit.EMPTY


def test_long_stretches_without_a_break_are_flagged_with_their_times():
    plan = plan_of(activity("A", 90), activity("B", 60), Item(Kind.BREAK, "Pause", 15), activity("C", 60), length=225)
    result = check(plan)
    assert [(s.start, s.end) for s in result.stretches] == [(540, 690)]
    assert wording.warnings(result) == [
        f"2{NB}h{NB}30 sans pause, de 9{NB}h{NB}00 à 11{NB}h{NB}30 : prévoyez une pause au moins toutes les deux heures."
    ]
    # Exactly two hours is still fine.
    assert not check(plan_of(activity("A", 120), length=120)).stretches


def test_tools_bring_their_phase_duration_and_material_and_unusual_durations_are_hinted():
    meteo, boat = make_tool("meteo"), make_tool("boat", Phase.CONSTRUIRE, 12)
    plan = plan_of(tool_item(meteo), tool_item(boat, minutes=40), length=50)
    assert [i.minutes for i in plan.items] == [10, 40]
    result = check(plan, {"meteo": meteo, "boat": boat})
    assert result.phases == (Phase.EXISTER, Phase.CONSTRUIRE)
    assert result.missing_phases == (Phase.PARTICIPER, Phase.INTERROGER)
    assert [(u.index, u.minutes) for u in result.unusual] == [(1, 40)]
    assert f"Ligne 2 : Outil boat dure d'habitude 5{NB}min à 15{NB}min ; vous avez prévu 40{NB}min." in (
        wording.warnings(result)
    )
    assert material(plan) == ("matériel de meteo", "matériel de boat")
    assert wording.phases_summary(result) == (
        "Étapes EPIC vécues : E Exister, C Construire. Pas encore : Participer, Interroger."
    )


def test_editing_returns_new_plans_and_refuses_bad_input_in_french():
    plan = plan_of(activity("A", 10), activity("B", 20), activity("C", 30))
    assert [i.title for i in move(plan, 2, -1).items] == ["A", "C", "B"]
    assert [i.title for i in move(plan, 0, -1).items] == ["A", "B", "C"]  # clamped
    assert [i.title for i in remove(plan, 1).items] == ["A", "C"]
    assert [i.title for i in add(plan, activity("D", 5), 1).items] == ["A", "D", "B", "C"]
    assert set_minutes(plan, 1, 25).items[1].minutes == 25
    assert [i.minutes for i in plan.items] == [10, 20, 30]  # the original is untouched
    estimated = plan_of(Item(Kind.STEP, "Étape", 20, estimated=True))
    assert not set_minutes(estimated, 0, 20).items[0].estimated
    with pytest.raises(InputError, match="au moins 1 minute"):
        set_minutes(plan, 0, 0)
    with pytest.raises(InputError, match="minutes entières"):
        set_minutes(plan, 0, 12.5)
    with pytest.raises(InputError, match="plus qu'une journée"):
        set_minutes(plan, 0, 900)
    for stale in (7, 3, -1, True, 1.0):  # removed meanwhile, or not a line number at all
        for edit in (lambda i: remove(plan, i), lambda i: move(plan, i, 1), lambda i: set_minutes(plan, i, 15)):
            with pytest.raises(InputError, match=r"Cette ligne n'existe plus dans le déroulé\.") as caught:
                edit(stale)
            assert caught.value.field == "items"
    with pytest.raises(InputError, match="entre 15 minutes et 5 jours"):
        set_length(plan, 5)
    assert set_length(plan, 840, days=2).days == 2


@pytest.mark.parametrize(
    ("text", "minutes"), [("9 h 30", 570), ("9h30", 570), ("09:30", 570), ("14", 840), ("8 h", 480)]
)
def test_clock_times_are_read_the_french_way(text, minutes):
    assert parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["neuf heures", "25 h", "9 h 75", ""])
def test_wrong_clock_times_get_a_french_message(text):
    with pytest.raises(InputError, match="Écrivez par exemple 9 h 30"):
        parse_clock(text)


def test_wording_of_durations_and_times():
    assert wording.duration(45) == f"45{NB}min"
    assert wording.duration(60) == f"1{NB}h"
    assert wording.duration(90) == f"1{NB}h{NB}30"
    assert wording.duration(845) == f"14{NB}h{NB}05"
    assert wording.clock(9 * 60 + 5) == f"9{NB}h{NB}05"
    assert wording.item_minutes(Item(Kind.STEP, "x", 25, estimated=True)) == f"≈{NB}25{NB}min"
    assert wording.length_text(840, 2) == f"2 jours de 7{NB}h (14{NB}h en tout)"


def sample_plan() -> tuple[Plan, dict[str, Tool]]:
    meteo = make_tool("meteo")
    plan = Plan(
        "Séance <essai> | test",
        60,
        start=14 * 60,
        items=(
            tool_item(meteo),
            Item(Kind.STEP, "Débat en | petits groupes", 35, chapter="01-pairite", detail="Chapitre 1, étape 3."),
            Item(Kind.BREAK, "Pause", 15),
            Item(Kind.EVALUATION, "Questionnaire de fin de séance", 10),
        ),
        objectives=("Comprendre <vraiment>.",),
        evaluation="Questionnaire.",
    )
    return plan, {"meteo": meteo}


def test_markdown_export_has_the_timed_sequence_message_material_and_sources():
    plan, tools = sample_plan()
    text = export.to_markdown(plan, {}, tools, date(2026, 10, 1))
    assert text.startswith("# Séance <essai> | test\n")
    assert "*Plan de séance fait le 1er octobre 2026" in text
    assert (
        f"| 14{NB}h{NB}00 – 14{NB}h{NB}10 | 10{NB}min | Outil — Outil meteo<br>*Consigne de meteo.* | E Exister |"
        in text
    )
    assert (
        f"| 14{NB}h{NB}10 – 14{NB}h{NB}45 | 35{NB}min | Débat en \\| petits groupes<br>*Chapitre 1, étape 3.* | — |"
        in text
    )
    assert f"**✘ Le déroulé dure 1{NB}h{NB}10, soit 10{NB}min de trop pour une séance de 1{NB}h." in text
    assert "- matériel de meteo" in text
    assert "- Outil meteo : Source de meteo" in text
    assert "ni enregistré ni envoyé" in text


def test_html_export_is_escaped_self_contained_and_printable():
    plan, tools = sample_plan()
    page = export.to_html(plan, {}, tools, date(2026, 10, 1))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<h1>Séance &lt;essai&gt; | test</h1>" in page
    assert "Comprendre &lt;vraiment&gt;." in page
    assert "<script" not in page and "http" not in page.split("<body>")[1].split("Sources")[0]
    assert page.count("<tr") == 5  # header + 4 lines
    assert '<tr class="fa-kit-break">' in page
    assert "@media print" in page
    uri = export.data_uri(page)
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == page
