"""The multi-index Hamming search returns exactly the brute-force pairs, fast paths included."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.duplicates.hamming import Cancelled, hex_to_uint64, near_pairs, plan_search, uint64_to_hex


def brute_force(values: np.ndarray, distance: int) -> list[tuple[int, int, int]]:
    values = values.astype(np.uint64)
    found = []
    for i in range(values.size - 1):
        counts = np.bitwise_count(values[i] ^ values[i + 1 :])
        for k in np.flatnonzero(counts <= distance):
            found.append((i, i + 1 + int(k), int(counts[k])))
    return found


def planted(rng: np.random.Generator, n: int, pairs: int, max_flips: int, repeats: int = 0) -> np.ndarray:
    """Random hashes (top bit included) with near pairs and identical repeats planted."""
    values = rng.integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)
    for _ in range(pairs):
        i, j = rng.integers(0, n, 2)
        flips = rng.choice(64, size=int(rng.integers(0, max_flips + 1)), replace=False)
        values[j] = values[i] ^ np.uint64(sum(1 << int(f) for f in flips))
    for _ in range(repeats):
        i, j = rng.integers(0, n, 2)
        values[j] = values[i]
    return values


def rows(pairs: np.ndarray) -> list[tuple[int, int, int]]:
    return [tuple(int(v) for v in row) for row in pairs]  # type: ignore[misc]


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_on_random_hashes_with_planted_pairs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 400))
    distance = int(rng.integers(0, 14))
    values = planted(rng, n, n // 3, distance + 2, repeats=n // 10)
    if seed % 4 == 0:  # heavy clusters: many copies of few hashes
        values = values[rng.integers(0, max(1, n // 8), size=n)]
    expected = brute_force(values, distance)
    # The planned search, brute force, and forced block counts (tables grow as C(blocks, d)).
    for blocks in (None, 0, distance + 1, distance + 2):
        assert rows(near_pairs(values, distance, blocks=blocks)) == expected, f"blocks={blocks}"


def test_every_planted_pair_is_found_among_many() -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 2**64, size=20_000, dtype=np.uint64)
    planted_pairs = set()
    for k in range(500):
        i, j = 2 * k, 2 * k + 1
        flips = rng.choice(64, size=8, replace=False)
        values[j] = values[i] ^ np.uint64(sum(1 << int(f) for f in flips))
        planted_pairs.add((i, j))
    found = near_pairs(values, 8)
    assert planted_pairs <= {(int(a), int(b)) for a, b, _ in found}
    assert (found[:, 2] <= 8).all()
    assert rows(found) == brute_force(values, 8)


def test_threads_and_a_single_worker_agree() -> None:
    values = planted(np.random.default_rng(3), 5000, 800, 8, repeats=50)
    assert rows(near_pairs(values, 7, workers=1)) == rows(near_pairs(values, 7, workers=2))


def test_int64_input_is_read_bit_for_bit() -> None:
    signed = np.array([-1, -2, 0, 3], dtype=np.int64)  # -1 and -2 differ in the lowest bit
    assert rows(near_pairs(signed, 2)) == [(0, 1, 1), (2, 3, 2)]


@pytest.mark.parametrize("hashes", [np.array([], dtype=np.uint64), np.array([5], dtype=np.uint64)])
def test_fewer_than_two_hashes_have_no_pairs(hashes: np.ndarray) -> None:
    assert near_pairs(hashes, 8).shape == (0, 3)


def test_distance_zero_pairs_identical_hashes_only() -> None:
    values = np.array([1, 1, 3, 1, 2], dtype=np.uint64)
    assert rows(near_pairs(values, 0)) == [(0, 1, 0), (0, 3, 0), (1, 3, 0)]


def test_distance_of_64_or_more_pairs_everything() -> None:
    values = np.array([0, 2**64 - 1, 12345], dtype=np.uint64)
    assert len(near_pairs(values, 64)) == 3
    assert len(near_pairs(values, 100)) == 3


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="max_distance"):
        near_pairs(np.zeros(3, np.uint64), -1)
    with pytest.raises(ValueError, match="one-dimensional"):
        near_pairs(np.zeros((2, 2), np.uint64), 1)
    with pytest.raises(ValueError, match="blocks"):
        near_pairs(np.arange(10, dtype=np.uint64), 4, blocks=3)


def test_cancel_stops_the_search_and_progress_reports_steps() -> None:
    values = np.random.default_rng(1).integers(0, 2**64, size=50_000, dtype=np.uint64)
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 3:
            cancel.set()

    with pytest.raises(Cancelled):
        near_pairs(values, 8, cancel=cancel, progress=progress)
    assert seen[:3] == [(1, seen[0][1]), (2, seen[0][1]), (3, seen[0][1])]


def test_plan_uses_the_index_for_large_inputs_and_brute_force_for_small() -> None:
    assert plan_search(50, 8).brute_force
    big = plan_search(1_000_000, 8)
    assert not big.brute_force and big.blocks > 8


def test_hex_round_trip_and_skipped_entries() -> None:
    texts = ["8000000000000001", None, "", "00000000000000ff"]
    values, positions = hex_to_uint64(texts)
    assert positions.tolist() == [0, 3]
    assert uint64_to_hex(values) == ["8000000000000001", "00000000000000ff"]
    short, where = hex_to_uint64(["ff", "1"])
    assert short.tolist() == [255, 1] and where.tolist() == [0, 1]
    with pytest.raises(ValueError):
        hex_to_uint64(["not hex at all!"])
    with pytest.raises(ValueError, match="64 bits"):
        hex_to_uint64(["1" * 17])
