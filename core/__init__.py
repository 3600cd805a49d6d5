"""Shoebox core: the photo library without any user interface.

Nothing in this package imports Textual, Rich or ``tui``; the CLI and the TUI are
thin layers over the functions defined here.
"""

__version__ = "0.1.0"
