"""The ``--json`` form of ``streak`` and ``records`` answers (keys documented in the README).

Dates are ISO ``YYYY-MM-DD``; returns and distances are fractions.
"""

from __future__ import annotations

from typing import Any

from analytics.records import RecordPoint
from analytics.streaks import Streak
from bot.domain.symbols import display_name
from bot.render.text import milestone_what
from bot.services.answers import RecordsAnswer, StreakAnswer

__all__ = ["records_json", "streak_json"]


def _span(s: Streak | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"start": s.start.date().isoformat(), "end": s.end.date().isoformat(), "length": s.length}


def streak_json(ans: StreakAnswer) -> dict[str, Any]:
    """``streak --json``: the current streak, its context and the data's provenance."""
    r = ans.report
    cur = r.current
    lead_ret, lag_ret = ans.oriented(cur) if cur else (None, None)
    out: dict[str, Any] = {
        "kind": "pair" if ans.b is not None else "single",
        "symbols": [ans.a] + ([ans.b] if ans.b else []),
        "status": r.status,
        "leader": ans.leader,
        "laggard": ans.laggard,
        "length": cur.length if cur else 0,
        "start": cur.start.date().isoformat() if cur else None,
        "end": cur.end.date().isoformat() if cur else None,
        "as_of": r.as_of.date().isoformat(),
        "leader_return": lead_ret,
        "laggard_return": lag_ret,
        "longest_since": _span(r.longest_since),
        "record": _span(r.record),
        "data_start": r.data_start.date().isoformat(),
        "preceded_by_gap": r.preceded_by_gap,
        "gaps": [d.date().isoformat() for d in r.gaps],
        "data_as_of": ans.freshness.data_as_of.isoformat(),
        "stale": ans.freshness.stale,
        "source": ans.source,
        "margin": ans.margin,
        "photo_finish": ans.photo_finish,
        "milestones": [
            {"length": m.length, "sessions_to_go": m.sessions_to_go, "what": milestone_what(m)}
            for m in ans.milestones
        ],
    }
    if ans.b is None:
        out["direction"] = None if cur is None else ("up" if cur.sign > 0 else "down")
        out["records"] = {"up": _span(r.records[1]), "down": _span(r.records[-1])}
    else:
        out["records"] = {ans.a: _span(r.records[1]), ans.b: _span(r.records[-1])}
    return out


def _point(p: RecordPoint | None) -> dict[str, Any] | None:
    return None if p is None else {"date": p.date.date().isoformat(), "close": p.close}


def records_json(ans: RecordsAnswer) -> dict[str, Any]:
    """``records --json``: the record facts of one symbol as of one session."""
    s = ans.summary
    return {
        "symbol": ans.symbol,
        "name": display_name(ans.symbol),
        "as_of": s.as_of.date().isoformat(),
        "close": s.close,
        "year": s.year,
        "count": s.count,
        "dates": [d.date().isoformat() for d in s.dates],
        "is_record": s.is_record,
        "nth_of_year": s.nth_of_year,
        "last_record": _point(s.last_record),
        "previous_record": _point(s.previous_record),
        "sessions_since_last_record": s.last_record.sessions_ago if s.last_record else None,
        "sessions_between_last_two_records": s.gap_sessions,
        "high_water": s.high_water,
        "pct_below_record": s.pct_below_record,
        "gain_to_record": None if s.last_record is None else s.high_water / s.close - 1,
        "pace": None if ans.pace is None else {
            "count": ans.pace.count, "sessions_so_far": ans.pace.sessions_so_far,
            "sessions_in_year": ans.pace.sessions_in_year, "projected": ans.pace.projected,
            "best": [{"year": y, "count": c} for y, c in ans.pace.best],
        },
        "data_start": s.data_start.date().isoformat(),
        "data_as_of": ans.freshness.data_as_of.isoformat(),
        "stale": ans.freshness.stale,
        "source": ans.source,
    }
