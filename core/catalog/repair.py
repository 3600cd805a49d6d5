"""Repairing a damaged catalog, and restoring a snapshot.

``repair_catalog`` works on a closed catalog:

1. the damaged file is copied as it is into ``snapshots/kept/`` (nothing is ever lost);
2. a new catalog with the current schema is made, and every row SQLite can still read is
   copied into it, table by table, by rowid ranges: a garbled page costs the rows on it and
   nothing else (indexes are rebuilt from the rows, so a garbled index page costs nothing);
3. the rows that sat on unreadable pages are taken from the newest good snapshot — only
   those rowids, so nothing deleted since the snapshot comes back; a row whose unique key
   (a photo's path, an album's name) is already there is matched to it instead;
4. the new file is checked and put in place; the caller rescans the roots, which adds the
   photos catalogued after the snapshot and follows moved files by sha256 with their albums,
   tags and ratings (core/catalog/moves.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.catalog import health, snapshots
from core.catalog.migrations import MIGRATIONS, migrate

BATCH = 2000
#: Rowids copied by one INSERT … SELECT (a range that meets a garbled page is split in halves).
RANGE_ROWS = 20_000
#: When a table's size is unknown, probing stops after this many unreadable rowids in a row.
PROBE_LIMIT = 20_000
_SKIP_TABLES = {"schema_migrations"}

Range = tuple[int, int | None]  # rowids strictly between: (last readable, next readable or None: to the end)


class RepairError(Exception):
    """The repair could not finish; the catalog was left as it was."""


@dataclass(slots=True)
class TableRepair:
    """What happened to one table."""

    salvaged: int = 0
    unreadable_ranges: list[Range] = field(default_factory=list)
    from_snapshot: int = 0
    matched: int = 0  # snapshot rows matched to a row already there by a unique key
    dropped_links: int = 0  # rows pointing at a row that is gone (removed at the end)


@dataclass(slots=True)
class RepairReport:
    """The outcome of a repair, for the CLI (text and --json)."""

    kept_copy: str | None = None
    schema_readable: bool = True
    snapshot: str | None = None
    tables: dict[str, TableRepair] = field(default_factory=dict)
    check: list[str] = field(default_factory=list)

    @property
    def salvaged(self) -> int:
        return sum(t.salvaged for t in self.tables.values())

    @property
    def from_snapshot(self) -> int:
        return sum(t.from_snapshot for t in self.tables.values())

    @property
    def damaged_tables(self) -> list[str]:
        return [name for name, t in self.tables.items() if t.unreadable_ranges]

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(salvaged=self.salvaged, from_snapshot=self.from_snapshot, damaged_tables=self.damaged_tables)
        return data


def repair_catalog(db_path: Path) -> RepairReport:
    """Rebuild the (closed) catalog at ``db_path`` from what can be read plus the newest good snapshot."""
    db_path = Path(db_path)
    report = RepairReport()
    kept = snapshots.keep_copy(db_path, "damaged")
    report.kept_copy = str(kept) if kept else None
    new_path = db_path.with_name(f".{db_path.name}.repair")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{new_path}{suffix}").unlink(missing_ok=True)
    dest = sqlite3.connect(f"file:{new_path}", uri=True, isolation_level=None)
    try:
        migrate(dest, new_path, MIGRATIONS)
        dest.execute("PRAGMA foreign_keys=OFF")
        # A scratch file until it is checked, synced and moved into place: no syncing while it is built.
        dest.execute("PRAGMA journal_mode=MEMORY")
        dest.execute("PRAGMA synchronous=OFF")
        dest.execute("PRAGMA cache_size=-65536")
        tables = _tables(dest)
        indexes = _drop_indexes(dest)  # rebuilt in one sort each after the bulk copy: several times faster
        ranges = _salvage(db_path, dest, tables, report) if db_path.exists() else None
        for sql in indexes:
            dest.execute(sql)
        if ranges is None:
            report.schema_readable = False
            ranges = {name: [(-(2**63), None)] for name in tables}
            for name in tables:
                report.tables.setdefault(name, TableRepair()).unreadable_ranges = ranges[name]
        good = snapshots.newest_good(db_path)
        if good is not None and any(ranges.values()):
            report.snapshot = good.id
            _fill_from_snapshot(good.path, dest, tables, ranges, report)
        _drop_dangling(dest, report)
        report.check = [row[0] for row in dest.execute("PRAGMA quick_check(20)")]  # SQLite built every page itself
    except BaseException:
        dest.close()
        new_path.unlink(missing_ok=True)
        raise
    dest.close()
    if report.check != ["ok"]:
        new_path.unlink(missing_ok=True)
        raise RepairError("the rebuilt catalog did not pass its check: " + "; ".join(report.check[:3]))
    snapshots.replace_catalog(db_path, new_path)
    health.clear_damaged(db_path)
    return report


def restore_snapshot(db_path: Path, snapshot_id: str) -> tuple[snapshots.Snapshot, str | None]:
    """Put snapshot ``snapshot_id`` in place of the (closed) catalog; returns it and where the old one went.

    The current catalog is kept first: as a new snapshot when it is whole (so the restore
    can itself be undone with ``restore``), else as a file copy in ``snapshots/kept/``.
    """
    db_path = Path(db_path)
    chosen = snapshots.find_snapshot(db_path, snapshot_id)
    if not health.check(chosen.path).ok:
        raise snapshots.SnapshotError(f"snapshot {chosen.id} is damaged itself: choose another one")
    staged = db_path.with_name(f".{db_path.name}.restore")
    staged.write_bytes(chosen.path.read_bytes())  # copied before a new snapshot may prune the chosen one
    try:
        previous = _keep_current(db_path)
        snapshots.replace_catalog(db_path, staged)
    finally:
        staged.unlink(missing_ok=True)
    health.clear_damaged(db_path)
    return chosen, previous


def _keep_current(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    if health.check(db_path).ok:
        conn = sqlite3.connect(db_path)
        try:
            return str(snapshots.take_snapshot(conn, db_path, keep=snapshots.KEEP + 1).path)
        except snapshots.SnapshotError:
            pass
        finally:
            conn.close()
    kept = snapshots.keep_copy(db_path, "before-restore")
    return str(kept) if kept else None


# --- what a table looks like ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableShape:
    name: str
    columns: tuple[str, ...]
    integer_key: str | None  # the column that is the rowid (INTEGER PRIMARY KEY), if any
    unique_keys: tuple[tuple[str, ...], ...]
    references: dict[str, tuple[str, str]]  # column -> (parent table, on delete action)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection) -> dict[str, TableShape]:
    """The new catalog's tables, parents before the tables that reference them."""
    names = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    shapes: dict[str, TableShape] = {}
    for name in names:
        if name in _SKIP_TABLES:
            continue
        info = conn.execute(f"PRAGMA table_info({_q(name)})").fetchall()
        columns = tuple(r[1] for r in info)
        keys = [r for r in info if r[5]]
        integer_key = keys[0][1] if len(keys) == 1 and keys[0][2].upper() == "INTEGER" else None
        unique = []
        for index in conn.execute(f"PRAGMA index_list({_q(name)})").fetchall():
            if index[2] and index[3] == "u":
                unique.append(tuple(r[2] for r in conn.execute(f"PRAGMA index_info({_q(index[1])})")))
        references = {r[3]: (r[2], r[6].upper()) for r in conn.execute(f"PRAGMA foreign_key_list({_q(name)})")}
        shapes[name] = TableShape(name, columns, integer_key, tuple(unique), references)
    ordered: dict[str, TableShape] = {}

    def visit(name: str, seen: set[str]) -> None:
        if name in ordered or name in seen or name not in shapes:
            return
        seen.add(name)
        for parent, _ in shapes[name].references.values():
            visit(parent, seen)
        ordered[name] = shapes[name]

    for name in shapes:
        visit(name, set())
    return ordered


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the schema's own indexes (not those of UNIQUE constraints); returns their CREATE statements."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
    for name, _ in rows:
        conn.execute(f"DROP INDEX {_q(name)}")
    return [sql for _, sql in rows]


