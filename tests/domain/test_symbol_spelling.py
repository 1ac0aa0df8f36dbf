"""The words people use for symbols, misspellings included, and the words that never resolve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.symbols import correct_word, edit_distance, resolve, resolve_word

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "data" / "bundled" / "MANIFEST.json"
IN_DATA = frozenset(json.loads(MANIFEST.read_text()))


def test_the_data_has_the_symbols_the_words_name() -> None:
    assert {"^GSPC", "^RUT", "^NDX", "^IXIC", "^DJI", "^VIX", "SPY", "RSP", "IWM", "QQQ"} <= IN_DATA
    assert {"XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY"} <= IN_DATA


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("small caps", "^RUT"), ("small-cap", "^RUT"), ("smallcaps", "^RUT"), ("small cap stocks", "^RUT"),
        ("big caps", "^GSPC"), ("large caps", "^GSPC"), ("Large-Cap", "^GSPC"), ("mega caps", "^NDX"),
        ("equal weight", "RSP"), ("equal-weighted S&P 500", "RSP"), ("cap weight", "SPY"),
        ("cap-weighted", "SPY"), ("tech", "^NDX"), ("tech sector", "XLK"), ("energy", "XLE"),
        ("utilities", "XLU"), ("financials", "XLF"), ("health care", "XLV"), ("healthcare", "XLV"),
        ("consumer discretionary", "XLY"), ("consumer staples", "XLP"), ("industrials", "XLI"),
        ("materials", "XLB"), ("real estate", "XLRE"), ("communication services", "XLC"),
        ("energy sector", "XLE"), ("the utilities sector", "XLU"),
        ("S&P500", "^GSPC"), ("sp500", "^GSPC"), ("spx500", "^GSPC"), ("S & P 500", "^GSPC"),
        ("S&P 500 index", "^GSPC"), ("r2k", "^RUT"), ("RTY", "^RUT"), ("DJI", "^DJI"),
        ("the dow jones", "^DJI"), ("the Russell 2000", "^RUT"), ("the VIX", "^VIX"),
        *[(s.lstrip("^"), s) for s in sorted(IN_DATA)], *[(s, s) for s in sorted(IN_DATA)],
        ("the QQQ ETF", "QQQ"), ("iwm", "IWM"),
    ],
)
def test_each_word_resolves_to_its_symbol(text: str, symbol: str) -> None:
    assert resolve(text, IN_DATA) == symbol
    found = resolve_word(text, IN_DATA)
    assert found is not None and found.symbol == symbol and not found.corrected


@pytest.mark.parametrize(
    ("text", "symbol", "name"),
    [
        ("Rusell", "^RUT", "Russell 2000"), ("Russel 2000", "^RUT", "Russell 2000"),
        ("russel2000", "^RUT", "Russell 2000"), ("Russsell", "^RUT", "Russell 2000"),
        ("Nasdq", "^IXIC", "Nasdaq Composite"), ("Nasadq", "^IXIC", "Nasdaq Composite"),
        ("nasdq 100", "^NDX", "Nasdaq 100"), ("nasdaq compsite", "^IXIC", "Nasdaq Composite"),
        ("Utilites", "XLU", "Utilities sector (XLU)"), ("helthcare", "XLV", "Health Care sector (XLV)"),
        ("finacials", "XLF", "Financials sector (XLF)"), ("industrails", "XLI", "Industrials sector (XLI)"),
        ("equal wieghted", "RSP", "Invesco S&P 500 Equal Weight ETF (RSP)"),
    ],
)
def test_misspellings_resolve_and_say_so(text: str, symbol: str, name: str) -> None:
    found = resolve_word(text, IN_DATA)
    assert found is not None
    assert (found.symbol, found.how, found.corrected, found.name, found.text) == (
        symbol, "spelling", True, name, text,
    )


# Ordinary English words, several one edit away from a name ("teck", "stables", "russet",
# "material", "jokes"), and the question words a misspelling could be confused with.
ENGLISH_TEXT = """
about above account act add after again against ago ahead all almost alone along already also
always among amount answer any appear apple april area around art ask august average away back
bad balance ball bang bank barks base basic basis bear beat beaten become been before begin
behind being believe below best better between big bill black blue board body book both bottom
break bring build bull burn business busy buy call came can cap capital card care carry case
cash cause center chance change chart check child chip city class clear close closed closes
cold come common company compare composed composer compute consume contest control cool copy
cost could count country course cover crash cross current data date day dead deal death decide
deep different dollar done door down draw dream drive drop during early earn east easy economy
edge effect either else end enemy energetic english enough enter equal even evening event ever
every exact example face fact fall false family far fast father fear feel fell few field fight
figure final financial find fine finish fire first five floor follow food force form four free
friend from front full fund game gap garden general give gold gone good great green ground group
grow guess half hand happen happy hard have head health hear heart heat heavy held help here
high history hold home hope horse hour house huge human hundred idea index industrial interest
into iron island join jokes jonas journal jump just keep kind king know land large last late
later laugh lead learn least leave left less letter level life light like line list little live
long look lose loss low machine made main make many mark market markets mass material matter
mean measure meet member middle might mile million mind minute miss money month moon more
morning most mother move much music must name nation nature near nasty need never news next
nice night nine none noon north note nothing number offer office often open order other over
page paper part party pass past peace people perhaps person pick picture piece place plan plant
play please point poor position possible pound power press price problem product pull push
question quick quite race rain raise rather reach read ready real reason record records recrods
region remember rest result return rich ride right ring rise river road rock room round rule
russet russia rusty said sale same save say school season second seem sell send sense serve set
seven shape ship short should show side sign simple since sing size sleep slow small snow soft
some song soon sound south space speak special spend spring square stable stables stacks stand
star start state stay step still stock stone stop store story street strong student study such
sudden summer supply sure surface system table take talk teach team teck tell term test than
thank that the their them then there these they thing think third this those though thought
three through time today together told tomorrow took total touch toward town trade train travel
tree trouble true turn twenty under unit until upon usual utility value very view visit voice
vote wait walk wall want warm watch water week weigh weighed weight well went were west what
wheel when where which while white whole wide will wind window winter wish with without woman
wonder word work world would write wrong yard year young your communication
"""
ENGLISH = ENGLISH_TEXT.split()


def test_the_english_list_is_long() -> None:
    assert len(ENGLISH) > 500


@given(word=st.sampled_from(ENGLISH), case=st.sampled_from([str.lower, str.upper, str.title]),
       pad=st.sampled_from(["", " ", "  "]))
def test_ordinary_english_words_never_resolve(word: str, case: object, pad: str) -> None:
    assert callable(case)
    text = pad + str(case(word)) + pad
    assert resolve_word(text, IN_DATA) is None
    assert correct_word(text) is None


def test_no_word_of_the_list_resolves_in_any_case() -> None:
    """The property above, over the whole list (so no run can miss one)."""
    assert [w for w in ENGLISH for t in (w, w.upper(), w.title()) if resolve_word(t, IN_DATA)] == []
    assert [w for w in ENGLISH for t in (w, w.upper(), w.title()) if correct_word(t)] == []


NAMES = {
    "Russell": "^RUT", "Nasdaq": "^IXIC", "Utilities": "XLU", "Financials": "XLF",
    "Industrials": "XLI", "Materials": "XLB", "Healthcare": "XLV", "Discretionary": "XLY",
    "Communications": "XLC",
}


def slips(name: str) -> list[str]:
    """Every word one slip from ``name``: a letter dropped, doubled, swapped with the next or
    replaced, never the first."""
    out: list[str] = []
    for i in range(1, len(name)):
        out += [name[:i] + name[i + 1 :], name[: i + 1] + name[i:]]
        if i < len(name) - 1:
            out.append(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
        out += [name[:i] + c + name[i + 1 :] for c in "abcdefghijklmnopqrstuvwxyz" if c != name[i]]
    return out


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_slip_in_a_name_still_resolves(name: str) -> None:
    """All of them, except the too short ("Nsdq") and English words ("Material")."""
    checked = 0
    for typed in slips(name):
        if len(typed) < 5 or typed.lower() in ENGLISH:
            continue
        found = resolve_word(typed, IN_DATA)
        assert found is not None and found.symbol == NAMES[name], typed
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [("nasadq", "nasdaq", 1), ("rusell", "russell", 1), ("teck", "tech", 1), ("", "abc", 3),
     ("record", "russell", 6), ("same", "same", 0)],
)
def test_edit_distance(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b) == d == edit_distance(b, a)


def test_short_words_are_never_corrected() -> None:
    assert correct_word("Rusl") is None
    assert resolve_word("teck", IN_DATA) is None
    assert resolve_word("Nsdq", IN_DATA) is None
