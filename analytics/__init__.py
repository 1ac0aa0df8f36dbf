"""Pure, typed market analytics over pandas/numpy: no I/O, no clock, no Slack."""

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
