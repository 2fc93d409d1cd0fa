"""The export panels: what a page offers to download, CSV files at once, then the file Chromium makes.

- the votes' page (:class:`ExportPanel`): two CSV files, then the PNG image of the whole session,
  each as a download link and as a file in ``exports/`` of the data directory, erased with the session;
- an evaluation's page (:class:`EvaluationExportPanel`): the avant / après or the questionnaire, one
  CSV file, then a one-page PDF, offered to download and written nowhere on the computer.

Why one :class:`ExportBox` for both: the image or the PDF takes a few seconds, so Chromium makes it
in a thread (:mod:`widgets.salle.chromium`) while the page stays usable; the CSV links are shown
first, the button is disabled meanwhile, and a failure keeps the CSV links with a French message.
"""

from __future__ import annotations

import asyncio
import base64
import html
import time
from collections.abc import Callable

import ipywidgets as w

from widgets.salle import eval_report, exports, report
from widgets.salle.model import SalleError
from widgets.salle.screen.base import Screen, button
from widgets.ui import message_html

# A file offered to download: its name, then its type and content.
Files = dict[str, tuple[str, bytes]]
CSV = "text/csv"


def links(files: Files, about: str, note: str = "") -> str:
    """A download link per file (a ``data:`` address: nothing to serve), what they hold, and a note."""
    items = "".join(
        f"<li><a download='{html.escape(name)}' href='data:{kind};base64,{base64.b64encode(data).decode()}'>"
        f"Télécharger {html.escape(name)}</a></li>"
        for name, (kind, data) in files.items()
    )
    extra = f"<p><em>{html.escape(note)}</em></p>" if note else ""
    return f"<ul>{items}</ul><p>{about}</p>{extra}"


class ExportBox:
    """The « Exporter » heading, its button and the links under it."""

    def __init__(self, label: str, tooltip: str, export: Callable[[], None]) -> None:
        self.button = button(label, tooltip, icon="download")
        self.button.on_click(lambda _: export())
        self.info = w.HTML()
        self.root = w.VBox([w.HTML("<h2>Exporter</h2>"), self.button, self.info])

    def refuse(self, error: SalleError) -> None:
        self.info.value = message_html(str(error), "error", "Attention :")

    def offer(self, files: Files, about: str, slow: Callable[[], tuple[str, str, bytes]], waiting: str) -> None:
        """Show ``files`` now; then run ``slow`` (which returns a name, a type and the content) in a
        thread and add its file, or say in French why it could not be made."""
        self.info.value = links(files, about, waiting)
        self.button.disabled = True

        async def finish() -> None:
            loop = asyncio.get_running_loop()
            try:
                name, kind, data = await loop.run_in_executor(None, slow)
            except SalleError as error:
                self.info.value = links(files, about) + message_html(str(error), "error", "Attention :")
            else:
                files[name] = (kind, data)
                self.info.value = links(files, about)
            finally:
                self.button.disabled = False

        # kept so the task is not garbage-collected while Chromium draws (asyncio holds only a weak reference)
        self._task = asyncio.ensure_future(finish())


class ExportPanel:
    """The votes: the summary and the votes as CSV, then the PNG image, all kept in ``exports/``."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.box = ExportBox(
            "Exporter les résultats (CSV et image PNG)", "Enregistrer les résultats de la séance", self.export
        )
        self.root = self.box.root

    def export(self) -> None:
        screen = self.screen
        trainer = screen.trainer
        if trainer is None:
            return
        try:
            snapshot = trainer.snapshot()
        except SalleError as error:
            self.box.refuse(error)
            return
        now = time.time()
        written = exports.write_csv(snapshot, screen.store.directory, now)
        where = html.escape(str(exports.folder(screen.store.directory)))
        about = (
            f"Les fichiers sont aussi enregistrés dans <code>{where}</code>, et effacés avec la séance (12 heures "
            "après son ouverture). Le fichier « résumé » compte les réponses ; le fichier « votes » donne chaque "
            "réponse avec le numéro anonyme de la personne (sans nom ni adresse)."
        )
        page = report.report_html(snapshot)

        def png() -> tuple[str, str, bytes]:
            image = report.render_png(page)
            path = exports.folder(screen.store.directory) / f"{exports.stem(snapshot, now)}.png"
            exports.save(path, image)
            return path.name, "image/png", image

        files = {path.name: (CSV, data) for path, data in written.items()}
        self.box.offer(files, about, png, "Préparation de l'image PNG… (quelques secondes)")


class EvaluationExportPanel:
    """``which`` is ``avant-apres`` (the quiz's page) or ``questionnaire``: a CSV file, then a one-page PDF."""

    ABOUT = (
        "Ces fichiers ne sont enregistrés nulle part sur cet ordinateur : téléchargez-les. Ils ne contiennent ni "
        "nom, ni code de séance, ni heure de réponse, et rien ne relie les réponses d'une même personne au début "
        "et à la fin."
    )

    def __init__(self, screen: Screen, which: str) -> None:
        self.screen = screen
        self.which = which
        what = "l'avant / après" if which == "avant-apres" else "le questionnaire"
        self.box = ExportBox(
            f"Exporter {what} (CSV et PDF d'une page)", "Télécharger les réponses du groupe, sans nom", self.export
        )
        self.root = self.box.root

    def export(self) -> None:
        trainer, which = self.screen.trainer, self.which
        if trainer is None:
            return
        try:
            evaluations = eval_report.read(trainer.store, trainer.code)
        except SalleError as error:
            self.box.refuse(error)
            return
        text = eval_report.export_csv_of(evaluations, which)
        page = eval_report.export_html(evaluations, which)

        def pdf() -> tuple[str, str, bytes]:
            return (
                eval_report.file_name(which, "pdf", evaluations.day),
                "application/pdf",
                eval_report.print_one_page(page),
            )

        files = {eval_report.file_name(which, "csv", evaluations.day): (CSV, text.encode("utf-8-sig"))}
        self.box.offer(files, self.ABOUT, pdf, "Préparation du PDF… (quelques secondes)")
