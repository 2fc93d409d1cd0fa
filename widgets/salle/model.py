"""Pure model of the group mode (« mode groupe »): sessions, rounds, anonymous votes, results.

Why a pure model: the same rules (which vote is accepted, what a participant may see, how votes are
counted) must hold for the participants' web page, the trainer's Voilà view, the store on SQLite
and on PostgreSQL, the tests and the benchmark. Nothing here imports ipywidgets, plotly, IPython,
tornado or a database driver; every error carries the French sentence a participant will read.

Vocabulary: a *session* (« séance ») is what the trainer opens and participants join with a short
code; a *round* (« tour ») is one question put to the group (one statement of the abaque, one
météo, one set of continuum situations); a *vote* is one participant's answer to one *item* of a
round (a round of the abaque has one item, ``""``; a continuum round has one item per situation).
Participants are numbered 1, 2, 3… inside a session: the number shapes the abaque's grid and is
all the course knows of a person.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from widgets.errors import InputError

CODE_LENGTH = 6  # digits: the easiest thing to type on a phone (numeric keypad)
SESSION_HOURS = 12.0  # a training day, with margin; then the session and its votes are erased
POLL_SECONDS = 0.5  # how often the trainer's view looks for new votes
PHONE_POLL_SECONDS = 2.0  # how often a phone asks whether the trainer moved on
MAX_QUESTION_LENGTH = 400
MAX_ITEMS = 30
MAX_NUMBER = 999_999_999  # a round's number or a situation's position: nine digits at most
NUMBER = re.compile(r"[0-9]{1,9}")
# Characters that reorder or hide the text around them (bidirectional embeddings, overrides and
# isolates; control characters): removed from what the trainer writes, so that a statement cannot
# turn the rest of a page, a chart or a CSV line around. Right-to-left text itself is kept.
HIDDEN = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")


class Activity(StrEnum):
    ABAQUE = "abaque"
    FEUX = "feux"
    METEO = "meteo"
    CONTINUUM = "continuum"
    # Evaluations (widgets/salle/evaluation.py): answered on a page of their own, stored apart.
    QUIZ = "quiz"
    PRET = "pret"
    QUESTIONNAIRE = "questionnaire"


ACTIVITY_NAMES = {
    Activity.ABAQUE: "Abaque de Régnier",
    Activity.FEUX: "Feux tricolores",
    Activity.METEO: "Météo",
    Activity.CONTINUUM: "Continuum collectif",
    Activity.QUIZ: "Quiz du groupe",
    Activity.PRET: "Suis-je prêt·e ?",
    Activity.QUESTIONNAIRE: "Questionnaire de fin de séance",
}
# Answered with a form of their own (``/s/{code}/evaluation``), never as a vote of the grid.
EVALUATIONS = frozenset({Activity.QUIZ, Activity.PRET, Activity.QUESTIONNAIRE})


class RoundState(StrEnum):
    VOTE = "vote"  # participants answer; nobody but the trainer sees the results
    REVEALED = "revele"  # answers are closed; everyone sees the group's results
    CLOSED = "clos"  # the trainer moved on without showing the results


class Problem(StrEnum):
    """The kind of a refusal, which the web server turns into an HTTP status (4xx, never 500)."""

    INVALID = "invalide"  # 400/422: malformed or impossible request
    FORBIDDEN = "interdit"  # 403: wrong trainer key
    NOT_FOUND = "introuvable"  # 404: no such session (wrong or erased code)
    CLOSED = "termine"  # 409: the session or the round does not take votes any more
    TOO_MANY = "trop"  # 429: too many requests from this phone (or for this session): wait a little
    UNAVAILABLE = "indisponible"  # 503: the store cannot be reached, or is busy


class SalleError(InputError):
    """A refusal; ``str(error)`` is a French sentence to show as is, ``problem`` its kind (the course's
    one :class:`~widgets.errors.InputError`, so every view catches it the same way)."""

    def __init__(self, message: str, problem: Problem = Problem.INVALID):
        super().__init__(message)
        self.problem = problem


WRONG_CODE = (
    "Ce code ne correspond à aucune séance ouverte. Vérifiez les 6 chiffres affichés par la personne qui anime."
)
EXPIRED = "Cette séance est terminée : ses réponses ont été effacées. Demandez le nouveau code à la personne qui anime."
SESSION_CLOSED = "La séance est terminée : on ne peut plus répondre. Merci de votre participation !"
ROUND_CLOSED = "Le vote sur cette question est terminé : votre réponse n'a pas été enregistrée."
NOT_CURRENT = "La personne qui anime est passée à une autre question : la page va se mettre à jour."
WRONG_KEY = "Cette action est réservée à la personne qui anime la séance (clé formateur absente ou fausse)."


@dataclass(frozen=True)
class Choice:
    """One answer a participant can give: a word and a symbol always go with the colour."""

    id: str
    label: str
    symbol: str
    colour: str
    text_colour: str
    abstention: bool = False


@dataclass(frozen=True)
class Scale:
    """The answers of one activity (``data/salle/echelles.csv``), in display order."""

    id: str
    choices: tuple[Choice, ...]

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Statement:
    """A statement the trainer can put to the group (``data/salle/affirmations.csv``)."""

    id: str
    theme: str
    text: str
    origin: str


@dataclass(frozen=True)
class SessionInfo:
    code: str
    created_at: float
    expires_at: float
    closed_at: float | None
    version: int
    current_round: int | None
    participants: int  # numbered so far: phones that voted at least once, and people voting on paper
    # The secret that signs this session's participants' tokens: never shown, never compared.
    participant_key: str = field(default="", repr=False, compare=False)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def expired(self, now: float) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class Round:
    """One question put to the group. ``choices`` are copied from the scale when the round starts,
    so that a vote is checked against what participants were shown, even if data/ changes later."""

    id: int
    number: int
    activity: Activity
    scale: str
    question: str
    choices: tuple[str, ...]
    items: tuple[str, ...]
    state: RoundState
    parent_id: int | None = None
    tag: str = ""
    created_at: float = 0.0


@dataclass(frozen=True)
class Vote:
    round_id: int
    item: str
    participant: int
    value: str


@dataclass(frozen=True)
class Snapshot:
    """Everything about one session at one moment: what the trainer's view draws."""

    session: SessionInfo
    rounds: tuple[Round, ...]
    votes: tuple[Vote, ...]
    # Numbers of the people who vote on paper cards (their answers are typed in by the trainer).
    paper: frozenset[int] = frozenset()
    _by_round: dict[int, list[Vote]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for vote in self.votes:
            self._by_round.setdefault(vote.round_id, []).append(vote)

    def round(self, round_id: int | None) -> Round | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    @property
    def current(self) -> Round | None:
        return self.round(self.session.current_round)

    def votes_of(self, round_id: int, item: str | None = None) -> list[Vote]:
        votes = self._by_round.get(round_id, [])
        return votes if item is None else [v for v in votes if v.item == item]

    def rounds_of(self, *activities: Activity) -> list[Round]:
        return [r for r in self.rounds if r.activity in activities]

    def voters(self) -> set[int]:
        """Everyone who answered at least once in the session, on a phone or on paper."""
        return {v.participant for v in self.votes}

    def on_paper(self, participant: int) -> bool:
        return participant in self.paper


# ---------------------------------------------------------------- codes, keys and inputs


def new_code(randbelow: Callable[[int], int]) -> str:
    """A session code of CODE_LENGTH digits; ``randbelow`` is ``secrets.randbelow`` in production."""
    return "".join(str(randbelow(10)) for _ in range(CODE_LENGTH))


def normalize_code(text: object) -> str:
    """Read a code as a person types it (« 482 913 », « 482-913 », or with the digits of an Arabic
    keypad, « ٤٨٢٩١٣ ») and return its 6 ASCII digits, or raise a French error.

    Only decimal digits count: « ² » or « ⑤ » look like digits (``str.isdigit``) but are not.
    """
    if not isinstance(text, str) or not text.strip():
        raise SalleError("Tapez le code de la séance : 6 chiffres, affichés par la personne qui anime.")
    typed = re.sub(r"[\s\-.·]", "", text)
    if len(typed) != CODE_LENGTH or not all(ch.isdecimal() for ch in typed):
        shown = HIDDEN.sub("", text.strip())[:20]
        raise SalleError(f"« {shown} » n'est pas un code de séance : il faut 6 chiffres, par exemple 482 913.")
    return "".join(str(unicodedata.decimal(ch)) for ch in typed)


def parse_number(value: object, what: str) -> int:
    """A round's number or a position, read strictly: ASCII digits only, nine at most, or a JSON
    integer in that range; anything else is a French refusal (HTTP 400), never a crash.

    Why so strict: ``"²".isdigit()`` is true and ``int("²")`` fails; a 31-digit number passes
    ``int()`` but not the database's 64-bit columns. Both once answered with a traceback.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_NUMBER:
        return value
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return int(value)
    raise SalleError(f"« {what} » doit être un nombre entier (de 1 à 9 chiffres) : rechargez la page puis recommencez.")


def display_code(code: str) -> str:
    """« 482 913 »: two groups of three digits are easier to read aloud and to copy."""
    return f"{code[:3]}\u00a0{code[3:]}" if len(code) == CODE_LENGTH else code


def clean_question(text: object) -> str:
    """The statement as phones will show it: spaces tidied, characters that would reorder or hide the
    text around it removed (:data:`HIDDEN`), at most :data:`MAX_QUESTION_LENGTH` characters.

    Tags such as ``<script>`` are kept as typed: every page, chart and file shows them as text."""
    if not isinstance(text, str):
        raise SalleError("Écrivez d'abord l'affirmation ou la question à poser au groupe.")
    text = " ".join(HIDDEN.sub("", unicodedata.normalize("NFC", text)).split())
    if not text:
        raise SalleError("Écrivez d'abord l'affirmation ou la question à poser au groupe.")
    if len(text) > MAX_QUESTION_LENGTH:
        raise SalleError(
            f"L'affirmation est trop longue ({len(text)} caractères) : {MAX_QUESTION_LENGTH} au plus, "
            "pour qu'elle se lise sur un téléphone."
        )
    return text


def check_round_request(
    activity: object, choices: Iterable[str], items: Iterable[str]
) -> tuple[Activity, tuple[str, ...], tuple[str, ...]]:
    """Validate what the trainer asks for before anything is written."""
    try:
        kind = Activity(str(activity))
    except ValueError:
        names = ", ".join(a.value for a in Activity)
        raise SalleError(f"Activité inconnue « {str(activity)[:40]} » : choisissez parmi {names}.") from None
    choice_ids = tuple(choices)
    if len(choice_ids) < 2 or len(set(choice_ids)) != len(choice_ids):
        raise SalleError("Il faut au moins deux réponses possibles, toutes différentes.")
    item_ids = tuple(items) or ("",)
    if len(item_ids) > MAX_ITEMS or len(set(item_ids)) != len(item_ids):
        raise SalleError(f"Choisissez de 1 à {MAX_ITEMS} éléments différents.")
    for value in (*choice_ids, *item_ids):
        if "," in value or len(value) > 80:
            raise SalleError(
                f"« {value[:80]} » ne peut pas servir d'identifiant (pas de virgule, 80 caractères au plus)."
            )
    return kind, choice_ids, item_ids


def check_vote(session: SessionInfo, round_: Round | None, item: object, value: object, now: float) -> tuple[str, str]:
    """Decide whether a vote is accepted; return (item, value) or raise a French :class:`SalleError`.

    Only the current round takes votes: a phone that shows an old question (the trainer moved on
    while it was in a pocket) gets a sentence, and its page refreshes.
    """
    if session.expired(now):
        raise SalleError(EXPIRED, Problem.NOT_FOUND)
    if session.closed:
        raise SalleError(SESSION_CLOSED, Problem.CLOSED)
    if round_ is None:
        raise SalleError(
            "Il n'y a pas de vote en cours : attendez la question de la personne qui anime.", Problem.CLOSED
        )
    if round_.id != session.current_round:
        raise SalleError(NOT_CURRENT, Problem.CLOSED)
    if round_.state is not RoundState.VOTE:
        raise SalleError(ROUND_CLOSED, Problem.CLOSED)
    if round_.activity in EVALUATIONS:
        raise SalleError(NOT_CURRENT, Problem.CLOSED)
    item = "" if item is None else item
    if not isinstance(item, str) or item not in round_.items:
        raise SalleError("Cette question ne fait pas partie du vote en cours.")
    if not isinstance(value, str) or value not in round_.choices:
        raise SalleError("Cette réponse n'existe pas : choisissez l'un des boutons proposés.")
    return item, value


NOT_PAPER = "Cette personne ne vote pas sur papier dans cette séance : ajoutez d'abord une personne « sur papier »."


def check_paper_vote(
    session: SessionInfo, round_: Round | None, paper: bool, item: object, value: object, now: float
) -> tuple[str, str | None]:
    """Decide whether the trainer may type in a paper answer; return (item, value), value None to erase it.

    Unlike a phone's vote, a paper answer is accepted for any round of the session, even closed or
    revealed, and after the session closed: the cards were raised in the room, and the trainer may
    type them in a little later. Only an expired (erased) session refuses.
    """
    if session.expired(now):
        raise SalleError(EXPIRED, Problem.NOT_FOUND)
    if not paper:
        raise SalleError(NOT_PAPER, Problem.NOT_FOUND)
    if round_ is None:
        raise SalleError("Cette question n'existe pas dans cette séance.", Problem.NOT_FOUND)
    item = "" if item is None else item
    if not isinstance(item, str) or item not in round_.items:
        raise SalleError("Cette situation ne fait pas partie de cette question.")
    if value is None or value == "":
        return item, None
    if not isinstance(value, str) or value not in round_.choices:
        raise SalleError("Cette réponse n'existe pas pour cette question : choisissez dans la liste.")
    return item, value


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Count:
    choice: str
    votes: int


def tally(snapshot: Snapshot, round_: Round, item: str = "") -> list[Count]:
    """Votes per answer, in the scale's order, zeros included (a bar chart needs every answer)."""
    counter = Counter(v.value for v in snapshot.votes_of(round_.id, item))
    return [Count(choice, counter.get(choice, 0)) for choice in round_.choices]


def total_votes(snapshot: Snapshot, round_: Round) -> int:
    """Number of people who answered at least one item of the round (phones and paper)."""
    return len({v.participant for v in snapshot.votes_of(round_.id)})


def paper_people(snapshot: Snapshot, round_: Round | None = None) -> int:
    """How many of the people who answered (the round, or the whole session) did so on paper."""
    votes = snapshot.votes if round_ is None else snapshot.votes_of(round_.id)
    return len({v.participant for v in votes if snapshot.on_paper(v.participant)})


def paper_votes(snapshot: Snapshot, round_: Round, item: str | None = None, value: str | None = None) -> int:
    """How many of a round's answers (for one item, one answer, if given) were typed in from paper."""
    return sum(
        1
        for v in snapshot.votes_of(round_.id, item)
        if snapshot.on_paper(v.participant) and (value is None or v.value == value)
    )


def abaque_grid(snapshot: Snapshot, rounds: list[Round]) -> tuple[list[int], list[list[str | None]]]:
    """The Régnier grid: one row per round (statement), one column per participant who answered.

    Columns are sorted so that people who answered alike sit side by side (by their answers, in
    the scale's order), as trainers do by hand with the coloured cards; the numbers stay anonymous.
    """
    people = sorted({v.participant for r in rounds for v in snapshot.votes_of(r.id)})
    answers = {(v.round_id, v.participant): v.value for r in rounds for v in snapshot.votes_of(r.id)}

    def profile(person: int) -> tuple:
        key = []
        for r in rounds:
            value = answers.get((r.id, person))
            key.append(r.choices.index(value) if value in r.choices else len(r.choices))
        return (*key, person)

    people.sort(key=profile)
    rows = [[answers.get((r.id, person)) for person in people] for r in rounds]
    return people, rows


def reword_chain(snapshot: Snapshot, round_: Round) -> list[Round]:
    """The earlier wordings of a statement, oldest first, ending with ``round_`` itself."""
    chain = [round_]
    seen = {round_.id}
    while chain[0].parent_id is not None and chain[0].parent_id not in seen:
        parent = snapshot.round(chain[0].parent_id)
        if parent is None:
            break
        seen.add(parent.id)
        chain.insert(0, parent)
    return chain


@dataclass(frozen=True)
class CloudPoint:
    """How many people placed one continuum situation on one step."""

    item: str
    position: int
    votes: int


def continuum_cloud(snapshot: Snapshot, round_: Round) -> list[CloudPoint]:
    points = []
    for item in round_.items:
        for count in tally(snapshot, round_, item):
            if count.votes:
                points.append(CloudPoint(item, int(count.choice), count.votes))
    return points


def participant_view(snapshot: Snapshot, participant: int | None) -> dict:
    """What one phone may see: its own answers to the current round and, only after the trainer
    reveals them, the group's results. Other people's answers never reach a phone before that."""
    session = snapshot.session
    current = snapshot.current
    view: dict = {"closed": session.closed, "round": None}
    if current is None or current.state is RoundState.CLOSED:
        return view
    own = {}
    if participant is not None:
        own = {v.item: v.value for v in snapshot.votes_of(current.id) if v.participant == participant}
    view["round"] = current
    view["own"] = own
    if current.state is RoundState.REVEALED:
        view["results"] = {item: tally(snapshot, current, item) for item in current.items}
        view["answered"] = total_votes(snapshot, current)
    return view


def public_state(session: SessionInfo, current: Round | None) -> str:
    """A short fingerprint of what phones display; it changes only when the trainer acts (not at each
    vote), so 30 phones reload their page a handful of times per session, not at every vote."""
    if current is None:
        return f"{session.code}:{'fin' if session.closed else 'attente'}"
    return f"{session.code}:{current.id}:{current.state.value}:{'fin' if session.closed else 'ouvert'}"
