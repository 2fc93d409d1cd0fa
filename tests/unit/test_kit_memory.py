"""The session planner keeps the plan being edited in the browser: what it stores, what it accepts back
(a line the course no longer has is dropped, the rest is kept), and the view's save, restore and reset."""

from __future__ import annotations

import json
from dataclasses import replace

from widgets.kit.chapters import load_chapters
from widgets.kit.content import load_session_specs, load_tools
from widgets.kit.memory import plan_state, restored_plan
from widgets.kit.model import Item, Kind, Phase, Plan, add, move, set_minutes
from widgets.kit.plans import build_plan

LENGTHS = {(180, 1), (420, 1), (840, 2)}


def _known():
    return {t.id for t in load_tools()}, {c.id for c in load_chapters()}


def test_a_plan_comes_back_the_same_through_json():
    tools, chapters = _known()
    plan = build_plan(load_session_specs()[0])
    edited = move(set_minutes(plan, 0, 25), 0, 2)
    edited = add(edited, Item(Kind.ACTIVITY, "Tour de table « météo » ?", 15, phases=(Phase.EXISTER,)))
    edited = replace(edited, title="Ma séance du jeudi", start=13 * 60 + 30, length=420)
    stored = json.loads(json.dumps(plan_state(edited)))
    empty_base = Plan("Ma séance", 180)
    back, dropped = restored_plan(stored, replace(plan, items=()), tools, chapters, LENGTHS)
    assert dropped == 0
    assert back == edited  # objectives, audience and material come from the base: the same session here
    assert restored_plan(stored, empty_base, tools, chapters, LENGTHS)[0].items == edited.items


def test_what_no_longer_fits_is_dropped_line_by_line_and_the_rest_is_kept():
    tools, chapters = _known()
    base = build_plan(load_session_specs()[0])
    good = plan_state(base)["lignes"][0]
    stored = {
        "titre": 12,  # not a text: the base's title stays
        "duree": 999,  # a length the planner does not offer
        "jours": 1,
        "debut": 24 * 60,  # not a time of day
        "lignes": [
            good,
            {**good, "outils": ["outil-disparu"]},
            {**good, "chapitre": "99-inconnu"},
            {**good, "type": "inconnu"},
            {**good, "minutes": -5},
            {**good, "minutes": True},
            {**good, "etapes": ["rever"]},
            "pas une ligne",
        ],
    }
    back, dropped = restored_plan(stored, base, tools, chapters, LENGTHS)
    assert dropped == 7
    assert back.items == (base.items[0],)
    assert (back.title, back.length, back.start) == (base.title, base.length, base.start)
    assert restored_plan("pas un dict", base, tools, chapters, LENGTHS) == (base, 0)
    assert restored_plan({"lignes": "x"}, base, tools, chapters, LENGTHS) == (base, 0)


def test_the_planner_saves_restores_and_forgets_in_the_browser():
    from widgets.kit.planner.view import EMPTY_CHOICE, PlannerView

    view = PlannerView(load_tools(), load_chapters())
    assert view.memory.saved == ""  # nothing stored before the trainer does something
    first_items = view.plan.items
    view.rows[0].minutes.value = str(first_items[0].minutes + 5)
    view.on_move(0, 1)
    view.title.value = "Séance de jeudi"
    view.choice.value = EMPTY_CHOICE
    saved = view.memory.saved
    stored = json.loads(saved)
    assert stored["choix"] == EMPTY_CHOICE and stored["modifie"] is True
    assert stored["plan"]["titre"] == "Séance de jeudi"

    again = PlannerView(load_tools(), load_chapters())
    again.memory.restored = saved
    assert again.plan.items == view.plan.items
    assert again.rows[1].item.minutes == first_items[0].minutes + 5
    assert again.choice.value == EMPTY_CHOICE and again.title.value == "Séance de jeudi"
    assert again.changed  # « Repartir de cette séance » still asks before replacing the plan
    assert again.notice.value == ""

    again._on_reset()
    assert again.memory.saved == ""
    assert again.plan.items == first_items and again.choice.value == again.first and not again.changed


def test_the_planner_says_when_stored_lines_were_dropped():
    from widgets.kit.planner.view import PlannerView

    view = PlannerView(load_tools(), load_chapters())
    stored = json.loads(json.dumps({"plan": plan_state(view.plan), "depart": view.first}))
    stored["plan"]["lignes"][0]["outils"] = ["outil-disparu"]
    stored["plan"]["lignes"][1]["type"] = "inconnu"
    view.memory.restored = json.dumps(stored)
    assert len(view.plan.items) == len(stored["plan"]["lignes"]) - 2
    assert "2 lignes de votre déroulé ont été retirées" in view.notice.value
