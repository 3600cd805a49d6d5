"""Widgets of the Shoebox app, one per file."""
