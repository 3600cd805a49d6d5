"""Launching the app: every terminal query is made before Textual reads the terminal.

Regression: in tmux the first photo view imported textual-image, whose capability query's
reply (``ESC[?1;2c``) reached the app as the keys ``[ ? 1 ; 2 c`` — the keys screen opened
and the ``t`` typed next was swallowed. Checked for real in tmux; here, the order is checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from core.library import Library


def test_textual_image_has_asked_the_terminal_before_the_app_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.app
    from tui.launch import run_app

    from textual_image._terminal import get_cell_size

    monkeypatch.delattr(get_cell_size, "_result", raising=False)  # as in a fresh process
    seen: dict[str, bool] = {}

    def fake_run(self: tui.app.ShoeboxApp) -> None:
        from textual_image._terminal import get_cell_size

        seen["queried on import"] = "textual_image.renderable" in sys.modules and "textual_image.widget" in sys.modules
        seen["cell size cached"] = hasattr(get_cell_size, "_result")

    monkeypatch.setattr(tui.app.ShoeboxApp, "run", fake_run)
    Library.open(tmp_path / "library").close()
    assert run_app(tmp_path / "library") == 0
    assert seen == {"queried on import": True, "cell size cached": True}
