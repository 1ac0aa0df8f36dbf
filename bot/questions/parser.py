"""Deterministic parser of plain-English questions about index records and streaks.

No ML, no network and no clock: ``today`` and the symbols that have data are passed in.
``parse_question`` never raises; anything it cannot read comes back with intent
``"unknown"``.

Pipeline
--------
1. :func:`clean_text` strips Slack markup (mentions, channel refs, links -> label),
   decodes ``&amp; &lt; &gt;``, removes ``:emoji_codes:`` and control characters,
   collapses white space and keeps the first :data:`MAX_CHARS` characters. That is
   ``Question.text``.
2. A matching form: lower case, possessive ``'s`` dropped, ``s & p`` -> ``s&p``, every
   character other than ``a-z 0-9 & ^ - / $`` turned into a space, split into tokens.
3. Symbols: a greedy, longest-first scan of token phrases (aliases and names from
   :mod:`bot.domain.symbols`, everyday words such as "small caps" included), then raw tickers that
   are in ``available`` (never years nor common English words). Each mention becomes
   the placeholder token ``@`` for the intent rules.
4. Period: dates, "yesterday", "since 2021", "in 2024", "this year", "last year"...;
   the matched words are removed so that "last year" does not read as "last record".
5. Intent: ordered keyword rules over what is left.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from itertools import product
from typing import Literal, get_args

from bot.domain.symbols import (
    correct_word,
    display_name,
    edit_distance,
    find,
    looks_like_ticker,
    phrase_sources,
)

__all__ = [
    "ELECTION_DAYS",
    "EXAMPLES",
    "INTENTS",
    "MAX_CHARS",
    "NO_PERIOD",
    "Bound",
    "BoundKind",
    "Direction",
    "Intent",
    "Period",
    "PeriodKind",
    "Question",
    "clean_text",
    "describe_period",
    "parse_question",
    "significant_words",
]

PeriodKind = Literal["none", "year", "since_year", "date", "week", "month", "since_date",
                     "sessions"]
Direction = Literal["none", "up", "down"]
BoundKind = Literal["before", "after", "through"]
Intent = Literal[
    "record_count",
    "nth_record",
    "records_through",
    "sessions_since_record",
    "record_year_rank",
    "losing_streak",
    "laggard_losing_streak",
    "pair_performance",
    "symbol_performance",
    "day_move",
    "ytd_return",
    "sector_leadership",
    "equal_vs_cap",
    "last_record",
    "is_record",
    "below_record",
    "previous_record",
    "current_streak",
    "longest_streak",
    "index_streak",
    "run_at_least",
    "help",
    "unknown",
]
INTENTS: frozenset[str] = frozenset(get_args(Intent))

MAX_CHARS = 500
"""Only this many characters of the cleaned question are looked at."""
_MAX_RAW = 2000  # raw characters read before cleaning (Slack markup can be long)


@dataclass(frozen=True)
class Period:
    """The time frame a question is about.

    ``kind`` is ``"none"`` when the question states none ("today" and "now" also give
    ``"none"``), ``"year"`` for a calendar year, ``"since_year"`` for "since the start
    of ``year``", ``"date"`` for a calendar day (the caller maps it to a session),
    ``"sessions"`` for the last ``sessions`` sessions of the data ("the past 10 days": a
    day is a session, a week five sessions).
    """

    kind: PeriodKind
    year: int | None = None
    date: datetime.date | None = None
    month: int | None = None
    event: str | None = None
    sessions: int | None = None


@dataclass(frozen=True)
class Bound:
    """A limit on the sessions a question is about: before, after or through ``date``.

    ``date`` is the first day the words name for "before" (before 2024 -> Jan 1, 2024), and
    the last day for "after" and "through" (through June 2022 -> Jun 30, 2022).
    """

    kind: BoundKind
    date: datetime.date
    words: str


@dataclass(frozen=True)
class Question:
    """A parsed question: what is asked, about which symbols, over which period.

    ``direction`` is "down" for losing, falling or worst, "up" for winning or rising;
    ``ordinal`` is 1 for first, 2 for second..., -1 for last or latest, -2 for the
    previous one; ``window`` a number of sessions ("15 days straight"). ``unused`` holds
    the words that could change the answer but that the parser could not use: when it
    is not empty, ``intent`` is ``"unknown"`` and the rest says what was understood.
    """

    intent: Intent
    symbols: tuple[str, ...]
    period: Period
    text: str
    direction: Direction = "none"
    ordinal: int | None = None
    bound: Bound | None = None
    window: int | None = None
    unused: tuple[str, ...] = ()
    understood: Intent | None = None  # with ``unused``: the intent the rest of the words suggest
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, read as): ("Rusell", "russell")
    ever: bool = False  # "has it ever...", "how often": the runs in the data, not the current one


NO_PERIOD = Period("none")

EXAMPLES: tuple[str, str, str] = (
    "How many record closes has the Russell 2000 had this year?",
    "Are small caps beating large caps?",
    "How far is the S&P 500 below its record?",
)

# --------------------------------------------------------------------------- cleaning

_SLACK_REF = re.compile(r"<[@#!][^<>]*>")
_SLACK_LINK_LABEL = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.\-]*:[^<>|]*\|([^<>]*)>")
_SLACK_LINK = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.\-]*:[^<>|]*>")
_EMOJI_CODE = re.compile(r":([a-zA-Z0-9_+\-']{1,60}):")
_HAS_LETTER = re.compile(r"[a-zA-Z+]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'",
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2212": "-"})


def _drop_emoji(match: re.Match[str]) -> str:
    # ":rocket:" and ":+1:" go; "10:30:00" keeps its digits.
    return " " if _HAS_LETTER.search(match.group(1)) else match.group(0)


def clean_text(text: str) -> str:
    """Slack message -> plain question text (case kept, at most :data:`MAX_CHARS`)."""
    s = text[:_MAX_RAW]
    s = _SLACK_REF.sub(" ", s)
    s = _SLACK_LINK_LABEL.sub(r" \1 ", s)
    s = _SLACK_LINK.sub(" ", s)
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    s = unicodedata.normalize("NFKC", s)[:_MAX_RAW]
    s = _EMOJI_CODE.sub(_drop_emoji, s)
    s = s.translate(_QUOTES)
    s = "".join(ch if ch.isprintable() else " " for ch in s)
    return " ".join(s.split())[:MAX_CHARS].strip()


_POSSESSIVE = re.compile(r"(?<=[a-z0-9&])'s\b")
_S_AND_P = re.compile(r"(?<![a-z0-9])s ?(?:&|\+|and) ?p(?![a-z])")
_DISALLOWED = re.compile(r"[^a-z0-9&^\-/$ ]+")
_STRAY_DOLLAR = re.compile(r"\$(?![a-z^])|(?<=\S)\$")


_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?")


def _tokens(clean: str) -> list[str]:
    """Lower-case matching tokens of a cleaned question (a time of day is dropped: closes
    have none)."""
    s = _CLOCK.sub(" ", clean.lower())
    s = _POSSESSIVE.sub("", s).replace("'", "")
    s = _S_AND_P.sub("s&p", s)
    s = _DISALLOWED.sub(" ", s)
    s = _STRAY_DOLLAR.sub(" ", s)
    out: list[str] = []
    for raw in s.split():
        tok = raw.strip("-/")
        # "RUT/SPX" is two names; "3/16/2020" stays a date
        parts = tok.split("/") if "/" in tok and not any(ch.isdigit() for ch in tok) else [tok]
        out.extend(p for p in parts if p and p != "&")
    return out


# --------------------------------------------------------------------------- symbols

# Words that may follow a name without changing it: "small cap stocks", "the Dow index".
_ABSORB = frozenset({"index", "indices", "indexes", "stock", "stocks", "etf", "etfs",
                     "shares", "fund"})


def _phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """Token tuples for a phrase written with spaces, hyphens or nothing between words."""
    words = _tokens(phrase)
    if not words:
        return set()
    out: set[tuple[str, ...]] = set()
    for joiners in product((" ", "-", ""), repeat=len(words) - 1):
        joined = words[0] + "".join(j + w for j, w in zip(joiners, words[1:], strict=True))
        out.add(tuple(joined.split()))
    return out


def _build_phrases() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for phrase, symbol in phrase_sources():
        for key in _phrase_variants(phrase):
            table.setdefault(key, symbol)
    # "the russell 2000" must not stop at "the russell": every phrase also with "the".
    for key, symbol in list(table.items()):
        if key[0] != "the":
            table.setdefault(("the", *key), symbol)
    return table


_PHRASES: dict[tuple[str, ...], str] = _build_phrases()
_PHRASE_TOKENS = frozenset(w for key in _PHRASES for w in key)
_MAX_PHRASE = max(len(k) for k in _PHRASES)

# Never read these as raw tickers (unless written "$ON"): English words a ticker list
# may contain (A, ALL, IT, NOW, ON...), question vocabulary, months.
_STOPWORDS_TEXT = """
a about above after again against ago ahead all also am an and any are as ask at ath
aths away back be beat beaten beating beats been before behind being below best better
between big biggest blue both but by can cap caps chip chips close closed closes
closing compare compared could count current currently date day days did do does doing
done dow down drawdown during each end equal estate even ever far few fell first for
fresh from fund gain gained gap get give go going gone good got green had has have he
hello help her here hey hi high higher highest highs him his hit how i if in index info
into is it its jan january feb february mar march apr april may jun june jul july aug
august sep sept september oct october nov november dec december just know lag large
last late latest lead leader leading leads least led less let lets level like long
longest look lose losing loss low lower lows made make many market max me month months
more most much must my need new next no not now number of off ok okay on once one only
or other our out over past peak per percent please point points previous price prior
put quarter rally real really record records red relative rise row run same sector see
session sessions set she show since small so some start still stock stocks straight
streak streaks tech tell than thank thanks that the their them then there these they
think this those three time times to today top total trading two up us very vs versus
want was we week weeks weight well were what when where which while who whos why will
win winning wins with won worst would year years yes yet yesterday you your ytd
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def _resolve_known(symbol: str, avail: frozenset[str]) -> str | None:
    return find(symbol, avail)


