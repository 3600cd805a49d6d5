"""One module per CLI command; each exposes ``register(subparsers)`` and ``run(args, library)``."""

from core.cli.commands import add, demo, index, ls, problems, roots, show

COMMANDS = (add, index, ls, show, problems, roots, demo)