# --- step 2: salvage -----------------------------------------------------------------------------


def _salvage(db_path: Path, dest: sqlite3.Connection, tables: dict[str, TableShape],
             report: RepairReport) -> dict[str, list[Range]] | None:  # fmt: skip
    """Copy every readable row; returns each table's unreadable rowid ranges (None: no schema)."""
    try:
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        try:
            present = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            return None
        ranges: dict[str, list[Range]] = {}
        for shape in tables.values():
            result = report.tables.setdefault(shape.name, TableRepair())
            if shape.name not in present:
                ranges[shape.name] = []  # an older catalog without this table: nothing was lost
                continue
            try:
                src_columns = {r[1] for r in src.execute(f"PRAGMA table_info({_q(shape.name)})")}
            except sqlite3.DatabaseError:
                ranges[shape.name] = [(-(2**63), None)]
                continue
            columns = tuple(c for c in shape.columns if c in src_columns)
            ranges[shape.name] = _salvage_table(src, dest, shape, columns, result)
            result.unreadable_ranges = ranges[shape.name]
        return ranges
    finally:
        src.close()
        if any(row[1] == "damaged" for row in dest.execute("PRAGMA database_list")):
            dest.execute("DETACH DATABASE damaged")


def _salvage_table(src: sqlite3.Connection, dest: sqlite3.Connection, shape: TableShape,
                   columns: tuple[str, ...], result: TableRepair) -> list[Range]:  # fmt: skip
    """Copy the readable rows of one table: by rowid ranges inside SQLite, splitting a range that fails."""
    try:
        low, high = src.execute(f"SELECT min(rowid), max(rowid) FROM {_q(shape.name)}").fetchone()
    except sqlite3.DatabaseError:
        return _scan_table(src, dest, shape, columns, result)  # the table's edges are unreadable
    if low is None:
        return []
    if not any(row[1] == "damaged" for row in dest.execute("PRAGMA database_list")):
        dest.execute("ATTACH DATABASE ? AS damaged", (f"file:{src_path(src)}?mode=ro",))
    cols = ", ".join(_q(c) for c in columns)
    names = cols if shape.integer_key in columns else f"rowid, {cols}"
    sql = (f"INSERT OR IGNORE INTO main.{_q(shape.name)} ({names}) SELECT {names} FROM damaged.{_q(shape.name)} "
           "NOT INDEXED WHERE rowid BETWEEN ? AND ?")  # fmt: skip
    bad: list[int] = []
    start = low
    while start <= high:
        end = min(high, start + RANGE_ROWS - 1)
        _copy_range(dest, sql, start, end, bad, result)
        start = end + 1
    return _runs(bad, high)


