"""Read the checkable claims out of a paragraph of market prose (deterministic patterns).

Each sentence is scanned for the names the symbol resolver knows (the longest phrase
first: "the Russell 2000 index", "small caps", "the Dow"); each name is replaced by a
placeholder ``SYMn`` and the sentence is matched against one pattern per claim kind. A
claim's symbol is the name nearest before its verb (or "it"/"its": the last one named);
a pair claim takes the two names around its verb. Dates in context ("on Thursday",
"today", "yesterday", "on Jan 22, 2026") are resolved against the as-of date; otherwise a
claim is about the as-of session. Never raises, whatever the text.
"""

from __future__ import annotations

import calendar as _cal
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from bot.claims.model import Claim, Kind
from bot.domain.symbols import find

MAX_WORDS = 6  # longest symbol name tried, in words
_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_ORD_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_MONTHS = {m.lower(): i for i, m in enumerate(_cal.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(_cal.month_abbr) if m}
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(_cal.day_name)}

NUM = r"(\d[\d,]*|" + "|".join(_NUM_WORDS) + r")"
ORD = r"(\d+(?:st|nd|rd|th)|" + "|".join(_ORD_WORDS) + r")"
MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"((?:19|20)\d\d)"
PCT = r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)"
SYM = r"SYM(\d+)"
SESSIONS = r"(?:trading\s+)?(?:days|sessions)"
RUN = rf"{NUM}\s+(?:consecutive\s+|straight\s+|successive\s+)?{SESSIONS}(?:\s+in\s+a\s+row)?"
NTH_RUN = rf"(?:a|the)\s+{ORD}\s+(?:consecutive|straight|successive)\s+(?:trading\s+)?(?:day|session)"
REL = r"(?:outperformed|outperforming|outperforms|beaten|beat|beating|beats|outpaced|outpacing|outpaces|topped|outrun|outdone|outshone|bested)"
UP = r"rose|gained|added|climbed|jumped|advanced|rallied|rose|surged|soared|popped|increased|risen|gaining|rising|climbing|advancing|rebounded|spiked|leapt|leaped|rocketed|adding"
DOWN = r"fell|lost|declined|dropped|slid|sank|tumbled|shed|slipped|retreated|slumped|fallen|falling|declining|dropping|sliding|plunged|plummeted|tanked|dipped|eased|skidded|sagged|cratered|shedding|losing"
RECNOUN = (r"(?:(?:new|closing|all-time|all\s+time|record)\s+){0,3}"
           r"(?:record(?:s)?(?:\s+(?:close|closes|closing\s+highs?|highs?|finish(?:es)?))?|closing\s+highs?|highs?)")
SINCE_WHEN = rf"(?:{MONTH}\s+(?:(\d{{1,2}}),?\s+)?(?:of\s+)?)?{YEAR}"
_I = re.IGNORECASE


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


# --------------------------------------------------------------------------- patterns
P_REL_RUN = _p(rf"{SYM}(?:(?!SYM\d).){{0,60}}?\b{REL}\s+{SYM}(?:(?!SYM\d).){{0,40}}?\bfor\s+(?:the\s+past\s+|the\s+last\s+)?{RUN}")
P_REL_NTH = _p(rf"{SYM}(?:(?!SYM\d).){{0,60}}?\b{REL}\s+{SYM}(?:(?!SYM\d).){{0,40}}?\bfor\s+{NTH_RUN}")
P_REL_NTH_ING = _p(rf"{SYM}(?:(?!SYM\d).){{0,80}}?\b((?:its|a|the)\s+{ORD}\s+(?:consecutive\s+|straight\s+|successive\s+)?(?:trading\s+)?"
                   rf"(?:day|session)\s+(?:of\s+)?(?:outperforming|beating|outpacing|topping|ahead\s+of)\s+{SYM})")
SUBJECT_PRONOUN = r"\b(?:it|they|the\s+index|the\s+benchmark|the\s+gauge)\s+(?:has\s+|have\s+)?(?:now\s+)?"
P_REL_RUN_PRONOUN = _p(rf"{SUBJECT_PRONOUN}{REL}\s+{SYM}(?:(?!SYM\d).){{0,40}}?\bfor\s+(?:the\s+past\s+|the\s+last\s+)?{RUN}")
P_REL_EVERY = _p(rf"{SYM}(?:(?!SYM\d).){{0,60}}?\b{REL}\s+{SYM}\s+(?:on\s+)?every\s+(?:single\s+)?(?:trading\s+)?(?:day|session)\s+"
                 r"(?:so\s+far\s+)?(?:this\s+year|of\s+the\s+year|since\s+the\s+(?:start|beginning)\s+of\s+the\s+year|of\s+\d{4}|in\s+\d{4})")
