"""The export panel: two CSV files at once, then the PNG image of the whole session (a few seconds,
made by Chromium in a thread so that the page stays usable meanwhile), each as a download link and
as a file in ``exports/`` of the data directory, erased with the session.
"""

from __future__ import annotations

import asyncio
import base64
import html
import time
from pathlib import Path

import ipywidgets as w

from widgets.salle import exports, report
from widgets.salle.model import SalleError
from widgets.salle.screen.base import Screen, button
from widgets.ui import message_html


def links(files: dict[Path, bytes], note: str) -> str:
    """A download link per file (a data: address: nothing to serve), where they are kept, and a note."""
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


class ExportPanel:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.button = button(
            "Exporter les résultats (CSV et image PNG)", "Enregistrer les résultats de la séance", icon="download"
        )
        self.button.on_click(lambda _: self.export())
        self.info = w.HTML()
        self.root = w.VBox([w.HTML("<h2>Exporter</h2>"), self.button, self.info])

    def export(self) -> None:
        screen = self.screen
        trainer = screen.trainer
        if trainer is None:
            return
        try:
            snapshot = trainer.snapshot()
        except SalleError as error:
            self.info.value = message_html(str(error), "error", "Attention :")
            return
        now = time.time()
        files = exports.write_csv(snapshot, screen.store.directory, now)
        self.info.value = links(files, "Préparation de l'image PNG… (quelques secondes)")
        self.button.disabled = True
        page = report.report_html(snapshot)

        async def make_png() -> None:
            loop = asyncio.get_running_loop()
            try:
                png = await loop.run_in_executor(None, report.render_png, page)
            except SalleError as error:
                self.info.value = links(files, "") + message_html(str(error), "error", "Image :")
            else:
                path = exports.folder(screen.store.directory) / f"{exports.stem(snapshot, now)}.png"
                exports.save(path, png)
                files[path] = png
                self.info.value = links(files, "")
            finally:
                self.button.disabled = False

        asyncio.ensure_future(make_png())
