"""The market-leadership summary of one session, as ``streakbot leaders`` prints it.

What the summary needs and nothing else: a :class:`Market`, the NYSE calendar, pandas and
the renderers; no SQLAlchemy, pydantic or Slack. So the full start
(:mod:`bot.daily.commands`: ``leaders``, the daily post, ``/leaders``) and the light
start of ``leaders`` on a ready SQLite store (:mod:`bot.cli`) build the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from datetime import time as clock_time

import pandas as pd

from bot.adapters.calendar import NyseCalendar
from bot.domain.errors import UserError
from bot.domain.provenance import source_words
from bot.domain.symbols import MAIN_INDICES, SECTOR_ETFS, SUMMARY_ANCHOR
from bot.render.daily import summary_text
from bot.render.format import fmt_date
from bot.render.stale import stale_note, with_note
from bot.services.market import Market, NoDataError
from bot.services.summary import PAIR_CANDIDATES, DailySummary, build_summary

__all__ = [
    "NYSE_CLOSE",
    "SUMMARY_SYMBOLS",
    "Prepared",
    "leaders_parts",
    "leaders_text",
    "prepare",
    "stale_note",
    "with_note",
]


def _summary_symbols() -> tuple[str, ...]:
    out: list[str] = list(MAIN_INDICES)
    for _, candidates in PAIR_CANDIDATES:
        for a, b, _label in candidates:
            out += [a, b]
    out += SECTOR_ETFS
    return tuple(dict.fromkeys(out))


# Every symbol the daily summary can use (whatever of them has data is used).
SUMMARY_SYMBOLS: tuple[str, ...] = _summary_symbols()
NYSE_CLOSE = clock_time(16, 0)  # a session closing before it is an early close (13:00)



@dataclass(frozen=True)
class Prepared:
    """A summary ready to render: ``session`` asked for, ``summary.session`` described."""

    session: date
    summary: DailySummary
    closes: dict[str, pd.Series]
    note: str | None

    @property
    def data_session(self) -> date:
        return self.summary.session


def _closes(market: Market) -> dict[str, pd.Series]:
    available = set(market.available())
    return {s: market.closes(s) for s in SUMMARY_SYMBOLS if s in available}


def _check_session(calendar: NyseCalendar, session: date) -> None:
    try:
        ok = calendar.is_session(session)
    except ValueError:
        raise UserError(
            f"{session:%Y-%m-%d} is outside the NYSE calendar "
            f"({fmt_date(calendar.start)} to {fmt_date(calendar.end)})."
        ) from None
    if not ok:
        raise UserError(f"{session:%Y-%m-%d} is not an NYSE session (holiday or weekend).")


def prepare(
    market: Market,
    calendar: NyseCalendar,
    session: date | None,
    now: datetime,
    *,
    allow_stale: bool,
    refresh_error: str | None = None,
) -> Prepared:
    """Build the summary for ``session`` (default: the latest session in the data).

    With ``session=None`` the note says when the data is behind the last completed NYSE
    session at ``now``. With a session after the data's end, ``allow_stale`` describes the
    latest session in the data with a "data as of" note (the daily post); otherwise it is
    an :class:`UserError` (``streakbot leaders --session``).
    """
    try:
        closes = _closes(market)
        spx = market.closes(SUMMARY_ANCHOR)  # the summary needs the S&P 500 on the session
    except NoDataError:
        raise UserError("No S&P 500 (^GSPC) data: the summary needs it.") from None
    first, last = spx.index[0].date(), spx.index[-1].date()
    note: str | None = None
    if session is None:
        target = last
        expected = calendar.last_completed_session(now)
        if last < expected:
            note = stale_note(last, expected, refresh_error, latest=True)
    else:
        _check_session(calendar, session)
        if session < first:
            raise UserError(
                f"No data for {fmt_date(session)}: the S&P 500 data starts {fmt_date(first)}."
            )
        if session > last:
            if not allow_stale:
                raise UserError(
                    f"No data for {fmt_date(session)} yet: the data ends {fmt_date(last)}."
                )
            target = last
            note = stale_note(last, session, refresh_error)
        else:
            target = session
    grid = market.sessions_between(pd.Timestamp(first), pd.Timestamp(target))
    early = calendar.session_close(target).time() < NYSE_CLOSE
    try:
        summary = build_summary(closes, target, grid, early_close=early)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    summary = replace(summary, source=source_words(market.origin, summary.symbols()))
    return Prepared(session if session is not None else target, summary, closes, note)


def leaders_text(market: Market, calendar: NyseCalendar, session: date | None, now: datetime) -> str:
    """What ``streakbot leaders [--session DATE]`` prints: the note (if any), a blank line,
    the summary. :class:`UserError` for a session it cannot describe."""
    note, body = leaders_parts(market, calendar, session, now)
    return with_note(note, body)


def leaders_parts(
    market: Market, calendar: NyseCalendar, session: date | None, now: datetime
) -> tuple[str | None, str]:
    """The note (the clock's part: the data behind the latest session) and the summary
    (the data's part) of :func:`leaders_text`."""
    prep = prepare(market, calendar, session, now, allow_stale=False)
    return prep.note, summary_text(prep.summary)
