"""``shoebox people scan`` and ``shoebox people auto on|off``: finding faces (core/people scan)."""

from __future__ import annotations

import argparse


def register_scan(actions: argparse._SubParsersAction) -> None:
    """Add the ``scan`` and ``auto`` actions to ``shoebox people``."""
