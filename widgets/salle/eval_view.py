"""The trainer's screens of the evaluations in Voilà: the quiz du groupe (with avant / après) and the questionnaire.

A thin assembly, like :class:`~widgets.salle.view.SalleView`, of panels of :mod:`widgets.salle.screen`:

- the same session panel (« Ouvrir une séance » / « Reprendre la séance … », code, QR code, whether
  phones can connect, « Fermer la séance »), so that one session serves the whole day, votes and
  evaluations alike;
- their own questions (:mod:`~widgets.salle.screen.eval_questions`), results
  (:mod:`~widgets.salle.screen.eval_results`), paper sheet for the questionnaire
  (:mod:`~widgets.salle.screen.eval_paper`) and export (CSV and a one-page PDF,
  :class:`~widgets.salle.screen.export.EvaluationExportPanel`);
- the same places and poll (:mod:`~widgets.salle.screen.stage`): one column, or projected with the
  question and its counts on the right and the session code on the left, both kept on screen, the
  group's answers hidden until the question is closed.
"""

from __future__ import annotations

from widgets.salle.model import SalleError
from widgets.salle.screen.base import Screen
from widgets.salle.screen.eval_paper import PaperSheetPanel
from widgets.salle.screen.eval_questions import EVALUATION_PANELS
from widgets.salle.screen.eval_results import EvaluationResultsPanel
from widgets.salle.screen.export import EvaluationExportPanel
from widgets.salle.screen.session import SessionPanel
from widgets.salle.screen.stage import Places, Stage
from widgets.salle.store import KeyRing, Store
from widgets.ui import display_exercise

# The session's card counts the grid's voters; evaluation answers carry no person's number.
COUNTED = "Les réponses aux questions sont comptées plus bas, sans numéro de personne."


class EvaluationView:
    """``page`` is ``quiz`` (the quiz du groupe, avant / après, « Suis-je prêt·e ? ») or ``questionnaire``."""

    def __init__(self, page: str, store: Store | None = None, keys: KeyRing | None = None) -> None:
        self.screen = Screen(page, store or Store.from_env(), keys or KeyRing())
        self.session = SessionPanel(self.screen, lambda: self.stage.start_polling(), COUNTED)
        self.questions = EVALUATION_PANELS[page](self.screen)
        self.results = results = EvaluationResultsPanel(self.screen)
        self.paper = PaperSheetPanel(self.screen) if page == "questionnaire" else None
        self.export = EvaluationExportPanel(self.screen, "questionnaire" if self.paper else "avant-apres")
        asked, export = self.questions.root, self.export.root
        sheet = [self.paper.root] if self.paper else []  # below the group's answers: what came in first
        places = Places(
            column=[asked, results.info, results.reveal_box, results.hide, results.details, *sheet, export],
            controls=[asked, results.reveal_box, results.hide, *sheet, export],
            scene=[results.info],
            below=[results.details],
        )
        self.stage = Stage(self.screen, self.session, self.questions, results, places, then=self.show_sheet)
        self.root = self.stage.root

    def show_sheet(self) -> None:
        """The paper sheet's fields for the questionnaire shown (made again only when it changes)."""
        snapshot = self.screen.snapshot
        if self.paper is not None and snapshot is not None:
            self.paper.redraw(self.results.shown_round(snapshot))


def show(page: str) -> None:
    """Display the trainer's evaluation page; a data or database problem is a French message."""
    display_exercise(lambda: EvaluationView(page).root, (SalleError,))
