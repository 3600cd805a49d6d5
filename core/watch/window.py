"""Upload windows like ``01:00-06:00`` (local time; may wrap past midnight)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from core.cloud.errors import CloudError


@dataclass(frozen=True, slots=True)
class UploadWindow:
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> UploadWindow:
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
        if not match:
            raise CloudError(f"'{text}' is not a time window: write it like 01:00-06:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise CloudError(f"'{text}' has an impossible time")
        end = time(0, 0) if h2 == 24 else time(h2, m2)
        if time(h1, m1) == end:
            raise CloudError("the window starts and ends at the same time")
        return cls(time(h1, m1), end)

    def contains(self, moment: datetime) -> bool:
        now = moment.time()
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def seconds_left(self, moment: datetime) -> float:
        """Seconds until the window closes (0 when it is closed)."""
        if not self.contains(moment):
            return 0.0
        end = datetime.combine(moment.date(), self.end)
        if end <= moment:
            end += timedelta(days=1)
        return (end - moment).total_seconds()

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"
