"""Slack Block Kit limits and a pure helper that enforces them.

Slack rejects a whole message (``invalid_blocks``) when one block breaks a limit, so
every message we build goes through :func:`clamp_blocks` last. The limits used:

* at most :data:`MAX_BLOCKS` blocks per message;
* a ``header`` block's ``plain_text`` at most :data:`MAX_HEADER_TEXT` characters;
* a ``section`` block's ``text`` at most :data:`MAX_SECTION_TEXT` characters, each of its
  ``fields`` at most :data:`MAX_FIELD_TEXT`, and at most :data:`MAX_FIELDS` fields;
* a ``context`` block at most :data:`MAX_CONTEXT_ELEMENTS` elements, each text element at
  most :data:`MAX_SECTION_TEXT` characters.

Lengths are counted in UTF-16 code units (what Slack counts), so an emoji outside the
Basic Multilingual Plane costs two.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

__all__ = [
    "ELLIPSIS",
    "MAX_BLOCKS",
    "MAX_CONTEXT_ELEMENTS",
    "MAX_FIELDS",
    "MAX_FIELD_TEXT",
    "MAX_HEADER_TEXT",
    "MAX_SECTION_TEXT",
    "clamp_blocks",
    "clamp_text",
    "slack_len",
]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_CONTEXT_ELEMENTS = 10
ELLIPSIS = "…"

Block = dict[str, Any]


def slack_len(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def clamp_text(text: str, limit: int, *, mrkdwn: bool = False) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units, ending in ``…`` when cut.

    The cut never splits a surrogate pair and, for ``mrkdwn``, never leaves half of a
    ``<link|label>`` / ``<@user>`` token: it backs up to before the unclosed ``<``. It
    prefers to cut at a line break or a space in the last fifth of the allowed length.
    """
    if limit <= 0:
        return ""
    if slack_len(text) <= limit:
        return text
    budget = limit - slack_len(ELLIPSIS)
    if budget <= 0:
        return ELLIPSIS[:limit]
    # Longest prefix within budget, counted in UTF-16 units (never splits a character).
    used = 0
    end = 0
    for ch in text:
        w = 2 if ord(ch) > 0xFFFF else 1
        if used + w > budget:
            break
        used += w
        end += 1
    cut = text[:end]
    if mrkdwn:
        lt, gt = cut.rfind("<"), cut.rfind(">")
        if lt > gt:
            cut = cut[:lt]
    floor = int(len(cut) * 0.8)
    brk = max(cut.rfind("\n"), cut.rfind(" "))
    if brk >= floor and brk > 0:
        cut = cut[:brk]
    return cut.rstrip() + ELLIPSIS


def _clamp_text_object(obj: Any, limit: int) -> None:
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        obj["text"] = clamp_text(obj["text"], limit, mrkdwn=obj.get("type") == "mrkdwn")


def _clamp_block(block: Block) -> Block | None:
    kind = block.get("type")
    if kind == "header":
        _clamp_text_object(block.get("text"), MAX_HEADER_TEXT)
    elif kind == "section":
        _clamp_text_object(block.get("text"), MAX_SECTION_TEXT)
        fields = block.get("fields")
        if isinstance(fields, list):
            del fields[MAX_FIELDS:]
            for f in fields:
                _clamp_text_object(f, MAX_FIELD_TEXT)
        text = block.get("text")
        has_text = isinstance(text, dict) and bool(str(text.get("text", "")).strip())
        if not has_text and not block.get("fields"):
            return None  # Slack rejects an empty section
        if isinstance(text, dict) and not has_text:
            del block["text"]
    elif kind == "context":
        elements = block.get("elements")
        if isinstance(elements, list):
            del elements[MAX_CONTEXT_ELEMENTS:]
            for e in elements:
                _clamp_text_object(e, MAX_SECTION_TEXT)
            if not elements:
                return None
    return block


def clamp_blocks(blocks: Sequence[Block]) -> list[Block]:
    """A copy of ``blocks`` that respects the Block Kit limits (the input is not changed).

    Over-long texts are cut with ``…``; empty sections are dropped; beyond
    :data:`MAX_BLOCKS` blocks, the first ``MAX_BLOCKS - 1`` are kept and a context block
    says how many were left out.
    """
    out: list[Block] = []
    for b in blocks:
        clamped = _clamp_block(copy.deepcopy(dict(b)))
        if clamped is not None:
            out.append(clamped)
    if len(out) > MAX_BLOCKS:
        dropped = len(out) - (MAX_BLOCKS - 1)
        out = out[: MAX_BLOCKS - 1]
        out.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"{ELLIPSIS} {dropped} more blocks not shown."}
                ],
            }
        )
    return out
