"""Plain-word questions: ``@streakbot ...`` mentions (answered in a thread) and DMs.

Each event is answered once: its id is claimed in the database (the event ledger) before
answering, so Slack's retries are not answered twice. When the database cannot be reached
the event is not claimed, so it is not acknowledged as done: the app answers ``503`` and
Slack retries it (about a minute, then five minutes later). On Slack's last retry the asker
is told in the thread that the bot cannot reach its database, rather than hearing nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from bot.adapters.calendar import NY_TZ
from bot.bootstrap import Services
from bot.failures import first_line
from bot.questions.answer import answer_text
from bot.render.messages import Message, section
from bot.render.questions import help_message, question_message
from bot.slack.background import run_in_background
from bot.slack.listeners.common import too_long
from bot.store.events import EventLedger

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


def register(app: App, services: Services) -> None:
    ledger = EventLedger(services.engine)

    def post(client: WebClient, event: dict[str, Any], thread: bool, msg: Message) -> None:
        kwargs: dict[str, Any] = {"channel": event["channel"], "text": msg.text, "blocks": msg.blocks}
        thread_ts = event.get("thread_ts") or (event.get("ts") if thread else None)
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        client.chat_postMessage(**kwargs)

    def reply(client: WebClient, event: dict[str, Any], thread: bool) -> None:
        text = event.get("text") or ""
        refusal = too_long(text, "message")
        if refusal is not None:
            post(client, event, thread, _plain(refusal))
            return
        now = services.clock()
        try:
            msg = question_message(answer_text(text, services.market, now, now.astimezone(NY_TZ).date()))
        except Exception:
            log.exception("question failed: %r", text[:200])
            msg = help_message("Sorry, something went wrong on our side while answering; it has been logged.")
        post(client, event, thread, msg)

    def answer_once(body: dict[str, Any], request: BoltRequest, client: WebClient,
                    event: dict[str, Any], *, thread: bool, what: str) -> BoltResponse | None:
        """Claim the event and answer it in the background; 503 (Slack retries) when the
        database cannot be reached, an apology on Slack's last retry."""
        event_id = body.get("event_id")
        try:
            first = True if not event_id else ledger.first_time(str(event_id))
        except OperationalError as exc:
            retry = _retry_num(request)
            log.error("%s %s not answered, the database is unreachable (Slack retry %d): %s",
                      what, event_id, retry, first_line(exc))
            if retry < LAST_RETRY:
                return BoltResponse(status=503, body="database unreachable; retry later")
            run_in_background(lambda: post(client, event, thread, _plain(NO_DATABASE)), what)
            return None
        if first:
            run_in_background(lambda: reply(client, event, thread), what)
        return None

    def from_a_bot(event: dict[str, Any]) -> bool:
        return bool(event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or event.get("bot_profile"))

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], body: dict[str, Any], request: BoltRequest,
                   client: WebClient) -> BoltResponse | None:
        if from_a_bot(event):
            return None
        return answer_once(body, request, client, event, thread=True, what="a mention")

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], request: BoltRequest,
                   client: WebClient, context: dict[str, Any]) -> BoltResponse | None:
        if event.get("channel_type") != "im" or from_a_bot(event):
            return None
        if event.get("user") and event.get("user") == context.get("bot_user_id"):
            return None
        return answer_once(body, request, client, event, thread=False, what="a direct message")


__all__: list[str] = ["register"]
