"""The group mode's pure rules: codes, which vote is accepted, what a phone may see, how the grid reads.

Why: these rules protect people (nobody sees another person's answer before the trainer shows the
group's; a vote after the end is refused with a sentence, not a traceback) and make the abaque
readable (columns of people who answered alike sit together).
"""

from __future__ import annotations

import pytest

from widgets.salle.model import (
    EXPIRED,
    NOT_CURRENT,
    ROUND_CLOSED,
    SESSION_CLOSED,
    Activity,
    Problem,
    Round,
    RoundState,
    SalleError,
    SessionInfo,
    Snapshot,
    Vote,
    abaque_grid,
    check_round_request,
    check_vote,
    clean_question,
    continuum_cloud,
    display_code,
    new_code,
    normalize_code,
    parse_number,
    participant_view,
    public_state,
    reword_chain,
    tally,
    total_votes,
)

CHOICES = ("vert", "orange", "rouge", "blanc")


def session(current: int | None = 1, closed: float | None = None, expires: float = 1000.0) -> SessionInfo:
    return SessionInfo("123456", 0.0, expires, closed, 3, current, 4)


def round_(
    rid: int = 1, state: RoundState = RoundState.VOTE, items=("",), parent: int | None = None, choices=CHOICES
) -> Round:
    return Round(rid, rid, Activity.FEUX, "feux", f"Affirmation {rid}", tuple(choices), tuple(items), state, parent)


def assert_french(error: SalleError) -> None:
    text = str(error)
    assert text and (text[0].isupper() or text[0] == "«") and text.rstrip().endswith((".", "!"))
    for english in ("Traceback", "Error", "None", "KeyError", "invalid"):
        assert english not in text


def test_codes_are_six_digits_and_typed_codes_are_forgiven():
    digits = iter([4, 8, 2, 9, 1, 3])
    assert new_code(lambda _: next(digits)) == "482913"
    assert normalize_code(" 482 913 ") == "482913"
    assert normalize_code("482-913") == "482913"
    assert display_code("482913") == "482\u00a0913"
    assert normalize_code("٤٨٢ ٩١٣") == "482913"  # an Arabic keypad's digits are digits: ASCII out
    for bad in ("", "   ", "48291", "4829134", "abcdef", None, 482913, "²²²²²²", "①②③④⑤⑥", "48291\u202e3"):
        with pytest.raises(SalleError) as caught:
            normalize_code(bad)
        assert_french(caught.value)
        assert caught.value.problem is Problem.INVALID


def test_question_is_cleaned_and_bounded():
    assert clean_question("  Le   travail pair\n doit être payé. ") == "Le travail pair doit être payé."
    # Tags and emoji are kept (shown as text everywhere); what reorders or hides text is removed.
    hostile = "<script>alert(1)</script> \u202eéyap\u202c <img src=x onerror=alert(2)> 🙂\u200d \x00\x1b[31m"
    assert clean_question(hostile) == "<script>alert(1)</script> éyap <img src=x onerror=alert(2)> 🙂\u200d [31m"
    # RUF001: Arabic on purpose, a question in a right-to-left language keeps its letters.
    assert clean_question("\u2067مرحبا\u2069 et \u200fbonjour") == "مرحبا et \u200fbonjour"  # noqa: RUF001
    for bad in ("", "   ", None, "x" * 401, "\u202e\u2066", "é" * 2000):
        with pytest.raises(SalleError) as caught:
            clean_question(bad)
        assert_french(caught.value)


def test_numbers_are_read_strictly():
    assert parse_number("0", "tour") == 0 and parse_number("999999999", "tour") == 999_999_999
    assert parse_number(42, "tour") == 42
    for odd in (
        "²",
        "٣",
        "1" * 10,
        "1" * 31,
        " 1",
        "1 ",
        "+1",
        "-1",
        "1.0",
        "1e3",
        "",
        None,
        True,
        -1,
        10**9,
        1.0,
        10**30,
    ):
        with pytest.raises(SalleError) as caught:
            parse_number(odd, "tour")
        assert_french(caught.value)
        assert caught.value.problem is Problem.INVALID and "« tour »" in str(caught.value)


def test_round_request_is_checked_before_anything_is_written():
    kind, choices, items = check_round_request("abaque", ["a", "b"], [])
    assert kind is Activity.ABAQUE and choices == ("a", "b") and items == ("",)
    for activity, asked, listed in (
        ("sondage", ["a", "b"], []),
        ("abaque", ["a"], []),
        ("abaque", ["a", "a"], []),
        ("continuum", ["1", "2"], ["s1", "s1"]),
        ("continuum", ["1", "2"], ["s1,s2"]),
        ("continuum", ["1", "2"], [f"s{i}" for i in range(31)]),
    ):
        with pytest.raises(SalleError) as caught:
            check_round_request(activity, asked, listed)
        assert_french(caught.value)