P_REL_NDAY = _p(rf"{NUM}[- ](?:day|session)\s+(?:win(?:ning)?\s+)?(?:streak|run)\s+(?:for|of|by)\s+{SYM}\s+(?:vs\.?|versus|against|over|relative\s+to)\s+{SYM}")
P_REL_NDAY2 = _p(rf"{SYM}(?:'s|’s)?\s+{NUM}[- ](?:day|session)\s+(?:win(?:ning)?\s+)?(?:streak|run)\s+(?:vs\.?|versus|against|over)\s+{SYM}")
P_RUN = _p(rf"\b({UP}|{DOWN})\s+(?:for\s+)?(?:the\s+past\s+|the\s+last\s+)?{RUN}")
P_NTH = _p(rf"\b({UP}|{DOWN})\s+for\s+{NTH_RUN}")
P_NDAY = _p(rf"{NUM}[- ](?:day|session)\s+(win(?:ning)?|los(?:ing)?)\s+(?:streak|run)")
P_LONGEST_SINCE = _p(rf"\blongest(?:\s+(?:such\s+)?(win(?:ning)?|los(?:ing)?)?\s*(?:streak|run|stretch))?\s+since\s+{SINCE_WHEN}")
P_LONGEST_SINCE_MONTH = _p(rf"\blongest(?:\s+(?:such\s+)?(win(?:ning)?|los(?:ing)?)?\s*(?:streak|run|stretch))?\s+since\s+{MONTH}(?!\s*\d)")
P_FIRST_TIME = _p(rf"\bfirst\s+time\s+since\s+{SINCE_WHEN}")
P_LONGEST_IN = _p(rf"\blongest(?:\s+(?:streak|run|stretch))?\s+in\s+{NUM}\s+years")
P_RANK = _p(rf"\b(?:(?:the\s+)?{ORD}[- ])?longest(?:\s+(?:streak|run|stretch))?\s+(?:on\s+record|ever|in\s+history|in\s+the\s+data)")
P_RECORD_STREAK = _p(rf"\bthe\s+longest(?:\s+(?:one|streak|run|such\s+streak))?\s+(?:lasted|ran\s+for|was)\s+{NUM}\s+{SESSIONS}"
                     rf"(?:\s+and\s+ended\s+(?:in\s+|on\s+)?(?:{MONTH}\s+(?:\d{{1,2}},?\s+)?(?:of\s+)?)?{YEAR})?")
P_NTH_RECORD = _p(rf"\b{ORD}\s+{RECNOUN}\s+(?:of|in|for|this)\s+(?:the\s+year|this\s+year|year|{YEAR})")
P_COUNT = _p(rf"\b{NUM}\s+{RECNOUN}\s+(?:so\s+far\s+)?(?:in|during|this|for)\s+(?:the\s+year|year|{YEAR})")
P_FIRST_SINCE = _p(rf"\bfirst\s+{RECNOUN}\s+since\s+{SINCE_WHEN}")
P_FIRST_IN = _p(rf"\bfirst\s+{RECNOUN}\s+in\s+(?:more\s+than\s+|over\s+|nearly\s+|almost\s+)?{NUM}\s+{SESSIONS}")
P_STRETCH = _p(rf"\b(?:stretch|streak|run|drought|span)\s+of\s+{NUM}\s+{SESSIONS}\s+without\s+(?:a\s+)?{RECNOUN}")
P_AFTER_PREV = _p(rf"\b{NUM}\s+{SESSIONS}\s+(?:after|since)\s+(?:the|its)\s+(?:previous|prior|last)\s+{RECNOUN}")
P_RECORD_CLOSE = _p(r"\b(?:closed|close|closing|ended|finished|settled)\s+at\s+(?:a\s+|an\s+|another\s+)?(?:new\s+)?(?:all-time\s+|record\s+)*(?:record|all-time\s+high)"
                    r"|\b(?:set|notched|posted|hit|marked|logged|scored|clinched)\s+(?:a\s+|another\s+)?(?:new\s+)?(?:record\s+close|closing\s+(?:record|high)|record\s+closing\s+high)")
