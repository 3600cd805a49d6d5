"""Launching the app: nothing asks the terminal anything once Textual reads it.

Regression: in tmux the first photo view imported textual-image, whose capability query's
reply (``ESC[?1;2c``) reached the app as the keys ``[ ? 1 ; 2 c`` — the keys screen opened
and the ``t`` typed next was swallowed. Found and checked again by driving the app in tmux.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.library import Library

ROOT = Path(__file__).resolve().parents[2]


def test_half_block_mode_never_imports_textual_image() -> None:
    """tmux, SSH and tests use half-blocks: opening the photo view must not load textual-image."""
    code = (
        "import sys; import tui.launch, tui.app, tui.screens.photo\n"
        "from tui.previews.mode import PreviewMode\n"
        "from tui.widgets.photo_preview import image_widget_class\n"
        "print(image_widget_class(PreviewMode.HALFCELL).__name__, 'textual_image' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)  # fmt: skip
    assert result.stdout.split() == ["HalfblockPicture", "False"], result.stderr


def test_graphics_mode_asks_the_terminal_before_the_app_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual_image._terminal import get_cell_size

    import tui.app
    from tui.launch import run_app

    monkeypatch.setenv("SHOEBOX_PREVIEW", "sixel")
    monkeypatch.delattr(get_cell_size, "_result", raising=False)  # as in a fresh process
    seen: dict[str, bool] = {}

    def fake_run(self: tui.app.ShoeboxApp) -> None:
        seen["textual-image loaded"] = (
            "textual_image.renderable" in sys.modules and "textual_image.widget" in sys.modules
        )
        seen["cell size cached"] = hasattr(get_cell_size, "_result")

    monkeypatch.setattr(tui.app.ShoeboxApp, "run", fake_run)
    Library.open(tmp_path / "library").close()
    assert run_app(tmp_path / "library") == 0
    assert seen == {"textual-image loaded": True, "cell size cached": True}
