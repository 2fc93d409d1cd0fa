"""Small custom widgets every exercise shares, written with anywidget (JavaScript served with the page).

Why custom widgets rather than ipywidgets' built-ins:

* :class:`RadioGroup` — ipywidgets' ``RadioButtons`` draws each long answer over the next one when it
  wraps, makes every option its own Tab stop and labels them ``title="null"``. Native radio inputs in
  a ``role="radiogroup"`` give one Tab stop, arrow keys, a visible selection and rows that wrap.
* :class:`BrowserMemory` — a learner's answers survive a reload or « retour »: they are kept in this
  browser's ``localStorage`` and handed back to the exercise, never stored on the server.
* :class:`ResetControl` — « Tout recommencer » with a confirmation that keeps the keyboard focus.
* :class:`TextField` — ipywidgets' ``Text`` has no ``inputmode`` (a phone opens a letter keyboard for
  a rent) and cannot tie its error to the input: a native labelled input with the keyboard it needs,
  a help line saying what it expects and its error under it (``aria-invalid``, ``aria-describedby``).
* :class:`Disclosure` — « voir le détail » that stays open while its content is redrawn.
* :class:`StatusLine` — « calcul en cours » where the learner is looking (sticky), read once.

The JavaScript lives beside this file and is sent inline (anywidget ``_esm``): no CDN, it works
offline. The look comes from the Voilà template's stylesheet (``fa-choices``, ``fa-button``…), so
every exercise, the simulator included, shares one visual language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import anywidget
import traitlets as t

from widgets.fr import typography

HERE = Path(__file__).resolve().parent
T = TypeVar("T")
STORAGE_PREFIX = "faire-avec:v1:"  # bump the version when the shape of what is stored changes


def _esm(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


class RadioGroup(anywidget.AnyWidget):
    """A group of choices with one accessible name (``label``, shown above the options).

    ``options`` are labels, or ``(label, value)`` pairs as in ipywidgets. One choice (``value``) by
    default; with ``multiple=True`` the options are checkboxes and ``values`` holds every ticked one.
    ``orientation="horizontal"`` lays short options side by side; they wrap on a phone. Texts get
    French no-break spaces (« ? » never alone on a line).
    """

    _esm = _esm("choices.js")
    labels = t.List(t.Unicode()).tag(sync=True)
    selected = t.List(t.Int()).tag(sync=True)
    label = t.Unicode("").tag(sync=True)
    label_visible = t.Bool(True).tag(sync=True)
    hint = t.Unicode("").tag(sync=True)
    multiple = t.Bool(False).tag(sync=True)
    orientation = t.Unicode("vertical").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)

    def __init__(
        self,
        options: Sequence[str] | Sequence[tuple[str, Hashable]],
        label: str,
        value: Any = None,
        *,
        multiple: bool = False,
        orientation: str = "vertical",
        hint: str = "",
        label_visible: bool = True,
        **kwargs: Any,
    ) -> None:
        pairs = [(o, o) if isinstance(o, str) else (str(o[0]), o[1]) for o in options]
        if not label.strip():
            raise ValueError("A choice group needs an accessible name (label).")
        if orientation not in ("vertical", "horizontal"):
            raise ValueError(f"orientation must be vertical or horizontal, not {orientation!r}")
        self._values: list[Any] = [v for _, v in pairs]
        super().__init__(
            labels=[typography(text) for text, _ in pairs],
            label=typography(label),
            multiple=multiple,
            orientation=orientation,
            hint=typography(hint),
            label_visible=label_visible,
            **kwargs,
        )
        if value is not None:
            self.value = value

    @property
    def options(self) -> list[tuple[str, Any]]:
        return list(zip(self.labels, self._values, strict=True))

    @property
    def value(self) -> Any:
        """The chosen value (single choice), or None while nothing is chosen."""
        return self._values[self.selected[0]] if self.selected else None

    @value.setter
    def value(self, value: Any) -> None:
        self.selected = [] if value is None else [self._index(value)]

    @property
    def values(self) -> tuple[Any, ...]:
        """Every ticked value, in the order of the options."""
        return tuple(self._values[i] for i in sorted(self.selected))

    @values.setter
    def values(self, values: Iterable[Any]) -> None:
        self.selected = sorted({self._index(v) for v in values})

    def _index(self, value: Any) -> int:
        try:
            return self._values.index(value)
        except ValueError:
            raise ValueError(f"{value!r} is not one of the options") from None

    @t.validate("selected")
    def _check_selected(self, proposal: t.Bunch) -> list[int]:
        chosen = sorted({i for i in proposal["value"] if 0 <= i < len(self.labels)})
        return chosen if self.multiple else chosen[-1:]

    def on_value(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(value)`` (or ``callback(values)`` with ``multiple``) after each change,
        whether it comes from the learner or from the code."""

        def changed(_change: dict) -> None:
            callback(self.values if self.multiple else self.value)

        self.observe(changed, names="selected")


