"""The app's long jobs (indexing, backup, sharing), one per module.

Each is a small class bound to the node that owns its worker (the app): ``start`` runs the
core call in a thread worker, which only posts typed messages (progress, finished, a
:class:`~tui.worker_errors.WorkerNotice` for the user); the app's handlers change the screen.
"""
