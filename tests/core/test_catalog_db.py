"""The catalog database: WAL, foreign keys, transactions, migrations with a backup."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from core.catalog.db import CatalogError, Database, QueryStopped
from core.catalog.migrations import MIGRATIONS, Migration


def test_new_catalog_is_at_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.db")
    assert db.scalar("PRAGMA user_version") == MIGRATIONS[-1].version
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    names = {row[0] for row in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"roots", "photos", "problems", "thumbnails", "schema_migrations"} <= names


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.db")
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            conn.execute("INSERT INTO kv VALUES ('a', '1')")
            raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM kv") == 0


def test_nested_transactions_roll_back_only_the_inner_part(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.db")
    with db.transaction() as conn:
        conn.execute("INSERT INTO kv VALUES ('outer', '1')")
        with pytest.raises(ValueError):
            with db.transaction() as inner:
                inner.execute("INSERT INTO kv VALUES ('inner', '1')")
                raise ValueError
    assert [r[0] for r in db.query("SELECT key FROM kv")] == ["outer"]


def test_each_thread_gets_its_own_connection_and_writes_serialise(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.db")

    def write(n: int) -> None:
        for i in range(50):
            with db.transaction() as conn:
                conn.execute("INSERT INTO kv VALUES (?, ?)", (f"{n}-{i}", "x"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.scalar("SELECT count(*) FROM kv") == 200
    db.close()


OLD = (Migration(1, "old layout", "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT);"
       "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"),)  # fmt: skip


def test_an_older_catalog_is_backed_up_then_migrated_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    old = Database(path, OLD)
    with old.transaction() as conn:
        conn.execute("INSERT INTO notes (text) VALUES ('keep me')")
    old.close()

    newer = (*OLD, Migration(2, "add a column", "ALTER TABLE notes ADD COLUMN stars INTEGER DEFAULT 0;"))
    db = Database(path, newer)
    assert db.scalar("PRAGMA user_version") == 2
    assert db.query("SELECT text, stars FROM notes")[0][:] == ("keep me", 0)
    assert [r[0] for r in db.query("SELECT version FROM schema_migrations ORDER BY 1")] == [1, 2]
    backup = sqlite3.connect(tmp_path / "catalog.db.v1.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT text FROM notes").fetchone()[0] == "keep me"


def test_a_failing_migration_leaves_the_catalog_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    Database(path, OLD).close()
    broken = (*OLD, Migration(2, "broken", "ALTER TABLE notes ADD COLUMN x INTEGER; SELECT * FROM no_such_table;"))
    with pytest.raises(CatalogError, match="no_such_table"):
        Database(path, broken)
    db = Database(path, OLD)
    assert db.scalar("PRAGMA user_version") == 1
    assert [r[1] for r in db.query("PRAGMA table_info(notes)")] == ["id", "text"]


def test_a_catalog_from_a_newer_shoebox_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(CatalogError, match="upgrade Shoebox"):
        Database(path)


def test_a_file_that_is_not_a_catalog_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CatalogError, match="is damaged: file is not a database.*shoebox catalog repair"):
        Database(path)


def test_a_read_stops_when_its_caller_cancels_and_the_connection_goes_on(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.db")
    long_count = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT count(*) FROM n"
    )
    cancelled = threading.Event()
    threading.Timer(0.05, cancelled.set).start()  # a newer search, typed while this one runs
    with pytest.raises(QueryStopped):
        with db.stop_when(cancelled):
            db.scalar(long_count)
    with db.stop_when(threading.Event()):  # not cancelled: runs to the end
        assert (
            db.scalar(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT count(*) FROM n"
            )
            == 1000
        )
    assert db.scalar("SELECT 1") == 1  # the connection is usable afterwards, with no handler left
    db.close()