P_YTD = _p(rf"\b(?:is|was|are|were|has|have|stands?)\s+(?:now\s+)?(?:({UP}|up|higher)|({DOWN}|down|lower))\s+(?:about\s+|nearly\s+|roughly\s+|almost\s+|some\s+)?{PCT}\s+"
           r"(?:so\s+far\s+)?(?:this\s+year|year[- ]to[- ]date|ytd|in\s+\d{4}\s+so\s+far|for\s+the\s+year|since\s+the\s+start\s+of\s+the\s+year)")
P_PCT = _p(rf"\b(?:(?:closed|ended|finished|settled)\s+)?(?:({UP}|up|higher)|({DOWN}|down|lower))\s+(?:about\s+|nearly\s+|roughly\s+|almost\s+|some\s+|by\s+)?{PCT}")
P_POINTS = _p(rf"\b(?:({UP}|up|higher)|({DOWN}|down|lower))\s+(?:about\s+|nearly\s+|roughly\s+|some\s+|by\s+)?(\d[\d,]*(?:\.\d+)?)\s+points")
P_LEVEL = _p(r"\b(?:closed|close|closing|ended|end|ending|finished|finish|finishing|settled|settle|settling)(?:\s+the\s+(?:day|session))?\s+at\s+(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{3,})(?!\s*(?:%|percent|\d))")
P_LEVEL_RECORD = _p(r"\b(?:closed|close|ended|finished|settled)\s+at\s+(?:a\s+)?(?:new\s+)?record(?:\s+(?:high|close))?(?:\s+of)?\s+(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?!\s*(?:%|percent|\d))")
P_OR_PCT = _p(rf",?\s+or\s+(?:about\s+|nearly\s+|roughly\s+|almost\s+|some\s+)?{PCT}")
P_PRONOUN = _p(r"\b(?:it|its|they|their|that['’]s|the\s+(?:small-cap\s+|large-cap\s+|tech-heavy\s+|blue-chip\s+|broad\s+)?(?:index|benchmark|gauge|average))\b")

P_ON_WEEKDAY = _p(r"\b(?:on\s+)?(" + "|".join(_WEEKDAYS) + r")\b")
P_ON_DATE = _p(rf"\b(?:on\s+)?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+{YEAR})?\b")
P_ISO = _p(r"\b(\d{4})-(\d{2})-(\d{2})\b")
P_TODAY = _p(r"\b(today|yesterday)\b")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    masked: str  # the sentence with each name replaced by SYMn
    symbols: tuple[str, ...]  # SYMn -> symbol
    positions: tuple[int, ...]  # where each SYMn starts in ``masked``
    unknown: str | None = None
    # (masked start, masked end, text start, text end) of each SYMn, to map a match back
    tokens: tuple[tuple[int, int, int, int], ...] = ()

    def original(self, a: int, b: int) -> tuple[int, int]:
        """Offsets in ``text`` of the masked slice ``masked[a:b]``."""
        return self._at(a, start=True), self._at(b, start=False)

    def _at(self, pos: int, *, start: bool) -> int:
        shift = 0
        for ma, mb, ta, tb in self.tokens:
            if pos < ma or (pos == ma and not start):
                break
            if pos < mb or (pos == mb and not start):
                return ta if start else tb
            shift = tb - mb
        return pos + shift


def number(text: str) -> str:
    """``"1,234"`` -> ``"1234"``, ``"fourteen"`` -> ``"14"``, ``"8th"`` -> ``"8"``."""
    t = text.lower().replace(",", "")
    if t in _NUM_WORDS:
        return str(_NUM_WORDS[t])
    if t in _ORD_WORDS:
        return str(_ORD_WORDS[t])
    return re.sub(r"(st|nd|rd|th)$", "", t)


