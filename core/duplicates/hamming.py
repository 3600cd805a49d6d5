"""All pairs of 64-bit perceptual hashes within a Hamming distance, exact and fast.

The search is multi-index hashing with *block subsets* (a generalised pigeonhole):

* Cut the 64 bits into ``m > d`` contiguous blocks. Two hashes that differ in at most
  ``d`` bits differ in at most ``d`` blocks, so they agree exactly on at least
  ``k = m - d`` blocks — on *every* block of some ``k``-subset of the blocks.
* For each of the ``C(m, k)`` subsets ("tables"), bucket the hashes by their bits in
  those blocks (one ``np.sort`` of key-and-index packed in a ``uint64``), take every
  pair inside a bucket as a candidate and verify it with ``popcount(a ^ b) <= d``.
* A pair agreeing on several subsets is kept only in the first one, in
  ``itertools.combinations`` order: the subset made of the ``k`` lowest blocks they
  agree on. So each pair comes out exactly once without a global ``unique``.

More blocks mean wider keys (fewer false candidates) but more tables; :func:`plan_search`
picks ``m`` from a cost model, or a blocked brute force when that is cheaper (small
inputs, ``d`` large). Identical hashes are collapsed first, so a cluster of identical
images costs its output size, not ``C(m, k)`` times it. Inside a table, each bucket
member is compared with the one 1, 2, 3… places after it: whole-array shifted passes
while buckets are crowded, then only the members of long buckets, so the transient
memory is a few arrays of the input's length. Tables run on a thread per core.

Measured with ``bench/dupes_bench.py`` on the shared 2-core machine, d = 8: 100,000
hashes in 0.4–1.0 s, 1,000,000 in 14–21 s, every planted pair found; a naive numpy
all-pairs scan takes ~57 s for 100,000 (~1.5 h for 1,000,000).
"""

from __future__ import annotations

import itertools
import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np

ProgressCallback = Callable[[int, int], None]

HASH_BITS = 64
#: Pairs generated per numpy step for identical hashes and brute-force bands (bounds memory).
PAIR_BLOCK = 1 << 22
#: Odd multiplier (2^64 / golden ratio) hashing a table's masked bits into its sort key.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

# Cost model (seconds, one core), measured on the 2-core dev machine at 1M hashes.
_SECONDS_PER_ROW_PER_TABLE = 45e-9  # key, sort, run detection, reorder, per hash per table
_SECONDS_PER_CANDIDATE = 12e-9  # shifted pass or gather, xor, popcount, compare
_SECONDS_PER_BRUTE_PAIR = 2.5e-9  # blocked all-pairs xor + popcount
#: Blocks beyond d + this are never better: tables grow as C(m, d).
_MAX_EXTRA_BLOCKS = 8

_EMPTY_PAIRS = np.empty((0, 3), dtype=np.int64)


class Cancelled(Exception):
    """Raised by :func:`near_pairs` when its cancel event is set; no partial result is kept."""


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """How :func:`near_pairs` will search: block count (0 = brute force) and its cost."""

    blocks: int
    tables: int
    estimated_seconds: float

    @property
    def brute_force(self) -> bool:
        return self.blocks == 0


