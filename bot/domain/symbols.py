"""Symbols: aliases, everyday words, display names and the one resolver of what users type.

Resolution is pure: it takes the set of symbols that have data and never touches the
network. ``resolve("rut", available)`` -> ``"^RUT"``, ``resolve("small caps", available)``
-> ``"^RUT"``. The slash commands, the plain-words question parser and the command line all
read symbols through this module, so a word means the same thing everywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from bot.domain.errors import UserError


@dataclass(frozen=True)
class SymbolInfo:
    """Display facts about a symbol.

    ``adjusted`` marks dividend-adjusted closes (fine for relative performance, wrong
    for price-record claims). ``^VIX`` is an index *level* (implied volatility, not a
    price): it is treated like a price index, so its "records" are record levels and its
    "returns" are relative changes of the level.
    """

    symbol: str
    name: str
    kind: str  # "index" or "etf"
    adjusted: bool = False


KNOWN: dict[str, SymbolInfo] = {
    s.symbol: s
    for s in [
        SymbolInfo("^GSPC", "S&P 500", "index"),
        SymbolInfo("^RUT", "Russell 2000", "index"),
        SymbolInfo("^NDX", "Nasdaq 100", "index"),
        SymbolInfo("^IXIC", "Nasdaq Composite", "index"),
        SymbolInfo("^DJI", "Dow Jones Industrial Average", "index"),
        SymbolInfo("^VIX", "Cboe Volatility Index", "index"),
        SymbolInfo("SPY", "SPDR S&P 500 ETF (SPY)", "etf", adjusted=True),
        SymbolInfo("RSP", "Invesco S&P 500 Equal Weight ETF (RSP)", "etf", adjusted=True),
        SymbolInfo("IWM", "iShares Russell 2000 ETF (IWM)", "etf", adjusted=True),
        SymbolInfo("QQQ", "Invesco QQQ Trust (QQQ)", "etf", adjusted=True),
        SymbolInfo("XLK", "Technology sector (XLK)", "etf", adjusted=True),
        SymbolInfo("XLF", "Financials sector (XLF)", "etf", adjusted=True),
        SymbolInfo("XLE", "Energy sector (XLE)", "etf", adjusted=True),
        SymbolInfo("XLV", "Health Care sector (XLV)", "etf", adjusted=True),
        SymbolInfo("XLY", "Consumer Discretionary sector (XLY)", "etf", adjusted=True),
        SymbolInfo("XLP", "Consumer Staples sector (XLP)", "etf", adjusted=True),
        SymbolInfo("XLI", "Industrials sector (XLI)", "etf", adjusted=True),
        SymbolInfo("XLB", "Materials sector (XLB)", "etf", adjusted=True),
        SymbolInfo("XLU", "Utilities sector (XLU)", "etf", adjusted=True),
        SymbolInfo("XLRE", "Real Estate sector (XLRE)", "etf", adjusted=True),
        SymbolInfo("XLC", "Communication Services sector (XLC)", "etf", adjusted=True),
    ]
}

SECTOR_ETFS: tuple[str, ...] = (
    "XLK", "XLF", "XLE", "XLV", "XLY", "XLP", "XLI", "XLB", "XLU", "XLRE", "XLC",
)
MAIN_INDICES: tuple[str, ...] = ("^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT")
SUMMARY_ANCHOR = "^GSPC"  # the market-leadership summary describes the S&P 500's sessions

# Keys are normalised (upper case, single spaces).
ALIASES: dict[str, str] = {
    "SPX": "^GSPC", "S&P 500": "^GSPC", "S&P500": "^GSPC", "S&P": "^GSPC", "ES": "^GSPC",
    "GSPC": "^GSPC", "SP500": "^GSPC", "SP 500": "^GSPC", "SPX500": "^GSPC", "SPX 500": "^GSPC",
    "SNP": "^GSPC", "SNP500": "^GSPC", "SNP 500": "^GSPC", "S AND P": "^GSPC",
    "S AND P 500": "^GSPC", "STANDARD & POOR'S 500": "^GSPC", "STANDARD AND POORS 500": "^GSPC",
    "RUT": "^RUT", "R2K": "^RUT", "RTY": "^RUT", "RUSSELL 2000": "^RUT", "RUSSELL": "^RUT",
    "RUSSELL2000": "^RUT", "R2000": "^RUT",
    "NDX": "^NDX", "NASDAQ 100": "^NDX", "NASDAQ-100": "^NDX", "NASDAQ100": "^NDX",
    "COMP": "^IXIC", "NASDAQ": "^IXIC", "NASDAQ COMPOSITE": "^IXIC", "IXIC": "^IXIC",
    "DJIA": "^DJI", "INDU": "^DJI", "DOW": "^DJI", "DOW JONES": "^DJI", "DJI": "^DJI",
    "THE DOW": "^DJI", "DOW 30": "^DJI",
    "VIX": "^VIX", "CBOE VIX": "^VIX", "VOLATILITY INDEX": "^VIX",
}

# Everyday words for a symbol, lower case as people write them (only used when they have
# data): "small caps", "the market", "tech". Multi-word aliases above and display names
# are phrases too; see :func:`phrase_sources`. Written with spaces: "small-cap" and
# "smallcaps" are the same phrase to :func:`resolve` (and to the question parser).
EVERYDAY: dict[str, str] = {
    # small caps
    "small caps": "^RUT", "small cap": "^RUT", "the russell": "^RUT", "russell 2k": "^RUT",
    "small cap index": "^RUT",
    # large caps / the market
    "large caps": "^GSPC", "large cap": "^GSPC", "the market": "^GSPC",
    "the stock market": "^GSPC", "stock market": "^GSPC", "the broad market": "^GSPC",
    "the s&p": "^GSPC", "stocks": "^GSPC", "the spx": "^GSPC",
    "big caps": "^GSPC", "big cap": "^GSPC",
    # tech, and mega caps: the Nasdaq-100 is the 100 largest Nasdaq listings
    "tech": "^NDX", "tech stocks": "^NDX", "big tech": "^NDX", "technology stocks": "^NDX",
    "the nasdaq 100": "^NDX", "the ndx": "^NDX",
    "mega caps": "^NDX", "mega cap": "^NDX",
    # the Nasdaq Composite
    "the nasdaq": "^IXIC", "nasdaq composite": "^IXIC", "the nasdaq composite": "^IXIC",
    "the composite": "^IXIC",
    # the Dow
    "the dow": "^DJI", "blue chips": "^DJI", "blue chip": "^DJI", "the dow jones": "^DJI",
    "dow industrials": "^DJI", "the dow industrials": "^DJI", "dow jones industrials": "^DJI",
    # volatility
    "fear gauge": "^VIX", "fear index": "^VIX", "the vix": "^VIX",
    # equal weight vs cap weight (used only when they have data)
    "equal weight": "RSP", "equal weight s&p": "RSP", "equal weight s&p 500": "RSP",
    "equal weighted s&p": "RSP", "equal weighted s&p 500": "RSP",
    "the equal weight s&p": "RSP", "the equal weight s&p 500": "RSP", "equal weighted": "RSP",
    "cap weight": "SPY", "cap weighted": "SPY", "cap weight s&p": "SPY",
    "cap weight s&p 500": "SPY", "cap weighted s&p": "SPY", "cap weighted s&p 500": "SPY",
    "market cap weight": "SPY", "market cap weighted": "SPY",
    # sectors (the sector SPDRs; used only when they have data)
    "tech sector": "XLK", "technology sector": "XLK", "information technology": "XLK",
    "financials": "XLF", "banks": "XLF", "financial sector": "XLF", "financials sector": "XLF",
    "energy": "XLE", "energy stocks": "XLE", "energy sector": "XLE",
    "health care": "XLV", "healthcare": "XLV", "health care sector": "XLV",
    "healthcare sector": "XLV",
    "consumer discretionary": "XLY", "discretionary": "XLY",
    "consumer discretionary sector": "XLY", "discretionary sector": "XLY",
    "consumer staples": "XLP", "staples": "XLP", "consumer staples sector": "XLP",
    "staples sector": "XLP",
    "industrials": "XLI", "industrials sector": "XLI", "industrial sector": "XLI",
    "materials": "XLB", "materials sector": "XLB", "basic materials": "XLB",
    "utilities": "XLU", "utilities sector": "XLU", "utility sector": "XLU",
    "real estate": "XLRE", "real estate sector": "XLRE", "reits": "XLRE",
    "communication services": "XLC", "communications": "XLC",
    "communication services sector": "XLC", "communications sector": "XLC", "telecom": "XLC",
    "communications services": "XLC",
}

_EVERYDAY_KEYS: dict[str, str] = {" ".join(k.upper().split()): v for k, v in EVERYDAY.items()}
_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,14}$")

How = Literal["ticker", "alias", "name", "word", "spelling"]
"""How a text was read: a ticker in the data (``IWM``, ``^RUT``), an alias (``SPX``), a
display name (``Nasdaq Composite``), an everyday word (``small caps``), or a misspelling of
one of those (``Rusell``)."""


@dataclass(frozen=True)
class Resolution:
    """What a user typed and the symbol it was read as, e.g. ``"Rusell"`` -> ``^RUT``.

    ``read_as`` is the known word or ticker it matched (``"RUSSELL"``); ``how`` says which
    kind it is. An answer states ``text`` -> :attr:`name` when :attr:`corrected` (or always).
    """

    text: str
    symbol: str
    how: How
    read_as: str

    @property
    def corrected(self) -> bool:
        """True when the text was a misspelling, read as :attr:`read_as`."""
        return self.how == "spelling"

    @property
    def name(self) -> str:
        """The display name of the symbol (``"Russell 2000"``)."""
        return display_name(self.symbol)


def _compact(key: str) -> str:
    """A normalised key without spaces, hyphens and dots: ``"SMALL-CAP"`` -> ``"SMALLCAP"``."""
    return re.sub(r"[\s.\-]+", "", key)


def _phrase_table() -> dict[str, list[tuple[str, How, str]]]:
    """Compact key -> ``(symbol, how, phrase)`` in precedence order (names, aliases, words)."""
    table: dict[str, list[tuple[str, How, str]]] = {}
    entries: list[tuple[str, str, How]] = [
        (normalise(i.name), i.symbol, "name") for i in KNOWN.values()
    ]
    entries += [
        (normalise(re.sub(r"\s*\([^)]*\)", "", i.name)), i.symbol, "name") for i in KNOWN.values()
    ]
    entries += [(normalise(k), v, "alias") for k, v in ALIASES.items()]
    entries += [(k, v, "word") for k, v in _EVERYDAY_KEYS.items()]
    for phrase, symbol, how in entries:
        row = (symbol, how, phrase)
        bucket = table.setdefault(_compact(phrase), [])
        if all(r[0] != symbol for r in bucket):
            bucket.append(row)
    return table


_TABLE: dict[str, list[tuple[str, How, str]]] = {}

# Words that may precede or follow a name without changing it: "the Russell 2000",
# "small cap stocks", "the Dow index", "the QQQ ETF".
_LEADING = frozenset({"THE"})
_TRAILING = frozenset({"INDEX", "INDICES", "INDEXES", "STOCK", "STOCKS", "ETF", "ETFS",
                       "SHARES", "FUND"})

# Misspellings: only these distinctive words are corrected, and only when the typed word
# has at least MIN_SPELLED letters, starts with the same letter, is not itself a word of a
# known phrase and is within one edit (two for words of 12 letters or more; a swap of two
# neighbours is one edit). Short words are never corrected ("teck" stays "teck"), nor the
# English words next to a sector's name ("financial", "industrial", "material"). "Jones"
# is not among them: five letters one edit from "jokes" and "bones" is too close to English.
SPELLED: tuple[str, ...] = (
    "RUSSELL", "NASDAQ", "COMPOSITE", "INDUSTRIALS", "TECHNOLOGY", "HEALTHCARE",
    "UTILITIES", "FINANCIALS", "MATERIALS", "DISCRETIONARY", "COMMUNICATIONS", "VOLATILITY",
    "WEIGHTED",
)
MIN_SPELLED = 5
_NEVER_CORRECTED = frozenset({
    "FINANCIAL", "MATERIAL", "UTILITY", "COMPOSITES", "COMPOSED", "RUSSET", "RUSSIA", "WEIGHED",
    "WEIGHTS", "WEIGHTY", "WEIGHING",
})
class UnknownSymbolError(UserError):
    """What the user typed is not a symbol with data; the message suggests close ones."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown symbol '{text}'.{hint}")