def restored_part(state: dict[str, Any], key: str, kind: type[T]) -> T:
    """``state[key]`` if it has the expected type, else an empty ``kind()``: what comes back from a
    browser is never trusted (an older version of the course may have stored something else)."""
    value = state.get(key)
    return value if isinstance(value, kind) else kind()


class BrowserMemory(anywidget.AnyWidget):
    """What an exercise keeps in this browser between visits (``localStorage`` under ``key``).

    The exercise calls :meth:`save` with a small JSON-able dict after each answer and :meth:`clear`
    on « Tout recommencer »; :meth:`on_restore` receives what was stored, once, when the page opens.
    The exercise must check what it gets back: the content may have changed since the last visit.
    """

    _esm = _esm("memory.js")
    key = t.Unicode("").tag(sync=True)
    saved = t.Unicode("").tag(sync=True)
    restored = t.Unicode("").tag(sync=True)

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(key=STORAGE_PREFIX + name, **kwargs)
        self.layout.display = "none"

    def save(self, state: dict[str, Any]) -> None:
        self.saved = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":")) if state else ""

    def clear(self) -> None:
        self.saved = ""

    def on_restore(self, callback: Callable[[dict[str, Any]], None]) -> None:
        def restored(change: dict) -> None:
            try:
                state = json.loads(change["new"] or "{}")
            except ValueError:
                return  # unreadable: start afresh rather than fail in front of a learner
            if isinstance(state, dict) and state:
                callback(state)

        self.observe(restored, names="restored")


class ResetControl(anywidget.AnyWidget):
    """« Tout recommencer » → « Effacer toutes vos réponses ? » « Oui, tout effacer » / « Non… ».

    ``on_reset`` runs only after « Oui »; the focus returns to « Tout recommencer » either way.
    """

    _esm = _esm("reset.js")
    what = t.Unicode("toutes vos réponses").tag(sync=True)

    def __init__(self, on_reset: Callable[[], None], what: str = "toutes vos réponses", **kwargs: Any) -> None:
        super().__init__(what=what, **kwargs)
        self._on_reset = on_reset
        self.on_msg(self._handle)

    def _handle(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "reset":
            self._on_reset()


INPUT_MODES = ("text", "decimal", "numeric")


class TextField(anywidget.AnyWidget):
    """A labelled text input read when the learner has finished (Enter or leaving the field).

    ``inputmode`` picks a phone's keyboard: ``"decimal"`` (euros, hours: digits and a comma),
    ``"numeric"`` (ages: digits only) or ``"text"``. ``hint`` says what the field expects, under its
    label; :meth:`show_error` puts a French message under the input, read once as an alert.
    ``width`` is ``"short"`` (a number) or ``"long"`` (a list). Texts get French no-break spaces.
    """

    _esm = _esm("field.js")
    value = t.Unicode("").tag(sync=True)
    label = t.Unicode("").tag(sync=True)
    hint = t.Unicode("").tag(sync=True)
    placeholder = t.Unicode("").tag(sync=True)
    inputmode = t.Unicode("text").tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    width = t.Unicode("short").tag(sync=True)

    def __init__(
        self,
        label: str,
        value: str = "",
        *,
        hint: str = "",
        placeholder: str = "",
        inputmode: str = "text",
        width: str = "short",
        **kwargs: Any,
    ) -> None:
        if not label.strip():
            raise ValueError("A field needs an accessible name (label).")
        if inputmode not in INPUT_MODES:
            raise ValueError(f"inputmode must be one of {INPUT_MODES}, not {inputmode!r}")
        super().__init__(
            label=typography(label),
            value=value,
            hint=typography(hint),
            placeholder=placeholder,
            inputmode=inputmode,
            width=width,
            **kwargs,
        )

    def show_error(self, message: str | None) -> None:
        """Show ``message`` under the input (None or "": no message)."""
        self.error = typography(message) if message else ""


class Disclosure(anywidget.AnyWidget):
    """A native ``<details>`` whose ``html`` (trusted markup: every text escaped by the caller) is
    replaced without closing it; ``expanded`` follows the learner. Hidden while ``html`` is empty."""

    _esm = _esm("disclosure.js")
    summary = t.Unicode("").tag(sync=True)
    html = t.Unicode("").tag(sync=True)
    expanded = t.Bool(False).tag(sync=True)

    def __init__(self, summary: str, **kwargs: Any) -> None:
        super().__init__(summary=typography(summary), **kwargs)


class StatusLine(anywidget.AnyWidget):
    """One sentence about the exercise's state, in its own polite live region (``role="status"``).

    ``visible`` True: the sentence sticks to the bottom of the screen until it changes (e.g. « calcul
    en cours »); False: it is only read, not shown (e.g. « les chiffres sont à jour »).
    """

    _esm = _esm("status.js")
    value = t.Unicode("").tag(sync=True)
    visible = t.Bool(False).tag(sync=True)

    def say(self, text: str, visible: bool = False) -> None:
        self.visible = visible
        self.value = typography(text) if text else ""


__all__ = [
    "STORAGE_PREFIX",
    "BrowserMemory",
    "Disclosure",
    "RadioGroup",
    "ResetControl",
    "StatusLine",
    "TextField",
    "restored_part",
]
