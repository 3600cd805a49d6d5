"""SQLite access: a connection per thread, one writer at a time, nested transactions."""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.catalog import health
from core.catalog.migrations import MIGRATIONS, Migration, migrate

log = logging.getLogger("shoebox.catalog")
#: A long-running process looks whether the day's snapshot is due at most this often.
SNAPSHOT_LOOK_SECONDS = 3600.0
#: How often a :meth:`Database.stop_when` watcher looks whether its caller cancelled (latency of a stop).
STOP_POLL_SECONDS = 0.02


class CatalogError(Exception):
    """The catalog cannot be opened or used; the message says why in plain words."""


class CatalogFullError(CatalogError):
    """The disk holding the catalog is full: the write was rolled back, nothing half-written is kept."""


class CatalogDamaged(CatalogError):
    """The catalog file is damaged (a garbled page): nothing is written until it is repaired."""


def damaged_error(path: Path, exc: BaseException | None = None) -> CatalogDamaged | None:
    """The :class:`CatalogDamaged` to raise after ``exc`` when a check finds damage, else None."""
    message = health.diagnose(path, exc)
    return None if message is None else CatalogDamaged(message)


class QueryStopped(Exception):
    """A read was stopped by the caller's cancellation (see :meth:`Database.stop_when`)."""


def _is_disk_full(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)


class Database:
    """Owns one catalog file.

    Every thread gets its own connection (SQLite connections must not be shared between
    threads); writes go through :meth:`transaction`, which serialises writers with a lock
    and nests with savepoints, so a write is either wholly in the catalog or not at all.
    """

    def __init__(self, path: Path, migrations: tuple[Migration, ...] = MIGRATIONS, *, snapshots: bool = True) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        #: Problems recorded when damage was found (writes are refused while there are some).
        self.damage = health.known_damage(self.path)
        #: When the next write looks whether a snapshot is due (never, when ``snapshots`` is False).
        self._next_snapshot_look = time.monotonic() if snapshots else math.inf
        try:
            migrate(self._connect_new(), self.path, migrations)
        except sqlite3.DatabaseError as exc:
            self.close()
            if health.is_damage(exc) and (damaged := damaged_error(self.path, exc)) is not None:
                raise damaged from exc
            raise CatalogError(f"cannot open the catalog {self.path}: {exc}") from exc

    def _connect_new(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        self._local.conn = conn
        self._local.depth = 0
        with self._connections_lock:
            self._connections.append(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        return conn if conn is not None else self._connect_new()

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Run one statement on this thread's connection."""
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()) -> object:
        """Run a read query and return the first column of the first row (or None)."""
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls become savepoints of the outer one.

        Refused (:class:`CatalogDamaged`) on a catalog found damaged; the first write of a
        process takes the day's snapshot when it is due (see core/catalog/snapshots.py).
        """
        conn = self.conn
        with self._write_lock:
            depth = self._local.depth
            if depth == 0:
                self._before_write(conn)
            name = f"sp{depth}"
            conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
            self._local.depth = depth + 1
            try:
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK" if depth == 0 else f"ROLLBACK TO {name}")
                    if depth:
                        conn.execute(f"RELEASE {name}")
                    raise
                else:
                    try:
                        conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")
                    except sqlite3.Error:
                        if depth == 0 and conn.in_transaction:
                            conn.execute("ROLLBACK")  # a failed COMMIT may leave the transaction open
                        raise
            except sqlite3.DatabaseError as exc:
                if depth == 0 and health.is_damage(exc) and (damaged := self._found_damage(exc)) is not None:
                    raise damaged from exc
                if not isinstance(exc, sqlite3.OperationalError) or not _is_disk_full(exc):
                    raise
                raise CatalogFullError(
                    f"the disk holding the catalog ({self.path.parent}) is full: the last write was undone and "
                    "everything stored before it is kept. Free some space, then run the same command again "
                    "to go on where it stopped."
                ) from exc
            finally:
                self._local.depth = depth

    def _before_write(self, conn: sqlite3.Connection) -> None:
        if self.damage is not None:
            raise CatalogDamaged(health.damage_message(self.path, self.damage))
        if time.monotonic() < self._next_snapshot_look:
            return
        self._next_snapshot_look = time.monotonic() + SNAPSHOT_LOOK_SECONDS  # `watch` runs for weeks
        from core.catalog import snapshots

        if not snapshots.due(self.path):
            return
        try:
            snapshots.take_snapshot(conn, self.path)
        except snapshots.SnapshotError as exc:
            damaged = self._found_damage(exc)
            if damaged is not None:
                raise damaged from exc
            log.warning("no snapshot of the catalog was taken: %s", exc)
        except OSError as exc:  # a full disk, a read-only directory: the write itself may still work
            log.warning("no snapshot of the catalog was taken: %s", exc.strerror or exc)

    def _found_damage(self, exc: BaseException) -> CatalogDamaged | None:
        damaged = damaged_error(self.path, exc)
        if damaged is not None:
            self.damage = health.known_damage(self.path) or [str(exc)]
        return damaged

    @contextmanager
    def stop_when(self, cancelled: threading.Event) -> Iterator[None]:
        """Reads on this thread's connection stop once ``cancelled`` is set.

        The query running then raises :class:`QueryStopped` (a search typed on made this one
        stale: its result would be dropped anyway, so its CPU goes to the new one). For reads
        only: an interrupted write is rolled back by SQLite.

        A small watcher thread calls ``interrupt()`` on the connection when ``cancelled`` is
        set. A progress handler would do it too, but it calls into Python (taking the GIL)
        every few thousand steps of the query, so the query waits whenever the UI thread
        holds the GIL: the app's per-day count took 2–3 times as long with one.
        """
        conn = self.conn
        finished = threading.Event()
        lock = threading.Lock()  # no interrupt once the block is left: it would stop a later read

        def watch() -> None:
            while not finished.is_set():
                if cancelled.wait(STOP_POLL_SECONDS):
                    with lock:
                        if not finished.is_set():
                            conn.interrupt()
                    return

        threading.Thread(target=watch, name="catalog-stop-when", daemon=True).start()
        try:
            yield
        except sqlite3.OperationalError as exc:
            if cancelled.is_set() and "interrupt" in str(exc):
                raise QueryStopped(str(exc)) from exc
            raise
        finally:
            with lock:
                finished.set()

    def close(self) -> None:
        """Close every connection this object opened (from any thread)."""
        with self._connections_lock:
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass
            self._connections.clear()
        self._local = threading.local()