_ABBREV = frozenset({"vs", "v", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                     "nov", "dec", "u.s", "inc", "corp", "mr", "ms", "dr", "st", "no", "approx", "e.g", "i.e"})
_BREAK = re.compile(r"[.!?]+(?=\s|$)|\n")


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """``(start, sentence)`` for each sentence: split at . ! ? before a space (not after an
    abbreviation such as "vs." or "Jan." followed by a lower-case word or a number) and at
    line ends."""
    start = 0
    for m in _BREAK.finditer(text):
        if m.group(0) == "." and _abbreviation(text, m.start(), m.end()):
            continue
        chunk = text[start:m.end()]
        if chunk.strip():
            yield start + len(chunk) - len(chunk.lstrip()), chunk.strip()
        start = m.end()
    chunk = text[start:]
    if chunk.strip():
        yield start + len(chunk) - len(chunk.lstrip()), chunk.strip()


def _abbreviation(text: str, dot: int, end: int) -> bool:
    word = re.search(r"([A-Za-z.]+)$", text[:dot])
    if word is None or word.group(1).lower().strip(".") not in _ABBREV:
        return False
    nxt = text[end:].lstrip()[:1]
    return not nxt or not nxt.isupper() or word.group(1).lower() in {"vs", "v"}


_WORD = re.compile(r"[A-Za-z0-9^&][A-Za-z0-9^&.\-]*(?:['’]s)?")


def mask(text: str, start: int, available: Collection[str]) -> Sentence:
    """The sentence with every symbol name (longest phrase first) replaced by ``SYMn``.

    A market the data does not have (:data:`OTHER_MARKETS`) is masked too, as the symbol
    ``"?" + its name``, so a claim about it is not given to a US index named before it.
    """
    others = [(m.start(), m.end()) for m in OTHER_MARKETS.finditer(text)]
    words = list(_WORD.finditer(text))
    out: list[str] = []
    symbols: list[str] = []
    positions: list[int] = []
    tokens: list[tuple[int, int, int, int]] = []
    cursor = 0
    built = 0
    i = 0
    while i < len(words):
        hit = None
        other = next(((a, b) for a, b in others if a == words[i].start()), None)
        if other is not None:
            n = sum(1 for w in words[i:] if w.start() < other[1])
            hit = (n, other[0], other[1], "?" + text[other[0]:other[1]])
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            if hit is not None:
                break
            a, b = words[i].start(), words[i + n - 1].end()
            phrase = re.sub(r"['’]s$", "", text[a:b]).rstrip(".-")
            if n == 1 and not _worth_one(phrase):
                continue
            sym = find(phrase, available)
            if sym is not None:
                hit = (n, a, b, sym)
        if hit is None:
            i += 1
            continue
        n, a, b, sym = hit
        piece = text[cursor:a]
        out.append(piece)
        built += len(piece)
        token = f"SYM{len(symbols)}"
        positions.append(built)
        tokens.append((built, built + len(token), a, b))
        out.append(token)
        built += len(token)
        symbols.append(sym)
        cursor = b
        i += n
    out.append(text[cursor:])
    return Sentence(text, start, "".join(out), tuple(symbols), tuple(positions), tokens=tuple(tokens))


# Markets a US-index note may mention that are not in the data: a claim about one is
# unverifiable (named), never checked against the last US index named before it.
OTHER_MARKETS = _p(
    r"\b(?:the\s+)?(?:FTSE(?:\s+(?:100|250|MIB|All-World))?|DAX|CAC(?:\s+40)?|(?:Euro\s+)?Stoxx(?:\s+(?:50|600|Europe\s+600))?|"
    r"Nikkei(?:\s+225)?|Topix|Hang\s+Seng|Shanghai\s+Composite|CSI\s+300|Kospi|Sensex|Nifty(?:\s+50)?|ASX(?:\s+200)?|"
    r"TSX|S&P/TSX(?:\s+Composite)?|Bovespa|IPC|MSCI\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*|bitcoin|ether|gold|silver|oil|crude|Brent|WTI|"
    r"(?:the\s+)?(?:10|2|30)-year\s+(?:Treasury\s+)?yield|Treasur(?:y|ies)|the\s+dollar|the\s+euro|the\s+yen|"
    r"Apple|Microsoft|Nvidia|Tesla|Amazon|Alphabet|Meta)\b"
)

_ONE_WORD_NEVER = frozenset({"STOCKS", "STOCK", "MARKET", "ES", "A", "IT", "ON", "ALL"})


def _worth_one(word: str) -> bool:
    """One word names a symbol only if it is a name, not everyday English ("stocks")."""
    return word.upper() not in _ONE_WORD_NEVER


