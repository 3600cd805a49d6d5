"""The catalog's record of shares (``shares``, ``share_items``): the only place their SQL lives."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.catalog.db import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(slots=True)
class ShareItem:
    key: str
    name: str
    sha256: str | None = None


@dataclass(slots=True)
class Share:
    """A share: expiring links to copies ('link') or an upload inbox for others ('collect')."""

    id: str
    target: str
    kind: str
    title: str
    album: str | None
    page_key: str
    created_at: str
    expires_at: str
    strip_gps: bool
    max_size: int | None
    status: str
    revoked_at: str | None = None
    max_file_bytes: int | None = None  # collect: the largest file a guest may upload (the store enforces it)
    max_total_bytes: int | None = None  # collect: what `share pull` accepts in all (see core/share/pull.py)
    items: list[ShareItem] = field(default_factory=list)

    @property
    def seconds_left(self) -> float:
        return (parse_iso(self.expires_at) - utc_now()).total_seconds()

    @property
    def state(self) -> str:
        """active, expired or revoked."""
        if self.status == "revoked":
            return "revoked"
        return "active" if self.seconds_left > 0 else "expired"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state
        data["items"] = len(self.items)
        return data


_COLUMNS = (
    "id, target, kind, title, album, page_key, created_at, expires_at, strip_gps, max_size, status, revoked_at, "
    "max_file_bytes, max_total_bytes"
)


def save_share(db: Database, share: Share) -> None:
    with db.transaction() as conn:
        conn.execute(
            f"INSERT INTO shares ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (share.id, share.target, share.kind, share.title, share.album, share.page_key, share.created_at,
             share.expires_at, int(share.strip_gps), share.max_size, share.status, share.revoked_at,
             share.max_file_bytes, share.max_total_bytes),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO share_items (share_id, key, sha256, name) VALUES (?, ?, ?, ?)",
            ((share.id, item.key, item.sha256, item.name) for item in share.items),
        )


def get_share(db: Database, share_id: str) -> Share | None:
    """A share by id, or by a unique prefix of its id."""
    rows = db.query(f"SELECT {_COLUMNS} FROM shares WHERE id LIKE ? || '%'", (share_id,))
    if len(rows) != 1:
        return None
    return _with_items(db, rows[0])


def list_shares(db: Database, target: str | None = None) -> list[Share]:
    if target is None:
        rows = db.query(f"SELECT {_COLUMNS} FROM shares ORDER BY created_at DESC, id")
    else:
        rows = db.query(f"SELECT {_COLUMNS} FROM shares WHERE target = ? ORDER BY created_at DESC, id", (target,))
    return [_with_items(db, row) for row in rows]


def mark_revoked(db: Database, share_id: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE shares SET status = 'revoked', revoked_at = ? WHERE id = ?", (iso(utc_now()), share_id))


def _with_items(db: Database, row: Any) -> Share:
    share = Share(*row[:8], bool(row[8]), *row[9:14])
    if share.kind == "collect":  # the contributions pulled into the library
        rows = db.query("SELECT key, name, sha256 FROM share_contributions WHERE share_id = ? AND outcome != 'rejected' "
                        "ORDER BY pulled_at, key", (share.id,))  # fmt: skip
    else:
        rows = db.query("SELECT key, name, sha256 FROM share_items WHERE share_id = ? ORDER BY key", (share.id,))
    share.items = [ShareItem(key, name, sha) for key, name, sha in rows]
    return share


@dataclass(frozen=True, slots=True)
class Contribution:
    """One uploaded object version in a contributor inbox, and what `share pull` did with it."""

    share_id: str
    key: str
    version_id: str  # 'etag:…' on a store that lists no versions
    size: int
    name: str
    outcome: str  # imported, duplicate or rejected
    sha256: str | None = None
    reason: str | None = None


def record_contributions(db: Database, contributions: list[Contribution]) -> None:
    """Remember what pull did with these versions (one transaction)."""
    now = iso(utc_now())
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO share_contributions (share_id, key, version_id, size, sha256, name, outcome, "
            "reason, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((c.share_id, c.key, c.version_id, c.size, c.sha256, c.name, c.outcome, c.reason, now)
             for c in contributions),
        )  # fmt: skip


def known_contributions(db: Database, share_id: str) -> dict[tuple[str, str], Contribution]:
    """Every version pull already dealt with for a share, by (key, version id)."""
    rows = db.query("SELECT share_id, key, version_id, size, name, outcome, sha256, reason FROM share_contributions "
                    "WHERE share_id = ?", (share_id,))  # fmt: skip
    return {(row[1], row[2]): Contribution(*row) for row in rows}


def new_share_id() -> str:
    """Unguessable and sortable: a time prefix and 64 random bits."""
    import secrets

    return time.strftime("%Y%m%d") + "-" + secrets.token_hex(8)
