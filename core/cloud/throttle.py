"""A shared bandwidth limit: a token bucket, and a body reader that waits for it."""

from __future__ import annotations

import io
import threading
import time


class RateLimiter:
    """Lets at most ``rate`` bytes per second through, across all threads (bursts of ~0.25 s)."""

    def __init__(self, rate: int, *, burst_seconds: float = 0.25) -> None:
        self.rate = rate
        self.capacity = max(64 * 1024, int(rate * burst_seconds))
        self._tokens = float(self.capacity)
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def take(self, amount: int, cancel: threading.Event | None = None) -> None:
        """Block until ``amount`` bytes may be sent (or ``cancel`` is set)."""
        while amount > 0:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                grant = min(amount, int(self._tokens))
                if grant > 0:
                    self._tokens -= grant
                    amount -= grant
                    continue
                wait = (min(amount, self.capacity) - self._tokens) / self.rate
            if cancel is not None and cancel.wait(min(wait, 0.5)):
                return
            if cancel is None:
                time.sleep(min(wait, 0.5))


class ThrottledBody(io.RawIOBase):
    """Bytes to upload, handed out no faster than the limiter allows (seekable for retries)."""

    CHUNK = 64 * 1024

    def __init__(self, data: bytes, limiter: RateLimiter, cancel: threading.Event | None = None) -> None:
        self._data = memoryview(data)
        self._pos = 0
        self._limiter = limiter
        self._cancel = cancel

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._data)}[whence]
        self._pos = max(0, min(len(self._data), base + offset))
        return self._pos

    def tell(self) -> int:
        return self._pos

    def __len__(self) -> int:
        return len(self._data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = len(self._data) - self._pos
        size = min(size, self.CHUNK, len(self._data) - self._pos)
        if size <= 0:
            return b""
        self._limiter.take(size, self._cancel)
        chunk = bytes(self._data[self._pos : self._pos + size])
        self._pos += size
        return chunk

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
