"""The date format shared by answers and error messages."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from bot.domain.dates import day_of, fmt_date
from bot.render import format as render_format


def test_fmt_date_for_dates_datetimes_and_timestamps() -> None:
    assert fmt_date(date(2026, 1, 2)) == "Jan 2, 2026"
    assert fmt_date(datetime(1996, 5, 7, 16, 0)) == "May 7, 1996"
    assert fmt_date(pd.Timestamp("2025-12-24")) == "Dec 24, 2025"
    assert day_of(pd.Timestamp("2025-12-24 13:00")) == date(2025, 12, 24)


def test_the_render_format_is_the_same_function() -> None:
    assert render_format.fmt_date is fmt_date
