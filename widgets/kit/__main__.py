"""``python -m widgets.kit supports|cartes|diapos|tout``: the trainer's kit, printed and projected.

Why one entry point: the Makefile targets (``make print``, ``make cards``, ``make slides``, ``make kit``)
are one line each, and a trainer gets French progress lines and a French message (never a traceback)
when something is missing — the built book, Chromium, a malformed data file.

Everything is written under ``_build/kit/``:

* ``supports/NN-nom-participant.pdf`` and ``supports/NN-nom-formateur.pdf`` (needs ``make book``);
* ``cartes/*.pdf``: the cards, the continuum's answer sheet apart, the ready sessions' plans and their
  questionnaires;
* ``slides/NN-nom.html``: one projector deck per chapter.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from widgets.data import REPO_ROOT, DataFileError

KIT_DIR = REPO_ROOT / "_build" / "kit"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def make_handouts(chapters: list[str]) -> list[Path]:
    from widgets.kit import handouts

    done = handouts.print_all(tuple(chapters) or None, out_dir=KIT_DIR / "supports")
    return [h.path for h in done]


def make_cards() -> list[Path]:
    """The cards, plus each ready session's plan and questionnaire, as PDF (one Chromium for all)."""
    from widgets.kit import cards, export, pdf
    from widgets.kit.chapters import load_chapters
    from widgets.kit.content import tools_by_id
    from widgets.kit.page import questionnaire_html, ready_plan
    from widgets.kit.plans import plan_ids

    out_dir = KIT_DIR / "cartes"
    documents = dict(cards.all_cards())
    chapters = {c.id: c for c in load_chapters()}
    for plan_id in plan_ids():
        plan = ready_plan(plan_id)
        documents[f"seance-{plan_id}"] = export.to_html(plan, chapters, tools_by_id(), date.today())
        documents[f"questionnaire-{plan_id}"] = cards.document(
            f"Questionnaire de fin de séance — {plan.title}",
            "Anonyme. Merci de prendre quelques minutes : vos réponses aident à améliorer la séance.",
            questionnaire_html(plan_id),
        )
    written = []
    with pdf.browser() as chromium:
        for name, document in documents.items():
            card_sheet = name.startswith("cartes-")
            written.append(
                pdf.print_page(chromium, out_dir / f"{name}.pdf", html=document, title=name, footer=not card_sheet)
            )
    return written


def make_slides() -> list[Path]:
    from widgets.kit import slides

    return slides.build_all(KIT_DIR / "slides")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m widgets.kit", description="Le kit du formateur et de la formatrice."
    )
    parser.add_argument("quoi", choices=("supports", "cartes", "diapos", "tout"), help="ce qu'il faut fabriquer")
    parser.add_argument("--chapitre", action="append", default=[], help="un chapitre (ex. 01-pairite) ; tous sinon")
    args = parser.parse_args(argv)
    from widgets.kit.pdf import PrintError

    steps = {
        "diapos": ("Diapositives", make_slides),
        "cartes": ("Cartes, plans et questionnaires", make_cards),
        "supports": ("Supports imprimés des chapitres", lambda: make_handouts(args.chapitre)),
    }
    wanted = list(steps) if args.quoi == "tout" else [args.quoi]
    try:
        for key in wanted:
            title, run = steps[key]
            print(f"{title}…", flush=True)
            for path in run():
                print(f"  {_shown(path)}", flush=True)
    except (PrintError, DataFileError, KeyError) as error:
        print(f"Le kit n'a pas pu être fabriqué : {error}", file=sys.stderr)
        return 1
    print(f"Terminé : tout est dans {_shown(KIT_DIR)}/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
