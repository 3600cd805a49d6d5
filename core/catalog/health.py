"""Is the catalog whole? SQLite's own checks, and the message a person gets when it is not.

A failing disk garbles pages of ``catalog.db``; SQLite then answers "database disk image is
malformed" (or "file is not a database" when the header page is hit). Checking the whole file
costs time on a big catalog, so nothing checks on open: the CLI and the app catch the error
where it surfaces, run :func:`check` then, and show :func:`damage_message`. ``index`` checks
after each run (a garbled index page is not read by an unchanged library, so it would go
unnoticed). A marker file beside the catalog remembers the damage until a repair or a restore,
and :class:`~core.catalog.db.Database` refuses to write while it is there.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

#: SQLite's result codes for a damaged file.
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "database disk image")
#: At most this many problems are kept from ``integrity_check`` (a wrecked file lists thousands).
MAX_PROBLEMS = 20


def is_damage(exc: BaseException) -> bool:
    """True when ``exc`` is SQLite saying the file itself is damaged (not busy, not full)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _DAMAGE_CODES:
        return True
    text = str(exc).lower()
    return any(word in text for word in _DAMAGE_WORDS)


@dataclass(slots=True)
class CheckResult:
    """The outcome of a check: ``ok``, else SQLite's first problems in its own words."""

    path: str
    full: bool
    ok: bool
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "full": self.full, "ok": self.ok, "problems": self.problems}


def check(path: Path, *, full: bool = False) -> CheckResult:
    """``PRAGMA quick_check`` (or ``integrity_check`` when ``full``) on the catalog at ``path``.

    Opens its own read-only connection, so it works on a catalog no :class:`Database` can open.
    """
    pragma = "integrity_check" if full else "quick_check"
    result = CheckResult(str(path), full, ok=False)
    if not Path(path).exists():
        result.problems.append("the file does not exist")
        return result
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        result.problems.append(str(exc))
        return result
    try:
        problems = _run_check(conn, pragma)
        result.ok = problems == ["ok"]
        result.problems = [] if result.ok else problems
    except sqlite3.DatabaseError as exc:
        # integrity_check gives up on some pages with an error; quick_check then names them.
        result.problems = _quick_problems(conn) if full else []
        result.problems = result.problems or [str(exc)]
    finally:
        conn.close()
    return result


def _run_check(conn: sqlite3.Connection, pragma: str) -> list[str]:
    rows = conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    return [line.strip() for row in rows for line in str(row[0]).splitlines()
            if line.strip() and not line.startswith("*** in database")]  # fmt: skip


def _quick_problems(conn: sqlite3.Connection) -> list[str]:
    try:
        problems = _run_check(conn, "quick_check")
    except sqlite3.DatabaseError:
        return []
    return [] if problems == ["ok"] else problems


def marker_path(db_path: Path) -> Path:
    """The file that says "this catalog was found damaged" (``catalog.db.damaged``)."""
    return Path(db_path).with_name(Path(db_path).name + ".damaged")


def mark_damaged(db_path: Path, problems: list[str]) -> None:
    """Remember the damage until a repair or restore (write commands refuse meanwhile)."""
    try:
        marker_path(db_path).write_text("\n".join(problems[:MAX_PROBLEMS]) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only library directory: the error message still says it all


def clear_damaged(db_path: Path) -> None:
    marker_path(db_path).unlink(missing_ok=True)


def known_damage(db_path: Path) -> list[str] | None:
    """The problems recorded when the damage was found, or None when none is recorded."""
    try:
        return marker_path(db_path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None


def damage_message(db_path: Path, problems: list[str]) -> str:
    """One paragraph naming the damage and the way out."""
    first = problems[0] if problems else "SQLite reports the file as malformed"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return (
        f"the catalog {db_path} is damaged: {first}{more}. Nothing more was written to it. "
        "Your photos are untouched; albums, tags and ratings live in the catalog: "
        "run `shoebox catalog repair` to recover what can be read (a copy of the damaged file is kept), "
        "or `shoebox catalog snapshots` then `shoebox catalog restore ID` to go back to a snapshot."
    )


def diagnose(db_path: Path, exc: BaseException | None = None) -> str | None:
    """After an error: the damage message when the catalog is damaged (recorded), else None."""
    result = check(db_path)
    if result.ok and exc is not None and is_damage(exc):
        result = check(db_path, full=True)  # quick_check does not compare indexes with their tables
    if result.ok:
        return None
    mark_damaged(db_path, result.problems)
    return damage_message(db_path, result.problems)