def normalise(text: str) -> str:
    """Upper-case and collapse white space: ``" s&p  500 "`` -> ``"S&P 500"``."""
    return " ".join(text.strip().upper().split())


def looks_like_ticker(text: str) -> bool:
    """True for raw Yahoo-style tickers such as ``^RUT``, ``IWM``, ``BRK-B``."""
    return bool(_TICKER.match(normalise(text)))


def resolve(text: str, available: Collection[str]) -> str:
    """Resolve an alias, a display name, an everyday word or a raw ticker to a symbol that has data.

    Misspellings of distinctive names are read too (``"Rusell"`` -> ``^RUT``); see
    :func:`resolve_word`, which also says how the text was read.

    Parameters
    ----------
    text : str
        What the user typed (case-insensitive): ``"rut"``, ``"S&P 500"``, ``"^RUT"``,
        ``"IWM"``, ``"GSPC"``, ``"small caps"``, ``"Russel 2000"``.
    available : collection of str
        Symbols with data (``"^GSPC"``, ``"IWM"``...).

    Raises
    ------
    UnknownSymbolError
        With close matches among aliases, names and available symbols.
    """
    found = resolve_word(text, available)
    if found is not None:
        return found.symbol
    key = normalise(text)
    if not key:
        raise UnknownSymbolError(text, [])
    raise UnknownSymbolError(text.strip(), suggest(key, set(available)))


