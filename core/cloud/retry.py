"""Retrying S3 calls through network drops, restarts and throttling, with backoff."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from core.cloud.errors import is_retryable

log = logging.getLogger("shoebox.cloud")
T = TypeVar("T")


class Cancelled(Exception):
    """The run was asked to stop while waiting to retry."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter: ``base``, 2×``base``… capped at ``cap``, ``attempts`` tries."""

    attempts: int = 8
    base: float = 0.5
    cap: float = 15.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.base * 2**attempt) * random.uniform(0.7, 1.0)


def with_retries(call: Callable[[], T], *, what: str, backoff: Backoff = Backoff(),
                 cancel: threading.Event | None = None) -> T:  # fmt: skip
    """Run ``call``; on a retryable failure wait and try again, up to ``backoff.attempts`` times."""
    for attempt in range(backoff.attempts):
        try:
            return call()
        except Exception as exc:
            if not is_retryable(exc) or attempt == backoff.attempts - 1:
                raise
            delay = backoff.delay(attempt)
            log.info("%s failed (%s); retrying in %.1f s", what, type(exc).__name__, delay)
            if cancel is not None:
                if cancel.wait(delay):
                    raise Cancelled(what) from exc
            else:
                threading.Event().wait(delay)
    raise AssertionError("unreachable")