def _resolve_raw(token: str, avail: frozenset[str]) -> str | None:
    explicit = token.startswith("$")
    key = token[1:] if explicit else token
    if not _HAS_ALPHA.search(key):
        return None  # years, numbers, dates
    if not explicit and not key.startswith("^") and (len(key) < 2 or key in _STOPWORDS):
        return None
    if not looks_like_ticker(key):
        return None
    return find(key, avail)


_HAS_ALPHA = re.compile(r"[a-z]")


def _scan_symbols(tokens: list[str], avail: frozenset[str]) -> tuple[list[str], list[str]]:
    """Resolved symbols in order of mention, and the tokens with mentions as ``@``."""
    marked: list[str] = []
    found: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for length in range(min(_MAX_PHRASE, n - i), 0, -1):
            target = _PHRASES.get(tuple(tokens[i : i + length]))
            if target is not None:
                j = i + length
                while j < n and tokens[j] in _ABSORB:
                    j += 1
                sym = _resolve_known(target, avail)
                if sym is not None:
                    found.append(sym)
                marked.append("@")  # a mention even without data: not an English word
                i = j
                break
        else:
            sym = _resolve_raw(tokens[i], avail)
            if sym is not None:
                found.append(sym)
                marked.append("@")
            else:
                marked.append(tokens[i])
            i += 1
    return list(dict.fromkeys(found)), marked


# --------------------------------------------------------------------------- periods

_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
          r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_YEAR = r"(?:19|20)\d\d"
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
           "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

_PeriodRule = tuple[re.Pattern[str], Callable[[re.Match[str], datetime.date], Period | None]]


def _day(year: int, month: int, day: int) -> Period | None:
    try:
        return Period("date", date=datetime.date(year, month, day))
    except ValueError:
        return None


def _day_in_year(m: re.Match[str], today: datetime.date, month: int) -> Period | None:
    """A day with an optional year; without one, the latest such day up to today."""
    day = int(m.group("d"))
    y = m.group("y")
    if y:
        year = int(y)
        if year < 100:
            year += 2000
        return _day(year, month, day)
    found = _day(today.year, month, day)
    if found is not None and found.date is not None and found.date > today:
        return _day(today.year - 1, month, day)
    return found


def _numeric_date(m: re.Match[str], today: datetime.date) -> Period | None:
    return _day_in_year(m, today, int(m.group("m")))


def _named_date(m: re.Match[str], today: datetime.date) -> Period | None:
    return _day_in_year(m, today, _MONTHS[m.group("mon")[:3]])


def _iso_date(m: re.Match[str], _today: datetime.date) -> Period | None:
    return _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))


def _days_ago(n: int) -> Callable[[re.Match[str], datetime.date], Period | None]:
    def rule(_m: re.Match[str], today: datetime.date) -> Period | None:
        return Period("date", date=today - datetime.timedelta(days=n))

    return rule


def _since(m: re.Match[str], _today: datetime.date) -> Period | None:
    year = int(m.group("y"))
    if m.group("edge") in ("end", "close"):
        year += 1
    return Period("since_year", year=year)


def _since_rel(offset: int) -> Callable[[re.Match[str], datetime.date], Period | None]:
    def rule(m: re.Match[str], today: datetime.date) -> Period | None:
        year = today.year - offset
        if m.group("edge") in ("end", "close"):
            year += 1
        return Period("since_year", year=year)

    return rule


def _year(m: re.Match[str], _today: datetime.date) -> Period | None:
    return Period("year", year=int(m.group("y")))


def _rel_year(offset: int) -> Callable[[re.Match[str], datetime.date], Period | None]:
    def rule(_m: re.Match[str], today: datetime.date) -> Period | None:
        return Period("year", year=today.year - offset)

    return rule


_EDGE = r"(?:the )?(?:(?P<edge>start|beginning|end|close) of )?"

