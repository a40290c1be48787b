"""Which reply code a new call-out or mobilisation request gets: call-outs and requests share one
space of codes, because a reply names only the code ("YES K7QX", "4 K7QX")."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.callout_code import generate_code, is_code
from notifications.model import CallOut, MobilisationRequest


def codes_in_use(session: Session) -> set[str]:
    return set(session.scalars(select(CallOut.code))) | set(
        session.scalars(select(MobilisationRequest.code).where(MobilisationRequest.code.is_not(None))))


def code_is_free(session: Session, code: str) -> bool:
    code = code.upper()
    return is_code(code) and not (
        session.scalar(select(CallOut.id).where(CallOut.code == code).limit(1))
        or session.scalar(select(MobilisationRequest.id).where(MobilisationRequest.code == code).limit(1)))


def fresh_code(session: Session, rng: random.Random | None = None) -> str:
    return generate_code(codes_in_use(session), rng or random.SystemRandom())
