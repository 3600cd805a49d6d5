"""Full garbage collections while the user is idle, not in the middle of a key press.

CPython's cycle collector stops the whole process for a *full* collection, and on a big
library that pause is 100–300 ms (it walks every live object: rows, thumbnails, widgets).
Left to itself it starts whenever allocations add up, so now and then it lands between
a key and the frame that answers it: ``G`` took 140–200 ms in single samples (issue #12),
and every other jump had the same outliers. :class:`IdleCollector` takes full collections
off the automatic schedule (young ones, which are short, stay automatic) and runs them
when no key or click came for :data:`IDLE_SECONDS` — or, at the latest, after
:data:`LONGEST_WAIT_SECONDS` of non-stop typing, so garbage cycles are still freed — and
never while something the user waits for is on its way (``waiting``: a search still
counting, rows still coming, which takes a moment; a collection of 0.5–1 s, overdue
after half a minute of jumps, landed in the middle of the bench's search).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: Quiet time after the last key or click before a pending full collection runs.
IDLE_SECONDS = 0.5
#: A pending full collection runs after this long even if the user never stops.
LONGEST_WAIT_SECONDS = 30.0
#: Middle-generation collections that make a full one due (CPython's own default threshold).
FULL_AFTER = 10
#: Stands in for "never" as the automatic full-collection threshold.
_NEVER = 1 << 30


class IdleCollector:
    """Defers full collections to idle moments; :meth:`tick` is called on a timer."""

    def __init__(self, *, idle_seconds: float = IDLE_SECONDS, longest_wait: float = LONGEST_WAIT_SECONDS,
                 clock: Callable[[], float] = time.monotonic, waiting: Callable[[], bool] = lambda: False) -> None:  # fmt: skip
        self._idle_seconds = idle_seconds
        self._waiting = waiting
        self._longest_wait = longest_wait
        self._clock = clock
        self._saved: tuple[int, int, int] | None = None
        self._last_input = self._last_full = clock()
        self.collections = 0
        """Full collections this object ran."""

    def start(self) -> None:
        """Stop automatic full collections (young ones go on as before)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], _NEVER)

    def stop(self) -> None:
        """Give the automatic schedule back."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def user_input(self) -> None:
        """A key or click just came: a collection now would delay the answer."""
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Run a due full collection if the user is idle (or waited too long); True when one ran."""
        if self._saved is None or gc.get_count()[2] < FULL_AFTER:
            return False
        now = self._clock()
        if self._waiting():  # never while an answer is on its way (a moment: the count, the rows)
            return False
        if now - self._last_input < self._idle_seconds and now - self._last_full < self._longest_wait:
            return False
        gc.collect()
        self._last_full = self._clock()
        self.collections += 1
        return True
