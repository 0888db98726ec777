"""Discuz's anti-copy noise (干扰码, FACTS §1.16), made accessible.

Discuz appends a random string to every line break, hidden by colour or display:none, so that
copied text is garbled. We keep the copy-garbling (the text stays in the DOM; CSS hides it
visually) but mark it aria-hidden so screen readers do not read it out.
"""

from __future__ import annotations

import random
import re

__all__ = ["apply_jammer", "jammer_string"]

_default_rng = random.Random()
_LOW_CHARS = [chr(code) for code in range(32, 60)]
_HIGH_CHARS = [chr(code) for code in range(63, 127)]

# One alternation scans the HTML tag by tag: a <br> is matched on its own, any other tag
# (including quoted attribute values that might contain "<br>") is consumed whole and returned
# unchanged, so noise is only ever inserted between tags, never inside one.
_TAG_RE = re.compile(
    r"""(?P<br><br\s*/?>)|<!--.*?-->|<[^>"']*(?:"[^"]*"[^>"']*|'[^']*'[^>"']*)*>""",
    re.IGNORECASE | re.DOTALL,
)


def jammer_string(rng: random.Random) -> str:
    """5–15 pairs of chr(32..59) + ' ' + chr(63..126), as Discuz's jammer() builds them.

    Discuz re-draws the loop bound on every iteration; a single draw gives the same 5–15 range.
    """
    count = rng.randint(5, 15)
    # choices() draws many values per call; randint per character made a long post slow.
    lows = rng.choices(_LOW_CHARS, k=count)
    highs = rng.choices(_HIGH_CHARS, k=count)
    return "".join(f"{low} {high}" for low, high in zip(lows, highs, strict=True))


def _escape_text(text: str) -> str:
    # Only what text content needs, and exactly what nh3 would emit, so sanitising the result
    # again changes nothing.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def apply_jammer(html: str, rng: random.Random | None = None) -> str:
    """Insert a hidden random string after every <br> of rendered HTML.

    Only the renderer's own line breaks get noise: <pre> code blocks carry raw newlines and no
    <br>, so code stays copyable.
    """
    source = rng if rng is not None else _default_rng

    def insert(match: re.Match[str]) -> str:
        if match.group("br") is None:
            return match.group()
        noise = _escape_text(jammer_string(source))
        return f'{match.group()}<span class="jammer" aria-hidden="true">{noise}</span>'

    return _TAG_RE.sub(insert, html)
