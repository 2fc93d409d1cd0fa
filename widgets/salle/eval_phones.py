"""The evaluations' endpoints: a phone's answers, and the trainer's evaluation actions and exports.

Each keeps every rule of the participants' server (:mod:`widgets.salle.web`): the limits first
(a phone's answers count as votes), the origin, strict numbers, the signed token, the store off the
event loop, and a French refusal with a 4xx status. A refused answer shows the page again with the
reason and with what the phone sent, so that a text typed on a phone is never lost.
"""

from __future__ import annotations

from urllib.parse import urlencode

from widgets.salle import eval_content, eval_report, eval_trainer
from widgets.salle.eval_pages import evaluation_page
from widgets.salle.evaluation import NO_EVALUATION, is_evaluation, read_answers
from widgets.salle.model import Problem, SalleError, parse_number
from widgets.salle.phones import SHOWN_WITH_THE_PAGE, SessionPageHandler
from widgets.salle.trainer_api import TrainerHandler, trainer_endpoint
from widgets.salle.web import STATUS

FIELD = "q-"  # a form field per item: « q-appris », « q- » for the one question of a quiz round


class EvaluationAnswerHandler(SessionPageHandler):
    """``POST /s/{code}/evaluation``: one quiz answer, or the whole questionnaire."""

    def sent(self) -> dict[str, list[str]]:
        return {
            name[len(FIELD) :]: self.get_body_arguments(name, strip=False)
            for name in self.request.body_arguments
            if name.startswith(FIELD)
        }

    async def post(self, code: str) -> None:
        token = self.cookie_token()
        form = self.sent()
        try:
            round_id, signed = await self.answer_allowed(code, token)
            snapshot = await self.rooms.call(self.store.snapshot, code)
            round_ = snapshot.round(round_id)
            if round_ is None or not is_evaluation(round_):
                raise SalleError(NO_EVALUATION, Problem.CLOSED)
            answers = read_answers(eval_content.items_of(round_), form)
            await self.rooms.call(self.store.evaluation_answer, code, signed, round_id, answers)
        except SalleError as error:
            await self.refuse_answer(code, token, error, form)
            return
        self.redirect(f"/s/{code}?{urlencode({'ok': '1'})}", status=303)

    async def refuse_answer(self, code: str, token: str | None, error: SalleError, form: dict[str, list[str]]) -> None:
        """A text too long, a late tap: the page again, the reason on top, what was typed still there."""
        if error.problem not in SHOWN_WITH_THE_PAGE:
            self.fail(error)
            return
        try:
            snapshot, participant = await self.rooms.call(self.store.phone_page, code, token)
            current = snapshot.current
            status = STATUS[error.problem]
            if current is not None and is_evaluation(current) and str(current.id) == self.get_body_argument("tour", ""):
                typed = {item: "\n".join(values) for item, values in form.items()}
                await evaluation_page(self, code, snapshot, token, str(error), "erreur", status, typed)
                return
            await self.show(code, snapshot, participant, token, str(error), "erreur", status)
        except SalleError:
            self.fail(error)


class TrainerEvaluationHandler(TrainerHandler):
    """``POST /api/formateur/{code}/evaluation``: ``{"type", "source", "question", "moment"}``."""

    @trainer_endpoint
    async def post(self, code: str, secret: str) -> None:
        data = self.body()
        created = await self.rooms.call(
            eval_trainer.start,
            self.store,
            code,
            secret,
            data.get("type"),
            data.get("source", ""),
            data.get("question", ""),
            data.get("moment", ""),
        )
        self.reply({"tour": created.id, "numero": created.number}, 201)


class TrainerPaperHandler(TrainerHandler):
    """``POST /api/formateur/{code}/papier``: one paper questionnaire, ``{"tour", "reponses": {item: texte}}``."""

    @trainer_endpoint
    async def post(self, code: str, secret: str) -> None:
        data = self.body()
        round_id = parse_number(data.get("tour"), "tour")
        answers = data.get("reponses")
        if not isinstance(answers, dict) or not all(isinstance(v, str) for v in answers.values()):
            raise SalleError("« reponses » doit associer chaque question à un texte.")
        form = {str(item): [value] for item, value in answers.items()}
        await self.rooms.call(eval_trainer.enter_paper, self.store, code, secret, round_id, form)
        self.reply({"ok": True}, 201)


class TrainerEvaluationExportHandler(TrainerHandler):
    """``GET /api/formateur/{code}/evaluation-(avant-apres|questionnaire).csv``: what Voilà offers to download."""

    @trainer_endpoint
    async def get(self, code: str, secret: str) -> None:
        which = "questionnaire" if self.request.path.endswith("questionnaire.csv") else "avant-apres"
        text = await self.rooms.call(eval_report.export_csv, self.store, code, which)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{eval_report.file_name(which, "csv")}"')
        self.finish(text.encode("utf-8-sig"))
