"""Sharing one photo by an expiring link, in a thread worker (as ``shoebox share``)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from core.catalog import Photo
from core.library import Library
from tui.jobs.target import read_target
from tui.worker_errors import WorkerNotice

#: How long a link made by ``S`` works (the CLI's default too).
DEFAULT_SHARE_EXPIRY = "24h"
#: The worker group (shares may run side by side).
GROUP = "share"


@dataclass
class Shared(Message):
    """A share link was made: the app copies it and shows it."""

    url: str


class ShareJob:
    """Makes a link to one photo in a worker of ``host``; posts :class:`Shared` or a notice why not."""

    def __init__(self, host: DOMNode, library: Library) -> None:
        self._host = host
        self._library = library

    def start(self, photo: Photo) -> Worker[None]:
        return self._host.run_worker(lambda: self._run(photo), thread=True, exclusive=False, exit_on_error=False,
                                     group=GROUP, description="Sharing")  # fmt: skip

    def _run(self, photo: Photo) -> None:
        from core.cloud import CloudError
        from core.share import create_share, parse_duration

        library, host = self._library, self._host
        target = read_target(
            library, host, refused="Cannot share", missing="Sharing needs a bucket.", missing_title="Share"
        )
        if target is None:
            return
        host.post_message(WorkerNotice(f"Sharing {photo.name}…", "Share"))
        query = f"sha:{photo.sha256}" + (f' path:"{photo.path}"' if '"' not in photo.path else "")
        try:
            result = create_share(library, target, query=query, expires=parse_duration(DEFAULT_SHARE_EXPIRY))
        except CloudError as exc:
            host.post_message(WorkerNotice(str(exc), "Cannot share", "error", 10))
            return
        host.post_message(Shared(result.page_url or (result.links[0][1] if result.links else "")))