class _Located(Protocol):
    def start(self) -> int: ...
    def end(self) -> int: ...


@dataclass(frozen=True)
class _At:
    """A place in the masked sentence that is not a whole match."""

    a: int
    b: int

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b


@dataclass
class Context:
    """What earlier sentences said: the last symbol named and the last streak claimed."""

    last_symbol: str | None = None
    streak: Claim | None = None


def _session(s: str, as_of: date) -> date:
    """The day a sentence is about: a date, a weekday, today/yesterday, else ``as_of``."""
    m = P_ISO.search(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    m = P_ON_DATE.search(s)
    if m and m.group(1).lower() in _MONTHS:
        month, day = _MONTHS[m.group(1).lower()], int(m.group(2))
        year = int(m.group(3)) if m.group(3) else as_of.year
        try:
            d = date(year, month, day)
            if m.group(3) is None and d > as_of:
                d = date(year - 1, month, day)
            return d
        except ValueError:
            pass
    m = P_ON_WEEKDAY.search(s)
    if m:
        back = (as_of.weekday() - _WEEKDAYS[m.group(1).lower()]) % 7
        return as_of - timedelta(days=back)
    m = P_TODAY.search(s)
    if m and m.group(1).lower() == "yesterday":
        d = as_of - timedelta(days=1)
        while d.weekday() >= 5:
            d -= timedelta(days=1)
        return d
    return as_of


def _month_year(month: str | None, year: str | None, as_of: date) -> tuple[int | None, int | None]:
    mo = _MONTHS.get(month.lower().rstrip(".")) if month else None
    if year:
        return mo, int(year)
    if mo is not None:  # "since July": the latest July before the as-of month
        return mo, as_of.year if mo < as_of.month else as_of.year - 1
    return None, None


def _sym_before(sent: Sentence, pos: int, ctx: Context) -> str | None:
    """The symbol named last before ``pos`` (or a pronoun's), else the context's."""
    best = None
    for p, sym in zip(sent.positions, sent.symbols, strict=True):
        if p <= pos and not _OBJECT.search(sent.masked[:p]):
            best = sym
    if best is None and P_PRONOUN.search(sent.masked, 0, pos):
        return ctx.last_symbol  # "it", "its", "the index": the last one named
    return best


_OBJECT = _p(rf"(?:{REL}|vs\.?|versus|against|than|over|relative\s+to)\s+$")


def _sign(up: str | None, down: str | None) -> int:
    return 1 if up else -1 if down else 0


def _streak_sign(word: str | None, verb_re: str = UP) -> int:
    if word is None:
        return 0
    w = word.lower()
    if w.startswith("win"):
        return 1
    if w.startswith("los"):
        return -1
    return 1 if re.fullmatch(verb_re, w, _I) else -1


def extract(text: str, as_of: date, available: Collection[str]) -> list[Claim]:
    """Every claim in ``text``, in order of appearance; ``as_of`` dates "today" and weekdays."""
    claims: list[Claim] = []
    ctx = Context()
    for start, raw in sentences(text):
        sent = mask(raw, start, available)
        found = list(_claims_in(sent, as_of, ctx))
        found.sort(key=lambda pc: pc[0])
        claims.extend(c for _, c in found)
        if sent.symbols:
            ctx.last_symbol = sent.symbols[0]
    return claims


def _claims_in(sent: Sentence, as_of: date, ctx: Context) -> Iterator[tuple[int, Claim]]:
    s = sent.masked
    day = _session(s, as_of)
    span = (sent.start, sent.start + len(sent.text))
    taken: list[tuple[int, int]] = []

    def free(m: _Located) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    def make(m: _Located, kind: Kind, symbols: tuple[str, ...], **kw: object) -> tuple[int, Claim]:
        taken.append((m.start(), m.end()))
        a, b = sent.original(m.start(), m.end())
        unknown = next((x[1:] for x in symbols if x.startswith("?")), None)
        if unknown is not None:  # a market the data does not have
            symbols, kw = (), {**kw, "unresolved": unknown}
        claim = Claim(kind, sent.text, span, sent.text[a:b], symbols, day, **kw)  # type: ignore[arg-type]
        claim = replace(claim, phrase_span=(sent.start + a, sent.start + b))
        return m.start(), claim

    def pair(m: re.Match[str], ia: int, ib: int) -> tuple[str, ...]:
        return (sent.symbols[int(m.group(ia))], sent.symbols[int(m.group(ib))])

    # relative streaks
    for pat in (P_REL_RUN, P_REL_NTH):
        for m in pat.finditer(s):
            if free(m):
                syms = pair(m, 1, 2)
                pc = make(m, "relative_streak", syms, number=number(m.group(3)), sign=1)
                ctx.streak = pc[1]
                yield pc
    for m in P_REL_NTH_ING.finditer(s):  # the claim is the ordinal phrase, not the sentence before it
        at = _At(m.start(2), m.end())
        if free(at):
            pc = make(at, "relative_streak", pair(m, 1, 4), number=number(m.group(3)), sign=1)
            ctx.streak = pc[1]
            yield pc
    for m in P_REL_RUN_PRONOUN.finditer(s):
        if free(m) and ctx.last_symbol and sent.symbols[int(m.group(1))] != ctx.last_symbol:
            syms = (ctx.last_symbol, sent.symbols[int(m.group(1))])
            pc = make(m, "relative_streak", syms, number=number(m.group(2)), sign=1)
            ctx.streak = pc[1]
            yield pc
    for m in P_REL_EVERY.finditer(s):
        if free(m):
            pc = make(m, "relative_streak", pair(m, 1, 2), sign=1, every_session_of_year=True)
            ctx.streak = pc[1]
            yield pc
    for m in P_REL_NDAY.finditer(s):
        if free(m):
            pc = make(m, "relative_streak", pair(m, 2, 3), number=number(m.group(1)), sign=1)
            ctx.streak = pc[1]
            yield pc
    for m in P_REL_NDAY2.finditer(s):
        if free(m):
            pc = make(m, "relative_streak", pair(m, 1, 3), number=number(m.group(2)), sign=1)
            ctx.streak = pc[1]
            yield pc
    # one index's streaks
    for pat in (P_RUN, P_NTH):
        for m in pat.finditer(s):
            sym = _sym_before(sent, m.start(), ctx)
            if free(m) and sym:
                pc = make(m, "streak", (sym,), number=number(m.group(2)), sign=_streak_sign(m.group(1)))
                ctx.streak = pc[1]
                yield pc
    for m in P_NDAY.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and sym:
            pc = make(m, "streak", (sym,), number=number(m.group(1)), sign=_streak_sign(m.group(2)))
            ctx.streak = pc[1]
            yield pc
    # longest since / rank / record streak: about the streak claimed last
    for pat in (P_LONGEST_SINCE, P_LONGEST_SINCE_MONTH, P_FIRST_TIME):
        for m in pat.finditer(s):
            if not free(m):
                continue
            groups = m.groups()
            kind_word = groups[0] if pat is not P_FIRST_TIME else None
            rest = groups[1:] if pat is not P_FIRST_TIME else groups
            month_text = rest[0] if rest else None
            year_text = rest[2] if len(rest) > 2 else None
            mo, yr = _month_year(month_text, year_text, as_of)
            base = _streak_context(sent, m.start(), ctx, kind_word)
            yield make(m, "longest_since", base.symbols if base else (), sign=base.sign if base else 0,
                       year=yr, month=mo, number=base.number if base else None,
                       every_session_of_year=base.kind == "relative_streak" if base else False)
    for m in P_LONGEST_IN.finditer(s):
        if free(m):
            base = _streak_context(sent, m.start(), ctx, None)
            yield make(m, "longest_since", base.symbols if base else (), sign=base.sign if base else 0,
                       number=number(m.group(1)), every_session_of_year=base.kind == "relative_streak" if base else False,
                       in_years=True)
    for m in P_RANK.finditer(s):
        if free(m):
            base = _streak_context(sent, m.start(), ctx, None)
            rank = number(m.group(1)) if m.group(1) else "1"
            yield make(m, "streak_rank", base.symbols if base else (), sign=base.sign if base else 0, number=rank,
                       every_session_of_year=base.kind == "relative_streak" if base else False)
    for m in P_RECORD_STREAK.finditer(s):
        if free(m):
            base = _streak_context(sent, m.start(), ctx, None)
            mo, yr = _month_year(m.group(2), m.group(3), as_of)
            yield make(m, "record_streak", base.symbols if base else (), sign=base.sign if base else 0,
                       number=number(m.group(1)), year=yr, month=mo,
                       every_session_of_year=base.kind == "relative_streak" if base else False)
    # records
    for m in P_NTH_RECORD.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)):
            yr = int(m.group(2)) if m.group(2) else day.year
            yield make(m, "nth_record", _one(sym), number=number(m.group(1)), year=yr)
    for m in P_FIRST_SINCE.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)):
            mo, yr = _month_year(m.group(1), m.group(3), as_of)
            yield make(m, "first_record_since", _one(sym), year=yr, month=mo)
    for m in P_COUNT.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)):
            yr = int(m.group(2)) if m.group(2) else day.year
            yield make(m, "record_count", _one(sym), number=number(m.group(1)), year=yr)
    for pat in (P_STRETCH, P_AFTER_PREV, P_FIRST_IN):
        for m in pat.finditer(s):
            sym = _sym_before(sent, m.start(), ctx)
            if free(m) and (sym or _about_stocks(s)):
                yield make(m, "sessions_without_record", _one(sym), number=number(m.group(1)))
    for m in P_RECORD_CLOSE.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)):
            yield make(m, "record_close", _one(sym))
    # moves and levels
    for m in P_YTD.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)):
            yield make(m, "ytd", _one(sym), number=m.group(3), sign=_sign(m.group(1), m.group(2)), year=day.year)
    for m in P_PCT.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)) and not _followed_by_period(s, m.end()):
            yield make(m, "move_pct", _one(sym), number=m.group(3), sign=_sign(m.group(1), m.group(2)))
    for m in P_POINTS.finditer(s):
        sym = _sym_before(sent, m.start(), ctx)
        if free(m) and (sym or _about_stocks(s)):
            yield make(m, "move_points", _one(sym), number=number(m.group(3)), sign=_sign(m.group(1), m.group(2)))
            pct = P_OR_PCT.match(s, m.end())  # "gained 306.78 points, or 0.63%"
            if pct:
                yield make(_At(pct.start(1), pct.end()), "move_pct", _one(sym), number=pct.group(1),
                           sign=_sign(m.group(1), m.group(2)))
    for m in (*P_LEVEL.finditer(s), *P_LEVEL_RECORD.finditer(s)):
        sym = _sym_before(sent, m.start(), ctx)
        record_level = bool(re.search(r"record", m.group(0), _I))  # "closed at a record 2,718.77": two claims
        if (free(m) or record_level) and (sym or _about_stocks(s)):
            yield make(m, "close_level", _one(sym), number=number(m.group(1)))


