"""Driving the app in tests: waiting for its workers, reading what is on screen."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from textual.pilot import Pilot

from tui.app import ShoeboxApp
from tui.widgets.timeline_grid import TimelineGrid

T = TypeVar("T")

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>'
)


def run(scenario: Callable[[], Awaitable[T]]) -> T:
    """Run an async test body (no pytest-asyncio needed)."""
    return asyncio.run(scenario())


async def settle(pilot: Pilot, rounds: int = 200) -> None:
    """Wait until no worker runs and the timeline has drawn everything it wants to."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        grids = list(app.query(TimelineGrid))
        if all(grid.is_settled for grid in grids) and not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the app never settled (a worker keeps running)")


def screen_text(app: ShoeboxApp) -> str:
    """The characters on screen, line by line (from the app's own SVG export)."""
    svg = app.export_screenshot()
    lines: dict[int, list[str]] = {}
    for x, length, line, text in _TEXT.findall(svg):
        text = html.unescape(text).replace("\xa0", " ")
        if not text:
            continue
        cell = float(length) / len(text)
        column = round(float(x) / cell)
        row = lines.setdefault(int(line), [])
        if len(row) < column:
            row.extend(" " * (column - len(row)))
        row[column : column + len(text)] = list(text)
    return "\n".join("".join(lines.get(i, [])).rstrip() for i in range(max(lines, default=-1) + 1))


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Let the app run until `condition()` holds (debounced search, palette results); then settle.

    A fixed pause is a race on a loaded machine; this waits as long as it takes, up to `timeout`.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition never held within {timeout} s")
        await pilot.pause(0.05)
    await settle(pilot)
