"""What the other domains may read of the outbox: selects of ids or addresses to use inside a query,
never the rows, so how a message's fate is spelt stays here. outreach imports this module, not
notifications.model (an import-linter contract in pyproject.toml)."""

from __future__ import annotations

from sqlalchemy import Select, select

from notifications.model import OptOut, OutboundMessage, OutboundStatus

_BOUNCED = (OutboundStatus.FAILED.value, OutboundStatus.UNDELIVERED.value)


def delivered_message_ids(incident_id: int) -> Select:
    """The incident's messages the provider reported delivered (`X.message_id.in_(...)`)."""
    return select(OutboundMessage.id).where(OutboundMessage.incident_id == incident_id,
                                            OutboundMessage.status == OutboundStatus.DELIVERED.value)


def bounced_message_ids(incident_id: int) -> Select:
    """The incident's messages that failed or could not be delivered."""
    return select(OutboundMessage.id).where(OutboundMessage.incident_id == incident_id,
                                            OutboundMessage.status.in_(_BOUNCED))


def opted_out_addresses_of(channel: str) -> Select:
    """The addresses that opted out of a channel now (STOP by SMS, an email's unsubscribe)."""
    return select(OptOut.address).where(OptOut.channel == channel, OptOut.opted_out.is_(True))
