"""Generated photos: the demo library, and synthetic corpora for tests and benchmarks."""

from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "curate_demo": "core.demo.library",
    "make_demo_photos": "core.demo.library",
    "make_demo_portraits": "core.demo.library",
    "name_demo_people": "core.demo.library",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
