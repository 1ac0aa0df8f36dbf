"""Desk phrasings and the question each one must be read as (issue 11).

Each row: (question, intent, symbols, period, direction, ordinal). A row whose intent is
``"unknown"`` must come back not understood, with the words it could not use in
``unused``: answering it with another question's figure is the failure this guards.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions import Period, Question, parse_question
from bot.questions.parser import ELECTION_DAYS, Bound, significant_words

TODAY = date(2026, 11, 26)  # a Thursday
AVAILABLE = frozenset({"^GSPC", "^RUT", "^NDX", "^IXIC", "^DJI", "^VIX", "SPY", "IWM", "QQQ",
                       "RSP", "XLK", "XLE", "XLU", "XLF"})
RUT, SPX, NDX, IXIC, DJI = "^RUT", "^GSPC", "^NDX", "^IXIC", "^DJI"

NONE = Period("none")
THIS_YEAR = Period("year", year=2026)


def Y(year: int) -> Period:
    return Period("year", year=year)


def SINCE(year: int) -> Period:
    return Period("since_year", year=year)


def D(y: int, m: int, d: int) -> Period:
    return Period("date", date=date(y, m, d))


def M(y: int, m: int) -> Period:
    return Period("month", year=y, month=m)


THIS_WEEK = Period("week", date=date(2026, 11, 23))
LAST_WEEK = Period("week", date=date(2026, 11, 16))
THIS_MONTH = M(2026, 11)
LAST_MONTH = M(2026, 10)
ELECTION = Period("since_date", date=date(2024, 11, 5), event="election")

Row = tuple[str, str, tuple[str, ...], Period, str, int | None]

# Names as desks write them, with what they resolve to.
ONE = [("the S&P 500", SPX), ("the Russell", RUT), ("the Dow", DJI)]
MORE_ONE = [("small caps", RUT), ("spx", SPX), ("the nasdaq", IXIC)]
PAIRS = [("small caps", "large caps", RUT, SPX), ("RUT", "SPX", RUT, SPX),
         ("tech", "the Dow", NDX, DJI)]

# Templates over one symbol: {a} is the name.
ONE_TEMPLATES: list[tuple[str, str, Period, str, int | None]] = [
    ("How many record closes has {a} had this year?", "record_count", THIS_YEAR, "none", None),
    ("how many records did {a} set in 2022", "record_count", Y(2022), "none", None),
    ("did {a} set a record in 2022?", "record_count", Y(2022), "none", None),
    ("{a} record closes last month", "record_count", LAST_MONTH, "none", None),
    ("how many records has {a} had this month", "record_count", THIS_MONTH, "none", None),
    ("how many all-time highs for {a} this week", "record_count", THIS_WEEK, "none", None),
    ("records for {a} since the election", "record_count", ELECTION, "none", None),
    ("how many record closes has {a} had since the election?", "record_count", ELECTION,
     "none", None),
    ("What was the first record close for {a} in 2024?", "nth_record", Y(2024), "none", 1),
    ("first record of 2024 for {a}", "nth_record", Y(2024), "none", 1),
    ("when did {a} set its first all-time high of the year", "nth_record", THIS_YEAR, "none", 1),
    ("{a}'s second record close in 2021", "nth_record", Y(2021), "none", 2),
    ("what was the 10th record for {a} in 2024", "nth_record", Y(2024), "none", 10),
    ("last record close for {a} in 2022", "nth_record", Y(2022), "none", -1),
    ("when was {a}'s last record before 2024?", "nth_record", NONE, "none", -1),
    ("what was {a}'s first record after June 2022", "nth_record", NONE, "none", 1),
    ("{a}'s first record after the 2022 low", "unknown", Y(2022), "none", None),
    ("how many records has {a} had through June", "records_through", Y(2026), "none", None),
    ("{a} record closes through June 2024", "records_through", Y(2024), "none", None),
    ("how many sessions since {a}'s last record?", "sessions_since_record", NONE, "none", -1),
    ("how many trading days since {a} hit an all-time high", "sessions_since_record", NONE,
     "none", None),
    ("which year had the most record closes for {a}?", "record_year_rank", NONE, "none", None),
    ("best year for {a} records", "record_year_rank", NONE, "none", None),
    ("worst year for {a} records since 2000", "record_year_rank", SINCE(2000), "down", None),
    ("When was the last record close for {a}?", "last_record", NONE, "none", -1),
    ("is {a} at a record?", "is_record", NONE, "none", None),
    ("was {a} at a record on 3/16/2020", "is_record", D(2020, 3, 16), "none", None),
    ("how far is {a} below its record", "below_record", NONE, "none", None),
    ("how far down from its record is {a}", "below_record", NONE, "down", None),
    ("what was the record before the last one for {a}?", "previous_record", NONE, "none", -2),
    ("How many days in a row has {a} gone up?", "index_streak", NONE, "up", None),
    ("how many days in a row has {a} fallen?", "losing_streak", NONE, "down", None),
    ("is {a} on a losing streak", "losing_streak", NONE, "down", None),
    ("{a} down days in a row", "losing_streak", NONE, "down", None),
    ("longest losing streak for {a}", "losing_streak", NONE, "down", None),
    ("what did {a} do today", "day_move", NONE, "none", None),
    ("how did {a} do on 3/16/2020", "day_move", D(2020, 3, 16), "none", None),
    ("how much did {a} move yesterday", "day_move", D(2026, 11, 25), "none", None),
    ("{a} ytd return", "ytd_return", THIS_YEAR, "none", None),
    ("what is {a} up year to date", "ytd_return", THIS_YEAR, "up", None),
    ("how is {a} doing ytd", "ytd_return", THIS_YEAR, "none", None),
    # qualifiers no answer uses: never dropped
    ("how far below its record was {a} in 2022", "unknown", Y(2022), "none", None),
    ("{a} records in the past 3 months", "unknown", NONE, "none", None),
    ("how did {a} do over the last 10 days", "symbol_performance",
     Period("sessions", sessions=10), "none", None),
    ("is {a} up 5 days in a row this week", "unknown", THIS_WEEK, "up", None),
]

PAIR_TEMPLATES: list[tuple[str, str, Period, str, int | None]] = [
    ("Are {a} beating {b}?", "current_streak", NONE, "none", None),
    ("{a} vs {b}", "current_streak", NONE, "none", None),
    ("who's leading, {a} or {b}?", "current_streak", NONE, "none", None),
    ("{a} vs {b} as of 2026-01-22", "current_streak", D(2026, 1, 22), "none", None),
    ("are {a} losing to {b}", "current_streak", NONE, "down", None),
    ("longest streak of {a} beating {b} since 2020", "longest_streak", SINCE(2020), "none",
     None),
    ("longest streak ever for {a} vs {b}", "longest_streak", NONE, "none", None),
    ("longest losing streak for {a} vs {b}", "laggard_losing_streak", NONE, "down", None),
    ("{a} vs {b} this week", "pair_performance", THIS_WEEK, "none", None),
    ("{a} vs {b} last week", "pair_performance", LAST_WEEK, "none", None),
    ("{a} vs {b} month to date", "pair_performance", THIS_MONTH, "none", None),
    ("how did {a} do against {b} last month", "pair_performance", LAST_MONTH, "none", None),
    ("{a} vs {b} in March 2025", "pair_performance", M(2025, 3), "none", None),
    ("{a} vs {b} ytd", "pair_performance", THIS_YEAR, "none", None),
    ("{a} vs {b} in 2022", "pair_performance", Y(2022), "none", None),
    ("how have {a} done vs {b} since the election", "pair_performance", ELECTION, "none",
     None),
    ("{a} vs {b} since 3/16/2020", "pair_performance", Period("since_date",
                                                              date=date(2020, 3, 16)),
     "none", None),
    ("has {a} beaten {b} since 2021", "pair_performance", SINCE(2021), "none", None),
    ("has {a} ever beaten {b} for 15 days straight", "run_at_least", NONE, "none", None),
    ("{a} vs {b} over the past 10 days", "pair_performance", Period("sessions", sessions=10),
     "none", None),
    ("{a} vs {b} the last 20 sessions", "pair_performance", Period("sessions", sessions=20),
     "none", None),
    ("how have {a} done vs {b} over the past two weeks", "pair_performance",
     Period("sessions", sessions=10), "none", None),
]

OTHER: list[Row] = [
    ("which sector is leading", "sector_leadership", (), NONE, "none", None),
    ("which sector is leading this week", "sector_leadership", (), THIS_WEEK, "none", None),
    ("best performing sector ytd", "sector_leadership", (), THIS_YEAR, "none", None),
    ("what's the top sector today", "sector_leadership", (), NONE, "none", None),
    ("equal weight vs cap weight", "equal_vs_cap", ("RSP", "SPY"), NONE, "none", None),
    ("equal weight vs cap weight ytd", "equal_vs_cap", ("RSP", "SPY"), THIS_YEAR, "none",
     None),
    ("is equal-weight beating the cap-weighted S&P this year", "equal_vs_cap", ("RSP", "SPY"),
     THIS_YEAR, "none", None),
    ("S&P500 records this year", "record_count", (SPX,), THIS_YEAR, "none", None),
    ("sp500 at a record?", "is_record", (SPX,), NONE, "none", None),
    ("r2k vs spx", "current_streak", (RUT, SPX), NONE, "none", None),
    ("RTY vs SPX this week", "pair_performance", (RUT, SPX), THIS_WEEK, "none", None),
    ("XLE vs XLU", "current_streak", ("XLE", "XLU"), NONE, "none", None),
    ("energy vs utilities last month", "pair_performance", ("XLE", "XLU"), LAST_MONTH, "none",
     None),
    ("How many all-time highs did the S&P 500 set in 2024?", "record_count", (SPX,), Y(2024),
     "none", None),
    ("How many records has the Dow had since 2021?", "record_count", (DJI,), SINCE(2021),
     "none", None),
    ("Was the Russell at a record on Sep 18 2025?", "is_record", (RUT,), D(2025, 9, 18),
     "none", None),
    ("S&P records before 2024 and after 2020", "unknown", (SPX,), NONE, "none", None),
    ("S&P records from 2021 to 2023", "unknown", (SPX,), Y(2021), "none", None),
    ("S&P vs ARKK streak", "unknown", (SPX,), NONE, "none", None),  # ARKK has no data
    ("how many records for SPX and TSLA", "unknown", (SPX,), THIS_YEAR, "none", None),
    ("RUT vs ZZZZ", "unknown", (RUT,), NONE, "none", None),
    ("vix records in 2020", "record_count", ("^VIX",), Y(2020), "none", None),
    ("is the VIX at a record", "is_record", ("^VIX",), NONE, "none", None),
]


def _rows() -> list[Row]:
    rows: list[Row] = []
    for name, sym in ONE + MORE_ONE:
        for text, intent, period, direction, ordinal in ONE_TEMPLATES:
            rows.append((text.format(a=name), intent, (sym,), period, direction, ordinal))
    for a, b, sa, sb in PAIRS:
        for text, intent, period, direction, ordinal in PAIR_TEMPLATES:
            rows.append((text.format(a=a, b=b), intent, (sa, sb), period, direction, ordinal))
    rows.extend(OTHER)
    return list(dict.fromkeys(rows))


ROWS = _rows()


def parse(text: str) -> Question:
    return parse_question(text, today=TODAY, available=AVAILABLE)


def test_the_table_is_big_and_covers_the_new_intents() -> None:
    assert len(ROWS) >= 200
    assert len({r[0] for r in ROWS}) == len(ROWS)
    new = {"nth_record", "records_through", "sessions_since_record", "record_year_rank",
           "losing_streak", "laggard_losing_streak", "pair_performance", "day_move",
           "ytd_return", "sector_leadership", "equal_vs_cap", "unknown"}
    assert new <= {r[1] for r in ROWS}


@pytest.mark.parametrize(("text", "intent", "symbols", "period", "direction", "ordinal"), ROWS)
def test_phrasing(text: str, intent: str, symbols: tuple[str, ...], period: Period,
                  direction: str, ordinal: int | None) -> None:
    q = parse(text)
    got = (q.intent, q.symbols, q.period, q.direction, q.ordinal if intent != "unknown" else None)
    assert got == (intent, symbols, period, direction, ordinal)
    if intent == "unknown":
        assert q.unused, "a question not understood says which words"
    else:
        assert q.unused == ()


PERIOD_WORDS = ("this year", "in 20", "since", "this week", "last week", "month to date",
                "last month", "ytd", "year to date", "march 2025", "june", "on 3/16/2020",
                "yesterday", "election", "as of 2026", "past", "last 20")


@pytest.mark.parametrize("row", [r for r in ROWS if any(w in r[0].lower() for w in PERIOD_WORDS)],
                         ids=lambda r: r[0])
def test_a_period_word_is_never_dropped(row: Row) -> None:
    q = parse(row[0])
    if q.intent == "unknown":
        assert q.unused
    elif q.intent != "sessions_since_record":  # "since its last record" is that question
        assert q.period.kind != "none" or q.bound is not None, row[0]


def test_significant_words() -> None:
    assert significant_words("Is the S&P up 5 days in a row since June, or losing?") == (
        "5", "since", "june", "losing")


def test_bounds() -> None:
    q = parse("when was the S&P's last record before 2024?")
    assert q.bound == Bound("before", date(2024, 1, 1), "before 2024")
    q = parse("how many records has the Dow had through June 2024")
    assert q.bound == Bound("through", date(2024, 6, 30), "through june 2024")
    assert q.period == Y(2024)
    q = parse("first S&P record after 3/16/2020")
    assert (q.intent, q.ordinal) == ("nth_record", 1)
    assert q.bound == Bound("after", date(2020, 3, 16), "after 3/16/2020")


def test_the_election_is_the_latest_election_day_up_to_today() -> None:
    assert ELECTION_DAYS[-1] == date(2024, 11, 5)
    q = parse_question("S&P records since the election", today=date(2022, 1, 3),
                       available=AVAILABLE)
    assert q.period == Period("since_date", date=date(2020, 11, 3), event="election")
    assert parse("S&P records since the 2016 election").period.date == date(2016, 11, 8)


def test_unused_words_are_quoted_as_written() -> None:
    q = parse("has the russell beaten the s&p for 3 weeks straight")
    assert q.intent == "unknown"
    assert q.understood == "current_streak"
    assert q.window == 3
    assert q.unused == ("for 3 weeks straight",)


def test_a_run_length_is_a_question_about_runs() -> None:
    q = parse("has the russell ever beaten the s&p for 15 days straight")
    assert (q.intent, q.window, q.ever, q.unused) == ("run_at_least", 15, True, ())
    q = parse("has the Dow fallen 10 sessions in a row")
    assert (q.intent, q.window, q.ever, q.direction) == ("run_at_least", 10, False, "down")


# --------------------------------------------------------------------------- property
WORDS = ["the", "S&P", "Russell", "small caps", "vs", "records", "record", "how many", "first",
         "last", "before", "after", "through", "since", "losing", "falling", "down", "worst",
         "this week", "last month", "June", "2022", "3/16/2020", "15", "days", "in a row",
         "streak", "longest", "beating", "ytd", "election", "today", "sector", "is", "at a",
         "when", "was", "did", "do", "year", "quarter", "ago", "2nd", "previous"]


_DOWN = {"losing", "falling", "down", "worst"}
_ORDINAL = {"first", "last", "2nd", "previous"}
_PERIODISH = {"this week", "last month", "June", "2022", "3/16/2020", "ytd", "election",
              "year", "quarter", "ago"}


CORES = ["how many records has the S&P had", "is the Dow at a record", "small caps vs the S&P",
         "first record for the Russell", "longest streak of small caps beating large caps",
         "how many days in a row has the Dow gone up", "when was the last record for the S&P",
         "how did the nasdaq do", "which sector is leading"]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    st.tuples(st.sampled_from(CORES), st.lists(st.sampled_from(WORDS), max_size=3)).map(
        lambda t: [*t[0].split(), *t[1]]),
)


@settings(max_examples=800, deadline=None)
@given(texts)
def test_every_significant_word_is_used_or_the_reply_is_not_understood(words: list[str]) -> None:
    text = " ".join(words)
    q = parse(text)
    if q.intent in ("unknown", "help"):
        if q.intent == "unknown" and q.understood is not None:
            assert q.unused  # what made it not understood is said
        return
    assert q.unused == ()
    used = set(words)
    # a direction word is read as a direction, or belongs to a phrase the intent reads
    # ("losing streak", "down days")
    if used & _DOWN and q.intent not in ("current_streak", "longest_streak",
                                         "laggard_losing_streak", "sector_leadership"):
        assert q.direction == "down", text
    if "first" in used or ("2nd" in used and q.period.kind != "date"):  # "June 2nd" is a day
        assert q.ordinal is not None and q.ordinal > 0, text
    if used & {"last", "previous"} and q.intent in ("nth_record", "last_record",
                                                     "previous_record"):
        assert q.ordinal is not None and q.ordinal < 0, text
    if used & {"before", "after", "through"} and q.intent != "previous_record":
        assert q.bound is not None, text
    if used & {"15"}:
        assert q.window is not None or q.bound is not None or q.period.kind == "date", text
    if used & _PERIODISH and q.intent not in ("record_year_rank",):
        assert q.period.kind != "none" or q.bound is not None, text
