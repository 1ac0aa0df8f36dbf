"""Plain-word questions: ``@streakbot ...`` mentions (answered in a thread) and DMs."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.bootstrap import Services
from bot.market_calendar import NY_TZ
from bot.questions.answer import answer_text, help_message
from bot.slack.background import run_in_background
from bot.store.events import EventLedger

log = logging.getLogger(__name__)

IGNORED_SUBTYPES = {
    "bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave",
    "thread_broadcast", "me_message", "file_share",
}


def register(app: App, services: Services) -> None:
    ledger = EventLedger(services.engine)

    def once(body: dict[str, Any]) -> bool:
        event_id = body.get("event_id")
        return True if not event_id else ledger.first_time(str(event_id))

    def reply(client: WebClient, event: dict[str, Any], thread: bool) -> None:
        text = event.get("text") or ""
        now = services.clock()
        try:
            msg = answer_text(text, services.market, now, now.astimezone(NY_TZ).date())
        except Exception:
            log.exception("question failed: %r", text[:200])
            msg = help_message("Sorry, something went wrong on our side while answering; it has been logged.")
        kwargs: dict[str, Any] = {"channel": event["channel"], "text": msg.text, "blocks": msg.blocks}
        thread_ts = event.get("thread_ts") or (event.get("ts") if thread else None)
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        client.chat_postMessage(**kwargs)

    def from_a_bot(event: dict[str, Any]) -> bool:
        return bool(event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or event.get("bot_profile"))

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if from_a_bot(event) or not once(body):
            return
        run_in_background(lambda: reply(client, event, thread=True), "a mention")

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], client: WebClient,
                   context: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or from_a_bot(event):
            return
        if event.get("user") and event.get("user") == context.get("bot_user_id"):
            return
        if not once(body):
            return
        run_in_background(lambda: reply(client, event, thread=False), "a direct message")


__all__: list[str] = ["register"]
