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
    scale: str  # "small" or "large"
    rng: random.Random
    faker: Faker
    users: dict[str, int] = field(default_factory=dict)  # role -> user id
    agencies: dict[str, int] = field(default_factory=dict)  # agency name -> id

    @property
    def large(self) -> bool:
        return self.scale == "large"