def _copy_range(dest: sqlite3.Connection, sql: str, start: int, end: int, bad: list[int], result: TableRepair) -> None:
    """Copy rowids start..end in one statement; when a page in it is unreadable, each half on its own."""
    try:
        result.salvaged += dest.execute(sql, (start, end)).rowcount
    except sqlite3.DatabaseError:
        if start == end:
            bad.append(start)
            return
        middle = (start + end) // 2
        _copy_range(dest, sql, start, middle, bad, result)
        _copy_range(dest, sql, middle + 1, end, bad, result)


def _runs(bad: list[int], high: int) -> list[Range]:
    """Unreadable rowids as exclusive ranges; a run reaching the last rowid runs on to the end."""
    ranges: list[Range] = []
    for rowid in bad:
        if ranges and ranges[-1][1] == rowid:
            ranges[-1] = (ranges[-1][0], rowid + 1)
        else:
            ranges.append((rowid - 1, rowid + 1))
    if ranges and ranges[-1][1] == high + 1:
        ranges[-1] = (ranges[-1][0], None)
    return ranges


def src_path(conn: sqlite3.Connection) -> str:
    """The file behind a connection's main database."""
    return next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")


def _scan_table(src: sqlite3.Connection, dest: sqlite3.Connection, shape: TableShape,
                columns: tuple[str, ...], result: TableRepair) -> list[Range]:  # fmt: skip
    """Copy the readable rows of one table in rowid order, row by row, probing past unreadable pages."""
    cols = ", ".join(_q(c) for c in columns)
    scan = f"SELECT rowid, {cols} FROM {_q(shape.name)} NOT INDEXED WHERE rowid > ? ORDER BY rowid"
    probe = f"SELECT rowid, {cols} FROM {_q(shape.name)} NOT INDEXED WHERE rowid = ?"
    try:
        highest = src.execute(f"SELECT max(rowid) FROM {_q(shape.name)}").fetchone()[0]
    except sqlite3.DatabaseError:
        highest = None
    ranges: list[Range] = []
    last = -(2**63)
    batch: list[tuple] = []
    while True:
        failed = False
        try:
            for row in src.execute(scan, (last,)):
                batch.append(tuple(row))
                last = row[0]
                if len(batch) >= BATCH:
                    result.salvaged += _insert(dest, shape, columns, batch)
                    batch = []
        except sqlite3.DatabaseError:
            failed = True
        if batch:
            result.salvaged += _insert(dest, shape, columns, batch)
            batch = []
        if not failed:
            return ranges
        found = _probe_next(src, probe, last, highest)
        if found is None:
            ranges.append((last, None))
            return ranges
        ranges.append((last, found[0]))
        result.salvaged += _insert(dest, shape, columns, [found])
        last = found[0]


