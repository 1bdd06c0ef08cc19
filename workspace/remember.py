"""Remembering a trainer's sign-in across page reloads: the browser keeps the session token.

The token is kept in the browser's localStorage by Gradio's `gr.BrowserState`, which encrypts it with a
secret the page gets from the server (so it is no secret from that browser; it keeps other apps on the same
origin from reading the value). The secret is one random value in the database, shared by every app server
on it and kept across restarts, so a reload served by another server, or after a restart, still restores the
sign-in. What makes a token valid is only the server's session table (`Accounts.session`): sessions expire,
logging out or changing the password ends them.
"""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError

from storage import Database

STORAGE_KEY = "advisor-trainer-session"  # the localStorage key
_META_KEY = "browser-state-secret"


def browser_secret(db: Database) -> str:
    """The database's secret for the browser-kept token, created by the first server that asks."""
    existing = db.get_meta(_META_KEY)
    if existing:
        return existing
    try:
        with db.begin() as connection:
            if not db.get_meta(_META_KEY, connection):
                db.set_meta(connection, _META_KEY, secrets.token_urlsafe(32))
    except IntegrityError:  # another server created it at the same moment
        pass
    return db.get_meta(_META_KEY) or ""
