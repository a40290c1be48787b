"""What each domain's demo seeder receives: one unit of work, one seeded random source, and
the exercise incident, so `standup demo --seed N` always builds the same picture."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker
from sqlalchemy.orm import Session

from core.auth.roles import Actor


@dataclass
class DemoContext:
    session: Session
    actor: Actor
    incident_id: int
    scale: str  # "small", "medium" (the quick benchmark's larger side) or "large"
    rng: random.Random
    faker: Faker
    users: dict[str, int] = field(default_factory=dict)  # role -> user id
    agencies: dict[str, int] = field(default_factory=dict)  # agency name -> id

    @property
    def large(self) -> bool:
        """At least medium: the twelve-agency picture, not the laptop demo."""
        return self.scale != "small"

    def pick(self, small, medium, large):
        """The value for this demo's scale."""
        return {"small": small, "medium": medium, "large": large}[self.scale]