# In order of precedence: the first rule that matches sets the period.
_PERIOD_RULES: tuple[_PeriodRule, ...] = (
    (re.compile(rf"\bsince {_EDGE}(?:(?:early|late|mid)[- ]?)?(?:{_MONTH} )?"
                rf"(?:\d{{1,2}}(?:st|nd|rd|th)? )?(?P<y>{_YEAR})\b"), _since),
    (re.compile(rf"\b(?:from|starting(?: in)?) (?P<edge>)(?P<y>{_YEAR}) "
                r"(?:on|onwards?|forwards?|until (?:now|today))\b"), _since),
    (re.compile(rf"\bsince {_EDGE}year before last\b"), _since_rel(2)),
    (re.compile(rf"\bsince {_EDGE}(?:last|the previous|the prior) year\b"), _since_rel(1)),
    (re.compile(rf"\bsince {_EDGE}(?:this|the) year\b|\bsince jan(?:uary)?(?: 1(?:st)?)?\b"
                r"|\bsince new years?(?: day)?\b"), _since_rel(0)),
    (re.compile(r"(?<![\d/-])(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\d/-])"),
     _iso_date),
    (re.compile(r"(?<![\d/-])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/-])"),
     _numeric_date),
    (re.compile(rf"\b{_MONTH} (?:the )?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?: (?P<y>{_YEAR}))?\b"),
     _named_date),
    (re.compile(rf"\b(?:the )?(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}"
                rf"(?: (?P<y>{_YEAR}))?\b"), _named_date),
    (re.compile(r"\b(?:the )?day before yesterday\b"), _days_ago(2)),
    (re.compile(r"\byesterday\b"), _days_ago(1)),
    (re.compile(rf"\b(?:in|during|for|of|throughout|across|within|over|through|from) "
                rf"(?:the )?(?:(?:calendar|full|whole|entire) )?(?:year )?(?P<y>{_YEAR})\b"),
     _year),
    (re.compile(r"\b(?:of|for|in) the year\b"), _rel_year(0)),
    (re.compile(r"\b(?:so far )?(?:this|the current|current) (?:calendar )?(?:year|yr)"
                r"(?: so far)?\b|\bytd\b|\byear[- ]?to[- ]?date\b"), _rel_year(0)),
    (re.compile(r"\b(?:the )?year before last\b"), _rel_year(2)),
    (re.compile(r"\b(?:last|previous|prior) (?:calendar )?(?:year|yr)\b"), _rel_year(1)),
    (re.compile(rf"(?<![\w/-])(?P<y>{_YEAR})(?![\w/-])"), _year),
)

ELECTION_DAYS: tuple[datetime.date, ...] = (
    datetime.date(2016, 11, 8),
    datetime.date(2020, 11, 3),
    datetime.date(2024, 11, 5),
)
"""US presidential Election Days: "since the election" is since the latest one's close."""


def _monday(d: datetime.date) -> datetime.date:
    return d - datetime.timedelta(days=d.weekday())


def _this_week(_m: re.Match[str], today: datetime.date) -> Period | None:
    return Period("week", date=_monday(today))


def _last_week(_m: re.Match[str], today: datetime.date) -> Period | None:
    return Period("week", date=_monday(today) - datetime.timedelta(days=7))


def _this_month(_m: re.Match[str], today: datetime.date) -> Period | None:
    return Period("month", year=today.year, month=today.month)


def _last_month(_m: re.Match[str], today: datetime.date) -> Period | None:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return Period("month", year=first.year, month=first.month)


def _latest_month_year(month: int, today: datetime.date) -> int:
    return today.year if month <= today.month else today.year - 1


def _named_month(m: re.Match[str], today: datetime.date) -> Period | None:
    month = _MONTHS[(m.group("mon") or m.group("mon2"))[:3]]
    y = m.group("y") or m.group("y2")
    return Period("month", year=int(y) if y else _latest_month_year(month, today), month=month)


def _election(m: re.Match[str], today: datetime.date) -> Period | None:
    y = m.group("y")
    days = [d for d in ELECTION_DAYS if d <= today and (not y or d.year == int(y))]
    if not days:
        return None
    return Period("since_date", date=days[-1], event="election")


_ISO = r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
_NUMERIC = r"(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?"
_NAMED = rf"{_MONTH} (?:the )?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?: (?P<y>{_YEAR}))?"
_DAY_RULES: tuple[_PeriodRule, ...] = (
    (re.compile(_ISO), _iso_date),
    (re.compile(_NUMERIC), _numeric_date),
    (re.compile(_NAMED), _named_date),
)
_MON = _MONTH.replace("?P<mon>", "?:")
_DAY_WORDS = (rf"(?:\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"
              rf"|{_MON} (?:the )?\d{{1,2}}(?:st|nd|rd|th)?(?: {_YEAR})?|{_MON} {_YEAR})")


def _since_day(m: re.Match[str], today: datetime.date) -> Period | None:
    inner = m.group("when")
    for pattern, rule in _DAY_RULES:
        found = pattern.fullmatch(inner)
        if found is not None:
            day = rule(found, today)
            if day is not None and day.date is not None:
                return Period("since_date", date=day.date)
    month = re.fullmatch(rf"{_MONTH} (?P<y>{_YEAR})", inner)
    if month is not None:
        mon = _MONTHS[month.group("mon")[:3]]
        return Period("since_date", date=datetime.date(int(month.group("y")), mon, 1))
    return None


# Rules for weeks, months, dates "since" and events: read before the year rules.
_NEW_PERIOD_RULES: tuple[_PeriodRule, ...] = (
    (re.compile(rf"\bsince (?:the )?(?:last |latest |most recent )?(?:(?P<y>{_YEAR}) )?"
                r"(?:us |presidential )?elections?(?: day)?\b"), _election),
    (re.compile(rf"\bsince (?P<when>{_DAY_WORDS})(?![\w/-])"), _since_day),
    (re.compile(r"\b(?:so far )?this (?:trading )?week(?: so far)?\b|\bweek[- ]?to[- ]?date\b"
                r"|\bwtd\b"), _this_week),
    (re.compile(r"\b(?:last|previous|prior|past) (?:trading )?week\b"), _last_week),
    (re.compile(r"\b(?:so far )?this month(?: so far)?\b|\bmonth[- ]?to[- ]?date\b|\bmtd\b"),
     _this_month),
    (re.compile(r"\b(?:last|previous|prior|past) month\b"), _last_month),
    (re.compile(rf"\b(?:(?:in|during|for|over|throughout) (?:the month of )?|the month of )"
                rf"{_MONTH}(?: of)?(?: (?P<y>{_YEAR}))?(?! ?(?:\d|the \d))(?![\w/-])"
                rf"|\b{_MONTH.replace('?P<mon>', '?P<mon2>')}(?: of)? (?P<y2>{_YEAR})(?![\w/-])"),
     _named_month),
)

# Time words that set no period and must not feed the intent rules.
_TIME_NOISE = re.compile(
    r"\b(?:this|last|previous|prior) (?:session|trading day|night|close)\b"
    r"|\b(?:today|todays|tonight|right now|now|currently|so far|as of now|at the moment)\b"
)

# Bounds: "before 2024", "after June 2022", "through June", "until 3/16/2020".
_BOUND = re.compile(
    r"\b(?P<b>before|prior to|pre|after|post|since the end of|through|thru|until|till|up to"
    r"|up until|to the end of|by the end of|as of the end of)"
    rf" (?:the )?(?:(?:end|start|beginning) of )?(?P<what>{_DAY_WORDS}|{_YEAR}|{_MON}"
    rf"|(?:last |latest |most recent )?(?:{_YEAR} )?(?:us |presidential )?elections?(?: day)?)"
    r"(?![\w/-])"
    r"(?! (?:lows?|bottoms?|crash\w*|troughs?|highs?|peaks?|selloff|sell-off|bear|rally|election)\b)"
)


