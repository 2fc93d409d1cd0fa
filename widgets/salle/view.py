"""The trainer's screen in Voilà: open a session, put questions to the room, watch and show answers.

Thin view over :mod:`widgets.salle.trainer` (actions), :mod:`widgets.salle.store` (read) and
:mod:`widgets.salle.charts`/:mod:`widgets.salle.report` (drawing). It reads the store directly —
this page runs on the trainer's computer, next to the database — and looks for news every half
second (only the session's version number; the whole session is read only when it changed).

The trainer's screen is often projected: a check box hides the answers until the trainer shows
them to the group (the phones never see them before that).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import html
import json
import logging
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from widgets.fr import list_and, plural
from widgets.salle import charts, content, exports, network, report
from widgets.salle.model import (
    ACTIVITY_NAMES,
    POLL_SECONDS,
    Activity,
    Round,
    RoundState,
    SalleError,
    Snapshot,
    display_code,
    reword_chain,
    total_votes,
)
from widgets.salle.store import META_LOCAL_URL, META_NETWORK, META_PUBLIC_URL, KeyRing, Store
from widgets.salle.trainer import METEO_QUESTIONS, Trainer, resumable
from widgets.ui import ChartArea, display_exercise, message_html, table_markup

PLACEHOLDER = "Le graphique des réponses apparaîtra dès qu'une question sera posée."
HIDE_LABEL = "Cacher les réponses jusqu'à ce que je les montre (si cet écran est projeté)"
HEALTH_EVERY = 10.0
MAX_RESUME = 3
log = logging.getLogger("faire_avec.salle")


def _clock(timestamp: float) -> str:
    moment = time.localtime(timestamp)
    return f"{moment.tm_hour} h {moment.tm_min:02d}"


def _button(description: str, tooltip: str, style: str = "", icon: str = "") -> w.Button:
    return w.Button(
        description=description, tooltip=tooltip, button_style=style, icon=icon, layout=w.Layout(width="auto")
    )


class SalleView:
    """One trainer page; ``activity`` is ``abaque`` (with the traffic lights), ``continuum`` or ``meteo``."""

    def __init__(self, page: str, store: Store | None = None, keys: KeyRing | None = None):
        self.page = page
        self.store = store or Store.from_env()
        self.keys = keys or KeyRing()
        self.trainer: Trainer | None = None
        self.snapshot: Snapshot | None = None
        self.version = -1
        self.parent_id: int | None = None
        self.task: asyncio.Task | None = None
        self.server_status = ""
        self.checked_at = 0.0

        # The session: open, resume, show the code, close.
        self.session_info = w.HTML()
        self.open_button = _button(
            "Ouvrir une séance", "Créer un code pour que le groupe se connecte", "primary", "plus"
        )
        # One button per session still open on this computer (the newest first): one click, no list.
        self.resume_box = w.VBox(layout=w.Layout(gap="0.4em"))
        self.close_button = _button("Fermer la séance", "Plus personne ne pourra répondre", icon="stop")
        self.close_confirm = w.HBox(
            [
                w.HTML("<strong>Fermer la séance ? Plus personne ne pourra répondre.</strong>"),
                _button("Oui, fermer", "Fermer la séance maintenant", "danger"),
                _button("Non", "Garder la séance ouverte"),
            ],
            layout=w.Layout(display="none", flex_flow="row wrap", gap="0.5em", align_items="center"),
        )
        self.message = w.HTML()
        self.open_button.on_click(lambda _: self._open())
        self.close_button.on_click(lambda _: self._confirm_close(True))
        self.close_confirm.children[1].on_click(lambda _: self._close())
        self.close_confirm.children[2].on_click(lambda _: self._confirm_close(False))

        # The question in progress.
        self.round_info = w.HTML()
        self.hide = w.Checkbox(value=False, description=HIDE_LABEL, indent=False, layout=w.Layout(width="auto"))
        self.hide.observe(lambda _: self._redraw(), names="value")
        self.reveal_button = _button(
            "Montrer les résultats au groupe",
            "Clore le vote et afficher les résultats sur les téléphones",
            "success",
            "eye",
        )
        self.reveal_button.on_click(lambda _: self._reveal())
        self.chart = ChartArea(PLACEHOLDER, background=True)  # redrawn by the poll, outside any cell
        self.details = w.HTML()

        # Export.
        self.export_button = _button(
            "Exporter les résultats (CSV et image PNG)", "Enregistrer les résultats de la séance", icon="download"
        )
        self.export_button.on_click(lambda _: self._export())
        self.export_info = w.HTML()

        controls = self._controls()
        self.session_box = w.VBox(
            [self.session_info, self.open_button, self.resume_box, w.HBox([self.close_button]), self.close_confirm]
        )
        self.work_box = w.VBox(
            [
                controls,
                self.round_info,
                w.HBox([self.reveal_button], layout=w.Layout(flex_flow="row wrap")),
                self.hide,
                self.chart.root,
                self.details,
                w.HTML("<h2>Exporter</h2>"),
                self.export_button,
                self.export_info,
            ]
        )
        self.root = w.VBox(
            [self.session_box, self.message, self.work_box],
            layout=w.Layout(max_width="75rem"),
        )
        self.root.add_class("salle-vue")
        self._refresh_resume()
        self._show()

    # ------------------------------------------------------------ per page controls

    def _controls(self) -> w.Widget:
        if self.page == "abaque":
            self.scale_choice = w.RadioButtons(
                options=[
                    ("Abaque de Régnier : 6 couleurs", Activity.ABAQUE.value),
                    ("Feux tricolores : 4 couleurs", Activity.FEUX.value),
                ],
                value=Activity.ABAQUE.value,
                description="Façon de voter :",
                style={"description_width": "initial"},
                layout=w.Layout(width="auto"),
            )
            statements = content.load_statements()
            self.statement_choice = w.Dropdown(
                options=[("Choisir une affirmation toute prête…", "")]
                + [(f"{s.theme} — {s.text}", s.id) for s in statements],
                value="",
                description="Affirmations du cours :",
                style={"description_width": "initial"},
                layout=w.Layout(width="100%"),
            )
            self.statement_choice.observe(self._pick_statement, names="value")
            self.question = w.Textarea(
                placeholder="Écrivez ici l'affirmation, ou choisissez-en une ci-dessus.",
                description="Affirmation posée au groupe :",
                rows=3,
                style={"description_width": "initial"},
                layout=w.Layout(width="100%"),
            )
            self.reword_info = w.HTML()
            self.ask_button = _button(
                "Lancer le vote", "Envoyer l'affirmation aux téléphones", "primary", "paper-plane"
            )
            self.reword_button = _button(
                "Reformuler et revoter", "Modifier l'affirmation en cours et la soumettre de nouveau", icon="pencil"
            )
            self.ask_button.on_click(lambda _: self._ask_statement())
            self.reword_button.on_click(lambda _: self._start_reword())
            return w.VBox(
                [
                    w.HTML("<h2>Poser une affirmation</h2>"),
                    self.scale_choice,
                    self.statement_choice,
                    self.question,
                    self.reword_info,
                    w.HBox([self.ask_button, self.reword_button], layout=w.Layout(flex_flow="row wrap", gap="0.5em")),
                ]
            )
        if self.page == "continuum":
            from widgets.continuum.content import load_situations

            self.situations = load_situations()
            self.situation_boxes = [
                w.Checkbox(value=index < 5, description=s.title, indent=False, layout=w.Layout(width="auto"))
                for index, s in enumerate(self.situations)
            ]
            self.ask_button = _button(
                "Lancer le placement", "Envoyer les situations cochées aux téléphones", "primary", "paper-plane"
            )
            self.ask_button.on_click(lambda _: self._ask_continuum())
            return w.VBox(
                [
                    w.HTML(
                        "<h2>Choisir les situations à placer</h2><p class='salle-texte'>Chaque personne place les "
                        "situations cochées sur le continuum, sur son téléphone. Cinq situations prennent environ dix minutes.</p>"
                    ),
                    w.VBox(self.situation_boxes, layout=w.Layout(max_height="18em", overflow="auto")),
                    self.ask_button,
                ]
            )
        self.arrival_button = _button(
            "Lancer la météo d'arrivée", "Demander au groupe comment il arrive", "primary", "sun-o"
        )
        self.departure_button = _button(
            "Lancer la météo de départ", "Demander au groupe comment il repart", "primary", "cloud"
        )
        self.arrival_button.on_click(lambda _: self._ask_meteo("arrivee"))
        self.departure_button.on_click(lambda _: self._ask_meteo("depart"))
        return w.VBox(
            [
                w.HTML(
                    "<h2>Lancer une météo</h2><p class='salle-texte'>Chaque personne choisit le temps qui lui ressemble. "
                    "« Je préfère ne pas le dire » est toujours possible.</p>"
                ),
                w.HBox(
                    [self.arrival_button, self.departure_button], layout=w.Layout(flex_flow="row wrap", gap="0.5em")
                ),
            ]
        )

    # ------------------------------------------------------------ session

    def _say(self, text: str, kind: str = "info", title: str | None = None) -> None:
        self.message.value = message_html(text, kind, title) if text else ""

    def _run(self, action: Callable[[], object], success: str = "") -> bool:
        """Run a trainer action; a refusal becomes a French message, never a traceback."""
        try:
            action()
        except SalleError as error:
            self._say(str(error), "error", "Attention :")
            return False
        self._say(success, "right") if success else self._say("")
        self._update(force=True)
        return True

    def _refresh_resume(self) -> None:
        try:
            sessions = resumable(self.store, self.keys)[:MAX_RESUME]
        except SalleError:
            sessions = []
        buttons = []
        for session in sessions:
            closed = " (fermée)" if session.closed else ""
            button = _button(
                f"Reprendre la séance {display_code(session.code)}{closed}",
                f"Séance ouverte à {_clock(session.created_at)} sur cet ordinateur",
                icon="play",
            )
            button.on_click(lambda _, code=session.code: self._resume(code))
            buttons.append(button)
        self.resume_box.children = (
            [w.HTML("<p>Ou reprenez une séance déjà ouverte sur cet ordinateur :</p>"), *buttons] if buttons else []
        )
        self.resume_box.layout.display = "flex" if buttons and self.trainer is None else "none"

    def _open(self) -> None:
        def action() -> None:
            self.trainer = Trainer.open(self.store, self.keys)

        if self._run(action, "La séance est ouverte : montrez le code ou le QR code au groupe."):
            self._start_polling()

    def _resume(self, code: str) -> None:
        def action() -> None:
            self.trainer = Trainer.resume(self.store, self.keys, code)

        if self._run(action, "Séance reprise."):
            self._start_polling()

    def _confirm_close(self, visible: bool) -> None:
        self.close_confirm.layout.display = "flex" if visible else "none"
        self.close_button.layout.display = "none" if visible else ""

    def _close(self) -> None:
        self._confirm_close(False)
        if self.trainer is not None:
            self._run(self.trainer.close, "La séance est fermée. Vous pouvez encore exporter ses résultats.")

    # ------------------------------------------------------------ questions

    def _pick_statement(self, change: dict[str, Any]) -> None:
        chosen = next((s for s in content.load_statements() if s.id == change["new"]), None)
        if chosen is not None:
            self.question.value = chosen.text

    def _ask_statement(self) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        parent = self.parent_id

        def action() -> None:
            trainer.ask(Activity(self.scale_choice.value), self.question.value, parent_id=parent)

        if self._run(action, "Le vote est lancé : les téléphones affichent l'affirmation."):
            self.parent_id = None
            self.reword_info.value = ""

    def _start_reword(self) -> None:
        current = self.snapshot.current if self.snapshot else None
        if current is None or current.activity not in (Activity.ABAQUE, Activity.FEUX):
            self._say(
                "Il n'y a pas encore d'affirmation à reformuler : lancez d'abord un vote.", "error", "Attention :"
            )
            return
        self.parent_id = current.id
        self.question.value = current.question
        self.scale_choice.value = current.activity.value
        self.reword_info.value = message_html(
            f"Reformulation du tour {current.number} : modifiez le texte ci-dessous puis « Lancer le vote ». "
            "Le premier vote reste dans l'historique.",
            "info",
        )

    def _ask_continuum(self) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        chosen = [s.id for s, box in zip(self.situations, self.situation_boxes, strict=True) if box.value]
        question = "Où placez-vous ces situations sur le continuum de la participation ?"
        self._run(
            lambda: trainer.ask(Activity.CONTINUUM, question, chosen), "Le placement est lancé sur les téléphones."
        )

    def _ask_meteo(self, moment: str) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        self._run(lambda: trainer.ask(Activity.METEO, METEO_QUESTIONS[moment], tag=moment), "La météo est lancée.")

    def _reveal(self) -> None:
        trainer = self.trainer
        current = self.snapshot.current if self.snapshot else None
        if trainer is None or current is None:
            return
        self._run(lambda: trainer.reveal(current.id), "Les résultats sont affichés sur les téléphones.")

    # ------------------------------------------------------------ drawing

    def _mine(self, round_: Round | None) -> bool:
        if round_ is None:
            return False
        wanted = {
            "abaque": (Activity.ABAQUE, Activity.FEUX),
            "continuum": (Activity.CONTINUUM,),
            "meteo": (Activity.METEO,),
        }
        return round_.activity in wanted[self.page]

    def _update(self, force: bool = False) -> None:
        if self.trainer is None:
            return
        try:
            version = self.trainer.version()
            if version != self.version or force:
                self.snapshot = self.trainer.snapshot()
                self.version = version
                self._show()
        except SalleError as error:
            self._say(str(error), "error", "Attention :")

    def _server_line(self) -> str:
        try:
            public = self.store.meta(META_PUBLIC_URL)
            local = self.store.meta(META_LOCAL_URL)
            room = self.store.meta(META_NETWORK) == "salle"
        except SalleError:
            return "✘ La base de la salle ne répond pas."
        alive = False
        if local:
            with contextlib.suppress(OSError, ValueError):
                with urllib.request.urlopen(f"{local}sante", timeout=1.5) as answer:  # noqa: S310 (our own server)
                    alive = json.loads(answer.read()).get("ok") is True
        if not alive:
            return (
                "✘ Le serveur des téléphones ne répond pas : lancez « make serve » "
                "(ou « FAIRE_AVEC_SALLE=1 make serve » pour les téléphones de la salle)."
            )
        if not room:
            return (
                f"⚠ Le serveur des téléphones écoute seulement sur cet ordinateur ({local}). Pour les téléphones "
                "de la salle, relancez avec « FAIRE_AVEC_SALLE=1 make serve »."
            )
        return f"✔ Les téléphones de la salle peuvent se connecter à {public}"

    def _session_html(self) -> str:
        if self.trainer is None or self.snapshot is None:
            return (
                "<p class='salle-texte'>Ouvrez une séance : vous aurez un code et un QR code à montrer au groupe. "
                "Les participant·es répondent avec leur téléphone, sans nom ni compte.</p>"
            )
        if time.monotonic() - self.checked_at > HEALTH_EVERY or not self.server_status:
            self.server_status = self._server_line()
            self.checked_at = time.monotonic()
        session = self.snapshot.session
        code = session.code
        public = self.store.meta(META_PUBLIC_URL) or network.participant_url(network.LOCAL_HOST, 8765)
        room = self.store.meta(META_NETWORK) == "salle"
        join_url = f"{public}?code={code}"
        qr = network.qr_svg(join_url, f"QR code pour rejoindre la séance {display_code(code)}") if room else ""
        people = session.participants
        state = "fermée" if session.closed else "ouverte"
        return (
            "<div class='salle-carte'>"
            f"<div>{qr}</div>"
            "<div class='salle-texte'>"
            f"<p style='margin:0'>Séance {state} à {_clock(session.created_at)} · code :</p>"
            f"<p class='salle-code'>{display_code(code)}</p>"
            f"<p>Sur leur téléphone : scanner le QR code, ou ouvrir <a href='{html.escape(public)}' target='_blank' rel='noopener'>"
            f"<strong>{html.escape(public)}</strong></a> puis taper le code.</p>"
            f"<p role='status'><strong>{plural(people, 'personne')}</strong> "
            f"{'ont' if people > 1 else 'a'} déjà voté (un téléphone compte à son premier vote).</p>"
            f"<p>{html.escape(self.server_status)}</p>"
            f"<p><small>Les réponses sont anonymes et seront effacées le {html.escape(report.french_date(session.expires_at))}.</small></p>"
            "</div></div>"
        )

    def _show(self) -> None:
        """Redraw everything from the last snapshot (called when its version changed)."""
        has_session = self.trainer is not None
        self.open_button.layout.display = "none" if has_session else ""
        self.resume_box.layout.display = "none" if has_session or not self.resume_box.children else "flex"
        closed = bool(self.snapshot and self.snapshot.session.closed)
        self.close_button.layout.display = "" if has_session and not closed else "none"
        self.work_box.layout.display = "" if has_session else "none"
        self.session_info.value = self._session_html()
        for button in self._ask_buttons():
            button.disabled = closed
        self._redraw()

    def _ask_buttons(self) -> list[w.Button]:
        if self.page == "meteo":
            return [self.arrival_button, self.departure_button]
        if self.page == "abaque":
            return [self.ask_button, self.reword_button]
        return [self.ask_button]

    def _redraw(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        current = snapshot.current
        shown = current if self._mine(current) else None
        if shown is None:
            mine = [r for r in snapshot.rounds if self._mine(r)]
            shown = mine[-1] if mine else None
        if shown is None:
            self.round_info.value = "<p class='salle-texte'>Aucune question posée pour l'instant sur cette page.</p>"
            self.reveal_button.layout.display = "none"
            self.chart.draw(None)
            self.details.value = self._grid(snapshot)
            return
        answered = total_votes(snapshot, shown)
        voting = shown.state is RoundState.VOTE and shown.id == snapshot.session.current_round
        if voting:
            state = (
                f"Vote en cours : <strong>{plural(answered, 'réponse')}</strong> "
                f"({plural(snapshot.session.participants, 'personne a', 'personnes ont')} voté dans la séance). "
                "Les téléphones ne voient pas encore les résultats."
            )
        elif shown.state is RoundState.REVEALED:
            state = f"Résultats montrés au groupe ({plural(answered, 'réponse')})."
        else:
            state = f"Vote clos sans montrer les résultats ({plural(answered, 'réponse')})."
        chain = reword_chain(snapshot, shown)
        earlier = ""
        if len(chain) > 1:
            earlier = "<p>Formulations précédentes : " + " → ".join(f"tour {r.number}" for r in chain[:-1]) + "</p>"
        question = shown.question if shown.activity is not Activity.CONTINUUM else ACTIVITY_NAMES[shown.activity]
        self.round_info.value = (
            f"<h2>Tour {shown.number} · {ACTIVITY_NAMES[shown.activity]}</h2>"
            f"<p class='salle-question'>{html.escape(question)}</p>{earlier}"
            f"<p class='salle-etat' role='status'>{state}</p>"
        )
        self.reveal_button.layout.display = "" if voting else "none"
        if voting and self.hide.value:
            self.chart.draw(None)
            self.chart.note.value = (
                f"<p class='salle-etat'><em>Réponses cachées : {plural(answered, 'reçue')}. "
                "Décochez la case pour les voir, ou montrez-les au groupe.</em></p>"
            )
            self.details.value = ""
            return
        self.chart.draw(self._figure(snapshot, shown))
        self.details.value = self._grid(snapshot) + self._continuum_table(snapshot, shown)

    def _figure(self, snapshot: Snapshot, shown: Round) -> go.Figure:
        scale = content.scale_for(shown.scale)
        if shown.activity is Activity.CONTINUUM:
            from widgets.continuum.content import load_situations, load_steps

            return charts.cloud_figure(
                snapshot, shown, [(s.position, s.label) for s in load_steps()], {s.id: s for s in load_situations()}
            )
        if shown.activity is Activity.METEO:
            rounds = [
                r for r in snapshot.rounds_of(Activity.METEO) if r.state is not RoundState.CLOSED or r.id == shown.id
            ]
            return charts.meteo_figure(snapshot, rounds[-2:] if len(rounds) > 1 else [shown], scale)
        return charts.distribution_figure(snapshot, shown, scale)

    def _grid(self, snapshot: Snapshot) -> str:
        if self.page != "abaque":
            return ""
        parts = []
        for activity in (Activity.ABAQUE, Activity.FEUX):
            rounds = snapshot.rounds_of(activity)
            visible = [r for r in rounds if not (self.hide.value and r.state is RoundState.VOTE)]
            if visible:
                parts.append(f"<h2>{ACTIVITY_NAMES[activity]} : la grille de la séance</h2>")
                parts.append(report.grid_html(snapshot, visible, content.scale_for(activity.value)))
        return "".join(parts)

    def _continuum_table(self, snapshot: Snapshot, shown: Round) -> str:
        if shown.activity is not Activity.CONTINUUM:
            return ""
        from widgets.continuum.content import load_situations, load_steps

        situations = {s.id: s for s in load_situations()}
        labels = {s.position: s.label for s in load_steps()}
        rows = []
        for item in shown.items:
            situation = situations.get(item)
            if situation is None:
                continue
            votes = sorted(int(v.value) for v in snapshot.votes_of(shown.id, item))
            spread = f"de l'étape {votes[0]} à l'étape {votes[-1]}" if votes else "pas encore de réponse"
            if votes and votes[0] == votes[-1]:
                spread = f"tout le groupe : étape {votes[0]}"
            course = f"◆ {situation.reference}. {labels.get(situation.reference, '')}"
            if situation.also_accepted:
                course += f" (◇ aussi défendable : {list_and([str(a) for a in sorted(situation.also_accepted)])})"
            explanation = situation.explanation + (f" À discuter : {situation.debate}" if situation.debate else "")
            rows.append([situation.title, plural(len(votes), "réponse"), spread, course, explanation])
        frame = pd.DataFrame(rows, columns=["Situation", "Réponses", "Le groupe va", "Repère du cours", "Explication"])
        return table_markup(frame, "Pour ouvrir la discussion : le groupe et les repères du cours", row_headers=True)

    # ------------------------------------------------------------ export

    def _export(self) -> None:
        trainer = self.trainer
        if trainer is None:
            return
        try:
            snapshot = trainer.snapshot()
        except SalleError as error:
            self.export_info.value = message_html(str(error), "error", "Attention :")
            return
        now = time.time()
        files = exports.write_csv(snapshot, self.store.directory, now)
        self.export_info.value = self._links(files, "Préparation de l'image PNG… (quelques secondes)")
        self.export_button.disabled = True
        page = report.report_html(snapshot)

        async def make_png() -> None:
            loop = asyncio.get_running_loop()
            try:
                png = await loop.run_in_executor(None, report.render_png, page)
            except SalleError as error:
                self.export_info.value = self._links(files, "") + message_html(str(error), "error", "Image :")
            else:
                path = exports.folder(self.store.directory) / f"{exports.stem(snapshot, now)}.png"
                exports.save(path, png)
                files[path] = png
                self.export_info.value = self._links(files, "")
            finally:
                self.export_button.disabled = False

        asyncio.ensure_future(make_png())

    @staticmethod
    def _links(files: dict[Path, bytes], note: str) -> str:
        kinds = {".csv": "text/csv", ".png": "image/png"}
        items = "".join(
            f"<li><a download='{path.name}' href='data:{kinds[path.suffix]};base64,{base64.b64encode(data).decode()}'>"
            f"Télécharger {html.escape(path.name)}</a></li>"
            for path, data in files.items()
        )
        where = html.escape(str(next(iter(files)).parent))
        extra = f"<p><em>{html.escape(note)}</em></p>" if note else ""
        return (
            f"<ul>{items}</ul><p>Les fichiers sont aussi enregistrés dans <code>{where}</code>, et effacés avec "
            "la séance (12 heures après son ouverture). Le fichier « résumé » compte les réponses ; le fichier "
            f"« votes » donne chaque réponse avec le numéro anonyme de la personne (sans nom ni adresse).</p>{extra}"
        )

    # ------------------------------------------------------------ live updates

    def _start_polling(self) -> None:
        if self.task is not None and not self.task.done():
            return

        async def poll() -> None:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                try:
                    self._update()
                    if time.monotonic() - self.checked_at > HEALTH_EVERY:
                        self.session_info.value = self._session_html()
                except Exception:  # the live view must outlive any one bad redraw; the log says why
                    log.exception("Mise à jour de l'écran de la salle impossible")

        self.task = asyncio.ensure_future(poll())


def show(page: str) -> None:
    """Display the trainer's view; a data or database problem is a French message, not a traceback."""
    display_exercise(lambda: SalleView(page).root, (SalleError,))
