"""One module per CLI command; each exposes ``register(subparsers)`` and ``run(args, library)``."""

from core.cli.commands import add, demo, index, ls, problems, roots, show
from core.cli.commands import backup, cloud, restore, share, watch

COMMANDS = (add, index, ls, show, problems, roots, demo)
COMMANDS += (cloud, backup, restore, share, watch)
from core.cli.commands import album, dupes, mark, tag, trash, xmp

COMMANDS += (dupes, trash, album, tag, mark, xmp)
from core.cli.commands import catalog, people  # noqa: E402

COMMANDS += (catalog, people)
from core.cli.commands import help  # noqa: E402  (last: it lists the others)

COMMANDS += (help,)