def _bound_date(what: str, end: bool, today: datetime.date) -> datetime.date | None:
    if "election" in what:
        named = re.search(_YEAR, what)
        days = [d for d in ELECTION_DAYS
                if d <= today and (named is None or d.year == int(named[0]))]
        return days[-1] if days else None
    for pattern, rule in _DAY_RULES:
        found = pattern.fullmatch(what)
        if found is not None:
            day = rule(found, today)
            return day.date if day is not None else None
    month = re.fullmatch(rf"{_MONTH}(?: (?P<y>{_YEAR}))?", what)
    if month is not None:
        mon = _MONTHS[month.group("mon")[:3]]
        y = month.group("y")
        year = int(y) if y else _latest_month_year(mon, today)
        if not end:
            return datetime.date(year, mon, 1)
        nxt = datetime.date(year + (mon == 12), mon % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    if re.fullmatch(_YEAR, what):
        return datetime.date(int(what), 12, 31) if end else datetime.date(int(what), 1, 1)
    return None


def _find_bound(marked: str, today: datetime.date) -> tuple[Bound | None, str, list[str]]:
    m = _BOUND.search(marked)
    if m is None:
        return None, marked, []
    word = m.group("b")
    kind: BoundKind = ("before" if word in ("before", "prior to", "pre")
                       else "after" if word in ("after", "post", "since the end of")
                       else "through")
    day = _bound_date(m.group("what"), kind != "before", today)
    if day is None:
        return None, marked, []
    rest = marked[: m.start()] + " " + marked[m.end():]
    words = [m.group(0)]
    for other in _BOUND.finditer(rest):  # a second bound: no answer uses two
        words.append("\0" + other.group(0))
    return Bound(kind, day, m.group(0)), _BOUND.sub(" ", rest), words


_WINDOW = re.compile(
    r"\b(?:for |of |over )?(?:at least |more than |over )?(?P<n>\d{1,4}|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\+? (?:straight "
    r"|consecutive |trading |down |up )?(?:days|sessions|weeks)(?: (?:straight|in a row"
    r"|running|or more|or longer))?\b"
)


_NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}
_LAST_N = re.compile(
    r"\b(?:(?:over|in|during|for|across|within|from) )?(?:the )?"
    r"(?:past|last|previous|prior|trailing|latest|most recent) "
    rf"(?P<n>\d{{1,4}}|{'|'.join(_NUMBER_WORDS)}) (?:trading |market )?"
    r"(?P<unit>days?|sessions?|weeks?)\b(?! (?:straight|in a row|running|consecutive))"
)
_SESSIONS_PER = {"day": 1, "session": 1, "week": 5}
_MAX_SESSIONS = 10_000


def _find_sessions(marked: str) -> tuple[Period | None, str, list[str]]:
    """"over the past 10 days", "the last 20 sessions", "past two weeks": the last N
    sessions (a day is a session, a week five), and the question without those words."""
    m = _LAST_N.search(marked)
    if m is None:
        return None, marked, []
    raw = m.group("n")
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    n *= _SESSIONS_PER[m.group("unit").removesuffix("s")]
    if not 1 <= n <= _MAX_SESSIONS:
        return None, marked, []
    rest = marked[: m.start()] + " " + marked[m.end():]
    return Period("sessions", sessions=n), rest, [m.group(0)]


def _find_period(
    marked: str, today: datetime.date
) -> tuple[Period, str, list[str], list[str]]:
    """The period a question states, the question without period words, those words, and
    the words of any further period (which no answer uses)."""
    found: Period | None = None
    rest = marked
    words: list[str] = []
    extra: list[str] = []
    for pattern, rule in (*_NEW_PERIOD_RULES[:-1], *_PERIOD_RULES[:9], _NEW_PERIOD_RULES[-1],
                          *_PERIOD_RULES[9:]):
        for m in pattern.finditer(rest):
            period = rule(m, today)
            if period is not None and found is None:
                found = period
                words.append(m.group(0))
            elif period is not None and period != found:
                extra.append(m.group(0))
        rest = pattern.sub(" ", rest)
    return found or NO_PERIOD, rest, words, extra


# --------------------------------------------------------------------------- intents

_REC = (r"(?:records?|record[- ]?(?:highs?|closes?)|all[- ]?time[- ]?(?:highs?|closes?|peaks?"
        r"|records?)|aths?|(?:new|fresh|closing) highs?|highs?|peaks?|highest (?:close|level"
        r"|ever))")
_GAP = r"(?: [^ @]+){0,2}?"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_RE_REC = _c(rf"\b{_REC}\b")
_RE_HELP = _c(
    r"(?:(?:hi|hello|hey|hiya|howdy|yo|sup|greetings|gm|good (?:morning|afternoon|evening"
    r"|day)|help|commands?|usage|menu|options|examples?|what can (?:you|i) (?:do|ask(?: you)?)"
    r"|what do you do|what are you|who are you|what do you know|what can you answer"
    r"|how do (?:i|you) (?:use (?:you|this|it)|work)|how does (?:this|it) work"
    r"|what (?:questions|things) can i ask(?: you)?|what should i ask(?: you)?"
    r"|(?:can|could|would) you help|(?:i )?need (?:some )?help|how does it work) ?)+"
)
_RE_HELP_FILLER = _c(
    r"\b(?:please|pls|plz|thanks|thank you|thx|bot|streakbot|there|everyone|all|team|folks"
    r"|again|me|us|so|then|ok|okay)\b"
)
_RE_REL_STRONG = _c(
    rf"\b(?:vs|v|versus|against|los(?:e|es|ing|t) (?:ground )?to|beat(?:s|ing|en)?|outperform\w*|underperform\w*|outpac\w*"
    rf"|outrun\w*|outdo\w*|outdid|lead(?:s|ing|er)?|led|lagg?(?:s|ing|ed|ard)?|trail\w*"
    rf"|ahead of|behind|relative to|compared? (?:to|with)|better than|worse than"
    rf"|stronger than|weaker than|over){_GAP} @"
)
_RE_LONGEST = _c(r"\b(?:longest|best|biggest|max|maximum|greatest|all[- ]?time|historic\w*"
                 r"|record (?:streaks?|runs?|stretch\w*|length)|(?:streaks?|runs?) ever)\b"
                 r"|\b(?:streaks?|runs?)\b.*\b(?:records?|ever)\b")
_RE_REC_PLURAL = _c(r"\b(?:records|record (?:highs|closes)|all[- ]?time[- ]?(?:highs|closes)"
                    r"|aths|(?:new|fresh|closing) highs|highs)\b")
