"""Pure, typed market analytics over numpy (and pandas): no I/O, no clock, no Slack.

The names below are imported on first use, so that a caller of the numpy-only entry
points (a one-shot command) never pays for importing pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analytics.errors import AnalyticsError, NoOverlapError, OutOfRangeError
    from analytics.leadership import YtdLeadership, session_move, ytd_leadership, ytd_returns
    from analytics.records import (
        RecordPoint,
        RecordSummary,
        record_closes,
        record_mask,
        record_summary,
        records_per_year,
    )
    from analytics.returns import PairFrame, align_pair, align_single, daily_returns, session_grid
    from analytics.runs import CurrentStreaks, Runs, comparison_signs, current_streaks, find_runs
    from analytics.streaks import Streak, StreakReport, as_of_position, streak_report, streak_table
    from analytics.tail_scan import pair_streaks

_WHERE = {
    "AnalyticsError": "analytics.errors",
    "NoOverlapError": "analytics.errors",
    "OutOfRangeError": "analytics.errors",
    "YtdLeadership": "analytics.leadership",
    "session_move": "analytics.leadership",
    "ytd_leadership": "analytics.leadership",
    "ytd_returns": "analytics.leadership",
    "RecordPoint": "analytics.records",
    "RecordSummary": "analytics.records",
    "record_closes": "analytics.records",
    "record_mask": "analytics.records",
    "record_summary": "analytics.records",
    "records_per_year": "analytics.records",
    "PairFrame": "analytics.returns",
    "align_pair": "analytics.returns",
    "align_single": "analytics.returns",
    "daily_returns": "analytics.returns",
    "session_grid": "analytics.returns",
    "CurrentStreaks": "analytics.runs",
    "Runs": "analytics.runs",
    "comparison_signs": "analytics.runs",
    "current_streaks": "analytics.runs",
    "find_runs": "analytics.runs",
    "Streak": "analytics.streaks",
    "StreakReport": "analytics.streaks",
    "as_of_position": "analytics.streaks",
    "streak_report": "analytics.streaks",
    "streak_table": "analytics.streaks",
    "pair_streaks": "analytics.tail_scan",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'analytics' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "AnalyticsError",
    "CurrentStreaks",
    "NoOverlapError",
    "OutOfRangeError",
    "PairFrame",
    "RecordPoint",
    "RecordSummary",
    "Runs",
    "Streak",
    "StreakReport",
    "YtdLeadership",
    "align_pair",
    "align_single",
    "as_of_position",
    "comparison_signs",
    "current_streaks",
    "daily_returns",
    "find_runs",
    "pair_streaks",
    "record_closes",
    "record_mask",
    "record_summary",
    "records_per_year",
    "session_grid",
    "session_move",
    "streak_report",
    "streak_table",
    "ytd_leadership",
    "ytd_returns",
]
