"""The kit's data files and the ready sessions built from them and from the chapters."""

from __future__ import annotations

import textwrap

import pytest

from widgets import data
from widgets.data import DataFileError
from widgets.kit import content, plans
from widgets.kit.chapters import load_chapters
from widgets.kit.model import Fit, Kind, Phase, check, timeline

TOOLS = content.load_tools()


def test_the_tools_file_covers_every_epic_stage_with_sourced_facts():
    assert len(TOOLS) >= 8
    assert {t.phase for t in TOOLS} == set(Phase)
    for tool in TOOLS:
        assert tool.min_minutes <= tool.minutes <= tool.max_minutes, tool.id
        assert tool.report and tool.source and tool.material, tool.id
        if tool.group_min is not None:
            assert tool.group_origin in ("source", "compte rendu"), tool.id
    abaque = next(t for t in TOOLS if t.id == "abaque")
    assert (abaque.group_min, abaque.group_max, abaque.minutes_origin) == (5, 15, "source")


def test_ready_sessions_fit_their_length_day_by_day_without_long_stretches():
    tools = content.tools_by_id()
    ready = {spec.id: plans.build_plan(spec) for spec in content.load_session_specs()}
    assert set(ready) == {"trois-heures", "une-journee", "deux-journees"}
    assert (ready["trois-heures"].length, ready["une-journee"].length, ready["deux-journees"].length) == (180, 420, 840)
    for plan_id, plan in ready.items():
        result = check(plan, tools)
        assert result.fit is Fit.EXACT, f"{plan_id} : {result.total} min au lieu de {result.length}"
        assert not result.stretches, plan_id
        assert not result.unbalanced_days, plan_id
        assert result.days_found == plan.days, plan_id
        assert not result.unusual, plan_id
        assert any(i.kind is Kind.BREAK for i in plan.items), plan_id
        assert plan.items[-1].kind is Kind.EVALUATION or plan.items[-2].kind is Kind.EVALUATION, plan_id
    # The two-day session makes the group live all four EPIC stages.
    assert check(ready["deux-journees"], tools).phases == tuple(Phase)


def test_a_ready_session_takes_its_durations_from_the_chapter_not_from_a_copy():
    chapters = {c.id: c for c in load_chapters()}
    spec = next(s for s in content.load_session_specs() if s.id == "trois-heures")
    plan = plans.build_plan(spec)
    first = next(e for e in spec.entries if e.kind == "chapitre")
    chapter = chapters[first.chapter or ""]
    steps = [i for i in plan.items if i.chapter == chapter.id][: len(first.steps)]
    assert [i.minutes for i in steps] == [chapter.step(n).minutes for n in first.steps]
    assert [i.title for i in steps] == [chapter.step(n).text for n in first.steps]
    # The plan ends on time: last slot ends at start + length (no meal in a 3-hour session).
    assert timeline(plan)[-1].end == plan.start + plan.length


def write_sessions(tmp_path, monkeypatch, body: str):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "seances.yml").write_text(textwrap.dedent(body), encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    content.load_session_specs.cache_clear()
    return tmp_path


HEAD = """
- id: essai
  titre: Essai
  duree_minutes: 60
  jours: 1
  debut: "9 h"
  public: Tous.
  objectif: Essayer.
  evaluation: Questionnaire.
  deroule:
"""


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        ("    - type: chapitre\n      chapitre: 99-inconnu\n", "deroule[1].chapitre", "n'est pas un chapitre"),
        (
            "    - type: chapitre\n      chapitre: 01-pairite\n      etapes: [42]\n",
            "deroule[1].etapes",
            "pas d'étape 42",
        ),
        ("    - type: outil\n      outil: fusee\n", "deroule[1].outil", "n'est pas un outil"),
        ("    - type: pause\n", None, "doit avoir le champ « minutes »"),
        ("    - type: sieste\n      minutes: 5\n", "deroule[1].type", "n'est pas une valeur permise"),
    ],
)
def test_a_wrong_session_line_names_file_entry_and_field(tmp_path, monkeypatch, lines, where, message):
    write_sessions(tmp_path, monkeypatch, HEAD + lines)
    try:
        with pytest.raises(DataFileError, match=message) as error:
            plans.ready_plans()
        assert "seances.yml" in str(error.value) and "entrée n° 1" in str(error.value)
        if where:
            assert f"colonne « {where} »" in str(error.value)
    finally:
        content.load_session_specs.cache_clear()


def test_a_tool_with_a_duration_outside_its_range_is_refused(tmp_path, monkeypatch):
    (tmp_path / "kit").mkdir()
    source = (data.REPO_ROOT / "data" / "kit" / "outils.yml").read_text(encoding="utf-8")
    (tmp_path / "kit" / "outils.yml").write_text(source.replace("  duree: 10\n", "  duree: 99\n", 1), encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    content.load_tools.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"outils\.yml, entrée n° 1 .*la durée conseillée \(99 min\)"):
            content.load_tools()
    finally:
        content.load_tools.cache_clear()


def test_a_chapter_step_that_is_only_a_pause_becomes_a_break():
    from pathlib import Path

    from widgets.kit.chapters import Chapter, Step

    chapter = Chapter(
        id="09-essai",
        path=Path("09-essai.md"),
        title="Essai",
        objectives=("a",),
        group_minutes=60,
        duration_text="1 h en groupe",
        audience="",
        material="des post-it",
        session_minutes=60,
        opening_question="?",
        steps=(
            Step(1, "Débat en petits groupes.", 45, ("feux-tricolores",), (Phase.PARTICIPER,)),
            Step(2, "Pause.", 15),
        ),
        pitfalls=(),
    )
    debate, pause = plans.step_items(chapter, (), TOOLS)
    assert (debate.kind, debate.minutes, debate.phases) == (Kind.STEP, 45, (Phase.PARTICIPER,))
    assert debate.material[0] == "Chapitre 9 — Essai : des post-it"
    assert any("rouge" in m for m in debate.material[1:])  # the cards of the tool it names
    assert (pause.kind, pause.title, pause.minutes) == (Kind.BREAK, "Pause", 15)
    assert plans.is_break("Pause café") and not plans.is_break("Pauser la vidéo puis débattre")
