"""Discuz smiley codes, shown as emoji.

Discuz ships three packs (FACTS §2.11): 默认 (24 text codes such as ``:)``), 酷猴 (``{:2_25:}``…
``{:2_40:}``) and 呆呆男 (``{:3_41:}``…``{:3_64:}``). Their GIFs are not ours to copy, so each code
is drawn with an emoji; ``name`` describes the emoji we show (it is the accessible label), not the
original picture, which for the two image packs we have never seen.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["MAX_SMILIES_PER_CODE", "SMILIES", "Smiley", "SmileyReplacer", "smiley_html"]

# Discuz setting maxsmilies: each code is replaced at most this many times per post, so a post of
# a thousand ":)" does not become a thousand images.
MAX_SMILIES_PER_CODE = 10


@dataclass(frozen=True)
class Smiley:
    code: str
    emoji: str
    name: str


_DEFAULT_PACK = [
    (":)", "🙂", "微笑"),
    (":(", "🙁", "难过"),
    (":D", "😀", "大笑"),
    (":'(", "😢", "流泪"),
    (":@", "😠", "生气"),
    (":o", "😮", "惊讶"),
    (":P", "😛", "调皮"),
    (":$", "😳", "害羞"),
    (";P", "🤭", "偷笑"),
    (":L", "😓", "汗"),
    (":Q", "😫", "抓狂"),
    (":lol", "😆", "哈哈"),
    (":loveliness:", "🥰", "可爱"),
    (":funk:", "😱", "惊恐"),
    (":curse:", "🤬", "咒骂"),
    (":dizzy:", "😵", "晕"),
    (":shutup:", "🤐", "闭嘴"),
    (":sleepy:", "😪", "困"),
    (":hug:", "🤗", "拥抱"),
    (":victory:", "✌️", "胜利"),
    (":time:", "⏰", "时间"),
    (":kiss:", "😘", "亲亲"),
    (":handshake", "🤝", "握手"),
    (":call:", "📞", "电话"),
]

_COOLMONKEY_PACK = [
    ("🐵", "猴脸"),
    ("🙈", "捂眼"),
    ("🙉", "捂耳"),
    ("🙊", "捂嘴"),
    ("🐒", "猴子"),
    ("😎", "墨镜"),
    ("😂", "笑哭"),
    ("😭", "大哭"),
    ("😡", "发怒"),
    ("😱", "惊叫"),
    ("😍", "花痴"),
    ("😴", "睡觉"),
    ("🤔", "思考"),
    ("👍", "点赞"),
    ("👋", "再见"),
    ("🎉", "庆祝"),
]

_GRAPEMAN_PACK = [
    ("😐", "无语"),
    ("😑", "呆"),
    ("😶", "沉默"),
    ("🙄", "白眼"),
    ("😏", "坏笑"),
    ("😒", "不屑"),
    ("😬", "尴尬"),
    ("🤓", "书呆子"),
    ("😇", "天使"),
    ("🤪", "搞怪"),
    ("😤", "哼"),
    ("😩", "累"),
    ("🥺", "可怜"),
    ("😋", "好吃"),
    ("🤤", "流口水"),
    ("😷", "口罩"),
    ("🤒", "生病"),
    ("🤕", "受伤"),
    ("🤑", "发财"),
    ("🤠", "牛仔"),
    ("🥳", "派对"),
    ("😈", "坏"),
    ("💪", "加油"),
    ("👏", "鼓掌"),
]

SMILIES: list[Smiley] = [
    *(Smiley(code, emoji, name) for code, emoji, name in _DEFAULT_PACK),
    *(
        Smiley(f"{{:2_{25 + i}:}}", emoji, f"酷猴·{name}")
        for i, (emoji, name) in enumerate(_COOLMONKEY_PACK)
    ),
    *(
        Smiley(f"{{:3_{41 + i}:}}", emoji, f"呆呆男·{name}")
        for i, (emoji, name) in enumerate(_GRAPEMAN_PACK)
    ),
]

_BY_CODE: dict[str, Smiley] = {smiley.code: smiley for smiley in SMILIES}


def _pattern(code: str) -> str:
    # Discuz matches codes anywhere; a code ending in a letter is only taken when no letter or
    # digit follows, so "Note:Do" or "a:Paris" keep their text.
    suffix = r"(?![A-Za-z0-9])" if code[-1].isalnum() else ""
    return re.escape(code) + suffix


# Longest first, so ":'(" wins over ":(" and ":loveliness:" over ":lol".
_SMILEY_RE = re.compile(
    "|".join(_pattern(code) for code in sorted(_BY_CODE, key=len, reverse=True))
)


def smiley_html(smiley: Smiley) -> str:
    return (
        f'<span class="smiley" title="{html.escape(smiley.code)}" role="img" '
        f'aria-label="{html.escape(smiley.name)}">{smiley.emoji}</span>'
    )


class SmileyReplacer:
    """Finds smiley codes in text, counting them across one post for the per-code limit."""

    def __init__(self, limit: int = MAX_SMILIES_PER_CODE) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}

    def split(self, text: str) -> Iterator[str | Smiley]:
        """Yield the text in order as plain-text pieces and Smiley objects."""
        position = 0
        for match in _SMILEY_RE.finditer(text):
            code = match.group()
            used = self.counts.get(code, 0)
            if used >= self.limit:
                continue
            self.counts[code] = used + 1
            if match.start() > position:
                yield text[position : match.start()]
            yield _BY_CODE[code]
            position = match.end()
        if position < len(text):
            yield text[position:]