def _probe_next(src: sqlite3.Connection, probe: str, last: int, highest: int | None) -> tuple | None:
    """The next readable row after ``last``, looked up rowid by rowid past the unreadable page."""
    misses = 0
    rowid = max(last, 0)
    while highest is None or rowid < highest:
        rowid += 1
        try:
            row = src.execute(probe, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is not None:
            return tuple(row)
        misses += 1
        if highest is None and misses >= PROBE_LIMIT:
            return None
    return None


def _insert(dest: sqlite3.Connection, shape: TableShape, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert rows (rowid first); a row the new schema refuses is skipped. Returns how many went in."""
    if shape.integer_key in columns:  # the key column is the rowid: no separate rowid value
        names, values = columns, [row[1:] for row in rows]
    else:
        names, values = ("rowid", *columns), rows
    sql = f"INSERT OR IGNORE INTO {_q(shape.name)} ({', '.join(_q(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
    before = dest.total_changes
    dest.execute("BEGIN")
    try:
        try:
            dest.executemany(sql, values)
        except sqlite3.Error:
            for row in values:
                try:
                    dest.execute(sql, row)
                except sqlite3.Error:
                    pass
        dest.execute("COMMIT")
    except BaseException:
        dest.execute("ROLLBACK")
        raise
    return dest.total_changes - before


# --- step 3: fill from the snapshot --------------------------------------------------------------


def _in_ranges(rowid: int, ranges: list[Range]) -> bool:
    return any(low < rowid and (high is None or rowid < high) for low, high in ranges)


def _fill_from_snapshot(snapshot: Path, dest: sqlite3.Connection, tables: dict[str, TableShape],
                        ranges: dict[str, list[Range]], report: RepairReport) -> None:  # fmt: skip
    """Take the rows on unreadable rowids from the snapshot, matching unique keys to rows already there."""
    src = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    id_maps: dict[str, dict[int, int | None]] = {}
    try:
        present = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        dest.execute("BEGIN")
        for shape in tables.values():
            result = report.tables.setdefault(shape.name, TableRepair())
            lost = ranges.get(shape.name) or []
            if shape.name not in present or not lost:
                continue
            src_columns = {r[1] for r in src.execute(f"PRAGMA table_info({_q(shape.name)})")}
            columns = tuple(c for c in shape.columns if c in src_columns)
            id_map = id_maps.setdefault(shape.name, {})
            for row in _rows_in(src, shape.name, columns, lost):
                _fill_row(dest, shape, columns, row, id_map, id_maps, result)
        dest.execute("COMMIT")
    except BaseException:
        if dest.in_transaction:
            dest.execute("ROLLBACK")
        raise
    finally:
        src.close()


def _rows_in(src: sqlite3.Connection, table: str, columns: tuple[str, ...], lost: list[Range]) -> Iterator[tuple]:
    cols = ", ".join(_q(c) for c in columns)
    for low, high in lost:
        if high is None:
            yield from src.execute(f"SELECT rowid, {cols} FROM {_q(table)} WHERE rowid > ? ORDER BY rowid", (low,))
        else:
            yield from src.execute(f"SELECT rowid, {cols} FROM {_q(table)} WHERE rowid > ? AND rowid < ? ORDER BY rowid",
                                   (low, high))  # fmt: skip


def _fill_row(dest: sqlite3.Connection, shape: TableShape, columns: tuple[str, ...], row: tuple,
              id_map: dict[int, int | None], id_maps: dict[str, dict[int, int | None]], result: TableRepair) -> None:  # fmt: skip
    rowid, values = row[0], dict(zip(columns, row[1:], strict=True))
    for column, (parent, on_delete) in shape.references.items():
        value = values.get(column)
        if value is None or parent not in id_maps or value not in id_maps[parent]:
            continue  # the parent row was not refilled: it is in the new catalog under the same id, or gone
        mapped = id_maps[parent][value]
        if mapped is None:
            if on_delete != "SET NULL":
                return
            values[column] = None
        else:
            values[column] = mapped
    for key in shape.unique_keys:
        if any(values.get(c) is None for c in key):
            continue
        where = " AND ".join(f"{_q(c)} = ?" for c in key)
        existing = dest.execute(
            f"SELECT rowid FROM {_q(shape.name)} WHERE {where}", [values[c] for c in key]
        ).fetchone()
        if existing is not None:
            id_map[rowid] = existing[0]
            result.matched += 1
            return
    names = list(values) if shape.integer_key in values else ["rowid", *values]
    params = list(values.values()) if shape.integer_key in values else [rowid, *values.values()]
    sql = f"INSERT OR IGNORE INTO {_q(shape.name)} ({', '.join(_q(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
    try:
        changed = dest.execute(sql, params).rowcount
    except sqlite3.Error:
        changed = 0
    if changed:
        id_map[rowid] = rowid
        result.from_snapshot += 1
    else:
        id_map[rowid] = None


# --- step 4: links to rows that are gone ---------------------------------------------------------


def _drop_dangling(dest: sqlite3.Connection, report: RepairReport) -> None:
    """Remove rows that point at a parent row no source had (ON DELETE SET NULL ones are nulled)."""
    problems = dest.execute("PRAGMA foreign_key_check").fetchall()
    if not problems:
        return
    dest.execute("BEGIN")
    for table, rowid, _parent, fk_index in problems:
        fk = [r for r in dest.execute(f"PRAGMA foreign_key_list({_q(table)})") if r[0] == fk_index]
        if fk and fk[0][6].upper() == "SET NULL":
            dest.execute(f"UPDATE {_q(table)} SET {_q(fk[0][3])} = NULL WHERE rowid = ?", (rowid,))
        else:
            dest.execute(f"DELETE FROM {_q(table)} WHERE rowid = ?", (rowid,))
        report.tables.setdefault(table, TableRepair()).dropped_links += 1
    dest.execute("COMMIT")
