"""The trainer's actions, in one place for the Voilà view, the HTTP endpoints and the benchmark.

Why here and not in the view: whether the trainer clicks in Voilà or a script calls
``/api/formateur/…``, a question gets the same answers (from ``data/salle/``), a continuum round the
same situations, and every action is checked against the session's trainer key by the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from widgets.salle import content
from widgets.salle.model import EVALUATIONS, Activity, Round, SalleError, SessionInfo, Snapshot
from widgets.salle.store import KeyRing, Store

METEO_QUESTIONS = {
    "arrivee": "Météo d'arrivée : comment vous sentez-vous en arrivant ?",
    "depart": "Météo de départ : comment repartez-vous ?",
}


def scale_id_for(activity: Activity) -> str:
    return "continuum" if activity is Activity.CONTINUUM else content.SCALE_OF[activity]


def ask(
    store: Store,
    code: str,
    secret: str,
    activity: object,
    question: object,
    items: Sequence[str] = (),
    parent_id: int | None = None,
    tag: str = "",
    now: float | None = None,
) -> Round:
    """Put a question to the group with the answers of its activity (see ``data/salle/echelles.csv``)."""
    try:
        kind = Activity(str(activity))
    except ValueError:
        names = ", ".join(a.value for a in Activity)
        raise SalleError(f"Activité inconnue « {str(activity)[:40]} » : choisissez parmi {names}.") from None
    if kind in EVALUATIONS:  # their own content and checks: widgets.salle.eval_trainer
        raise SalleError(
            "Le quiz, « Suis-je prêt·e ? » et le questionnaire se lancent depuis leur page (ou …/evaluation)."
        )
    scale = content.scale_for(scale_id_for(kind))
    if scale is None:  # pragma: no cover - load_scales() guarantees every scale exists
        raise SalleError(f"Il manque les réponses de l'activité « {kind.value} » dans data/salle/echelles.csv.")
    if kind is Activity.CONTINUUM:
        from widgets.continuum.content import load_situations

        known = {s.id for s in load_situations()}
        unknown = [i for i in items if i not in known]
        if not items or unknown:
            raise SalleError("Choisissez une ou plusieurs situations du continuum (data/continuum/situations.csv).")
    elif items:
        raise SalleError("Seul le continuum se joue sur plusieurs situations à la fois.")
    if kind is Activity.METEO and not tag:
        tag = "arrivee"
    return store.start_round(
        code, secret, kind, question, scale.id, [c.id for c in scale.choices], items, parent_id, tag, now
    )


@dataclass
class Trainer:
    """A session as its trainer holds it: the store, the code and the key."""

    store: Store
    code: str
    secret: str

    @classmethod
    def open(cls, store: Store, keys: KeyRing) -> Trainer:
        code, secret = store.open_session()
        keys.remember(code, secret)
        return cls(store, code, secret)

    @classmethod
    def resume(cls, store: Store, keys: KeyRing, code: str) -> Trainer:
        """Take back a session opened on this computer (after reloading the page, for instance)."""
        secret = keys.key(code)
        if secret is None:
            raise SalleError("Cette séance a été ouverte ailleurs : sa clé formateur n'est pas sur cet ordinateur.")
        store.check_key(code, secret)
        return cls(store, code, secret)

    def ask(
        self, activity: Activity, question: str, items: Sequence[str] = (), parent_id: int | None = None, tag: str = ""
    ) -> Round:
        return ask(self.store, self.code, self.secret, activity, question, items, parent_id, tag)

    def add_paper_person(self) -> int:
        """Number one more person who votes with paper cards (no phone); return their number."""
        return self.store.add_paper_participant(self.code, self.secret)

    def paper_vote(self, round_id: int, participant: int, item: str, value: str | None) -> None:
        """Type in what a person raised on paper (``None``: erase a wrong entry)."""
        self.store.paper_vote(self.code, self.secret, round_id, participant, item, value)

    def reveal(self, round_id: int) -> None:
        self.store.reveal(self.code, self.secret, round_id)

    def close(self) -> None:
        self.store.close_session(self.code, self.secret)

    def delete(self) -> None:
        self.store.delete_session(self.code, self.secret)

    def snapshot(self) -> Snapshot:
        return self.store.snapshot(self.code)

    def version(self) -> int:
        return self.store.version(self.code)


def resumable(store: Store, keys: KeyRing) -> list[SessionInfo]:
    """Sessions not expired whose key is on this computer, newest first (closed ones too: their
    results can still be exported). Keys of erased sessions are forgotten on the way."""
    sessions = store.open_sessions(include_closed=True)
    keys.forget_except({s.code for s in sessions})
    return [s for s in sessions if keys.key(s.code) is not None]
