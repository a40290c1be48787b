"""Write the next migration of one domain's branch from the difference between its models and the
schema the existing migrations build.  Usage: .venv/bin/python scripts/new_migration.py DOMAIN "message"

A domain whose branch does not exist yet gets its first revision, depending on core (and on the
branches named with --depends-on). Read the generated file before committing it: autogenerate
does not see everything (renames, data moves, triggers)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from core.db import make_engine
from core.migrate import alembic_config, upgrade


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("domain")
    parser.add_argument("message")
    parser.add_argument("--depends-on", nargs="*", default=["core"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'gen.db'}")
        upgrade(engine)
        config = alembic_config(engine)
        script = ScriptDirectory.from_config(config)
        existing = [r for r in script.walk_revisions() if args.domain in (r.branch_labels or ())]
        number = 1 + sum(1 for r in script.walk_revisions() if r.revision.startswith(f"{args.domain}_"))
        rev_id = f"{args.domain}_{number:04d}"
        if existing:
            command.revision(config, message=args.message, autogenerate=True, rev_id=rev_id,
                             head=f"{args.domain}@head")
        else:
            command.revision(config, message=args.message, autogenerate=True, rev_id=rev_id, head="base",
                             branch_label=args.domain, depends_on=args.depends_on)


if __name__ == "__main__":
    main()
