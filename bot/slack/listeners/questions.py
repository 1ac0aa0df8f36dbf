"""Plain-word questions: ``@streakbot ...`` mentions (answered in a thread) and DMs.

Each event is answered once: its id is claimed in the database (the event ledger,
:mod:`bot.store.events`) before answering and marked answered after, so Slack's retries
are not answered twice, while the retry of an event whose answer never came (the process
died after the claim) is answered once the claim is older than the ledger's lease. When
the database cannot be reached
the event is not claimed, so it is not acknowledged as done: the app answers ``503`` and
Slack retries it (about a minute, then five minutes later). On Slack's last retry the asker
is told in the thread that the bot cannot reach its database, rather than hearing nothing.

The bot's own messages never get here: Bolt's ``IgnoringSelfEvents`` middleware drops them
(``ignoring_self_events_enabled``, :mod:`bot.slack.app`). Other bots' messages and edits,
joins and the like are ignored here, so two bots never answer each other.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from bot.claims.check import check_text
from bot.failures import first_line
from bot.questions.answer import answer_text
from bot.render.claims import check_message
from bot.render.messages import Message, section
from bot.render.questions import help_message, question_message
from bot.slack.deps import QuestionsDeps
from bot.slack.listeners.common import message_day, new_york_day, too_long

log = logging.getLogger(__name__)

LAST_RETRY = 3  # Slack retries an event three times (X-Slack-Retry-Num 1, 2, 3)
NO_DATABASE = (
    "Sorry, I can't reach my database right now, so I couldn't answer this. "
    "Please ask again in a few minutes."
)

IGNORED_SUBTYPES = {
    "bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave",
    "thread_broadcast", "me_message", "file_share",
}


def _retry_num(request: BoltRequest) -> int:
    values = request.headers.get("x-slack-retry-num") or ["0"]
    return int(values[0]) if values[0].isdigit() else 0


def _plain(text: str) -> Message:
    return Message(text, [section(text)])


_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_CHECK = re.compile(r"\s*check\s*(?::|\s)\s*", re.IGNORECASE)


def note_to_check(text: str) -> str | None:
    """The note of ``@streakbot check: TEXT`` (mentions removed), or None for a question."""
    plain = _MENTION.sub(" ", text).strip()
    m = _CHECK.match(plain)
    return plain[m.end():].strip() if m else None


def _post(client: WebClient, event: dict[str, Any], thread: bool, msg: Message) -> None:
    kwargs: dict[str, Any] = {"channel": event["channel"], "text": msg.text, "blocks": msg.blocks}
    thread_ts = event.get("thread_ts") or (event.get("ts") if thread else None)
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    client.chat_postMessage(**kwargs)


def reply(deps: QuestionsDeps, client: WebClient, event: dict[str, Any], thread: bool) -> None:
    """Answer the question in ``event`` (a refusal when it is too long, an apology on a bug)."""
    text = event.get("text") or ""
    refusal = too_long(text, "message")
    if refusal is not None:
        _post(client, event, thread, _plain(refusal))
        return
    now = deps.clock()
    note = note_to_check(text)
    try:
        if note is not None:  # "@streakbot check: TEXT": the note's figures, checked
            msg = check_message(check_text(deps.market(), note, message_day(event.get("ts"), now)))
        else:
            msg = question_message(answer_text(text, deps.market(), now, new_york_day(now)))
    except Exception:
        log.exception("question failed: %r", text[:200])
        msg = help_message("Sorry, something went wrong on our side while answering; it has been logged.")
    _post(client, event, thread, msg)


def _reply_and_mark(
    deps: QuestionsDeps, client: WebClient, event: dict[str, Any], thread: bool, event_id: str | None
) -> None:
    reply(deps, client, event, thread)
    if not event_id:
        return
    try:
        deps.ledger.answered(event_id)
    except OperationalError as exc:  # answered all the same; only a late retry could repeat it
        log.warning("event %s answered but not marked so: %s", event_id, first_line(exc))


def answer_once(
    deps: QuestionsDeps, body: dict[str, Any], request: BoltRequest, client: WebClient,
    event: dict[str, Any], *, thread: bool, what: str,
) -> BoltResponse | None:
    """Claim the event and answer it after the ack; 503 (Slack retries) when the database
    cannot be reached, an apology on Slack's last retry."""
    event_id = str(body["event_id"]) if body.get("event_id") else None
    try:
        first = True if event_id is None else deps.ledger.claim(event_id)
    except OperationalError as exc:
        retry = _retry_num(request)
        log.error("%s %s not answered, the database is unreachable (Slack retry %d): %s",
                  what, event_id, retry, first_line(exc))
        if retry < LAST_RETRY:
            return BoltResponse(status=503, body="database unreachable; retry later")
        deps.run_later(lambda: _post(client, event, thread, _plain(NO_DATABASE)), what)
        return None
    if first:
        deps.run_later(lambda: _reply_and_mark(deps, client, event, thread, event_id), what)
    return None


def from_another_bot(event: dict[str, Any]) -> bool:
    """A bot's message (ours never arrive), or an edit, deletion, join and the like."""
    return bool(event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or event.get("bot_profile"))


def on_mention(event: dict[str, Any], body: dict[str, Any], request: BoltRequest, client: WebClient,
               *, deps: QuestionsDeps) -> BoltResponse | None:
    """``@streakbot ...``: answered in a thread."""
    if from_another_bot(event):
        return None
    return answer_once(deps, body, request, client, event, thread=True, what="a mention")


def on_message(event: dict[str, Any], body: dict[str, Any], request: BoltRequest, client: WebClient,
               *, deps: QuestionsDeps) -> BoltResponse | None:
    """A direct message: answered in the conversation (other messages are ignored)."""
    if event.get("channel_type") != "im" or from_another_bot(event):
        return None
    return answer_once(deps, body, request, client, event, thread=False, what="a direct message")


def register(app: App, deps: QuestionsDeps) -> None:
    """Attach the mention and direct-message listeners to ``app``."""
    app.event("app_mention")(partial(on_mention, deps=deps))
    app.event("message")(partial(on_message, deps=deps))


__all__ = ["LAST_RETRY", "NO_DATABASE", "answer_once", "on_mention", "on_message", "register", "reply"]
