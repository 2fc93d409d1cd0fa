"""The trainer's screen tells the truth about the room: can phones connect, what to do if not, when
the session closed; and paper votes typed in reach the store.

The participants' server is real (``/sante`` over HTTP) where reachability is the question; the
address it would announce for the room is written in the store as ``--salle`` writes it, so that no
test opens a socket to the network.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.support.salle_server import SalleServer
from widgets.salle import network, server
from widgets.salle.screen import reach
from widgets.salle.screen.questions import StatementQuestions
from widgets.salle.store import META_LOCAL_URL, META_NETWORK, META_PUBLIC_URL, KeyRing, Store
from widgets.salle.view import SalleView


@pytest.fixture
def store(tmp_path):
    opened = Store(None, tmp_path)
    yield opened
    opened.close()


def text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def card(view: SalleView) -> str:
    """The session's code (with the QR code when shown) and the lines under it."""
    return view.session.badge.value + view.session.info.value


def test_what_the_server_announces_for_this_computer_the_room_or_no_network(store, monkeypatch):
    assert server.announce(store, network.LOCAL_HOST, 8765, room=False) == "http://127.0.0.1:8765/"
    assert store.meta(META_NETWORK) == "local"
    monkeypatch.setattr(network, "lan_address", lambda: "192.168.1.12")
    assert server.announce(store, network.LOCAL_HOST, 8765, room=True) == "http://192.168.1.12:8765/"
    assert store.meta(META_NETWORK) == "salle"
    monkeypatch.setattr(network, "lan_address", lambda: None)
    assert server.announce(store, network.LOCAL_HOST, 8765, room=True) == "http://127.0.0.1:8765/"
    assert store.meta(META_NETWORK) == "sans-reseau"


def test_reachability_is_asked_to_the_server_itself(tmp_path, store):
    assert reach.check(store).reach is reach.Reach.STOPPED  # nothing announced, nothing answers
    participants = SalleServer(tmp_path).start()  # like « make serve »: this computer only
    try:
        status = reach.check(store)
        assert status.reach is reach.Reach.THIS_COMPUTER and not status.room
        said = text(reach.status_html(status))
        assert "ne peuvent pas encore joindre cet ordinateur" in said and "FAIRE_AVEC_SALLE=1 make serve" in said
        assert "Reprendre la séance" in said  # the session is kept across the restart: the page says so

        # What « --salle » announces on a room's network; « localhost » reaches the same server here.
        store.set_meta(META_NETWORK, "salle")
        store.set_meta(META_PUBLIC_URL, f"http://localhost:{participants.port}/")
        status = reach.check(store)
        assert status.room and status.public == f"http://localhost:{participants.port}/"
        assert "peuvent se connecter" in text(reach.status_html(status))

        # The laptop moved to another network: the announced address no longer answers.
        store.set_meta(META_PUBLIC_URL, f"http://127.0.0.2:{participants.port}/")
        status = reach.check(store)
        assert status.reach is reach.Reach.MOVED and "changé de réseau" in text(reach.status_html(status))
    finally:
        participants.stop()
    assert reach.check(store).reach is reach.Reach.STOPPED
    assert "ne répond pas" in text(reach.status_html(reach.check(store)))


def test_the_qr_code_and_the_address_are_shown_only_when_phones_can_use_them(tmp_path, store, monkeypatch):
    view = SalleView("meteo", store, KeyRing(tmp_path))
    view.session.open()
    store.set_meta(META_LOCAL_URL, "http://127.0.0.1:8765/")
    store.set_meta(META_NETWORK, "local")
    monkeypatch.setattr(reach, "answers", lambda url: True)
    view.session.checked_at = 0.0  # check again now
    view.screen.show()
    shown = card(view)
    assert "<svg" not in shown and "scanner" not in shown and "ne peuvent pas encore joindre" in text(shown)

    store.set_meta(META_NETWORK, "salle")
    store.set_meta(META_PUBLIC_URL, "http://192.168.1.12:8765/")
    view.session.checked_at = 0.0
    view.screen.show()
    shown = card(view)
    assert view.screen.snapshot is not None
    code = view.screen.snapshot.session.code
    assert "<svg" in shown and "scanner le QR code" in shown and "http://192.168.1.12:8765/" in shown
    assert f"QR code pour rejoindre la séance {code[:3]}" in shown


