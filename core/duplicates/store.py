"""The duplicates feature's catalog rows: decisions, cached verdicts, resolutions.

Tables from catalog migration 2: ``duplicate_decisions`` + ``duplicate_decision_photos``
(a remembered "not duplicates" or "resolved" over a set of photos), ``duplicate_verdicts``
(pixel-check results per pair of contents), ``resolutions`` (what a resolve merged); and
``duplicate_signals`` (the keeper's signals per content, the keeper-signals migration).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from core.catalog.db import Database
from core.catalog.photos import now_iso
from core.duplicates.verify import VERIFIER_VERSION, Verdict

DECISION_KINDS = ("not_duplicates", "resolved")


def record_decision(conn: sqlite3.Connection, kind: str, photo_ids: Iterable[int]) -> int:
    """Remember a decision over a set of photos (inside the caller's transaction)."""
    if kind not in DECISION_KINDS:
        raise ValueError(f"unknown decision {kind!r}")
    decision_id = int(
        conn.execute("INSERT INTO duplicate_decisions (kind, decided_at) VALUES (?, ?)", (kind, now_iso())).lastrowid
    )
    conn.executemany(
        "INSERT OR IGNORE INTO duplicate_decision_photos (decision_id, photo_id) VALUES (?, ?)",
        [(decision_id, pid) for pid in set(photo_ids)],
    )
    return decision_id


def delete_decision(conn: sqlite3.Connection, decision_id: int) -> None:
    conn.execute("DELETE FROM duplicate_decisions WHERE id = ?", (decision_id,))


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    kind: str
    decided_at: str
    photo_ids: frozenset[int]


def list_decisions(db: Database, kind: str) -> list[Decision]:
    """Every remembered decision of ``kind``, newest first, with its photos."""
    members: dict[int, set[int]] = defaultdict(set)
    rows = db.query(
        "SELECT p.decision_id, p.photo_id FROM duplicate_decision_photos p"
        " JOIN duplicate_decisions d ON d.id = p.decision_id WHERE d.kind = ?",
        (kind,),
    )
    for decision_id, photo_id in rows:
        members[decision_id].add(photo_id)
    decisions = db.query(
        "SELECT id, kind, decided_at FROM duplicate_decisions WHERE kind = ? ORDER BY id DESC", (kind,)
    )
    return [Decision(r[0], r[1], r[2], frozenset(members.get(r[0], ()))) for r in decisions]


class DecisionIndex:
    """All decisions in memory, to tell quickly whether a group was already decided."""

    def __init__(self, decisions: Iterable[Decision]) -> None:
        self._by_photo: dict[int, list[Decision]] = defaultdict(list)
        for decision in decisions:
            for photo_id in decision.photo_ids:
                self._by_photo[photo_id].append(decision)

    @classmethod
    def load(cls, db: Database) -> DecisionIndex:
        members: dict[int, set[int]] = defaultdict(set)
        for decision_id, photo_id in db.query("SELECT decision_id, photo_id FROM duplicate_decision_photos"):
            members[decision_id].add(photo_id)
        rows = db.query("SELECT id, kind, decided_at FROM duplicate_decisions")
        return cls(Decision(r[0], r[1], r[2], frozenset(members.get(r[0], ()))) for r in rows)

    def covering(self, photo_ids: Iterable[int]) -> Decision | None:
        """A decision whose photos include all of ``photo_ids`` (the group was decided)."""
        ids = set(photo_ids)
        if not ids:
            return None
        for decision in self._by_photo.get(next(iter(ids)), ()):
            if ids <= decision.photo_ids:
                return decision
        return None


# --- cached pixel verdicts ----------------------------------------------------------------


def _pair_key(sha_a: str, sha_b: str) -> tuple[str, str]:
    return (sha_a, sha_b) if sha_a <= sha_b else (sha_b, sha_a)


def cached_verdict(db: Database, sha_a: str, sha_b: str) -> Verdict | None:
    row = db.conn.execute(
        "SELECT same, reason FROM duplicate_verdicts WHERE sha_a = ? AND sha_b = ? AND version = ?",
        (*_pair_key(sha_a, sha_b), VERIFIER_VERSION),
    ).fetchone()
    return Verdict(bool(row[0]), row[1]) if row else None


def store_verdicts(db: Database, verdicts: Iterable[tuple[str, str, Verdict]]) -> None:
    rows = [(*_pair_key(a, b), VERIFIER_VERSION, int(v.same), v.reason) for a, b, v in verdicts]
    if not rows:
        return
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO duplicate_verdicts (sha_a, sha_b, version, same, reason) VALUES (?, ?, ?, ?, ?)",
            rows,
        )


# --- cached keeper signals -------------------------------------------------------------------


def cached_signals(db: Database, sha256s: Iterable[str], version: int) -> dict[str, dict]:
    """The stored keeper signals (JSON objects) of these contents, by sha256, at ``version``."""
    found: dict[str, dict] = {}
    ordered = sorted(set(sha256s))
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for sha, data in db.query(
            f"SELECT sha256, signals FROM duplicate_signals WHERE version = ? AND sha256 IN ({marks})",
            (version, *chunk),
        ):
            found[sha] = json.loads(data)
    return found


def store_signals(db: Database, rows: dict[str, dict], version: int) -> None:
    """Keep keeper signals per content (one transaction)."""
    if not rows:
        return
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO duplicate_signals (sha256, version, signals) VALUES (?, ?, ?)",
            [(sha, version, json.dumps(data)) for sha, data in rows.items()],
        )


# --- resolutions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolutionRecord:
    id: int
    decision_id: int | None
    created_at: str
    undone_at: str | None
    merge: list[dict]


def insert_resolution(conn: sqlite3.Connection, decision_id: int, merge: list[dict]) -> int:
    cursor = conn.execute(
        "INSERT INTO resolutions (decision_id, created_at, merge) VALUES (?, ?, ?)",
        (decision_id, now_iso(), json.dumps(merge)),
    )
    return int(cursor.lastrowid)


def get_resolution(db: Database, resolution_id: int | None = None) -> ResolutionRecord | None:
    """A resolution by id, or (``None``) the most recent one not undone yet."""
    if resolution_id is None:
        row = db.conn.execute(
            "SELECT id, decision_id, created_at, undone_at, merge FROM resolutions WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
    else:
        row = db.conn.execute(
            "SELECT id, decision_id, created_at, undone_at, merge FROM resolutions WHERE id = ?", (resolution_id,)
        ).fetchone()
    return ResolutionRecord(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None


def mark_undone(conn: sqlite3.Connection, resolution_id: int) -> None:
    conn.execute("UPDATE resolutions SET undone_at = ? WHERE id = ?", (now_iso(), resolution_id))
