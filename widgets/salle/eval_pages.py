"""The phones' page of an evaluation: what it says, drawn by ``templates/evaluation.html``.

Why apart from :mod:`widgets.salle.pages`: an evaluation reads its content from the course's files
(:mod:`widgets.salle.eval_content`) and the phone's own answers under the round's pseudonym
(:meth:`~widgets.salle.store.Store.evaluation_own`), not from the grid's votes. The page is the same
light HTML form as the votes (one tap per answer, large targets, readable without JavaScript), and
every text goes through Jinja's autoescaping.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from widgets.fr import plural
from widgets.quiz.model import verdict
from widgets.salle import eval_content
from widgets.salle.evaluation import (
    ABSTAIN,
    ABSTAIN_LABEL,
    MAX_TEXT,
    SEVERAL_JOIN,
    EvalItem,
    Kind,
    Moment,
    item_result,
    read_tag,
    respondents,
)
from widgets.salle.model import Activity, RoundState, Snapshot, public_state
from widgets.salle.pages import render

if TYPE_CHECKING:
    from widgets.salle.web import BaseHandler

PART_TITLES = {"apprentissage": "Ce que j'ai appris", "satisfaction": "Ce que j'en pense"}
SAVED = "Merci : vos réponses sont enregistrées. Vous pouvez encore les changer tant que le questionnaire est ouvert."
LETTERS = string.ascii_uppercase


def _letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def _questionnaire(items: Sequence[EvalItem], values: Mapping[str, str]) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for item in items:
        if not parts or parts[-1]["id"] != item.part:
            parts.append({"id": item.part, "title": PART_TITLES.get(item.part, item.part), "items": []})
        parts[-1]["items"].append(
            {
                "id": item.id,
                "text": item.text,
                "kind": item.kind.value,
                "options": item.options,
                "value": values.get(item.id, ""),
            }
        )
    return parts


def _results(item: EvalItem, snapshot_answers: Sequence[Any], own: str, show_right: bool) -> list[dict[str, Any]]:
    result = item_result(item, snapshot_answers)
    mine = set(own.split(SEVERAL_JOIN)) if own else set()
    rows = []
    for index, count in enumerate(result.counts):
        notes = []
        if count.option.id in mine:
            notes.append("✔ votre réponse")
        if count.right and show_right:
            notes.append("◆ bonne réponse")
        explanation = item.explanations[index] if index < len(item.explanations) else ""
        rows.append(
            {
                "letter": _letter(index),
                "label": count.option.label,
                "notes": notes,
                "share": f"{100 * count.count / result.answered:.0f}" if result.answered else "0",
                "votes": plural(count.count, "réponse"),
                "explanation": explanation,
                "verdict": verdict(count.right),
            }
        )
    rows.append(
        {
            "letter": "○",
            "label": ABSTAIN_LABEL,
            "notes": ["✔ votre réponse"] if own == ABSTAIN else [],
            "share": "0",
            "votes": plural(result.abstained, "personne"),
            "explanation": "",
            "verdict": "",
        }
    )
    return rows


async def evaluation_page(
    handler: BaseHandler,
    code: str,
    snapshot: Snapshot,
    token: str | None,
    notice: str = "",
    notice_kind: str = "ok",
    status: int = 200,
    typed: Mapping[str, str] | None = None,
) -> None:
    """Answer ``handler`` with the page of the session's current evaluation for this phone.

    ``typed``: what the phone sent and the server refused, shown again so that nothing typed is lost.
    """
    round_ = snapshot.current
    if round_ is None:  # the caller checked it; said rather than assumed
        return
    items = eval_content.items_of(round_)
    own = await handler.rooms.call(handler.store.evaluation_own, code, token, round_.id)
    tag = read_tag(round_.tag)
    revealed = round_.state is RoundState.REVEALED
    context: dict[str, Any] = {
        "code": code,
        "state": public_state(snapshot.session, round_),
        "kind": round_.activity.value,
        "notice": notice,
        "notice_kind": notice_kind,
        "round_id": round_.id,
        "xsrf": Markup(handler.xsrf_field()),  # noqa: S704 - tornado's own anti-CSRF field, the one trusted piece of HTML
        "revealed": revealed,
        "results": None,
        "max_text": MAX_TEXT,
        "abstain": ABSTAIN_LABEL,
    }
    if round_.activity is Activity.QUESTIONNAIRE:
        saved = SAVED if own and not notice and handler.get_query_argument("ok", "") == "1" else ""
        context.update(heading=round_.question, parts=_questionnaire(items, {**own, **(typed or {})}), saved=saved)
        title = "Questionnaire"
    else:
        item = items[0]
        mine = own.get("", "")
        context["item"] = item
        if revealed:
            answers = await handler.rooms.call(handler.store.evaluation_answers, code, round_.id)
            people = respondents(answers, round_.id).total
            show_right = round_.activity is Activity.QUIZ and tag.moment is not Moment.BEFORE
            context.update(
                results=_results(item, answers, mine, show_right),
                people=f"{plural(people, 'personne')} {'ont' if people > 1 else 'a'} répondu.",
                show_right=show_right,
                right_later=round_.activity is Activity.QUIZ and tag.moment is Moment.BEFORE,
            )
            title = "Résultats"
        else:
            chosen = set(mine.split(SEVERAL_JOIN)) if mine else set()
            options: list[dict[str, Any]] = [
                {"id": o.id, "label": o.label, "letter": _letter(i), "chosen": o.id in chosen}
                for i, o in enumerate(item.options)
            ]
            if item.kind is not Kind.SEVERAL:
                options.append({"id": ABSTAIN, "label": ABSTAIN_LABEL, "letter": "○", "chosen": mine == ABSTAIN})
            confirmation = ""
            if mine:
                said = ABSTAIN_LABEL if mine == ABSTAIN else ", ".join(o["letter"] for o in options if o["chosen"])
                confirmation = f"Votre réponse est enregistrée : {said}. Vous pouvez changer d'avis tant que la question est ouverte."
            context.update(
                options=options,
                several=item.kind is Kind.SEVERAL,
                passed=mine == ABSTAIN,
                mine=confirmation,
                legend="Votre réponse",
            )
            title = "Votre réponse"
    handler.set_status(status)
    handler.finish(render("evaluation.html", handler.rooms.static, title=title, **context))
