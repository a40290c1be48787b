"""The channels a message can go by. Importing the package registers the built-in ones."""

from notifications.channels import email, sms, voice  # noqa: F401  each registers itself
from notifications.channels.registry import (  # noqa: F401  the package's public names
    Accepted,
    Channel,
    Outgoing,
    Sender,
    SendError,
    channel_named,
    channels,
    register,
    unregister,
)