_RE_STREAK_WORD = _c(r"\b(?:streaks?|runs?)\b")
_RE_IDX_STRONG = _c(
    r"\b(?:in a row|consecutive|straight|winning|losing|win streak|up days?|down days?"
    r"|green days?|red days?|days? up|days? down|gone (?:up|down|higher|lower)"
    r"|rall(?:y|ies|ied|ying)|skid|slump)\b"
    r"|\bdays?\b(?: [^ ]+){0,4}? (?:up|down|higher|lower|rise|risen|rose|rising|fall|fallen|fell"
    r"|falling|gain(?:ed|ing|s)?|los(?:t|s|ing)|advanc(?:e|ed|ing)|declin(?:e|ed|ing)|green"
    r"|red)\b"
)
_RE_PREV = _c(
    rf"\b(?:previous|prior|preceding|penultimate|earlier|second[- ]to[- ]last"
    rf"|next[- ]to[- ]last|second[- ]most[- ]recent|one before){_GAP} {_REC}\b"
    rf"|\b{_REC}{_GAP} (?:before|prior to|preceding) (?:the |that |its |their )?"
    rf"(?:last|latest|most recent|current|newest|recent|one|that)\b"
    rf"|\bbetween (?:the |its |their |two |2 )?(?:last )?{_REC}\b|\bgaps? between\b"
    rf"|\b{_REC} gaps?\b|\blast (?:two|2) {_REC}\b"
    rf"|\bgaps?{_GAP} (?:from|since|before|after) (?:the |its |their )?"
    rf"(?:previous|prior|last) {_REC}\b"
)
_RE_BELOW = _c(
    rf"\bhow far\b|\b(?:distance|distances|drawdowns?|draw[- ]downs?|pull[- ]?backs?"
    rf"|corrections?|retracements?|bear market|underwater)\b"
    rf"|\b(?:below|under|beneath|off|down from|away from|short of|shy of|gap to){_GAP} {_REC}\b"
    rf"|\bto (?:get back to|regain|reclaim|return to|reach|hit) (?:a |its |the |their )?"
    rf"(?:new )?{_REC}\b|\b(?:percent|pct|points?) (?:below|off|from|under|away)\b"
)
_RE_COUNT = _c(r"\b(?:how many|how much|number of|no of|count|counts|counted|tally|total"
               r"|how often)\b")
_RE_LAST = _c(
    rf"\bwhen\b|\blast time\b|\b(?:last|latest|most recent|newest|recent)(?: [^ @]+)? {_REC}\b"
    rf"|\blast (?:closed|hit|set|made|reached|touched|printed|notched|posted|finished"
    rf"|recorded|close (?:at|above|in|on))\b|\bhow long (?:ago|since)\b"
    rf"|\bhow long (?:has it been|is it|it has been|it been)\b"
    rf"|\b(?:days|sessions|weeks|months|time) since\b"
    rf"|\bsince (?:the |its |their |a )?(?:last )?{_REC}\b"
)


def _is_help(tokens: list[str]) -> bool:
    s = _RE_HELP_FILLER.sub(" ", " ".join(tokens))
    s = " ".join(s.split())
    return bool(s) and _RE_HELP.fullmatch(s + " ") is not None


def _decide(rest: str, symbols: list[str], period: Period) -> tuple[Intent, tuple[str, ...]]:
    n = len(symbols)
    if n == 0:
        return "unknown", ()
    rec = _RE_REC.search(rest) is not None
    prev = _RE_PREV.search(rest) is not None
    below = _RE_BELOW.search(rest) is not None
    idx = _RE_IDX_STRONG.search(rest) is not None
    streak = _RE_STREAK_WORD.search(rest) is not None
    if n >= 2:
        relative = (
            (_RE_REL_STRONG.search(rest) is not None and not (below or prev))
            or (streak and not idx)
            or not (rec or idx or below or prev)
        )
        if relative:
            pair = (symbols[0], symbols[1])
            if _RE_LONGEST.search(rest):
                return "longest_streak", pair
            return "current_streak", pair
    syms = tuple(symbols)
    if prev:
        return "previous_record", syms
    if below:
        return "below_record", syms
    if idx or streak:
        return "index_streak", syms
    if rec and _RE_COUNT.search(rest):
        return "record_count", syms
    if rec and _RE_LAST.search(rest):
        return "last_record", syms
    if rec and period.kind in ("year", "since_year") and _RE_REC_PLURAL.search(rest):
        return "record_count", syms  # "Dow records in 2024", "S&P all-time highs YTD"
    if rec:
        return "is_record", syms
    return "unknown", syms


# --------------------------------------------------------------------------- qualifiers

_RE_DOWN = _c(r"\b(?:losing|lose|loses|lost|loser|losers|falling|fall|falls|fell|fallen|down"
              r"|lower|declin\w*|drop\w*|red|negative|worst|slump\w*|skid\w*|sell[- ]?off\w*"
              r"|weakest|fewest|least)\b")
_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "latest": -1, "newest": -1,
    "most recent": -1, "previous": -2, "prior": -2, "penultimate": -2,
    "second to last": -2, "second-to-last": -2,
}
_RE_ORDINAL = _c(r"\b(?:second[- ]to[- ]last|most recent|first|second|third|fourth|fifth|sixth"
                 r"|seventh|eighth|ninth|tenth|last|latest|newest|previous|prior|penultimate"
                 r"|\d{1,3}(?:st|nd|rd|th))\b")
_RE_NTH = _c(r"(\d{1,3})(?:st|nd|rd|th)")

_CATEGORY: dict[str, str] = {}
for _w in ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last", "latest", "newest", "previous", "prior", "penultimate", "next", "before", "after", "earlier"]:
    _CATEGORY[_w] = "ordinal"
for _w in ["through", "thru", "until", "till"]:
    _CATEGORY[_w] = "bound"
_CATEGORY["since"] = "since"
for _w in ["losing", "lose", "loses", "lost", "loser", "losers", "falling", "fall", "falls", "fell", "fallen", "down", "lower", "red", "negative", "worst", "weakest", "fewest", "least", "declining", "declined", "decline", "drop", "dropped", "dropping", "drops", "slump", "slumped", "skid", "selloff"]:
    _CATEGORY[_w] = "down"
for _w in ["week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "ytd", "mtd", "qtd", "wtd", "yesterday", "ago", "decade", "decades", "election", "elections", "weekly", "monthly", "annual", "annually", "yearly"]:
    _CATEGORY[_w] = "period"
for _w in ["jan", "january", "feb", "february", "mar", "march", "apr", "april", "jun", "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december"]:
    _CATEGORY[_w] = "period"
for _w in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend",
           "quarter", "half", "h1", "h2", "q1", "q2", "q3", "q4"]:
    _CATEGORY[_w] = "period"  # "on friday", "in Q1": days and spans no answer reads yet
for _w in ["average", "avg", "mean", "median", "typical", "volatility", "volatile", "deviation",
           "without"]:
    _CATEGORY[_w] = "aggregate"  # "average daily move", "gone without a record": not computed
for _w in ["low", "lows", "bottom", "bottoms", "crash", "trough", "troughs"]:
    _CATEGORY[_w] = "event"  # "after the 2022 low": no answer knows these events yet
for _w in ["before", "after", "earlier"]:
    _CATEGORY[_w] = "relative"  # "the record before the last one"; dated bounds are read first
for _w in ["year", "years"]:
    _CATEGORY[_w] = "year word"  # "which year had the most records"
for _w in ["sector", "sectors"]:
    _CATEGORY[_w] = "sector"
for _w in ["equal", "weight", "weighted", "equal-weight", "cap-weight", "cap-weighted"]:
    _CATEGORY[_w] = "weight"