def find(text: str, available: Collection[str]) -> str | None:
    """What :func:`resolve` answers for a text spelled right, or ``None`` (cheap to call).

    For scanning free text, where most words name no symbol: no misspelling is corrected
    here (:func:`resolve_word` does that).
    """
    found = _exact(normalise(text), available)
    return found[0] if found is not None else None


def resolve_word(text: str, available: Collection[str]) -> Resolution | None:
    """How ``text`` names a symbol with data, or ``None``; never raises.

    In order: an exact display name, alias or ticker, or everyday word
    (``"small caps"``); the same written with hyphens or without spaces
    (``"small-cap"``, ``"S&P500"``); with a leading "the" or a trailing "index",
    "stocks", "ETF"... dropped; then with misspelled words corrected (``"Rusell"``,
    ``"Nasdq 100"``: see :data:`SPELLED`). Deterministic: the same text and data always
    give the same answer.
    """
    key = normalise(text)
    if not key:
        return None
    typed = " ".join(text.split())
    found = _exact(key, available)
    if found is not None:
        return Resolution(typed, found[0], found[1], found[2])
    corrected = _correct_words(key)
    if corrected != key:
        found = _exact(corrected, available, tickers=False)
        if found is not None:
            return Resolution(typed, found[0], "spelling", found[2])
    return None


