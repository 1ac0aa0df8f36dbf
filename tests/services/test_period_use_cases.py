"""Period use cases on the real bundled data, and their edge cases on tiny fakes.

Expected values were computed by hand from the bundled CSVs with plain pandas, never by
calling the functions under test, e.g. for the YTD 2026 returns::

    g = read_csv("GSPC.csv.gz")["close"]; g["2026-09-17"] / g["2025-12-31"] - 1
    # 7637.76 / 6845.50 - 1 = +11.57%; len(g["2026-01-01":"2026-09-17"]) == 178

and for records ``rec = g > g.cummax().shift(1)`` (strictly above every earlier close):
70 in 2021, 1 in 2022 (Jan 3, 4,796.56), 0 in 2023, 57 in 2024 (Jan 19, 22, 23, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import pytest

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.domain.errors import UserError
from bot.services.day_move import DayMove, NotASession, day_move
from bot.services.losing_streaks import losing_streaks, relative_losing_streaks
from bot.services.market import Market
from bot.services.performance import pair_performance, period_change, sector_leadership, ytd_return
from bot.services.record_queries import (
    RecordMark,
    record_after,
    record_before,
    record_years,
    records_in_period,
    records_through_month,
    sessions_since_record,
)


@pytest.fixture(scope="module")
def market(calendar: NyseCalendar) -> Market:
    return Market(BundledSource(), calendar)


class FakeReader:
    """A PriceReader over a few closes by symbol (``{"^GSPC": {"2026-01-02": 100.0}}``)."""

    name = "bundled data"

    def __init__(self, closes: dict[str, dict[str, float]]) -> None:
        self._closes = closes

    def symbols(self) -> list[str]:
        return list(self._closes)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        out = {}
        for s in symbols:
            if s in self._closes:
                idx = pd.DatetimeIndex([pd.Timestamp(d) for d in self._closes[s]], name="date")
                out[s] = pd.DataFrame({"close": list(self._closes[s].values())}, index=idx)
        return out


# --------------------------------------------------------------------------- performance
def test_pair_ytd_starts_from_the_previous_years_last_close(market: Market) -> None:
    got = pair_performance(market, "small caps", "SPX", date(2026, 1, 1))
    assert (got.a.symbol, got.b.symbol) == ("^RUT", "^GSPC")
    assert (got.span.base, got.span.first, got.span.last) == (date(2025, 12, 31), date(2026, 1, 2), date(2026, 9, 17))
    assert got.span.sessions == 178 and got.span.gaps == () and got.span.open_end
    assert (got.a.base_close, got.a.close) == (2481.91, 2874.63)
    assert (got.b.base_close, got.b.close) == (6845.5, 7637.76)
    assert got.a.change == pytest.approx(2874.63 / 2481.91 - 1)
    assert got.b.change == pytest.approx(7637.76 / 6845.5 - 1)
    assert got.leader == "^RUT" and got.laggard == "^GSPC"
    assert got.margin == pytest.approx((2874.63 / 2481.91) - (7637.76 / 6845.5))


def test_pair_over_a_past_year(market: Market) -> None:
    got = pair_performance(market, "RUT", "SPX", date(2022, 1, 1), date(2022, 12, 31))
    assert (got.span.base, got.span.last, got.span.sessions) == (date(2021, 12, 31), date(2022, 12, 30), 251)
    assert not got.span.open_end
    assert got.a.change == pytest.approx(1761.25 / 2245.31 - 1)  # -21.56%
    assert got.b.change == pytest.approx(3839.5 / 4766.18 - 1)  # -19.44%
    assert got.leader == "^GSPC"


def test_pair_refuses_the_same_symbol_twice_and_a_period_after_the_data(market: Market) -> None:
    with pytest.raises(UserError, match="Both symbols resolve to"):
        pair_performance(market, "SPX", "S&P 500", date(2026, 1, 1))
    with pytest.raises(UserError, match="after the last close"):
        pair_performance(market, "RUT", "SPX", date(2027, 1, 1))


def test_ytd_return_of_one_symbol(market: Market) -> None:
    now = ytd_return(market, "S&P 500")
    assert now.ytd == 2026 and now.span.base == date(2025, 12, 31)
    assert now.side.change == pytest.approx(7637.76 / 6845.5 - 1)
    whole = ytd_return(market, "SPX", year=2025)
    assert (whole.span.base, whole.span.last, whole.span.sessions) == (date(2024, 12, 31), date(2025, 12, 31), 250)
    assert whole.side.change == pytest.approx(6845.5 / 5881.63 - 1)  # +16.39%
    with pytest.raises(UserError, match="no close of 1986"):
        ytd_return(market, "RUT", year=1987)  # the Russell starts Sep 10, 1987


def test_a_gap_inside_the_period_is_reported_not_bridged(calendar: NyseCalendar) -> None:
    # Jan 6, 2026 is an NYSE session missing from the Russell's closes.
    days = ["2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"]
    spx = dict(zip(days, [100.0, 101.0, 102.0, 103.0, 104.0], strict=True))
    rut = {d: v for d, v in zip(days, [50.0, 51.0, 52.0, 53.0, 54.0], strict=True) if d != "2026-01-06"}
    m = Market(FakeReader({"^GSPC": spx, "^RUT": rut}), calendar)
    got = pair_performance(m, "RUT", "SPX", date(2026, 1, 5), date(2026, 1, 8))
    assert got.span.gaps == (date(2026, 1, 6),)
    assert got.a.change is None and got.leader is None and got.margin is None
    assert got.b.change == pytest.approx(104 / 100 - 1)
    # A period after the gap is measured.
    after = pair_performance(m, "RUT", "SPX", date(2026, 1, 8), date(2026, 1, 8))
    assert after.span.gaps == () and after.a.change == pytest.approx(54 / 53 - 1)
    single = period_change(m, "RUT", date(2026, 1, 5), date(2026, 1, 7))
    assert single.side.change is None and single.span.gaps == (date(2026, 1, 6),)


def test_sectors_ranked_by_total_return_and_the_short_series_left_out(market: Market) -> None:
    today = sector_leadership(market, None)
    assert today.span.last == date(2026, 8, 21) and today.span.sessions == 1
    assert [s.symbol for s in today.ranked][:1] == ["XLV"] and today.ranked[-1].symbol == "XLU"
    assert today.ranked[0].change == pytest.approx(174.62 / 172.39 - 1)  # +1.29%
    assert today.ranked[-1].change == pytest.approx(42.77 / 43.77 - 1)  # -2.28%
    assert {(x.symbol, x.last_date, x.reason) for x in today.left_out} == {
        (s, date(2026, 7, 1), "ends_before") for s in ("XLB", "XLRE", "XLC")
    }
    ytd = sector_leadership(market, date(2026, 1, 1))
    assert ytd.span.base == date(2025, 12, 31) and ytd.span.sessions == 160
    assert [s.symbol for s in ytd.ranked][:2] == ["XLE", "XLK"]
    assert ytd.ranked[0].change == pytest.approx(63.64 / 44.4198 - 1)  # +43.27%
    changes = [s.change or 0.0 for s in ytd.ranked]
    assert changes == sorted(changes, reverse=True)


# --------------------------------------------------------------------------- a day's move
def test_day_move_on_a_past_date_and_today(market: Market) -> None:
    got = day_move(market, "the Dow", date(2020, 3, 16))
    assert isinstance(got, DayMove)
    assert (got.close, got.previous_session, got.previous_close) == (20188.52, date(2020, 3, 13), 23185.62)
    assert got.change == pytest.approx(20188.52 / 23185.62 - 1)  # -12.93%
    latest = day_move(market, "SPX")
    assert isinstance(latest, DayMove) and latest.session == date(2026, 9, 17)
    assert latest.previous_session == date(2026, 9, 16)


def test_a_day_that_is_not_a_session_names_the_nearest_ones(market: Market) -> None:
    got = day_move(market, "SPX", date(2026, 7, 3))  # Independence Day observed
    assert got == NotASession("^GSPC", date(2026, 7, 3), date(2026, 7, 2), date(2026, 7, 6), "bundled")
    with pytest.raises(UserError, match="after the last close in the data for \\^GSPC"):
        day_move(market, "SPX", date(2026, 9, 18))
    with pytest.raises(UserError, match="before the data for \\^RUT starts"):
        day_move(market, "RUT", date(1980, 1, 2))


# --------------------------------------------------------------------------- records
def test_records_per_year_in_periods(market: Market) -> None:
    counts = [records_in_period(market, "SPX", date(y, 1, 1), date(y, 12, 31)).count for y in (2021, 2022, 2023, 2024)]
    assert counts == [70, 1, 0, 57]
    first = records_in_period(market, "SPX", date(2022, 1, 1), date(2022, 12, 31), which="first")
    assert first.chosen == RecordMark(date(2022, 1, 3), 4796.56)
    third = records_in_period(market, "SPX", date(2024, 1, 1), date(2024, 12, 31), which=3)
    assert third.chosen == RecordMark(date(2024, 1, 23), 4864.60)
    none = records_in_period(market, "SPX", date(2023, 1, 1), date(2023, 12, 31), which="last")
    assert none.chosen is None and none.count == 0
    with pytest.raises(UserError, match="count from 1"):
        records_in_period(market, "SPX", None, None, which=0)


def test_record_before_and_after_a_date(market: Market) -> None:
    assert record_before(market, "SPX", date(2024, 1, 1)).chosen == RecordMark(date(2022, 1, 3), 4796.56)
    assert record_after(market, "SPX", date(2022, 1, 4)).chosen == RecordMark(date(2024, 1, 19), 4839.81)


def test_records_through_a_month(market: Market) -> None:
    june = records_through_month(market, "SPX", 2026, 6)
    assert (june.start, june.end, june.last) == (date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 30))
    assert june.count == 24 and not june.open_end  # the README's 27 through Aug 13 less Aug 4, 7, 13


def test_sessions_since_the_last_record(market: Market) -> None:
    got = sessions_since_record(market, "RUT")
    assert got.last == RecordMark(date(2026, 8, 14), 3068.42)
    assert got.sessions_since == 23  # rows after Aug 14 up to Sep 17, 2026
    assert got.previous == RecordMark(date(2026, 8, 13), 3052.85) and got.gap == 1


def test_best_and_worst_years_by_record_count(market: Market) -> None:
    got = record_years(market, "SPX")
    assert got.best(5) == ((1995, 77), (2021, 70), (1964, 62), (2017, 62), (2024, 57))
    assert got.fewest == 0 and len(got.worst) == 52 and got.worst[-1] == 2023
    assert got.per_year[0] == (1927, 0) and got.first_partial and got.last_partial


def test_adjusted_etfs_are_refused_for_price_records(market: Market) -> None:
    for call in (
        lambda: records_in_period(market, "SPY", date(2024, 1, 1), date(2024, 12, 31)),
        lambda: sessions_since_record(market, "XLK"),
        lambda: record_years(market, "IWM"),
    ):
        with pytest.raises(UserError, match="dividend-adjusted, so price records would be wrong"):
            call()


# --------------------------------------------------------------------------- losing streaks
def test_losing_streaks_of_one_symbol(market: Market) -> None:
    now = losing_streaks(market, "SPX")
    assert now.as_of_status == "up" and now.current is None
    assert now.last is not None and (now.last.start, now.last.end, now.last.length) == (date(2026, 9, 14), date(2026, 9, 16), 3)
    assert now.longest is not None and (now.longest.start, now.longest.end, now.longest.length) == (
        date(1966, 4, 22), date(1966, 5, 9), 12,
    )
    then = losing_streaks(market, "SPX", as_of=date(2026, 9, 16))
    assert then.current is not None and then.current.length == 3
    assert then.longest_since is not None and then.longest_since.length == 4
    assert then.longest_since.start == date(2026, 9, 4)


def test_the_laggards_longest_losing_streak(market: Market) -> None:
    # The README's 16 sessions of the Russell beating the S&P 500 (Apr 16 - May 7, 1996).
    got = relative_losing_streaks(market, "SPX", "RUT")
    lo = got.longest
    assert lo is not None and (lo.start, lo.end, lo.length) == (date(1996, 4, 16), date(1996, 5, 7), 16)
    assert (lo.return_a, lo.return_b) == pytest.approx((-0.0066, 0.0364), abs=5e-5)  # -0.66% vs +3.64%
    back = relative_losing_streaks(market, "RUT", "SPX", since=date(2024, 1, 1))
    assert back.as_of_status == "down" and back.current is not None and back.current.length == 1
    assert back.longest is not None and (back.longest.start, back.longest.length) == (date(2024, 1, 9), 8)


def test_a_losing_streak_after_a_gap_says_so(calendar: NyseCalendar) -> None:
    days = ["2026-01-02", "2026-01-05", "2026-01-07", "2026-01-08", "2026-01-09"]  # no Jan 6
    m = Market(FakeReader({"^GSPC": dict(zip(days, [100.0, 99.0, 98.0, 97.0, 96.0], strict=True))}), calendar)
    got = losing_streaks(m, "SPX")
    assert got.current is not None and (got.current.start, got.current.length) == (date(2026, 1, 8), 2)
    assert got.preceded_by_gap


def test_ytd_as_of_new_years_day_is_the_previous_year(market: Market) -> None:
    got = ytd_return(market, "SPX", as_of=date(2026, 1, 1))
    assert got.ytd == 2025 and got.span.last == date(2025, 12, 31)
    assert got.side.change == pytest.approx(6845.5 / 5881.63 - 1)
