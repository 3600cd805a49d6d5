"""Running a people correction (name, merge, hide, reject, confirm, assign, undo) off the UI thread.

Every screen that changes people does it the same way: the core call runs on a worker,
which posts :class:`PeopleChanged` (what was done, in words) or :class:`PeopleRefused`
(the one-line reason core gave) to the widget that asked. That widget reloads what it shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message

from core.people import PeopleError

#: Corrections run one at a time, in the order they were asked (undo steps back in that order).
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class PeopleChanged(Message):
    """A correction was saved; ``text`` says what it did (for a notification)."""

    text: str
    tag: str = ""
    """What the asker passed to :func:`run_correction` to tell its corrections apart."""


@dataclass
class PeopleRefused(Message):
    """Core refused a correction; ``text`` says why."""

    text: str


def run_correction(node: DOMNode, change: Callable[[], str], *, description: str, tag: str = "") -> None:
    """Run ``change`` (a core correction returning what it did, in words) on a worker.

    The result comes back to ``node`` as :class:`PeopleChanged` or :class:`PeopleRefused`.
    """

    def work() -> None:
        with _ONE_AT_A_TIME:
            try:
                text = change()
            except PeopleError as exc:
                node.post_message(PeopleRefused(str(exc)))
                return
        node.post_message(PeopleChanged(text, tag))

    node.run_worker(work, thread=True, exclusive=False, exit_on_error=False, group="people-corrections",
                    description=description)  # fmt: skip


def undo_text(action: str | None) -> str:
    """What the notification says after ``u``, from what :func:`core.people.undo_last` returned."""
    return f"Undone: {action}" if action is not None else "Nothing left to undo."
