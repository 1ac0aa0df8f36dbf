"""Ordinals as a desk note writes them: the words and the article ("an 11th", "an eighth").

The expected words and articles were checked once against two independent libraries
(num2words for the words, without the British "and"; inflect's indefinite article of each
spoken word) and are pinned here as literals.
"""

from __future__ import annotations

import pytest

from bot.render.format import a_ordinal, article, cardinal_words, ordinal, spelled_ordinal

# 1..113 in words.
WORDS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
    "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth",
    "twenty-ninth", "thirtieth", "thirty-first", "thirty-second", "thirty-third", "thirty-fourth",
    "thirty-fifth", "thirty-sixth", "thirty-seventh", "thirty-eighth", "thirty-ninth", "fortieth",
    "forty-first", "forty-second", "forty-third", "forty-fourth", "forty-fifth", "forty-sixth",
    "forty-seventh", "forty-eighth", "forty-ninth", "fiftieth", "fifty-first", "fifty-second",
    "fifty-third", "fifty-fourth", "fifty-fifth", "fifty-sixth", "fifty-seventh", "fifty-eighth",
    "fifty-ninth", "sixtieth", "sixty-first", "sixty-second", "sixty-third", "sixty-fourth",
    "sixty-fifth", "sixty-sixth", "sixty-seventh", "sixty-eighth", "sixty-ninth", "seventieth",
    "seventy-first", "seventy-second", "seventy-third", "seventy-fourth", "seventy-fifth",
    "seventy-sixth", "seventy-seventh", "seventy-eighth", "seventy-ninth", "eightieth",
    "eighty-first", "eighty-second", "eighty-third", "eighty-fourth", "eighty-fifth",
    "eighty-sixth", "eighty-seventh", "eighty-eighth", "eighty-ninth", "ninetieth", "ninety-first",
    "ninety-second", "ninety-third", "ninety-fourth", "ninety-fifth", "ninety-sixth",
    "ninety-seventh", "ninety-eighth", "ninety-ninth", "one hundredth", "one hundred first",
    "one hundred second", "one hundred third", "one hundred fourth", "one hundred fifth",
    "one hundred sixth", "one hundred seventh", "one hundred eighth", "one hundred ninth",
    "one hundred tenth", "one hundred eleventh", "one hundred twelfth", "one hundred thirteenth",
]
# The ordinals read with a leading vowel sound: eight, eleven, eighteen, eighty-.
AN = {8, 11, 18, *range(80, 90)}


def test_the_table_covers_1_to_113() -> None:
    assert len(WORDS) == 113
    assert (WORDS[0], WORDS[7], WORDS[10], WORDS[20], WORDS[112]) == (
        "first", "eighth", "eleventh", "twenty-first", "one hundred thirteenth"
    )


@pytest.mark.parametrize("n", range(1, 114))
def test_ordinal_words_and_articles_1_to_113(n: int) -> None:
    word = WORDS[n - 1]
    art = "an" if n in AN else "a"
    assert spelled_ordinal(n) == word
    assert article(n) == art
    assert a_ordinal(n) == f"{art} {ordinal(n)}"
    assert a_ordinal(n, words=True) == f"{art} {word}"


@pytest.mark.parametrize(
    ("n", "numeral"),
    [
        (1, "a 1st"), (2, "a 2nd"), (3, "a 3rd"), (4, "a 4th"), (8, "an 8th"), (11, "an 11th"),
        (12, "a 12th"), (13, "a 13th"), (14, "a 14th"), (18, "an 18th"), (21, "a 21st"),
        (22, "a 22nd"), (23, "a 23rd"), (80, "an 80th"), (81, "an 81st"), (83, "an 83rd"),
        (90, "a 90th"), (100, "a 100th"), (101, "a 101st"), (108, "a 108th"), (111, "a 111th"),
        (112, "a 112th"), (113, "a 113th"),
    ],
)
def test_numerals_with_their_article(n: int, numeral: str) -> None:
    assert a_ordinal(n) == numeral


def test_cardinal_words_and_its_range() -> None:
    assert [cardinal_words(n) for n in (7, 40, 99, 100, 113)] == [
        "seven", "forty", "ninety-nine", "one hundred", "one hundred thirteen"
    ]
    with pytest.raises(ValueError, match=r"1\.\.999"):
        cardinal_words(0)
