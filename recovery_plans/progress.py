"""How far a goal, or a whole plan, has come: steps done of steps written."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