def _exact(key: str, available: Collection[str], *, tickers: bool = True) -> tuple[str, How, str] | None:
    """``(symbol, how, read_as)`` for a normalised key spelled right, or ``None``."""
    for form in _forms(key):
        for symbol, how, phrase in _candidates(form, tickers=tickers):
            if symbol in available:
                return symbol, how, phrase
    return None


def _forms(key: str) -> list[str]:
    """``key``, then without a leading "the" and trailing words such as "index"."""
    words = key.split()
    out = [key]
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
        out.append(" ".join(words))
    while len(words) > 1 and words[-1] in _TRAILING:
        words = words[:-1]
        out.append(" ".join(words))
    return out


def _candidates(key: str, *, tickers: bool = True) -> list[tuple[str, How, str]]:
    """What a normalised ``key`` may name, most specific first (raw tickers before words)."""
    out: list[tuple[str, How, str]] = []
    out += [(info.symbol, "name", key) for info in reversed(KNOWN.values()) if normalise(info.name) == key]
    if key in ALIASES:
        out.append((ALIASES[key], "alias", key))
    if tickers:
        out += [(key, "ticker", key), ("^" + key, "ticker", "^" + key)]
    if key in _EVERYDAY_KEYS:
        out.append((_EVERYDAY_KEYS[key], "word", key))
    out += _table().get(_compact(key), [])
    return out