_ANY = frozenset(get_args(PeriodKind))
_SPOT = frozenset({"none", "date"})
_RANGES = frozenset({"none", "year", "since_year", "month", "week", "since_date"})
_PERIODS_OK: dict[str, frozenset[str]] = {
    "record_count": _RANGES,
    "nth_record": _RANGES,
    "records_through": frozenset({"none", "year"}),
    "last_record": _SPOT,
    "is_record": _SPOT,
    "below_record": _SPOT,
    "previous_record": _SPOT,
    "sessions_since_record": _SPOT,
    "current_streak": _SPOT,
    "index_streak": _SPOT,
    "losing_streak": _SPOT,
    "longest_streak": frozenset({"none", "year", "since_year"}),
    "laggard_losing_streak": frozenset({"none", "year", "since_year"}),
    "record_year_rank": frozenset({"none", "since_year"}),
    "day_move": _SPOT,
    "ytd_return": frozenset({"none", "year"}),
    "symbol_performance": frozenset({"sessions", "week", "month", "since_date", "since_year"}),
    "run_at_least": frozenset({"none", "date", "year", "since_year"}),
}
_USES: dict[str, frozenset[str]] = {
    "nth_record": frozenset({"ordinal"}),
    "last_record": frozenset({"ordinal", "since"}),
    "sessions_since_record": frozenset({"ordinal", "since"}),
    "previous_record": frozenset({"ordinal", "number", "relative"}),
    "below_record": frozenset({"down"}),
    "current_streak": frozenset({"down"}),
    "longest_streak": frozenset({"down"}),
    "laggard_losing_streak": frozenset({"down"}),
    "losing_streak": frozenset({"down"}),
    "record_year_rank": frozenset({"down", "year word"}),
    "day_move": frozenset({"down"}),
    "ytd_return": frozenset({"down"}),
    "pair_performance": frozenset({"down"}),
    "symbol_performance": frozenset({"down"}),
    "sector_leadership": frozenset({"sector", "down"}),
    "equal_vs_cap": frozenset({"weight", "down"}),
    "run_at_least": frozenset({"down"}),
}
_BOUNDED = frozenset({"nth_record", "records_through"})
# Intents a run length ("for 15 days straight") turns into "run_at_least".
_RUN_INTENTS = frozenset({"current_streak", "longest_streak", "index_streak", "losing_streak",
                          "laggard_losing_streak", "day_move", "pair_performance", "unknown"})
# "for 15 days straight", "10 sessions in a row": a run; "over the past 10 days" is not.
_RE_RUN_WORDS = _c(r"^(?!.*\bweeks\b)(?:for \d|.*\b(?:straight|consecutive|in a row|running)\b)")
_RE_LAGGED = _c(r"\b(?:lag\w*|behind|trail\w*|underperform\w*|lost to|losing to|los\w+ to)\b")
_RE_EVER = _c(r"\bever\b|\bhow often\b|\bhow many times\b|\bany time\b|\bevery time\b"
              r"|\blast time\b|\bwhen was\b|\bwhen did\b")


def _category(token: str) -> str | None:
    if token in _CATEGORY:
        return _CATEGORY[token]
    if _RE_NTH.fullmatch(token):
        return "ordinal"
    if any(ch.isdigit() for ch in token):
        return "number"
    return None


