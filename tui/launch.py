"""Opening the app on a library: the ``shoebox.frontends`` entry point (see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

from core.library import Library


def run_app(library_dir: Path) -> int:
    """Run the app full-screen on the library at ``library_dir``; returns the exit status."""
    from tui.previews.mode import PreviewMode, ask_terminal_now, choose_preview_mode

    # Every terminal query happens here, before Textual takes over the input (see ask_terminal_now);
    # in half-block mode (tmux, SSH, tests) nothing asks the terminal anything.
    preview_mode = choose_preview_mode()
    if preview_mode is not PreviewMode.HALFCELL:
        ask_terminal_now()
    from tui.app import ShoeboxApp

    with Library.open(library_dir) as library:
        app = ShoeboxApp(library, preview_mode=preview_mode)
        app.run()
        return app.return_code or 0
