"""The self-check as plain HTML: it works in the static book, without a kernel or JavaScript.

On screen each answer is a ``<details>`` element: the learner opens the answer they chose and reads
whether it is right and why (symbol + word, never colour alone). On paper a closed ``<details>`` would
print nothing, so the page also carries the answer key — every answer with its verdict and
explanation — which the book's print stylesheet (``faire-avec-book.css``) shows instead. The look
comes from that stylesheet too: nothing is styled inline.
"""

from __future__ import annotations

import html
import string

from IPython.display import HTML

from widgets.fr import sentence, typography
from widgets.quiz.content import load_questions
from widgets.quiz.model import verdict


def render(chapter: str) -> str:
    items = []
    for question in load_questions(chapter):
        hint = " (plusieurs réponses possibles)" if question.multiple else ""
        answers = []
        key = []
        for letter, answer in zip(string.ascii_uppercase, question.answers, strict=False):
            text = html.escape(typography(sentence(answer.text)))
            judged = f"<strong>{verdict(answer.correct)}</strong> {html.escape(typography(answer.explanation))}"
            answers.append(f"<details><summary><strong>{letter}.</strong> {text}</summary><p>{judged}</p></details>")
            key.append(f"<li><strong>{letter}. {text}</strong><br>{judged}</li>")
        items.append(
            f"<li><p><strong>{html.escape(typography(question.text))}</strong>{hint}</p>"
            f'<div class="faire-quiz-answers">{"".join(answers)}</div>'
            f'<ul class="faire-quiz-key">{"".join(key)}</ul></li>'
        )
    return (
        '<div class="faire-quiz">'
        '<p class="faire-quiz-howto">Choisissez une réponse dans votre tête, puis ouvrez-la (clic, ou Entrée au '
        "clavier) pour lire l'explication.</p>"
        '<p class="faire-quiz-printed">Corrigé : chaque réponse est suivie de son explication.</p>'
        f"<ol>{''.join(items)}</ol></div>"
    )


def static(chapter: str) -> HTML:
    return HTML(render(chapter))
