"""Watching the library's roots: new and changed files indexed once they settle, moves and
deletions reflected (a move keeps its row), optional auto-backup within an upload window.
"""
