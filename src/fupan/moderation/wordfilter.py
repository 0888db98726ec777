"""Sensitive-word filter (词语过滤): one pass over the text, whatever the size of the word list.

Words are matched with an Aho–Corasick automaton over a normalised copy of the text (NFKC,
case-folded, with spaces, punctuation and zero-width characters between letters ignored, so
"法 轮.功" matches "法轮功"); matches are mapped back to the original text for replacement.
Entries with ``{n}`` (up to n characters of anything in between, Discuz's syntax) or written as
``/regex/`` are compiled as regular expressions — meant for a handful of patterns, not thousands.

Pure functions and classes; the rules come from the database through ``moderation.queries``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import ahocorasick


class WordAction(StrEnum):
    REPLACE = "replace"  # shown with the replacement instead
    REVIEW = "review"  # the post waits for a moderator
    BLOCK = "block"  # the post is refused


@dataclass(frozen=True)
class WordRule:
    find: str
    action: WordAction = WordAction.REPLACE
    replacement: str = "**"


@dataclass
class ScanResult:
    text: str
    replaced: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.replaced or self.review or self.blocked)


_WILDCARD = re.compile(r"\{(\d{1,2})\}")


def _is_letter(char: str) -> bool:
    """What counts in matching: letters (any script, CJK included) and digits."""
    return unicodedata.category(char)[0] in "LN"


def normalise(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, for each of its characters, the index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).casefold()
        for piece in folded:
            if _is_letter(piece):
                chars.append(piece)
                index.append(i)
    return "".join(chars), index


def _normalise_word(word: str) -> str:
    return normalise(word)[0]


def _pattern(entry: str) -> re.Pattern[str] | None:
    """A compiled pattern for ``/regex/`` and ``a{2}b`` entries; None for plain words."""
    if len(entry) > 2 and entry.startswith("/") and entry.endswith("/"):
        try:
            return re.compile(entry[1:-1], re.IGNORECASE)
        except re.error:
            return None
    if _WILDCARD.search(entry):
        parts = _WILDCARD.split(entry)
        regex = "".join(
            re.escape(part) if n % 2 == 0 else f".{{0,{int(part)}}}?"
            for n, part in enumerate(parts)
        )
        return re.compile(regex, re.IGNORECASE | re.DOTALL)
    return None


class WordFilter:
    """Built once from the rules (cache it); ``scan`` is then linear in the text's length."""

    def __init__(self, rules: Iterable[WordRule]) -> None:
        self._automaton = ahocorasick.Automaton()
        self._patterns: list[tuple[re.Pattern[str], WordRule]] = []
        count = 0
        for rule in rules:
            pattern = _pattern(rule.find)
            if pattern is not None:
                self._patterns.append((pattern, rule))
                continue
            key = _normalise_word(rule.find)
            if not key:
                continue
            existing = self._automaton.get(key, None)
            # The strictest action wins when one word is listed twice.
            if existing is None or _severity(rule.action) > _severity(existing[1].action):
                self._automaton.add_word(key, (len(key), rule))
                count += 1
        self.size = count + len(self._patterns)
        self._empty = count == 0
        if not self._empty:
            self._automaton.make_automaton()

    def scan(self, text: str) -> ScanResult:
        result = ScanResult(text=text)
        if not text:
            return result
        spans: list[tuple[int, int, WordRule]] = []  # original-text [start, end) and the rule
        if not self._empty:
            folded, index = normalise(text)
            for end, (length, rule) in self._automaton.iter(folded):
                start = end - length + 1
                spans.append((index[start], index[end] + 1, rule))
        for pattern, rule in self._patterns:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    spans.append((match.start(), match.end(), rule))
        if not spans:
            return result
        for _start, _end, rule in spans:
            bucket = {
                WordAction.REPLACE: result.replaced,
                WordAction.REVIEW: result.review,
                WordAction.BLOCK: result.blocked,
            }[rule.action]
            if rule.find not in bucket:
                bucket.append(rule.find)
        result.text = _replace(text, [s for s in spans if s[2].action == WordAction.REPLACE])
        return result


def _severity(action: WordAction) -> int:
    return {WordAction.REPLACE: 0, WordAction.REVIEW: 1, WordAction.BLOCK: 2}[action]


def _replace(text: str, spans: list[tuple[int, int, WordRule]]) -> str:
    """Replace leftmost-longest, non-overlapping spans."""
    if not spans:
        return text
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[str] = []
    position = 0
    for start, end, rule in spans:
        if start < position:
            continue
        out.append(text[position:start])
        out.append(rule.replacement)
        position = end
    out.append(text[position:])
    return "".join(out)
