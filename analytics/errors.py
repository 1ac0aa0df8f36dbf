"""Errors the analytics raise for inputs a user can get wrong (caught at the edges)."""

from __future__ import annotations


class AnalyticsError(ValueError):
    """Base class: the message is written for the person who asked."""


class NoOverlapError(AnalyticsError):
    """The two series share no session, so they cannot be compared."""


class OutOfRangeError(AnalyticsError):
    """The as-of date lies before the first or after the last session of the data."""
