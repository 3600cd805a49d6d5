"""Shoebox's terminal app (Textual): a thin layer over ``core``.

Start it with :func:`tui.launch.run_app` (``shoebox`` with no command does).
"""
