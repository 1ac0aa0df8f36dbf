"""The one escape for text put into Slack ``mrkdwn``.

Slack reserves ``&``, ``<`` and ``>`` in message text (``<@U123>``, ``<url|label>``, and
``&amp;`` itself) and asks senders to escape exactly those three, as ``&amp;``, ``&lt;``
and ``&gt;`` (https://api.slack.com/reference/surfaces/formatting#escaping). Every Block
Kit builder passes text made from data or from what a user typed through
:func:`escape_mrkdwn` before adding its own markup (``*bold*``, ``:emoji:``), so an
index name like "S&P 500" or an echoed ``<!channel>`` reads as typed and pings no one.
"""

from __future__ import annotations

__all__ = ["escape_mrkdwn"]


def escape_mrkdwn(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped for Slack (``&`` first, so once only)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
