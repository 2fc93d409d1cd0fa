"""Small custom widgets every exercise shares, written with anywidget (JavaScript served with the page).

Why custom widgets rather than ipywidgets' built-ins:

* :class:`RadioGroup` — ipywidgets' ``RadioButtons`` draws each long answer over the next one when it
  wraps, makes every option its own Tab stop and labels them ``title="null"``. Native radio inputs in
  a ``role="radiogroup"`` give one Tab stop, arrow keys, a visible selection and rows that wrap.
* :class:`BrowserMemory` — a learner's answers survive a reload or « retour »: they are kept in this
  browser's ``localStorage`` and handed back to the exercise, never stored on the server.
* :class:`ResetControl` — « Tout recommencer » with a confirmation that keeps the keyboard focus.

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


__all__ = ["STORAGE_PREFIX", "BrowserMemory", "RadioGroup", "ResetControl", "restored_part"]
