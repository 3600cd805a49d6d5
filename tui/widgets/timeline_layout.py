"""Where each photo of the timeline sits on screen, computed from counts only.

The timeline is drawn as sections (one per month), each a header followed by rows of
``columns`` photos. Given the months' counts this module maps between a photo's position
in the timeline, its (section, row, column) and the screen line it is drawn on — so the
grid can draw any line of a 100,000-photo timeline without knowing the photos around it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from core.catalog import Period


@dataclass(frozen=True, slots=True)
class LineInfo:
    """What a screen line shows: a section header line (``row == -1``) or a line of a row."""

    section: int
    row: int
    line: int


class TimelineLayout:
    """Sections of ``columns`` photos per row, ``row_height`` lines per row."""

    def __init__(self, sections: list[Period], columns: int, row_height: int, header_height: int = 2) -> None:
        self.sections = sections
        self.columns = max(1, columns)
        self.row_height = max(1, row_height)
        self.header_height = header_height
        self.tops: list[int] = []
        self._firsts = [section.first_offset for section in sections]
        y = 0
        for section in sections:
            self.tops.append(y)
            y += header_height + self.rows_in(section) * self.row_height
        self.height = y

    @property
    def total(self) -> int:
        return self.sections[-1].end_offset if self.sections else 0

    def rows_in(self, section: Period) -> int:
        return -(-section.count // self.columns)

    def locate(self, y: int) -> LineInfo | None:
        """What line ``y`` of the whole timeline shows (None below the end)."""
        if y < 0 or y >= self.height:
            return None
        index = bisect.bisect_right(self.tops, y) - 1
        inside = y - self.tops[index]
        if inside < self.header_height:
            return LineInfo(index, -1, inside)
        inside -= self.header_height
        return LineInfo(index, inside // self.row_height, inside % self.row_height)

    def section_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._firsts, offset) - 1)

    def position(self, offset: int) -> tuple[int, int, int]:
        """(section, row, column) of the photo at ``offset``."""
        index = self.section_of(offset)
        inside = offset - self.sections[index].first_offset
        return index, inside // self.columns, inside % self.columns

    def row_top(self, section: int, row: int) -> int:
        """Screen line where a row of photos starts."""
        return self.tops[section] + self.header_height + row * self.row_height

    def line_of(self, offset: int) -> int:
        section, row, _ = self.position(offset)
        return self.row_top(section, row)

    def row_offsets(self, section: int, row: int) -> range:
        """Positions of the photos drawn in one row."""
        period = self.sections[section]
        start = period.first_offset + row * self.columns
        return range(start, min(start + self.columns, period.end_offset))

    def offset_at(self, section: int, row: int, column: int) -> int:
        """The photo at (section, row, column), or the row's last photo when it is shorter."""
        period = self.sections[section]
        row = max(0, min(row, self.rows_in(period) - 1))
        start = period.first_offset + row * self.columns
        return min(start + max(0, column), period.end_offset - 1)

    def move_rows(self, offset: int, delta: int) -> int:
        """The photo ``delta`` rows below (negative: above), in the same column when it exists."""
        section, row, column = self.position(offset)
        step = 1 if delta > 0 else -1
        for _ in range(abs(delta)):
            row += step
            if row >= self.rows_in(self.sections[section]):
                if section + 1 >= len(self.sections):
                    row -= step
                    break
                section, row = section + 1, 0
            elif row < 0:
                if section == 0:
                    row = 0
                    break
                section -= 1
                row = self.rows_in(self.sections[section]) - 1
        return self.offset_at(section, row, column)

    def offset_near_line(self, y: int, column: int) -> int:
        """The photo drawn at (or just after, for header lines) screen line ``y``."""
        y = max(0, min(y, self.height - 1))
        info = self.locate(y)
        if info is None:
            return self.total - 1
        return self.offset_at(info.section, max(0, info.row), column)
