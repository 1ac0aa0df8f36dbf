"""The pages an installer sees at the end of the OAuth install ("Add to Slack").

:func:`installed_page` after Slack handed the app its token for the workspace;
:func:`install_failed_page` when the install did not go through (cancelled, a stale or
reused link, a code Slack refused), with a link to start again.
"""

from __future__ import annotations

from html import escape

__all__ = ["FAILURE_REASONS", "NOT_INSTALLED", "install_failed_page", "installed_page"]

# The answer to a workspace with no installation (never installed, or it removed the app).
NOT_INSTALLED = (
    "streakbot is not installed in this workspace (or was removed from it): "
    "please reinstall it with its Add to Slack link."
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="data:,">
<style>body {{ font-family: sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em; }}</style>
</head>
<body>
<h1>{title}</h1>
{body}
</body>
</html>
"""

# Bolt's failure reasons, in words.
FAILURE_REASONS = {
    "access_denied": "The install was cancelled in Slack.",
    "invalid_browser": "This browser did not start the install (or its cookie expired).",
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack did not send an authorization code.",
    "invalid_code": "Slack did not accept the authorization code.",
    "storage_error": "The installation could not be saved; please try again in a minute.",
}


def installed_page(team_name: str | None, open_url: str | None) -> str:
    """The success page: which workspace has streakbot now, and what to try first."""
    where = f" in <strong>{escape(team_name)}</strong>" if team_name else ""
    link = f'<p><a href="{escape(open_url)}">Open Slack</a></p>\n' if open_url else ""
    body = (
        f"<p>streakbot is installed{where}.</p>\n"
        "<p>Try <code>/streak RUT SPX</code> in any channel, mention <code>@streakbot</code> with a question, "
        "or subscribe a channel to the daily post with <code>/leaders subscribe</code> "
        "(invite the bot first: <code>/invite @streakbot</code>).</p>\n"
        f"{link}"
    )
    return _PAGE.format(title="streakbot is installed", body=body)


def install_failed_page(reason: str, install_path: str) -> str:
    """The failure page: why, in one sentence, and a link to start the install again."""
    why = FAILURE_REASONS.get(reason, f"The install did not complete ({reason}).")
    body = (
        f"<p>{escape(why)}</p>\n"
        f'<p><a href="{escape(install_path)}">Start the install again</a></p>\n'
    )
    return _PAGE.format(title="streakbot was not installed", body=body)
