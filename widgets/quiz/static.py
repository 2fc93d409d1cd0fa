"""The self-check as plain HTML: it works in the static book, without a kernel or JavaScript.

Each answer is a ``<details>`` element: the learner opens the answer they chose and reads whether
it is right and why (symbol + word, never colour alone).
"""

from __future__ import annotations

import html
import string

from IPython.display import HTML

from widgets.quiz.content import load_questions
from widgets.ui import STYLE

QUIZ_STYLE = """
<style>
.faire-quiz ol { padding-left: 1.2em; }
.faire-quiz details { margin: 0.3em 0; padding: 0.3em 0.6em; border: 1px solid #bbb; border-radius: 4px; }
.faire-quiz summary { cursor: pointer; }
</style>
"""


def render(chapter: str) -> str:
    items = []
    for question in load_questions(chapter):
        hint = " (plusieurs réponses possibles)" if question.multiple else ""
        answers = []
        for letter, answer in zip(string.ascii_uppercase, question.answers, strict=False):
            verdict = "✔ Juste." if answer.correct else "✘ Non."
            answers.append(
                f"<details><summary><strong>{letter}.</strong> {html.escape(answer.text)}</summary>"
                f"<p><strong>{verdict}</strong> {html.escape(answer.explanation)}</p></details>"
            )
        items.append(f"<li><p><strong>{html.escape(question.text)}</strong>{hint}</p>{''.join(answers)}</li>")
    return (
        f'{STYLE}{QUIZ_STYLE}<div class="faire-quiz"><p>Choisissez une réponse dans votre tête, puis cliquez dessus '
        f"pour lire l'explication.</p><ol>{''.join(items)}</ol></div>"
    )


def static(chapter: str) -> HTML:
    return HTML(render(chapter))
