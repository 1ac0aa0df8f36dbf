"""The plain-English question parser: a phrasing table plus property tests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions import (
    EXAMPLES,
    INTENTS,
    MAX_CHARS,
    Period,
    Question,
    clean_text,
    describe_period,
    parse_question,
)

TODAY = date(2026, 11, 26)
AVAILABLE = frozenset({"^GSPC", "^RUT", "^NDX", "^IXIC", "^DJI", "SPY", "IWM", "QQQ"})

NONE = Period("none")
THIS_YEAR = Period("year", year=2026)
LAST_YEAR = Period("year", year=2025)
Y2024 = Period("year", year=2024)
SINCE_2021 = Period("since_year", year=2021)
JAN22 = Period("date", date=date(2026, 1, 22))
YESTERDAY = Period("date", date=date(2026, 11, 25))

RUT, SPX, NDX, IXIC, DJI = "^RUT", "^GSPC", "^NDX", "^IXIC", "^DJI"


def parse(text: str, available: frozenset[str] = AVAILABLE) -> Question:
    return parse_question(text, today=TODAY, available=available)


# (question, intent, symbols, period)
CASES: list[tuple[str, str, tuple[str, ...], Period]] = [
    # --- record_count (no period -> this year)
    ("How many record closes has the Russell had this year?", "record_count", (RUT,), THIS_YEAR),
    ("how many all-time highs did the S&P 500 set in 2024", "record_count", (SPX,), Y2024),
    ("number of record highs for the Dow since 2021", "record_count", (DJI,), SINCE_2021),
    ("count of records for nasdaq last year", "record_count", (IXIC,), LAST_YEAR),
    ("How many record closes for small caps?", "record_count", (RUT,), THIS_YEAR),
    ("how many records did the nasdaq 100 set during 2024", "record_count", (NDX,), Y2024),
    ("number of all time highs for blue chips for 2024", "record_count", (DJI,), Y2024),
    ("how many ATHs has the market had since the start of 2021", "record_count", (SPX,),
     SINCE_2021),
    ("How often did tech stocks close at a record in 2024?", "record_count", (NDX,), Y2024),
    ("Dow records in 2024", "record_count", (DJI,), Y2024),
    ("how many records has the russell 2000 had ytd", "record_count", (RUT,), THIS_YEAR),
    ("HOW MANY RECORD CLOSES HAS IWM HAD THIS YEAR", "record_count", ("IWM",), THIS_YEAR),
    ("how many records did the dow set the year before last", "record_count", (DJI,),
     Period("year", year=2024)),
    # --- last_record
    ("When was the last record close for small caps?", "last_record", (RUT,), NONE),
    ("when did the Dow last close at a record", "last_record", (DJI,), NONE),
    ("last all-time high for RUT", "last_record", (RUT,), NONE),
    ("When did the Nasdaq-100 last hit an ATH?", "last_record", (NDX,), NONE),
    ("how long since the s&p hit a record", "last_record", (SPX,), NONE),
    ("most recent record for blue-chips", "last_record", (DJI,), NONE),
    ("how long has it been since the Dow's last record?", "last_record", (DJI,), NONE),
    # --- is_record
    ("Is the S&P at a record?", "is_record", (SPX,), NONE),
    ("is the nasdaq at an all-time high now", "is_record", (IXIC,), NONE),
    ("did the dow close at a record yesterday", "is_record", (DJI,), YESTERDAY),
    ("was SPX at a record on Jan 22 2026", "is_record", (SPX,), JAN22),
    ("was the dow at a record on 2026-01-22", "is_record", (DJI,), JAN22),
    ("on January 22, 2026 was the Nasdaq-100 at an all-time high?", "is_record", (NDX,), JAN22),
    ("was IWM at a record on 1/22/2026", "is_record", ("IWM",), JAN22),
    ("is ^RUT at a record today", "is_record", (RUT,), NONE),
    ("Are stocks at a record?", "is_record", (SPX,), NONE),
    ("is the market at an all time high", "is_record", (SPX,), NONE),
    ("IS THE RUSSELL AT A RECORD", "is_record", (RUT,), NONE),
    ("is SPY at a new high", "is_record", ("SPY",), NONE),
    ("is the dow at a record on dec 1", "is_record", (DJI,),
     Period("date", date=date(2025, 12, 1))),
    ("did the s&p hit a record on 22 jan 2026", "is_record", (SPX,), JAN22),
    ("is the dow and the s&p at a record", "unknown", (DJI, SPX), NONE),  # one symbol at a time
    # --- below_record
    ("How far is the Russell below its record?", "below_record", (RUT,), NONE),
    ("how far off its high is the Nasdaq", "below_record", (IXIC,), NONE),
    ("distance from record for the dow", "below_record", (DJI,), NONE),
    ("drawdown from the all-time high for SPX", "below_record", (SPX,), NONE),
    ("is the nasdaq composite in a correction", "below_record", (IXIC,), NONE),
    ("how much does QQQ need to rise to get back to its record", "below_record", ("QQQ",),
     NONE),
    ("How far below its peak were smallcaps on 1/22/2026?", "below_record", (RUT,), JAN22),
    # --- previous_record
    ("What was the record before the last one for the Russell?", "previous_record", (RUT,),
     NONE),
    ("previous record close of the S&P and how long was the gap", "previous_record", (SPX,),
     NONE),
    ("how long did the russell go between records", "previous_record", (RUT,), NONE),
    ("Russell previous ATH", "previous_record", (RUT,), NONE),
    ("gap between the last two records for the nasdaq 100", "previous_record", (NDX,), NONE),
    # --- current_streak (two symbols)
    ("Are small caps beating large caps?", "current_streak", (RUT, SPX), NONE),
    ("current streak of RUT vs SPX", "current_streak", (RUT, SPX), NONE),
    ("how long has the Russell outperformed the S&P", "current_streak", (RUT, SPX), NONE),
    ("who's leading, tech or the dow?", "current_streak", (NDX, DJI), NONE),
    ("RUT vs SPX", "current_streak", (RUT, SPX), NONE),
    ("small-caps vs large-caps", "current_streak", (RUT, SPX), NONE),
    ("is tech beating the nasdaq", "current_streak", (NDX, IXIC), NONE),
    ("SPY versus IWM", "current_streak", ("SPY", "IWM"), NONE),
    ("compare smallcaps with blue chips", "current_streak", (RUT, DJI), NONE),
    ("is the russell outperforming the s&p since 2021", "pair_performance", (RUT, SPX),
     SINCE_2021),
    ("Is the Nasdaq-100 lagging the Dow?", "current_streak", (NDX, DJI), NONE),
    # --- longest_streak (two symbols)
    ("longest streak of small caps beating the S&P", "longest_streak", (RUT, SPX), NONE),
    ("longest RUT vs SPX streak since 2020", "longest_streak", (RUT, SPX),
     Period("since_year", year=2020)),
    ("record streak russell vs s&p ever", "longest_streak", (RUT, SPX), NONE),
    ("best run of tech over the dow since the start of 2021", "longest_streak", (NDX, DJI),
     SINCE_2021),
    ("longest streak the russell 2000 has beaten the s&p 500", "longest_streak", (RUT, SPX),
     NONE),
    # --- index_streak (one symbol)
    ("how many days in a row has the S&P gone up?", "index_streak", (SPX,), NONE),
    ("is the Dow on a winning streak", "index_streak", (DJI,), NONE),
    ("losing streak for nasdaq", "losing_streak", (IXIC,), NONE),
    ("up days in a row for RUT", "index_streak", (RUT,), NONE),
    ("how many days has the russell 2000 risen", "index_streak", (RUT,), NONE),
    ("longest winning streak for the dow", "index_streak", (DJI,), NONE),
    ("consecutive down days for QQQ", "losing_streak", ("QQQ",), NONE),
    # --- help
    ("help", "help", (), NONE),
    ("what can you do", "help", (), NONE),
    ("hi", "help", (), NONE),
    ("hello", "help", (), NONE),
    ("Hello! :wave:", "help", (), NONE),
    ("<@U123ABC> help please", "help", (), NONE),
    ("hey, can you help me?", "help", (), NONE),
    # --- unknown
    ("", "unknown", (), NONE),
    ("   ", "unknown", (), NONE),
    ("🚀🚀🚀", "unknown", (), NONE),
    (":rocket: :fire:", "unknown", (), NONE),
    ("<@U123>", "unknown", (), NONE),
    ("is it a record", "unknown", (), NONE),
    ("how many records this year", "unknown", (), THIS_YEAR),
    ("is TSLA at a record", "unknown", (), NONE),
    ("Are small caps beating?", "unknown", (RUT,), NONE),
    ("what's the weather like", "unknown", (), NONE),
    ("help me with my taxes", "unknown", (), NONE),
    ("how is the s&p doing", "day_move", (SPX,), NONE),
    # --- Slack formatting
    ("<@U123> is the S&amp;P 500 at a record? :rocket:", "is_record", (SPX,), NONE),
    ("<@U123|streakbot> how many record closes has the s&amp;p had in 2024?",
     "record_count", (SPX,), Y2024),
    ("<#C42|markets> <https://example.com/x|the Dow> at a record?", "is_record", (DJI,), NONE),
    ("<!here> small caps &amp; large caps, who is leading? :thinking_face::skin-tone-2:",
     "current_streak", (RUT, SPX), NONE),
    ("  How   far\nis  the\tDOW   below its   record  ", "below_record", (DJI,), NONE),
    ("is the S&P's drawdown big?", "below_record", (SPX,), NONE),
    ("Is the s & p 500 at an all\u2011time high?", "is_record", (SPX,), NONE),
]


def test_table_is_big_and_covers_every_intent() -> None:
    assert len(CASES) >= 70
    # the intents of the first release; tests/questions/test_phrasings.py covers the rest
    assert {c[1] for c in CASES} <= INTENTS
    assert len({c[1] for c in CASES}) >= 10


@pytest.mark.parametrize(("question", "intent", "symbols", "period"), CASES)
def test_phrasings(
    question: str, intent: str, symbols: tuple[str, ...], period: Period
) -> None:
    q = parse(question)
    assert (q.intent, q.symbols, q.period) == (intent, symbols, period)


EVERYDAY_WORDS = [
    ("small caps", RUT), ("small-caps", RUT), ("smallcaps", RUT), ("the russell", RUT),
    ("Russell 2000", RUT), ("large caps", SPX), ("large-caps", SPX), ("the market", SPX),
    ("the s&p", SPX), ("stocks", SPX), ("S&P 500", SPX), ("SPX", SPX), ("tech", NDX),
    ("tech stocks", NDX), ("the nasdaq 100", NDX), ("the Nasdaq-100", NDX), ("NDX", NDX),
    ("the nasdaq", IXIC), ("nasdaq composite", IXIC), ("the dow", DJI), ("blue chips", DJI),
    ("blue-chips", DJI), ("Dow Jones", DJI), ("DJIA", DJI), ("IWM", "IWM"), ("^RUT", RUT),
    ("SPY", "SPY"), ("qqq", "QQQ"), ("$SPY", "SPY"),
]


@pytest.mark.parametrize(("words", "symbol"), EVERYDAY_WORDS)
def test_everyday_words(words: str, symbol: str) -> None:
    q = parse(f"is {words} at a record?")
    assert (q.intent, q.symbols) == ("is_record", (symbol,))


@pytest.mark.parametrize(
    ("question", "symbols"),
    [
        ("nasdaq 100 vs the s&p 500", (NDX, SPX)),  # not "nasdaq" + "100"
        ("S&P 500 vs Russell 2000", (SPX, RUT)),  # not "S&P" + "500", no year 2000
        ("the russell 2000 vs the nasdaq", (RUT, IXIC)),
        ("tech vs small caps vs the dow", (NDX, RUT)),  # a streak takes the first two
        ("spx vs s&p vs rut", (SPX, RUT)),  # the same symbol twice counts once
    ],
)
def test_greedy_names_and_order(question: str, symbols: tuple[str, ...]) -> None:
    q = parse(question)
    assert q.intent == "current_streak"
    assert q.symbols == symbols
    assert q.period == NONE


def test_years_and_english_words_are_not_tickers() -> None:
    tricky = AVAILABLE | {"A", "I", "IS", "IT", "ON", "THE", "ALL", "ANY", "HAS", "HOW",
                          "MANY", "NOW", "2024", "^2024", "AT", "RECORD"}
    q = parse_question("how many records has it had in 2024, all of them on any day now?",
                       today=TODAY, available=tricky)
    assert q.symbols == ()
    assert q.intent == "unknown"
    assert q.period == Y2024
    # written as a cash-tag, an English-word ticker is meant
    q = parse_question("is $NOW at a record", today=TODAY, available=tricky)
    assert (q.intent, q.symbols) == ("is_record", ("NOW",))


def test_symbols_without_data_are_dropped() -> None:
    avail = AVAILABLE - {NDX}
    q = parse("is the nasdaq 100 at a record", avail)
    assert q.intent == "unknown"  # not silently the Composite
    assert q.symbols == ()
    q = parse("tech vs the dow", avail)
    assert q.intent == "unknown"
    assert parse("is tech at a record", frozenset()).intent == "unknown"


@pytest.mark.parametrize(
    ("phrase", "period"),
    [
        ("this year", THIS_YEAR),
        ("so far this year", THIS_YEAR),
        ("year to date", THIS_YEAR),
        ("last year", LAST_YEAR),
        ("in 2024", Y2024),
        ("during 2024", Y2024),
        ("for 2024", Y2024),
        ("since 2021", SINCE_2021),
        ("since the start of 2021", SINCE_2021),
        ("since the beginning of 2021", SINCE_2021),
        ("since the start of the year", Period("since_year", year=2026)),
        ("since last year", Period("since_year", year=2025)),
        ("on Jan 22 2026", JAN22),
        ("on 2026-01-22", JAN22),
        ("on January 22, 2026", JAN22),
        ("on 1/22/2026", JAN22),
        ("on 1/22/26", JAN22),
        ("on Jan. 22nd, 2026", JAN22),
        ("on jan 22", JAN22),  # no year: the latest such day up to today
        ("yesterday", YESTERDAY),
        ("the day before yesterday", Period("date", date=date(2026, 11, 24))),
        ("today", NONE),
        ("now", NONE),
        ("right now", NONE),
        ("on Feb 30 2026", NONE),  # not a day
    ],
)
def test_period_forms(phrase: str, period: Period) -> None:
    q = parse(f"was the dow at a record {phrase}?")
    # a record on a day is a yes/no; a record in a year or since one is a count of them
    assert q.intent == ("is_record" if period.kind in ("none", "date") else "record_count")
    assert q.symbols == (DJI,)
    assert q.period == period


def test_record_count_defaults_to_this_year_but_others_do_not() -> None:
    assert parse("how many records has the dow had").period == THIS_YEAR
    assert parse("is the dow at a record").period == NONE
    assert parse("rut vs spx").period == NONE


def test_clean_text() -> None:
    raw = ("<@U1|bob>  Is the S&amp;P &lt;below&gt; its record? :rocket::skin-tone-2: "
           "<https://x.example/a|see this> <http://y.example> <#C1|general> at 10:30:00")
    assert clean_text(raw) == "Is the S&P <below> its record? see this at 10:30:00"
    q = parse(raw)
    assert q.text == clean_text(raw)
    assert q.intent == "below_record"
    assert len(clean_text("x" * 10_000)) == MAX_CHARS


def test_describe_period() -> None:
    assert describe_period(NONE) == ""
    assert describe_period(Y2024) == "in 2024"
    assert describe_period(THIS_YEAR, today=TODAY) == "this year"
    assert describe_period(LAST_YEAR, today=TODAY) == "last year"
    assert describe_period(THIS_YEAR) == "in 2026"
    assert describe_period(SINCE_2021) == "since 2021"
    assert describe_period(JAN22) == "on Jan 22, 2026"


def test_examples_are_understood() -> None:
    assert len(EXAMPLES) == 3
    intents = [parse(e).intent for e in EXAMPLES]
    assert "unknown" not in intents
    assert "help" not in intents


def test_non_string_input_is_unknown() -> None:
    q = parse_question(None, today=TODAY, available=AVAILABLE)  # type: ignore[arg-type]
    assert q == Question("unknown", (), NONE, "")


# --------------------------------------------------------------------------- properties

WORDS = [
    "small caps", "the russell", "tech", "the dow", "S&P 500", "s&amp;p", "nasdaq 100",
    "Nasdaq-100", "RUT", "^RUT", "SPX", "IWM", "$SPY", "vs", "beating", "record", "records",
    "all-time high", "how many", "how far", "below", "when", "last", "previous", "streak",
    "in a row", "longest", "since", "2021", "in 2024", "this year", "last year",
    "yesterday", "on Jan 22 2026", "1/22/2026", "2026-01-22", "help", "hi", "?", ",",
    "<@U123>", "<@U1|bob>", "<#C1|general>", "<https://e.x|the market>", "<http://e.x>",
    ":rocket:", ":skin-tone-2:", "::", "&amp;", "&lt;", "&gt;", "🚀", "é", "\u200b", "\n",
    "<", ">", "|", "@", "$", "^", "-", "/", "'s", "IS", "IT", "ON", "A", "the", "of",
]

mixed_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=60
).map(" ".join)
long_text = st.one_of(
    st.text(min_size=1, max_size=40).map(lambda s: (s * (10_000 // len(s) + 1))[:10_000]),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(
        lambda ws: (" ".join(ws) + " ") * (10_000 // (len(" ".join(ws)) + 1) + 1)
    ),
)
any_text = st.one_of(st.text(), mixed_text, long_text)
SYMBOL_POOL = sorted(AVAILABLE | {"RSP", "XLK", "NOW", "A", "ALL", "IT"})


def _check(q: Question, available: frozenset[str]) -> None:
    assert isinstance(q, Question)
    assert q.intent in INTENTS
    assert isinstance(q.text, str)
    assert len(q.text) <= MAX_CHARS
    assert all(s in available for s in q.symbols)
    assert len(set(q.symbols)) == len(q.symbols)
    assert q.period.kind in {"none", "year", "since_year", "date", "week", "month", "since_date"}
    if q.intent in {"current_streak", "longest_streak"}:
        assert len(q.symbols) == 2
    elif q.intent not in {"help", "unknown", "sector_leadership"}:  # all sectors: no symbol
        assert q.symbols


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_never_raises(text: str) -> None:
    _check(parse(text), AVAILABLE)


@settings(max_examples=200, deadline=None)
@given(any_text, st.frozensets(st.sampled_from(SYMBOL_POOL)))
def test_symbols_always_available(text: str, available: frozenset[str]) -> None:
    _check(parse(text, available), available)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_deterministic(text: str) -> None:
    assert parse(text) == parse(text)
    assert parse_question(text, today=TODAY, available=sorted(AVAILABLE)) == parse(text)
