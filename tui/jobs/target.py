"""Reading the backup target for a job, on its worker: a problem becomes a notice, not a crash."""

from __future__ import annotations

from textual.dom import DOMNode

from core.cloud import CloudTarget
from core.config import ConfigError
from core.library import Library
from tui.worker_errors import WorkerNotice

#: How to set a target, for a job that needs one.
SET_TARGET_HINT = "Set one from a shell:\nshoebox cloud set s3://BUCKET/PREFIX [--endpoint-url URL]"


def read_target(
    library: Library, host: DOMNode, *, refused: str, missing: str, missing_title: str
) -> CloudTarget | None:
    """The library's cloud target (worker thread); None after posting why not to ``host``.

    ``refused`` titles the notice when the config is wrong (an endpoint URL holding
    credentials, say); ``missing`` says what is wanted when no target is set.
    """
    from core.cloud import CloudError, load_target

    try:
        target = load_target(library.directory)
    except (CloudError, ConfigError) as exc:
        host.post_message(WorkerNotice(str(exc), refused, "error", 10))
        return None
    if target is None:
        host.post_message(WorkerNotice(f"{missing} {SET_TARGET_HINT}", missing_title, "warning", 15))
    return target
