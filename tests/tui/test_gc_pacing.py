"""Full garbage collections wait for an idle moment instead of landing on a key press (issue #12)."""

from __future__ import annotations

import gc

from core.library import Library
from tests.tui.helpers import run, settle, until
from tui.app import ShoeboxApp
from tui.gc_pacing import FULL_AFTER, IdleCollector


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_a_full_collection_due() -> None:
    for _ in range(FULL_AFTER):
        gc.collect(1)  # each middle-generation collection counts towards a full one


def test_a_due_full_collection_waits_until_the_user_is_idle() -> None:
    clock = FakeClock()
    collector = IdleCollector(idle_seconds=0.5, longest_wait=30.0, clock=clock)
    saved = gc.get_threshold()
    collector.start()
    try:
        assert gc.get_threshold()[:2] == saved[:2] and gc.get_threshold()[2] > 10**6  # young ones stay automatic
        make_a_full_collection_due()
        collector.user_input()
        clock.now += 0.1
        assert not collector.tick()  # a key just came: its frame must not wait for a collection
        clock.now += 0.5
        assert collector.tick() and gc.get_count()[2] == 0
        assert not collector.tick()  # nothing due any more
    finally:
        collector.stop()
    assert gc.get_threshold() == saved


def test_non_stop_typing_still_gets_a_full_collection_in_the_end() -> None:
    clock = FakeClock()
    collector = IdleCollector(idle_seconds=0.5, longest_wait=30.0, clock=clock)
    collector.start()
    try:
        make_a_full_collection_due()
        for _ in range(29):
            clock.now += 1.0
            collector.user_input()
            assert not collector.tick()
        clock.now += 1.0
        collector.user_input()
        assert collector.tick()
    finally:
        collector.stop()


def test_the_app_defers_full_collections_while_it_runs_and_gives_the_schedule_back(shots_library: Library) -> None:
    saved = gc.get_threshold()

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.get_threshold()[2] > 10**6
            before = app.idle_collector.collections
            make_a_full_collection_due()
            await pilot.press("j")
            await until(pilot, lambda: app.idle_collector.collections > before)  # once the keys stop

    run(scenario)
    assert gc.get_threshold() == saved


def test_a_due_full_collection_waits_while_the_user_waits_for_an_answer() -> None:
    clock = FakeClock()
    answer_pending = [True]  # a search still counting, say
    collector = IdleCollector(idle_seconds=0.5, longest_wait=30.0, clock=clock, waiting=lambda: answer_pending[0])
    collector.start()
    try:
        make_a_full_collection_due()
        clock.now += 5.0  # no key for a while, but the results are not on screen yet
        assert not collector.tick()
        answer_pending[0] = False  # shown: now is a good time
        assert collector.tick() and collector.collections == 1
        make_a_full_collection_due()
        answer_pending[0] = True
        clock.now += 31.0  # overdue, but the answer comes first …
        assert not collector.tick()
        answer_pending[0] = False  # … and the collection right after it
        assert collector.tick()
    finally:
        collector.stop()
