"""One module per CLI command; each exposes ``register(subparsers)`` and ``run(args, library)``."""

from core.cli.commands import (
    add,
    album,
    backup,
    catalog,
    cloud,
    demo,
    dupes,
    help,
    index,
    ls,
    mark,
    people,
    problems,
    restore,
    roots,
    share,
    show,
    tag,
    trash,
    watch,
    xmp,
)  # fmt: skip

#: In the order ``shoebox --help`` lists them; ``help`` last, since it lists the others.
COMMANDS = (
    add, index, ls, show, problems, roots, demo,
    cloud, backup, restore, share, watch,
    dupes, trash, album, tag, mark, xmp,
    catalog, people,
    help,
)  # fmt: skip
