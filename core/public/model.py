"""core.public's one table: the rate limiter's counts (see rate_limit.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class RateLimitCount(Base):
    """Attempts under one key in one window of time. The key is an HMAC of what was counted (a
    client's address and a purpose), never the address itself."""

    __tablename__ = "rate_limit_counts"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hits: Mapped[int]
    # Once past, the count no longer matters to any decision: the purge sweep deletes it.
    expires_at: Mapped[datetime] = mapped_column(index=True)
