"""Plain-English question parsing: ``parse_question(text, today=..., available=...)``."""

from bot.questions.parser import (
    EXAMPLES,
    INTENTS,
    MAX_CHARS,
    NO_PERIOD,
    Intent,
    Period,
    PeriodKind,
    Question,
    clean_text,
    describe_period,
    parse_question,
)

__all__ = [
    "EXAMPLES",
    "INTENTS",
    "MAX_CHARS",
    "NO_PERIOD",
    "Intent",
    "Period",
    "PeriodKind",
    "Question",
    "clean_text",
    "describe_period",
    "parse_question",
]
