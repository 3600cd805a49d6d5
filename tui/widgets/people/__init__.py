"""Widgets of the people pane, the faces view, the review queue and the photo view's faces."""
