"""Turning text and queries into search tokens; pure functions, no database.

Chinese has no spaces between words, and members search for one- and two-character words
(桥, 停水, 中文). Word segmentation misses some of them and trigram indexes cannot look up fewer
than three characters, so every CJK character is its own token and a query is a *phrase* of
consecutive tokens: 中文 is the phrase "中 文" and matches exactly the texts that contain 中文.
Latin letters and digits form words as usual (case- and width-insensitive), so mixed text such as
iPhone手机 becomes the tokens iphone 手 机.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 100
MAX_TERMS = 8

# CJK ideographs (basic, extensions A–B, compatibility), kana and hangul syllables: one token each.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002a6df"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def normalize(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, lower case (ＡＢＣ１ → abc1)."""
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``: each CJK character, and each run of other letters/digits."""
    return _TOKEN.findall(normalize(text))


def index_text(text: str) -> str:
    """``text`` as the index stores it: its tokens separated by spaces (the engines' own
    tokenizers — FTS5 unicode61, PostgreSQL's ``simple`` parser — then see one token each)."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Query:
    """A parsed query: ``terms`` are phrases (lists of tokens) that must all occur; ``raw`` is the
    cleaned query as the member typed it (for the search box and highlighting)."""

    raw: str
    terms: tuple[tuple[str, ...], ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def token_count(self) -> int:
        return sum(len(t) for t in self.terms)

    @property
    def words(self) -> list[str]:
        """Each term as the text to highlight (CJK tokens joined without spaces)."""
        out = []
        for term in self.terms:
            text = ""
            for tok in term:
                if text and not (_is_cjk(tok) or _is_cjk(text[-1])):
                    text += " "
                text += tok
            out.append(text)
        return out


_ONE_CJK = re.compile(rf"[{_CJK}]")


def _is_cjk(s: str) -> bool:
    return len(s) == 1 and _ONE_CJK.match(s) is not None


def parse_query(raw: str | None) -> Query:
    """Any string → a Query. Operators, quotes, SQL and control characters carry no meaning: only
    the tokens count. Whitespace separates terms (each must occur); quotes group words into one
    phrase ("停水 通知" finds them next to each other)."""
    raw = "".join(ch for ch in (raw or "") if unicodedata.category(ch)[0] != "C" or ch in " \t")
    raw = " ".join(raw.split())[:MAX_QUERY_CHARS]
    terms: list[tuple[str, ...]] = []
    # Quoted parts are one phrase; the rest splits on whitespace.
    for quoted, bare in re.findall(r'"([^"]*)"|([^\s"]+)', raw):
        toks = tuple(tokens(quoted if quoted else bare))
        if toks and toks not in terms:
            terms.append(toks)
    return Query(raw=raw, terms=tuple(terms[:MAX_TERMS]))


def is_cjk(token: str) -> bool:
    return _is_cjk(token)


def ngram_text(index_tokens: str, n: int) -> str:
    """Index text (space-separated tokens) → the runs of ``n`` neighbouring CJK characters in
    order, other tokens kept in place so that n-grams on either side of a latin word are not
    adjacent: with n=2, 涪 江 a 大 桥 → 涪江 a 大桥. Two n-grams are adjacent in the output exactly
    when the text holds them overlapping (涪江 江大 ⇔ 涪江大), so a phrase of n-grams is exact."""
    return " ".join(ngrams(index_tokens.split())[n - 2])


def ngrams(toks: list[str]) -> tuple[list[str], list[str]]:
    """The pairs and the triples of a token list, as ``ngram_text`` describes (one pass)."""
    cjk = [len(t) == 1 and _ONE_CJK.match(t) is not None for t in toks]
    cjk.append(False)
    cjk.append(False)
    pairs: list[str] = []
    triples: list[str] = []
    for i, tok in enumerate(toks):
        if not cjk[i]:
            pairs.append(tok)
            triples.append(tok)
        elif cjk[i + 1]:
            pair = tok + toks[i + 1]
            pairs.append(pair)
            if cjk[i + 2]:
                triples.append(pair + toks[i + 2])
    return pairs, triples


def bigram_text(index_tokens: str) -> str:
    """CJK character pairs (see ``ngram_text``)."""
    return ngram_text(index_tokens, 2)


def trigram_text(index_tokens: str) -> str:
    """CJK character triples (see ``ngram_text``)."""
    return ngram_text(index_tokens, 3)