def significant_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` (matching form) that could change an answer."""
    return tuple(t for t in _tokens(clean_text(text)) if _category(t) is not None)


_RE_EQUAL = _c(r"\bequal[- ]?weight\w*|\bequal[- ]?weighted\b|\bequal vs\b")
_RE_SECTOR = _c(r"\bsectors?\b")
_RE_LEADING = _c(r"\b(?:lead\w*|led|best|top|strongest|winning|winner\w*|performing|doing"
                 r"|ahead|outperform\w*|worst|weakest|lagg\w*|behind)\b")
_RE_SINCE_REC = _c(rf"\b(?:sessions|days|trading days|weeks|months)\b.*\bsince\b"
                   rf"|\bsince (?:the |its |their |a )?(?:last |latest |most recent )?{_REC}\b")
# "trading days since its last record", "how long since it set a record, in sessions": a count
_RE_IN_SESSIONS = _c(r"^(?:trading )?(?:sessions|days|trading days) since\b"
                     r"|\bin (?:trading )?(?:sessions|days|trading days)\b")
_RE_RANK = _c(r"\b(?:best|worst|biggest|most|fewest|least|top|record|busiest|quietest)"
              r"(?: [^ @]+){0,2}? years?\b|\byears?\b.*\b(?:most|fewest|least)\b"
              r"|\bwhich years?\b|\bwhat years?\b")
_RE_LOSING_RUN = _c(r"\b(?:losing|down|falling|red|lower|declining)(?: [^ @]+)? "
                    r"(?:streaks?|runs?|days?|sessions?|stretch\w*)\b"
                    r"|\b(?:streaks?|runs?|days?|sessions?)(?: [^ @]+)? (?:of )?"
                    r"(?:losses|declines|down|lower|falling|losing|drops)\b"
                    r"|\b(?:fallen|fell|dropped|declined|lost|gone down|closed lower|been down"
                    r"|lower)\b")
# "how long has the Dow been down", "how long has it kept rising": a run, never the day's move
_RE_HOW_LONG_RUN = _c(r"\bhow long\b")
_BARE = frozenset({"@", "the", "what", "about", "how", "and", "for", "whats"})
_SPANS = frozenset({"sessions", "week", "month", "since_date", "since_year"})
_RE_MOVE = _c(r"\b(?:do|did|does|doing|done|move\w*|change\w*|perform\w*|return\w*|gain\w*|up|down"
              r"|how much|how far|fare|fared|close|closed|closing|finish\w*|end(?:ed)?)\b")


def _refine(base: Intent, rest: str, syms: tuple[str, ...], period: Period,
            bound: Bound | None, today: datetime.date) -> tuple[Intent, tuple[str, ...]]:
    """Intents the first rules do not know: read from the qualifiers around them."""
    if _RE_EQUAL.search(rest):
        return "equal_vs_cap", syms
    if _RE_SECTOR.search(rest) and len(syms) <= 1 and _RE_LEADING.search(rest):
        return "sector_leadership", syms
    if not syms:
        return base, syms
    down = _RE_DOWN.search(rest) is not None
    rec = _RE_REC.search(rest) is not None
    ordinal = _RE_ORDINAL.search(rest)
    if base in ("current_streak", "longest_streak"):
        if base == "longest_streak" and _RE_LOSING_RUN.search(rest):
            return "laggard_losing_streak", syms
        if period.kind in ("week", "month", "since_date", "sessions") or (
            base == "current_streak" and period.kind in ("year", "since_year")
        ):
            return "pair_performance", syms
        return base, syms
    if base == "index_streak" and down and _RE_LOSING_RUN.search(rest):
        return "losing_streak", syms
    if rec:
        if (_RE_SINCE_REC.search(rest) and _RE_COUNT.search(rest)) or (
            _RE_IN_SESSIONS.search(rest) and re.search(r"\bsince\b", rest)
        ):
            return "sessions_since_record", syms
        if _RE_RANK.search(rest):
            return "record_year_rank", syms
        if base == "previous_record":
            return base, syms
        if ordinal is not None:
            n = _ordinal_value(ordinal.group(0))
            if n > 0 or bound is not None or period.kind not in ("none", "date"):
                return "nth_record", syms
        if bound is not None:
            if _RE_COUNT.search(rest) or bound.kind == "through":
                return "records_through", syms
            return "nth_record", syms
        if base == "is_record" and period.kind not in ("none", "date"):
            return "record_count", syms
        return base, syms
    if base == "unknown" and len(syms) == 1 and _RE_HOW_LONG_RUN.search(rest):
        # "how long has the Dow been down": the run, not the day's move
        return ("losing_streak" if down else "index_streak"), syms
    if base == "unknown" and len(syms) == 1 and _RE_MOVE.search(rest):
        if period.kind == "year":
            return "ytd_return", syms  # a past year: that whole year's return
        if period.kind in _SPANS:
            return "symbol_performance", syms
        if period.kind in ("none", "date"):
            return "day_move", syms
    if base == "unknown" and len(syms) == 1 and set(rest.split()) <= _BARE:
        if period.kind == "sessions":
            return "symbol_performance", syms  # "S&P 500 past 10 sessions"
        if period.kind == "year" and period.year == today.year:
            return "ytd_return", syms  # "nasdaq 100 ytd"
    return base, syms


def _ordinal_value(word: str) -> int:
    nth = _RE_NTH.fullmatch(word)
    if nth is not None:
        return int(nth.group(1))
    return _ORDINAL_WORDS.get(word.replace("-", " "), -1)


def _ordinal_of(rest: str, intent: Intent, bound: Bound | None) -> int | None:
    m = _RE_ORDINAL.search(rest)
    if m is not None:
        return _ordinal_value(m.group(0))
    if intent == "nth_record" and bound is not None:
        return 1 if bound.kind == "after" else -1
    if intent == "nth_record":
        return -1
    return None


def _unused(intent: Intent, rest: str, period: Period, period_words: list[str],
            extra: list[str], bound_words: list[str], window_words: list[str]) -> list[str]:
    uses = _USES.get(intent, frozenset())
    out: list[str] = list(extra)
    ok = _PERIODS_OK.get(intent, _ANY)
    if period.kind not in ok:
        out.extend(period_words)
    out.extend(w[1:] for w in bound_words if w.startswith("\0"))
    if intent not in _BOUNDED:
        out.extend(w for w in bound_words if not w.startswith("\0"))
    if intent != "run_at_least":
        out.extend(window_words)
    ordinals = [m.group(0) for m in _RE_ORDINAL.finditer(rest)]
    if "ordinal" in uses and len({_ordinal_value(w) for w in ordinals}) > 1:
        out.extend(ordinals)  # "the first ... last": which one is asked is not clear
    for tok in rest.split():
        cat = _category(tok)
        if cat is not None and cat not in uses:
            out.append(tok)
    return out


_ONE_SYMBOL = frozenset({
    "record_count", "nth_record", "records_through", "sessions_since_record", "record_year_rank",
    "losing_streak", "last_record", "is_record", "below_record", "previous_record", "index_streak",
    "day_move", "ytd_return", "symbol_performance",
})


def _in_bound_year(bound: Bound) -> bool:
    """A bound that counts within its own year: "through June", "before March 2024", "after
    3/16/2020" (not "after"/"before" a year or the election, which run over the data)."""
    if bound.kind == "through":
        return True
    if bound.kind == "after" or "election" in bound.words:
        return False
    return re.search(_MON, bound.words) is not None or re.search(r"\d/|-\d", bound.words) is not None


_PERIOD_INTENTS = frozenset({"pair_performance", "equal_vs_cap", "symbol_performance", "ytd_return",
                             "sector_leadership"})
_RE_NOT_A_RETURN = _c(r"\b(?:how many|number of|count of) (?:trading |up |down |green |red )?"
                      r"(?:days|sessions|times)\b|\bhow often\b|\b(?:days|sessions|times)\b"
                      r"|\b(?:streaks?|runs?|in a row|straight|consecutive)\b")
_RE_EXTREME = _c(r"\b(?:biggest|largest|smallest|best|worst|strongest|weakest)\b")
_RE_LAST_TIME = _c(r"\b(?:the )?last time\b")  # "when was the last time it fell 8 days straight"
# A comparison verb with one symbol named: the other side is not known.
_RE_ONE_SIDED = _c(r"\b(?:outperform\w*|underperform\w*|outpac\w*|beat(?:s|en|ing)?|lagg(?:ed|ing)"
                   r"|trail(?:ed|ing|s)?)\b")
_TICKERISH = re.compile(r"\$?\^?[A-Z][A-Z0-9.]{1,5}")


def _unknown_tickers(clean: str, avail: frozenset[str]) -> list[str]:
    """Words written like a ticker (``ARKK``, ``$TSLA``) that name no symbol with data."""
    out: list[str] = []
    for raw in clean.split():
        word = raw.strip(".,;:!?()[]'\"")
        if not _TICKERISH.fullmatch(word):
            continue
        low = word.lower().lstrip("$")
        if low in _STOPWORDS or low in _CATEGORY or low in _ABSORB or _category(low):
            continue
        if (low,) in _PHRASES or find(word.lstrip("$"), avail) is not None:
            continue
        out.append(word)
    return out


# Misspelled question words are read as the word they misspell, like names are (see
# bot.domain.symbols.correct_word): at least 6 letters, the same first letter, one edit
# (a swap of neighbours is one), and one closest word only. English words one edit from
# one of these are listed so that they are never "corrected".
_VOCAB: tuple[str, ...] = (
    "record", "records", "streak", "streaks", "session", "sessions", "outperform",
    "outperforms", "outperformed", "outperforming", "underperform", "underperformed",
    "consecutive", "straight", "leading", "beating", "sector", "sectors", "losing",
    "falling", "winning", "rising", "election", "yesterday", "through", "highest",
    "trading", "weighted", "longest", "previous", "versus", "january", "february",
    "august", "september", "october", "november", "december",
)
_NOT_TYPOS = frozenset({
    "worse", "closer", "failing", "leaning", "trailing", "risking", "winding", "winking",
    "falsing", "beading", "leasing", "loosing", "seating", "heating", "verses", "sectors",
})
_MIN_TYPO = 6


def _vocab_word(token: str) -> str | None:
    if len(token) < _MIN_TYPO or not token.isalpha() or token in _NOT_TYPOS:
        return None
    near = sorted(
        (d, w) for w in _VOCAB
        if w[0] == token[0] and abs(len(w) - len(token)) <= 1
        and (d := edit_distance(token, w)) <= 1
    )
    if not near or (len(near) > 1 and near[0][0] == near[1][0]):
        return None
    return near[0][1]


def _known_token(token: str) -> bool:
    return (token in _STOPWORDS or token in _CATEGORY or token in _ABSORB
            or token in _VOCAB or token in _PHRASE_TOKENS)


def _corrected(tokens: list[str], clean: str) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """``tokens`` with misspelled names and question words read as the word they misspell
    (``"rusell"`` -> ``"russell"``, ``"recrods"`` -> ``"records"``), and the corrections
    as (the word as typed, the word read)."""
    typed = {w.lower(): w for w in re.findall(r"[A-Za-z]+", clean)}
    out: list[str] = []
    fixes: dict[str, str] = {}
    for tok in tokens:
        fixed = None
        if tok.isalpha() and not _known_token(tok):
            name = correct_word(tok)
            fixed = name.lower() if name is not None else _vocab_word(tok)
        if fixed is None:
            out.append(tok)
            continue
        out.append(fixed)
        fixes.setdefault(typed.get(tok, tok), fixed)
    return out, tuple(fixes.items())


def _parse(text: str, today: datetime.date, available: Collection[str]) -> Question:
    clean = clean_text(text)
    tokens, fixes = _corrected(_tokens(clean), clean)
    if not tokens:
        return Question("unknown", (), NO_PERIOD, clean)
    avail = frozenset(s for s in available if isinstance(s, str))
    symbols, marked = _scan_symbols(tokens, avail)
    if not symbols and "@" not in marked and _is_help(tokens):
        return Question("help", (), NO_PERIOD, clean)
    bound, rest, bound_words = _find_bound(" ".join(marked), today)
    last_n, rest, last_n_words = _find_sessions(rest)
    window_words: list[str] = []
    window: int | None = None
    wm = _WINDOW.search(rest)
    if wm is not None:
        raw_n = wm.group("n")
        window = int(raw_n) if raw_n.isdigit() else _NUMBER_WORDS[raw_n]
        window_words = [wm.group(0)]
        rest = rest[: wm.start()] + " " + rest[wm.end():]
    period, rest, period_words, extra = _find_period(rest, today)
    if last_n is not None:
        extra.extend(period_words)  # a second period: no answer uses two
        period, period_words = last_n, last_n_words
    rest = " ".join(_TIME_NOISE.sub(" ", rest).split())
    base, syms = _decide(rest, symbols, period)
    intent, syms = _refine(base, rest, syms, period, bound, today)
    if (window is not None and _RE_RUN_WORDS.search(window_words[0]) and 1 <= len(syms) <= 2
            and intent in _RUN_INTENTS):
        intent = "run_at_least"  # "has the Russell ever beaten the S&P for 15 days straight?"
    if _RE_EQUAL.search(" ".join(tokens)):
        intent = "equal_vs_cap"
    if intent == "equal_vs_cap":
        syms = tuple(s for s in ("RSP", "SPY") if s in avail) or syms
    direction: Direction = "down" if _RE_DOWN.search(rest) else "none"
    if direction == "none" and re.search(r"\b(?:up|winning|rising|ris\w+|rose|gain\w*|green|higher)\b",
                                         rest):
        direction = "up"
    if intent == "run_at_least" and len(syms) == 2 and _RE_LAGGED.search(rest):
        direction = "down"  # "has the Russell lagged the S&P for 20 sessions"
    ever = intent == "run_at_least" and _RE_EVER.search(rest) is not None
    ordinal = _ordinal_of(rest, intent, bound)
    if intent == "last_record":
        ordinal = -1
    elif intent == "previous_record":
        ordinal = -2
    elif intent not in ("nth_record", "sessions_since_record"):
        ordinal = None
    if intent in ("record_count", "records_through") and period.kind == "none" and (
        bound is None or _in_bound_year(bound)
    ):
        # "how many records through June": this year's; "after the 2020 election" and
        # "before 2024" run from or to that day over the whole data
        year = bound.date.year if bound is not None else today.year
        period = Period("year", year=year)
    used_rest = _RE_LAST_TIME.sub(" ", rest) if intent == "run_at_least" else rest
    unused = _unused(intent, used_rest, period, period_words, extra, bound_words, window_words)
    if len(syms) > 1 and intent in _ONE_SYMBOL:
        # "is the S&P closer to its record than the Nasdaq": these answers are for one symbol
        unused.extend(f"{display_name(x)} (one symbol at a time)" for x in syms[1:])
    if len(syms) == 1 and intent not in ("unknown", "help", "equal_vs_cap", "sector_leadership"):
        unused.extend(m.group(0) for m in _RE_ONE_SIDED.finditer(rest))  # "outperformed" what?
    if intent in ("index_streak", "losing_streak", "run_at_least", "current_streak"):
        # "how many record closes in a row": records, not up days
        unused.extend(m.group(0) for m in _RE_REC_PLURAL.finditer(rest))
    if intent in _PERIOD_INTENTS:
        # "how many days has it outperformed this year", "more days than not", "the longest
        # winning streak": counts of days and runs, not the return over the period
        unused.extend(m.group(0) for m in _RE_NOT_A_RETURN.finditer(rest))
    if intent in ("symbol_performance", "ytd_return", "day_move"):
        # "its biggest gain this year": the best day, not the return
        unused.extend(m.group(0) for m in _RE_EXTREME.finditer(rest))
    fixed = {typo.lower() for typo, _ in fixes}
    unused.extend(t for t in _unknown_tickers(clean, avail) if t.lower().lstrip("$") not in fixed)
    if len(syms) == 1 and re.search(r"(?:^|\s)(?:vs|versus|v)(?:\s|$)", rest) and not unused:
        unused.append("vs")  # a comparison with one side not known
    if intent in ("unknown", "help"):
        unused = [t for t in unused if intent == "unknown"]
    if unused and intent not in ("unknown", "help"):
        return Question("unknown", syms, period, clean, direction, ordinal, bound, window,
                        tuple(unused), understood=intent, corrections=fixes)
    return Question(intent, syms, period, clean, direction, ordinal, bound, window,
                    tuple(unused), corrections=fixes, ever=ever)


def parse_question(
    text: str, *, today: datetime.date, available: Collection[str]
) -> Question:
    """Parse a plain-English question; never raises (the worst case is ``"unknown"``).

    Parameters
    ----------
    text : str
        The Slack message text (markup allowed).
    today : datetime.date
        The calendar day that "this year", "last year" and "yesterday" refer to.
    available : collection of str
        Symbols that have data; only these are returned in ``Question.symbols``.
    """
    try:
        if not isinstance(text, str):
            return Question("unknown", (), NO_PERIOD, "")
        return _parse(text, today, available)
    except Exception:  # never let a question crash the bot
        try:
            safe = clean_text(text) if isinstance(text, str) else ""
        except Exception:
            safe = ""
        return Question("unknown", (), NO_PERIOD, safe)


def describe_period(p: Period, *, today: datetime.date | None = None) -> str:
    """Words for a period: ``"in 2024"``, ``"since 2021"``, ``"on Jan 22, 2026"``, ``""``.

    With ``today``, the current year reads ``"this year"`` and the previous one
    ``"last year"``.
    """
    if p.kind == "year" and p.year is not None:
        if today is not None and p.year == today.year:
            return "this year"
        if today is not None and p.year == today.year - 1:
            return "last year"
        return f"in {p.year}"
    if p.kind == "since_year" and p.year is not None:
        return f"since {p.year}"
    if p.kind == "date" and p.date is not None:
        d = p.date
        return f"on {d:%b} {d.day}, {d.year}"
    if p.kind == "sessions" and p.sessions is not None:
        return f"over the last {p.sessions} session{'' if p.sessions == 1 else 's'}"
    return ""