def hex_to_uint64(hashes: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Parse hex hashes (imagehash's ``str(phash)``) into ``uint64`` values.

    Returns ``(values, positions)``: the parsed values and, for each, its index in
    ``hashes`` — ``None`` and empty entries are skipped. Raises ``ValueError`` on a
    string that is not hex or does not fit in 64 bits.
    """
    positions = [pos for pos, text in enumerate(hashes) if text]
    texts = [hashes[pos] for pos in positions]
    index = np.asarray(positions, dtype=np.int64)
    if all(len(text) == 16 for text in texts):  # the common case: one bytes.fromhex call
        raw = bytes.fromhex("".join(texts))  # type: ignore[arg-type]
        return np.frombuffer(raw, dtype=">u8").astype(np.uint64), index
    values = []
    for text in texts:
        value = int(text, 16)  # type: ignore[arg-type]
        if not 0 <= value < 1 << HASH_BITS:
            raise ValueError(f"hash {text!r} does not fit in 64 bits")
        values.append(value)
    return np.asarray(values, dtype=np.uint64).reshape(-1), index


def uint64_to_hex(values: np.ndarray) -> list[str]:
    """The reverse of :func:`hex_to_uint64`: 16 lower-case hex digits per value."""
    return [f"{int(value):016x}" for value in np.asarray(values, dtype=np.uint64)]


def plan_search(count: int, max_distance: int) -> SearchPlan:
    """The cheapest exact search for ``count`` distinct hashes, by the cost model above.

    Candidate counts assume uniformly random hashes; clusters add candidates but
    cannot make the search inexact.
    """
    pairs = count * (count - 1) / 2
    best = SearchPlan(0, 0, pairs * _SECONDS_PER_BRUTE_PAIR)
    d = max_distance
    if d < 1:
        return best
    for blocks in range(d + 1, min(HASH_BITS, d + _MAX_EXTRA_BLOCKS) + 1):
        tables = math.comb(blocks, d)
        key_bits = HASH_BITS * (blocks - d) / blocks
        candidates = tables * pairs * 2.0**-key_bits
        seconds = tables * count * _SECONDS_PER_ROW_PER_TABLE + candidates * _SECONDS_PER_CANDIDATE
        if seconds < best.estimated_seconds:
            best = SearchPlan(blocks, tables, seconds)
    return best


def near_pairs(
    hashes: np.ndarray,
    max_distance: int,
    *,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    blocks: int | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """Every pair of hashes within ``max_distance`` bits of each other.

    ``hashes`` is a 1-D array of 64-bit hashes (``uint64``; ``int64`` is read bit for
    bit, so negative values are hashes with the top bit set). Returns an ``(k, 3)``
    ``int64`` array of ``[i, j, distance]`` rows, ``i < j`` indexes into ``hashes``,
    each pair once, sorted by ``(i, j)``. Exact: no pair within the distance is missed.

    ``progress(done, total)`` is called after each step (a table or a brute-force
    block). When ``cancel`` is set the search stops at the next step and raises
    :class:`Cancelled`. Steps run on ``workers`` threads (default: the usable cores;
    numpy releases the GIL in sorts and ufuncs). ``blocks`` overrides :func:`plan_search`
    (0 = brute force, otherwise a block count greater than ``max_distance``).
    """
    values = _as_uint64(hashes)
    if max_distance < 0:
        raise ValueError(f"max_distance must be >= 0, got {max_distance}")
    distance = min(int(max_distance), HASH_BITS)
    if values.size < 2:
        return _EMPTY_PAIRS.copy()
    unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    plan = _chosen_plan(unique.size, distance, blocks)
    if distance == 0 or unique.size < 2:
        steps: list[Step] = []
    elif plan.brute_force:
        steps = _brute_force_steps(unique, distance)
    else:
        steps = _block_search_steps(unique, distance, plan.blocks)
    found = _run_steps(steps, _worker_count(workers), cancel, progress)
    distinct = np.concatenate(found) if found else _EMPTY_PAIRS
    return _sorted_pairs(_expand_duplicates(distinct, inverse, counts))


Step = Callable[[], np.ndarray]


def _worker_count(workers: int | None) -> int:
    if workers is not None:
        return max(1, int(workers))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _run_steps(
    steps: list[Step], workers: int, cancel: threading.Event | None, progress: ProgressCallback | None
) -> list[np.ndarray]:
    """Run the steps on ``workers`` threads, at most one queued per worker (bounded memory)."""
    results: list[np.ndarray] = []
    if not steps:
        return results
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hamming") as pool:
        pending: deque[Future[np.ndarray]] = deque()
        queue = iter(steps)
        try:
            while True:
                while len(pending) < 2 * workers and (step := next(queue, None)) is not None:
                    pending.append(pool.submit(step))
                if not pending:
                    return results
                results.append(pending.popleft().result())
                if progress is not None:
                    progress(len(results), len(steps))
                if cancel is not None and cancel.is_set():
                    raise Cancelled("near-duplicate search cancelled")
        finally:
            for future in pending:
                future.cancel()


def _chosen_plan(count: int, distance: int, blocks: int | None) -> SearchPlan:
    if blocks is None:
        return plan_search(count, distance)
    if blocks == 0:
        return SearchPlan(0, 0, math.nan)
    if not distance < blocks <= HASH_BITS:
        raise ValueError(f"blocks must be 0 or in ({distance}, {HASH_BITS}], got {blocks}")
    return SearchPlan(blocks, math.comb(blocks, distance), math.nan)


def _as_uint64(hashes: np.ndarray) -> np.ndarray:
    array = np.asarray(hashes)
    if array.dtype == np.int64:
        array = array.view(np.uint64)
    elif array.dtype != np.uint64:
        array = array.astype(np.uint64) if array.size else np.empty(0, np.uint64)
    if array.ndim != 1:
        raise ValueError(f"hashes must be one-dimensional, got shape {array.shape}")
    return np.ascontiguousarray(array)


# --- the block-subset search -------------------------------------------------------------


def _block_masks(blocks: int) -> list[int]:
    """``blocks`` contiguous bit masks of near-equal width covering the 64 bits."""
    edges = [HASH_BITS * b // blocks for b in range(blocks + 1)]
    return [((1 << (hi - lo)) - 1) << lo for lo, hi in zip(edges, edges[1:])]


def _block_search_steps(values: np.ndarray, distance: int, blocks: int) -> list[Step]:
    """One step per table (a subset of ``blocks - distance`` blocks), each pair found once."""
    masks = _block_masks(blocks)
    index_bits = max(1, (values.size - 1).bit_length())
    index = np.arange(values.size, dtype=np.uint64)
    steps = []
    for subset in itertools.combinations(range(blocks), blocks - distance):
        union = sum(masks[b] for b in subset)
        # Pairs agreeing on one of these blocks were already kept by an earlier subset.
        earlier = [masks[b] for b in range(subset[-1]) if b not in subset]
        steps.append(partial(_table_pairs, values, index, index_bits, union, earlier, distance))
    return steps


def _table_pairs(
    values: np.ndarray, index: np.ndarray, index_bits: int, union: int, earlier: list[int], distance: int
) -> np.ndarray:
    """Pairs that agree on the ``union`` bits, within ``distance``, differing on ``earlier``."""
    index_mask = np.uint64((1 << index_bits) - 1)
    # The key is a hash of the masked bits in the top bits, the index in the low bits: one
    # plain sort groups equal keys. A hash collision only adds a candidate, rejected below.
    packed = (values & np.uint64(union)) * _MULTIPLIER
    packed &= ~index_mask
    packed |= index
    packed.sort()
    same_as_next = (packed[1:] ^ packed[:-1]) <= index_mask
    starts, lengths = _runs(same_as_next)
    if starts.size == 0:
        return _EMPTY_PAIRS
    order = (packed & index_mask).astype(np.intp)
    in_order = values[order]  # the hashes in key order: a bucket's members sit side by side
    keep = _PairFilter(order, in_order, union, earlier, distance)
    # Compare each member with the one `step` places after it in its bucket. While many
    # members have such a partner, whole-array shifted passes are cheapest (no gathers) ...
    keys = packed >> np.uint64(index_bits)
    step, alive = 1, _members_with_partner_at(lengths)
    while step < alive.size and alive[step] * _SHIFTED_PASS_RATIO > keys.size:
        left = np.flatnonzero(
            (keys[step:] == keys[:-step]) & (np.bitwise_count(in_order[step:] ^ in_order[:-step]) <= distance)
        )
        keep.add(left, step)
        step += 1
    # ... then the few members of long buckets go on alone.
    position, later = _run_members(starts, lengths)
    remaining = later >= step
    position, later = position[remaining], later[remaining]
    while position.size:
        close = np.flatnonzero(np.bitwise_count(in_order[position] ^ in_order[position + step]) <= distance)
        keep.add(position[close], step)
        alive_mask = later > step
        position, later = position[alive_mask], later[alive_mask]
        step += 1
    return keep.result()


#: Shifted whole-array passes run while more than 1/RATIO of the rows have a partner.
_SHIFTED_PASS_RATIO = 6


def _members_with_partner_at(lengths: np.ndarray) -> np.ndarray:
    """``alive[s]``: how many bucket members have a partner ``s`` places later."""
    counts = np.bincount(lengths)  # counts[L]: buckets of length L
    by_length = np.arange(counts.size)
    # alive[s] = sum over buckets of max(0, L - s)
    tail_buckets = np.cumsum(counts[::-1])[::-1]  # buckets with length >= L
    tail_members = np.cumsum((counts * by_length)[::-1])[::-1]
    steps = np.arange(counts.size)
    return tail_members - steps * tail_buckets


class _PairFilter:
    """Keeps candidate pairs within the distance that this table owns (see _block_search_steps)."""

    def __init__(self, order: np.ndarray, in_order: np.ndarray, union: int, earlier: list[int], distance: int) -> None:
        self.order, self.in_order, self.distance = order, in_order, distance
        self.union = np.uint64(union)
        self.earlier = [np.uint64(mask) for mask in earlier]
        self.found: list[np.ndarray] = []

    def add(self, left: np.ndarray, step: int) -> None:
        """Candidates ``(left, left + step)`` (positions in key order) already within the distance."""
        if left.size == 0:
            return
        xor = self.in_order[left] ^ self.in_order[left + step]
        keep = (xor & self.union) == 0
        for mask in self.earlier:
            keep &= (xor & mask) != 0
        left = left[keep]
        self.found.append(_pair_rows(self.order[left], self.order[left + step], np.bitwise_count(xor[keep])))

    def result(self) -> np.ndarray:
        return np.concatenate(self.found) if self.found else _EMPTY_PAIRS


def _runs(same_as_next: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of ≥ 2 equal neighbours, from a "same as next" mask."""
    edges = np.diff(same_as_next.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    return starts, stops - starts + 1


def _run_members(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every position of the runs but each run's last, and how many run members follow it."""
    heads = lengths - 1
    offsets = np.cumsum(heads) - heads
    position = np.arange(int(heads.sum()), dtype=np.intp) + np.repeat(starts - offsets, heads)
    later = np.repeat(starts + lengths, heads) - position - 1
    return position, later


def _pairs_in_runs(starts: np.ndarray, lengths: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """All position pairs ``(p, q)``, ``p < q``, inside each run, about PAIR_BLOCK at a time."""
    element, partners = _run_members(starts, lengths)
    cumulative = np.cumsum(partners)
    cuts = np.searchsorted(cumulative, np.arange(PAIR_BLOCK, cumulative[-1], PAIR_BLOCK), side="right")
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, element.size]):
        if lo == hi:
            continue
        head, count = element[lo:hi], partners[lo:hi]
        total = int(count.sum())
        first = np.repeat(head, count)
        step = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        yield first, first + 1 + step


def _pair_rows(first: np.ndarray, second: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """``[i, j, distance]`` rows with ``i < j``."""
    rows = np.empty((first.size, 3), dtype=np.int64)
    np.minimum(first, second, out=rows[:, 0])
    np.maximum(first, second, out=rows[:, 1])
    rows[:, 2] = distance
    return rows


# --- brute force (small inputs, large distances) -------------------------------------------


def _brute_force_steps(values: np.ndarray, distance: int) -> list[Step]:
    """All pairs by blocked XOR + popcount: one step per band of rows against the columns after it."""
    rows = max(1, PAIR_BLOCK // values.size)
    return [partial(_brute_force_band, values, top, rows, distance) for top in range(0, values.size, rows)]


def _brute_force_band(values: np.ndarray, top: int, rows: int, distance: int) -> np.ndarray:
    band = values[top : top + rows]
    counts = np.bitwise_count(band[:, None] ^ values[None, top:])
    row, column = np.nonzero(np.triu(counts <= distance, k=1))
    return _pair_rows(row + top, column + top, counts[row, column])


# --- results --------------------------------------------------------------------------------


def _expand_duplicates(distinct: np.ndarray, inverse: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Map pairs of distinct values back to input indexes, adding identical-hash pairs."""
    order = np.argsort(inverse, kind="stable")
    if counts.max() == 1:
        return _pair_rows(order[distinct[:, 0]], order[distinct[:, 1]], distinct[:, 2])
    group_start = np.cumsum(counts) - counts
    pieces = []
    repeated = counts >= 2
    if repeated.any():  # distance 0: every pair inside a group of identical hashes
        for left, right in _pairs_in_runs(group_start[repeated], counts[repeated]):
            pieces.append(_pair_rows(order[left], order[right], np.zeros(left.size, np.int64)))
    if distinct.size:
        first, second = distinct[:, 0], distinct[:, 1]
        size = counts[first] * counts[second]
        which = np.repeat(np.arange(first.size), size)
        step = np.arange(int(size.sum()), dtype=np.int64) - np.repeat(np.cumsum(size) - size, size)
        width = counts[second][which]
        pieces.append(
            _pair_rows(
                order[group_start[first][which] + step // width],
                order[group_start[second][which] + step % width],
                distinct[which, 2],
            )
        )
    return np.concatenate(pieces) if pieces else _EMPTY_PAIRS


def _sorted_pairs(pairs: np.ndarray) -> np.ndarray:
    if pairs.shape[0] < 2:
        return pairs.copy() if pairs is _EMPTY_PAIRS else pairs
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
