"""The words of the alerts: the message of a session's notable events, and ``/alerts`` replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.domain.symbols import display_name
from bot.render.comeback import comeback_words
from bot.render.format import (
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct,
    fmt_range,
    ordinal_word,
    plural,
)
from bot.render.messages import Message, context, section
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.render.text import cap, the_name
from bot.services.alerts import (
    LONG_WAIT_SESSIONS,
    Notable,
    PastStreak,
    RecordEvent,
    StreakEvent,
    WatchList,
)

__all__ = [
    "ALERTS_USAGE",
    "alert_message",
    "alert_text",
    "event_lines",
    "status_lines",
    "watch_words",
]

ALERTS_USAGE = (
    "*Usage:* `/alerts on` — after each NYSE close, one message here when something notable happened.\n"
    "• `/alerts off` / `/alerts status` — stop them / what this channel gets and watches\n"
    "• `/alerts add RUT SPX` / `/alerts remove RUT SPX` — watch a pair's streaks (or stop)\n"
    "• `/alerts add NDX` / `/alerts remove NDX` — watch an index's record closes (or stop)\n"
    "• `/alerts threshold 10` — tell a streak the day it reaches N sessions, and when one that long ends\n"
    "Notable: a streak that reaches the threshold or becomes the longest in over a year, a record "
    "close (its Nth of the year; a first record in 250+ sessions), a streak of the threshold or "
    "more that ended."
)


def _since(s: PastStreak | None, data_start: date) -> str:
    if s is None:
        return f"the longest in the data, which starts {fmt_date(data_start)}"
    return f"the longest since {fmt_month(s.end)} ({plural(s.length, 'session')}, {fmt_range(s.start, s.end)})"


def _current_line(e: StreakEvent, threshold: int) -> str:
    line = (
        f"{cap(the_name(e.leader))} has outperformed {the_name(e.laggard)} for "
        f"{plural(e.length, 'straight session')} ({fmt_range(e.start, e.end)}), "
        f"{fmt_pct(e.leader_return)} vs {fmt_pct(e.laggard_return)}: {_since(e.longest_since, e.data_start)}."
    )
    if e.reached_threshold:
        line += f" It reached this channel's threshold of {plural(threshold, 'session')}."
    return line + _followed_words(e)


def _followed_words(e: StreakEvent) -> str:
    """`` What followed: after the one earlier streak this long (1996), ...`` or nothing."""
    f = e.followed
    if f is None:
        return ""
    cases = "the one earlier streak this long" if f.cases == 1 else f"the {f.cases} earlier streaks this long"
    when = f" ({', '.join(str(y) for y in f.years)})" if f.cases <= 4 else ""
    if f.median is None or f.counted == 0:
        return f" What followed {cases}{when} is not yet 21 sessions old in the data."
    lead = display_name(e.leader)
    how = "led" if f.median > 0 else "trailed"
    tail = f", ahead in {f.ahead} of {f.counted}" if f.counted > 1 else ""
    median = "" if f.counted == 1 else "a median of "
    return (f" After {cases}{when}, the {lead} {how} by {median}{abs(f.median) * 100:.2f} percentage points "
            f"over the next 21 sessions{tail}.")


def _ended_line(e: StreakEvent, session: date) -> str:
    return (
        f"{cap(the_name(e.leader))}'s streak of {plural(e.length, 'straight session')} outperforming "
        f"{the_name(e.laggard)} ended on {fmt_date(session)}: {fmt_range(e.start, e.end)}, "
        f"{fmt_pct(e.leader_return)} vs {fmt_pct(e.laggard_return)}, {_since(e.longest_since, e.data_start)}."
    )


def _record_line(r: RecordEvent) -> str:
    name = cap(the_name(r.symbol))
    nth = f"its {ordinal_word(r.nth_of_year)} closing record high of {r.year}"
    prev = r.previous
    if r.long_wait and prev is not None:
        return (
            f"{name} closed at a record {fmt_level(r.close)}: its first record since {fmt_date(prev.date)} "
            f"({plural(r.sessions_between or 0, 'session')} between, the previous record "
            f"{fmt_level(prev.close)}), and {nth}.{_record_followed_words(r)}"
        )
    line = f"{name} closed at a record {fmt_level(r.close)}: {nth}."
    if prev is not None:
        line += f" The previous record was {fmt_level(prev.close)} on {fmt_date(prev.date)}."
    return line


def _record_followed_words(r: RecordEvent) -> str:
    """`` After the 9 earlier first records in 250 or more sessions, ...`` or nothing."""
    f = r.followed
    if f is None:
        return ""
    return " " + comeback_words(r.symbol, LONG_WAIT_SESSIONS, f.years, f.median, f.ahead, f.counted)


def event_lines(n: Notable) -> list[str]:
    """One sentence per event: streaks in progress, records, then streaks that ended."""
    lines = [_current_line(e, n.threshold) for e in n.streaks if e.kind == "current"]
    lines += [_record_line(r) for r in n.records]
    lines += [_ended_line(e, n.session) for e in n.streaks if e.kind == "ended"]
    return lines


def _title(n: Notable) -> str:
    return f"Notable at the {fmt_date(n.session)} close"


def _footer(n: Notable, source: str | None) -> str:
    parts = [f"Source: {source}"] if source else []
    parts += ["streaks count sessions", f"threshold {plural(n.threshold, 'session')}", "`/alerts status`"]
    return " · ".join(parts)


def alert_text(n: Notable, source: str | None = None) -> str:
    """The plain-text alert (the message's fallback, and what ``streakbot alerts`` shows)."""
    return "\n".join([f"{_title(n)}:", *(f"• {line}" for line in event_lines(n)), _footer(n, source).replace("`", "")])


def alert_message(n: Notable, source: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """(plain-text fallback, Block Kit blocks) of a non-empty :class:`Notable`."""
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": _title(n)}}]
    blocks += [section(f"• {esc(line)}") for line in event_lines(n)]
    blocks.append(context(esc(_footer(n, source)).replace("\\`", "`")))
    return alert_text(n, source), blocks


# --------------------------------------------------------------------------- /alerts
def _pair_words(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{display_name(a)} vs {display_name(b)}" for a, b in pairs) or "none"


def watch_words(watch: WatchList) -> tuple[str, str]:
    """(pairs, record watch) in words."""
    records = ", ".join(display_name(s) for s in watch.records) or "none"
    return _pair_words(watch.pairs), records


def status_lines(
    enabled: bool, watch: WatchList, *, added: Sequence[tuple[str, str]], removed: Sequence[tuple[str, str]],
    failing: str | None, last: date | None,
) -> list[str]:
    """``/alerts status``: on or off, the threshold, what is watched, the last alert."""
    head = (
        "Alerts are *on* in this channel: one message after an NYSE close when something notable happened."
        if enabled else "Alerts are *off* in this channel (`/alerts on` turns them on)."
    )
    pairs, records = watch_words(watch)
    lines = [
        head,
        f"Threshold: {plural(watch.threshold, 'session')} (`/alerts threshold N`).",
        f"Streaks watched ({len(watch.pairs)}): {pairs}.",
        f"Record closes watched: {records}.",
    ]
    if added:
        lines.append(f"Added to the defaults: {_pair_words(added)}.")
    if removed:
        lines.append(f"Defaults removed: {_pair_words(removed)}.")
    lines.append(f"Last alert: the {fmt_date(last)} session." if last else "Last alert: none yet.")
    if failing:
        lines.append(
            f":warning: Alerts here are failing: Slack says `{failing}`. Invite @streakbot "
            "(`/invite @streakbot`), then `/alerts on` again."
        )
    return lines


def status_message(lines: Sequence[str]) -> Message:
    return Message("\n".join(lines).replace("*", "").replace("`", ""), [section(line) for line in lines])