def test_a_closed_session_shows_when_it_closed_and_invites_nobody(tmp_path, store, monkeypatch):
    monkeypatch.setattr(reach, "answers", lambda url: True)
    store.set_meta(META_LOCAL_URL, "http://127.0.0.1:8765/")
    store.set_meta(META_NETWORK, "salle")
    store.set_meta(META_PUBLIC_URL, "http://192.168.1.12:8765/")
    view = SalleView("meteo", store, KeyRing(tmp_path))
    view.session.open()
    assert view.screen.trainer is not None and view.screen.snapshot is not None
    code, secret = view.screen.trainer.code, view.screen.trainer.secret
    opened = view.screen.snapshot.session.created_at
    store.close_session(code, secret, now=opened + 2 * 3600 + 35 * 60)
    view.screen.update()
    said = text(card(view))
    hours = time.localtime(opened + 2 * 3600 + 35 * 60)
    assert f"fermée à {hours.tm_hour} h {hours.tm_min:02d}" in said
    assert "plus personne ne peut répondre" in said
    assert "<svg" not in card(view) and "scanner" not in said and "taper le code" not in said


def test_a_paper_vote_typed_on_the_screen_reaches_the_store_and_the_grid(tmp_path, store):
    view = SalleView("abaque", store, KeyRing(tmp_path))
    view.session.open()
    questions = view.questions
    assert isinstance(questions, StatementQuestions) and view.screen.trainer is not None
    questions.question.value = "Le travail pair doit être payé."
    questions.ask()
    view.paper.add()
    [choices] = view.paper.rows.children
    assert choices.description == "P1 (papier)" and choices.value == ""
    choices.value = "abaque-rouge"
    snapshot = store.snapshot(view.screen.trainer.code)
    assert [(v.participant, v.value) for v in snapshot.votes] == [(1, "abaque-rouge")] and snapshot.paper == {1}
    assert "dont 1 sur papier" in view.results.info.value
    assert "(sur papier)" in view.results.details.value  # the grid's column says it
    assert view.paper.rows.children == (choices,)  # kept across redraws (the keyboard stays on it)


def test_the_evaluation_pages_count_hide_when_projected_and_take_a_paper_sheet(tmp_path, store):
    """The questionnaire's and the quiz's pages, made of the same panels as the votes' page."""
    from widgets.salle import tokens
    from widgets.salle.eval_view import COUNTED, EvaluationView
    from widgets.salle.screen.eval_questions import QuestionnaireQuestions, QuizQuestions

    view = EvaluationView("questionnaire", store, KeyRing(tmp_path))
    view.session.open()
    questions, paper = view.questions, view.paper
    assert isinstance(questions, QuestionnaireQuestions) and paper is not None
    questions.source.value = "plan:trois-heures"
    questions.ask()
    assert view.screen.trainer is not None
    code = view.screen.trainer.code
    phone = tokens.issue(store.session(code).participant_key, code)
    snapshot = view.screen.snapshot
    assert snapshot is not None and snapshot.current is not None
    store.evaluation_answer(code, phone, snapshot.current.id, {"appris": "<b>Écouter</b> avant tout."})
    view.screen.update()
    assert COUNTED in view.session.info.value and "ont voté" not in view.session.info.value
    assert "1 questionnaire reçu" in text(view.results.info.value)
    assert "&lt;b&gt;Écouter&lt;/b&gt; avant tout." in view.results.details.value  # as typed, never as markup

    view.stage.projected({"new": True})  # « Mode projecteur »: the code and the counts side by side
    assert "salle-projecteur" in view.root._dom_classes and view.results.hide.value
    assert view.stage.scene.children == (view.results.info,) and view.session.badge in view.stage.controls.children
    assert "Écouter" not in view.results.details.value and "Réponses cachées" in view.results.details.value

    paper.fields["rythme"].value = "tout-a-fait"
    paper.save()
    assert "2 questionnaires reçus dont 1 sur papier" in text(view.results.info.value)
    paper.save()  # an empty sheet: refused in French, nothing written
    assert "vide" in paper.message.value and len(store.evaluation_answers(code)) == 2
    view.results.reveal()  # closed: the room may now see what came in
    assert "Écouter" in view.results.details.value and view.results.reveal_button.layout.display == "none"

    quiz = EvaluationView("quiz", store, KeyRing(tmp_path))
    quiz.session.resume(code)
    quiz_questions = quiz.questions
    assert isinstance(quiz_questions, QuizQuestions)
    quiz_questions.moment.value = "avant"
    quiz_questions.ask()
    assert "Question ouverte : 0 réponse" in text(quiz.results.info.value)
    quiz.results.reveal()
    shown = text(quiz.results.info.value)
    assert "Résultats montrés au groupe" in shown and "✔" not in shown  # « avant » gives nothing away
    assert "Avant / après" in quiz.results.details.value