@cache
def _table() -> dict[str, list[tuple[str, How, str]]]:
    return _phrase_table()


@cache
def _phrase_words() -> frozenset[str]:
    """Every word of every known phrase (never corrected: "market", "energy", "caps")."""
    words: set[str] = set()
    for bucket in _table().values():
        for _, _, phrase in bucket:
            words.update(_split_digits(phrase).split())
    return frozenset(words)


def _split_digits(key: str) -> str:
    """Letters and digits apart: ``"RUSSEL2000"`` -> ``"RUSSEL 2000"``."""
    return re.sub(r"(?<=[A-Z])(?=\d)|(?<=\d)(?=[A-Z])", " ", key)


def _correct_words(key: str) -> str:
    """``key`` with each misspelled distinctive word corrected (see :data:`SPELLED`)."""
    words = _split_digits(key).split()
    fixed = [correct_word(w) or w for w in words]
    return " ".join(fixed) if fixed != words else key


def correct_word(word: str) -> str | None:
    """The distinctive word that ``word`` misspells (upper case), or ``None``.

    ``"Rusell"`` -> ``"RUSSELL"``, ``"nasdq"`` -> ``"NASDAQ"``; ``"teck"``, ``"record"``,
    ``"material"`` -> ``None``. See :data:`SPELLED` for the rule.
    """
    w = word.upper()
    if len(w) < MIN_SPELLED or not w.isalpha() or not w.isascii():
        return None
    if w in _phrase_words() or w in _NEVER_CORRECTED or w in SPELLED:
        return None
    best: list[tuple[int, str]] = []
    for target in SPELLED:
        limit = 1 if len(target) < 12 else 2
        if target[0] != w[0] or abs(len(target) - len(w)) > limit:
            continue
        d = edit_distance(w, target)
        if d <= limit:
            best.append((d, target))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # two words as close: no guess
    return best[0][1]


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``.

    The optimal-string-alignment distance: ``"nasadq"`` -> ``"nasdaq"`` is 1.
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def phrase_length(words: Sequence[str], start: int) -> int:
    """How many of ``words`` from ``start`` form one name (at least 1, at most 8).

    ``["small", "caps", "vs", "SPX"]`` from 0 -> 2; ``["Russel", "2000"]`` -> 2. Whether
    the name has data does not matter here: :func:`resolve` says that. The slash commands
    group their words with this before resolving each group.
    """
    for n in range(min(MAX_PHRASE_WORDS, len(words) - start), 1, -1):
        key = normalise(" ".join(words[start : start + n]))
        if _names_a_phrase(key):
            return n
    return 1


MAX_PHRASE_WORDS = 8


def _names_a_phrase(key: str) -> bool:
    return any(
        _compact(form) in _table() for k in (key, _correct_words(key)) for form in _forms(k)
    )


def scrambled_alias(text: str) -> str | None:
    """The alias ``text`` has the letters of, mistyped (``"SXP"`` -> ``"SPX"``), or None.

    Such a text is a typo to correct, not a new ticker to look up on Yahoo.
    """
    key = normalise(text).lstrip("^")
    if len(key) < 3:
        return None
    for alias in ALIASES:
        if alias != key and len(alias) == len(key) and sorted(alias) == sorted(key):
            return alias
    return None


