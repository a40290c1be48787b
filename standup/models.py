"""Every table of every domain, imported in one place for migrations, tests and `standup reencrypt`."""

from core import heartbeat as _heartbeat  # noqa: F401
from core import retention as _retention  # noqa: F401
from core.agencies import model as _agencies  # noqa: F401
from core.audit import model as _audit  # noqa: F401
from core.auth import model as _auth  # noqa: F401
from core.db import Base
from core.public import model as _public  # noqa: F401
from incident import model as _incident  # noqa: F401
from notifications import model as _notifications  # noqa: F401
from outreach import model as _outreach  # noqa: F401
from pathways import model as _pathways  # noqa: F401
from rosters import model as _rosters  # noqa: F401

metadata = Base.metadata  # with every table above on it