_STOCKS = _p(r"\b(?:stocks?|shares|equities|the\s+market|Wall\s+Street|index|indexes|indices|benchmark|average)\b")


def _about_stocks(s: str) -> bool:
    """A sentence about the market that names no index: its figures are claims we cannot place."""
    return bool(_STOCKS.search(s))


def _one(sym: str | None) -> tuple[str, ...]:
    return (sym,) if sym else ()


_PERIOD_AFTER = _p(r"\s+(?:so\s+far\s+)?(?:this|last|in|over|since|for|year|month|week|ytd)\b")


def _followed_by_period(s: str, end: int) -> bool:
    """A percentage over a period ("up 12% this year", "down 3% in March") is not a day's move."""
    return bool(_PERIOD_AFTER.match(s, end))


def _streak_context(sent: Sentence, pos: int, ctx: Context, kind_word: str | None) -> Claim | None:
    """The streak a "longest since" is about: the last one claimed, or "its winning streak"."""
    if ctx.streak is not None and kind_word is None:
        return ctx.streak
    sym = _sym_before(sent, pos, ctx)
    sign = _streak_sign(kind_word) if kind_word else 0
    if ctx.streak is not None and (not sign or ctx.streak.sign == sign or ctx.streak.kind == "relative_streak"):
        return ctx.streak if ctx.streak.kind == "relative_streak" or not sym or sym in ctx.streak.symbols else (
            replace(ctx.streak, symbols=(sym,), sign=sign or ctx.streak.sign))
    if sym and sign:
        return Claim("streak", sent.text, (0, 0), "", (sym,), ctx.streak.session if ctx.streak else date.min, sign=sign)
    return None
