"""The alert an administrator or auditor sees on the Audit trail and Users pages while the newest
check of the hash chains against their signed checkpoints found them altered outside Stand Up."""

import streamlit as st

from core.audit.verification_outcome import latest_verification
from core.clock import show
from core.inert_text import md
from core.ui import read


def draw_chain_alert() -> None:
    found = read(latest_verification)
    if found is None or found.intact:
        return
    st.error(f"**The audit trail or a decision log was altered outside Stand Up** (found "
             f"{show(found.at)} by {md(found.by)}, against the signed checkpoints):\n\n"
             + "\n".join(f"- {md(said)}" for said in found.findings)
             + "\n\nKeep the database, its backups and the checkpoint file as they are: they are evidence. "
             "Tell the force's information security team. `standup audit verify` checks again.",
             icon=":material/gpp_bad:")
