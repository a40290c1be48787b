"""Pacing sends at the provider's rate: a token bucket counted in segments.

UK long codes take about ten segments a second and Twilio queues the excess for hours before
failing it, so we hold the pace ourselves. Clock and sleep are injected so tests need no waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; `take(n)` waits until n are there."""

    def __init__(self, rate: float, burst: float | None = None, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be greater than 0")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.burst
        self.last = clock()

    def _refill(self) -> None:
        current = self.clock()
        self.tokens = min(self.burst, self.tokens + (current - self.last) * self.rate)
        self.last = current

    def take(self, n: float = 1.0) -> None:
        # A message longer than the burst still goes: it waits for a full bucket and overdraws.
        need = min(n, self.burst)
        self._refill()
        # The tolerance stops a float shortfall of 1e-17 from waiting forever for time that cannot add up.
        while self.tokens < need - 1e-9:
            self.sleep((need - self.tokens) / self.rate)
            self._refill()
        self.tokens -= n