def test_a_vote_is_accepted_only_on_the_current_open_round():
    assert check_vote(session(), round_(), "", "vert", now=10) == ("", "vert")
    assert check_vote(session(), round_(), None, "blanc", now=10) == ("", "blanc")
    cases = [
        (session(expires=5), round_(), "", "vert", EXPIRED, Problem.NOT_FOUND),
        (session(closed=3.0), round_(), "", "vert", SESSION_CLOSED, Problem.CLOSED),
        (session(current=2), round_(), "", "vert", NOT_CURRENT, Problem.CLOSED),
        (session(), round_(state=RoundState.REVEALED), "", "vert", ROUND_CLOSED, Problem.CLOSED),
        (session(), round_(state=RoundState.CLOSED), "", "vert", ROUND_CLOSED, Problem.CLOSED),
    ]
    for info, current, item, value, text, problem in cases:
        with pytest.raises(SalleError) as caught:
            check_vote(info, current, item, value, now=10)
        assert str(caught.value) == text and caught.value.problem is problem
    for bad_item, bad_value in (("", "violet"), ("", None), ("autre", "vert"), (3, "vert"), ("", ["vert"])):
        with pytest.raises(SalleError) as caught:
            check_vote(session(), round_(), bad_item, bad_value, now=10)
        assert_french(caught.value)
        assert caught.value.problem is Problem.INVALID
    with pytest.raises(SalleError) as caught:
        check_vote(session(current=None), None, "", "vert", now=10)
    assert caught.value.problem is Problem.CLOSED


def snapshot_with(votes, rounds=None, current=1) -> Snapshot:
    return Snapshot(session(current=current), tuple(rounds or [round_()]), tuple(Vote(*v) for v in votes))


def test_tally_keeps_the_scale_order_and_zeros():
    snap = snapshot_with([(1, "", 1, "rouge"), (1, "", 2, "vert"), (1, "", 3, "rouge")])
    assert [(c.choice, c.votes) for c in tally(snap, snap.rounds[0])] == [
        ("vert", 1),
        ("orange", 0),
        ("rouge", 2),
        ("blanc", 0),
    ]
    assert total_votes(snap, snap.rounds[0]) == 3


def test_a_phone_never_sees_others_answers_before_the_reveal():
    votes = [(1, "", 1, "vert"), (1, "", 2, "rouge")]
    voting = participant_view(snapshot_with(votes), participant=1)
    assert voting["own"] == {"": "vert"}
    assert "results" not in voting and "answered" not in voting
    revealed = participant_view(snapshot_with(votes, [round_(state=RoundState.REVEALED)]), participant=1)
    assert [(c.choice, c.votes) for c in revealed["results"][""]] == [
        ("vert", 1),
        ("orange", 0),
        ("rouge", 1),
        ("blanc", 0),
    ]
    assert revealed["answered"] == 2
    closed_unrevealed = participant_view(snapshot_with(votes, [round_(state=RoundState.CLOSED)]), participant=1)
    assert closed_unrevealed["round"] is None


def test_phones_reload_only_when_the_trainer_acts_not_at_each_vote():
    info = session()
    before = public_state(info, round_())
    assert public_state(SessionInfo("123456", 0, 1000, None, 99, 1, 30), round_()) == before  # more votes
    assert public_state(info, round_(state=RoundState.REVEALED)) != before
    assert public_state(info, round_(rid=2)) != before
    assert public_state(session(closed=5.0), round_()).endswith(":fin")
    assert public_state(session(current=None), None) != before


def test_grid_puts_people_who_answered_alike_side_by_side():
    rounds = [round_(1, RoundState.REVEALED), round_(2, RoundState.REVEALED)]
    votes = [
        (1, "", 1, "rouge"),
        (1, "", 2, "vert"),
        (1, "", 3, "rouge"),
        (1, "", 4, "vert"),
        (2, "", 1, "rouge"),
        (2, "", 2, "vert"),
        (2, "", 4, "orange"),
    ]
    snap = snapshot_with(votes, rounds, current=2)
    people, rows = abaque_grid(snap, rounds)
    assert people == [2, 4, 1, 3]
    assert rows == [["vert", "vert", "rouge", "rouge"], ["vert", "orange", "rouge", None]]


def test_a_reworded_statement_keeps_its_history():
    rounds = [round_(1, RoundState.REVEALED), round_(2, RoundState.REVEALED, parent=1), round_(3, parent=2)]
    snap = snapshot_with([], rounds, current=3)
    assert [r.id for r in reword_chain(snap, rounds[2])] == [1, 2, 3]
    assert [r.id for r in reword_chain(snap, rounds[0])] == [1]


def test_continuum_cloud_counts_each_situation_on_each_step():
    continuum = Round(7, 1, Activity.CONTINUUM, "continuum", "Où ?", ("1", "2", "3"), ("a", "b"), RoundState.VOTE)
    snap = Snapshot(
        session(current=7),
        (continuum,),
        tuple(Vote(*v) for v in [(7, "a", 1, "2"), (7, "a", 2, "2"), (7, "b", 1, "3"), (7, "a", 3, "1")]),
    )
    cloud = {(p.item, p.position): p.votes for p in continuum_cloud(snap, continuum)}
    assert cloud == {("a", 1): 1, ("a", 2): 2, ("b", 3): 1}
    assert total_votes(snap, continuum) == 3
