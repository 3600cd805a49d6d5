"""The headless command line: every command is a thin layer over a core function."""
