"""Finding duplicate groups in a library: exact copies, then verified near copies.

1. **Exact**: present photos with the same sha256 (any kind, videos too) that are
   different files — two paths of one file (same device and inode, or real path) are
   never a pair (:mod:`core.duplicates.safety`).
2. **Candidates**: one photo per distinct content; every pair within ``threshold`` bits on
   phash *or* on dhash (:func:`core.duplicates.hamming.near_pairs`), comparing each photo's
   whole frame with the other's whole frame *and* with its five crop hypotheses
   (:func:`core.media.hashing.crop_hashes`): a copy cropped by 7–10 % moves its whole-frame
   hash too far, but lands near the original less that strip. Photos catalogued before
   crop hashes existed get them from their thumbnails first (a one-time backfill).
3. **Verification**: each candidate pair, nearest first, goes through
   :func:`core.duplicates.verify.verify_pair` (metadata guards, then the thumbnails'
   pixels), on a worker process per core (:mod:`core.duplicates.parallel`); a pair whose photos are already joined is not checked again. Verdicts are cached per
   pair of contents in the catalog.
4. **Groups**: connected components of exact and verified pairs, less those a person
   already decided ("not duplicates", or resolved), each with a suggested keeper, the
   largest savings first.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from core.catalog.db import Database
from core.catalog.photos import get_photo, photos_without_crop_hashes, store_crop_hashes
from core.catalog.records import PHOTO_COLUMNS, Photo
from core.duplicates.hamming import Cancelled, hex_to_uint64, near_pairs
from core.duplicates.keeper import KeeperContext, KeeperRule, choose_keeper
from core.duplicates.records import DuplicateGroup, PairLink
from core.duplicates.safety import one_file_sets
from core.duplicates.settings import DuplicateSettings, check_threshold
from core.duplicates.signals import SignalReader
from core.duplicates.store import DecisionIndex, cached_verdict, store_verdicts
from core.duplicates.verify import PictureCache, Verdict, verify_pair
from core.library import Library
from core.media.hashing import CROP_HYPOTHESES, crop_hashes
from core.media.thumbnails import ThumbnailCache

__all__ = [
    "Cancelled",
    "FindProgress",
    "UnionFind",
    "backfill_crop_hashes",
    "build_groups",
    "find_candidate_pairs",
    "find_groups",
    "load_thumbnail",
]


@dataclass(frozen=True, slots=True)
class FindProgress:
    """Where a search is: ``stage`` is ``thumbnails`` (a one-time crop-hash backfill),
    ``hashes`` (index tables) or ``verifying`` (pairs)."""

    stage: str
    done: int
    total: int


ProgressCallback = Callable[[FindProgress], None]
Verifier = Callable[[Photo, Photo], Verdict]


class UnionFind:
    """Disjoint sets of photo ids (path halving, union by size)."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}
        self._size: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self._parent
        if item not in parent:
            parent[item] = item
            return item
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._size.get(ra, 1) < self._size.get(rb, 1):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] = self._size.get(ra, 1) + self._size.get(rb, 1)
        return True

    def components(self) -> list[list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for item in list(self._parent):
            groups[self.find(item)].append(item)
        return [sorted(g) for g in groups.values() if len(g) > 1]


def load_thumbnail(library: Library) -> Callable[[Photo], object]:
    """A loader of a photo's cached 256-px thumbnail (made from the file if missing)."""
    return thumbnail_loader(library.thumbnails)


def thumbnail_loader(thumbnails: ThumbnailCache) -> Callable[[Photo], object]:
    """A loader of a photo's 256-px thumbnail from ``thumbnails`` (made from the file if missing)."""
    from PIL import Image

    def load(photo: Photo) -> Image.Image | None:
        path = thumbnails.ensure(photo.fs_path, photo.sha256)
        if path is None:
            return None
        with Image.open(path) as image:
            return image.convert("RGB")

    return load


def find_candidate_pairs(
    phashes: Sequence[str | None],
    dhashes: Sequence[str | None],
    threshold: int,
    *,
    crop_hashes: Sequence[bytes | None] | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Pairs ``[i, j, distance]`` within ``threshold`` on phash or dhash (distance: the smaller).

    ``i < j`` index the input lists; entries without a hash take no part. With
    ``crop_hashes`` (packed as :func:`core.media.hashing.crop_hashes`, ``None`` for an entry
    without), a whole-frame hash within ``threshold`` of another entry's crop hypothesis
    also makes a pair. Sorted by distance, then ``(i, j)``.
    """
    found = []
    hypotheses = _hypothesis_values(crop_hashes, len(phashes)) if crop_hashes is not None else None
    for search, hashes in enumerate((phashes, dhashes)):
        values, positions = hex_to_uint64(hashes)
        owners = positions
        if hypotheses is not None:
            hyp_values, hyp_owners = hypotheses[search]
            values, owners = np.concatenate([values, hyp_values]), np.concatenate([positions, hyp_owners])

        def report(done: int, total: int, search: int = search) -> None:
            if progress is not None:  # both searches as one: the second takes about as long
                progress(search * total + done, 2 * total)

        pairs = near_pairs(values, threshold, cancel=cancel, progress=report)
        if hypotheses is not None:  # whole frame against whole frame or hypothesis, of two photos
            whole = positions.size
            keep = (pairs[:, 0] < whole) & (owners[pairs[:, 0]] != owners[pairs[:, 1]])
            pairs = pairs[keep]
        first, second = owners[pairs[:, 0]], owners[pairs[:, 1]]
        pairs[:, 0], pairs[:, 1] = np.minimum(first, second), np.maximum(first, second)
        found.append(pairs)
    both = np.concatenate(found)
    if both.size == 0:
        return both
    # One row per pair, with the smaller distance of the two hashes.
    both = both[np.lexsort((both[:, 2], both[:, 1], both[:, 0]))]
    first = np.ones(len(both), dtype=bool)
    first[1:] = (both[1:, 0] != both[:-1, 0]) | (both[1:, 1] != both[:-1, 1])
    unique = both[first]
    return unique[np.lexsort((unique[:, 1], unique[:, 0], unique[:, 2]))]


def _hypothesis_values(
    crop_hashes: Sequence[bytes | None], count: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """((phash values, owner index), (dhash values, owner index)) of every crop hypothesis."""
    per_kind = len(CROP_HYPOTHESES)
    width = 2 * per_kind * 8
    owners = [i for i, blob in enumerate(crop_hashes) if blob is not None and len(blob) == width]
    if not owners:
        empty = (np.empty(0, np.uint64), np.empty(0, np.int64))
        return empty, empty
    packed = np.frombuffer(b"".join(crop_hashes[i] for i in owners), dtype=">u8")  # type: ignore[misc]
    table = packed.astype(np.uint64).reshape(len(owners), 2 * per_kind)
    owner = np.repeat(np.asarray(owners, dtype=np.int64), per_kind)
    return (table[:, :per_kind].reshape(-1), owner), (table[:, per_kind:].reshape(-1), owner)


def backfill_crop_hashes(
    library: Library, *, cancel: threading.Event | None = None, progress: ProgressCallback | None = None
) -> int:
    """Crop hashes for photos catalogued before they existed, from their thumbnails.

    Reads the cached 256-px thumbnail (made from the original only when it is missing);
    returns how many contents got hashes. Photos without pixels are left as they are.
    """
    from PIL import Image, UnidentifiedImageError

    missing = photos_without_crop_hashes(library.db)
    done: list[tuple[str, bytes]] = []
    for count, (sha256, fs_path) in enumerate(missing, start=1):
        if cancel is not None and cancel.is_set():
            raise Cancelled("duplicate search cancelled")
        try:
            path = library.thumbnails.ensure(fs_path, sha256)
            if path is not None:
                with Image.open(path) as image:
                    done.append((sha256, crop_hashes(image)))
        except (OSError, UnidentifiedImageError, ValueError):
            pass  # no thumbnail and no readable original: whole-frame hashes only
        if len(done) >= 500:
            store_crop_hashes(library.db, done)
            done.clear()
        if progress is not None and (count % 64 == 0 or count == len(missing)):
            progress(FindProgress("thumbnails", count, len(missing)))
    store_crop_hashes(library.db, done)
    return len(missing)


def find_groups(
    library: Library,
    threshold: int | None = None,
    *,
    exact_only: bool = False,
    include_decided: bool = False,
    settings: DuplicateSettings | None = None,
    verifier: Verifier | None = None,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> list[DuplicateGroup]:
    """Every group of duplicates among the library's present photos (module docstring).

    ``threshold`` defaults to config ``[duplicates] threshold``. ``verifier`` replaces the
    pixel check (tests; it runs in this process). ``workers``: processes verifying pairs
    (default: the usable cores); the groups are the same for any number.
    Raises :class:`Cancelled` when ``cancel`` is set.
    """
    settings = settings or DuplicateSettings.load(library.directory)
    threshold = check_threshold(settings.threshold if threshold is None else threshold)
    db = library.db
    if not exact_only:
        backfill_crop_hashes(library, cancel=cancel, progress=progress)
    rows = db.query("SELECT id, sha256, phash, dhash, crop_hashes FROM photos WHERE status = 'present' ORDER BY id")
    sets = UnionFind()
    links: list[PairLink] = []
    first_of_content = _exact_links(library, rows, sets, links)
    if not exact_only:
        representatives = [r for r in rows if first_of_content[r[1]] == r[0] and (r[2] or r[3])]
        candidates = find_candidate_pairs(
            [r[2] for r in representatives],
            [r[3] for r in representatives],
            threshold,
            crop_hashes=[r[4] for r in representatives],
            cancel=cancel,
            progress=(lambda d, t: progress(FindProgress("hashes", d, t))) if progress else None,
        )
        ids = np.array([r[0] for r in representatives], dtype=np.int64)
        pairs = [(int(ids[i]), int(ids[j]), int(d)) for i, j, d in candidates]
        from core.indexing.workers import default_workers  # the pool's module: loaded only when pairs are verified

        links.extend(_verified_links(library, pairs, sets, verifier, cancel, progress, workers or default_workers()))
    index = None if include_decided else DecisionIndex.load(db)
    components = [c for c in sets.components() if index is None or index.covering(c) is None]
    signals = SignalReader(db, load_thumbnail(library))
    return build_groups(db, components, links, settings.rules, reference_root_ids(db), signals)


def _exact_links(library: Library, rows: Sequence[Sequence], sets: UnionFind, links: list[PairLink]) -> dict[str, int]:
    """Join photos with the same sha256 that are different files; returns one photo per content.

    Two paths of one file (a symlink, a bind mount, a root added twice: same device and
    inode, or same real path) are not copies: only the path standing for the file takes
    part (:func:`core.duplicates.safety.one_file_sets`).
    """
    by_content: dict[str, list[int]] = defaultdict(list)
    for photo_id, sha256, *_hashes in rows:
        by_content[sha256].append(photo_id)
    shared = [i for ids in by_content.values() if len(ids) > 1 for i in ids]
    standing = one_file_sets(library, shared) if shared else {}
    first_of_content: dict[str, int] = {}
    for sha256, ids in by_content.items():
        files = sorted({standing.get(i, i) for i in ids})
        first_of_content[sha256] = files[0]
        for other in files[1:]:
            sets.union(files[0], other)
            links.append(PairLink(files[0], other, 0, "identical files"))
    return first_of_content


#: Pairs handed to the verification workers at a time, per worker. Larger batches keep
#: the workers busier; smaller ones check fewer pairs an earlier pair of the batch joined.
VERIFY_BATCH_PER_WORKER = 16
#: Fewer candidate pairs than this are checked in this process (starting workers costs more).
POOL_FROM_PAIRS = 64


def _verified_links(
    library: Library,
    pairs: list[tuple[int, int, int]],
    sets: UnionFind,
    verifier: Verifier | None,
    cancel: threading.Event | None,
    progress: ProgressCallback | None,
    workers: int = 1,
) -> list[PairLink]:
    """Check candidate pairs nearest first, on ``workers`` processes; join the ones that pass.

    Pairs go in batches: those of a batch still apart when it starts, without a cached
    verdict, are checked together (:class:`core.duplicates.parallel.VerifyPool`); then the
    verdicts are applied in order, joining a pair only if no earlier one joined it — the
    same links and groups as checking one by one (a batch may check a few pairs the serial
    order would have skipped). A custom ``verifier`` runs in this process.
    """
    from core.duplicates.parallel import BrokenProcessPool, VerifyPool

    pictures = PictureCache(load_thumbnail(library))  # type: ignore[arg-type]
    check = verifier or (lambda a, b: verify_pair(a, b, pictures))
    pool = (
        VerifyPool(library.thumbnails, workers)
        if verifier is None and workers > 1 and len(pairs) >= POOL_FROM_PAIRS
        else None
    )
    photos = _photos_by_id(library.db, {i for pair in pairs for i in pair[:2]})
    links: list[PairLink] = []
    fresh: list[tuple[str, str, Verdict]] = []
    batch_size = max(1, workers) * VERIFY_BATCH_PER_WORKER
    try:
        for start in range(0, len(pairs), batch_size):
            if cancel is not None and cancel.is_set():
                raise Cancelled("duplicate search cancelled")
            batch = pairs[start : start + batch_size]
            verdicts: dict[int, Verdict] = {}
            unchecked: list[int] = []
            for k, (a, b, _distance) in enumerate(batch):
                if sets.find(a) == sets.find(b):
                    continue
                verdict = cached_verdict(library.db, photos[a].sha256, photos[b].sha256)
                if verdict is None:
                    unchecked.append(k)
                else:
                    verdicts[k] = verdict
            todo = [(photos[batch[k][0]], photos[batch[k][1]]) for k in unchecked]
            checked = None
            if pool is not None and len(todo) > 1:
                try:
                    checked = pool.verify(todo)
                except (BrokenProcessPool, OSError, MemoryError):  # a worker died or ran out of memory,
                    pool.close()  # or processes cannot start here: check in this process from now on
                    pool = None
            if checked is None:
                checked = [check(a, b) for a, b in todo]
            for k, (first, second), verdict in zip(unchecked, todo, checked):
                verdicts[k] = verdict
                fresh.append((first.sha256, second.sha256, verdict))
            for k, (a, b, distance) in enumerate(batch):
                verdict = verdicts.get(k)
                if verdict is not None and verdict.same and sets.union(a, b):
                    links.append(PairLink(a, b, distance, verdict.reason))
            if len(fresh) >= 256:
                store_verdicts(library.db, fresh)
                fresh.clear()
            if progress is not None:
                progress(FindProgress("verifying", start + len(batch), len(pairs)))
    finally:
        if pool is not None:
            pool.close()
    store_verdicts(library.db, fresh)
    return links


def build_groups(
    db: Database,
    components: Iterable[list[int]],
    links: list[PairLink],
    rules: Sequence[KeeperRule],
    reference_root_ids: frozenset[int],
    signals: SignalReader | None = None,
) -> list[DuplicateGroup]:
    """Groups from components of photo ids: members, kind, distance, keeper; largest savings first.

    ``signals`` reads what the keeper rules need from the members' files and thumbnails
    (:mod:`core.duplicates.signals`); without it only the catalog's fields are used.
    """
    components = list(components)
    photos = _photos_by_id(db, {i for c in components for i in c})
    link_of: dict[int, list[PairLink]] = defaultdict(list)
    for link in links:
        link_of[link.first_id].append(link)
    if signals is not None:
        signals.preload(photos.values())
    groups = []
    for component in components:
        members = [photos[i] for i in component]
        member_ids = set(component)
        group_links = [link for i in component for link in link_of.get(i, ()) if link.second_id in member_ids]
        context = _keeper_context(members, reference_root_ids, signals)
        choice = choose_keeper(members, rules, context)
        keeper = choice.photo
        kind = "exact" if len({p.sha256 for p in members}) == 1 else "near"
        distance = max((link.distance for link in group_links), default=0)
        ordered = [keeper, *sorted((p for p in members if p.id != keeper.id), key=lambda p: p.path)]
        groups.append(DuplicateGroup(kind, ordered, keeper.id, choice.reason, distance, group_links, choice.confident))
    if signals is not None:
        signals.flush()
    groups.sort(key=lambda g: (-g.savings, g.keeper.path))
    return groups


def _keeper_context(
    members: list[Photo], reference_root_ids: frozenset[int], signals: SignalReader | None
) -> KeeperContext:
    """What the keeper rules know of a group: its members' signals, and re-encodes found on demand."""
    if signals is None:
        return KeeperContext(reference_root_ids)
    read = signals.read(members)
    found: dict[tuple[int, ...], frozenset[int]] = {}  # the chain and the confidence check ask alike

    def reencodes(contenders: Sequence[Photo]) -> frozenset[int]:
        key = tuple(sorted(p.id for p in contenders))
        if key not in found:
            found[key] = signals.reencodes(contenders, read)
        return found[key]

    return KeeperContext(reference_root_ids, read, reencodes=reencodes)


def _photos_by_id(db: Database, ids: set[int]) -> dict[int, Photo]:
    found: dict[int, Photo] = {}
    ordered = sorted(ids)
    columns = ", ".join(PHOTO_COLUMNS)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(f"SELECT {columns} FROM photos WHERE id IN ({marks})", tuple(chunk)):
            photo = Photo.from_row(row)
            found[photo.id] = photo
    return found


def reference_root_ids(db: Database) -> frozenset[int]:
    """Ids of the roots marked reference (never trashed from)."""
    return frozenset(row[0] for row in db.query("SELECT id FROM roots WHERE reference = 1"))


def refresh_group(library: Library, group: DuplicateGroup) -> list[Photo]:
    """The group's photos as the catalog has them now (present ones only)."""
    current = [get_photo(library.db, pid) for pid in group.photo_ids]
    return [p for p in current if p is not None and p.status == "present"]
