"""Which stored series are behind a source's last sessions."""

from __future__ import annotations

from datetime import date

from bot.domain.series import behind


def test_missing_and_earlier_series_are_behind_sorted() -> None:
    last = {"^GSPC": date(2026, 1, 6), "IWM": date(2026, 1, 6), "^RUT": date(2026, 1, 5)}
    stored = {"^GSPC": date(2026, 1, 5), "^RUT": date(2026, 1, 5), "XLK": date(2026, 1, 9)}
    assert behind(stored, last) == ["IWM", "^GSPC"]


def test_a_series_without_a_last_date_is_behind() -> None:
    assert behind({"^GSPC": None}, {"^GSPC": date(2026, 1, 6)}) == ["^GSPC"]


def test_nothing_is_behind_a_store_level_or_ahead() -> None:
    assert behind({"^GSPC": date(2026, 1, 7)}, {"^GSPC": date(2026, 1, 6)}) == []
    assert behind({}, {}) == []