def new_tickers(texts: Sequence[str], available: Collection[str]) -> list[str]:
    """The tickers among ``texts`` that name nothing with data (each once, as Yahoo spells it).

    Names, aliases and words that resolve are left out, and so is text that is not
    ticker-shaped or that is a scrambled alias ("SXP"): those get the usual suggestions.
    """
    out: list[str] = []
    for text in texts:
        if resolve_word(text, available) is not None or not looks_like_ticker(text):
            continue
        if scrambled_alias(text) is not None or normalise(text) in ALIASES:
            continue
        ticker = normalise(text)
        if ticker not in out:
            out.append(ticker)
    return out


def fetch_symbol(text: str, stored: Collection[str]) -> str:
    """The symbol to fetch for what a user typed: one with data, else the alias's or the ticker.

    ``streakbot update`` may name a symbol that is not stored yet (``"XLK"``, ``"^VIX"``).

    Raises
    ------
    UserError
        When ``text`` names nothing with data and does not look like a ticker.
    """
    try:
        return resolve(text, stored)
    except UnknownSymbolError:
        if not looks_like_ticker(text):
            raise UserError(f"'{text}' is not a ticker (e.g. ^RUT, IWM, SPX)") from None
        return ALIASES.get(normalise(text), normalise(text))


def phrase_sources() -> list[tuple[str, str]]:
    """Every word or phrase that names a symbol, as ``(phrase, symbol)``, in precedence order.

    Everyday words first, then aliases, then display names without their parenthesised
    ticker (``"Technology sector"``). The question parser builds its phrase table from this.
    """
    out: list[tuple[str, str]] = list(EVERYDAY.items())
    out += list(ALIASES.items())
    out += [(re.sub(r"\s*\([^)]*\)", "", info.name), info.symbol) for info in KNOWN.values()]
    return out


def multi_word_phrases() -> list[str]:
    """Normalised aliases, display names and everyday words of several words, longest first.

    The slash commands join consecutive words that together form one of these
    (``S&P 500``, ``Russell 2000``, ``small caps``), so :func:`resolve` sees the phrase.
    """
    phrases = (
        {a for a in ALIASES if " " in a}
        | {normalise(i.name) for i in KNOWN.values() if " " in i.name}
        | {k for k in _EVERYDAY_KEYS if " " in k}
    )
    return sorted(phrases, key=lambda p: -len(p.split()))


def suggest(key: str, available: Collection[str], n: int = 3) -> list[str]:
    """Up to ``n`` close matches for ``key`` among aliases and available symbols."""
    pool: dict[str, str] = {}
    for alias, sym in ALIASES.items():
        if sym in available:
            pool[alias] = alias
    for sym in available:
        pool[sym] = sym
        pool[sym.lstrip("^")] = sym
    matches = difflib.get_close_matches(normalise(key), list(pool), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for m in matches:
        label = pool[m]
        if label not in out:
            out.append(label)
    return out[:n]


def display_name(symbol: str) -> str:
    """Human name: ``"^RUT"`` -> ``"Russell 2000"``; unknown symbols as themselves."""
    info = KNOWN.get(symbol)
    return info.name if info else symbol


def is_adjusted(symbol: str) -> bool:
    """True when the stored closes are dividend-adjusted (not traded prices)."""
    info = KNOWN.get(symbol)
    return bool(info and info.adjusted)


def file_stem(symbol: str) -> str:
    """File name stem for a symbol's CSV: ``"^GSPC"`` -> ``"GSPC"``, ``"IWM"`` -> ``"IWM"``."""
    return symbol.lstrip("^")


# Indices whose history in the data starts long after the index itself did: a "longest in
# the data" claim about them says "since <first year> in this data". The Dow Jones
# Industrial Average dates from 1896; the public copy of its closes starts in 1992.
HISTORY_STARTS_LATE: frozenset[str] = frozenset({"^DJI"})


def history_starts_late(symbol: str) -> bool:
    """True when the data's first close of ``symbol`` is long after the index began."""
    return symbol in HISTORY_STARTS_LATE
