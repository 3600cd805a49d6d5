"""Running a people correction (name, merge, hide, reject, confirm, assign, undo) off the UI thread.

Every screen that changes people does it the same way: the core call runs on a worker;
what it did (in words) or why core refused it (its one-line reason) is notified, and
:class:`PeopleChanged` is posted to the widget that asked, which reads again what it shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message

from core.library import Library
from core.people import PeopleError, undo_last

#: Corrections run one at a time, in the order they were asked (undo steps back in that order).
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class PeopleChanged(Message):
    """A correction was saved; ``text`` says what it did."""

    text: str
    tag: str = ""
    """What the asker passed to :func:`run_correction` to tell its corrections apart."""


def run_correction(node: DOMNode, change: Callable[[], str], *, description: str, tag: str = "",
                   announce: bool = True) -> None:  # fmt: skip
    """Run ``change`` (a core correction returning what it did, in words) on a worker.

    A refusal (:class:`~core.people.PeopleError`) is notified as a warning; a success is
    notified when ``announce`` and comes back to ``node`` as :class:`PeopleChanged`.
    """
    app = node.app

    def work() -> None:
        with _ONE_AT_A_TIME:
            try:
                text = change()
            except PeopleError as exc:
                app.notify(str(exc), title="Not changed", severity="warning")  # posts a message: safe from a worker
                return
        if announce:
            app.notify(text, title="People")
        node.post_message(PeopleChanged(text, tag))

    node.run_worker(work, thread=True, exclusive=False, exit_on_error=False, group="people-corrections",
                    description=description)  # fmt: skip


def run_undo(node: DOMNode, library: Library) -> None:
    """``u``: take back the latest people correction (any screen's); the notification says which."""
    run_correction(node, lambda: undo_text(undo_last(library.db)), description="Undoing a correction", tag="undo")


def undo_text(action: str | None) -> str:
    """What the notification says after ``u``, from what :func:`core.people.undo_last` returned."""
    return f"Undone: {action}" if action is not None else "Nothing left to undo."
