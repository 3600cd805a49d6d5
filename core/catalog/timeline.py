"""Read-only timeline queries that stay fast on a million photos.

The app never loads the whole library. It asks for the number of photos per day once
(:func:`timeline_index`, one pass over the ``photos_timeline`` index), lays out years,
months and days from those counts, and then fetches only the photos on screen by their
position (:func:`photos_at`). A position is turned into "the Nth photo of day D", so each
page is an index seek plus a short skip inside one day — never an ``OFFSET`` over the
whole table.

Timeline order is the catalog's: by ``taken_at`` then ``id``, undated photos last.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from core.catalog.db import Database
from core.catalog.query import Query, parse_query
from core.catalog.records import PHOTO_COLUMNS, Photo

#: Key of the bucket holding photos without a date (always the last one).
UNDATED = "undated"

_SELECT = f"SELECT {', '.join(PHOTO_COLUMNS)} FROM photos"
#: Sorts after every timestamp that starts with a given prefix.
_AFTER_PREFIX = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class Period:
    """A day, month or year of the timeline: its key, photo count and first position.

    ``key`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (or :data:`UNDATED`).
    """

    key: str
    count: int
    first_offset: int

    @property
    def end_offset(self) -> int:
        """Position just after the period's last photo."""
        return self.first_offset + self.count


@dataclass(slots=True)
class TimelineIndex:
    """Photo counts per day in timeline order, and the months and years they add up to."""

    days: list[Period] = field(default_factory=list)
    query: Query = field(default_factory=Query)
    _starts: list[int] = field(default_factory=list, repr=False)
    _rolled: dict[int, list[Period]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts = [day.first_offset for day in self.days]

    @property
    def total(self) -> int:
        return self.days[-1].end_offset if self.days else 0

    def day_at(self, offset: int) -> Period:
        """The day holding the photo at ``offset`` (clamped to the timeline)."""
        if not self.days:
            raise IndexError("the timeline is empty")
        index = bisect.bisect_right(self._starts, max(0, offset)) - 1
        return self.days[max(0, min(index, len(self.days) - 1))]

    def months(self) -> list[Period]:
        return self._rolled_up(7)

    def years(self) -> list[Period]:
        return self._rolled_up(4)

    def _rolled_up(self, width: int) -> list[Period]:
        """Months or years, worked out once (the grid, date list and summary all ask; a copy each)."""
        rolled = self._rolled.get(width)
        if rolled is None:
            rolled = self._rolled[width] = _roll_up(self.days, width)
        return list(rolled)


def _roll_up(days: list[Period], width: int) -> list[Period]:
    """Merge consecutive days whose keys share the first ``width`` characters (one Period per group)."""
    merged: list[Period] = []
    key, count, first = None, 0, 0
    for day in days:
        day_key = day.key if day.key == UNDATED else day.key[:width]
        if day_key != key:
            if key is not None:
                merged.append(Period(key, count, first))
            key, count, first = day_key, 0, day.first_offset
        count += day.count
    if key is not None:
        merged.append(Period(key, count, first))
    return merged


def _where(query: Query, extra: str = "") -> tuple[str, list[object]]:
    clauses = ["status = 'present'"]
    if extra:
        clauses.append(extra)
    params: list[object] = []
    if query.sql:
        clauses.append(f"({query.sql})")
        params.extend(query.params)
    return " AND ".join(clauses), params


def _as_query(query: Query | str) -> Query:
    return parse_query(query) if isinstance(query, str) else query


def timeline_index(db: Database, query: Query | str = "") -> TimelineIndex:
    """Counts per day of the photos matching ``query`` (undated ones in a last bucket)."""
    q = _as_query(query)
    where, params = _where(q, "taken_at IS NOT NULL")
    # One row holding every (day, count) as JSON, not a row per day: each row fetched hands
    # the GIL back and forth, which a busy UI thread makes slow (thousands of days).
    per_day = db.scalar(
        "SELECT json_group_array(json_array(day, n)) FROM "
        f"(SELECT substr(taken_at, 1, 10) AS day, count(*) AS n FROM photos WHERE {where} GROUP BY day ORDER BY day)",
        tuple(params),
    )
    rows = json.loads(per_day) if per_day else []
    where_undated, params_undated = _where(q, "taken_at IS NULL")
    undated = int(db.scalar(f"SELECT count(*) FROM photos WHERE {where_undated}", tuple(params_undated)) or 0)
    days: list[Period] = []
    offset = 0
    for key, count in rows:
        days.append(Period(key, count, offset))
        offset += count
    if undated:
        days.append(Period(UNDATED, undated, offset))
    return TimelineIndex(days, q)


def photos_at(db: Database, index: TimelineIndex, start: int, count: int) -> list[Photo]:
    """Up to ``count`` photos from position ``start`` of the timeline ``index`` describes.

    The first query seeks to the day holding ``start`` and skips only inside that day; it
    runs on across days until it has enough. Undated photos come from a second query.
    """
    if count <= 0 or start >= index.total or not index.days:
        return []
    start = max(0, start)
    day = index.day_at(start)
    photos: list[Photo] = []
    if day.key != UNDATED:
        where, params = _where(index.query, "taken_at >= ?")
        sql = f"{_SELECT} WHERE {where} ORDER BY taken_at, id LIMIT ? OFFSET ?"
        # Only dated photos are >= a date, so undated ones never appear here.
        photos.extend(_photos(db, sql, (day.key, *params, count, start - day.first_offset)))
        start += len(photos)
    remaining = count - len(photos)
    undated = index.days[-1]
    if remaining > 0 and undated.key == UNDATED and start >= undated.first_offset:
        where, params = _where(index.query, "taken_at IS NULL")
        sql = f"{_SELECT} WHERE {where} ORDER BY id LIMIT ? OFFSET ?"
        photos.extend(_photos(db, sql, (*params, remaining, start - undated.first_offset)))
    return photos


def position_of(db: Database, index: TimelineIndex, photo: Photo) -> int | None:
    """Where ``photo`` sits in the timeline ``index`` describes — or would sit, when a search
    left it out (so a cursor can stay near it). None when its day is not in the timeline."""
    if not index.days:
        return None
    if photo.taken_at is None:
        undated = index.days[-1]
        if undated.key != UNDATED:
            return None
        where, params = _where(index.query, "taken_at IS NULL AND id < ?")
        before = db.scalar(f"SELECT count(*) FROM photos WHERE {where}", (photo.id, *params))
        first = undated.first_offset
    else:
        key = photo.taken_at[:10]
        days = [d.key for d in index.days]
        at = bisect.bisect_left(days, key, hi=len(days) - (1 if days[-1] == UNDATED else 0))
        if at >= len(days) or days[at] != key:
            return None
        where, params = _where(index.query, "taken_at >= ? AND (taken_at, id) < (?, ?)")
        before = db.scalar(f"SELECT count(*) FROM photos WHERE {where}", (key, photo.taken_at, photo.id, *params))
        first = index.days[at].first_offset
    return first + int(before or 0)


def _photos(db: Database, sql: str, params: tuple) -> Iterator[Photo]:
    for row in db.query(sql, params):
        yield Photo.from_row(row)


# --- Read-only summaries for the app's other panes -------------------------------------


def table_exists(db: Database, name: str) -> bool:
    """Whether the catalog has a table called ``name`` (features add tables by migration)."""
    return db.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """Files with identical bytes (same sha256): the simplest kind of duplicate."""

    sha256: str
    count: int
    paths: tuple[str, ...]


def exact_copy_groups(db: Database, limit: int = 500) -> list[CopyGroup]:
    """Groups of present files sharing a sha256, largest first (uses the sha256 index)."""
    rows = db.query(
        "SELECT sha256, count(*) AS n, group_concat(path, char(0)) FROM photos "
        "WHERE status = 'present' GROUP BY sha256 HAVING n > 1 ORDER BY n DESC, min(path) LIMIT ?",
        (limit,),
    )
    return [CopyGroup(row[0], row[1], tuple(sorted(row[2].split("\0")))) for row in rows]
