"""The exceptions the command line turns into one line and an exit status.

They live here, away from the modules that raise them, so that catching them does not
import pandas, SQLAlchemy or pydantic (a one-shot command may need none of them).
"""

from __future__ import annotations


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says which variable to fix."""


class DataSourceError(RuntimeError):
    """A source could not deliver data (network down, bad file...)."""


class SchemaError(Exception):
    """The store's schema cannot be brought to head (one line for the user)."""


class UserError(ValueError):
    """Something a user asked for cannot be answered; the message says why and is fit to show.

    The one user-error type: front ends show its message as one line (ephemeral in Slack)
    and never a stack trace.
    """
