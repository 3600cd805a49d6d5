"""Turning photos into terminal pixels: coloured half-blocks, or graphics where they work."""
