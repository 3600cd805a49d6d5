"""Placing face vectors into groups, in memory (numpy): the arithmetic behind core/people/clustering.py.

A :class:`Groups` holds clusters of faces (existing persons, and clusters formed while
placing). :meth:`Groups.place` takes a batch of new faces:

1. each face is compared with every group whose centroid could hold a face near it (by the
   triangle inequality, ``|q - centroid| <= reach + radius``, the radius being the farthest
   representative from the centroid, loses no group whose nearest face is within ``reach``); its distance to a group is the mean of its :data:`K_NEAREST`
   nearest faces there (among at most :data:`REPRESENTATIVES` of them) — not the centroid,
   which a person's spread of poses makes a poor stand-in;
2. it joins the nearest group when that distance is at most :data:`MATCH_THRESHOLD` and the
   second-nearest group is at least :data:`MARGIN` farther; groups holding a face of the
   same photo, or that the face was rejected from, do not count;
3. the faces left over are linked pairwise (single link at :data:`LINK_THRESHOLD`, nearest
   pairs first) into new groups, never putting two faces of one photo together.

Placing in batches keeps every step a matrix product: 100,000 faces are placed in a few
seconds on 2 cores (bench/people_bench.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

#: A face joins a group whose mean distance (of its nearest faces) is at most this. dlib's
#: customary 0.6 merges look-alikes; its faces of one person measure ≤ 0.40 here.
MATCH_THRESHOLD = 0.5
#: …and only when the next group is at least this much farther (else the face waits).
MARGIN = 0.08
#: Two leftover faces this close start (or extend) a group together.
LINK_THRESHOLD = 0.45
#: How many of a group's nearest faces make a face's distance to it.
K_NEAREST = 3
#: The faces of a group a new face is compared with (its first ones: manual faces lead).
REPRESENTATIVES = 64
#: Faces placed per matrix product.
BATCH = 1000


@dataclass(slots=True)
class Placed:
    """Where a face went: its group (or -1, left alone) and its distance to it (None when alone)."""

    group: int = -1
    distance: float | None = None


@dataclass(slots=True)
class Groups:
    """Groups of faces over one matrix of vectors; ``photos[i]`` is the photo of face ``i``."""

    vectors: np.ndarray
    photos: np.ndarray
    rejected: dict[int, set[int]] = field(default_factory=dict)  # face index -> groups it may not join
    members: list[list[int]] = field(default_factory=list)
    photo_sets: list[set[int]] = field(default_factory=list)
    placed: dict[int, Placed] = field(default_factory=dict)  # face index -> where `place` put it
    _sums: np.ndarray = field(init=False)  # per group: sum of its vectors (float64)
    _counts: np.ndarray = field(init=False)
    _radius: np.ndarray = field(init=False)  # farthest representative from the centroid
    _reps: np.ndarray = field(init=False)  # per group: its first REPRESENTATIVES faces, -1 padded
    _squares: np.ndarray = field(init=False)  # per face: |v|²
    _centroids: np.ndarray = field(init=False)  # per group: its mean vector (float32), and |c|²
    _centroid_squares: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.vectors = np.ascontiguousarray(self.vectors, dtype=np.float32)
        self._squares = (self.vectors.astype(np.float64) ** 2).sum(axis=1).astype(np.float32)
        self._sums = np.zeros((0, self.vectors.shape[1]), dtype=np.float64)
        self._counts = np.zeros(0, dtype=np.int64)
        self._radius = np.zeros(0, dtype=np.float64)
        self._reps = np.full((0, REPRESENTATIVES), -1, dtype=np.int64)
        self._centroids = np.zeros((0, self.vectors.shape[1]), dtype=np.float32)
        self._centroid_squares = np.zeros(0, dtype=np.float32)

    # --- building ---------------------------------------------------------------------

    def add_group(self, faces: Iterable[int]) -> int:
        """A new group holding ``faces`` (face indices); returns its number."""
        return self.add_groups([list(faces)])[0]

    def add_groups(self, groups: list[list[int]]) -> list[int]:
        """New groups holding these lists of face indices; returns their numbers."""
        first = len(self.members)
        self._grow(first + len(groups))
        numbers = list(range(first, first + len(groups)))
        for _ in groups:
            self.members.append([])
            self.photo_sets.append(set())
        self._join_many(dict(zip(numbers, groups, strict=True)))
        return numbers

    def _grow(self, size: int) -> None:
        if size <= len(self._counts):
            return
        extra = max(size, 2 * len(self._counts), 64) - len(self._counts)
        self._sums = np.vstack([self._sums, np.zeros((extra, self._sums.shape[1]))])
        self._counts = np.concatenate([self._counts, np.zeros(extra, dtype=np.int64)])
        self._radius = np.concatenate([self._radius, np.zeros(extra)])
        self._reps = np.vstack([self._reps, np.full((extra, REPRESENTATIVES), -1, dtype=np.int64)])
        self._centroids = np.vstack([self._centroids, np.zeros((extra, self._sums.shape[1]), dtype=np.float32)])
        self._centroid_squares = np.concatenate([self._centroid_squares, np.zeros(extra, dtype=np.float32)])

    def _join_many(self, joins: dict[int, list[int]]) -> None:
        """Add each list of faces to its group, keeping centroids, representatives and radii."""
        joins = {g: faces for g, faces in joins.items() if faces}
        if not joins:
            return
        groups = np.fromiter(joins, dtype=np.int64, count=len(joins))
        sizes = np.fromiter((len(f) for f in joins.values()), dtype=np.int64, count=len(joins))
        faces = np.fromiter((i for f in joins.values() for i in f), dtype=np.int64, count=int(sizes.sum()))
        starts = np.r_[0, np.cumsum(sizes)[:-1]]  # the faces of one group are consecutive
        self._sums[groups] += np.add.reduceat(self.vectors[faces].astype(np.float64), starts, axis=0)
        self._counts[groups] += sizes
        for group, new in joins.items():
            members = self.members[group]
            if len(members) < REPRESENTATIVES:
                room = new[: REPRESENTATIVES - len(members)]
                self._reps[group, len(members) : len(members) + len(room)] = room
            members.extend(new)
            self.photo_sets[group].update(self.photos[new].tolist())
        self._refresh_radius(groups)

    def _refresh_radius(self, groups: np.ndarray) -> None:
        """Each group's centroid, and its farthest representative from it."""
        centroids = (self._sums[groups] / np.maximum(self._counts[groups], 1)[:, None]).astype(np.float32)
        self._centroids[groups] = centroids
        self._centroid_squares[groups] = (centroids.astype(np.float64) ** 2).sum(axis=1)
        for start in range(0, len(groups), 1024):
            chunk = groups[start : start + 1024]
            reps = self._reps[chunk]
            distances = _to_reps(self.vectors, self._squares, self._centroids[chunk], reps)
            self._radius[chunk] = np.where(reps >= 0, distances, 0.0).max(axis=1)

    # --- placing ----------------------------------------------------------------------

    def place(self, faces: np.ndarray) -> None:
        """Place these face indices (in batches), recording each in :attr:`placed`."""
        faces = np.asarray(faces, dtype=np.int64)
        for start in range(0, len(faces), BATCH):
            self._place_batch(faces[start : start + BATCH])

    def _place_batch(self, batch: np.ndarray) -> None:
        matched = self.match(batch)
        joins: dict[int, list[int]] = {}
        taken: set[tuple[int, int]] = set()  # (group, photo) joined in this batch: a second face waits
        left: list[int] = []
        surest_first = sorted(
            zip(batch.tolist(), matched, strict=True), key=lambda m: (m[1][1] is None, m[1][1] or 0.0)
        )
        for face, (group, distance) in surest_first:
            photo = int(self.photos[face])
            if group >= 0 and (group, photo) not in taken:
                joins.setdefault(group, []).append(face)
                taken.add((group, photo))
                self.placed[face] = Placed(group, distance)
            else:
                left.append(face)
        self._join_many(joins)
        self._link(left)

    def match(self, batch: np.ndarray) -> list[tuple[int, float | None]]:
        """For each face of ``batch``: (the group it should join, its distance), or (-1, None)."""
        out: list[tuple[int, float | None]] = [(-1, None)] * len(batch)
        groups = len(self.members)
        if groups == 0 or len(batch) == 0:
            return out
        rows, cols = self._candidates(batch, groups)
        if len(rows) == 0:
            return out
        scores = self._scores(batch, rows, cols)
        self._drop_forbidden(batch, rows, cols, scores)
        order = np.lexsort((scores, rows))
        rows, cols, scores = rows[order], cols[order], scores[order]
        firsts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        for first in firsts.tolist():
            best = scores[first]
            if not best <= MATCH_THRESHOLD:
                continue
            has_second = first + 1 < len(rows) and rows[first + 1] == rows[first]
            if has_second and scores[first + 1] - best < MARGIN:
                continue
            out[int(rows[first])] = (int(cols[first]), float(best))
        return out

    def _candidates(self, batch: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
        """(batch row, group) pairs whose centroid is near enough to matter (see the module doc)."""
        squared = self.vectors[batch] @ self._centroids[:groups].T  # in place from here: 1000 × groups
        squared *= -2.0
        squared += self._centroid_squares[:groups][None, :]
        squared += self._squares[batch][:, None]
        reach = (MATCH_THRESHOLD + MARGIN + self._radius[:groups] + 1e-3).astype(np.float32)
        reach[self._counts[:groups] == 0] = -1.0
        return np.nonzero(squared <= (reach**2)[None, :])

    def _scores(self, batch: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The mean distance of each pair's face to its group's nearest faces (of its representatives)."""
        scores = np.empty(len(rows), dtype=np.float64)
        for start in range(0, len(rows), 1024):
            part = slice(start, start + 1024)
            reps = self._reps[cols[part]]
            distances = _to_reps(self.vectors, self._squares, self.vectors[batch[rows[part]]], reps)
            distances[reps < 0] = np.inf
            k = min(K_NEAREST, REPRESENTATIVES)
            nearest = np.partition(distances, k - 1, axis=1)[:, :k]
            counted = np.minimum((reps >= 0).sum(axis=1), k)
            scores[part] = np.where(np.isfinite(nearest), nearest, 0.0).sum(axis=1) / np.maximum(counted, 1)
        return scores

    def _drop_forbidden(self, batch: np.ndarray, rows: np.ndarray, cols: np.ndarray, scores: np.ndarray) -> None:
        """Pairs whose group holds a face of the same photo, or rejected the face, never win."""
        photos = self.photos[batch[rows]].tolist()
        for index, (photo, group) in enumerate(zip(photos, cols.tolist(), strict=True)):
            if photo in self.photo_sets[group]:
                scores[index] = np.inf
        if self.rejected:
            for index, face in enumerate(batch[rows].tolist()):
                refused = self.rejected.get(face)
                if refused and int(cols[index]) in refused:
                    scores[index] = np.inf

    def _link(self, faces: list[int]) -> None:
        """Leftover faces: nearest pairs first, joined while no photo would hold two of a group."""
        if not faces:
            return
        index = np.asarray(faces, dtype=np.int64)
        apart = distances(self.vectors[index], self.vectors[index])
        first, second = np.nonzero(np.triu(apart <= LINK_THRESHOLD, k=1))
        parent = list(range(len(faces)))
        photos = [{int(self.photos[i])} for i in faces]
        nearest: list[float | None] = [None] * len(faces)

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for edge in np.argsort(apart[first, second], kind="stable").tolist():
            a, b = int(first[edge]), int(second[edge])
            ra, rb = root(a), root(b)
            if ra == rb or photos[ra] & photos[rb]:
                continue
            parent[rb] = ra
            photos[ra] |= photos[rb]
            d = float(apart[a, b])
            for i in (a, b):
                nearest[i] = d if nearest[i] is None else min(nearest[i], d)
        components: dict[int, list[int]] = {}
        for i in range(len(faces)):
            components.setdefault(root(i), []).append(i)
        parts = list(components.values())
        for group, members in zip(self.add_groups([[faces[i] for i in m] for m in parts]), parts, strict=True):
            for i in members:
                self.placed[faces[i]] = Placed(group, nearest[i])


def _to_reps(vectors: np.ndarray, squares: np.ndarray, points: np.ndarray, reps: np.ndarray) -> np.ndarray:
    """Distances from each point (row of ``points``) to the faces of its row of ``reps`` (-1: none,
    any value there)."""
    index = np.maximum(reps, 0)
    dots = np.einsum("prd,pd->pr", vectors[index], points, optimize=True)
    squared = squares[index] + (points.astype(np.float64) ** 2).sum(axis=1)[:, None] - 2.0 * dots
    return np.sqrt(np.maximum(squared, 0.0))


def distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``a`` and of ``b`` (a matrix product)."""
    a = a.astype(np.float64, copy=False)
    b = b.astype(np.float64, copy=False)
    squared = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2.0 * (a @ b.T)
    return np.sqrt(np.maximum(squared, 0.0))


#: Two halves of a group whose centres are at least this far apart are two persons (one
#: person's faces split in two lie ~0.05 apart on generated sets; look-alikes ~0.45).
SPLIT_GAP = 0.3


def split_off(candidates: np.ndarray, keep: np.ndarray, go: np.ndarray, rounds: int = 8) -> np.ndarray | None:
    """Which of a group's automatic faces (``candidates``) go with ``go`` — the faces of the person
    one of the group's faces was just moved to — rather than stay with ``keep`` (the group's manual
    faces, maybe none): two means, seeded by the moved face's person and the manual faces (or,
    without any, the group's face farthest from the moved face's person).

    None when the two sides' centres end up less than :data:`SPLIT_GAP` apart: the group is one
    person (the moved face's, or the group's own — the caller knows which).
    """
    to_go = np.zeros(len(candidates), dtype=bool)
    if len(candidates) == 0 or len(go) == 0:
        return to_go
    staying = keep if len(keep) else candidates[[int(np.linalg.norm(candidates - go.mean(axis=0), axis=1).argmax())]]
    going = go
    for _ in range(rounds):
        nearer_go = np.linalg.norm(candidates - going.mean(axis=0), axis=1) < np.linalg.norm(
            candidates - staying.mean(axis=0), axis=1
        )
        settled = (nearer_go == to_go).all()
        to_go = nearer_go
        going = np.vstack([go, candidates[to_go]])
        staying = np.vstack([keep, candidates[~to_go]]) if len(keep) else candidates[~to_go]
        if settled or len(staying) == 0:
            break
    if len(staying) == 0 or np.linalg.norm(going.mean(axis=0) - staying.mean(axis=0)) < SPLIT_GAP:
        return None
    return to_go
