"""A failed worker of a pane, the grid or the photo view reaches the app; so does what it has to say.

Textual's ``Worker.StateChanged`` does not bubble, so a widget's worker that raised (a
garbled catalog page, say) would otherwise fail in silence. Widgets that run workers mix in
:class:`ReportsWorkerErrors`; the app handles :class:`WorkerFailed` (one message for all).
A worker with something to tell the user (a setting not saved, a folder refused) posts a
:class:`WorkerNotice`, which the app shows as a notification.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.worker import Worker, WorkerState


@dataclass
class WorkerFailed(Message):
    """A worker raised ``error``; posted to the app."""

    description: str
    error: BaseException


@dataclass
class CatalogDamageFound(Message):
    """The check after a failed read (or an indexing run) found the catalog damaged (``text``: how, and the way out)."""

    text: str


@dataclass
class WorkerNotice(Message):
    """A worker's word to the user (shown by the app as a notification)."""

    text: str
    title: str = ""
    severity: str = "information"  # "information", "warning" or "error"
    timeout: float | None = None


class ReportsWorkerErrors:
    """Mixin for widgets and screens with workers: their failures go to the app."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.post_message(WorkerFailed(event.worker.description, event.worker.error))  # type: ignore[attr-defined]
